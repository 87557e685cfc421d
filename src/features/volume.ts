import { z } from 'zod';
import { parseOptions } from '../core/options.js';
import { column, nanArray, sameLengths } from './input.js';
import { rollingSum } from './kernels.js';
import type { HighLowClose } from './ranges.js';

/** Bars with volume, for the volume indicators. */
export interface HighLowCloseVolume extends HighLowClose {
  /** Traded volume of each bar, finite and non-negative. */
  volume: ArrayLike<number>;
}

/**
 * On-Balance Volume (Granville): a running total that adds the bar's volume when the close rises, subtracts it when
 * the close falls and keeps it on an unchanged close, starting at 0 on the first bar — pandas'
 * `(np.sign(close.diff()) * volume).fillna(0).cumsum()`.
 */
export function obv(bars: Pick<HighLowCloseVolume, 'close' | 'volume'>): Float64Array {
  const close = column(bars?.close, 'close', true);
  const volume = column(bars.volume, 'volume', false);
  sameLengths({ close, volume });
  const out = new Float64Array(close.length);
  let total = 0;
  for (let t = 1; t < close.length; t++) {
    const change = (close[t] as number) - (close[t - 1] as number);
    if (change > 0) total += volume[t] as number;
    else if (change < 0) total -= volume[t] as number;
    out[t] = total;
  }
  return out;
}

/** Options of {@link vwap}. */
export interface VwapOptions {
  /** Bars in the rolling window; omit for the cumulative VWAP from the first bar. @defaultValue cumulative */
  window?: number;
}

const vwapSchema = z.strictObject({ window: z.number().int().min(1).optional() }).default({});

/**
 * Volume-weighted average price of the typical price (high + low + close) / 3: Σ typical · volume / Σ volume,
 * cumulative from the first bar, or over the last `window` bars (NaN for the first `window − 1`). Where the volume
 * summed so far is 0 the VWAP is the bar's typical price (pandas' 0/0 would be NaN).
 */
export function vwap(bars: HighLowCloseVolume, options?: VwapOptions): Float64Array {
  const o = parseOptions(vwapSchema, options, 'vwap options');
  const high = column(bars?.high, 'high', true);
  const low = column(bars.low, 'low', true);
  const close = column(bars.close, 'close', true);
  const volume = column(bars.volume, 'volume', false);
  sameLengths({ high, low, close, volume });
  return o.window === undefined
    ? cumulativeVwap(high, low, close, volume)
    : rollingVwap(high, low, close, volume, o.window);
}

/** (high + low + close) / 3 of bar `t`. */
function typical(high: Float64Array, low: Float64Array, close: Float64Array, t: number): number {
  return ((high[t] as number) + (low[t] as number) + (close[t] as number)) / 3;
}

// The two VWAPs are separate functions so that each loop keeps its own type feedback and stays optimised when a
// pipeline computes both.

function cumulativeVwap(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
): Float64Array {
  const n = close.length;
  const out = new Float64Array(n); // a value at every bar
  let money = 0;
  let shares = 0;
  for (let t = 0; t < n; t++) {
    const price = typical(high, low, close, t);
    money += price * (volume[t] as number);
    shares += volume[t] as number;
    out[t] = shares === 0 ? price : money / shares;
  }
  return out;
}

function rollingVwap(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  window: number,
): Float64Array {
  const n = close.length;
  const weighted = moneyTraded(high, low, close, volume);
  // `out` holds the money traded over each window until the VWAP replaces it.
  const out = nanArray(n, window - 1);
  const shares = nanArray(n, window - 1);
  rollingSum(weighted, 0, window, out);
  rollingSum(volume, 0, window, shares);
  for (let t = window - 1; t < n; t++) {
    const s = shares[t] as number;
    out[t] = s === 0 ? typical(high, low, close, t) : (out[t] as number) / s;
  }
  return out;
}

/** typical · volume of every bar. Its own function so that the optimised loop returns straight to its caller (see `directionalLines`). */
function moneyTraded(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
): Float64Array {
  const out = new Float64Array(close.length);
  for (let t = 0; t < out.length; t++) out[t] = typical(high, low, close, t) * (volume[t] as number);
  return out;
}
