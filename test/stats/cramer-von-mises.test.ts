import { describe, expect, it } from 'vitest';
import { sortedCopy } from '../../src/core/numeric.js';
import { Random } from '../../src/core/random.js';
import {
  type CramerVonMisesResult,
  cramerVonMises2Sample,
  cramerVonMisesSorted,
} from '../../src/stats/cramer-von-mises.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';
import { expectInvalid, thrown } from '../helpers.js';

interface CvmArgs {
  a: number[];
  b: number[];
  method: 'auto' | 'exact' | 'asymptotic';
}

const cases = loadReferenceCases('drift_tests').filter((c) => c.fn === 'cramerVonMises2Sample');

/** The method `'auto'` resolves to, as scipy 1.10 decides it. */
function resolved(args: CvmArgs): 'exact' | 'asymptotic' {
  if (args.method !== 'auto') return args.method;
  return Math.max(args.a.length, args.b.length) <= 20 ? 'exact' : 'asymptotic';
}

describe('cramerVonMises2Sample against scipy.stats.cramervonmises_2samp', () => {
  it('has exact and asymptotic reference cases from 2 to 5,000 values per sample', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    const args = cases.map((c) => c.args as unknown as CvmArgs);
    expect(new Set(args.map(resolved)).size).toBe(2);
    expect(Math.min(...args.map((a) => Math.min(a.a.length, a.b.length)))).toBe(2);
    expect(Math.max(...args.map((a) => a.a.length))).toBe(5000);
  });

  // The asymptotic p-value is 1 − cdf with cdf near 1 for small p, so both libraries carry an absolute rounding
  // error of a few 1e-15 there: p-values are compared at rtol 1e-9 or atol 1e-13, statistics at rtol 1e-9.
  it.each(
    cases.map((c, i) => {
      const args = c.args as unknown as CvmArgs;
      return [i, args.a.length, args.b.length, args.method, c] as const;
    }),
  )('case %i (n1 = %i, n2 = %i, %s) agrees to 1e-9', (_i, _n1, _n2, _method, c) => {
    const args = c.args as unknown as CvmArgs;
    const expected = c.expected as CramerVonMisesResult;
    const actual = cramerVonMises2Sample(args.a, args.b, { method: args.method });
    expect(close(actual.statistic, expected.statistic, 1e-9), `T ${actual.statistic}`).toBe(true);
    expect(
      close(actual.pValue, expected.pValue, 1e-9, 1e-13),
      `p ${actual.pValue} vs ${expected.pValue}`,
    ).toBe(true);
  });
});

describe('cramerVonMises2Sample behaviour', () => {
  it('is exact under auto while both samples have at most 20 values', () => {
    const rng = new Random(3);
    const a = Array.from({ length: 20 }, () => rng.normal());
    const b = Array.from({ length: 20 }, () => rng.normal(0.4));
    expect(cramerVonMises2Sample(a, b)).toEqual(cramerVonMises2Sample(a, b, { method: 'exact' }));
    const c = [...b, rng.normal(0.4)];
    expect(cramerVonMises2Sample(a, c)).toEqual(cramerVonMises2Sample(a, c, { method: 'asymptotic' }));
    expect(cramerVonMises2Sample(a, c)).not.toEqual(cramerVonMises2Sample(a, c, { method: 'exact' }));
  });

  it('gives a p-value of 1 for identical samples', () => {
    expect(cramerVonMises2Sample([1, 2, 3, 4], [4, 3, 2, 1]).pValue).toBe(1);
  });

  it('leaves its inputs unsorted and unchanged', () => {
    const a = [3, 1, 2];
    const b = new Float64Array([9, -1, 4]);
    cramerVonMises2Sample(a, b);
    expect(a).toEqual([3, 1, 2]);
    expect(Array.from(b)).toEqual([9, -1, 4]);
  });
});

describe('cramerVonMisesSorted (internal)', () => {
  it('returns exactly what cramerVonMises2Sample returns, with ties and without', () => {
    const rng = new Random(8);
    for (const [n, m, decimals] of [
      [6, 9, 4],
      [15, 12, 0],
      [400, 300, 1],
      [3000, 2000, 3],
    ] as const) {
      const round = (v: number): number => Math.round(v * 10 ** decimals) / 10 ** decimals;
      const a = Array.from({ length: n }, () => round(rng.normal()));
      const b = Array.from({ length: m }, () => round(rng.normal(0.1)));
      for (const method of ['auto', 'asymptotic'] as const) {
        expect(cramerVonMisesSorted(sortedCopy(a), sortedCopy(b), method)).toEqual(
          cramerVonMises2Sample(a, b, { method }),
        );
      }
    }
  });

  it('handles 100,000 values per sample', () => {
    const rng = new Random(9);
    const a = sortedCopy(Array.from({ length: 100_000 }, () => rng.normal()));
    const b = sortedCopy(Array.from({ length: 100_000 }, () => rng.normal(0.05)));
    const shifted = cramerVonMisesSorted(a, b);
    expect(shifted.pValue).toBeLessThan(1e-6);
    expect(cramerVonMisesSorted(a, a).pValue).toBe(1);
  });
});

describe('cramerVonMises2Sample input errors', () => {
  it('rejects a sample with fewer than two values', () => {
    const error = thrown(() => cramerVonMises2Sample([1], [2, 3]));
    expect(error.code).toBe('INSUFFICIENT_DATA');
    expect(error.message).toBe('a needs at least 2 values, received 1');
  });

  it('rejects non-finite values and invalid options', () => {
    expectInvalid(
      () => cramerVonMises2Sample([1, 2], [3, Number.NEGATIVE_INFINITY]),
      'b must contain only finite numbers, but b[1] is -Infinity',
    );
    expect(
      thrown(() => cramerVonMises2Sample([1, 2], [3, 4], { method: 'asymp' as 'auto' })).message,
    ).toMatchInlineSnapshot(
      `"Invalid cramerVonMises2Sample options: method: Invalid option: expected one of "auto"|"exact"|"asymptotic" (received "asymp")"`,
    );
  });
});
