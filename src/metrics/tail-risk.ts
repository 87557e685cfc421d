/**
 * Tail-risk metrics on per-period simple returns: historical value at risk, conditional value at risk and the tail
 * ratio, following empyrical's conventions (numpy's linear percentiles).
 *
 * @module
 */
import { z } from 'zod';
import { mean, quantileSorted, sortedCopy, toFiniteArray } from '../core/numeric.js';
import { parseOptions } from '../core/options.js';

/** Options for {@link valueAtRisk}. */
export interface ValueAtRiskOptions {
  /** Confidence level in (0, 1); the VaR is the (1 − confidence) quantile of the returns. @defaultValue 0.95 */
  confidence?: number;
}

const confidenceSchema = z.number().gt(0).lt(1).default(0.95);
const varSchema = z.strictObject({ confidence: confidenceSchema });

/**
 * Historical value at risk: the (1 − confidence) quantile of the returns by linear interpolation (numpy's
 * `percentile(returns, 100·(1 − confidence))`), as empyrical's `value_at_risk(returns, cutoff = 1 − confidence)`.
 * A return, so a loss is negative.
 *
 * @throws MlcycleError `INSUFFICIENT_DATA` when `returns` is empty; `INVALID_ARGUMENT` for a bad value or option.
 * @example
 * ```ts
 * valueAtRisk([0.01, -0.02, 0.015, 0.005, -0.01, 0.02, 0, -0.005, 0.012, -0.003]); // -0.0155
 * ```
 */
export function valueAtRisk(returns: ArrayLike<number>, options: ValueAtRiskOptions = {}): number {
  const { confidence } = parseOptions(varSchema, options, 'valueAtRisk options');
  const r = toFiniteArray(returns, 'returns');
  return quantileSorted(sortedCopy(r), 1 - confidence);
}

/** Options for {@link conditionalValueAtRisk}. */
export interface ConditionalValueAtRiskOptions extends ValueAtRiskOptions {
  /**
   * `'threshold'`: the mean of every return at or below the historical VaR (ties with the VaR included).
   * `'empyrical'`: empyrical's `conditional_value_at_risk`, the mean of the ⌊(n − 1)(1 − confidence)⌋ + 1 smallest
   * returns. The two differ only when returns tie with the VaR. @defaultValue 'threshold'
   */
  method?: 'threshold' | 'empyrical';
}

const cvarSchema = z.strictObject({
  confidence: confidenceSchema,
  method: z.enum(['threshold', 'empyrical']).default('threshold'),
});

/**
 * Conditional value at risk (expected shortfall): the mean of the returns at or below the historical
 * {@link valueAtRisk}; `method: 'empyrical'` gives empyrical's `conditional_value_at_risk` instead.
 *
 * @throws MlcycleError `INSUFFICIENT_DATA` when `returns` is empty; `INVALID_ARGUMENT` for a bad value or option.
 * @example
 * ```ts
 * conditionalValueAtRisk([-0.05, -0.03, 0.01, 0.02, 0.04], { confidence: 0.6 }); // -0.04
 * ```
 */
export function conditionalValueAtRisk(
  returns: ArrayLike<number>,
  options: ConditionalValueAtRiskOptions = {},
): number {
  const { confidence, method } = parseOptions(cvarSchema, options, 'conditionalValueAtRisk options');
  const sorted = sortedCopy(toFiniteArray(returns, 'returns'));
  let count: number;
  if (method === 'empyrical') {
    count = Math.trunc((sorted.length - 1) * (1 - confidence)) + 1;
  } else {
    const cutoff = quantileSorted(sorted, 1 - confidence);
    count = 0;
    while (count < sorted.length && (sorted[count] as number) <= cutoff) count++;
  }
  return mean(sorted.subarray(0, count));
}

/**
 * Tail ratio, |95th percentile| / |5th percentile| of the returns (numpy's linear percentiles), as empyrical's
 * `tail_ratio`. +Infinity when the 5th percentile is 0 and the 95th is not; NaN when both are 0.
 *
 * @throws MlcycleError `INSUFFICIENT_DATA` when `returns` is empty; `INVALID_ARGUMENT` when a value is not finite.
 * @example
 * ```ts
 * tailRatio([-0.02, -0.01, 0, 0.01, 0.03]); // 1.4444444444444444
 * ```
 */
export function tailRatio(returns: ArrayLike<number>): number {
  const sorted = sortedCopy(toFiniteArray(returns, 'returns'));
  return Math.abs(quantileSorted(sorted, 0.95)) / Math.abs(quantileSorted(sorted, 0.05));
}
