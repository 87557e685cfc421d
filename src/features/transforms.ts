import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { nanArray, series, windowLength } from './input.js';

/**
 * Simple returns `x[t] / x[t − 1] − 1`, pandas' `pct_change()`; NaN at the first position. A zero divisor gives
 * ±Infinity (or NaN for 0/0) as pandas does; prices are positive, so this only arises for other series.
 */
export function returns(values: ArrayLike<number>): Float64Array {
  const { values: x, start } = series(values, 'values');
  const out = nanArray(x.length, start + 1);
  for (let t = start + 1; t < x.length; t++) out[t] = (x[t] as number) / (x[t - 1] as number) - 1;
  return out;
}

/**
 * Log returns `ln(x[t] / x[t − 1])`, numpy's `np.log(s).diff()` up to rounding; NaN at the first position. Every
 * value must be positive.
 */
export function logReturns(values: ArrayLike<number>): Float64Array {
  const { values: x, start } = series(values, 'values');
  for (let t = start; t < x.length; t++) {
    if ((x[t] as number) <= 0) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `logReturns needs positive values, but values[${t}] is ${formatNumber(x[t])}`,
      );
    }
  }
  const out = nanArray(x.length, start + 1);
  for (let t = start + 1; t < x.length; t++) out[t] = Math.log((x[t] as number) / (x[t - 1] as number));
  return out;
}

/** The value `periods` bars earlier, pandas' `shift(periods)` with `periods >= 1`; NaN for the first `periods`. */
export function lag(values: ArrayLike<number>, periods: number): Float64Array {
  const k = windowLength(periods, 'periods');
  const { values: x } = series(values, 'values');
  const out = nanArray(x.length, k);
  for (let t = k; t < x.length; t++) out[t] = x[t - k] as number;
  return out;
}

/** Momentum `x[t] − x[t − period]`, pandas' `diff(period)`; NaN for the first `period` positions. */
export function momentum(values: ArrayLike<number>, period: number): Float64Array {
  const k = windowLength(period, 'period');
  const { values: x, start } = series(values, 'values');
  const out = nanArray(x.length, start + k);
  for (let t = start + k; t < x.length; t++) out[t] = (x[t] as number) - (x[t - k] as number);
  return out;
}
