import { z } from 'zod';
import { mean, toFiniteArray, variance } from '../core/numeric.js';
import { parseOptions } from '../core/options.js';
import { studentTCdf } from './distributions.js';
import type { Alternative } from './ks.js';

/** Options of {@link welchTTest}. */
export interface TTestOptions {
  /**
   * `'two-sided'`: the means differ; `'less'`: the mean of `a` is less than that of `b`; `'greater'`: it is greater.
   * @defaultValue 'two-sided'
   */
  alternative?: Alternative;
  /**
   * When true, the pooled-variance Student test (`df = n_a + n_b − 2`); when false, Welch's test with the
   * Welch–Satterthwaite degrees of freedom. Note that scipy's `ttest_ind` defaults to `equal_var=True`; this
   * function defaults to Welch's test, which stays valid when the variances differ.
   * @defaultValue false
   */
  equalVariance?: boolean;
}

/** The result of {@link welchTTest}. */
export interface TTestResult {
  /** The t statistic `(mean_a − mean_b) / standard error`. */
  statistic: number;
  /** The p-value. */
  pValue: number;
  /** The degrees of freedom of the reference t distribution. */
  df: number;
}

const optionsSchema = z.strictObject({
  alternative: z.enum(['two-sided', 'less', 'greater']).default('two-sided'),
  equalVariance: z.boolean().default(false),
});

/** stdtr(df, t) with scipy's handling of the degenerate inputs (NaN t or df <= 0 give NaN). */
function tCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (t === Number.POSITIVE_INFINITY) return 1;
  if (t === Number.NEGATIVE_INFINITY) return 0;
  return studentTCdf(t, df);
}

/**
 * Two-sample t-test for the means of two independent samples, as `scipy.stats.ttest_ind` (scipy 1.10) with
 * `equal_var=False` by default (Welch's test; pass `equalVariance: true` for Student's pooled test). Variances use
 * ddof = 1. Welch's degrees of freedom are `(v_a/n_a + v_b/n_b)² / ((v_a/n_a)²/(n_a−1) + (v_b/n_b)²/(n_b−1))`,
 * replaced by 1 when undefined (both variances zero), as scipy.
 *
 * Degenerate cases, as scipy: two constant samples with different values give `statistic = ±Infinity`, `pValue = 0`
 * (and `df = 1` for Welch); two identical constant samples give NaN for both; a sample of one value has an undefined
 * variance, so statistic and p-value are NaN. Constant samples are recognised exactly (compensated mean); scipy's
 * mean can leave a rounding residue for values like 0.1 and then reports a huge finite t (or t = 0, p = 1) instead.
 *
 * @param a - the first sample (at least one finite value).
 * @param b - the second sample (at least one finite value).
 * @throws MlcycleError `INSUFFICIENT_DATA` when a sample is empty, `INVALID_ARGUMENT` when a value is not finite or
 *   an option is invalid.
 * @example
 * ```ts
 * welchTTest([20, 11, 17, 12], [19, 22, 16, 29, 24], { alternative: 'less' });
 * // statistic -2.2831482556870477, pValue ≈ 0.0283754629609378, df ≈ 6.9288 (Welch)
 * ```
 */
export function welchTTest(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: TTestOptions = {},
): TTestResult {
  const x = toFiniteArray(a, 'a');
  const y = toFiniteArray(b, 'b');
  const { alternative, equalVariance } = parseOptions(optionsSchema, options, 'welchTTest options');
  const n1 = x.length;
  const n2 = y.length;
  const v1 = variance(x, 1);
  const v2 = variance(y, 1);
  let df: number;
  let denominator: number;
  if (equalVariance) {
    df = n1 + n2 - 2;
    const pooled = ((n1 - 1) * v1 + (n2 - 1) * v2) / df;
    denominator = Math.sqrt(pooled * (1 / n1 + 1 / n2));
  } else {
    const vn1 = v1 / n1;
    const vn2 = v2 / n2;
    df = (vn1 + vn2) ** 2 / (vn1 ** 2 / (n1 - 1) + vn2 ** 2 / (n2 - 1));
    if (Number.isNaN(df)) df = 1;
    denominator = Math.sqrt(vn1 + vn2);
  }
  const t = (mean(x) - mean(y)) / denominator;
  let p: number;
  if (alternative === 'less') p = tCdf(t, df);
  else if (alternative === 'greater') p = tCdf(-t, df);
  else p = tCdf(-Math.abs(t), df) * 2;
  return { statistic: t, pValue: p, df };
}
