import { z } from 'zod';
import { parseOptions } from '../core/options.js';
import { column, nanArray, windowLength } from './input.js';
import { exponentialMean, rollingMoments } from './kernels.js';
import { type HighLowClose, highLowClose } from './ranges.js';

/** True range: high − low on the first bar, then the largest of high − low, |high − prev close|, |low − prev close|. */
function trueRange(high: Float64Array, low: Float64Array, close: Float64Array): Float64Array {
  const n = close.length;
  const out = new Float64Array(n);
  if (n > 0) out[0] = (high[0] as number) - (low[0] as number);
  for (let t = 1; t < n; t++) {
    const previous = close[t - 1] as number;
    const h = high[t] as number;
    const l = low[t] as number;
    out[t] = Math.max(h - l, Math.abs(h - previous), Math.abs(l - previous));
  }
  return out;
}

/**
 * Average True Range (Wilder): the true range smoothed by `ewm(alpha=1/period, adjust=False,
 * min_periods=period)`, seeded by the first bar's high − low. NaN for the first `period − 1` positions.
 */
export function atr(bars: HighLowClose, period = 14): Float64Array {
  const p = windowLength(period, 'period');
  const { high, low, close } = highLowClose(bars);
  const out = nanArray(close.length, p - 1);
  exponentialMean(trueRange(high, low, close), 0, 1 / p, p, out);
  return out;
}

/** The three lines of {@link adx}. */
export interface Adx {
  /** +DI = 100 · smoothed +DM / ATR; NaN for the first `period` positions. */
  plusDI: Float64Array;
  /** −DI = 100 · smoothed −DM / ATR; NaN for the first `period` positions. */
  minusDI: Float64Array;
  /** ADX, the smoothed DX = 100 · |+DI − −DI| / (+DI + −DI); NaN for the first `2 · period − 1` positions. */
  adx: Float64Array;
}

/**
 * Wilder's Average Directional Index. Up move u = high − previous high, down move d = previous low − low; +DM = u
 * when u > d and u > 0 (else 0), −DM = d when d > u and d > 0 (else 0), from the second bar on. +DM, −DM and DX
 * are smoothed like the ATR (`ewm(alpha=1/period, adjust=False, min_periods=period)`), and +DI, −DI divide by
 * {@link atr}. Where the ATR is 0 both DIs are 0, and where +DI + −DI is 0 DX is 0 (pandas' 0/0 would be NaN).
 */
export function adx(bars: HighLowClose, period = 14): Adx {
  const p = windowLength(period, 'period');
  const { high, low, close } = highLowClose(bars);
  const n = close.length;
  const plusDI = nanArray(n, p);
  const minusDI = nanArray(n, p);
  const out = nanArray(n, 2 * p - 1);
  if (n > 0) directionalLines(high, low, close, p, plusDI, minusDI, out);
  return { plusDI, minusDI, adx: out };
}

/**
 * The loop of {@link adx}, writing +DI, −DI and the ADX; a function of its own that ends with its loop, so that the
 * optimised loop returns straight to its caller.
 */
function directionalLines(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  p: number,
  plusDI: Float64Array,
  minusDI: Float64Array,
  out: Float64Array,
): void {
  const n = close.length;
  const alpha = 1 / p;
  const keep = 1 - alpha;
  // One pass, every Wilder average a scalar with the recursion of `exponentialMean`: the ATR seeded at bar 0, the
  // smoothed ±DM at bar 1 (the first move), the ADX at bar `period` (the first DX).
  let range = (high[0] as number) - (low[0] as number);
  let plus = 0;
  let minus = 0;
  let average = 0;
  for (let t = 1; t < n; t++) {
    const h = high[t] as number;
    const l = low[t] as number;
    const previous = close[t - 1] as number;
    range = keep * range + alpha * Math.max(h - l, Math.abs(h - previous), Math.abs(l - previous));
    const up = h - (high[t - 1] as number);
    const down = (low[t - 1] as number) - l;
    const plusMove = up > down && up > 0 ? up : 0;
    const minusMove = down > up && down > 0 ? down : 0;
    if (t === 1) {
      plus = plusMove;
      minus = minusMove;
    } else {
      plus = keep * plus + alpha * plusMove;
      minus = keep * minus + alpha * minusMove;
    }
    if (t < p) continue;
    const pdi = range === 0 ? 0 : (100 * plus) / range;
    const mdi = range === 0 ? 0 : (100 * minus) / range;
    plusDI[t] = pdi;
    minusDI[t] = mdi;
    const dx = pdi + mdi === 0 ? 0 : (100 * Math.abs(pdi - mdi)) / (pdi + mdi);
    average = t === p ? dx : keep * average + alpha * dx;
    if (t >= 2 * p - 1) out[t] = average;
  }
}

/** Options of {@link realizedVolatility}. */
export interface RealizedVolatilityOptions {
  /** Number of log returns in each window, at least 2. @defaultValue 20 */
  window?: number;
  /** Periods per year to annualise by (√periodsPerYear); 1 leaves it per bar. @defaultValue 252 */
  periodsPerYear?: number;
}

const realizedSchema = z
  .strictObject({
    window: z.number().int().min(2).default(20),
    periodsPerYear: z.number().positive().default(252),
  })
  .default({ window: 20, periodsPerYear: 252 });

/**
 * Realised volatility: the sample standard deviation (ddof 1) of the last `window` log returns, times
 * √periodsPerYear, as `np.log(c / c.shift()).rolling(window).std() * np.sqrt(periodsPerYear)`. NaN for the first
 * `window` positions (the first bar has no return). Prices must be positive.
 */
export function realizedVolatility(
  close: ArrayLike<number>,
  options?: RealizedVolatilityOptions,
): Float64Array {
  const o = parseOptions(realizedSchema, options, 'realizedVolatility options');
  const x = column(close, 'close', true);
  const n = x.length;
  const r = nanArray(n, 1);
  logChanges(x, r);
  const variance = nanArray(n, o.window);
  rollingMoments(r, 1, o.window, 1, undefined, variance);
  const scale = Math.sqrt(o.periodsPerYear);
  for (let t = o.window; t < n; t++) variance[t] = Math.sqrt(variance[t] as number) * scale;
  return variance;
}

/** ln(x[t] / x[t − 1]) from the second value on. Its own function so that the optimised loop returns straight to its caller (see `directionalLines`). */
function logChanges(x: Float64Array, out: Float64Array): void {
  for (let t = 1; t < x.length; t++) out[t] = Math.log((x[t] as number) / (x[t - 1] as number));
}
