import { describe, expect, it } from 'vitest';
import { sortedCopy } from '../../src/core/numeric.js';
import { Random } from '../../src/core/random.js';
import { type AndersonKSampleResult, andersonKSample, andersonTwoSorted } from '../../src/stats/anderson.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';
import { expectInvalid, thrown } from '../helpers.js';

interface AndersonArgs {
  samples: number[][];
  midrank: boolean;
}

const cases = loadReferenceCases('drift_tests').filter((c) => c.fn === 'andersonKSample');

describe('andersonKSample against scipy.stats.anderson_ksamp', () => {
  it('has reference cases for 2 to 5 samples, both versions, up to 5,000 values, capped and floored', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    const args = cases.map((c) => c.args as unknown as AndersonArgs);
    expect(new Set(args.map((a) => a.samples.length))).toEqual(new Set([2, 3, 4, 5]));
    expect(new Set(args.map((a) => a.midrank)).size).toBe(2);
    const pValues = cases.map((c) => (c.expected as AndersonKSampleResult).pValue);
    expect(pValues).toContain(0.25);
    expect(pValues).toContain(0.001);
    expect(pValues.some((p) => p > 0.001 && p < 0.25)).toBe(true);
  });

  it.each(
    cases.map((c, i) => {
      const args = c.args as unknown as AndersonArgs;
      return [i, args.samples.map((s) => s.length).join(', '), args.midrank, c] as const;
    }),
  )('case %i (sizes %s, midrank %s) agrees to 1e-9', (_i, _sizes, _midrank, c) => {
    const args = c.args as unknown as AndersonArgs;
    const expected = c.expected as AndersonKSampleResult;
    const actual = andersonKSample(args.samples, { midrank: args.midrank });
    expect(
      close(actual.statistic, expected.statistic, 1e-9),
      `A2 ${actual.statistic} vs ${expected.statistic}`,
    ).toBe(true);
    expect(close(actual.pValue, expected.pValue, 1e-9), `p ${actual.pValue} vs ${expected.pValue}`).toBe(
      true,
    );
    expect(actual.criticalValues.length).toBe(7);
    actual.criticalValues.forEach((v, j) => {
      expect(close(v, expected.criticalValues[j] as number, 1e-12)).toBe(true);
    });
  });
});

describe('andersonKSample behaviour', () => {
  it('leaves its inputs unsorted and unchanged', () => {
    const a = [3, 1, 2, 5];
    const b = new Float64Array([9, -1, 4]);
    andersonKSample([a, b]);
    expect(a).toEqual([3, 1, 2, 5]);
    expect(Array.from(b)).toEqual([9, -1, 4]);
  });

  it('does not depend on the order of the values within a sample', () => {
    const first = andersonKSample([
      [0.1, 0.4, 0.7, 0.9, 1.1],
      [0.5, 0.8, 1.2, 1.5, 1.9, 2.2],
    ]);
    const shuffled = andersonKSample([
      [0.9, 1.1, 0.1, 0.7, 0.4],
      [2.2, 0.5, 1.9, 0.8, 1.5, 1.2],
    ]);
    expect(shuffled).toEqual(first);
  });
});

describe('andersonTwoSorted (internal)', () => {
  it('returns exactly what andersonKSample returns, with ties and without, in both versions', () => {
    const rng = new Random(5);
    for (const [n, m, decimals] of [
      [7, 9, 3],
      [300, 200, 0],
      [2000, 2500, 2],
    ] as const) {
      const round = (v: number): number => Math.round(v * 10 ** decimals) / 10 ** decimals;
      const a = Array.from({ length: n }, () => round(rng.normal()));
      const b = Array.from({ length: m }, () => round(rng.normal(0.2)));
      for (const midrank of [true, false]) {
        expect(andersonTwoSorted(sortedCopy(a), sortedCopy(b), midrank)).toEqual(
          andersonKSample([a, b], { midrank }),
        );
      }
    }
  });

  it('handles 100,000 values per sample', () => {
    const rng = new Random(9);
    const a = sortedCopy(Array.from({ length: 100_000 }, () => rng.normal()));
    const b = sortedCopy(Array.from({ length: 100_000 }, () => rng.normal(0.05)));
    const result = andersonTwoSorted(a, b);
    expect(result.statistic).toBeGreaterThan(result.criticalValues[6] as number);
    expect(result.pValue).toBe(0.001);
  });
});

describe('andersonKSample input errors', () => {
  it('rejects fewer than two samples and an empty sample', () => {
    const one = thrown(() => andersonKSample([[1, 2, 3]]));
    expect(one.code).toBe('INSUFFICIENT_DATA');
    expect(one.message).toBe('andersonKSample needs at least 2 samples to compare, received 1');
    const empty = thrown(() => andersonKSample([[1, 2, 3], []]));
    expect(empty.code).toBe('INSUFFICIENT_DATA');
    expect(empty.message).toBe('samples[1] needs at least 1 value, received 0');
  });

  it('rejects fewer than 4 values in all (scipy returns NaN) and samples of one repeated value (scipy raises)', () => {
    const three = thrown(() => andersonKSample([[1], [2, 3]]));
    expect(three.code).toBe('INSUFFICIENT_DATA');
    expect(three.message).toBe(
      'andersonKSample needs at least 4 values over all samples (its variance divides by (N − 1)(N − 2)(N − 3)), received 3',
    );
    const constant = thrown(() =>
      andersonKSample([
        [2.5, 2.5],
        [2.5, 2.5, 2.5],
      ]),
    );
    expect(constant.code).toBe('INSUFFICIENT_DATA');
    expect(constant.message).toBe(
      'andersonKSample needs at least two distinct values, but every value is 2.5; pass samples that are not all identical',
    );
    expect(thrown(() => andersonTwoSorted(new Float64Array([1, 1]), new Float64Array([1, 1]))).message).toBe(
      'andersonKSample needs at least two distinct values, but every value is 1; pass samples that are not all identical',
    );
  });

  it('rejects non-finite values, a non-array and invalid options', () => {
    expectInvalid(
      () =>
        andersonKSample([
          [1, 2],
          [3, Number.NaN],
        ]),
      'samples[1] must contain only finite numbers, but samples[1][1] is NaN',
    );
    expectInvalid(() => andersonKSample(5 as never), 'samples must be an array of samples, received number');
    expect(
      thrown(() =>
        andersonKSample(
          [
            [1, 2],
            [3, 4],
          ],
          { midrank: 1 as never },
        ),
      ).message,
    ).toMatchInlineSnapshot(
      `"Invalid andersonKSample options: midrank: Invalid input: expected boolean, received number (received 1)"`,
    );
  });
});
