import { assertSortedTimestamps, formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { lowerBound } from '../core/numeric.js';
import type { Fold, Size } from './types.js';
import type { ExpandingSplitOptions, SlidingSplitOptions } from './walk-forward.js';

const MS_PER_UNIT = { days: 86_400_000, hours: 3_600_000, ms: 1 } as const;
type Unit = keyof typeof MS_PER_UNIT;

/**
 * Reads a {@link Size}: a count of observations (a non-negative integer) or a duration (`{ days }`, `{ hours }` or
 * `{ ms }`, finite and non-negative), converted to milliseconds (a day is 86,400,000 ms, an hour 3,600,000 ms; no
 * calendar or daylight-saving adjustment). Zero is accepted here; callers that need a positive size check it.
 *
 * A duration needs timestamps to be resolved against, so it is refused when `timestamps` is undefined. The
 * timestamps themselves are not checked here (see {@link assertSplitTimestamps}).
 *
 * @param size - the size as given by the caller.
 * @param name - the option's name, used in messages (e.g. `"testSize"`).
 * @param timestamps - the series' timestamps, if the caller has them.
 * @returns `{ count }` for a count, `{ ms }` for a duration.
 * @throws MlcycleError `INVALID_ARGUMENT` when the size is malformed or a duration comes without timestamps.
 *
 * @example
 * ```ts
 * resolveSize(20, 'testSize', undefined); // { count: 20 }
 * resolveSize({ days: 5 }, 'testSize', timestamps); // { ms: 432000000 }
 * ```
 */
export function resolveSize(
  size: Size,
  name: string,
  timestamps: ArrayLike<number> | undefined,
): { count?: number; ms?: number } {
  if (typeof size === 'number') {
    if (!Number.isInteger(size) || size < 0) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `${name} must be a non-negative integer count or a duration ({ days }, { hours } or { ms }), received ${formatNumber(size)}`,
        { details: { name } },
      );
    }
    return { count: size };
  }
  if (typeof size !== 'object' || size === null || Array.isArray(size)) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `${name} must be a non-negative integer count or a duration ({ days }, { hours } or { ms }), received ${describeValue(size)}`,
      { details: { name } },
    );
  }
  const keys = Object.keys(size);
  const unit = keys[0] as Unit | undefined;
  if (keys.length !== 1 || unit === undefined || !(unit in MS_PER_UNIT)) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `${name} must be a duration with exactly one of days, hours or ms, received { ${keys.join(', ')} }`,
      { details: { name } },
    );
  }
  const amount = (size as Record<string, unknown>)[unit];
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `${name}.${unit} must be a finite non-negative number, received ${formatNumber(amount)}`,
      { details: { name } },
    );
  }
  if (timestamps === undefined) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `${name} is a duration ({ ${unit}: ${formatNumber(amount)} }) and needs inputs.timestamps, one epoch-ms time per observation`,
      { details: { name } },
    );
  }
  return { ms: amount * MS_PER_UNIT[unit] };
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? JSON.stringify(value) : typeof value;
}

/**
 * Throws `INVALID_ARGUMENT` unless `timestamps` are `n` strictly increasing finite epoch milliseconds
 * (named `inputs.timestamps` in messages).
 */
export function assertSplitTimestamps(timestamps: ArrayLike<number>, n: number): void {
  if (timestamps.length !== n) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `inputs.timestamps must have one entry per observation (n = ${n}), but has ${timestamps.length}`,
      { details: { n, length: timestamps.length } },
    );
  }
  assertSortedTimestamps(timestamps, 'inputs.timestamps');
}

/** The integers `start, start + 1, …, end − 1` as a plain array (empty when `end <= start`). */
export function indexRange(start: number, end: number): number[] {
  const length = end > start ? end - start : 0;
  const out = new Array<number>(length);
  for (let i = 0; i < length; i++) out[i] = start + i;
  return out;
}

/** A size as written by the caller: `12` or `{ days: 5 }`. */
export function describeSize(size: Size): string {
  if (typeof size === 'number') return String(size);
  const [unit, amount] = Object.entries(size)[0] as [string, number];
  return `{ ${unit}: ${formatNumber(amount)} }`;
}

/** The first and last timestamp as ISO dates, for messages. */
function spanText(timestamps: ArrayLike<number>): string {
  const iso = (ms: number) => new Date(ms).toISOString();
  return `${iso(timestamps[0] as number)} to ${iso(timestamps[timestamps.length - 1] as number)}`;
}

/** The folds of `expandingSplits` (walk-forward.ts) when sizes are durations (see its TSDoc). */
export function expandingByTime(
  n: number,
  nSplits: number,
  options: ExpandingSplitOptions,
  get: (name: string) => number | undefined,
  timestamps: ArrayLike<number>,
): Fold[] {
  const test = get('testSize');
  if (test === undefined) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      'testSize must be given as a duration when gap or maxTrainSize is a duration (its default is a count)',
    );
  }
  const gap = get('gap') ?? 0;
  const maxTrain = get('maxTrainSize') ?? Number.POSITIVE_INFINITY;
  const folds: Fold[] = [];
  if (n > 0) {
    const end = (timestamps[n - 1] as number) + 1;
    for (let k = 0; k < nSplits; k++) {
      const testStart = end - (nSplits - k) * test;
      const testEnd = end - (nSplits - k - 1) * test;
      const a = lowerBound(timestamps, testStart);
      const b = k === nSplits - 1 ? n : lowerBound(timestamps, testEnd);
      const trainEnd = lowerBound(timestamps, testStart - gap);
      const trainStart = lowerBound(timestamps, testStart - gap - maxTrain);
      if (a < b && trainStart < trainEnd) {
        folds.push({ index: folds.length, train: indexRange(trainStart, trainEnd), test: indexRange(a, b) });
      }
    }
  }
  if (folds.length === 0) {
    throw new MlcycleError(
      'INSUFFICIENT_DATA',
      `No fold fits: each of the ${nSplits} test windows of testSize = ${describeSize(options.testSize as Size)} ` +
        `with gap = ${describeSize(options.gap ?? 0)} has an empty training or test window` +
        (n > 0 ? `; the timestamps span ${spanText(timestamps)}` : '; there are no observations'),
      { details: { n, nSplits } },
    );
  }
  return folds;
}

/** The folds of `slidingSplits` (walk-forward.ts) when sizes are durations (see its TSDoc). */
export function slidingByTime(
  n: number,
  options: SlidingSplitOptions,
  sizes: { train: number; test: number; step: number; gap: number },
  timestamps: ArrayLike<number>,
): Fold[] {
  const { train, test, step, gap } = sizes;
  const reversed: Fold[] = [];
  if (n > 0) {
    const first = timestamps[0] as number;
    const end = (timestamps[n - 1] as number) + 1;
    let j = 0;
    for (;;) {
      const testEnd = end - j * step;
      const testStart = testEnd - test;
      const trainStartTime = testStart - gap - train;
      if (trainStartTime < first) break;
      const a = lowerBound(timestamps, testStart);
      const b = j === 0 ? n : lowerBound(timestamps, testEnd);
      if (a === b) {
        // Empty test window: jump to the next earlier window that reaches back to observation a − 1, if any.
        if (a === 0) break;
        const previous = timestamps[a - 1] as number;
        j = Math.max(j + 1, Math.ceil((end - test - previous) / step));
        continue;
      }
      const trainStart = lowerBound(timestamps, trainStartTime);
      const trainEnd = lowerBound(timestamps, testStart - gap);
      if (trainStart < trainEnd) {
        reversed.push({ index: 0, train: indexRange(trainStart, trainEnd), test: indexRange(a, b) });
      }
      j++;
    }
  }
  const wanted = options.nSplits ?? Math.max(reversed.length, 1);
  if (reversed.length < wanted) {
    const sizes =
      `trainSize = ${describeSize(options.trainSize)}, gap = ${describeSize(options.gap ?? 0)}, ` +
      `testSize = ${describeSize(options.testSize)} and step = ${describeSize(options.step ?? options.testSize)}`;
    const span = n > 0 ? `the timestamps span ${spanText(timestamps)}` : 'there are no observations';
    throw new MlcycleError(
      'INSUFFICIENT_DATA',
      options.nSplits === undefined
        ? `No fold fits: with ${sizes}, no window has observations in both training and test; ${span}`
        : `Too many splits: nSplits = ${wanted} with ${sizes}, but only ${reversed.length} fold${reversed.length === 1 ? '' : 's'} with observations in both training and test fit; ${span}`,
      { details: { n, fits: reversed.length, nSplits: wanted } },
    );
  }
  const folds = reversed.slice(0, wanted).reverse();
  for (let k = 0; k < folds.length; k++) (folds[k] as Fold).index = k;
  return folds;
}
