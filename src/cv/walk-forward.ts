import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import {
  assertSplitTimestamps,
  describeSize,
  expandingByTime,
  indexRange,
  resolveSize,
  slidingByTime,
} from './durations.js';
import type { Fold, Size, SplitInputs } from './types.js';

/** Options of {@link expandingSplits}. */
export interface ExpandingSplitOptions {
  /** Number of folds (test windows); at least 2, as in scikit-learn's `TimeSeriesSplit`. */
  nSplits: number;
  /**
   * Length of each test window.
   * @defaultValue `Math.floor(n / (nSplits + 1))` observations
   */
  testSize?: Size;
  /**
   * Observations (or time) left out between the end of training and the start of each test window.
   * @defaultValue 0
   */
  gap?: Size;
  /**
   * Largest training window; training keeps the most recent part of everything before the gap.
   * @defaultValue unlimited
   */
  maxTrainSize?: Size;
}

/** Options of {@link slidingSplits}. */
export interface SlidingSplitOptions {
  /** Length of every training window. */
  trainSize: Size;
  /** Length of every test window. */
  testSize: Size;
  /**
   * Keep only the last `nSplits` folds; refused when fewer fit.
   * @defaultValue every fold that fits
   */
  nSplits?: number;
  /**
   * How far each test window moves forward from the previous one.
   * @defaultValue `testSize` (adjacent, non-overlapping test windows)
   */
  step?: Size;
  /**
   * Observations (or time) left out between the end of training and the start of each test window.
   * @defaultValue 0
   */
  gap?: Size;
}

type Resolved = { name: string; given: Size; count?: number; ms?: number };

function assertCount(value: unknown, name: string, min: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `${name} must be an integer of at least ${min}, received ${formatNumber(value)}`,
      { details: { name } },
    );
  }
}

/**
 * Resolves every given size, refuses a mix of counts and durations (a count of 0 is allowed with durations, as a
 * zero duration) and refuses sizes below their minimum. Returns whether the sizes are durations.
 */
function resolveSizes(
  entries: [string, Size | undefined, number][],
  inputs: SplitInputs | undefined,
  n: number,
) {
  const timestamps = inputs?.timestamps;
  const resolved: Resolved[] = [];
  for (const [name, size] of entries) {
    if (size !== undefined) resolved.push({ name, given: size, ...resolveSize(size, name, timestamps) });
  }
  const duration = resolved.find((r) => r.ms !== undefined);
  const count = resolved.find((r) => r.count !== undefined && r.count !== 0);
  if (duration && count) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `sizes must be all counts or all durations, but ${duration.name} is a duration (${describeSize(duration.given)}) ` +
        `and ${count.name} is a count (${describeSize(count.given)})`,
      { details: { duration: duration.name, count: count.name } },
    );
  }
  for (const [name, , min] of entries) {
    const r = resolved.find((x) => x.name === name);
    const value = r?.ms ?? r?.count;
    if (r && value !== undefined && value < min) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `${name} must be ${duration ? 'a positive duration' : `at least ${min}`}, received ${describeSize(r.given)}`,
        { details: { name } },
      );
    }
  }
  if (duration) assertSplitTimestamps(timestamps as ArrayLike<number>, n);
  const get = (name: string): number | undefined => {
    const r = resolved.find((x) => x.name === name);
    return r?.ms ?? r?.count;
  };
  return { durations: duration !== undefined, get };
}

/**
 * Walk-forward splits with an expanding (anchored) training window: scikit-learn's
 * `TimeSeriesSplit(n_splits, max_train_size, test_size, gap)` (version 1.2). The `nSplits` test windows of
 * `testSize` observations are adjacent and the last ends at observation n − 1; each fold trains on everything before
 * its test window minus `gap` observations, capped to the most recent `maxTrainSize`.
 *
 * Counts reproduce `TimeSeriesSplit` index for index, including its refusals: `nSplits < 2`, `nSplits + 1 > n`, and
 * `n − gap − testSize · nSplits <= 0` (every training window would be empty). One difference: `maxTrainSize: 0` is
 * refused (scikit-learn reads 0 as "no cap").
 *
 * Durations (`{ days }`, `{ hours }`, `{ ms }`, all sizes durations) need `inputs.timestamps`. The test windows are
 * then the consecutive half-open intervals `[e − (nSplits − k)·test, e − (nSplits − k − 1)·test)`, k = 0 … nSplits − 1,
 * with `e = t[n − 1] + 1 ms`, so the last holds the final `test` of time including the last observation; training is
 * every observation in `[testStart − gap − maxTrainSize, testStart − gap)`. Windows are found by binary search, so
 * irregular spacing (weekends, holidays, gaps in the feed) is handled in O(nSplits · log n). **A fold whose test or
 * training window holds no observation is skipped**, and the remaining folds are numbered from 0; when none remains
 * the call is refused.
 *
 * `inputs.labelEnd` is not used here (purging is separate); `inputs.timestamps` is read only when sizes are durations.
 *
 * @param n - number of observations.
 * @returns the folds in time order; train and test indices ascending, every train index before every test index.
 * @throws MlcycleError `INVALID_ARGUMENT` for malformed or mixed sizes or bad timestamps; `INSUFFICIENT_DATA` when
 *   the series is too short for the folds, with a message naming the numbers that do not fit.
 *
 * @example
 * ```ts
 * expandingSplits(10, { nSplits: 3 });
 * // test [4,5], [6,7], [8,9]; train [0..3], [0..5], [0..7]
 * expandingSplits(10, { nSplits: 2, testSize: 3, gap: 1, maxTrainSize: 2 });
 * // fold 0: train [1,2] test [4,5,6]; fold 1: train [4,5] test [7,8,9]
 * ```
 */
export function expandingSplits(n: number, options: ExpandingSplitOptions, inputs?: SplitInputs): Fold[] {
  assertCount(n, 'n', 0);
  const nSplits = options.nSplits;
  assertCount(nSplits, 'nSplits', 2);
  const { durations, get } = resolveSizes(
    [
      ['testSize', options.testSize, 1],
      ['gap', options.gap, 0],
      ['maxTrainSize', options.maxTrainSize, 1],
    ],
    inputs,
    n,
  );
  if (durations) return expandingByTime(n, nSplits, options, get, inputs?.timestamps as ArrayLike<number>);

  if (nSplits + 1 > n) {
    throw new MlcycleError(
      'INSUFFICIENT_DATA',
      `Too many splits: nSplits = ${nSplits} needs n >= ${nSplits + 1} (nSplits + 1 folds), received n = ${n}`,
      { details: { n, nSplits } },
    );
  }
  const testSize = get('testSize') ?? Math.floor(n / (nSplits + 1));
  const gap = get('gap') ?? 0;
  const maxTrain = get('maxTrainSize');
  if (n - gap - testSize * nSplits <= 0) {
    const testText = options.testSize === undefined ? `${testSize} (n // (nSplits + 1))` : String(testSize);
    throw new MlcycleError(
      'INSUFFICIENT_DATA',
      `Too many splits: nSplits = ${nSplits} with testSize = ${testText} and gap = ${gap} needs ` +
        `n > ${gap + testSize * nSplits}, received n = ${n}`,
      { details: { n, nSplits, testSize, gap } },
    );
  }
  const folds: Fold[] = [];
  for (let k = 0; k < nSplits; k++) {
    const testStart = n - (nSplits - k) * testSize;
    const trainEnd = testStart - gap;
    const trainStart = maxTrain !== undefined && maxTrain < trainEnd ? trainEnd - maxTrain : 0;
    folds.push({
      index: k,
      train: indexRange(trainStart, trainEnd),
      test: indexRange(testStart, testStart + testSize),
    });
  }
  return folds;
}

/**
 * Walk-forward splits with a sliding (rolling) training window of fixed length. Test windows of `testSize` move
 * forward by `step`; the last ends at observation n − 1 (anchored at the end, as `TimeSeriesSplit` is), and each
 * fold trains on the `trainSize` observations that end `gap` observations before its test window. Only windows
 * whose training window fits entirely inside the series are used, so with counts every fold has exactly
 * `trainSize` training and `testSize` test observations. `nSplits`, if given, keeps the last `nSplits` folds.
 *
 * With durations (all sizes durations, `inputs.timestamps` required) the test windows are the half-open intervals
 * `[e − j·step − test, e − j·step)`, j = 0, 1, …, with `e = t[n − 1] + 1 ms`, and training is
 * `[testStart − gap − train, testStart − gap)`; a window is used while its training interval starts at or after the
 * first timestamp, and **a fold whose test or training window holds no observation is skipped**. Each window costs
 * O(log n) (binary search), so irregular timestamps cost nothing extra. `inputs.timestamps` is read only when sizes
 * are durations; `inputs.labelEnd` is not used (purging is separate).
 *
 * @param n - number of observations.
 * @returns the folds in time order, numbered from 0.
 * @throws MlcycleError `INVALID_ARGUMENT` for malformed or mixed sizes or bad timestamps; `INSUFFICIENT_DATA` when no
 *   fold (or fewer than `nSplits`) fits, with a message giving the length the sizes need.
 *
 * @example
 * ```ts
 * slidingSplits(10, { trainSize: 4, testSize: 2 });
 * // fold 0: train [0..3] test [4,5]; fold 1: train [2..5] test [6,7]; fold 2: train [4..7] test [8,9]
 * slidingSplits(10, { trainSize: 3, testSize: 2, gap: 1, nSplits: 2 });
 * // fold 0: train [2,3,4] test [6,7]; fold 1: train [4,5,6] test [8,9]
 * ```
 */
export function slidingSplits(n: number, options: SlidingSplitOptions, inputs?: SplitInputs): Fold[] {
  assertCount(n, 'n', 0);
  if (options.nSplits !== undefined) assertCount(options.nSplits, 'nSplits', 1);
  const { durations, get } = resolveSizes(
    [
      ['trainSize', options.trainSize, 1],
      ['testSize', options.testSize, 1],
      ['step', options.step, 1],
      ['gap', options.gap, 0],
    ],
    inputs,
    n,
  );
  const train = get('trainSize') as number;
  const test = get('testSize') as number;
  const step = get('step') ?? test;
  const gap = get('gap') ?? 0;
  if (durations)
    return slidingByTime(n, options, { train, test, step, gap }, inputs?.timestamps as ArrayLike<number>);

  const fits = n - test - gap - train >= 0 ? Math.floor((n - test - gap - train) / step) + 1 : 0;
  const wanted = options.nSplits ?? Math.max(fits, 1);
  if (fits < wanted) {
    const need = train + gap + test + (wanted - 1) * step;
    throw new MlcycleError(
      'INSUFFICIENT_DATA',
      options.nSplits === undefined
        ? `No fold fits: trainSize = ${train} + gap = ${gap} + testSize = ${test} needs n >= ${need}, received n = ${n}`
        : `Too many splits: nSplits = ${wanted} with trainSize = ${train}, gap = ${gap}, testSize = ${test} and ` +
            `step = ${step} needs n >= ${need} (trainSize + gap + testSize + (nSplits - 1) * step), received n = ${n}`,
      { details: { n, fits, nSplits: wanted } },
    );
  }
  const folds: Fold[] = [];
  for (let k = 0; k < wanted; k++) {
    const testStart = n - test - (wanted - 1 - k) * step;
    const trainEnd = testStart - gap;
    folds.push({
      index: k,
      train: indexRange(trainEnd - train, trainEnd),
      test: indexRange(testStart, testStart + test),
    });
  }
  return folds;
}
