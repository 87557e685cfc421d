import fc from 'fast-check';
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

interface Bars {
  timestamp: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}

/** One bar from small integers, so that ties, flat bars and zero volumes are common. */
const barArb = fc.record({
  step: fc.integer({ min: -3, max: 3 }),
  gap: fc.integer({ min: 0, max: 2 }),
  up: fc.integer({ min: 0, max: 2 }),
  down: fc.integer({ min: 0, max: 2 }),
  volume: fc.integer({ min: 0, max: 5 }),
  days: fc.integer({ min: 1, max: 4 }),
});
type BarSeed = typeof barArb extends fc.Arbitrary<infer T> ? T : never;

function makeBars(seeds: readonly BarSeed[]): Bars {
  const bars: Bars = { timestamp: [], open: [], high: [], low: [], close: [], volume: [] };
  let price = 100;
  let time = Date.UTC(2020, 0, 1);
  for (const s of seeds) {
    const open = price + s.gap / 10;
    price += s.step / 10;
    time += s.days * 86_400_000;
    bars.timestamp.push(time);
    bars.open.push(open);
    bars.close.push(price);
    bars.high.push(Math.max(open, price) + s.up / 10);
    bars.low.push(Math.min(open, price) - s.down / 10);
    bars.volume.push(s.volume);
  }
  return bars;
}

/** Every indicator with short windows, each output under its own name. */
function everything(b: Bars): Record<string, Float64Array> {
  const c = b.close;
  return {
    returns: returns(c),
    logReturns: logReturns(c),
    lag: lag(c, 2),
    momentum: momentum(c, 3),
    rollingMean: rollingMean(c, 4),
    rollingStd: rollingStd(c, 4),
    rollingMin: rollingMin(c, 4),
    rollingMax: rollingMax(c, 4),
    rollingZScore: rollingZScore(c, 3),
    sma: sma(c, 5),
    ema: ema(c, 5),
    rsi: rsi(c, 4),
    ...prefixed('macd', macd(c, { fast: 3, slow: 6, signal: 3 })),
    ...prefixed('bollinger', bollinger(c, { period: 5 })),
    atr: atr(b, 4),
    ...prefixed('adx', adx(b, 4)),
    ...prefixed('stochastic', stochastic(b, { kPeriod: 4, dPeriod: 2 })),
    williamsR: williamsR(b, 4),
    obv: obv(b),
    vwap: vwap(b),
    rollingVwap: vwap(b, { window: 3 }),
    realizedVolatility: realizedVolatility(c, { window: 3 }),
    dayOfWeek: dayOfWeek(b.timestamp),
    month: month(b.timestamp),
    quarter: quarter(b.timestamp),
  };
}

function prefixed(name: string, lines: object): Record<string, Float64Array> {
  return Object.fromEntries(Object.entries(lines).map(([k, v]) => [`${name}.${k}`, v as Float64Array]));
}

const scenario = fc
  .tuple(
    fc.array(barArb, { minLength: 2, maxLength: 80 }),
    fc.array(barArb, { minLength: 80, maxLength: 80 }),
  )
  .chain(([seeds, other]) =>
    fc.tuple(fc.constant(seeds), fc.constant(other), fc.integer({ min: 0, max: seeds.length - 1 })),
  );

/** The bars with every bar after `t` replaced by another (the same times, so they stay increasing). */
function perturbAfter(seeds: readonly BarSeed[], other: readonly BarSeed[], t: number): BarSeed[] {
  return seeds.map((s, i) => (i <= t ? s : { ...(other[i] as BarSeed), days: s.days }));
}

describe('no feature looks ahead', () => {
  it('changing any bar after t never changes any indicator at or before t', () => {
    fc.assert(
      fc.property(scenario, ([seeds, other, t]) => {
        const before = everything(makeBars(seeds));
        const after = everything(makeBars(perturbAfter(seeds, other, t)));
        for (const [name, values] of Object.entries(before)) {
          const changed = after[name] as Float64Array;
          for (let i = 0; i <= t; i++) {
            if (!Object.is(values[i], changed[i])) {
              throw new Error(
                `${name}[${i}] changed from ${values[i]} to ${changed[i]} (perturbed after ${t})`,
              );
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('changing any bar after t never changes a FeaturePipeline row at or before t', () => {
    const pipeline = new FeaturePipeline({
      name: 'lookahead',
      version: '1',
      steps: [
        { name: 'ret', feature: 'logReturns' },
        { name: 'retZ', feature: 'rollingZScore', inputs: { values: 'ret' }, params: { window: 3 } },
        { name: 'rsi', feature: 'rsi', params: { period: 3 } },
        { name: 'rsiEma', feature: 'ema', inputs: { values: 'rsi' }, params: { period: 2 } },
        { name: 'adx', feature: 'adx', params: { period: 2 } },
        { name: 'stoch', feature: 'stochastic', params: { kPeriod: 3, dPeriod: 2 } },
        { name: 'vwap', feature: 'vwap', params: { window: 2 } },
        { name: 'dow', feature: 'dayOfWeek' },
      ],
      target: { kind: 'forwardReturn', horizon: 2 },
    });
    fc.assert(
      fc.property(scenario, ([seeds, other, t]) => {
        fc.pre(seeds.length >= 12);
        const before = pipeline.build(makeBars(seeds));
        const after = pipeline.build(makeBars(perturbAfter(seeds, other, t)));
        expect(after.dropped).toEqual(before.dropped);
        for (let row = 0; row < before.X.length && (before.barIndex[row] as number) <= t; row++) {
          expect(after.X[row]).toEqual(before.X[row]);
        }
      }),
      { numRuns: 200 },
    );
  });
});
