import type { z } from 'zod';
import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';

/** Feature rows as models receive them: one array of numbers per observation, every row the same length. */
export type FeatureRows = readonly (readonly number[])[];

/**
 * The contract every model meets so that cross-validation, tuning, the registry and monitoring can use it: fit on a
 * feature matrix and a target, predict for new rows. A plain object with `fit` and `predict` qualifies, so users can
 * plug in their own models; either method may be synchronous or return a promise. Models that can be stored also
 * have `params` and `toJSON()` (see {@link SerializableModel} and {@link modelFromJSON}).
 *
 * @example
 * ```ts
 * import type { Model } from 'mlcycle';
 *
 * // Predicts the training mean: the baseline every model should beat.
 * function meanModel(): Model {
 *   let mean = 0;
 *   return {
 *     fit: (_X, y) => {
 *       mean = Array.from(y).reduce((a, b) => a + b, 0) / y.length;
 *     },
 *     predict: (X) => X.map(() => mean),
 *   };
 * }
 * ```
 */
export interface Model {
  /** Learns from rows `X` (one array of features per observation) and their targets `y`. */
  fit(X: FeatureRows, y: ArrayLike<number>): unknown;
  /** One prediction per row of `X`. */
  predict(X: FeatureRows): ArrayLike<number> | Promise<ArrayLike<number>>;
  /** For classifiers: the probability of the positive class for each row of `X`. */
  predictProba?(X: FeatureRows): ArrayLike<number> | Promise<ArrayLike<number>>;
  /** The hyperparameters the model was made with, as plain JSON. */
  readonly params?: unknown;
  /** The fitted model as plain JSON, which {@link modelFromJSON} turns back into an identical model. */
  toJSON?(): ModelJSON;
}

/**
 * A fitted model as plain JSON: what `toJSON()` returns and {@link modelFromJSON} restores. Numbers are stored as
 * JSON numbers, which round-trip doubles exactly, so a restored model predicts bit for bit what the original did.
 */
export interface ModelJSON<P = unknown, S = unknown> {
  /** The registered kind, e.g. `"ridge"`; {@link modelFromJSON} looks its restorer up by this name. */
  kind: string;
  /** The version of the kind's state layout, so that a restorer can read older layouts or refuse newer ones. */
  version: number;
  /** The hyperparameters. */
  params: P;
  /** What fitting learned (coefficients, the last training values, …). */
  state: S;
}

/** A model that knows its hyperparameters and can be stored as JSON; every built-in model is one. */
export interface SerializableModel<P = unknown, S = unknown> extends Model {
  /** The hyperparameters, with defaults applied. */
  readonly params: P;
  /** The fitted model as JSON; throws `INVALID_ARGUMENT` before `fit`. */
  toJSON(): ModelJSON<P, S>;
}

/** A {@link SerializableModel} that fits synchronously, returning itself so calls chain, and predicts a `Float64Array`. */
export interface SyncModel<P = unknown, S = unknown> extends SerializableModel<P, S> {
  /** Learns from `X` and `y` and returns the model itself. */
  fit(X: FeatureRows, y: ArrayLike<number>): this;
  /** One prediction per row of `X`. */
  predict(X: FeatureRows): Float64Array;
  /** For classifiers: the probability of the positive class for each row of `X`. */
  predictProba?(X: FeatureRows): Float64Array;
}

/** Makes a fresh, unfitted model from its parameters; cross-validation calls it once per fold. */
export type ModelFactory<P = void> = (params: P) => Model;

/** Feature rows checked and copied into one row-major `Float64Array`. */
export interface CheckedRows {
  /** Number of rows. */
  rows: number;
  /** Number of features per row. */
  cols: number;
  /** Row-major values: feature j of row i is at `i * cols + j`. */
  data: Float64Array;
}

/**
 * Checks that `X` is a non-empty array of equally long rows of finite numbers and copies it row-major. `who` starts
 * every message (e.g. `"ridge"`); `cols`, when given, is the feature count the model was fitted on. With
 * `allowMissing`, NaN passes as a missing value (infinities are still refused).
 *
 * @internal shared with the models module's model files; not part of the public surface.
 */
export function checkRows(X: unknown, who: string, cols?: number, allowMissing = false): CheckedRows {
  if (!Array.isArray(X)) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `${who}: X must be an array of feature rows, received ${typeof X}`,
    );
  }
  if (X.length === 0) {
    throw new MlcycleError('INSUFFICIENT_DATA', `${who}: X needs at least 1 row, received 0`);
  }
  const first = X[0] as unknown;
  const width = cols ?? (Array.isArray(first) || ArrayBuffer.isView(first) ? (first as number[]).length : -1);
  const data = new Float64Array(X.length * Math.max(width, 0));
  for (let i = 0; i < X.length; i++) {
    const row = X[i] as unknown;
    if (!Array.isArray(row) && !ArrayBuffer.isView(row)) {
      throw new MlcycleError('INVALID_ARGUMENT', `${who}: X[${i}] must be an array of features`);
    }
    const values = row as ArrayLike<unknown>;
    if (values.length !== width) {
      const expected = cols === undefined ? `X[0] has ${width}` : `the model was fitted on ${width}`;
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `${who}: X[${i}] has ${values.length} features but ${expected}`,
      );
    }
    for (let j = 0; j < width; j++) {
      const v = values[j];
      if (typeof v !== 'number' || !(Number.isFinite(v) || (allowMissing && Number.isNaN(v)))) {
        const expected = allowMissing ? 'finite numbers or NaN (missing)' : 'finite numbers';
        throw new MlcycleError(
          'INVALID_ARGUMENT',
          `${who}: X[${i}][${j}] is ${formatNumber(v)}; features must be ${expected}`,
        );
      }
      data[i * width + j] = v;
    }
  }
  return { rows: X.length, cols: width, data };
}

/**
 * Checks that `y` holds `rows` finite numbers (and, with `binary`, only 0 and 1) and copies it.
 *
 * @internal shared with the models module's model files; not part of the public surface.
 */
export function checkTarget(y: unknown, rows: number, who: string, binary = false): Float64Array {
  const isList = Array.isArray(y) || (ArrayBuffer.isView(y) && !(y instanceof DataView));
  if (!isList) {
    throw new MlcycleError('INVALID_ARGUMENT', `${who}: y must be an array of numbers, received ${typeof y}`);
  }
  const values = y as ArrayLike<unknown>;
  if (values.length !== rows) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `${who}: X has ${rows} rows but y has ${values.length} values`,
    );
  }
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `${who}: y[${i}] is ${formatNumber(v)}; targets must be finite numbers`,
      );
    }
    if (binary && v !== 0 && v !== 1) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `${who}: y[${i}] is ${formatNumber(v)}; labels must be 0 or 1`,
      );
    }
    out[i] = v;
  }
  return out;
}

/**
 * The error for using a model before `fit`.
 *
 * @internal shared with the models module's model files; not part of the public surface.
 */
export function notFitted(who: string, method: string): MlcycleError {
  return new MlcycleError('INVALID_ARGUMENT', `${who} is not fitted: call fit(X, y) before ${method}`);
}

/**
 * Checks a {@link ModelJSON} envelope for `kind` (its version, then params and state against their schemas) and
 * returns the parsed params and state.
 *
 * @internal shared with the models module's model files; not part of the public surface.
 */
export function readModelJSON<P extends z.ZodType, S extends z.ZodType>(
  json: ModelJSON,
  kind: string,
  version: number,
  params: P,
  state: S,
): { params: z.output<P>; state: z.output<S> } {
  if (json.kind !== kind) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `Expected a ${kind} model's JSON, received kind "${json.kind}"`,
    );
  }
  if (json.version !== version) {
    throw new MlcycleError(
      'UNSUPPORTED',
      `${kind} JSON version ${formatNumber(json.version)} is not supported (this build reads version ${version})`,
    );
  }
  return {
    params: parseOptions(params, json.params, `${kind} params`),
    state: parseOptions(state, json.state, `${kind} state`),
  };
}

/**
 * `state` as JSON will give it back (−0 becomes 0), so that a model predicts the same before and after a round trip,
 * to the bit.
 *
 * @internal shared with the models module's model files; not part of the public surface.
 */
export function asJSON<S>(state: S): S {
  return JSON.parse(JSON.stringify(state)) as S;
}
