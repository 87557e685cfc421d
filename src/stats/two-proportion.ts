import { z } from 'zod';
import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { normalCdf, normalSf } from './distributions.js';
import type { Alternative } from './ks.js';

/** Options of {@link twoProportionZTest}. */
export interface TwoProportionOptions {
  /**
   * `'two-sided'`: the proportions differ; `'less'`: the proportion of A is below that of B; `'greater'`: the
   * proportion of A is above that of B.
   * @defaultValue 'two-sided'
   */
  alternative?: Alternative;
}

/** The result of {@link twoProportionZTest}. */
export interface TwoProportionResult {
  /** The z statistic `(p_A − p_B) / √(p(1 − p)(1/n_A + 1/n_B))`, with `p` the pooled proportion. */
  statistic: number;
  /** The p-value from the standard normal distribution. */
  pValue: number;
}

const optionsSchema = z.strictObject({
  alternative: z.enum(['two-sided', 'less', 'greater']).default('two-sided'),
});

function checkCount(value: number, name: string, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `${name} must be an integer >= ${min}, received ${formatNumber(value)}`,
      { details: { name } },
    );
  }
}

function checkGroup(successes: number, total: number, group: 'A' | 'B'): void {
  checkCount(successes, `successes${group}`, 0);
  checkCount(total, `total${group}`, 1);
  if (successes > total) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `successes${group} must be at most total${group}, but successes${group} is ${successes} and total${group} is ${total}`,
      { details: { group } },
    );
  }
}

/**
 * Two-proportion z-test with pooled variance, as statsmodels' `proportions_ztest([sA, sB], [nA, nB])` (value 0,
 * `prop_var=False`) and Evidently's `proportions_diff_z_stat_ind`: the statistic is
 * `(p_A − p_B) / √(p(1 − p)(1/n_A + 1/n_B))` with `p = (s_A + s_B)/(n_A + n_B)`; the p-value is `2·sf(|z|)`
 * (two-sided), `sf(z)` (`'greater'`, statsmodels' `'larger'`) or `cdf(z)` (`'less'`, statsmodels' `'smaller'`),
 * computed from the normal tails directly so that small p-values keep their digits.
 *
 * Degenerate case: when the pooled proportion is 0 or 1 (no successes at all, or nothing but successes) the two
 * groups cannot differ and the variance is 0; the result is statistic 0 and p-value 1 (statsmodels returns NaN).
 *
 * @param successesA - the number of successes in group A, an integer in [0, totalA].
 * @param totalA - the size of group A, an integer >= 1.
 * @param successesB - the number of successes in group B, an integer in [0, totalB].
 * @param totalB - the size of group B, an integer >= 1.
 * @throws MlcycleError `INVALID_ARGUMENT` when a count is not an integer, a total is below 1, successes exceed
 *   their total, or an option is invalid.
 * @example
 * ```ts
 * twoProportionZTest(5, 40, 9, 38);
 * // { statistic: -1.2865314993703731, pValue: 0.198257632898029 }
 * twoProportionZTest(5, 40, 9, 38, { alternative: 'less' }).pValue; // 0.0991288164490145
 * ```
 */
export function twoProportionZTest(
  successesA: number,
  totalA: number,
  successesB: number,
  totalB: number,
  options: TwoProportionOptions = {},
): TwoProportionResult {
  checkGroup(successesA, totalA, 'A');
  checkGroup(successesB, totalB, 'B');
  const { alternative } = parseOptions(optionsSchema, options, 'twoProportionZTest options');
  const pooled = (successesA + successesB) / (totalA + totalB);
  if (pooled === 0 || pooled === 1) return { statistic: 0, pValue: 1 };
  const difference = successesA / totalA - successesB / totalB;
  const statistic = difference / Math.sqrt(pooled * (1 - pooled) * (1 / totalA + 1 / totalB));
  let pValue: number;
  if (alternative === 'two-sided') pValue = 2 * normalSf(Math.abs(statistic));
  else if (alternative === 'greater') pValue = normalSf(statistic);
  else pValue = normalCdf(statistic);
  return { statistic, pValue };
}
