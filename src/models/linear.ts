import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { z } from 'zod';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import {
  asJSON,
  type CheckedRows,
  checkRows,
  checkTarget,
  type FeatureRows,
  type ModelJSON,
  notFitted,
  readModelJSON,
  type SyncModel,
} from './model.js';

/** What a fitted linear model learned: prediction = intercept + Σ coefficients[j] · x[j], on the raw inputs. */
export interface LinearState {
  /** One weight per feature, on the scale of the raw (unstandardised) features. */
  coefficients: number[];
  /** The unpenalised intercept. */
  intercept: number;
}

/** A fitted or unfitted linear model with its coefficients readable. */
export interface LinearModel<P, S extends LinearState = LinearState> extends SyncModel<P, S> {
  /** The coefficients and intercept on the raw feature scale; throws `INVALID_ARGUMENT` before `fit`. */
  readonly coefficients: S;
}

/**
 * Solves the symmetric positive definite system `A x = b` by Cholesky (ml-matrix); `null` when `A` is not positive
 * definite.
 *
 * @internal shared with logistic.ts; not part of the public surface.
 */
export function solveSpd(A: number[][], b: number[]): number[] | null {
  const cholesky = new CholeskyDecomposition(new Matrix(A));
  if (!cholesky.isPositiveDefinite()) return null;
  return cholesky.solve(Matrix.columnVector(b)).getColumn(0);
}

/**
 * `intercept + X · coefficients` for checked rows.
 *
 * @internal shared with logistic.ts; not part of the public surface.
 */
export function linearPredictor(X: CheckedRows, state: LinearState): Float64Array {
  const out = new Float64Array(X.rows);
  const w = state.coefficients;
  for (let i = 0; i < X.rows; i++) {
    let z = state.intercept;
    for (let j = 0; j < X.cols; j++) z += (w[j] as number) * (X.data[i * X.cols + j] as number);
    out[i] = z;
  }
  return out;
}

/**
 * The column means and, with `standardize`, population standard deviations (ddof = 0, as scikit-learn's
 * `StandardScaler`; a constant column gets scale 1).
 */
function centreAndScale(X: CheckedRows, standardize: boolean): { means: Float64Array; scales: Float64Array } {
  const means = new Float64Array(X.cols);
  const scales = new Float64Array(X.cols).fill(1);
  for (let j = 0; j < X.cols; j++) {
    let s = 0;
    for (let i = 0; i < X.rows; i++) s += X.data[i * X.cols + j] as number;
    const m = s / X.rows;
    means[j] = m;
    if (standardize) {
      let ss = 0;
      for (let i = 0; i < X.rows; i++) ss += ((X.data[i * X.cols + j] as number) - m) ** 2;
      const sd = Math.sqrt(ss / X.rows);
      if (sd > 0) scales[j] = sd;
    }
  }
  return { means, scales };
}

/** Parameters of {@link ridge}. */
export interface RidgeParams {
  /** The L2 penalty α on the coefficients (not on the intercept), as scikit-learn's `alpha`. @defaultValue 1 */
  alpha?: number;
  /**
   * Standardise each feature (mean 0, population standard deviation 1) before penalising, as a scikit-learn
   * `StandardScaler` + `Ridge` pipeline, so that α treats all features alike; `false` penalises the raw
   * coefficients, as `Ridge` alone. @defaultValue true
   */
  standardize?: boolean;
}

const ridgeParams = z.strictObject({
  alpha: z.number().min(0).refine(Number.isFinite, 'Expected a finite number').default(1),
  standardize: z.boolean().default(true),
});
const finite = z.number().refine(Number.isFinite, 'Expected a finite number');
const linearState = z.strictObject({ coefficients: z.array(finite), intercept: finite });
const RIDGE_VERSION = 1;

function fitRidge(X: CheckedRows, y: Float64Array, params: Required<RidgeParams>): LinearState {
  const { means, scales } = centreAndScale(X, params.standardize);
  const p = X.cols;
  const yMean = y.reduce((a, b) => a + b, 0) / y.length;
  // Normal equations on centred (and scaled) inputs: the intercept then drops out and stays unpenalised.
  const A = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const b = new Array<number>(p).fill(0);
  const z = new Float64Array(p);
  for (let i = 0; i < X.rows; i++) {
    for (let j = 0; j < p; j++)
      z[j] = ((X.data[i * p + j] as number) - (means[j] as number)) / (scales[j] as number);
    const r = (y[i] as number) - yMean;
    for (let j = 0; j < p; j++) {
      const zj = z[j] as number;
      b[j] = (b[j] as number) + zj * r;
      const row = A[j] as number[];
      for (let k = 0; k <= j; k++) row[k] = (row[k] as number) + zj * (z[k] as number);
    }
  }
  for (let j = 0; j < p; j++) {
    const row = A[j] as number[];
    row[j] = (row[j] as number) + params.alpha;
    for (let k = 0; k < j; k++) (A[k] as number[])[j] = row[k] as number;
  }
  const w = p === 0 ? [] : solveSpd(A, b);
  if (w === null) {
    throw new MlcycleError(
      'INSUFFICIENT_DATA',
      "ridge: X'X is singular (collinear or constant features); use alpha > 0",
    );
  }
  const coefficients = w.map((wj, j) => wj / (scales[j] as number));
  let intercept = yMean;
  for (let j = 0; j < p; j++) intercept -= (coefficients[j] as number) * (means[j] as number);
  return { coefficients, intercept };
}

class Ridge implements LinearModel<Required<RidgeParams>> {
  constructor(
    readonly params: Required<RidgeParams>,
    private state?: LinearState,
  ) {}

  get coefficients(): LinearState {
    if (this.state === undefined) throw notFitted('ridge', 'reading coefficients');
    return asJSON(this.state);
  }

  fit(X: FeatureRows, y: ArrayLike<number>): this {
    const rows = checkRows(X, 'ridge');
    this.state = asJSON(fitRidge(rows, checkTarget(y, rows.rows, 'ridge'), this.params));
    return this;
  }

  predict(X: FeatureRows): Float64Array {
    if (this.state === undefined) throw notFitted('ridge', 'predict');
    return linearPredictor(checkRows(X, 'ridge', this.state.coefficients.length), this.state);
  }

  toJSON(): ModelJSON<Required<RidgeParams>, LinearState> {
    if (this.state === undefined) throw notFitted('ridge', 'toJSON');
    return asJSON({ kind: 'ridge', version: RIDGE_VERSION, params: this.params, state: this.state });
  }
}

/**
 * Ridge regression: least squares with an L2 penalty α‖w‖² on the coefficients and an unpenalised intercept,
 * solved in closed form (Cholesky on the normal equations of the centred inputs). With `standardize: true` (the
 * default) it equals scikit-learn's `make_pipeline(StandardScaler(), Ridge(alpha))`; with `false`, `Ridge(alpha)`.
 * Coefficients are always reported on the raw feature scale.
 *
 * @example
 * ```ts
 * import { ridge } from 'mlcycle';
 *
 * const model = ridge({ alpha: 10 });
 * model.fit(X, y);
 * model.predict(Xtest);
 * model.coefficients; // { coefficients: [...], intercept }
 * ```
 */
export function ridge(params: RidgeParams = {}): LinearModel<Required<RidgeParams>> {
  return new Ridge(parseOptions(ridgeParams, params, 'ridge params'));
}

/**
 * The restorers of the linear models, by kind.
 *
 * @internal shared with registry.ts; not part of the public surface.
 */
export const LINEAR_RESTORERS = {
  ridge: (json: ModelJSON) => {
    const parts = readModelJSON(json, 'ridge', RIDGE_VERSION, ridgeParams, linearState);
    return new Ridge(parts.params, parts.state);
  },
};

/**
 * The zod schema of {@link LinearState}.
 *
 * @internal shared with logistic.ts; not part of the public surface.
 */
export const LINEAR_STATE = linearState;
