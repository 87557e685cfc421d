import { z } from 'zod';
import { rankAverage, toFiniteArray } from '../core/numeric.js';
import { parseOptions } from '../core/options.js';
import { normalSf } from './distributions.js';
import type { Alternative } from './ks.js';

/** Options of {@link mannWhitneyU}. */
export interface MannWhitneyOptions {
  /**
   * `'two-sided'`: the distributions differ; `'less'`: `a` is stochastically less than `b`; `'greater'`: `a` is
   * stochastically greater than `b`.
   * @defaultValue 'two-sided'
   */
  alternative?: Alternative;
  /**
   * `'exact'` uses the exact null distribution of U (no tie correction); `'asymptotic'` the tie-corrected normal
   * approximation; `'auto'` is exact when one sample has at most 8 values and there are no ties, as scipy.
   * @defaultValue 'auto'
   */
  method?: 'auto' | 'exact' | 'asymptotic';
  /**
   * Whether the normal approximation subtracts 1/2 from |U − mean| (continuity correction); ignored by the exact
   * method.
   * @defaultValue true
   */
  useContinuity?: boolean;
}

/** The result of {@link mannWhitneyU}. */
export interface MannWhitneyResult {
  /** U of the first sample: `R_a − n_a(n_a + 1)/2`, with `R_a` its rank sum (ties get average ranks). */
  statistic: number;
  /** The p-value, clipped to [0, 1]. */
  pValue: number;
  /** The method that produced the p-value. */
  method: 'exact' | 'asymptotic';
}

const optionsSchema = z.strictObject({
  alternative: z.enum(['two-sided', 'less', 'greater']).default('two-sided'),
  method: z.enum(['auto', 'exact', 'asymptotic']).default('auto'),
  useContinuity: z.boolean().default(true),
});

/**
 * P(U >= u) under the null for sample sizes m and n: the coefficients of the Gaussian binomial
 * [m+n choose m]_q = ∏_{i=1..s} (1 − q^{l+i}) / (1 − q^i) (s, l the smaller and larger size) count the arrangements
 * with each value of U (Di Bucchianico 1999). Exact integers (BigInt), truncated to the degrees needed; by symmetry
 * P(U >= u) = P(U <= mn − u).
 */
function exactSf(u: number, m: number, n: number): number {
  const s = Math.min(m, n);
  const l = Math.max(m, n);
  const k = m * n - u;
  if (k < 0) return 0;
  let total = 1n;
  for (let i = 1; i <= s; i++) total = (total * BigInt(l + i)) / BigInt(i);
  // Every intermediate coefficient is bounded by the total count, so doubles are exact below 2^53.
  if (total <= 2n ** 53n) {
    const c = new Float64Array(k + 1);
    c[0] = 1;
    for (let i = 1; i <= s; i++) {
      const shift = l + i;
      for (let t = k; t >= shift; t--) c[t] = (c[t] as number) - (c[t - shift] as number);
      for (let t = i; t <= k; t++) c[t] = (c[t] as number) + (c[t - i] as number);
    }
    let below = 0;
    for (let t = 0; t <= k; t++) below += c[t] as number;
    return below / Number(total);
  }
  const c: bigint[] = new Array<bigint>(k + 1).fill(0n);
  c[0] = 1n;
  for (let i = 1; i <= s; i++) {
    const shift = l + i;
    for (let t = k; t >= shift; t--) c[t] = (c[t] as bigint) - (c[t - shift] as bigint);
    for (let t = i; t <= k; t++) c[t] = (c[t] as bigint) + (c[t - i] as bigint);
  }
  let below = 0n;
  for (let t = 0; t <= k; t++) below += c[t] as bigint;
  return Number(below) / Number(total);
}

/**
 * Mann–Whitney U rank test of two independent samples, as `scipy.stats.mannwhitneyu` (scipy 1.10). The statistic is
 * U of the first sample, computed from average ranks of the pooled data (ties share their mean rank). The p-value is
 * either exact (the null distribution of U, not corrected for ties; U is truncated to an integer as scipy does) or
 * from the normal approximation with the tie-corrected variance `n_a·n_b/12 · ((N+1) − Σ(t³ − t)/(N(N−1)))` and,
 * by default, a continuity correction of 1/2. `method: 'auto'` is exact when `min(n_a, n_b) <= 8` and the pooled
 * data have no ties. Two-sided p-values double the one-sided tail of `max(U_a, U_b)`. The exact distribution costs
 * about min(n_a, n_b) · n_a · n_b additions (milliseconds for 8 against 10,000; forcing `'exact'` on two large samples
 * is slow, as it is in scipy).
 *
 * Degenerate cases: when every pooled value is equal the normal approximation has zero variance; the p-value is then
 * 1 with the continuity correction and NaN without it, as scipy.
 *
 * @param a - the first sample (at least one finite value).
 * @param b - the second sample (at least one finite value).
 * @throws MlcycleError `INSUFFICIENT_DATA` when a sample is empty, `INVALID_ARGUMENT` when a value is not finite or
 *   an option is invalid.
 * @example
 * ```ts
 * mannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12]);
 * // { statistic: 17, pValue: 0.1111111111111111, method: 'exact' }
 * ```
 */
export function mannWhitneyU(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: MannWhitneyOptions = {},
): MannWhitneyResult {
  const x = toFiniteArray(a, 'a');
  const y = toFiniteArray(b, 'b');
  const { alternative, method, useContinuity } = parseOptions(optionsSchema, options, 'mannWhitneyU options');
  const n1 = x.length;
  const n2 = y.length;
  const pooled = new Float64Array(n1 + n2);
  pooled.set(x);
  pooled.set(y, n1);
  const { ranks, tieSizes } = rankAverage(pooled);

  let chosen: 'exact' | 'asymptotic';
  if (method === 'auto') chosen = (n1 > 8 && n2 > 8) || tieSizes.length > 0 ? 'asymptotic' : 'exact';
  else chosen = method;

  let rankSum = 0;
  for (let i = 0; i < n1; i++) rankSum += ranks[i] as number;
  const u1 = rankSum - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const u = alternative === 'greater' ? u1 : alternative === 'less' ? u2 : Math.max(u1, u2);
  const factor = alternative === 'two-sided' ? 2 : 1;

  let p: number;
  if (chosen === 'exact') {
    p = exactSf(Math.trunc(u), n1, n2);
  } else {
    const n = n1 + n2;
    let tieTerm = 0;
    for (const t of tieSizes) tieTerm += t * t * t - t;
    const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
    const numerator = u - (n1 * n2) / 2 - (useContinuity ? 0.5 : 0);
    const z = numerator / sd;
    p = Number.isNaN(z) ? Number.NaN : normalSf(z);
  }
  p *= factor;
  return { statistic: u1, pValue: Number.isNaN(p) ? p : Math.min(Math.max(p, 0), 1), method: chosen };
}
