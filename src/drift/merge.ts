/**
 * Merging the reference profiles of shards into the profile of the whole.
 *
 * @module
 */
import { MlcycleError } from '../core/errors.js';
import { Random } from '../core/random.js';
import { radixSort } from '../core/sort.js';
import { type ColumnProfile, type NumericProfile, numericProfile, type ReferenceProfile } from './profile.js';

/** A uniform sample of `size` of the values two samples stand for (`countA` and `countB` values), sorted. */
function mergeSamples(
  a: readonly number[],
  countA: number,
  b: readonly number[],
  countB: number,
  size: number,
  random: Random,
): Float64Array {
  if (a.length === countA && b.length === countB && countA + countB <= size) {
    return radixSort(Float64Array.from([...a, ...b]));
  }
  // Each draw comes from A with the share of the values A stands for that are not drawn yet; within a sample,
  // draws are without replacement (a partial Fisher–Yates shuffle of a copy).
  const poolA = Float64Array.from(a);
  const poolB = Float64Array.from(b);
  const out = new Float64Array(Math.min(size, countA + countB, a.length + b.length));
  let leftA = countA;
  let leftB = countB;
  let takenA = 0;
  let takenB = 0;
  for (let k = 0; k < out.length; k++) {
    const fromA =
      takenA < poolA.length && (takenB >= poolB.length || random.float() * (leftA + leftB) < leftA);
    const pool = fromA ? poolA : poolB;
    const taken = fromA ? takenA++ : takenB++;
    const j = random.int(taken, pool.length - 1);
    const v = pool[j] as number;
    pool[j] = pool[taken] as number;
    pool[taken] = v;
    out[k] = v;
    if (fromA) leftA--;
    else leftB--;
  }
  return radixSort(out);
}

function mergeColumn(
  name: string,
  a: ColumnProfile,
  b: ColumnProfile,
  profile: ReferenceProfile,
  random: Random,
) {
  if (a.kind !== b.kind) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `mergeProfiles: column "${name}" is ${a.kind} in the first profile and ${b.kind} in the second`,
    );
  }
  if (a.kind === 'categorical' && b.kind === 'categorical') {
    const categories = { ...a.categories };
    for (const [label, n] of Object.entries(b.categories)) categories[label] = (categories[label] ?? 0) + n;
    return {
      kind: 'categorical',
      count: a.count + b.count,
      missing: a.missing + b.missing,
      categories,
    } as const;
  }
  const x = a as NumericProfile;
  const y = b as NumericProfile;
  const count = x.count + y.count;
  const delta = (y.mean || 0) - (x.mean || 0);
  const mean = count === 0 ? Number.NaN : (x.mean || 0) + (delta * y.count) / count;
  const m2 = x.m2 + y.m2 + (count === 0 ? 0 : (delta * delta * x.count * y.count) / count);
  const sample = mergeSamples(x.sample, x.count, y.sample, y.count, profile.sampleSize, random);
  return numericProfile(
    sample,
    {
      count,
      missing: x.missing + y.missing,
      min: count ? Math.min(x.count ? x.min : Infinity, y.count ? y.min : Infinity) : Number.NaN,
      max: count ? Math.max(x.count ? x.max : -Infinity, y.count ? y.max : -Infinity) : Number.NaN,
      mean,
      m2,
    },
    profile.bins,
  );
}

/**
 * Merges the profiles of two shards of one reference (same columns and settings) into the profile of the whole:
 * counts and category counts add, moments merge exactly (Chan et al.), and the samples merge into a uniform sample
 * of the union — exactly the union while it fits in `sampleSize`.
 *
 * @throws MlcycleError `INVALID_ARGUMENT` when the profiles differ in columns, kinds, sample size or bins.
 * @example
 * ```ts
 * const profile = mergeProfiles(profileReference(january), profileReference(february));
 * ```
 */
export function mergeProfiles(a: ReferenceProfile, b: ReferenceProfile): ReferenceProfile {
  const names = Object.keys(a.columns);
  const others = Object.keys(b.columns);
  if (names.length !== others.length || names.some((n) => !Object.hasOwn(b.columns, n))) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `mergeProfiles needs profiles of the same columns, received [${names.join(', ')}] and [${others.join(', ')}]`,
    );
  }
  if (a.sampleSize !== b.sampleSize || a.bins !== b.bins) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `mergeProfiles needs profiles with the same sampleSize and bins, received ${a.sampleSize}/${a.bins} and ` +
        `${b.sampleSize}/${b.bins}`,
    );
  }
  const random = new Random(a.seed).fork(a.rows + b.rows);
  const columns: Record<string, ColumnProfile> = {};
  for (const name of names) {
    columns[name] = mergeColumn(
      name,
      a.columns[name] as ColumnProfile,
      b.columns[name] as ColumnProfile,
      a,
      random,
    );
  }
  return { ...a, rows: a.rows + b.rows, columns };
}
