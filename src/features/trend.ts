import { z } from 'zod';
import { parseOptions } from '../core/options.js';
import { nanArray, series, windowLength } from './input.js';
import { exponentialMean } from './kernels.js';

/**
 * Exponential moving average with span `period` (α = 2 / (period + 1)), pandas'
 * `ewm(span=period, adjust=False, min_periods=period).mean()`: the first number seeds the average, each later one
 * moves it by α of the difference, and the first `period − 1` values are NaN (the seed has not yet been diluted).
 */
export function ema(values: ArrayLike<number>, period: number): Float64Array {
  const p = windowLength(period, 'period');
  const { values: x, start } = series(values, 'values');
  const out = nanArray(x.length, start + p - 1);
  exponentialMean(x, start, 2 / (p + 1), p, out);
  return out;
}

/** Options of {@link macd}. */
export interface MacdOptions {
  /** Span of the fast EMA. @defaultValue 12 */
  fast?: number;
  /** Span of the slow EMA, above `fast`. @defaultValue 26 */
  slow?: number;
  /** Span of the signal EMA of the MACD line. @defaultValue 9 */
  signal?: number;
}

/** The three series of {@link macd}. */
export interface Macd {
  /** EMA(fast) − EMA(slow); NaN for the first `slow − 1` positions. */
  line: Float64Array;
  /** EMA(signal) of the line; NaN for the first `slow + signal − 2` positions. */
  signal: Float64Array;
  /** line − signal. */
  histogram: Float64Array;
}

const period = z.number().int().min(1);
const macdSchema = z
  .strictObject({ fast: period.default(12), slow: period.default(26), signal: period.default(9) })
  .refine((o) => o.fast < o.slow, { message: 'fast must be below slow', path: ['fast'] })
  .default({ fast: 12, slow: 26, signal: 9 });

/**
 * Moving Average Convergence/Divergence (Appel): the line EMA(fast) − EMA(slow), its signal EMA and the
 * histogram, each EMA as {@link ema} (pandas `ewm(span, adjust=False, min_periods=span)`).
 */
export function macd(values: ArrayLike<number>, options?: MacdOptions): Macd {
  const o = parseOptions(macdSchema, options, 'macd options');
  const { values: x, start } = series(values, 'values');
  const n = x.length;
  const lineStart = start + o.slow - 1;
  const line = nanArray(n, lineStart);
  emaSpread(x, start, 2 / (o.fast + 1), 2 / (o.slow + 1), lineStart, line);
  const histogramStart = lineStart + o.signal - 1;
  const signal = nanArray(n, histogramStart);
  exponentialMean(line, lineStart, 2 / (o.signal + 1), o.signal, signal);
  const histogram = nanArray(n, histogramStart);
  difference(line, signal, histogramStart, histogram);
  return { line, signal, histogram };
}

/**
 * Relative Strength Index with Wilder's smoothing: the average gain and average loss of the bar-to-bar changes are
 * `ewm(alpha=1/period, adjust=False, min_periods=period)` means (seeded by the first change), and RSI = 100 −
 * 100 / (1 + gain / loss). NaN for the first `period` positions. 100 when the average loss is 0 (as pandas), and 50
 * when both averages are 0 (no movement yet; pandas gives 0/0 = NaN).
 */
export function rsi(values: ArrayLike<number>, period = 14): Float64Array {
  const p = windowLength(period, 'period');
  const { values: x, start } = series(values, 'values');
  const n = x.length;
  const out = nanArray(n, start + p);
  const alpha = 1 / p;
  const keep = 1 - alpha;
  let gain = 0;
  let loss = 0;
  // One pass with the two Wilder averages as scalars: the same recursion as `exponentialMean`, seeded by the
  // first change, without the four intermediate arrays.
  for (let t = start + 1; t < n; t++) {
    const change = (x[t] as number) - (x[t - 1] as number);
    const g = Math.max(change, 0);
    const l = Math.max(-change, 0);
    if (t === start + 1) {
      gain = g;
      loss = l;
    } else {
      gain = keep * gain + alpha * g;
      loss = keep * loss + alpha * l;
    }
    if (t >= start + p) out[t] = loss === 0 ? (gain === 0 ? 50 : 100) : 100 - 100 / (1 + gain / loss);
  }
  return out;
}

/**
 * EMA(fast) − EMA(slow) from `first` on, both EMAs in one pass as scalars with the recursion of `exponentialMean`
 * (seeded by the number at `start`). Its own function so that the optimised loop returns straight to its caller (see `directionalLines`).
 */
function emaSpread(
  x: Float64Array,
  start: number,
  fastAlpha: number,
  slowAlpha: number,
  first: number,
  out: Float64Array,
): void {
  const fastKeep = 1 - fastAlpha;
  const slowKeep = 1 - slowAlpha;
  let fast = x[start] as number;
  let slow = fast;
  for (let t = start; t < x.length; t++) {
    if (t > start) {
      const v = x[t] as number;
      fast = fastKeep * fast + fastAlpha * v;
      slow = slowKeep * slow + slowAlpha * v;
    }
    if (t >= first) out[t] = fast - slow;
  }
}

/** a − b from `first` on. Its own function so that the optimised loop returns straight to its caller (see `directionalLines`). */
function difference(a: Float64Array, b: Float64Array, first: number, out: Float64Array): void {
  for (let t = first; t < a.length; t++) out[t] = (a[t] as number) - (b[t] as number);
}
