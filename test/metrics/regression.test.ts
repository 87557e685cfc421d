import { describe, expect, it } from 'vitest';
import {
  directionalAccuracy,
  mae,
  mape,
  mase,
  medianAbsoluteError,
  mse,
  r2,
  rmse,
  smape,
} from '../../src/metrics/regression.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';

interface RegressionArgs {
  label: string;
  yTrue: number[];
  yPred: number[];
  train: number[];
  seasonality: number;
}

const cases = loadReferenceCases('regression').filter((c) => c.fn === 'regression');

type Metric = (a: RegressionArgs) => number;
const metrics: Record<string, Metric> = {
  mse: (a) => mse(a.yTrue, a.yPred),
  rmse: (a) => rmse(a.yTrue, a.yPred),
  mae: (a) => mae(a.yTrue, a.yPred),
  mape: (a) => mape(a.yTrue, a.yPred),
  smape: (a) => smape(a.yTrue, a.yPred),
  mase: (a) => mase(a.yTrue, a.yPred, { train: a.train, seasonality: a.seasonality }),
  r2: (a) => r2(a.yTrue, a.yPred),
  medianAbsoluteError: (a) => medianAbsoluteError(a.yTrue, a.yPred),
  directionalAccuracy: (a) => directionalAccuracy(a.yTrue, a.yPred),
  'directionalAccuracy.miss': (a) => directionalAccuracy(a.yTrue, a.yPred, { zero: 'miss' }),
  'directionalAccuracy.match': (a) => directionalAccuracy(a.yTrue, a.yPred, { zero: 'match' }),
};

describe('regression metrics against scikit-learn and numpy', () => {
  it('has reference data sets of sizes 1 to 20,000', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    const sizes = cases.map((c) => (c.args as unknown as RegressionArgs).yTrue.length);
    expect(Math.min(...sizes)).toBe(1);
    expect(Math.max(...sizes)).toBe(20_000);
  });

  for (const [name, metric] of Object.entries(metrics)) {
    it(`${name} agrees with every reference case to 1e-9`, () => {
      const failures: string[] = [];
      for (const c of cases) {
        const args = c.args as unknown as RegressionArgs;
        const expected = (c.expected as Record<string, number>)[name] as number;
        const actual = metric(args);
        if (!close(actual, expected, 1e-9)) failures.push(`${args.label}: ${actual} vs ${expected}`);
      }
      expect(failures).toEqual([]);
    });
  }
});

describe('documented values and degenerate cases', () => {
  const yTrue = [3, -0.5, 2, 7];
  const yPred = [2.5, 0, 2, 8];

  it('matches the scikit-learn documentation example', () => {
    expect(mse(yTrue, yPred)).toBe(0.375);
    expect(mae(yTrue, yPred)).toBe(0.5);
    expect(rmse(yTrue, yPred)).toBe(Math.sqrt(0.375));
    expect(medianAbsoluteError(yTrue, yPred)).toBe(0.5);
    expect(r2(yTrue, yPred)).toBeCloseTo(0.9486081370449679, 15);
    expect(r2([1, 2, 3], [3, 2, 1])).toBe(-3);
  });

  it('gives r2 of 1 for a perfect constant forecast, 0 for an imperfect one and NaN for one value', () => {
    expect(r2([-2, -2, -2], [-2, -2, -2])).toBe(1);
    expect(r2([-2, -2, -2], [-2, -2, -2 + 1e-8])).toBe(0);
    expect(r2([0.1, 0.1, 0.1], [0.1, 0.1, 0.2])).toBe(0);
    expect(r2([4], [4])).toBeNaN();
  });

  it('floors the MAPE denominator at machine epsilon for zero true values', () => {
    expect(mape([0, 1], [1, 1])).toBe(1 / 2.220446049250313e-16 / 2);
    expect(mape([100, 200], [110, 180])).toBeCloseTo(0.1, 15);
    expect(mape([0], [0])).toBe(0);
  });

  it('keeps SMAPE in [0, 2] and counts 0/0 as a perfect forecast', () => {
    expect(smape([100, 0], [110, 0])).toBe((2 * (10 / 210)) / 2);
    expect(smape([1, -1], [-1, 1])).toBe(2);
    expect(smape([0, 5], [3, 0])).toBe(2);
    expect(smape([0, 0], [0, 0])).toBe(0);
  });

  it('scales MASE by the seasonal naive forecast and returns Infinity or NaN for a zero scale', () => {
    expect(mase([5, 6], [5.5, 6.5], { train: [1, 2, 4, 7] })).toBe(0.25);
    // seasonality 2: |4 − 1|, |7 − 2| → scale 4
    expect(mase([5, 6], [5.5, 6.5], { train: [1, 2, 4, 7], seasonality: 2 })).toBe(0.125);
    expect(mase([1, 2], [1, 3], { train: [3, 3, 3] })).toBe(Number.POSITIVE_INFINITY);
    expect(mase([1, 2], [1, 2], { train: [3, 3, 3] })).toBeNaN();
    expect(mase([1], [2], { train: [0, 1] })).toBe(1);
  });

  it('handles zero moves as excluded, missed or matched', () => {
    const moves = [0.5, -1, 2, 0];
    const forecast = [0.1, 1, 3, -2];
    expect(directionalAccuracy(moves, forecast)).toBe(2 / 3);
    expect(directionalAccuracy(moves, forecast, { zero: 'exclude' })).toBe(2 / 3);
    expect(directionalAccuracy(moves, forecast, { zero: 'miss' })).toBe(2 / 4);
    expect(directionalAccuracy(moves, forecast, { zero: 'match' })).toBe(3 / 4);
    expect(directionalAccuracy([0, 0], [0, 1])).toBeNaN();
    expect(directionalAccuracy([0, 0], [0, 1], { zero: 'miss' })).toBe(0);
    expect(directionalAccuracy([-0.001, 1e-300], [-5, 1e300])).toBe(1);
  });

  it('accepts typed arrays and a single value', () => {
    const t = new Float64Array([1, 2, 3]);
    const p = new Float32Array([1, 2, 4]);
    expect(mae(t, p)).toBe(1 / 3);
    expect(mse([2], [5])).toBe(9);
    expect(medianAbsoluteError([2], [5])).toBe(3);
  });
});

describe('bad input', () => {
  it('rejects different lengths, naming both', () => {
    expect(() => mae([1, 2], [1])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: yTrue and yPred must have the same length, but yTrue has 2 and yPred has 1]`,
    );
  });

  it('rejects empty arrays as insufficient data', () => {
    expect(() => mse([], [])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: yTrue needs at least 1 value, received 0]`,
    );
    try {
      r2([], []);
      expect.unreachable();
    } catch (error) {
      expect((error as { code: string }).code).toBe('INSUFFICIENT_DATA');
    }
  });

  it('rejects non-finite values, naming the index', () => {
    expect(() => rmse([1, Number.NaN], [1, 2])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: yTrue must contain only finite numbers, but yTrue[1] is NaN]`,
    );
    expect(() => smape([1, 2], [1, Number.POSITIVE_INFINITY])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: yPred must contain only finite numbers, but yPred[1] is Infinity]`,
    );
    expect(() => mape('12' as unknown as number[], [1, 2])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: yTrue must be an array of finite numbers, received string]`,
    );
  });

  it('rejects a missing, short or non-finite training series for MASE', () => {
    expect(() => mase([1], [1], {} as never)).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid mase options: train: expected an array of numbers (received nothing)]`,
    );
    expect(() => mase([1], [1], { train: [1] })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: train needs at least 2 values for a seasonal naive forecast with seasonality 1, received 1]`,
    );
    expect(() => mase([1], [1], { train: [1, 2, 3], seasonality: 3 })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: train needs at least 4 values for a seasonal naive forecast with seasonality 3, received 3]`,
    );
    expect(() => mase([1], [1], { train: [1, Number.NaN] })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: train must contain only finite numbers, but train[1] is NaN]`,
    );
    expect(() => mase([1], [1], { train: [1, 2], seasonality: 0 })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid mase options: seasonality: Too small: expected number to be >=1 (received 0)]`,
    );
    expect(() => mase([1], [1], { train: [1, 2], seasonality: 1.5 })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid mase options: seasonality: Invalid input: expected int, received number (received 1.5)]`,
    );
    expect(() => mase([1], [1], { train: [1, 2], season: 2 } as never)).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid mase options: Unrecognized key: "season"]`,
    );
  });

  it('rejects an unknown zero handling for directional accuracy', () => {
    expect(() => directionalAccuracy([1], [1], { zero: 'skip' } as never)).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid directionalAccuracy options: zero: Invalid option: expected one of "exclude"|"miss"|"match" (received "skip")]`,
    );
  });
});
