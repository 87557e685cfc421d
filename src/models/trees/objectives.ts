import { median } from '../../core/numeric.js';

/** The losses {@link GradientBoosting} minimises. */
export type BoostingObjective = 'squared' | 'absolute' | 'huber' | 'logistic' | 'softmax';

/**
 * A boosting loss on margins (raw scores): its gradients and hessians, its best constant start, what a margin means
 * to the user, and the validation loss that early stopping watches. `outputs` margins per row (classes for softmax).
 */
export interface Loss {
  /** Margins per row. */
  outputs: number;
  /** The constant margins that minimise the loss on `y` (or the user's start, already in the target's space). */
  start(y: Float64Array, given: number | undefined): Float64Array;
  /** Writes gradient and hessian of output `k` for each of `rows` into `grad[row]`, `hess[row]`. */
  gradients(
    y: Float64Array,
    margin: Float64Array,
    k: number,
    rows: Uint32Array,
    grad: Float64Array,
    hess: Float64Array,
  ): void;
  /** The mean loss of margins `margin` on `y`, as early stopping measures it. */
  loss(y: Float64Array, margin: Float64Array): number;
}

/** XGBoost's floor on a hessian, so that a leaf never divides by zero. */
const MIN_HESSIAN = 1e-16;

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** The loss for `objective`; `classes` for softmax, `delta` the pseudo-Huber slope. */
export function lossOf(objective: BoostingObjective, classes: number, delta: number): Loss {
  switch (objective) {
    case 'squared':
      return {
        outputs: 1,
        start: (y, given) => Float64Array.of(given ?? y.reduce((a, b) => a + b, 0) / y.length),
        gradients: (y, margin, _k, rows, grad, hess) => {
          for (let i = 0; i < rows.length; i++) {
            const r = rows[i] as number;
            grad[r] = (margin[r] as number) - (y[r] as number);
            hess[r] = 1;
          }
        },
        loss: (y, margin) => {
          let total = 0;
          for (let i = 0; i < y.length; i++) total += ((margin[i] as number) - (y[i] as number)) ** 2;
          return Math.sqrt(total / y.length);
        },
      };
    case 'absolute':
      return {
        outputs: 1,
        start: (y, given) => Float64Array.of(given ?? median(y)),
        gradients: (y, margin, _k, rows, grad, hess) => {
          for (let i = 0; i < rows.length; i++) {
            const r = rows[i] as number;
            grad[r] = Math.sign((margin[r] as number) - (y[r] as number));
            hess[r] = 1;
          }
        },
        loss: (y, margin) => {
          let total = 0;
          for (let i = 0; i < y.length; i++) total += Math.abs((margin[i] as number) - (y[i] as number));
          return total / y.length;
        },
      };
    case 'huber':
      return {
        outputs: 1,
        start: (y, given) => Float64Array.of(given ?? median(y)),
        gradients: (y, margin, _k, rows, grad, hess) => {
          for (let i = 0; i < rows.length; i++) {
            const r = rows[i] as number;
            const z = ((margin[r] as number) - (y[r] as number)) / delta;
            const scale = Math.sqrt(1 + z * z);
            grad[r] = (delta * z) / scale;
            hess[r] = 1 / (scale * scale * scale);
          }
        },
        loss: (y, margin) => {
          let total = 0;
          for (let i = 0; i < y.length; i++) {
            const z = ((margin[i] as number) - (y[i] as number)) / delta;
            total += delta * delta * (Math.sqrt(1 + z * z) - 1);
          }
          return total / y.length;
        },
      };
    case 'logistic':
      return {
        outputs: 1,
        start: (y, given) => {
          const p = given ?? y.reduce((a, b) => a + b, 0) / y.length;
          return Float64Array.of(Math.log(p / (1 - p)));
        },
        gradients: (y, margin, _k, rows, grad, hess) => {
          for (let i = 0; i < rows.length; i++) {
            const r = rows[i] as number;
            const p = sigmoid(margin[r] as number);
            grad[r] = p - (y[r] as number);
            hess[r] = Math.max(p * (1 - p), MIN_HESSIAN);
          }
        },
        loss: (y, margin) => {
          let total = 0;
          for (let i = 0; i < y.length; i++) {
            const z = margin[i] as number;
            // log(1 + e^z) − y·z, without overflow
            total += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - (y[i] as number) * z;
          }
          return total / y.length;
        },
      };
    case 'softmax':
      return {
        outputs: classes,
        start: (y) => {
          const counts = new Float64Array(classes);
          for (const c of y) counts[c] = (counts[c] as number) + 1;
          return counts.map((n) => Math.log(Math.max(n, 1) / y.length));
        },
        gradients: (y, margin, k, rows, grad, hess) => {
          const p = new Float64Array(classes);
          for (let i = 0; i < rows.length; i++) {
            const r = rows[i] as number;
            softmaxRow(margin, r, classes, p);
            const pk = p[k] as number;
            grad[r] = pk - (y[r] === k ? 1 : 0);
            // XGBoost's multi:softprob hessian, 2·p·(1 − p): a diagonal bound on the softmax Hessian.
            hess[r] = Math.max(2 * pk * (1 - pk), MIN_HESSIAN);
          }
        },
        loss: (y, margin) => {
          const p = new Float64Array(classes);
          let total = 0;
          for (let i = 0; i < y.length; i++) {
            softmaxRow(margin, i, classes, p);
            total -= Math.log(Math.max(p[y[i] as number] as number, 1e-300));
          }
          return total / y.length;
        },
      };
  }
}

/** Softmax of row `row`'s `k` margins into `out`, shifted by their maximum so that nothing overflows. */
export function softmaxRow(margin: Float64Array, row: number, k: number, out: Float64Array): void {
  let most = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < k; c++) most = Math.max(most, margin[row * k + c] as number);
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const e = Math.exp((margin[row * k + c] as number) - most);
    out[c] = e;
    sum += e;
  }
  for (let c = 0; c < k; c++) out[c] = (out[c] as number) / sum;
}

export { sigmoid };
