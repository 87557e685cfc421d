import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';

/**
 * A checked series: its values as a `Float64Array` and the index of its first non-NaN value.
 *
 * @internal shared with the features module; not part of the public surface.
 */
export interface Series {
  /** The values (a copy when the input was not already a `Float64Array`). */
  values: Float64Array;
  /** Index of the first value that is not NaN (the input's own warm-up); `values.length` when all are NaN. */
  start: number;
}

function invalid(message: string, details?: Record<string, unknown>): MlcycleError {
  return new MlcycleError('INVALID_ARGUMENT', message, details === undefined ? {} : { details });
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const length = (value as { length?: unknown }).length;
  return typeof length === 'number' && Number.isInteger(length) && length >= 0;
}

function asFloat64(values: ArrayLike<unknown>): Float64Array {
  return values instanceof Float64Array ? values : Float64Array.from(values as ArrayLike<number>);
}

/**
 * Checks a series that may begin with NaN (the warm-up of the feature it was computed from) and must be finite from
 * its first number on, so that features can be chained: `rollingMean(rsi(close), 5)`.
 *
 * @internal shared with the features module; not part of the public surface.
 */
export function series(values: unknown, name: string): Series {
  if (!isArrayLike(values)) throw invalid(`${name} must be an array of numbers, received ${typeof values}`);
  let start = 0;
  while (start < values.length && Number.isNaN(values[start] as number)) start++;
  if (values instanceof Float64Array && allFinite(values, start)) return { values, start };
  for (let i = start; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw invalid(
        `${name} must be finite after its leading NaN warm-up, but ${name}[${i}] is ${formatNumber(v)}`,
        { name, index: i },
      );
    }
  }
  return { values: asFloat64(values), start };
}

/** The fast path of the checks for typed input: true when every value from `start` on is finite. */
function allFinite(values: Float64Array, start: number): boolean {
  for (let i = start; i < values.length; i++) {
    // NaN and ±Infinity both fail `v - v === 0`.
    const v = values[i] as number;
    if (v - v !== 0) return false;
  }
  return true;
}

/** True when every value is finite and positive (`positive`) or non-negative. */
function allAbove(values: Float64Array, positive: boolean): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v - v !== 0 || v < 0 || (positive && v === 0)) return false;
  }
  return true;
}

/**
 * Checks a bar column: every value a finite number, and positive when `positive` is set (prices).
 *
 * @internal shared with the features module; not part of the public surface.
 */
export function column(values: unknown, name: string, positive: boolean): Float64Array {
  if (!isArrayLike(values)) throw invalid(`${name} must be an array of numbers, received ${typeof values}`);
  if (values instanceof Float64Array && allAbove(values, positive)) return values;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const bad = typeof v !== 'number' || !Number.isFinite(v) || (positive ? v <= 0 : v < 0);
    if (bad) {
      const what = positive ? 'positive finite prices' : 'finite non-negative numbers';
      throw invalid(`${name} must contain only ${what}, but ${name}[${i}] is ${formatNumber(v)}`, {
        name,
        index: i,
      });
    }
  }
  return asFloat64(values);
}

/**
 * Checks that every named column has the length of the first.
 *
 * @internal shared with the features module; not part of the public surface.
 */
export function sameLengths(columns: Record<string, ArrayLike<number>>): number {
  const entries = Object.entries(columns);
  const [firstName, first] = entries[0] as [string, ArrayLike<number>];
  for (const [name, values] of entries) {
    if (values.length !== first.length) {
      throw invalid(
        `${firstName} and ${name} must have the same length, but ${firstName} has ${first.length} and ${name} has ${values.length}`,
      );
    }
  }
  return first.length;
}

/**
 * Checks a window length or period: an integer of at least `min`.
 *
 * @internal shared with the features module; not part of the public surface.
 */
export function windowLength(value: unknown, name: string, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw invalid(`${name} must be an integer of at least ${min}, received ${formatNumber(value)}`);
  }
  return value;
}

/**
 * A `Float64Array` of `n` NaNs, the starting point of every output (NaN until the window fills).
 *
 * @internal shared with the features module; not part of the public surface.
 */
export function nanArray(n: number): Float64Array {
  return new Float64Array(n).fill(Number.NaN);
}
