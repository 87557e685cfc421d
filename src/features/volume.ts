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
  const n = sameLengths({ high, low, close, volume });
  const typical = new Float64Array(n);
  const weighted = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    typical[t] = ((high[t] as number) + (low[t] as number) + (close[t] as number)) / 3;
    weighted[t] = (typical[t] as number) * (volume[t] as number);
  }
  const out = nanArray(n);
  if (o.window === undefined) {
    let money = 0;
    let shares = 0;
    for (let t = 0; t < n; t++) {
      money += weighted[t] as number;
      shares += volume[t] as number;
      out[t] = shares === 0 ? (typical[t] as number) : money / shares;
    }
    return out;
  }
  const money = nanArray(n);
  const shares = nanArray(n);
  rollingSum(weighted, 0, o.window, money);
  rollingSum(volume, 0, o.window, shares);
  for (let t = o.window - 1; t < n; t++) {
    const s = shares[t] as number;
    out[t] = s === 0 ? (typical[t] as number) : (money[t] as number) / s;
  }
  return out;
}
