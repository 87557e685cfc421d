import { describe, expect, it } from 'vitest';
import {
  adx,
  atr,
  bollinger,
  dayOfWeek,
  ema,
  FeaturePipeline,
  lag,
  logReturns,
  macd,
  momentum,
  month,
  obv,
  quarter,
  realizedVolatility,
  returns,
  rollingMax,
  rollingMean,
  rollingMin,
  rollingStd,
  rollingZScore,
  rsi,
  sma,
  stochastic,
  vwap,
  williamsR,
} from '../../src/index.js';
import { close, loadReferenceCases, type ReferenceCase } from '../fixtures/reference.js';

type Bars = Record<'timestamp' | 'open' | 'high' | 'low' | 'close' | 'volume', number[]>;
type Params = Record<string, number>;
type Output = Float64Array | Record<string, Float64Array>;

const cases = loadReferenceCases('features');
const bars = new Map<string, Bars>(
  cases.filter((c) => c.fn === 'bars').map((c) => [c.args.label as string, c.expected as Bars]),
);

/** Each indicator as the fixture calls it: a name, the bars and its parameters. */
const indicators: Record<string, (b: Bars, p: Params) => Output> = {
  returns: (b) => returns(b.close),
  logReturns: (b) => logReturns(b.close),
  lag: (b, p) => lag(b.close, p.periods as number),
  momentum: (b, p) => momentum(b.close, p.period as number),
  rollingMean: (b, p) => rollingMean(b.close, p.window as number),
  rollingStd: (b, p) => rollingStd(b.close, p.window as number, (p.ddof ?? 1) as 0 | 1),
  rollingMin: (b, p) => rollingMin(b.close, p.window as number),
  rollingMax: (b, p) => rollingMax(b.close, p.window as number),
  rollingZScore: (b, p) => rollingZScore(b.close, p.window as number),
  sma: (b, p) => sma(b.close, p.period as number),
  ema: (b, p) => ema(b.close, p.period as number),
  rsi: (b, p) => rsi(b.close, p.period),
  macd: (b, p) => ({ ...macd(b.close, p) }),
  bollinger: (b, p) => ({ ...bollinger(b.close, p as { period: number; multiplier: number; ddof: 0 | 1 }) }),
  atr: (b, p) => atr(b, p.period),
  adx: (b, p) => ({ ...adx(b, p.period) }),
  stochastic: (b, p) => ({ ...stochastic(b, p) }),
  williamsR: (b, p) => williamsR(b, p.period),
  obv: (b) => obv(b),
  vwap: (b, p) => vwap(b, p),
  realizedVolatility: (b, p) => realizedVolatility(b.close, p),
  dayOfWeek: (b) => dayOfWeek(b.timestamp),
  month: (b) => month(b.timestamp),
  quarter: (b) => quarter(b.timestamp),
};

/** The first index where `actual` and `expected` disagree beyond 1e-9 relative, or -1. */
function firstMismatch(actual: ArrayLike<number>, expected: readonly number[]): number {
  if (actual.length !== expected.length) return -2;
  for (let i = 0; i < expected.length; i++) {
    if (!close(actual[i] as number, expected[i] as number, 1e-9, 1e-12)) return i;
  }
  return -1;
}

function describeCase(c: ReferenceCase): string {
  return `${c.fn} ${JSON.stringify(c.args.params)} on ${String(c.args.bars)} bars`;
}

describe('indicators agree with pandas to 1e-9 relative', () => {
  const indicatorCases = cases.filter((c) => c.fn in indicators);
  it('covers every indicator, on both bar sets', () => {
    const covered = new Set(indicatorCases.map((c) => c.fn));
    expect([...covered].sort()).toEqual(Object.keys(indicators).sort());
    expect(indicatorCases.filter((c) => c.args.bars === 'flat').length).toBeGreaterThan(30);
  });
  it.each(indicatorCases.map((c) => [describeCase(c), c] as const))('%s', (_, c) => {
    const b = bars.get(c.args.bars as string) as Bars;
    const out = (indicators[c.fn] as (b: Bars, p: Params) => Output)(b, c.args.params as Params);
    if (out instanceof Float64Array) {
      expect(firstMismatch(out, c.expected as number[])).toBe(-1);
    } else {
      const expected = c.expected as Record<string, number[]>;
      expect(Object.keys(out).sort()).toEqual(Object.keys(expected).sort());
      for (const [name, values] of Object.entries(expected)) {
        expect([name, firstMismatch(out[name] as Float64Array, values)]).toEqual([name, -1]);
      }
    }
  });
});

describe('rolling statistics stay accurate over long series', () => {
  const longCases = cases.filter((c) => c.fn === 'long');
  const n = longCases[0]?.args.n as number;
  // The fixture's series, rebuilt bit for bit: integer arithmetic and single correctly rounded operations.
  const series = Float64Array.from({ length: n }, (_, t) => 1e4 + ((t * 7919) % 10007) / 100 + t * 0.05);
  const fns = { rollingMean, rollingStd, rollingZScore } as const;
  it.each(longCases.map((c) => [`${c.args.fn} window ${c.args.window} over ${n} values`, c] as const))(
    '%s',
    (_, c) => {
      const out = fns[c.args.fn as keyof typeof fns](series, c.args.window as number);
      const picks = c.args.picks as number[];
      const picked = picks.map((i) => out[i] as number);
      expect(firstMismatch(picked, c.expected as number[])).toBe(-1);
    },
  );
});

describe('FeaturePipeline agrees with the same features built in pandas', () => {
  const c = cases.find((x) => x.fn === 'pipeline') as ReferenceCase;
  const expected = c.expected as {
    names: string[];
    columns: Record<string, number[]>;
    y: number[];
    labelEnd: number[];
    warmUp: number;
  };
  const pipeline = new FeaturePipeline({
    name: 'reference',
    version: '1',
    steps: [
      { name: 'ret', feature: 'logReturns' },
      { name: 'retZ', feature: 'rollingZScore', inputs: { values: 'ret' }, params: { window: 20 } },
      { name: 'rsi', feature: 'rsi' },
      { name: 'rsiEma', feature: 'ema', inputs: { values: 'rsi' }, params: { period: 5 } },
      { name: 'macd', feature: 'macd' },
      { name: 'stoch', feature: 'stochastic' },
      { name: 'adx', feature: 'adx', params: { period: 14 } },
      { name: 'vwap', feature: 'vwap', params: { window: 20 } },
    ],
    target: { kind: 'direction', horizon: c.args.horizon as number },
  });
  const built = pipeline.build(bars.get('main') as Bars);
  const renamed = built.names.map((name) => (name === 'adx.adx' ? 'adx' : name));

  it('keeps the reference columns (the ADX lines beside them) and drops the same warm-up, set by the MACD signal', () => {
    expect(renamed.filter((name) => !name.startsWith('adx.'))).toEqual(expected.names);
    expect(built.dropped.warmUp).toBe(expected.warmUp);
    expect(built.dropped.tail).toBe(c.args.horizon);
    expect(built.dropped.warmUpBy).toEqual(['macd.signal', 'macd.histogram']);
  });
  it('computes every column, the target and the label ends', () => {
    for (const name of expected.names) {
      const column = built.columns[renamed.indexOf(name)] as Float64Array;
      expect([name, firstMismatch(column, expected.columns[name] as number[])]).toEqual([name, -1]);
    }
    expect(Array.from(built.y)).toEqual(expected.y);
    expect(Array.from(built.labelEnd)).toEqual(expected.labelEnd);
    expect(built.X.length).toBe(expected.y.length);
    expect(built.X[7]).toEqual(built.columns.map((col) => col[7]));
  });
});
