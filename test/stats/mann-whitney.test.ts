import { describe, expect, it } from 'vitest';
import { type MannWhitneyResult, mannWhitneyU } from '../../src/stats/mann-whitney.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';
import { thrown } from '../helpers.js';

interface MwuArgs {
  a: number[];
  b: number[];
  alternative: 'two-sided' | 'less' | 'greater';
  method: 'auto' | 'exact' | 'asymptotic';
  useContinuity: boolean;
}

const cases = loadReferenceCases('tests').filter((c) => c.fn === 'mannWhitneyU');

describe('mannWhitneyU against scipy.stats.mannwhitneyu', () => {
  it('has reference cases for both methods, ties and all alternatives', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
    const methods = new Set(cases.map((c) => (c.expected as MannWhitneyResult).method));
    expect(methods).toEqual(new Set(['exact', 'asymptotic']));
  });

  it.each(
    cases.map((c, i) => {
      const args = c.args as unknown as MwuArgs;
      return [i, args.a.length, args.b.length, args.method, args.alternative, c] as const;
    }),
  )('case %i (n1 = %i, n2 = %i, %s, %s) agrees to 1e-9', (_i, _n1, _n2, _m, _alt, c) => {
    const args = c.args as unknown as MwuArgs;
    const expected = c.expected as MannWhitneyResult;
    const actual = mannWhitneyU(args.a, args.b, {
      alternative: args.alternative,
      method: args.method,
      useContinuity: args.useContinuity,
    });
    expect(actual.method).toBe(expected.method);
    expect(close(actual.statistic, expected.statistic, 1e-9)).toBe(true);
    expect(close(actual.pValue, expected.pValue, 1e-9), `p ${actual.pValue} vs ${expected.pValue}`).toBe(
      true,
    );
  });
});

describe('mannWhitneyU behaviour', () => {
  it('reports U of the first sample, so swapping the samples gives n1·n2 − U and the same two-sided p', () => {
    const a = [1.5, 3.2, 0.4, 7.7, 2.2, 5.1];
    const b = [2.9, 8.8, 6.3, 9.4, 4.0, 7.1, 10.2];
    const ab = mannWhitneyU(a, b);
    const ba = mannWhitneyU(b, a);
    expect(ab.statistic + ba.statistic).toBe(a.length * b.length);
    expect(ab.pValue).toBe(ba.pValue);
    expect(mannWhitneyU(a, b, { alternative: 'less' }).pValue).toBe(
      mannWhitneyU(b, a, { alternative: 'greater' }).pValue,
    );
  });

  it('computes exact p-values for a sample of 8 against 10,000 without ties', () => {
    const b = Array.from({ length: 10_000 }, (_, i) => i);
    let total = 1;
    for (let i = 1; i <= 8; i++) total = (total * (10_000 + i)) / i;
    // All of a below all of b: one arrangement in binom(10008, 8), doubled for two sides.
    const extreme = mannWhitneyU([-8, -7, -6, -5, -4, -3, -2, -1], b);
    expect(extreme).toEqual({ statistic: 0, pValue: extreme.pValue, method: 'exact' });
    expect(close(extreme.pValue, 2 / total, 1e-12)).toBe(true);
    // U = 1 has one arrangement too, so P(U <= 1) = 2 / binom(10008, 8).
    const next = mannWhitneyU([-7, -6, -5, -4, -3, -2, -1, 0.5], b, { alternative: 'less' });
    expect(next.statistic).toBe(1);
    expect(close(next.pValue, 2 / total, 1e-12)).toBe(true);
  });

  it('returns p = 1 with, and NaN without, the continuity correction when every value is tied', () => {
    expect(mannWhitneyU([3, 3, 3], [3, 3]).pValue).toBe(1);
    expect(mannWhitneyU([3, 3, 3], [3, 3], { useContinuity: false }).pValue).toBeNaN();
  });
});

describe('mannWhitneyU input errors', () => {
  it('rejects an empty sample', () => {
    const error = thrown(() => mannWhitneyU([1], []));
    expect(error.code).toBe('INSUFFICIENT_DATA');
    expect(error.message).toBe('b needs at least 1 value, received 0');
  });

  it('rejects non-finite values, naming the index', () => {
    const error = thrown(() => mannWhitneyU([1, Number.POSITIVE_INFINITY], [2]));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe('a must contain only finite numbers, but a[1] is Infinity');
  });

  it('rejects invalid options', () => {
    const error = thrown(() =>
      mannWhitneyU([1], [2], { method: 'asymp' as 'exact', useContinuity: 1 as never }),
    );
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatchInlineSnapshot(
      `"Invalid mannWhitneyU options: method: Invalid option: expected one of "auto"|"exact"|"asymptotic" (received "asymp"); useContinuity: Invalid input: expected boolean, received number (received 1)"`,
    );
  });
});
