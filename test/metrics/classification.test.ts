import { describe, expect, it } from 'vitest';
import {
  accuracy,
  balancedAccuracy,
  type ConfusionMatrix,
  confusionMatrix,
  f1,
  fbeta,
  matthewsCorrcoef,
  precision,
  recall,
} from '../../src/metrics/classification.js';
import type { Labels } from '../../src/metrics/labels.js';
import { close, loadReferenceCases, type ReferenceCase } from '../fixtures/reference.js';

type ScalarMetric = (yTrue: Labels, yPred: Labels, options?: never) => number;

const scalarMetrics: Record<string, ScalarMetric> = {
  accuracy,
  balancedAccuracy: balancedAccuracy as ScalarMetric,
  matthewsCorrcoef,
  precision: precision as ScalarMetric,
  recall: recall as ScalarMetric,
  f1: f1 as ScalarMetric,
  fbeta: fbeta as unknown as ScalarMetric,
};

const cases = loadReferenceCases('classification') as (ReferenceCase & { name: string })[];
const labelCases = cases.filter((c) => c.fn in scalarMetrics || c.fn === 'confusionMatrix');

describe('classification metrics against scikit-learn 1.2', () => {
  it('has reference cases for every metric, sizes 1 to 20,000', () => {
    for (const fn of [...Object.keys(scalarMetrics), 'confusionMatrix']) {
      expect(labelCases.filter((c) => c.fn === fn).length).toBeGreaterThan(3);
    }
    const sizes = labelCases.map((c) => (c.args.yTrue as unknown[]).length);
    expect(Math.min(...sizes)).toBe(1);
    expect(Math.max(...sizes)).toBe(20_000);
  });

  it.each(labelCases.map((c) => [`${c.fn} ${c.name}`, c] as const))('%s', (_, c) => {
    const yTrue = c.args.yTrue as Labels;
    const yPred = c.args.yPred as Labels;
    const options = c.args.options as never;
    if (c.fn === 'confusionMatrix') {
      const actual = confusionMatrix(yTrue, yPred, options);
      const expected = c.expected as ConfusionMatrix;
      expect(actual.labels).toEqual(expected.labels);
      expect(actual.matrix.length).toBe(expected.matrix.length);
      actual.matrix.forEach((row, i) => {
        row.forEach((v, j) => {
          expect(close(v, expected.matrix[i]?.[j] as number), `[${i}][${j}] ${v}`).toBe(true);
        });
      });
      return;
    }
    const fn = scalarMetrics[c.fn] as ScalarMetric;
    const actual = fn(yTrue, yPred, options);
    expect(close(actual, c.expected as number), `${actual} vs ${c.expected}`).toBe(true);
  });
});

describe('labels', () => {
  it('orders classes as np.unique: numbers ascending, strings by code point, false before true', () => {
    expect(confusionMatrix([10, -2, 3], [3, 3, 10]).labels).toEqual([-2, 3, 10]);
    expect(confusionMatrix(['b', 'B', 'é', '😀', '\uffff'], ['a', 'a', 'a', 'a', 'a']).labels).toEqual([
      'B',
      'a',
      'b',
      'é',
      '\uffff',
      '😀',
    ]);
    expect(confusionMatrix([true, false], [true, true]).labels).toEqual([false, true]);
  });

  it('treats booleans mixed with numbers as 1 and 0', () => {
    expect(accuracy([true, false, true], [1, 0, 0])).toBe(2 / 3);
    expect(confusionMatrix([true, false], [1, 1])).toEqual({
      labels: [0, 1],
      matrix: [
        [0, 1],
        [0, 1],
      ],
    });
    expect(precision([true, false, true], [true, true, false], { positiveLabel: 1 })).toBe(0.5);
    expect(precision([1, 0, 1], [1, 1, 0], { positiveLabel: true })).toBe(0.5);
  });

  it('accepts typed arrays of labels', () => {
    expect(accuracy(new Int32Array([1, 2, 3]), new Float64Array([1, 2, 0]))).toBe(2 / 3);
  });

  it('rejects non-labels, mixed types, different lengths and empty input with exact messages', () => {
    expect(() => accuracy([0, 0.5], [0, 1])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: yTrue must contain class labels (integers, strings or booleans), but yTrue[1] is 0.5]`,
    );
    expect(() => accuracy([0, 1], [0, Number.NaN])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: yPred must contain class labels (integers, strings or booleans), but yPred[1] is NaN]`,
    );
    expect(() => accuracy([0, 1], [0, null as never])).toThrow('but yPred[1] is null');
    expect(() => accuracy(['a', 'b'], [0, 1])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: yTrue and yPred mix string labels with numeric or boolean labels; use one type of label]`,
    );
    expect(() => accuracy([0, 1], [0])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: yTrue and yPred must have the same length, but yTrue has 2 and yPred has 1]`,
    );
    expect(() => accuracy([], [])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: yTrue needs at least 1 value, received 0]`,
    );
    expect(() => accuracy(5 as never, [1])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: yTrue must be an array of class labels (integers, strings or booleans), received number]`,
    );
    expect(() => accuracy([], [])).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_DATA' }));
    expect(() => accuracy([0.5], [1])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('precision, recall and F-scores', () => {
  it('scores class 1 by default and needs at most two classes for the binary average', () => {
    expect(precision([0, 1, 1, 0], [1, 1, 0, 0])).toBe(0.5);
    expect(() => precision([0, 1, 2], [0, 1, 1])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: average 'binary' needs at most two classes, but yTrue and yPred hold 3 (0, 1, 2); choose average 'macro', 'weighted' or 'micro']`,
    );
  });

  it('rejects a positive label that is not one of two present classes, as scikit-learn', () => {
    expect(() => recall(['a', 'b'], ['a', 'a'])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: positiveLabel 1 is not a class of yTrue or yPred; it should be one of "a", "b"]`,
    );
    expect(() => f1([0, 2], [2, 0])).toThrow('positiveLabel 1 is not a class of yTrue or yPred');
  });

  it('scores an absent positive class by the zero-division rule when fewer than two classes are present', () => {
    // No positive anywhere: precision, recall and F are all ill-defined.
    for (const zeroDivision of [0, 1] as const) {
      expect(precision([0, 0], [0, 0], { zeroDivision })).toBe(zeroDivision);
      expect(recall([0, 0], [0, 0], { zeroDivision })).toBe(zeroDivision);
      expect(f1([0, 0], [0, 0], { zeroDivision })).toBe(zeroDivision);
    }
    expect(f1([0, 0], [0, 0], { zeroDivision: 'nan' })).toBeNaN();
  });

  it("with zeroDivision 'nan' leaves ill-defined classes out of the average (scikit-learn >= 1.3)", () => {
    // Class 2 is never predicted (precision undefined) and class 3 never true (recall undefined).
    const yTrue = [0, 0, 1, 1, 2, 2];
    const yPred = [0, 1, 1, 1, 3, 0];
    // Per class precision: 0 → 1/2, 1 → 2/3, 2 → undefined, 3 → 0/1.
    expect(precision(yTrue, yPred, { average: 'macro', zeroDivision: 'nan' })).toBeCloseTo(
      (1 / 2 + 2 / 3) / 3,
      15,
    );
    expect(precision(yTrue, yPred, { average: 'macro', zeroDivision: 0 })).toBeCloseTo(
      (1 / 2 + 2 / 3) / 4,
      15,
    );
    expect(precision(yTrue, yPred, { average: 'macro', zeroDivision: 1 })).toBeCloseTo(
      (1 / 2 + 2 / 3 + 1) / 4,
      15,
    );
    // Per class recall: 0 → 1/2, 1 → 1, 2 → 0, 3 → undefined; weights 2, 2, 2.
    expect(recall(yTrue, yPred, { average: 'weighted', zeroDivision: 'nan' })).toBeCloseTo(0.5, 15);
    // F: a class with exactly one undefined ratio scores 0 (tp is 0), as scikit-learn >= 1.3.
    const f = (p: number, r: number) => (2 * p * r) / (p + r);
    expect(f1(yTrue, yPred, { average: 'macro', zeroDivision: 'nan' })).toBeCloseTo(
      (f(1 / 2, 1 / 2) + f(2 / 3, 1)) / 4,
      15,
    );
    expect(precision([0, 0], [1, 1], { zeroDivision: 'nan' })).toBe(0);
    expect(recall([0, 0], [1, 1], { zeroDivision: 'nan' })).toBeNaN();
    expect(precision([1, 1], [0, 0], { average: 'weighted', zeroDivision: 'nan' })).toBe(0);
  });

  it('pools counts for the micro average, so micro precision equals accuracy on multiclass labels', () => {
    const yTrue = ['a', 'b', 'c', 'a', 'b', 'c', 'c'];
    const yPred = ['a', 'c', 'c', 'b', 'b', 'a', 'c'];
    expect(precision(yTrue, yPred, { average: 'micro' })).toBe(accuracy(yTrue, yPred));
    expect(f1(yTrue, yPred, { average: 'micro' })).toBe(accuracy(yTrue, yPred));
  });

  it('gives precision for beta 0 and approaches recall for a large beta', () => {
    const yTrue = [0, 1, 1, 1, 0, 1];
    const yPred = [1, 1, 0, 1, 0, 0];
    expect(fbeta(yTrue, yPred, { beta: 0 })).toBe(precision(yTrue, yPred));
    expect(fbeta(yTrue, yPred, { beta: 1e6 })).toBeCloseTo(recall(yTrue, yPred), 10);
    expect(fbeta(yTrue, yPred, { beta: 1 })).toBe(f1(yTrue, yPred));
  });

  it('validates options with exact messages', () => {
    expect(() =>
      precision([0, 1], [0, 1], { average: 'samples' as never }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid precision options: average: Invalid option: expected one of "binary"|"macro"|"weighted"|"micro" (received "samples")]`,
    );
    expect(() => recall([0, 1], [0, 1], { zeroDivision: 'warn' as never })).toThrow(
      'Invalid recall options: zeroDivision:',
    );
    expect(() => fbeta([0, 1], [0, 1], { beta: -1 })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid fbeta options: beta: Too small: expected number to be >=0 (received -1)]`,
    );
    expect(() => fbeta([0, 1], [0, 1], {} as never)).toThrow('Invalid fbeta options: beta:');
    expect(() => f1([0, 1], [0, 1], { avg: 'macro' } as never)).toThrow(
      'Invalid f1 options: Unrecognized key: "avg"',
    );
  });
});

describe('confusionMatrix', () => {
  it('puts true classes in rows and predictions in columns', () => {
    expect(
      confusionMatrix(
        ['cat', 'ant', 'cat', 'cat', 'ant', 'bird'],
        ['ant', 'ant', 'cat', 'cat', 'ant', 'cat'],
      ),
    ).toEqual({
      labels: ['ant', 'bird', 'cat'],
      matrix: [
        [2, 0, 0],
        [0, 0, 1],
        [1, 0, 2],
      ],
    });
  });

  it('shows only the listed labels, in their order, with zeros for classes that never occur', () => {
    expect(confusionMatrix([1, 2, 3], [1, 3, 3], { labels: [9, 3, 1] })).toEqual({
      labels: [9, 3, 1],
      matrix: [
        [0, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
    });
  });

  it('normalises an empty row to zeros', () => {
    expect(confusionMatrix([0, 0], [0, 1], { normalize: 'true' }).matrix).toEqual([
      [0.5, 0.5],
      [0, 0],
    ]);
  });

  it('rejects empty, repeated or unseen label lists', () => {
    expect(() => confusionMatrix([0, 1], [0, 1], { labels: [] })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: options.labels must list at least one class]`,
    );
    expect(() => confusionMatrix([0, 1], [0, 1], { labels: [1, 1] })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: options.labels must not repeat a class]`,
    );
    expect(() => confusionMatrix([0, 1], [0, 2], { labels: [2, 5] })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: options.labels must include at least one class that occurs in yTrue]`,
    );
    expect(() => confusionMatrix([0, 1], [0, 1], { labels: [0.5] })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: options.labels must contain class labels (integers, strings or booleans), but options.labels[0] is 0.5]`,
    );
    expect(() => confusionMatrix([0, 1], [0, 1], { normalize: 'rows' as never })).toThrow(
      'Invalid confusionMatrix options: normalize:',
    );
  });
});

describe('balancedAccuracy and matthewsCorrcoef', () => {
  it('averages recall over the classes of yTrue only', () => {
    // Class 9 appears only in yPred and is left out: recalls 1/2 and 1.
    expect(balancedAccuracy([0, 0, 1], [0, 9, 1])).toBe(0.75);
  });

  it('divides by zero when adjusting a single-class yTrue, as scikit-learn', () => {
    expect(balancedAccuracy([1, 1], [1, 1], { adjusted: true })).toBeNaN();
    expect(balancedAccuracy([1, 1], [1, 0], { adjusted: true })).toBe(Number.NEGATIVE_INFINITY);
    expect(() => balancedAccuracy([1], [1], { adjusted: 'yes' as never })).toThrow(
      'Invalid balancedAccuracy options: adjusted:',
    );
  });

  it('returns 0 for MCC when yTrue or yPred holds one class, 1 and −1 at the extremes', () => {
    expect(matthewsCorrcoef([1, 1, 1], [1, 0, 1])).toBe(0);
    expect(matthewsCorrcoef([1, 0, 1], [1, 1, 1])).toBe(0);
    expect(matthewsCorrcoef(['x', 'y', 'z'], ['x', 'y', 'z'])).toBe(1);
    expect(matthewsCorrcoef([0, 1, 0, 1], [1, 0, 1, 0])).toBe(-1);
  });
});
