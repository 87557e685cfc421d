import { describe, expect, it } from 'vitest';
import {
  atr,
  bollinger,
  dayOfWeek,
  FeaturePipeline,
  type FeatureStep,
  lag,
  logReturns,
  macd,
  obv,
  realizedVolatility,
  rollingMean,
  rollingStd,
  rollingZScore,
  stochastic,
  vwap,
} from '../../src/index.js';
import { expectInvalid, thrown } from '../helpers.js';

const pipeline = (...steps: FeatureStep[]) => new FeaturePipeline({ name: 'p', version: '1', steps });

describe('indicator arguments', () => {
  it.each([
    [() => rollingMean([1, 2], 0), 'window must be an integer of at least 1, received 0'],
    [() => rollingMean([1, 2], 1.5), 'window must be an integer of at least 1, received 1.5'],
    [() => rollingZScore([1, 2], 1), 'window must be an integer of at least 2, received 1'],
    [() => lag([1, 2], 0), 'periods must be an integer of at least 1, received 0'],
    [() => rollingStd([1, 2], 2, 2 as never), 'ddof must be 0 or 1, received 2'],
    [
      () => rollingMean([1, Number.NaN, 2], 2),
      'values must be finite after its leading NaN warm-up, but values[1] is NaN',
    ],
    [
      () => rollingMean([Number.NaN, 1, Number.POSITIVE_INFINITY], 2),
      'values must be finite after its leading NaN warm-up, but values[2] is Infinity',
    ],
    [() => rollingMean(5 as never, 2), 'values must be an array of numbers, received number'],
    [() => logReturns([1, 0, 2]), 'logReturns needs positive values, but values[1] is 0'],
    [
      () => macd([1, 2], { fast: 26, slow: 12 }),
      'Invalid macd options: fast: fast must be below slow (received 26)',
    ],
    [() => macd([1, 2], { fastest: 3 } as never), 'Invalid macd options: Unrecognized key: "fastest"'],
    [
      () => bollinger([1, 2], { period: 1 }),
      'Invalid bollinger options: period: Too small: expected number to be >=2 (received 1)',
    ],
    [
      () => atr({ high: [2, 3], low: [1, 2], close: [1.5] }),
      'high and close must have the same length, but high has 2 and close has 1',
    ],
    [
      () => atr({ high: [2, 3], low: [1, -2], close: [1.5, 2] }),
      'low must contain only positive finite prices, but low[1] is -2',
    ],
    [
      () => atr({ high: [2, 3], low: [1, 2] } as never),
      'close must be an array of numbers, received undefined',
    ],
    [
      () => obv({ close: [1, 2], volume: [1, -1] }),
      'volume must contain only finite non-negative numbers, but volume[1] is -1',
    ],
    [
      () => vwap({ high: [1], low: [1], close: [1], volume: [1] }, { window: 0 }),
      'Invalid vwap options: window: Too small: expected number to be >=1 (received 0)',
    ],
    [
      () => realizedVolatility([1, 2], { window: 1 }),
      'Invalid realizedVolatility options: window: Too small: expected number to be >=2 (received 1)',
    ],
    [
      () => stochastic({ high: [1], low: [1], close: [1] }, { kPeriod: 0 }),
      'Invalid stochastic options: kPeriod: Too small: expected number to be >=1 (received 0)',
    ],
    [
      () => dayOfWeek([0, Number.NaN]),
      'timestamps must contain only finite numbers, but timestamps[1] is NaN',
    ],
  ] as const)('rejects %#: %s', (fn, message) => expectInvalid(fn, message));
});

describe('FeaturePipeline definitions', () => {
  const prefix = 'Invalid FeaturePipeline definition: ';
  it.each([
    [
      () => pipeline({ name: 'a', feature: 'rsi' }, { name: 'a', feature: 'rsi' }),
      `${prefix}steps[1].name "a" is already a bar column or an earlier step's name`,
    ],
    [
      () => pipeline({ name: 'close', feature: 'rsi' }),
      `${prefix}steps[0].name "close" is already a bar column or an earlier step's name`,
    ],
    [
      () => pipeline({ name: 'a.b', feature: 'rsi' }),
      `${prefix}steps[0].name "a.b" must not contain a dot (it separates a step's outputs)`,
    ],
    [
      () =>
        pipeline(
          { name: 'a', feature: 'rsi', inputs: { values: 'later' } },
          { name: 'later', feature: 'ema' },
        ),
      `${prefix}steps[0].inputs.values reads "later", which is neither a bar column nor an earlier step's output`,
    ],
    [
      () => pipeline({ name: 'a', feature: 'rsi', inputs: { close: 'close' } }),
      `${prefix}steps[0] (rsi) has no input "close"; its inputs are values`,
    ],
    [
      () => pipeline({ name: 'a', feature: 'rsi', params: { period: 0 } }),
      'Invalid step a (rsi) params: period: Too small: expected number to be >=1 (received 0)',
    ],
    [
      () => pipeline({ name: 'a', feature: 'rsi', params: { window: 3 } }),
      'Invalid step a (rsi) params: Unrecognized key: "window"',
    ],
    [
      () => pipeline({ name: 'a', feature: 'macd', params: { fast: 30 } }),
      'Invalid step a (macd) params: fast: fast must be below slow (received 30)',
    ],
    [
      () => pipeline(),
      `${prefix}steps: Too small: expected array to have >=1 items (received an array of 0)`,
    ],
  ] as const)('rejects %#: %s', (fn, message) => expectInvalid(fn, message));
});

describe('FeaturePipeline.build arguments', () => {
  it('names the features still warming up when no row is complete', () => {
    const error = thrown(() => pipeline({ name: 'a', feature: 'rsi' }).build({ close: [1, 2, 3] }));
    expect(error.code).toBe('INSUFFICIENT_DATA');
    expect(error.message).toBe(
      'FeaturePipeline p has no complete row: a is still warming up at the last of 3 bars; give it more bars or shorter windows',
    );
  });
  it('says how many bars the warm-up and the target need', () => {
    const steps = pipeline({ name: 'a', feature: 'rsi', params: { period: 2 } });
    const error = thrown(() => steps.build({ close: [1, 2, 3] }));
    expect(error.code).toBe('INSUFFICIENT_DATA');
    expect(error.message).toBe(
      'FeaturePipeline p needs at least 4 bars (2 of warm-up, 1 for the target and one row), received 3',
    );
  });
  it.each([
    [
      () => pipeline({ name: 'a', feature: 'obv' }).build({ close: [1, 2, 3] }),
      "bars.volume is required by this pipeline's steps",
    ],
    [
      () => pipeline({ name: 'a', feature: 'obv' }).build({ close: [1, 2, 3], volume: [1, 2] }),
      'bars.volume must have one value per bar (3), received 2',
    ],
    [
      () => pipeline({ name: 'a', feature: 'rsi' }).build({ close: [1, -2, 3] }),
      'bars.close must contain only positive finite prices, but bars.close[1] is -2',
    ],
    [
      () =>
        pipeline(
          { name: 'o', feature: 'obv' },
          { name: 'r', feature: 'logReturns', inputs: { values: 'o' } },
        ).build({
          close: [1, 2, 1, 3],
          volume: [1, 2, 3, 4],
        }),
      'step r (logReturns): logReturns needs positive values, but values[0] is 0',
    ],
    [
      () =>
        pipeline(
          { name: 'o', feature: 'obv' },
          { name: 'r', feature: 'returns', inputs: { values: 'o' } },
        ).build({
          close: [1, 2, 1, 3, 4],
          volume: [1, 1, 1, 4, 5],
        }),
      'feature r is Infinity at bar 1, after its warm-up; every feature must be finite once it starts',
    ],
    [
      () => pipeline({ name: 'd', feature: 'month' }).build({ close: [1, 2, 3], timestamp: [0, 0, 1] }),
      'bars.timestamp must be strictly increasing, but bars.timestamp[1] = 0 (1970-01-01T00:00:00.000Z) is ' +
        'duplicate after bars.timestamp[0] = 0 (1970-01-01T00:00:00.000Z)',
    ],
  ] as const)('rejects %#: %s', (fn, message) => expectInvalid(fn, message));
});
