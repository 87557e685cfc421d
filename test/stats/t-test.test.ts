import { describe, expect, it } from 'vitest';
import { type TTestResult, welchTTest } from '../../src/stats/t-test.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';
import { thrown } from '../helpers.js';

interface TTestArgs {
  a: number[];
  b: number[];
  alternative: 'two-sided' | 'less' | 'greater';
  equalVariance: boolean;
}

const cases = loadReferenceCases('tests').filter((c) => c.fn === 'welchTTest');

describe('welchTTest against scipy.stats.ttest_ind', () => {
  it('has reference cases for both variance assumptions and all alternatives', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => (c.args as unknown as TTestArgs).equalVariance)).size).toBe(2);
  });

  it.each(
    cases.map((c, i) => {
      const args = c.args as unknown as TTestArgs;
      const kind = args.equalVariance ? 'pooled' : 'welch';
      return [i, args.a.length, args.b.length, kind, args.alternative, c] as const;
    }),
  )('case %i (n1 = %i, n2 = %i, %s, %s) agrees to 1e-9', (_i, _n1, _n2, _k, _alt, c) => {
    const args = c.args as unknown as TTestArgs;
    const expected = c.expected as TTestResult;
    const actual = welchTTest(args.a, args.b, {
      alternative: args.alternative,
      equalVariance: args.equalVariance,
    });
    expect(close(actual.statistic, expected.statistic, 1e-9), `t ${actual.statistic}`).toBe(true);
    expect(close(actual.df, expected.df, 1e-9), `df ${actual.df}`).toBe(true);
    expect(close(actual.pValue, expected.pValue, 1e-9), `p ${actual.pValue} vs ${expected.pValue}`).toBe(
      true,
    );
  });
});

describe('welchTTest behaviour', () => {
  const a = [5.1, 4.9, 6.2, 5.8, 6.0, 5.5];
  const b = [4.0, 7.5, 3.1, 8.2, 5.0];

  it("defaults to Welch's test, unlike scipy's equal_var=True", () => {
    expect(welchTTest(a, b)).toEqual(welchTTest(a, b, { equalVariance: false }));
    expect(welchTTest(a, b).df).not.toBe(welchTTest(a, b, { equalVariance: true }).df);
    expect(welchTTest(a, b, { equalVariance: true }).df).toBe(a.length + b.length - 2);
  });

  it('gives ±Infinity and p = 0 for two different constant samples, NaN for identical ones', () => {
    expect(welchTTest([1, 1, 1], [2, 2])).toEqual({ statistic: Number.NEGATIVE_INFINITY, pValue: 0, df: 1 });
    const same = welchTTest([2, 2], [2, 2, 2]);
    expect(same.statistic).toBeNaN();
    expect(same.pValue).toBeNaN();
  });
});

describe('welchTTest input errors', () => {
  it('rejects an empty sample', () => {
    const error = thrown(() => welchTTest([], [1]));
    expect(error.code).toBe('INSUFFICIENT_DATA');
    expect(error.message).toBe('a needs at least 1 value, received 0');
  });

  it('rejects non-finite values', () => {
    const error = thrown(() => welchTTest([1, 2], [3, Number.NEGATIVE_INFINITY]));
    expect(error.message).toBe('b must contain only finite numbers, but b[1] is -Infinity');
  });

  it('rejects invalid options', () => {
    const error = thrown(() => welchTTest([1, 2], [3, 4], { equalVariance: 'yes' as never }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatchInlineSnapshot(
      `"Invalid welchTTest options: equalVariance: Invalid input: expected boolean, received string (received "yes")"`,
    );
  });
});
