import { z } from 'zod';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { LINEAR_STATE, type LinearModel, type LinearState, linearPredictor, solveSpd } from './linear.js';
import {
  asJSON,
  type CheckedRows,
  checkRows,
  checkTarget,
  type FeatureRows,
  type ModelJSON,
  notFitted,
  readModelJSON,
} from './model.js';

/** Parameters of {@link logisticRegression}. */
export interface LogisticRegressionParams {
  /**
   * The inverse of the L2 penalty, as scikit-learn's `C`: the fit minimises ½‖w‖² + C · Σ log-loss, with the
   * intercept unpenalised. Smaller C, stronger penalty. @defaultValue 1
   */
  C?: number;
  /** The most Newton steps before giving up (the model keeps the last iterate and says `converged: false`). @defaultValue 100 */
  maxIterations?: number;
  /** Stop when no coefficient moves by more than `tolerance · (1 + max |coefficient|)`. @defaultValue 1e-10 */
  tolerance?: number;
}

/** What fitting a {@link logisticRegression} learned, and how the solver fared. */
export interface LogisticState extends LinearState {
  /** Newton steps taken. */
  iterations: number;
  /** Whether the step size fell below the tolerance within `maxIterations`. */
  converged: boolean;
}

const finite = z.number().refine(Number.isFinite, 'Expected a finite number');
const paramsSchema = z.strictObject({
  C: finite.refine((c) => c > 0, 'Expected a number > 0').default(1),
  maxIterations: z.number().int().min(1).default(100),
  tolerance: finite.refine((t) => t > 0, 'Expected a number > 0').default(1e-10),
});
const state = LINEAR_STATE.extend({ iterations: z.number().int().min(0), converged: z.boolean() });
const VERSION = 1;

/** log(1 + eᶻ) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** The penalised objective Σ [log(1 + eᶻ) − y·z] + ‖w‖² / (2C) at intercept `beta[0]`, weights `beta[1..]`. */
function objective(X: CheckedRows, y: Float64Array, beta: Float64Array, C: number): number {
  let loss = 0;
  for (let i = 0; i < X.rows; i++) {
    let z = beta[0] as number;
    for (let j = 0; j < X.cols; j++) z += (beta[j + 1] as number) * (X.data[i * X.cols + j] as number);
    loss += softplus(z) - (y[i] as number) * z;
  }
  let penalty = 0;
  for (let j = 1; j < beta.length; j++) penalty += (beta[j] as number) ** 2;
  return loss + penalty / (2 * C);
}

/**
 * Newton's method (iteratively reweighted least squares) with a backtracking (Armijo) line search on the penalised
 * log-likelihood; the Hessian Xᵀ diag(p(1−p)) X + I/C is positive definite for any C > 0, so each step is a descent
 * direction (Hastie, Tibshirani and Friedman, *The Elements of Statistical Learning*, §4.4.1).
 */
function fitLogistic(X: CheckedRows, y: Float64Array, o: Required<LogisticRegressionParams>): LogisticState {
  const d = X.cols + 1;
  const beta = new Float64Array(d);
  const x = new Float64Array(d);
  x[0] = 1;
  let current = objective(X, y, beta, o.C);
  for (let iteration = 1; iteration <= o.maxIterations; iteration++) {
    const gradient = new Array<number>(d).fill(0);
    const hessian = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (let i = 0; i < X.rows; i++) {
      let z = beta[0] as number;
      for (let j = 0; j < X.cols; j++) {
        x[j + 1] = X.data[i * X.cols + j] as number;
        z += (beta[j + 1] as number) * (x[j + 1] as number);
      }
      const p = sigmoid(z);
      const r = p - (y[i] as number);
      const w = p * (1 - p);
      for (let j = 0; j < d; j++) {
        const xj = x[j] as number;
        gradient[j] = (gradient[j] as number) + r * xj;
        const row = hessian[j] as number[];
        for (let k = 0; k <= j; k++) row[k] = (row[k] as number) + w * xj * (x[k] as number);
      }
    }
    for (let j = 0; j < d; j++) {
      const row = hessian[j] as number[];
      if (j > 0) {
        gradient[j] = (gradient[j] as number) + (beta[j] as number) / o.C;
        row[j] = (row[j] as number) + 1 / o.C;
      }
      for (let k = 0; k < j; k++) (hessian[k] as number[])[j] = row[k] as number;
    }
    const step = solveSpd(hessian, gradient);
    if (step === null) break; // only if p(1 − p) underflows for every row; keep the last iterate
    let slope = 0;
    for (let j = 0; j < d; j++) slope += (gradient[j] as number) * (step[j] as number);
    const trial = new Float64Array(d);
    // Near the optimum the predicted decrease is below the objective's rounding, so comparing objective values
    // says nothing: take the full Newton step, which converges quadratically from there.
    const nearOptimum = slope <= 1e-12 * (1 + Math.abs(current));
    let t = 1;
    let value = current;
    for (let halvings = 0; halvings < 60; halvings++) {
      for (let j = 0; j < d; j++) trial[j] = (beta[j] as number) - t * (step[j] as number);
      value = objective(X, y, trial, o.C);
      if (nearOptimum || value <= current - 1e-4 * t * slope) break;
      t /= 2;
    }
    if (!nearOptimum && value > current) return finish(beta, iteration, true); // no descent left: optimum
    let moved = 0;
    let size = 0;
    for (let j = 0; j < d; j++) {
      moved = Math.max(moved, Math.abs((trial[j] as number) - (beta[j] as number)));
      size = Math.max(size, Math.abs(trial[j] as number));
    }
    beta.set(trial);
    current = value;
    if (moved <= o.tolerance * (1 + size)) return finish(beta, iteration, true);
  }
  return finish(beta, o.maxIterations, false);
}

function finish(beta: Float64Array, iterations: number, converged: boolean): LogisticState {
  return { coefficients: Array.from(beta.subarray(1)), intercept: beta[0] as number, iterations, converged };
}

type Params = Required<LogisticRegressionParams>;

/** A {@link logisticRegression} model: a linear model that also gives probabilities. */
export interface LogisticRegressionModel extends LinearModel<Params, LogisticState> {
  /** P(y = 1) for each row of `X`: the logistic function of the decision function. */
  predictProba(X: FeatureRows): Float64Array;
}

class LogisticRegression implements LinearModel<Params, LogisticState> {
  constructor(
    readonly params: Params,
    private state?: LogisticState,
  ) {}

  get coefficients(): LogisticState {
    return asJSON(this.fitted('reading coefficients'));
  }

  fit(X: FeatureRows, y: ArrayLike<number>): this {
    const rows = checkRows(X, 'logisticRegression');
    const labels = checkTarget(y, rows.rows, 'logisticRegression', true);
    const ones = labels.reduce((a, b) => a + b, 0);
    if (ones === 0 || ones === labels.length) {
      throw new MlcycleError(
        'INSUFFICIENT_DATA',
        `logisticRegression needs both classes in y, but every label is ${ones === 0 ? 0 : 1}`,
      );
    }
    this.state = asJSON(fitLogistic(rows, labels, this.params));
    return this;
  }

  /** The predicted class: 1 where the decision function is > 0 (probability > 0.5), as scikit-learn. */
  predict(X: FeatureRows): Float64Array {
    const z = this.decision(X, 'predict');
    return z.map((v) => (v > 0 ? 1 : 0));
  }

  predictProba(X: FeatureRows): Float64Array {
    return this.decision(X, 'predictProba').map(sigmoid);
  }

  toJSON(): ModelJSON<Params, LogisticState> {
    return asJSON({
      kind: 'logistic-regression',
      version: VERSION,
      params: this.params,
      state: this.fitted('toJSON'),
    });
  }

  private decision(X: FeatureRows, method: string): Float64Array {
    const s = this.fitted(method);
    return linearPredictor(checkRows(X, 'logisticRegression', s.coefficients.length), s);
  }

  private fitted(method: string): LogisticState {
    if (this.state === undefined) throw notFitted('logisticRegression', method);
    return this.state;
  }
}

/**
 * Binary logistic regression with an L2 penalty, fitted by Newton's method with a line search. It minimises the
 * same objective as scikit-learn's `LogisticRegression(penalty="l2", C=C)` (intercept unpenalised), so it finds the
 * same coefficients; labels must be 0 and 1. `predictProba` gives P(y = 1).
 *
 * @example
 * ```ts
 * import { logisticRegression } from 'mlcycle';
 *
 * const model = logisticRegression({ C: 0.5 });
 * model.fit(X, labels);        // labels: 0 or 1
 * model.predictProba(Xtest);   // P(label = 1) per row
 * ```
 */
export function logisticRegression(params: LogisticRegressionParams = {}): LogisticRegressionModel {
  return new LogisticRegression(parseOptions(paramsSchema, params, 'logisticRegression params'));
}

/**
 * The restorer of logistic regression, by kind.
 *
 * @internal shared with registry.ts; not part of the public surface.
 */
export const LOGISTIC_RESTORERS = {
  'logistic-regression': (json: ModelJSON) => {
    const parts = readModelJSON(json, 'logistic-regression', VERSION, paramsSchema, state);
    return new LogisticRegression(parts.params, parts.state);
  },
};
