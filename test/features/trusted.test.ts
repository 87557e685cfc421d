import { describe, expect, it } from 'vitest';
import {
  bollinger,
  FeaturePipeline,
  type FeatureStep,
  logReturns,
  macd,
  momentum,
  obv,
  returns,
  rollingMax,
  rollingMean,
  rollingMin,
  rollingStd,
  rollingZScore,
  rsi,
  stochastic,
  williamsR,
} from '../../src/index.js';
import { loadReferenceCases } from '../fixtures/reference.js';
import { expectInvalid } from '../helpers.js';

// The pipeline checks each bar column and each step's output once and lets later steps skip their own checks, and
// shares one high/low channel between the stochastic and Williams %R. These tests pin that this inner path gives
// exactly what the public functions give alone, and still fails where they would.

type Bars = Record<'timestamp' | 'open' | 'high' | 'low' | 'close' | 'volume', number[]>;
const bars = loadReferenceCases('features').find((c) => c.fn === 'bars' && c.args.label === 'main')
  ?.expected as Bars;

/** Every value equal, bit for bit (Object.is tells NaN from NaN and 0 from −0 as needed). */
function expectSameBits(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  const differing = [...actual].findIndex((v, i) => !Object.is(v, expected[i]));
  expect(differing).toBe(-1);
}

function columns(steps: FeatureStep[]): Map<string, Float64Array> {
  const built = new FeaturePipeline({ name: 'trusted', version: '1', steps }).buildColumns(bars);
  const start = built.barIndex[0] as number;
  // Rebuild every column over all bars: the kept rows are a view into the full arrays.
  return new Map(
    built.names.map((name, j) => {
      const view = built.columns[j] as Float64Array;
      return [name, new Float64Array(view.buffer, view.byteOffset - start * 8, bars.close.length)];
    }),
  );
}

describe('FeaturePipeline inner path', () => {
  it('gives every chained step bit for bit what the public functions give', () => {
    const all = columns([
      { name: 'ret', feature: 'returns' },
      { name: 'mom', feature: 'momentum', params: { period: 3 } },
      { name: 'retZ', feature: 'rollingZScore', inputs: { values: 'ret' }, params: { window: 7 } },
      { name: 'momMax', feature: 'rollingMax', inputs: { values: 'mom' }, params: { window: 4 } },
      { name: 'momMin', feature: 'rollingMin', inputs: { values: 'mom' }, params: { window: 1 } },
      { name: 'rsi', feature: 'rsi', params: { period: 5 } },
      { name: 'rsiMean', feature: 'rollingMean', inputs: { values: 'rsi' }, params: { window: 3 } },
      { name: 'm', feature: 'macd', inputs: { values: 'ret' }, params: { fast: 3, slow: 6, signal: 4 } },
      {
        name: 'signalStd',
        feature: 'rollingStd',
        inputs: { values: 'm.signal' },
        params: { window: 5, ddof: 0 },
      },
      { name: 'bb', feature: 'bollinger', inputs: { values: 'ret' }, params: { period: 6 } },
      { name: 'st', feature: 'stochastic', params: { kPeriod: 9, dPeriod: 2 } },
      { name: 'wr', feature: 'williamsR', params: { period: 9 } },
      { name: 'volMax', feature: 'rollingMax', inputs: { values: 'volume' }, params: { window: 5 } },
    ]);
    const ret = returns(bars.close);
    const mom = momentum(bars.close, 3);
    const rsiLine = rsi(bars.close, 5);
    const m = macd(ret, { fast: 3, slow: 6, signal: 4 });
    const bb = bollinger(ret, { period: 6 });
    const st = stochastic(bars, { kPeriod: 9, dPeriod: 2 });
    const expected: Record<string, Float64Array> = {
      ret,
      mom,
      retZ: rollingZScore(ret, 7),
      momMax: rollingMax(mom, 4),
      momMin: rollingMin(mom, 1),
      rsi: rsiLine,
      rsiMean: rollingMean(rsiLine, 3),
      'm.line': m.line,
      'm.signal': m.signal,
      'm.histogram': m.histogram,
      signalStd: rollingStd(m.signal, 5, 0),
      'bb.middle': bb.middle,
      'bb.upper': bb.upper,
      'bb.lower': bb.lower,
      'st.k': st.k,
      'st.d': st.d,
      wr: williamsR(bars, 9),
      volMax: rollingMax(bars.volume, 5),
    };
    expect([...all.keys()]).toEqual(Object.keys(expected));
    for (const [name, values] of all) expectSameBits(values, expected[name] as Float64Array);
  });

  it('still lets a step reject an earlier output that is not finite, with its own message', () => {
    // obv starts at 0, so its returns divide by zero: the rolling mean checks them as it would alone.
    const volume = [1, 1, 1, 4, 5];
    const close = [1, 2, 1, 3, 4];
    const steps: FeatureStep[] = [
      { name: 'o', feature: 'obv' },
      { name: 'r', feature: 'returns', inputs: { values: 'o' } },
      { name: 'm', feature: 'rollingMean', inputs: { values: 'r' }, params: { window: 2 } },
    ];
    expectInvalid(
      () => rollingMean(returns(obv({ close, volume })), 2),
      'values must be finite after its leading NaN warm-up, but values[1] is Infinity',
    );
    expectInvalid(
      () => new FeaturePipeline({ name: 'p', version: '1', steps }).build({ close, volume }),
      'step m (rollingMean): values must be finite after its leading NaN warm-up, but values[1] is Infinity',
    );
  });

  it('checks an output read as a bar column like any other input', () => {
    // Log returns start with NaN, so they are no price column even inside the pipeline.
    const steps: FeatureStep[] = [
      { name: 'r', feature: 'logReturns' },
      { name: 'w', feature: 'williamsR', inputs: { close: 'r' } },
    ];
    expectInvalid(
      () => new FeaturePipeline({ name: 'p', version: '1', steps }).build(bars),
      'step w (williamsR): close must contain only positive finite prices, but close[0] is NaN',
    );
  });

  it('checks the inputs of the public functions again once a pipeline has run', () => {
    const built = new FeaturePipeline({
      name: 'p',
      version: '1',
      steps: [{ name: 'r', feature: 'logReturns' }],
    }).buildColumns(bars);
    const r = built.columns[0] as Float64Array;
    r[3] = Number.POSITIVE_INFINITY;
    expectInvalid(
      () => rollingMean(r, 2),
      'values must be finite after its leading NaN warm-up, but values[3] is Infinity',
    );
    expectInvalid(() => logReturns([1, 0, 2]), 'logReturns needs positive values, but values[1] is 0');
  });
});
