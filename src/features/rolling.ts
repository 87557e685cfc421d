import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { nanArray, series, windowLength } from './input.js';
import { rollingExtreme, rollingMoments } from './kernels.js';

/**
 * Rolling mean over the last `window` values, pandas' `rolling(window).mean()`. NaN for the first `window − 1`
 * positions (after any leading NaN of the input). O(1) amortised per step.
 *
 * @param values - finite numbers, optionally preceded by NaN (another feature's warm-up).
 */
export function rollingMean(values: ArrayLike<number>, window: number): Float64Array {
  const w = windowLength(window, 'window');
  const { values: x, start } = series(values, 'values');
  const out = nanArray(x.length, start + w - 1);
  rollingMoments(x, start, w, 1, out, undefined);
  return out;
}

/**
 * Rolling standard deviation, pandas' `rolling(window).std(ddof)`: √(Σ(x − mean)² / (window − ddof)) with
 * `ddof` 1 by default (the sample standard deviation). NaN for the first `window − 1` positions, and everywhere
 * when `window − ddof <= 0` (pandas returns NaN for a one-value sample std). A window of equal values gives exactly 0.
 */
export function rollingStd(values: ArrayLike<number>, window: number, ddof: 0 | 1 = 1): Float64Array {
  const w = windowLength(window, 'window');
  const d = ddofOf(ddof);
  const { values: x, start } = series(values, 'values');
  const out = nanArray(x.length, start + w - 1);
  rollingMoments(x, start, w, d, undefined, out);
  for (let t = start + w - 1; t < out.length; t++) out[t] = Math.sqrt(out[t] as number);
  return out;
}

/** Rolling minimum, pandas' `rolling(window).min()`; NaN for the first `window − 1` positions. O(1) amortised. */
export function rollingMin(values: ArrayLike<number>, window: number): Float64Array {
  const w = windowLength(window, 'window');
  const { values: x, start } = series(values, 'values');
  const out = nanArray(x.length, start + w - 1);
  rollingExtreme(x, start, w, -1, out);
  return out;
}

/** Rolling maximum, pandas' `rolling(window).max()`; NaN for the first `window − 1` positions. O(1) amortised. */
export function rollingMax(values: ArrayLike<number>, window: number): Float64Array {
  const w = windowLength(window, 'window');
  const { values: x, start } = series(values, 'values');
  const out = nanArray(x.length, start + w - 1);
  rollingExtreme(x, start, w, 1, out);
  return out;
}

/**
 * Rolling z-score of the latest value against its own window, `(x − rolling mean) / rolling std` with the
 * sample standard deviation (ddof 1), as `(s - s.rolling(w).mean()) / s.rolling(w).std()` in pandas. NaN for the
 * first `window − 1` positions; 0 where the window's values are all equal (pandas gives 0/0 = NaN there; a flat
 * window is no deviation at all). `window` must be at least 2.
 */
export function rollingZScore(values: ArrayLike<number>, window: number): Float64Array {
  const w = windowLength(window, 'window', 2);
  const { values: x, start } = series(values, 'values');
  const n = x.length;
  const out = nanArray(n, start + w - 1);
  const variance = nanArray(n, start + w - 1);
  rollingMoments(x, start, w, 1, out, variance);
  // `out` holds the mean until each z-score replaces it: one array fewer over a long series.
  for (let t = start + w - 1; t < n; t++) {
    const v = variance[t] as number;
    out[t] = v === 0 ? 0 : ((x[t] as number) - (out[t] as number)) / Math.sqrt(v);
  }
  return out;
}

/** Simple moving average over `period` values: {@link rollingMean} by its trading name. */
export function sma(values: ArrayLike<number>, period: number): Float64Array {
  windowLength(period, 'period');
  return rollingMean(values, period);
}

function ddofOf(ddof: unknown): 0 | 1 {
  if (ddof !== 0 && ddof !== 1) {
    throw new MlcycleError('INVALID_ARGUMENT', `ddof must be 0 or 1, received ${formatNumber(ddof)}`);
  }
  return ddof;
}
