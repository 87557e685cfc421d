import { describe, expect, it } from 'vitest';
import {
  lowerBound,
  mean,
  median,
  quantileSorted,
  rankAverage,
  sortedCopy,
  standardDeviation,
  sum,
  toFiniteArray,
  upperBound,
  variance,
} from '../../src/core/numeric.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';

interface NumericArgs {
  label: string;
  values: number[];
  q: number[];
}

interface NumericExpected {
  sum: number;
  mean: number;
  variance0: number;
  variance1: number;
  median: number;
  quantiles: number[];
  ranks: number[];
  tieSizes: number[];
}

const cases = loadReferenceCases('regression')
  .filter((c) => c.fn === 'numeric')
  .map((c) => ({
    args: c.args as unknown as NumericArgs,
    expected: c.expected as unknown as NumericExpected,
  }));

/** Runs `check` on every case and collects the labels of those that disagree, so one failure shows them all. */
function failing(check: (args: NumericArgs, expected: NumericExpected) => string | undefined): string[] {
  const out: string[] = [];
  for (const { args, expected } of cases) {
    const problem = check(args, expected);
    if (problem !== undefined) out.push(`${args.label}: ${problem}`);
  }
  return out;
}

describe('numeric helpers against exact arithmetic, numpy and scipy', () => {
  it('has cases of sizes 1 to 20,000, with ill-conditioned data', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    expect(Math.min(...cases.map((c) => c.args.values.length))).toBe(1);
    expect(Math.max(...cases.map((c) => c.args.values.length))).toBe(20_000);
    expect(cases.some((c) => c.args.label.startsWith('1e9 plus noise'))).toBe(true);
  });

  it('sum is correctly rounded (as math.fsum) to 1e-12, even when terms cancel', () => {
    expect(
      failing((a, e) =>
        close(sum(a.values), e.sum, 1e-12, 1e-300) ? undefined : `${sum(a.values)} vs ${e.sum}`,
      ),
    ).toEqual([]);
  });

  it('mean agrees with the exact mean to 1e-12', () => {
    expect(
      failing((a, e) =>
        close(mean(a.values), e.mean, 1e-12, 1e-300) ? undefined : `${mean(a.values)} vs ${e.mean}`,
      ),
    ).toEqual([]);
  });

  it('variance with ddof 0 and 1 agrees with the exact variance to 1e-9, 1e9 + small noise included', () => {
    expect(
      failing((a, e) => {
        const v0 = variance(a.values, 0);
        const v1 = variance(a.values, 1);
        if (!close(v0, e.variance0, 1e-9, 1e-300)) return `ddof 0: ${v0} vs ${e.variance0}`;
        if (!close(v1, e.variance1, 1e-9, 1e-300)) return `ddof 1: ${v1} vs ${e.variance1}`;
        if (!close(standardDeviation(a.values, 1), Math.sqrt(e.variance1), 1e-9, 1e-300))
          return 'standard deviation';
        return undefined;
      }),
    ).toEqual([]);
  });

  it('quantileSorted agrees with numpy.quantile (linear) and median with numpy.median to 1e-9', () => {
    expect(
      failing((a, e) => {
        const sorted = sortedCopy(a.values);
        for (const [i, q] of a.q.entries()) {
          const actual = quantileSorted(sorted, q);
          if (!close(actual, e.quantiles[i] as number, 1e-9)) return `q=${q}: ${actual} vs ${e.quantiles[i]}`;
        }
        return close(median(a.values), e.median, 1e-9)
          ? undefined
          : `median ${median(a.values)} vs ${e.median}`;
      }),
    ).toEqual([]);
  });

  it('rankAverage equals scipy.stats.rankdata(method="average") and lists tie groups in value order', () => {
    expect(
      failing((a, e) => {
        const { ranks, tieSizes } = rankAverage(a.values);
        for (let i = 0; i < ranks.length; i++) {
          if (ranks[i] !== e.ranks[i]) return `rank ${i}: ${ranks[i]} vs ${e.ranks[i]}`;
        }
        return tieSizes.join() === e.tieSizes.join() ? undefined : `ties ${tieSizes} vs ${e.tieSizes}`;
      }),
    ).toEqual([]);
  });
});

describe('numeric helpers at the edges', () => {
  it('compensates a sum that a plain loop gets wrong', () => {
    expect(sum([1e16, 1, -1e16])).toBe(1);
    expect(sum([0.1, 0.2, 0.3])).toBe(0.6);
    expect(sum([])).toBe(0);
  });

  it('returns NaN for an empty mean or median and for a variance with n − ddof <= 0, as numpy', () => {
    expect(mean([])).toBeNaN();
    expect(median([])).toBeNaN();
    expect(quantileSorted([], 0.5)).toBeNaN();
    expect(variance([3], 1)).toBeNaN();
    expect(variance([], 0)).toBeNaN();
    expect(variance([3], 0)).toBe(0);
  });

  it('gives a constant series zero variance exactly', () => {
    expect(variance(new Float64Array(1000).fill(0.1), 1)).toBe(0);
    expect(variance([1e9 + 0.5, 1e9 + 0.5], 0)).toBe(0);
  });

  it('interpolates quantiles between order statistics and hits the ends exactly', () => {
    expect(quantileSorted([1, 2, 3, 4], 0)).toBe(1);
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([10, 20], 0.25)).toBe(12.5);
    expect(median([5, 1, 3])).toBe(3);
  });

  it('ranks ties by their average rank, -0 tying with 0', () => {
    const { ranks, tieSizes } = rankAverage([3, 1, 3, -0, 0, 3]);
    expect(Array.from(ranks)).toEqual([5, 3, 5, 1.5, 1.5, 5]);
    expect(tieSizes).toEqual([2, 3]);
    expect(rankAverage([]).ranks).toHaveLength(0);
  });

  it('overflows to Infinity as numpy does, never to NaN', () => {
    expect(sum([1e308, 1e308])).toBe(Number.POSITIVE_INFINITY);
    expect(sum([1e308, 1e308, -1e308])).toBe(Number.POSITIVE_INFINITY);
    expect(mean([1.7976931348623157e308, 1.7976931348623157e308])).toBe(Number.POSITIVE_INFINITY);
    expect(variance([1e300, 1e300 + 1e285, -1e300])).toBe(Number.POSITIVE_INFINITY);
    expect(median([-1e308, 1e308])).toBe(0);
  });

  it('refuses a quantile outside [0, 1]', () => {
    expect(() => quantileSorted([1, 2, 3], 1.5)).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: quantile q must be in [0, 1], received 1.5]`,
    );
    expect(() => quantileSorted([1, 2, 3], Number.NaN)).toThrow('received NaN');
  });

  it('sorts numerically, not as strings', () => {
    expect(Array.from(sortedCopy([10, 9, -1, 100]))).toEqual([-1, 9, 10, 100]);
  });

  it('copies into a Float64Array and rejects non-finite values or too few of them', () => {
    const source = [1, 2];
    const copy = toFiniteArray(source, 'x');
    expect(copy).toBeInstanceOf(Float64Array);
    copy[0] = 5;
    expect(source[0]).toBe(1);
    expect(() => toFiniteArray([1, Number.NaN], 'x')).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: x must contain only finite numbers, but x[1] is NaN]`,
    );
    expect(() => toFiniteArray([1], 'x', 2)).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: x needs at least 2 values, received 1]`,
    );
  });
});

describe('lowerBound and upperBound', () => {
  it('find the first value at or above, and the first above, as a scan does, ties included', () => {
    const sorted = Float64Array.from([1, 2, 2, 2, 5, 7, 7, 9]);
    for (const value of [
      0,
      1,
      1.5,
      2,
      3,
      5,
      6,
      7,
      8,
      9,
      10,
      Number.NEGATIVE_INFINITY,
      Number.POSITIVE_INFINITY,
    ]) {
      const atOrAbove = sorted.findIndex((v) => v >= value);
      const above = sorted.findIndex((v) => v > value);
      expect(lowerBound(sorted, value), `lowerBound ${value}`).toBe(
        atOrAbove < 0 ? sorted.length : atOrAbove,
      );
      expect(upperBound(sorted, value), `upperBound ${value}`).toBe(above < 0 ? sorted.length : above);
    }
    expect(lowerBound([], 1)).toBe(0);
    expect(upperBound([], 1)).toBe(0);
  });
});
