import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { lowerBound, upperBound } from '../core/numeric.js';
import { assertSplitTimestamps, resolveSize } from './durations.js';
import type { Fold, Size, SplitInputs } from './types.js';

/** Options of {@link purgedKFoldSplits}. */
export interface PurgedKFoldOptions {
  /** Number of contiguous test blocks (folds); at least 2 and at most `n`. */
  nSplits: number;
  /**
   * Observations dropped from training right after each test block. Below 1 it is a fraction of `n`
   * (h = ⌈embargo · n⌉, López de Prado's h ≈ 0.01·T); from 1 on it is a whole count of observations. A duration
   * (`{ days }`, `{ hours }`, `{ ms }`, with `inputs.timestamps`) drops the observations stamped within that time
   * after each block's last timestamp, however irregular the spacing.
   * @defaultValue 0
   */
  embargo?: number | Exclude<Size, number>;
}

/**
 * @internal A zone of observations next to a test block: a count, or a duration resolved against timestamps per
 * block.
 */
export type Zone = number | { ms: number; timestamps: ArrayLike<number> };

/**
 * @internal Resolves a purge or embargo option to a {@link Zone}: counts stay counts (checked by `count`), durations
 * need `inputs.timestamps`.
 */
export function zoneOf(
  value: number | Exclude<Size, number> | undefined,
  name: string,
  n: number,
  inputs: SplitInputs | undefined,
  count: (value: number) => number,
): Zone {
  if (value === undefined) return 0;
  if (typeof value === 'number') return count(value);
  const timestamps = inputs?.timestamps;
  if (timestamps === undefined) {
    throw invalid(
      `${name} is a duration, so split needs inputs.timestamps (one epoch-ms timestamp per observation)`,
    );
  }
  assertSplitTimestamps(timestamps, n);
  return { ms: resolveSize(value, name, timestamps).ms as number, timestamps };
}

/** Observations of the zone just before index `start`: t[start] − ms <= t[i] < t[start] for durations. */
function zoneBefore(zone: Zone, start: number): number {
  if (typeof zone === 'number') return zone;
  return start - lowerBound(zone.timestamps, (zone.timestamps[start] as number) - zone.ms);
}

/** Observations of the zone just after index `end`: t[end] < t[i] <= t[end] + ms for durations. */
function zoneAfter(zone: Zone, end: number): number {
  if (typeof zone === 'number') return zone;
  return upperBound(zone.timestamps, (zone.timestamps[end] as number) + zone.ms) - (end + 1);
}

function invalid(message: string, details?: Record<string, unknown>): MlcycleError {
  return new MlcycleError('INVALID_ARGUMENT', message, details === undefined ? {} : { details });
}

/** @internal Throws unless `value` is an integer of at least `min`. */
export function assertIntegerAtLeast(value: number, min: number, name: string): void {
  if (!Number.isInteger(value) || value < min) {
    throw invalid(`${name} must be an integer of at least ${min}, received ${formatNumber(value)}`, {
      [name]: value,
    });
  }
}

/** @internal Throws unless `value` is a whole, non-negative count of observations. */
export function assertCount(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw invalid(
      `${name} must be a whole, non-negative number of observations, received ${formatNumber(value)}`,
      { [name]: value },
    );
  }
}

/**
 * @internal Checks `labelEnd` against `n` (one integer per observation with i <= labelEnd[i] < n) and returns it as
 * an `Int32Array`, or `undefined` when it was not given.
 */
export function checkedLabelEnd(n: number, inputs: SplitInputs | undefined): Int32Array | undefined {
  const labelEnd = inputs?.labelEnd;
  if (labelEnd === undefined) return undefined;
  if (labelEnd.length !== n) {
    throw invalid(`labelEnd must have one entry per observation (n = ${n}), received ${labelEnd.length}`, {
      n,
      length: labelEnd.length,
    });
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const end = labelEnd[i] as number;
    if (!Number.isInteger(end) || end < i || end >= n) {
      throw invalid(
        `labelEnd[${i}] must be an integer index from ${i} to ${n - 1} (i <= labelEnd[i] < n), received ${formatNumber(end)}`,
        { index: i, value: end },
      );
    }
    out[i] = end;
  }
  return out;
}

/**
 * @internal The training indices left once the test blocks, the `before` observations ahead of each block, the
 * `after` observations following it, and every observation whose label interval [i, labelEnd[i]] reaches into a
 * block are removed. `starts`/`ends` are the inclusive bounds of disjoint, non-adjacent blocks in time order.
 *
 * O(n) per call: i < t0 overlaps some block iff labelEnd[i] reaches the first test index after i, which a single
 * backward sweep carries along, so labelEnd need not be monotone.
 */
export function purgedTrainingIndices(
  n: number,
  starts: readonly number[],
  ends: readonly number[],
  before: Zone,
  after: Zone,
  labelEnd: Int32Array | undefined,
): number[] {
  // 0 = training, 1 = test, 2 = purged or embargoed
  const mark = new Uint8Array(n);
  for (let b = 0; b < starts.length; b++) {
    const start = starts[b] as number;
    const end = ends[b] as number;
    mark.fill(1, start, end + 1);
    const previousEnd = b > 0 ? (ends[b - 1] as number) : -1;
    const nextStart = b + 1 < starts.length ? (starts[b + 1] as number) : n;
    mark.fill(2, Math.max(previousEnd + 1, start - zoneBefore(before, start)), start);
    mark.fill(2, end + 1, Math.min(nextStart, end + 1 + zoneAfter(after, end)));
  }
  if (labelEnd !== undefined) {
    let nextTest = n;
    for (let i = n - 1; i >= 0; i--) {
      if (mark[i] === 1) nextTest = i;
      else if ((labelEnd[i] as number) >= nextTest) mark[i] = 2;
    }
  }
  let count = 0;
  for (let i = 0; i < n; i++) if (mark[i] === 0) count++;
  const train = new Array<number>(count);
  for (let i = 0, j = 0; i < n; i++) if (mark[i] === 0) train[j++] = i;
  return train;
}

/** @internal np.array_split bounds: `count` contiguous groups of 0 … n − 1, the first n % count one longer. */
export function groupBounds(n: number, count: number): { starts: number[]; ends: number[] } {
  const base = Math.floor(n / count);
  const extra = n % count;
  const starts: number[] = [];
  const ends: number[] = [];
  let start = 0;
  for (let g = 0; g < count; g++) {
    const size = base + (g < extra ? 1 : 0);
    starts.push(start);
    ends.push(start + size - 1);
    start += size;
  }
  return { starts, ends };
}

/** @internal The number of observations an embargo option stands for: a fraction below 1, a count from 1. */
export function embargoCount(n: number, embargo: number): number {
  if (!Number.isFinite(embargo) || embargo < 0) {
    throw invalid(
      `embargo must be a fraction of n in [0, 1) or a whole count of at least 1, received ${formatNumber(embargo)}`,
      { embargo },
    );
  }
  if (embargo >= 1) {
    if (!Number.isInteger(embargo)) {
      throw invalid(
        `embargo of 1 or more is a count of observations and must be a whole number, received ${formatNumber(embargo)}`,
        { embargo },
      );
    }
    return embargo;
  }
  const scaled = embargo * n;
  // 0.07 · 100 is 7.000000000000001 in binary; a product that is whole up to rounding is taken as whole.
  const nearest = Math.round(scaled);
  return Math.abs(scaled - nearest) <= 1e-9 * Math.max(1, scaled) ? nearest : Math.ceil(scaled);
}

/**
 * Purged k-fold cross-validation: `nSplits` contiguous test blocks; each fold trains on every other observation
 * except those whose label interval [i, labelEnd[i]] overlaps the test block [t0, t1] (i <= t1 and
 * labelEnd[i] >= t0) and the embargo, the h observations t1 + 1 … t1 + h right after the block.
 *
 * Reference: López de Prado, *Advances in Financial Machine Learning* (2018), ch. 7 (`PurgedKFold`, snippets
 * 7.1–7.3). Conventions: block sizes follow `np.array_split` (as `sklearn.model_selection.KFold` without
 * shuffling: the first n % nSplits blocks are one longer); a fractional embargo is h = ⌈embargo · n⌉; the embargo
 * applies only after a block, never before it; without `labelEnd` each label ends at its own bar, so only the
 * embargo removes anything. A fold whose training set is purged away entirely is returned with an empty `train`.
 *
 * @param n - number of observations.
 * @param options - {@link PurgedKFoldOptions}.
 * @param inputs - `labelEnd` (per observation, the last index its label looks at).
 * @returns `nSplits` folds in time order; test blocks tile 0 … n − 1.
 * @throws MlcycleError `INVALID_ARGUMENT` for a bad `nSplits`, `embargo` or `labelEnd`; `INSUFFICIENT_DATA` when
 *   `nSplits` exceeds `n`.
 *
 * @example
 * ```ts
 * import { purgedKFoldSplits } from 'mlcycle';
 *
 * // 5-bar forward returns: the label at i uses bars i … i + 5
 * const n = 100;
 * const labelEnd = Array.from({ length: n }, (_, i) => Math.min(i + 5, n - 1));
 * const folds = purgedKFoldSplits(n, { nSplits: 5, embargo: 0.01 }, { labelEnd });
 * folds[1]?.test; // [20, …, 39]
 * folds[1]?.train; // [0, …, 14, 41, …, 99]: 15–19 purged, 40 embargoed
 * ```
 */
export function purgedKFoldSplits(n: number, options: PurgedKFoldOptions, inputs?: SplitInputs): Fold[] {
  assertIntegerAtLeast(n, 1, 'n');
  const { nSplits } = options;
  assertIntegerAtLeast(nSplits, 2, 'nSplits');
  if (nSplits > n) {
    throw new MlcycleError(
      'INSUFFICIENT_DATA',
      `nSplits (${nSplits}) must not exceed the number of observations n (${n})`,
      { details: { nSplits, n } },
    );
  }
  const h = zoneOf(options.embargo, 'embargo', n, inputs, (value) => embargoCount(n, value));
  const labelEnd = checkedLabelEnd(n, inputs);
  const { starts, ends } = groupBounds(n, nSplits);
  const folds: Fold[] = [];
  for (let k = 0; k < nSplits; k++) {
    const start = starts[k] as number;
    const end = ends[k] as number;
    const test: number[] = [];
    for (let i = start; i <= end; i++) test.push(i);
    const train = purgedTrainingIndices(n, [start], [end], 0, h, labelEnd);
    folds.push({ index: k, train, test });
  }
  return folds;
}
