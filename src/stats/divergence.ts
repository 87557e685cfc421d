import { z } from 'zod';
import { assertSameLength, formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { sum, toFiniteArray } from '../core/numeric.js';
import { parseOptions } from '../core/options.js';

/** Options of {@link jensenShannon} and {@link klDivergence}. */
export interface DivergenceOptions {
  /**
   * The base of the logarithm, a finite number > 1. The natural logarithm (nats) when omitted; `2` gives bits.
   * @defaultValue Math.E
   */
  base?: number;
}

const divergenceOptionsSchema = z
  .strictObject({
    base: z.number().gt(1).optional(),
  })
  .optional();

function logBaseDivisor(options: DivergenceOptions | undefined, what: string): number {
  const parsed = parseOptions(divergenceOptionsSchema, options, `${what} options`);
  return parsed?.base === undefined ? 1 : Math.log(parsed.base);
}

/**
 * Checks that `values` are finite, non-negative and not all zero, and returns them divided by their sum.
 * The one place where the divergences accept probability or count vectors.
 */
function toDistribution(values: ArrayLike<number>, name: string): Float64Array {
  const out = toFiniteArray(values, name);
  for (let i = 0; i < out.length; i++) {
    const v = out[i] as number;
    if (v < 0) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `${name} must contain only non-negative numbers, but ${name}[${i}] is ${formatNumber(v)}`,
        { details: { name, index: i } },
      );
    }
  }
  const total = sum(out);
  if (!(total > 0)) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `${name} must have a positive sum to be normalised into a distribution, but its ${out.length} entries sum to 0`,
      { details: { name } },
    );
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / total;
  return out;
}

function distributions(p: ArrayLike<number>, q: ArrayLike<number>): { p: Float64Array; q: Float64Array } {
  const pd = toDistribution(p, 'p');
  const qd = toDistribution(q, 'q');
  assertSameLength(pd, qd, 'p', 'q');
  return { p: pd, q: qd };
}

/** `x · ln(x / y)` with scipy's `rel_entr` conventions: 0 when x = 0, +Infinity when y = 0 < x. */
function relativeEntropy(x: number, y: number): number {
  if (x === 0) return 0;
  if (y === 0) return Number.POSITIVE_INFINITY;
  return x * Math.log(x / y);
}

/**
 * The Jensen–Shannon **distance** between two discrete distributions: the square root of the Jensen–Shannon
 * divergence `½·KL(p‖m) + ½·KL(q‖m)` with `m = (p + q) / 2`. Matches `scipy.spatial.distance.jensenshannon(p, q,
 * base)`.
 *
 * Conventions (scipy's): `p` and `q` are probability or count vectors and are each normalised to sum to 1 first;
 * the natural logarithm is used unless `base` is given (with `base: 2` the distance lies in [0, 1]); terms with
 * `p_i = 0` contribute 0. Identical distributions give exactly 0. Where rounding would make the divergence a
 * hair below zero, 0 is returned instead of scipy's NaN.
 *
 * @param p - non-negative weights, not all zero.
 * @param q - non-negative weights, not all zero, as many as `p`.
 * @throws `INVALID_ARGUMENT` for non-finite or negative entries, an all-zero vector, different lengths or a bad
 *   `base`; `INSUFFICIENT_DATA` for an empty vector.
 *
 * @example
 * ```ts
 * import { jensenShannon } from 'mlcycle';
 *
 * jensenShannon([1, 0, 0], [0, 1, 0]); // 0.8325546111576977 = sqrt(ln 2)
 * jensenShannon([1, 0, 0], [0, 1, 0], { base: 2 }); // 1
 * jensenShannon([10, 20, 30], [1, 2, 3]); // 0: counts are normalised
 * ```
 */
export function jensenShannon(
  p: ArrayLike<number>,
  q: ArrayLike<number>,
  options?: DivergenceOptions,
): number {
  const divisor = logBaseDivisor(options, 'jensenShannon');
  const d = distributions(p, q);
  let left = 0;
  let right = 0;
  for (let i = 0; i < d.p.length; i++) {
    const pi = d.p[i] as number;
    const qi = d.q[i] as number;
    const mi = (pi + qi) / 2;
    left += relativeEntropy(pi, mi);
    right += relativeEntropy(qi, mi);
  }
  const divergence = (left + right) / divisor / 2;
  return divergence > 0 ? Math.sqrt(divergence) : 0;
}

/**
 * The Kullback–Leibler divergence `KL(p‖q) = Σ p_i · log(p_i / q_i)` between two discrete distributions. Matches
 * `scipy.stats.entropy(p, q, base)`.
 *
 * Conventions (scipy's): both vectors are normalised to sum to 1 first; natural logarithm unless `base` is given;
 * terms with `p_i = 0` contribute 0; the result is `Infinity` when some `q_i = 0 < p_i`. It is not symmetric.
 *
 * @param p - non-negative weights, not all zero.
 * @param q - non-negative weights, not all zero, as many as `p`.
 * @throws `INVALID_ARGUMENT` for non-finite or negative entries, an all-zero vector, different lengths or a bad
 *   `base`; `INSUFFICIENT_DATA` for an empty vector.
 *
 * @example
 * ```ts
 * import { klDivergence } from 'mlcycle';
 *
 * klDivergence([0.5, 0.5], [0.9, 0.1]); // 0.5108256237659907
 * klDivergence([0.5, 0.5], [1, 0]); // Infinity
 * ```
 */
export function klDivergence(
  p: ArrayLike<number>,
  q: ArrayLike<number>,
  options?: DivergenceOptions,
): number {
  const divisor = logBaseDivisor(options, 'klDivergence');
  const d = distributions(p, q);
  let total = 0;
  for (let i = 0; i < d.p.length; i++) total += relativeEntropy(d.p[i] as number, d.q[i] as number);
  return total / divisor;
}

/**
 * The Hellinger distance between two discrete distributions, `H(p, q) = sqrt(1 − Σ sqrt(p_i · q_i))`
 * (Hellinger 1909; the definition with the 1/√2 factor, so that H lies in [0, 1]: 0 for identical distributions, 1
 * for disjoint supports).
 *
 * Both vectors are normalised to sum to 1 first. It is computed in the equal form
 * `sqrt(½ · Σ (√p_i − √q_i)²)`, which keeps its digits when the distributions are close.
 *
 * @param p - non-negative weights, not all zero.
 * @param q - non-negative weights, not all zero, as many as `p`.
 * @throws `INVALID_ARGUMENT` for non-finite or negative entries, an all-zero vector or different lengths;
 *   `INSUFFICIENT_DATA` for an empty vector.
 *
 * @example
 * ```ts
 * import { hellinger } from 'mlcycle';
 *
 * hellinger([1, 0], [0, 1]); // 1
 * hellinger([0.5, 0.5], [0.5, 0.5]); // 0
 * ```
 */
export function hellinger(p: ArrayLike<number>, q: ArrayLike<number>): number {
  const d = distributions(p, q);
  let squares = 0;
  for (let i = 0; i < d.p.length; i++) {
    const diff = Math.sqrt(d.p[i] as number) - Math.sqrt(d.q[i] as number);
    squares += diff * diff;
  }
  return Math.sqrt(squares / 2);
}
