/**
 * The reference profile a {@link DriftDetector} tests against: per column, what the tests, the data-quality checks
 * and the score need — so that the reference rows need not be kept, and shards can be profiled apart and merged.
 *
 * @module
 */
import { z } from 'zod';
import { MlcycleError } from '../core/errors.js';
import { quantileSorted } from '../core/numeric.js';
import { parseOptions } from '../core/options.js';
import { Random } from '../core/random.js';
import { radixSort } from '../core/sort.js';
import { type ColumnKind, type DriftData, readColumns, type TypedColumn } from './columns.js';

/** The reference profile of a numeric column. */
export interface NumericProfile {
  /** `'numeric'`. */
  kind: 'numeric';
  /** Values present. */
  count: number;
  /** Values missing (null, undefined or NaN). */
  missing: number;
  /** Smallest value present (NaN when none). */
  min: number;
  /** Largest value present (NaN when none). */
  max: number;
  /** Mean of the values present. */
  mean: number;
  /** Sum of squared deviations from the mean, Σ(x − mean)²: the variance times `count`, kept to merge shards. */
  m2: number;
  /**
   * The values, ascending: every one when `count <= sampleSize`, otherwise a uniform random sample of
   * `sampleSize` of them (reservoir sampling, seeded). The distribution tests compare the current values with it.
   */
  sample: number[];
  /** Inner edges of the quantile bins of `sample` (distinct; bin i holds `edges[i − 1] <= x < edges[i]`). */
  edges: number[];
  /** Reference values in each bin, one more than `edges` (estimated from the sample when it is a subsample). */
  counts: number[];
}

/** The reference profile of a categorical column. */
export interface CategoricalProfile {
  /** `'categorical'`. */
  kind: 'categorical';
  /** Values present. */
  count: number;
  /** Values missing (null, undefined or NaN). */
  missing: number;
  /** Values per category label. */
  categories: Record<string, number>;
}

/** The profile of one column. */
export type ColumnProfile = NumericProfile | CategoricalProfile;

/** A reference profile: plain JSON, restorable with {@link DriftDetector}'s `profile` option. */
export interface ReferenceProfile {
  /** Format tag, `'mlcycle.drift-profile'`. */
  format: 'mlcycle.drift-profile';
  /** Format version, 1. */
  version: 1;
  /** Rows profiled. */
  rows: number;
  /** Most values a numeric column's sample keeps. */
  sampleSize: number;
  /** Quantile bins per numeric column. */
  bins: number;
  /** Seed of the reservoir sampling (and of merges). */
  seed: number;
  /** The profile of each column, by name, in the reference's column order. */
  columns: Record<string, ColumnProfile>;
}

/** Options of {@link profileReference}. */
export interface ProfileOptions {
  /** The columns to profile. @defaultValue every column of the reference, less `exclude` */
  columns?: readonly string[];
  /** Columns to leave out (ids, timestamps, targets). @defaultValue [] */
  exclude?: readonly string[];
  /**
   * The kind of each column; a column not named is numeric when every value present is a number, categorical
   * otherwise. @defaultValue {}
   */
  kinds?: Readonly<Record<string, ColumnKind>>;
  /**
   * Most values a numeric column's sample keeps; larger references keep a uniform random sample of this size,
   * which bounds the profile (about 20 bytes of JSON per value). @defaultValue 100000
   */
  sampleSize?: number;
  /** Quantile bins per numeric column (fewer remain when the reference has ties at the quantiles). @defaultValue 10 */
  bins?: number;
  /** Seed of the reservoir sampling. @defaultValue 0 */
  seed?: number;
}

const optionsSchema = z.strictObject({
  columns: z.array(z.string()).optional(),
  exclude: z.array(z.string()).default([]),
  kinds: z.record(z.string(), z.enum(['numeric', 'categorical'])).default({}),
  sampleSize: z.number().int().min(10).default(100_000),
  bins: z.number().int().min(1).max(1000).default(10),
  seed: z.number().int().min(0).default(0),
});

/** Distinct inner quantile edges of a sorted sample, and the sample's count in each of the bins they make. */
export function quantileBins(sorted: Float64Array, bins: number): { edges: number[]; counts: number[] } {
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const edge = quantileSorted(sorted, k / bins);
    if (sorted.length > 0 && edge !== edges[edges.length - 1] && edge > (sorted[0] as number))
      edges.push(edge);
  }
  return { edges, counts: binCounts(sorted, edges) };
}

/** Counts of a sorted array in the bins made by ascending inner edges (bin i: edges[i − 1] <= x < edges[i]). */
export function binCounts(sorted: Float64Array, edges: readonly number[]): number[] {
  const counts: number[] = [];
  let from = 0;
  for (const edge of edges) {
    let to = from;
    while (to < sorted.length && (sorted[to] as number) < edge) to++;
    counts.push(to - from);
    from = to;
  }
  counts.push(sorted.length - from);
  return counts;
}

/** Uniform reservoir sample (algorithm R) of the finite values of `values`, sorted ascending. */
function reservoir(values: Float64Array, size: number, random: Random): Float64Array {
  const kept = new Float64Array(size);
  let seen = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) continue;
    if (seen < size) kept[seen] = v;
    else {
      const j = random.int(0, seen);
      if (j < size) kept[j] = v;
    }
    seen++;
  }
  return radixSort(kept.subarray(0, Math.min(seen, size)).slice());
}

/** The profile of a numeric column from its sorted sample and the moments of all its values. */
function numericProfile(
  sample: Float64Array,
  moments: { count: number; missing: number; min: number; max: number; mean: number; m2: number },
  bins: number,
): NumericProfile {
  const { edges, counts } = quantileBins(sample, bins);
  const scale = sample.length === 0 ? 0 : moments.count / sample.length;
  return {
    kind: 'numeric',
    ...moments,
    sample: Array.from(sample),
    edges,
    counts: scale === 1 ? counts : counts.map((c) => c * scale),
  };
}

function profileColumn(column: TypedColumn, options: z.output<typeof optionsSchema>, random: Random) {
  if (column.kind === 'categorical') {
    const categories: Record<string, number> = {};
    let missing = 0;
    for (const label of column.values) {
      if (label === null) missing++;
      else categories[label] = (categories[label] ?? 0) + 1;
    }
    return { kind: 'categorical', count: column.values.length - missing, missing, categories } as const;
  }
  const { values } = column;
  let count = 0;
  let mean = 0;
  let m2 = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) continue;
    count++;
    const d = v - mean;
    mean += d / count;
    m2 += d * (v - mean);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const sample = reservoir(values, options.sampleSize, random);
  return numericProfile(
    sample,
    {
      count,
      missing: values.length - count,
      min: count ? min : Number.NaN,
      max: count ? max : Number.NaN,
      mean: count ? mean : Number.NaN,
      m2,
    },
    options.bins,
  );
}

/**
 * Profiles a reference table: per column its kind, counts of values present and missing, range, mean and sum of
 * squared deviations, and a sorted sample with its quantile bins (numeric), or its category counts (categorical).
 *
 * @throws MlcycleError `INVALID_ARGUMENT` for a bad table, option or value (a string in a numeric column, an
 * infinite number), or a column named that the table lacks.
 * @example
 * ```ts
 * const profile = profileReference(lastYearRows, { exclude: ['date'] });
 * const detector = new DriftDetector({ profile });
 * ```
 */
export function profileReference(data: DriftData, options: ProfileOptions = {}): ReferenceProfile {
  const parsed = parseOptions(optionsSchema, options, 'profileReference options');
  const { length, columns } = readColumns(data, 'reference', parsed.kinds, parsed.columns, parsed.exclude);
  const random = new Random(parsed.seed);
  const profiles: Record<string, ColumnProfile> = {};
  for (const [name, column] of columns) profiles[name] = profileColumn(column, parsed, random);
  return {
    format: 'mlcycle.drift-profile',
    version: 1,
    rows: length,
    sampleSize: parsed.sampleSize,
    bins: parsed.bins,
    seed: parsed.seed,
    columns: profiles,
  };
}

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

const finite = z.number().refine(Number.isFinite, 'expected a finite number');
const count = z.number().int().min(0);
const profileSchema = z.strictObject({
  format: z.literal('mlcycle.drift-profile'),
  version: z.literal(1),
  rows: count,
  sampleSize: z.number().int().min(10),
  bins: z.number().int().min(1).max(1000),
  seed: count,
  columns: z.record(
    z.string(),
    z.discriminatedUnion('kind', [
      z.strictObject({
        kind: z.literal('numeric'),
        count,
        missing: count,
        min: z.number(),
        max: z.number(),
        mean: z.number(),
        m2: z.number().min(0),
        sample: z.array(finite),
        edges: z.array(finite),
        counts: z.array(z.number().min(0)),
      }),
      z.strictObject({
        kind: z.literal('categorical'),
        count,
        missing: count,
        categories: z.record(z.string(), count),
      }),
    ]),
  ),
});

/**
 * Checks a profile restored from JSON: its shape, and for numeric columns a sorted sample no larger than the
 * values it stands for and one count per bin.
 *
 * @throws MlcycleError `INVALID_ARGUMENT` naming what is wrong.
 */
export function checkProfile(value: unknown, name: string): ReferenceProfile {
  const profile = parseOptions(profileSchema, value, name) as ReferenceProfile;
  for (const [column, p] of Object.entries(profile.columns)) {
    if (p.kind !== 'numeric') continue;
    const sorted = p.sample.every((v, i) => i === 0 || v >= (p.sample[i - 1] as number));
    const fault = !sorted
      ? 'sample is not sorted ascending'
      : p.sample.length > p.count
        ? `sample has ${p.sample.length} values but count is ${p.count}`
        : p.counts.length !== p.edges.length + 1
          ? `has ${p.edges.length} edges but ${p.counts.length} bin counts (expected one more count than edges)`
          : undefined;
    if (fault) throw new MlcycleError('INVALID_ARGUMENT', `Invalid ${name}: column "${column}": ${fault}`);
  }
  return profile;
}
