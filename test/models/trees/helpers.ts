/** Helpers shared by the tree-model tests. */
import { Random } from '../../../src/core/random.js';

/**
 * Multiclass cross-entropy as scikit-learn 1.2's `log_loss`: probabilities clipped to [eps, 1 − eps], each row
 * renormalised, mean −ln p of the true class (src/metrics' logLoss is binary only).
 */
export function multiLogLoss(
  labels: readonly number[],
  classes: readonly number[],
  probabilities: Float64Array[],
): number {
  const eps = 2.220446049250313e-16;
  let total = 0;
  probabilities.forEach((row, i) => {
    const clipped = Array.from(row, (p) => Math.min(Math.max(p, eps), 1 - eps));
    const sum = clipped.reduce((a, b) => a + b, 0);
    total -= Math.log((clipped[classes.indexOf(labels[i] as number)] as number) / sum);
  });
  return total / probabilities.length;
}

/** Rows with `cols` uniform features, and a regression target depending on features 0 and 1. */
export function smallData(rows: number, cols = 4, seed = 1) {
  const rng = new Random(seed);
  const X = Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.float()));
  const y = X.map((r) => 3 * (r[0] as number) + Math.sin(6 * (r[1] as number)) + rng.normal(0, 0.1));
  return { X, y };
}

/** The values as a plain array, so that `toEqual` compares them to the bit. */
export const bits = (values: ArrayLike<number>) => Array.from(values);
