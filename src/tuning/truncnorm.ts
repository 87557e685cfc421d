/**
 * Log-space normal tail arithmetic for the truncated normals of the Parzen estimators, as Optuna's
 * `samplers/_tpe/_truncnorm.py` computes it.
 *
 * @module
 */
import { normalCdf, normalPpf } from '../stats/distributions.js';

/** ln √(2π). @internal used by the tuning module; not part of the public surface. */
export const LOG_SQRT_2PI = Math.log(Math.sqrt(2 * Math.PI));

/** ln Φ(a), as Optuna's `_log_ndtr`: an asymptotic series below −20, where Φ underflows. */
export function logNdtr(a: number): number {
  if (a > 6) return Math.log1p(-normalCdf(-a));
  if (a > -20) return Math.log(normalCdf(a));
  // Abramowitz and Stegun 26.2.12: Φ(a) = φ(a)/(−a)·Σ (−1)^k (2k − 1)!!/a^{2k}.
  const inverseSquare = 1 / (a * a);
  let total = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= -(2 * k - 1) * inverseSquare;
    const next = total + term;
    if (Math.abs(next - total) <= Number.EPSILON) break;
    total = next;
  }
  return -0.5 * a * a - Math.log(-a) - LOG_SQRT_2PI + Math.log(total);
}

/** ln(e^p − e^q) for q <= p. */
function logDiff(p: number, q: number): number {
  return p + Math.log1p(-Math.exp(q - p));
}

/** ln(Φ(b) − Φ(a)) for a <= b, working in whichever tail keeps precision (Optuna's `_log_gauss_mass`). */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) return logDiff(logNdtr(b), logNdtr(a));
  if (a > 0) return logDiff(logNdtr(-a), logNdtr(-b));
  return Math.log1p(-normalCdf(a) - normalCdf(-b));
}

/** ln Σ exp(terms), guarded so that an all −∞ input gives −∞. */
export function logSumExp(terms: Float64Array): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const t of terms) if (t > max) max = t;
  if (max === Number.NEGATIVE_INFINITY) return max;
  let total = 0;
  for (const t of terms) total += Math.exp(t - max);
  return Math.log(total) + max;
}

/** The standard normal truncated to [a, b] at probability p, inverted in the tail away from the mass. */
export function truncatedNormalQuantile(p: number, a: number, b: number): number {
  let z: number;
  if (a < 0) {
    const lo = normalCdf(a);
    z = normalPpf(Math.min(lo + p * (normalCdf(b) - lo), 1));
  } else {
    const lo = normalCdf(-b);
    z = -normalPpf(Math.min(lo + (1 - p) * (normalCdf(-a) - lo), 1));
  }
  return Math.min(Math.max(z, a), b);
}
