import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { rocAuc } from '../../src/metrics/roc-auc.js';
import { close, loadReferenceCases, type ReferenceCase } from '../fixtures/reference.js';

const cases = (loadReferenceCases('classification') as (ReferenceCase & { name: string })[]).filter(
  (c) => c.fn === 'rocAuc',
);

/** AUC by definition: the share of (positive, negative) pairs ordered correctly, ties counting one half. */
function pairwiseAuc(yTrue: ArrayLike<number>, scores: ArrayLike<number>): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i] !== 1) continue;
    for (let j = 0; j < yTrue.length; j++) {
      if (yTrue[j] !== 0) continue;
      const a = scores[i] as number;
      const b = scores[j] as number;
      wins += a > b ? 1 : a === b ? 0.5 : 0;
      pairs++;
    }
  }
  return wins / pairs;
}

describe('rocAuc against scikit-learn 1.2 roc_auc_score', () => {
  it('has cases from 2 to 20,000 points with ties', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    expect(Math.max(...cases.map((c) => (c.args.yTrue as unknown[]).length))).toBe(20_000);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const actual = rocAuc(c.args.yTrue as number[], c.args.scores as number[]);
    expect(close(actual, c.expected as number), `${actual} vs ${c.expected}`).toBe(true);
  });
});

describe('rocAuc', () => {
  it('counts a tie between a positive and a negative as one half', () => {
    expect(rocAuc([true, false, true], [0.5, 0.5, 0.9])).toBe(0.75);
    expect(rocAuc([0, 1, 0, 1], [2, 2, 2, 2])).toBe(0.5);
  });

  it('agrees with the pairwise definition on random tied scores', () => {
    const rng = new Random(7);
    for (let trial = 0; trial < 20; trial++) {
      const n = 2 + rng.int(0, 59);
      const yTrue = Array.from({ length: n }, (_, i) => (i < 2 ? i : rng.float() < 0.3 ? 1 : 0));
      const scores = Array.from({ length: n }, () => rng.int(0, 4) - 2);
      expect(close(rocAuc(yTrue, scores), pairwiseAuc(yTrue, scores), 1e-15)).toBe(true);
    }
  });

  it('is exact on a million points with heavy ties, and fast', () => {
    const n = 1_000_000;
    const rng = new Random(3);
    const yTrue = new Int8Array(n);
    const scores = new Float64Array(n);
    // Scores in 11 levels; positives shifted up one level half the time. The exact AUC follows from level counts.
    const positivesAt = new Float64Array(12);
    const negativesAt = new Float64Array(12);
    for (let i = 0; i < n; i++) {
      const positive = rng.float() < 0.3;
      const level = rng.int(0, 10) + (positive && rng.float() < 0.5 ? 1 : 0);
      yTrue[i] = positive ? 1 : 0;
      scores[i] = level / 10;
      if (positive) positivesAt[level] = (positivesAt[level] as number) + 1;
      else negativesAt[level] = (negativesAt[level] as number) + 1;
    }
    let twiceU = 0;
    let below = 0;
    let nPositive = 0;
    for (let level = 0; level < 12; level++) {
      const p = positivesAt[level] as number;
      const q = negativesAt[level] as number;
      twiceU += p * (2 * below + q);
      below += q;
      nPositive += p;
    }
    const expected = twiceU / (2 * nPositive * (n - nPositive));
    expect(rocAuc(yTrue as unknown as ArrayLike<number>, scores)).toBe(expected);
  });

  it('treats -0 and +0 as one tied score on long inputs too', () => {
    const n = 5000;
    const yTrue = Array.from({ length: n }, (_, i) => i % 2);
    const scores = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -0 : 0));
    expect(rocAuc(yTrue, scores)).toBe(0.5);
    const shifted = scores.map((s, i) => (i % 2 === 1 && i % 5 === 0 ? 1e-300 : s - (i % 7 === 0 ? 1 : 0)));
    expect(close(rocAuc(yTrue, shifted), pairwiseAuc(yTrue, shifted), 1e-15)).toBe(true);
  });

  it('takes the larger label as positive', () => {
    expect(rocAuc([5, 2, 2, 5], [0.9, 0.1, 0.2, 0.3])).toBe(1);
    expect(rocAuc([-1, 1, -1, 1], [0.9, 0.1, 0.2, 0.3])).toBe(0.25);
  });

  it('rejects one class, three classes, non-labels and bad scores with exact messages', () => {
    expect(() => rocAuc([1, 1, 1], [0.1, 0.2, 0.3])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: yTrue holds only one class (1); ROC AUC is not defined unless both classes are present]`,
    );
    expect(() => rocAuc([1, 1], [0.1, 0.2])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => rocAuc([0, 1, 2], [0.1, 0.2, 0.3])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: yTrue must hold at most two classes for a binary metric, but it holds 0, 1, 2, …]`,
    );
    expect(() => rocAuc([0, 0.5], [0.1, 0.2])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: yTrue must contain binary class labels (integers or booleans), but yTrue[1] is 0.5]`,
    );
    expect(() => rocAuc([0, 1], [0.1, Number.POSITIVE_INFINITY])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: scores must contain only finite numbers, but scores[1] is Infinity]`,
    );
    expect(() => rocAuc([0, 1], [0.1])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: yTrue and scores must have the same length, but yTrue has 2 and scores has 1]`,
    );
    expect(() => rocAuc([], [])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: yTrue needs at least 1 value, received 0]`,
    );
  });
});
