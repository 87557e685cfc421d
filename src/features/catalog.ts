import { z } from 'zod';
import { dayOfWeek, month, quarter } from './calendar.js';
import { bollinger, stochastic, williamsR } from './ranges.js';
import { rollingMax, rollingMean, rollingMin, rollingStd, rollingZScore, sma } from './rolling.js';
import { lag, logReturns, momentum, returns } from './transforms.js';
import { ema, macd, rsi } from './trend.js';
import { adx, atr, realizedVolatility } from './volatility.js';
import { obv, vwap } from './volume.js';

type Columns = Record<string, Float64Array>;

/**
 * One kind of feature a {@link FeaturePipeline} step can compute: the input slots it reads (each defaulting to the
 * bar column in `defaults`), its parameters with their defaults, and its outputs (several for MACD, Bollinger,
 * ADX and the stochastic; one otherwise).
 *
 * @internal shared with the features module's pipeline; not part of the public surface.
 */
export interface FeatureKind {
  /** Input slot → the bar column it reads unless the step says otherwise. */
  defaults: Record<string, string>;
  /** The parameters, with their defaults. */
  params: z.ZodType<Record<string, unknown>>;
  /** Output names when there are several; undefined for one output named after the step. */
  outputs?: readonly string[];
  /** Computes the outputs from the resolved inputs and parameters. */
  compute(inputs: Columns, params: never): Float64Array | Columns;
}

const int = (min: number, fallback: number) => z.number().int().min(min).default(fallback);
const none = z.strictObject({}).default({});
const single = { values: 'close' };
const hlc = { high: 'high', low: 'low', close: 'close' };
const hlcv = { ...hlc, volume: 'volume' };
const window = (fallback: number, min = 1) =>
  z.strictObject({ window: int(min, fallback) }).default({ window: fallback });
const period = (fallback: number, min = 1) =>
  z.strictObject({ period: int(min, fallback) }).default({ period: fallback });
const asColumns = (o: object) => o as Columns;
const v = (i: Columns) => i.values as Float64Array;
const bars = (i: Columns) =>
  i as { high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array };

/**
 * Every feature a pipeline step can name, keyed by the public function it calls.
 *
 * @internal shared with the features module's pipeline; not part of the public surface.
 */
export const FEATURE_KINDS: Record<string, FeatureKind> = {
  returns: { defaults: single, params: none, compute: (i) => returns(v(i)) },
  logReturns: { defaults: single, params: none, compute: (i) => logReturns(v(i)) },
  lag: {
    defaults: single,
    params: z.strictObject({ periods: int(1, 1) }).default({ periods: 1 }),
    compute: (i, p: { periods: number }) => lag(v(i), p.periods),
  },
  momentum: {
    defaults: single,
    params: period(10),
    compute: (i, p: { period: number }) => momentum(v(i), p.period),
  },
  rollingMean: {
    defaults: single,
    params: window(20),
    compute: (i, p: { window: number }) => rollingMean(v(i), p.window),
  },
  rollingStd: {
    defaults: single,
    params: z
      .strictObject({ window: int(1, 20), ddof: z.union([z.literal(0), z.literal(1)]).default(1) })
      .default({ window: 20, ddof: 1 }),
    compute: (i, p: { window: number; ddof: 0 | 1 }) => rollingStd(v(i), p.window, p.ddof),
  },
  rollingMin: {
    defaults: single,
    params: window(20),
    compute: (i, p: { window: number }) => rollingMin(v(i), p.window),
  },
  rollingMax: {
    defaults: single,
    params: window(20),
    compute: (i, p: { window: number }) => rollingMax(v(i), p.window),
  },
  rollingZScore: {
    defaults: single,
    params: window(20, 2),
    compute: (i, p: { window: number }) => rollingZScore(v(i), p.window),
  },
  sma: { defaults: single, params: period(20), compute: (i, p: { period: number }) => sma(v(i), p.period) },
  ema: { defaults: single, params: period(20), compute: (i, p: { period: number }) => ema(v(i), p.period) },
  rsi: { defaults: single, params: period(14), compute: (i, p: { period: number }) => rsi(v(i), p.period) },
  macd: {
    defaults: single,
    params: z
      .strictObject({ fast: int(1, 12), slow: int(1, 26), signal: int(1, 9) })
      .refine((o) => o.fast < o.slow, { message: 'fast must be below slow', path: ['fast'] })
      .default({ fast: 12, slow: 26, signal: 9 }),
    outputs: ['line', 'signal', 'histogram'],
    compute: (i, p) => asColumns(macd(v(i), p)),
  },
  bollinger: {
    defaults: single,
    params: z
      .strictObject({
        period: int(2, 20),
        multiplier: z.number().positive().default(2),
        ddof: z.union([z.literal(0), z.literal(1)]).default(1),
      })
      .default({ period: 20, multiplier: 2, ddof: 1 }),
    outputs: ['middle', 'upper', 'lower'],
    compute: (i, p) => asColumns(bollinger(v(i), p)),
  },
  atr: { defaults: hlc, params: period(14), compute: (i, p: { period: number }) => atr(bars(i), p.period) },
  adx: {
    defaults: hlc,
    params: period(14),
    outputs: ['plusDI', 'minusDI', 'adx'],
    compute: (i, p: { period: number }) => asColumns(adx(bars(i), p.period)),
  },
  stochastic: {
    defaults: hlc,
    params: z.strictObject({ kPeriod: int(1, 14), dPeriod: int(1, 3) }).default({ kPeriod: 14, dPeriod: 3 }),
    outputs: ['k', 'd'],
    compute: (i, p) => asColumns(stochastic(bars(i), p)),
  },
  williamsR: {
    defaults: hlc,
    params: period(14),
    compute: (i, p: { period: number }) => williamsR(bars(i), p.period),
  },
  obv: { defaults: { close: 'close', volume: 'volume' }, params: none, compute: (i) => obv(bars(i)) },
  vwap: {
    defaults: hlcv,
    params: z.strictObject({ window: z.number().int().min(1).optional() }).default({}),
    compute: (i, p) => vwap(bars(i), p),
  },
  realizedVolatility: {
    defaults: { close: 'close' },
    params: z
      .strictObject({ window: int(2, 20), periodsPerYear: z.number().positive().default(252) })
      .default({ window: 20, periodsPerYear: 252 }),
    compute: (i, p) => realizedVolatility(bars(i).close, p),
  },
  dayOfWeek: {
    defaults: { timestamps: 'timestamp' },
    params: none,
    compute: (i) => dayOfWeek(i.timestamps as Float64Array),
  },
  month: {
    defaults: { timestamps: 'timestamp' },
    params: none,
    compute: (i) => month(i.timestamps as Float64Array),
  },
  quarter: {
    defaults: { timestamps: 'timestamp' },
    params: none,
    compute: (i) => quarter(i.timestamps as Float64Array),
  },
};
