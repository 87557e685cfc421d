import { MlcycleError } from './errors.js';

/** Formats a number for an error message: enough digits to see the problem, `NaN`/`Infinity` spelled out. */
export function formatNumber(value: unknown): string {
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(10)));
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const length = (value as { length?: unknown }).length;
  return typeof length === 'number' && Number.isInteger(length) && length >= 0;
}

/**
 * Throws `INVALID_ARGUMENT` unless `values` is an array (or typed array) whose every element is a finite number.
 * The message names the first offending index and value.
 *
 * @param name - how the argument is called in the message, e.g. `"y"` or `"bars.close"`.
 */
export function assertFiniteArray(values: unknown, name: string): asserts values is ArrayLike<number> {
  if (!isArrayLike(values)) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `${name} must be an array of finite numbers, received ${typeof values}`,
    );
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `${name} must contain only finite numbers, but ${name}[${i}] is ${formatNumber(v)}`,
        { details: { name, index: i } },
      );
    }
  }
}

/** Throws `INVALID_ARGUMENT` unless `a` and `b` have the same length; the message gives both lengths. */
export function assertSameLength(
  a: ArrayLike<unknown>,
  b: ArrayLike<unknown>,
  nameA: string,
  nameB: string,
): void {
  if (a.length !== b.length) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `${nameA} and ${nameB} must have the same length, but ${nameA} has ${a.length} and ${nameB} has ${b.length}`,
      { details: { [nameA]: a.length, [nameB]: b.length } },
    );
  }
}

/**
 * Throws `INSUFFICIENT_DATA` unless `values` has at least `min` elements.
 *
 * @param what - an optional reason shown in the message, e.g. `"to fit 5 folds"`.
 */
export function assertMinLength(values: ArrayLike<unknown>, min: number, name: string, what?: string): void {
  if (values.length < min) {
    throw new MlcycleError(
      'INSUFFICIENT_DATA',
      `${name} needs at least ${min} value${min === 1 ? '' : 's'}${what ? ` ${what}` : ''}, received ${values.length}`,
      { details: { name, min, length: values.length } },
    );
  }
}

/** Options for {@link assertSortedTimestamps}. */
export interface SortedTimestampsOptions {
  /**
   * When true, equal neighbours are rejected as duplicates; when false, ties are allowed (several symbols at one
   * time).
   * @defaultValue true
   */
  strict?: boolean;
}

/**
 * Throws `INVALID_ARGUMENT` unless `timestamps` are finite epoch milliseconds in ascending order (strictly
 * ascending by default). The message names the first pair out of order, as ISO dates.
 */
export function assertSortedTimestamps(
  timestamps: ArrayLike<number>,
  name: string,
  options: SortedTimestampsOptions = {},
): void {
  const strict = options.strict ?? true;
  assertFiniteArray(timestamps, name);
  for (let i = 1; i < timestamps.length; i++) {
    const previous = timestamps[i - 1] as number;
    const current = timestamps[i] as number;
    if (current < previous || (strict && current === previous)) {
      const problem = current === previous ? 'duplicate' : 'out of order';
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `${name} must be ${strict ? 'strictly increasing' : 'non-decreasing'}, but ${name}[${i}] = ` +
          `${describeTime(current)} is ${problem} after ${name}[${i - 1}] = ${describeTime(previous)}`,
        { details: { name, index: i, problem } },
      );
    }
  }
}

function describeTime(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : `${ms} (${date.toISOString()})`;
}

/**
 * Converts a timestamp given as epoch milliseconds, a `Date`, or an ISO 8601 string to epoch milliseconds, and
 * throws `INVALID_ARGUMENT` naming `name` when it is not a valid time.
 */
export function toEpochMs(value: number | Date | string, name: string): number {
  let ms: number;
  if (typeof value === 'number') ms = value;
  else if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'string') ms = Date.parse(value);
  else ms = Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `${name} must be epoch milliseconds, a valid Date or an ISO 8601 string, received ${formatNumber(value)}`,
    );
  }
  return ms;
}
