/**
 * The default meta-models of {@link StackingEnsemble}: least squares on the members' predictions (regression) and
 * L2-regularised logistic regression on their probabilities (classification). Both expose their coefficients so
 * the stack can say how much each member contributed.
 *
 * @module
 */
import { Matrix, solve } from 'ml-matrix';
import type { Model } from './model.js';

/**
 * A linear meta-model: `link(intercept + Σ_j coefficients[j] · x_j)`.
 *
 * @internal shared with ensemble-stacking.ts; not part of the public surface.
 */
export interface LinearMetaModel extends Model {
  /** `identity` for least squares, `logit` for logistic regression. */
  readonly link: 'identity' | 'logit';
  /** One coefficient per member, after `fit`. */
  coefficients: number[];
  /** The unpenalised intercept, after `fit`. */
  intercept: number;
}

function toMatrix(X: readonly (readonly number[])[]): Matrix {
  return new Matrix(X.map((row) => Array.from(row)));
}

/**
 * Ridge least squares with an unpenalised intercept: minimises `Σ (y − b − Xβ)² + alpha · ‖β‖²` on centred data
 * (scikit-learn's `Ridge(alpha, fit_intercept=True)`; `alpha = 0` is ordinary least squares, solved by SVD so that
 * perfectly correlated members get the minimum-norm solution).
 *
 * @internal shared with ensemble-stacking.ts; not part of the public surface.
 */
export function leastSquaresMeta(alpha = 0): LinearMetaModel {
  const model: LinearMetaModel = {
    link: 'identity',
    coefficients: [],
    intercept: 0,
    fit(X, y) {
      const A = toMatrix(X);
      const k = A.columns;
      const xMean = A.mean('column');
      const yValues = Array.from(y);
      const yMean = yValues.reduce((a, b) => a + b, 0) / yValues.length;
      const centred = A.clone().subRowVector(xMean);
      const gram = centred.transpose().mmul(centred).add(Matrix.eye(k, k).mul(alpha));
      const rhs = centred.transpose().mmul(Matrix.columnVector(yValues.map((v) => v - yMean)));
      const beta = solve(gram, rhs, true).getColumn(0);
      model.coefficients = beta;
      model.intercept = yMean - beta.reduce((s, b, j) => s + b * (xMean[j] as number), 0);
    },
    predict(X) {
      return X.map((row) =>
        row.reduce((s, v, j) => s + v * (model.coefficients[j] as number), model.intercept),
      );
    },
  };
  return model;
}

/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS): minimises
 * `Σ logLoss_i + (alpha / 2) · ‖β‖²` with an unpenalised intercept — scikit-learn's
 * `LogisticRegression(C = 1 / alpha)`. `predict` gives 0/1 at probability 0.5.
 *
 * @internal shared with ensemble-stacking.ts; not part of the public surface.
 */
export function logisticMeta(alpha = 1): LinearMetaModel {
  const probability = (row: readonly number[]) => {
    const z = row.reduce((s, v, j) => s + v * (model.coefficients[j] as number), model.intercept);
    return 1 / (1 + Math.exp(-z));
  };
  const model: LinearMetaModel = {
    link: 'logit',
    coefficients: [],
    intercept: 0,
    fit(X, y) {
      const k = X[0]?.length ?? 0;
      // Parameters θ = (intercept, β); each row gets a leading 1.
      let theta = new Array<number>(k + 1).fill(0);
      for (let iteration = 0; iteration < 100; iteration++) {
        const gradient = new Matrix(k + 1, 1);
        const hessian = new Matrix(k + 1, k + 1);
        X.forEach((row, i) => {
          const x = [1, ...row];
          const z = x.reduce((s, v, j) => s + v * (theta[j] as number), 0);
          const p = 1 / (1 + Math.exp(-z));
          const r = p - (y[i] as number);
          const w = Math.max(p * (1 - p), 1e-12);
          for (let a = 0; a <= k; a++) {
            gradient.set(a, 0, gradient.get(a, 0) + r * (x[a] as number));
            for (let b = 0; b <= k; b++)
              hessian.set(a, b, hessian.get(a, b) + w * (x[a] as number) * (x[b] as number));
          }
        });
        for (let a = 1; a <= k; a++) {
          gradient.set(a, 0, gradient.get(a, 0) + alpha * (theta[a] as number));
          hessian.set(a, a, hessian.get(a, a) + alpha);
        }
        const step = solve(hessian, gradient, true).getColumn(0);
        theta = theta.map((t, j) => t - (step[j] as number));
        if (Math.max(...step.map(Math.abs)) < 1e-10) break;
      }
      model.intercept = theta[0] as number;
      model.coefficients = theta.slice(1);
    },
    predict(X) {
      return X.map((row) => (probability(row) >= 0.5 ? 1 : 0));
    },
    predictProba(X) {
      return X.map(probability);
    },
  };
  return model;
}
