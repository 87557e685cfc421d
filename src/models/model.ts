/**
 * The contract every model meets so that cross-validation, tuning, the registry and monitoring can use it: fit on a
 * feature matrix and a target, predict for new rows. A plain object with `fit` and `predict` qualifies, so users can
 * plug in their own models; either method may be synchronous or return a promise.
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
  fit(X: readonly (readonly number[])[], y: ArrayLike<number>): unknown;
  /** One prediction per row of `X`. */
  predict(X: readonly (readonly number[])[]): ArrayLike<number> | Promise<ArrayLike<number>>;
  /** For classifiers: the probability of the positive class for each row of `X`. */
  predictProba?(X: readonly (readonly number[])[]): ArrayLike<number> | Promise<ArrayLike<number>>;
}

/** Makes a fresh, unfitted model from its parameters; cross-validation calls it once per fold. */
export type ModelFactory<P = void> = (params: P) => Model;
