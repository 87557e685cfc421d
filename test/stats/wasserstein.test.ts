import { describe, expect, it } from 'vitest';
import { sortedCopy } from '../../src/core/numeric.js';
import { Random } from '../../src/core/random.js';
import { wasserstein, wassersteinSorted } from '../../src/stats/wasserstein.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';
import { thrown } from '../helpers.js';

interface WassersteinArgs {
  a: number[];
  b: number[];
  aWeights?: number[];
  bWeights?: number[];
}

const cases = loadReferenceCases('divergence').filter((c) => c.fn === 'wasserstein');

describe('wasserstein against scipy.stats.wasserstein_distance', () => {
  it('has reference cases with and without weights', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(cases.some((c) => 'aWeights' in c.args)).toBe(true);
  });

  it.each(
    cases.map((c, i) => {
      const args = c.args as unknown as WassersteinArgs;
      const weighted = args.aWeights !== undefined || args.bWeights !== undefined;
      return [i, args.a.length, args.b.length, weighted ? 'weighted' : 'unweighted', c] as const;
    }),
  )('case %i (%i vs %i values, %s) agrees to 1e-9', (_i, _n, _m, _w, c) => {
    const { a, b, aWeights, bWeights } = c.args as unknown as WassersteinArgs;
    const options = {
      ...(aWeights === undefined ? {} : { aWeights }),
      ...(bWeights === undefined ? {} : { bWeights }),
    };
    const actual = wasserstein(a, b, options);
    const expected = c.expected as number;
    expect(close(actual, expected, 1e-9), `${actual} vs ${expected}`).toBe(true);
  });
});

describe('wasserstein', () => {
  it('is 0 for identical samples, in any order', () => {
    expect(wasserstein([3, 1, 2, 2], [2, 3, 2, 1])).toBe(0);
  });

  it('is the shift between a sample and its translate', () => {
    expect(wasserstein([0, 1, 3], [5, 6, 8])).toBe(5);
  });

  it('does not change the caller’s arrays', () => {
    const a = [3, 1, 2];
    const b = new Float64Array([9, 7, 8]);
    wasserstein(a, b, { aWeights: [1, 2, 3] });
    expect(a).toEqual([3, 1, 2]);
    expect(Array.from(b)).toEqual([9, 7, 8]);
  });

  it('treats equal weights like no weights and scales of weights alike', () => {
    const rng = new Random(7);
    const a = Array.from({ length: 200 }, () => rng.normal());
    const b = Array.from({ length: 150 }, () => rng.normal(0.2));
    const plain = wasserstein(a, b);
    expect(wasserstein(a, b, { aWeights: a.map(() => 2.5), bWeights: b.map(() => 0.1) })).toBeCloseTo(
      plain,
      12,
    );
  });

  it('sorts large weighted samples exactly as unweighted ones: negatives, zeros of both signs, ties, extremes', () => {
    const rng = new Random(3);
    const pool = [-0, 0, -1e300, 1e300, -5e-324, 5e-324, 1, -1, 2.5];
    const make = (n: number): number[] =>
      Array.from({ length: n }, (_, i) => (i % 3 === 0 ? rng.choice(pool) : rng.normal(0, 1e3)));
    for (const [n, m] of [
      [600, 700],
      [5000, 20_000],
    ] as const) {
      const a = make(n);
      const b = make(m);
      const ones = (k: number): number[] => new Array<number>(k).fill(1);
      // Unit weights accumulate to exact integers, so both paths must give the same digits.
      expect(wasserstein(a, b, { aWeights: ones(n), bWeights: ones(m) })).toBe(wasserstein(a, b));
    }
  });

  it('handles a million values per sample in one sort and one merge', () => {
    const n = 1_000_000;
    const rng = new Random(11);
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      a[i] = i / n;
      b[i] = i / n + 0.25;
    }
    rng.shuffle(a);
    // Uniform on [0, 1) against its translate by 0.25: the distance is the shift.
    expect(wasserstein(a, b)).toBeCloseTo(0.25, 12);
  });
});

describe('bad input', () => {
  it('rejects empty samples with INSUFFICIENT_DATA', () => {
    const error = thrown(() => wasserstein([], [1]));
    expect(error.code).toBe('INSUFFICIENT_DATA');
    expect(error.message).toMatchInlineSnapshot(`"a needs at least 1 value, received 0"`);
  });

  it('rejects non-finite values', () => {
    expect(() => wasserstein([1, 2], [1, Number.POSITIVE_INFINITY])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: b must contain only finite numbers, but b[1] is Infinity]`,
    );
  });

  it('rejects weights of the wrong length, negative or summing to 0', () => {
    expect(() => wasserstein([1, 2], [1], { aWeights: [1] })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: a and aWeights must have the same length, but a has 2 and aWeights has 1]`,
    );
    expect(() => wasserstein([1, 2], [1], { bWeights: [-1] })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: bWeights must contain only non-negative numbers, but bWeights[0] is -1]`,
    );
    expect(() => wasserstein([1, 2], [1], { aWeights: [0, 0] })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: aWeights must have a positive sum, but its entries sum to 0]`,
    );
    expect(() => wasserstein([1, 2], [1], { aWeights: [1, Number.NaN] })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: aWeights must contain only finite numbers, but aWeights[1] is NaN]`,
    );
    expect(thrown(() => wasserstein([1, 2], [1], { aWeights: [1, -1] })).code).toBe('INVALID_ARGUMENT');
  });

  it('rejects unknown options and weights that are not arrays', () => {
    expect(() =>
      wasserstein([1], [2], { weights: [1] } as unknown as { aWeights: number[] }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid wasserstein options: Unrecognized key: "weights"]`,
    );
    expect(() =>
      wasserstein([1], [2], { aWeights: 3 } as unknown as { aWeights: number[] }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid wasserstein options: aWeights: expected an array of numbers (received 3)]`,
    );
  });
});

describe('wassersteinSorted (internal)', () => {
  it('returns exactly what wasserstein returns without weights', () => {
    const rng = new Random(13);
    for (const [n, m] of [
      [1, 1],
      [5, 9],
      [2000, 3000],
      [100_000, 100_000],
    ] as const) {
      const a = Array.from({ length: n }, () => Math.round(rng.normal() * 100) / 100);
      const b = Array.from({ length: m }, () => rng.normal(0.1));
      expect(wassersteinSorted(sortedCopy(a), sortedCopy(b))).toBe(wasserstein(a, b));
    }
  });

  it('agrees with the scipy reference cases that have no weights', () => {
    const unweighted = cases.filter((c) => !('aWeights' in c.args) && !('bWeights' in c.args));
    expect(unweighted.length).toBeGreaterThanOrEqual(10);
    for (const c of unweighted) {
      const { a, b } = c.args as unknown as WassersteinArgs;
      const expected = c.expected as number;
      expect(close(wassersteinSorted(sortedCopy(a), sortedCopy(b)), expected, 1e-9)).toBe(true);
    }
  });
});
