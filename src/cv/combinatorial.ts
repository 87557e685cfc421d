import { MlcycleError } from '../core/errors.js';
import {
  assertCount,
  assertIntegerAtLeast,
  checkedLabelEnd,
  groupBounds,
  purgedTrainingIndices,
  type Zone,
  zoneOf,
} from './purged.js';
import type { CombinatorialPath, Fold, Size, SplitInputs } from './types.js';

/** The most splits (C(nGroups, nTestGroups)) one combinatorial CV may produce; each split is a model fit. */
export const MAX_COMBINATORIAL_SPLITS = 100_000;

/** Options of {@link combinatorialPurgedSplits} and {@link combinatorialPaths}. */
export interface CombinatorialOptions {
  /** Number of contiguous groups N the series is cut into; at least 2 and at most `n`. */
  nGroups: number;
  /** Number of groups k held out for testing in each split; from 1 to N − 1. */
  nTestGroups: number;
}

/** Options of {@link combinatorialPurgedSplits}. */
export interface CombinatorialPurgedOptions extends CombinatorialOptions {
  /**
   * Observations removed from training on each side of every test block: the `purge` just before it and the
   * `purge` just after it (skfolio's `purged_size`).
   * @defaultValue 0
   */
  purge?: number | Exclude<Size, number>;
  /**
   * Further observations removed from training after every test block, following the purged ones (skfolio's
   * `embargo_size`).
   * @defaultValue 0
   */
  embargo?: number | Exclude<Size, number>;
}

function binomial(n: number, k: number): number {
  let out = 1;
  for (let i = 1; i <= k; i++) out = (out * (n - k + i)) / i;
  return Math.round(out);
}

function checkGroups(n: number, options: CombinatorialOptions): void {
  assertIntegerAtLeast(n, 1, 'n');
  const { nGroups, nTestGroups } = options;
  assertIntegerAtLeast(nGroups, 2, 'nGroups');
  assertIntegerAtLeast(nTestGroups, 1, 'nTestGroups');
  if (nTestGroups >= nGroups) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `nTestGroups (${nTestGroups}) must be less than nGroups (${nGroups}) so that every split keeps a training group`,
      { details: { nGroups, nTestGroups } },
    );
  }
  if (nGroups > n) {
    throw new MlcycleError(
      'INSUFFICIENT_DATA',
      `nGroups (${nGroups}) must not exceed the number of observations n (${n})`,
      { details: { nGroups, n } },
    );
  }
  const splits = binomial(nGroups, nTestGroups);
  if (splits > MAX_COMBINATORIAL_SPLITS) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `nGroups (${nGroups}) and nTestGroups (${nTestGroups}) give ${splits} splits, more than the ` +
        `${MAX_COMBINATORIAL_SPLITS} allowed; use fewer groups or move nTestGroups away from nGroups / 2`,
      { details: { nGroups, nTestGroups, splits } },
    );
  }
}

/** Every k-subset of 0 … N − 1 in lexicographic order (the order of Python's `itertools.combinations`). */
function combinations(nGroups: number, k: number): number[][] {
  const out: number[][] = [];
  const current = Array.from({ length: k }, (_, i) => i);
  for (;;) {
    out.push(current.slice());
    let i = k - 1;
    while (i >= 0 && current[i] === nGroups - k + i) i--;
    if (i < 0) return out;
    current[i] = (current[i] as number) + 1;
    for (let j = i + 1; j < k; j++) current[j] = (current[j - 1] as number) + 1;
  }
}

/**
 * Combinatorial purged cross-validation (CPCV): the series is cut into N contiguous groups and every combination
 * of k test groups is one split, in lexicographic order. Around every test block (adjacent test groups form one
 * block), training loses the `purge` observations before it and the `purge + embargo` observations after it; with
 * `labelEnd`, it also loses every observation whose label interval [i, labelEnd[i]] reaches into a test block.
 *
 * Reference: López de Prado, *Advances in Financial Machine Learning* (2018), ch. 12; skfolio
 * `CombinatorialPurgedCV(n_folds=N, n_test_folds=k, purged_size=purge, embargo_size=embargo)`, whose training sets
 * this reproduces when N divides n. Conventions: group sizes follow `np.array_split` (the first n % N groups are one
 * longer; skfolio instead gives the remainder to the last group); `purge` and `embargo` are counts; a split whose
 * training set is purged away entirely is returned with an empty `train`. At most
 * {@link MAX_COMBINATORIAL_SPLITS} splits.
 *
 * @param n - number of observations.
 * @param options - {@link CombinatorialPurgedOptions}.
 * @param inputs - `labelEnd` (per observation, the last index its label looks at).
 * @returns C(N, k) folds; `groups` lists each fold's test groups and `test` their indices.
 * @throws MlcycleError `INVALID_ARGUMENT` for bad group counts, `purge`, `embargo` or `labelEnd`;
 *   `INSUFFICIENT_DATA` when `nGroups` exceeds `n`.
 *
 * @example
 * ```ts
 * import { combinatorialPurgedSplits } from 'mlcycle';
 *
 * const splits = combinatorialPurgedSplits(12, { nGroups: 3, nTestGroups: 2, purge: 1 });
 * splits.map((s) => s.train); // [[9, 10, 11], [5, 6], [0, 1, 2]]
 * splits[1]?.groups; // [0, 2]
 * ```
 */
export function combinatorialPurgedSplits(
  n: number,
  options: CombinatorialPurgedOptions,
  inputs?: SplitInputs,
): Fold[] {
  checkGroups(n, options);
  const [before, after] = purgeAndEmbargo(n, options, inputs);
  const labelEnd = checkedLabelEnd(n, inputs);
  const bounds = groupBounds(n, options.nGroups);
  return combinations(options.nGroups, options.nTestGroups).map((groups, index) => {
    const starts: number[] = [];
    const ends: number[] = [];
    const test: number[] = [];
    for (const g of groups) {
      const start = bounds.starts[g] as number;
      const end = bounds.ends[g] as number;
      for (let i = start; i <= end; i++) test.push(i);
      if (ends.length > 0 && (ends[ends.length - 1] as number) + 1 === start) ends[ends.length - 1] = end;
      else {
        starts.push(start);
        ends.push(end);
      }
    }
    const train = purgedTrainingIndices(n, starts, ends, before, after, labelEnd);
    return { index, train, test, groups };
  });
}

/**
 * The zones before and after each test block: `purge` before, `purge + embargo` after (skfolio's rule), both counts
 * or both durations.
 */
function purgeAndEmbargo(
  n: number,
  options: CombinatorialPurgedOptions,
  inputs: SplitInputs | undefined,
): [before: Zone, after: Zone] {
  const countOf = (name: string) => (value: number) => {
    assertCount(value, name);
    return value;
  };
  const purge = zoneOf(options.purge, 'purge', n, inputs, countOf('purge'));
  const embargo = zoneOf(options.embargo, 'embargo', n, inputs, countOf('embargo'));
  if (typeof purge === 'number' && typeof embargo === 'number') return [purge, purge + embargo];
  if (typeof purge !== 'number' && typeof embargo !== 'number') {
    return [purge, { ms: purge.ms + embargo.ms, timestamps: purge.timestamps }];
  }
  // A zero count pairs with a duration of the other option.
  if (purge === 0 && typeof embargo !== 'number') return [0, embargo];
  if (embargo === 0 && typeof purge !== 'number') return [purge, purge];
  throw new MlcycleError(
    'INVALID_ARGUMENT',
    'purge and embargo must both be counts or both be durations ({ days }, { hours }, { ms })',
  );
}

/**
 * The backtest paths of combinatorial purged CV: φ = C(N, k) · k / N paths, each covering every observation exactly
 * once. Path p fills group g with the test predictions of the p-th split (in split order) whose test groups include
 * g.
 *
 * Reference: López de Prado, *Advances in Financial Machine Learning* (2018), §12.4; skfolio
 * `CombinatorialPurgedCV.get_path_ids` / `recombined_paths` (same assignment). Groups follow `np.array_split`, as in
 * {@link combinatorialPurgedSplits}; split numbers are that function's {@link Fold.index}.
 *
 * @param n - number of observations.
 * @param options - {@link CombinatorialOptions}.
 * @returns φ paths, each with N segments in time order.
 * @throws MlcycleError as {@link combinatorialPurgedSplits} for bad group counts.
 *
 * @example
 * ```ts
 * import { combinatorialPaths } from 'mlcycle';
 *
 * const paths = combinatorialPaths(12, { nGroups: 3, nTestGroups: 2 });
 * paths.length; // 2
 * paths[1]?.segments.map((s) => s.split); // [1, 2, 2]
 * ```
 */
export function combinatorialPaths(n: number, options: CombinatorialOptions): CombinatorialPath[] {
  checkGroups(n, options);
  const { nGroups, nTestGroups } = options;
  const bounds = groupBounds(n, nGroups);
  const splitsOfGroup: number[][] = Array.from({ length: nGroups }, () => []);
  combinations(nGroups, nTestGroups).forEach((groups, split) => {
    for (const g of groups) splitsOfGroup[g]?.push(split);
  });
  const pathCount = binomial(nGroups - 1, nTestGroups - 1);
  const groupIndices = Array.from({ length: nGroups }, (_, g) => {
    const start = bounds.starts[g] as number;
    const end = bounds.ends[g] as number;
    return Array.from({ length: end - start + 1 }, (_, i) => start + i);
  });
  return Array.from({ length: pathCount }, (_, index) => ({
    index,
    segments: groupIndices.map((indices, group) => ({
      group,
      split: splitsOfGroup[group]?.[index] as number,
      indices: indices.slice(),
    })),
  }));
}
