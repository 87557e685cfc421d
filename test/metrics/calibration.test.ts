import { describe, expect, it } from 'vitest';
import {
  brierScore,
  expectedCalibrationError,
  logLoss,
  type ReliabilityCurve,
  reliabilityCurve,
} from '../../src/metrics/calibration.js';
import { close, loadReferenceCases, type ReferenceCase } from '../fixtures/reference.js';

type Targets = ArrayLike<number | boolean>;

const cases = (loadReferenceCases('classification') as (ReferenceCase & { name: string })[]).filter((c) =>
  ['logLoss', 'brierScore', 'reliabilityCurve', 'expectedCalibrationError'].includes(c.fn),
);

function expectCloseArray(actual: number[], expected: number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  actual.forEach((v, i) => {
    expect(close(v, expected[i] as number), `${what}[${i}]: ${v} vs ${expected[i]}`).toBe(true);
  });
}

describe('calibration metrics against scikit-learn 1.2 and numpy', () => {
  it('has cases for each function, sizes 1 to 20,000', () => {
    for (const fn of ['logLoss', 'brierScore', 'reliabilityCurve', 'expectedCalibrationError']) {
      expect(cases.filter((c) => c.fn === fn).length).toBeGreaterThan(10);
    }
    const sizes = cases.map((c) => (c.args.yTrue as unknown[]).length);
    expect(Math.min(...sizes)).toBe(1);
    expect(Math.max(...sizes)).toBe(20_000);
  });

  it.each(cases.map((c) => [`${c.fn} ${c.name}`, c] as const))('%s', (_, c) => {
    const yTrue = c.args.yTrue as Targets;
    const p = c.args.probabilities as number[];
    const options = c.args.options as never;
    if (c.fn === 'reliabilityCurve') {
      const actual = reliabilityCurve(yTrue, p, options);
      const expected = c.expected as ReliabilityCurve;
      expectCloseArray(actual.meanPredicted, expected.meanPredicted, 'meanPredicted');
      expectCloseArray(actual.fractionPositive, expected.fractionPositive, 'fractionPositive');
      expect(actual.counts).toEqual(expected.counts);
      expect(actual.binIndices).toEqual(expected.binIndices);
      // Edges decide which bin a probability lands in, so they must be bit-for-bit numpy's.
      expect(actual.edges).toEqual(expected.edges);
      return;
    }
    const fn = { logLoss, brierScore, expectedCalibrationError }[c.fn] as (
      y: Targets,
      p: number[],
      o?: never,
    ) => number;
    const actual = fn(yTrue, p, options);
    expect(close(actual, c.expected as number), `${actual} vs ${c.expected}`).toBe(true);
  });
});

describe('logLoss', () => {
  it('clips at float64 epsilon by default, and to Infinity with eps 0', () => {
    expect(logLoss([0, 1], [0, 1])).toBeCloseTo(-Math.log(1 - 2.220446049250313e-16), 30);
    expect(logLoss([1, 0], [0, 1])).toBeCloseTo(-Math.log(2.220446049250313e-16), 12);
    expect(logLoss([1, 0], [0, 1], { eps: 0 })).toBe(Number.POSITIVE_INFINITY);
  });

  it('needs both classes, or both named in options.labels, as scikit-learn', () => {
    expect(() => logLoss([1, 1], [0.9, 0.8])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: yTrue holds only one class (1); pass both classes as options.labels]`,
    );
    expect(logLoss([true, true], [0.5, 0.5], { labels: [false, true] })).toBeCloseTo(Math.LN2, 15);
    expect(() => logLoss([1, 2], [0.9, 0.8], { labels: [0, 1] })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: yTrue[1] is 2, which is not one of options.labels (0, 1)]`,
    );
    expect(() => logLoss([1, 0], [0.9, 0.8], { labels: [1, 1] })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: options.labels must name two different classes]`,
    );
    expect(() => logLoss([1, 0], [0.9, 0.8], { eps: 0.5 })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid logLoss options: eps: Too big: expected number to be <0.5 (received 0.5)]`,
    );
  });
});

describe('input checks shared by the probability metrics', () => {
  it('rejects probabilities outside [0, 1], non-binary labels and different lengths with exact messages', () => {
    expect(() => brierScore([0, 1], [0.5, 1.5])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: probabilities must lie in [0, 1], but probabilities[1] is 1.5]`,
    );
    expect(() => logLoss([0, 1], [-0.1, 0.5])).toThrow('probabilities[0] is -0.1');
    expect(() => brierScore([0, 1], [0.5, Number.NaN])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: probabilities must contain only finite numbers, but probabilities[1] is NaN]`,
    );
    expect(() => brierScore([0, 1, 2], [0.1, 0.2, 0.3])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: yTrue must hold at most two classes for a binary metric, but it holds 0, 1, 2, …]`,
    );
    expect(() => logLoss(['a', 'b'] as never, [0.1, 0.2])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: yTrue must contain binary class labels (integers or booleans), but yTrue[0] is "a"]`,
    );
    expect(() => brierScore([0, 1], [0.5])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: yTrue and probabilities must have the same length, but yTrue has 2 and probabilities has 1]`,
    );
    expect(() => expectedCalibrationError([], [])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: yTrue needs at least 1 value, received 0]`,
    );
  });

  it('needs 0/1, -1/1 or boolean labels for the reliability curve, as scikit-learn', () => {
    expect(() => reliabilityCurve([0, 2], [0.1, 0.2])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: yTrue must be labelled 0/1, -1/1 or with booleans, but it holds 0, 2]`,
    );
    expect(() => reliabilityCurve([0, 1], [0.1, 0.2], { bins: 0 })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid reliabilityCurve options: bins: Too small: expected number to be >=1 (received 0)]`,
    );
    expect(() => expectedCalibrationError([0, 1], [0.1, 0.2], { strategy: 'kmeans' as never })).toThrow(
      'Invalid expectedCalibrationError options: strategy:',
    );
  });
});

describe('reliabilityCurve and expectedCalibrationError', () => {
  it('reproduces the scikit-learn documentation example', () => {
    const curve = reliabilityCurve(
      [0, 0, 0, 0, 1, 1, 1, 1, 1],
      [0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1],
      {
        bins: 3,
      },
    );
    expectCloseArray(curve.fractionPositive, [0, 0.5, 1], 'fractionPositive');
    expectCloseArray(curve.meanPredicted, [0.2, 0.525, 0.85], 'meanPredicted');
    expect(curve.counts).toEqual([3, 2, 4]);
  });

  it('puts a probability on an inner edge in the lower bin and drops empty bins', () => {
    const curve = reliabilityCurve([0, 1, 1], [0.5, 0.5, 1], { bins: 4 });
    expect(curve.edges).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(curve.binIndices).toEqual([1, 3]);
    expect(curve.counts).toEqual([2, 1]);
  });

  it('is 0 for perfectly calibrated bins and |acc − conf| for one bin', () => {
    expect(expectedCalibrationError([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0);
    expect(expectedCalibrationError([1, 1, 1, 0], [0.2, 0.2, 0.2, 0.2], { bins: 1 })).toBeCloseTo(0.55, 15);
    expect(expectedCalibrationError([true, false], [1, 0])).toBe(0);
  });
});
