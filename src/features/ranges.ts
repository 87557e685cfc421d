import { z } from 'zod';
import { parseOptions } from '../core/options.js';
import { column, nanArray, sameLengths, series, shared, windowLength } from './input.js';
import { rollingExtreme, rollingMoments } from './kernels.js';

/** The high, low and close columns that range indicators read; each a positive finite price per bar. */
export interface HighLowClose {
  /** Highest price of each bar. */
  high: ArrayLike<number>;
  /** Lowest price of each bar. */
  low: ArrayLike<number>;
  /** Closing price of each bar. */
  close: ArrayLike<number>;
}

/** @internal shared with the features module; checks and copies high, low and close. */
export function highLowClose(bars: HighLowClose): {
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
} {
  const high = column(bars?.high, 'high', true);
  const low = column(bars.low, 'low', true);
  const close = column(bars.close, 'close', true);
  sameLengths({ high, low, close });
  return { high, low, close };
}

/** Options of {@link bollinger}. */
export interface BollingerOptions {
  /** Window of the moving average and standard deviation. @defaultValue 20 */
  period?: number;
  /** Width of the bands in standard deviations. @defaultValue 2 */
  multiplier?: number;
  /** Delta degrees of freedom of the standard deviation (pandas' default 1; Bollinger's own is 0). @defaultValue 1 */
  ddof?: 0 | 1;
}

/** The three bands of {@link bollinger}; NaN for the first `period − 1` positions. */
export interface BollingerBands {
  /** The moving average. */
  middle: Float64Array;
  /** middle + multiplier · std. */
  upper: Float64Array;
  /** middle − multiplier · std. */
  lower: Float64Array;
}

const bollingerSchema = z
  .strictObject({
    period: z.number().int().min(2).default(20),
    multiplier: z.number().positive().default(2),
    ddof: z.union([z.literal(0), z.literal(1)]).default(1),
  })
  .default({ period: 20, multiplier: 2, ddof: 1 });

/**
 * Bollinger bands: the rolling mean of `values` and bands `multiplier` rolling standard deviations either side,
 * as pandas' `m = s.rolling(p).mean(); sd = s.rolling(p).std(ddof)`.
 */
export function bollinger(values: ArrayLike<number>, options?: BollingerOptions): BollingerBands {
  const o = parseOptions(bollingerSchema, options, 'bollinger options');
  const { values: x, start } = series(values, 'values');
  const n = x.length;
  const first = start + o.period - 1;
  const middle = nanArray(n, first);
  const variance = nanArray(n, first);
  rollingMoments(x, start, o.period, o.ddof, middle, variance);
  const upper = nanArray(n, first);
  const lower = nanArray(n, first);
  bands(middle, variance, o.multiplier, first, upper, lower);
  return { middle, upper, lower };
}

/** Options of {@link stochastic}. */
export interface StochasticOptions {
  /** Look-back of the highest high and lowest low. @defaultValue 14 */
  kPeriod?: number;
  /** Window of the simple moving average of %K that gives %D. @defaultValue 3 */
  dPeriod?: number;
}

/** The two lines of {@link stochastic}. */
export interface Stochastic {
  /** %K; NaN for the first `kPeriod − 1` positions. */
  k: Float64Array;
  /** %D, the `dPeriod` simple moving average of %K; NaN for the first `kPeriod + dPeriod − 2` positions. */
  d: Float64Array;
}

const stochasticSchema = z
  .strictObject({ kPeriod: z.number().int().min(1).default(14), dPeriod: z.number().int().min(1).default(3) })
  .default({ kPeriod: 14, dPeriod: 3 });

/** The close with the highest high and lowest low of the last `period` bars (NaN before the window fills). */
function channel(bars: HighLowClose, period: number) {
  const { high, low, close } = highLowClose(bars);
  const n = close.length;
  // Read-only below, so one pipeline's stochastic and Williams %R can share them.
  const { highest, lowest } = shared('channel', [high, low, period], () => {
    const highest = nanArray(n, period - 1);
    const lowest = nanArray(n, period - 1);
    rollingExtreme(high, 0, period, 1, highest);
    rollingExtreme(low, 0, period, -1, lowest);
    return { highest, lowest };
  });
  return { close, highest, lowest, n };
}

/**
 * Lane's stochastic oscillator: %K = 100 · (close − lowest low) / (highest high − lowest low) over `kPeriod`
 * bars, and %D its `dPeriod` simple moving average. %K is 50 where the range is 0 (every bar at one price; pandas'
 * 0/0 is NaN).
 */
export function stochastic(bars: HighLowClose, options?: StochasticOptions): Stochastic {
  const o = parseOptions(stochasticSchema, options, 'stochastic options');
  const { close, highest, lowest, n } = channel(bars, o.kPeriod);
  const k = nanArray(n, o.kPeriod - 1);
  percentK(close, highest, lowest, o.kPeriod - 1, k);
  const d = nanArray(n, o.kPeriod + o.dPeriod - 2);
  rollingMoments(k, o.kPeriod - 1, o.dPeriod, 1, d, undefined);
  return { k, d };
}

/**
 * Williams %R = −100 · (highest high − close) / (highest high − lowest low) over `period` bars, from −100 (at the
 * low) to 0 (at the high). NaN for the first `period − 1` positions; −50 where the range is 0.
 */
export function williamsR(bars: HighLowClose, period = 14): Float64Array {
  const p = windowLength(period, 'period');
  const { close, highest, lowest, n } = channel(bars, p);
  const out = nanArray(n, p - 1);
  for (let t = p - 1; t < n; t++) {
    const range = (highest[t] as number) - (lowest[t] as number);
    out[t] = range === 0 ? -50 : (-100 * ((highest[t] as number) - (close[t] as number))) / range;
  }
  return out;
}

/** The bands of {@link bollinger} from `first` on. Its own function so that the optimised loop returns straight to its caller (see `directionalLines`). */
function bands(
  middle: Float64Array,
  variance: Float64Array,
  multiplier: number,
  first: number,
  upper: Float64Array,
  lower: Float64Array,
): void {
  for (let t = first; t < middle.length; t++) {
    const width = multiplier * Math.sqrt(variance[t] as number);
    upper[t] = (middle[t] as number) + width;
    lower[t] = (middle[t] as number) - width;
  }
}

/** %K of {@link stochastic} from `first` on. Its own function so that the optimised loop returns straight to its caller (see `directionalLines`). */
function percentK(
  close: Float64Array,
  highest: Float64Array,
  lowest: Float64Array,
  first: number,
  k: Float64Array,
): void {
  for (let t = first; t < close.length; t++) {
    const range = (highest[t] as number) - (lowest[t] as number);
    k[t] = range === 0 ? 50 : (100 * ((close[t] as number) - (lowest[t] as number))) / range;
  }
}
