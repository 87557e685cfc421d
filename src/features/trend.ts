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
  const out = nanArray(x.length);
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
  const fast = nanArray(n);
  const slow = nanArray(n);
  exponentialMean(x, start, 2 / (o.fast + 1), o.slow, fast);
  exponentialMean(x, start, 2 / (o.slow + 1), o.slow, slow);
  const line = nanArray(n);
  for (let t = 0; t < n; t++) line[t] = (fast[t] as number) - (slow[t] as number);
  const signal = nanArray(n);
  exponentialMean(line, start + o.slow - 1, 2 / (o.signal + 1), o.signal, signal);
  const histogram = nanArray(n);
  for (let t = 0; t < n; t++) histogram[t] = (line[t] as number) - (signal[t] as number);
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
  const out = nanArray(n);
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
