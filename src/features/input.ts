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
  const known = trusted?.get(values as Float64Array);
  if (known !== undefined) return { values: values as Float64Array, start: known.start };
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
  const known = trusted?.get(values as Float64Array);
  if (known !== undefined && known.start === 0 && known.floor >= (positive ? 1 : 0))
    return values as Float64Array;
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
 * A `Float64Array` of `n` values whose first `warmUp` are NaN, the starting point of every output (NaN until the
 * window fills). Only the warm-up is filled: callers pass a shorter `warmUp` only when they write every value after
 * it, which saves a pass over a million-bar output.
 *
 * @internal shared with the features module; not part of the public surface.
 */
export function nanArray(n: number, warmUp = n): Float64Array {
  const out = new Float64Array(n);
  if (warmUp > 0) out.fill(Number.NaN, 0, Math.min(warmUp, n));
  return out;
}

/**
 * What a pipeline already knows of one of its arrays: the index of its first number (finite from there on), and
 * `floor` 1 when every value is positive, 0 when non-negative, −1 otherwise.
 *
 * @internal shared with the features module's pipeline; not part of the public surface.
 */
export interface Checked {
  /** Index of the first number; every value from there on is finite. */
  start: number;
  /** 1: every value positive; 0: every value non-negative; −1: unknown. */
  floor: 1 | 0 | -1;
}

/** The arrays vouched for by {@link withChecked} while it runs; undefined otherwise (every input is checked). */
let trusted: Map<Float64Array, Checked> | undefined;

/** Intermediate results shared by the steps of the running {@link withChecked}, by {@link shared}'s key. */
let sharedResults: Map<string, unknown> | undefined;

/** A number per array, for {@link shared}'s keys. */
const arrayIds = new WeakMap<object, number>();
let nextArrayId = 0;

function arrayId(values: object): number {
  let id = arrayIds.get(values);
  if (id === undefined) {
    id = nextArrayId++;
    arrayIds.set(values, id);
  }
  return id;
}

/**
 * `compute()`, computed once per pipeline run for the same `name` and `parts` (arrays by identity, numbers by value)
 * while {@link withChecked} runs, and every time otherwise: the stochastic and Williams %R of one pipeline share
 * one channel of highs and lows. The result must not be changed by its users.
 *
 * @internal shared with the features module; not part of the public surface.
 */
export function shared<T>(name: string, parts: readonly (Float64Array | number)[], compute: () => T): T {
  if (sharedResults === undefined) return compute();
  const key = `${name}:${parts.map((p) => (typeof p === 'number' ? String(p) : `#${arrayId(p)}`)).join(',')}`;
  if (sharedResults.has(key)) return sharedResults.get(key) as T;
  const result = compute();
  sharedResults.set(key, result);
  return result;
}

/**
 * Runs `fn` with `known`'s arrays vouched for, so that {@link series} and {@link column} skip re-checking them: a
 * pipeline checks each bar column once and each step's output once, and its later steps read them many times. The
 * pipeline owns these arrays while `fn` runs (nothing else can change them); outside of it every input is checked.
 *
 * @internal shared with the features module's pipeline; not part of the public surface.
 */
export function withChecked<T>(known: Map<Float64Array, Checked>, fn: () => T): T {
  const previous = trusted;
  const previousShared = sharedResults;
  trusted = known;
  sharedResults = new Map();
  try {
    return fn();
  } finally {
    trusted = previous;
    sharedResults = previousShared;
  }
}

/**
 * The index of the first number of `values` when it is vouched for by the running {@link withChecked}, so that its
 * caller can skip its own checks; undefined otherwise.
 *
 * @internal shared with the features module; not part of the public surface.
 */
export function vouchedStart(values: unknown): number | undefined {
  return trusted?.get(values as Float64Array)?.start;
}

/**
 * The index of the first number of `values` and the index of the first non-finite value after it (−1 when none):
 * the one pass that both {@link series}' check and the pipeline's final check need.
 *
 * @internal shared with the features module's pipeline; not part of the public surface.
 */
export function firstNumberAndBad(values: Float64Array): { start: number; bad: number } {
  const n = values.length;
  let start = 0;
  while (start < n && Number.isNaN(values[start] as number)) start++;
  for (let t = start; t < n; t++) {
    const v = values[t] as number;
    // NaN and ±Infinity both fail `v - v === 0`.
    if (v - v !== 0) return { start, bad: t };
  }
  return { start, bad: -1 };
}
