/**
 * Blend weights on the probability simplex: non-negative weights summing to one that minimise a loss of the weighted
 * average of members' predictions, found by projected gradient descent.
 *
 * @module
 */
import { z } from 'zod';
import { assertFiniteArray, assertMinLength, assertSameLength, formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';

/** A built-in loss that blend weights can minimise; `logLoss` and `brierScore` expect probabilities and 0/1 targets. */
export type BlendLossName = 'mse' | 'mae' | 'logLoss' | 'brierScore';

/** A loss of your own: `fn(yTrue, yPred)`, lower is better; its gradient is taken by central differences. */
export interface CustomBlendLoss {
  /** How the loss is called in results. */
  name: string;
  /** Computes the loss of a blended prediction. */
  fn: (yTrue: ArrayLike<number>, yPred: ArrayLike<number>) => number;
}

/** The loss blend weights minimise: a built-in name or `{ name, fn }`. */
export type BlendLoss = BlendLossName | CustomBlendLoss;

/** Options for {@link fitBlendWeights}. */
export interface FitBlendWeightsOptions {
  /** The loss to minimise. @defaultValue 'mse' */
  loss?: BlendLoss;
  /** The most gradient steps to take (per smoothing stage for `mae`). @defaultValue 5000 */
  maxIterations?: number;
  /** Stop when no weight moves by more than this in a step. @defaultValue 1e-10 */
  tolerance?: number;
}

/** What {@link fitBlendWeights} returns: plain JSON. */
export interface BlendWeights {
  /** One weight per member, non-negative, summing to one. */
  weights: number[];
  /** The loss at those weights. */
  loss: number;
  /** Gradient steps taken. */
  iterations: number;
  /** Whether the steps became smaller than `tolerance` before `maxIterations` ran out. */
  converged: boolean;
}

const LOSS_NAMES = ['mse', 'mae', 'logLoss', 'brierScore'] as const;
// Probabilities are clipped to [EPS, 1 − EPS] inside the log loss, as scikit-learn's log_loss for float64.
const EPS = 2.220446049250313e-16;

/** @internal shared with ensemble.ts and ensemble-stacking.ts; not part of the public surface. */
export const blendLossSchema = z.union([
  z.enum(LOSS_NAMES),
  z.strictObject({
    name: z.string().min(1),
    fn: z.custom<CustomBlendLoss['fn']>((f) => typeof f === 'function'),
  }),
]);

const optionsSchema = z
  .strictObject({
    loss: blendLossSchema.default('mse'),
    maxIterations: z.number().int().min(1).default(5000),
    tolerance: z.number().positive().default(1e-10),
  })
  .default({ loss: 'mse', maxIterations: 5000, tolerance: 1e-10 });

/**
 * The Euclidean projection of `v` onto the probability simplex {w : w ≥ 0, Σw = 1}, by sorting (Held, Wolfe and
 * Crowder 1974; Duchi et al., "Efficient projections onto the l1-ball", ICML 2008, fig. 1).
 *
 * @internal shared with ensemble-dynamic.ts; not part of the public surface.
 */
export function projectOntoSimplex(v: ArrayLike<number>): Float64Array {
  const sorted = Float64Array.from(v).sort().reverse();
  let cumulative = 0;
  let theta = 0;
  for (let i = 0; i < sorted.length; i++) {
    cumulative += sorted[i] as number;
    const candidate = (cumulative - 1) / (i + 1);
    if ((sorted[i] as number) - candidate > 0) theta = candidate;
  }
  return Float64Array.from(v, (x) => Math.max(x - theta, 0));
}

/**
 * Loss and gradient (with respect to the blended prediction, per row) of a built-in loss. With `smoothing` δ > 0
 * the absolute error becomes the pseudo-Huber loss √(r² + δ²) − δ, smooth and within δ of |r|.
 */
function pointwise(name: BlendLossName, y: number, p: number, smoothing: number): [number, number] {
  switch (name) {
    case 'mse':
    case 'brierScore':
      return [(p - y) * (p - y), 2 * (p - y)];
    case 'mae': {
      if (smoothing === 0) return [Math.abs(p - y), Math.sign(p - y)];
      const root = Math.hypot(p - y, smoothing);
      return [root - smoothing, (p - y) / root];
    }
    case 'logLoss': {
      const q = Math.min(Math.max(p, EPS), 1 - EPS);
      return [-(y * Math.log(q) + (1 - y) * Math.log(1 - q)), -y / q + (1 - y) / (1 - q)];
    }
  }
}

/** Checks targets the probability losses need: 0 or 1 each. */
function assertBinary(y: Float64Array): void {
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 0 && y[i] !== 1) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `logLoss and brierScore need targets of 0 or 1, but y[${i}] is ${formatNumber(y[i])}`,
      );
    }
  }
}

/** The objective f(w) and its gradient ∇f(w), closed over the members' predictions. */
type Objective = (w: Float64Array, gradient: Float64Array | null) => number;

function objectiveFor(loss: BlendLoss, columns: Float64Array[], y: Float64Array, smoothing = 0): Objective {
  const n = y.length;
  const k = columns.length;
  const blended = new Float64Array(n);
  const blend = (w: Float64Array) => {
    blended.fill(0);
    for (let j = 0; j < k; j++) {
      const column = columns[j] as Float64Array;
      const wj = w[j] as number;
      for (let i = 0; i < n; i++) blended[i] = (blended[i] as number) + wj * (column[i] as number);
    }
  };
  if (typeof loss === 'string') {
    return (w, gradient) => {
      blend(w);
      let total = 0;
      gradient?.fill(0);
      for (let i = 0; i < n; i++) {
        const [value, slope] = pointwise(loss, y[i] as number, blended[i] as number, smoothing);
        total += value;
        if (gradient === null) continue;
        for (let j = 0; j < k; j++) {
          gradient[j] = (gradient[j] as number) + (slope * ((columns[j] as Float64Array)[i] as number)) / n;
        }
      }
      return total / n;
    };
  }
  const evaluate = (w: Float64Array) => {
    blend(w);
    const value = loss.fn(y, blended);
    if (!Number.isFinite(value)) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `The custom loss ${JSON.stringify(loss.name)} returned ${formatNumber(value)}; it must return a finite number`,
      );
    }
    return value;
  };
  return (w, gradient) => {
    const value = evaluate(w);
    if (gradient !== null) {
      // Central differences; weights may step slightly off the simplex, which a loss of a blend tolerates.
      const h = 1e-6;
      const probe = Float64Array.from(w);
      for (let j = 0; j < k; j++) {
        probe[j] = (w[j] as number) + h;
        const up = evaluate(probe);
        probe[j] = (w[j] as number) - h;
        const down = evaluate(probe);
        probe[j] = w[j] as number;
        gradient[j] = (up - down) / (2 * h);
      }
    }
    return value;
  };
}

/**
 * Non-negative weights summing to one that minimise `loss(y, Σ_j w_j · predictions[j])`: the convex blend of
 * members' (out-of-fold) predictions with the lowest loss, as in Caruana et al.'s ensemble selection and
 * `scipy.optimize.minimize(method='SLSQP')` with the constraints w ≥ 0, Σw = 1 used for it in Python.
 *
 * The solver is projected gradient descent with an Armijo backtracking step (Bertsekas, *Nonlinear Programming*,
 * 2nd ed., §2.3), starting from equal weights; each step is projected back onto the simplex
 * (Duchi et al.'s sort-based projection). It is deterministic: the same inputs give the same weights. `mse`, `brierScore`
 * and `logLoss` are smooth and convex in w, so the steps converge to the global minimum. `mae` is convex but not
 * smooth (its minimum sits at a kink, where gradient steps stall), so it is minimised through the pseudo-Huber loss
 * √(r² + δ²) − δ with δ shrinking tenfold per stage from a tenth of the equal-weight blend's mean absolute error
 * to a hundred-millionth of it, each stage starting from the last (a smoothing continuation; Nesterov, "Smooth
 * minimization of non-smooth functions", 2005); `maxIterations` applies per stage and the reported loss is the
 * exact mean absolute error. A custom loss gets central-difference gradients.
 *
 * @param predictions - one array per member, each with one prediction per row (probabilities for `logLoss`).
 * @param y - the true target of each row (0 or 1 for `logLoss` and `brierScore`).
 * @throws `INVALID_ARGUMENT` for non-finite values, arrays of different lengths, non-binary targets for a
 * probability loss, or bad options; `INSUFFICIENT_DATA` without members or rows.
 *
 * @example
 * ```ts
 * import { fitBlendWeights } from 'mlcycle';
 *
 * const y = [1, 2, 3, 4];
 * const a = [1.2, 2.2, 3.2, 4.2]; // biased up
 * const b = [0.8, 1.8, 2.8, 3.8]; // biased down
 * fitBlendWeights([a, b], y, { loss: 'mse' }).weights; // [0.5, 0.5]: the biases cancel
 * ```
 */
export function fitBlendWeights(
  predictions: readonly ArrayLike<number>[],
  y: ArrayLike<number>,
  options?: FitBlendWeightsOptions,
): BlendWeights {
  const { loss, maxIterations, tolerance } = parseOptions(optionsSchema, options, 'fitBlendWeights options');
  if (!Array.isArray(predictions)) {
    throw new MlcycleError('INVALID_ARGUMENT', 'predictions must be an array with one array per member');
  }
  assertMinLength(predictions, 1, 'predictions', '(one array per member)');
  assertFiniteArray(y, 'y');
  assertMinLength(y, 1, 'y');
  const target = Float64Array.from(y);
  const columns = predictions.map((column, j) => {
    assertFiniteArray(column, `predictions[${j}]`);
    assertSameLength(column, target, `predictions[${j}]`, 'y');
    return Float64Array.from(column);
  });
  if (loss === 'logLoss' || loss === 'brierScore') assertBinary(target);
  const k = columns.length;
  const equal = new Float64Array(k).fill(1 / k);
  const settings = { maxIterations, tolerance };
  if (loss !== 'mae')
    return minimiseOnSimplex(objectiveFor(loss as BlendLoss, columns, target), equal, settings);
  const exact = objectiveFor('mae', columns, target);
  const scale = exact(equal, null) || 1;
  let result: BlendWeights | undefined;
  let iterations = 0;
  for (let stage = 1; stage <= 8; stage++) {
    const start = result === undefined ? equal : Float64Array.from(result.weights);
    result = minimiseOnSimplex(objectiveFor('mae', columns, target, scale * 10 ** -stage), start, settings);
    iterations += result.iterations;
  }
  const weights = Float64Array.from((result as BlendWeights).weights);
  return { ...(result as BlendWeights), loss: exact(weights, null), iterations };
}

function minimiseOnSimplex(
  f: Objective,
  start: Float64Array,
  { maxIterations, tolerance }: { maxIterations: number; tolerance: number },
): BlendWeights {
  const k = start.length;
  let w: Float64Array = Float64Array.from(start);
  const gradient = new Float64Array(k);
  let value = f(w, gradient);
  let step = 1;
  let iterations = 0;
  let converged = k === 1;
  while (!converged && iterations < maxIterations) {
    iterations++;
    let accepted: Float64Array | null = null;
    // Backtrack along the projection arc until the Armijo condition f(w⁺) ≤ f(w) + σ ∇f·(w⁺ − w) holds.
    for (let tries = 0; tries < 60; tries++) {
      const candidate = projectOntoSimplex(w.map((wj, j) => wj - step * (gradient[j] as number)));
      let descent = 0;
      for (let j = 0; j < k; j++)
        descent += (gradient[j] as number) * ((candidate[j] as number) - (w[j] as number));
      const candidateValue = f(candidate, null);
      if (candidateValue <= value + 1e-4 * descent) {
        accepted = candidate;
        break;
      }
      step /= 2;
    }
    if (accepted === null) {
      converged = true; // no descent left along the projected (sub)gradient
      break;
    }
    let moved = 0;
    for (let j = 0; j < k; j++) moved = Math.max(moved, Math.abs((accepted[j] as number) - (w[j] as number)));
    w = accepted;
    value = f(w, gradient);
    step *= 2; // let the step grow back after a run of short ones
    if (moved <= tolerance) converged = true;
  }
  return { weights: Array.from(w), loss: value, iterations, converged };
}
