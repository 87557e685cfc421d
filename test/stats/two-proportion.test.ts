import { describe, expect, it } from 'vitest';
import { type TwoProportionResult, twoProportionZTest } from '../../src/stats/two-proportion.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';
import { expectInvalid, thrown } from '../helpers.js';

interface ProportionArgs {
  successesA: number;
  totalA: number;
  successesB: number;
  totalB: number;
  alternative: 'two-sided' | 'less' | 'greater';
}

const cases = loadReferenceCases('drift_tests').filter((c) => c.fn === 'twoProportionZTest');

describe('twoProportionZTest against statsmodels proportions_ztest (pooled)', () => {
  it('has reference cases for every alternative, from one trial to 200,000', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
    const args = cases.map((c) => c.args as unknown as ProportionArgs);
    expect(new Set(args.map((a) => a.alternative)).size).toBe(3);
    expect(Math.min(...args.map((a) => Math.min(a.totalA, a.totalB)))).toBe(1);
    expect(Math.max(...args.map((a) => a.totalA))).toBe(200_000);
  });

  it.each(
    cases.map((c, i) => {
      const a = c.args as unknown as ProportionArgs;
      return [i, a.successesA, a.totalA, a.successesB, a.totalB, a.alternative, c] as const;
    }),
  )('case %i (%i/%i vs %i/%i, %s) agrees to 1e-9', (_i, _sa, _na, _sb, _nb, _alt, c) => {
    const a = c.args as unknown as ProportionArgs;
    const expected = c.expected as TwoProportionResult;
    const actual = twoProportionZTest(a.successesA, a.totalA, a.successesB, a.totalB, {
      alternative: a.alternative,
    });
    expect(close(actual.statistic, expected.statistic, 1e-9), `z ${actual.statistic}`).toBe(true);
    expect(close(actual.pValue, expected.pValue, 1e-9), `p ${actual.pValue} vs ${expected.pValue}`).toBe(
      true,
    );
  });
});

describe('twoProportionZTest behaviour', () => {
  it('gives statistic 0 and p-value 1 when the pooled proportion is 0 or 1 (statsmodels gives NaN)', () => {
    expect(twoProportionZTest(0, 40, 0, 38)).toEqual({ statistic: 0, pValue: 1 });
    expect(twoProportionZTest(40, 40, 38, 38, { alternative: 'less' })).toEqual({ statistic: 0, pValue: 1 });
  });

  it('treats "less" for (A, B) as "greater" for (B, A)', () => {
    const less = twoProportionZTest(12, 90, 25, 110, { alternative: 'less' });
    const greater = twoProportionZTest(25, 110, 12, 90, { alternative: 'greater' });
    expect(less.statistic).toBe(-greater.statistic);
    expect(less.pValue).toBeCloseTo(greater.pValue, 15);
  });

  it('keeps the digits of a far-tail p-value', () => {
    const { pValue } = twoProportionZTest(10, 10_000, 400, 10_000);
    expect(pValue).toBeGreaterThan(0);
    expect(pValue).toBeLessThan(1e-70);
  });
});

describe('twoProportionZTest input errors', () => {
  it('rejects counts that are not integers or are negative', () => {
    expectInvalid(
      () => twoProportionZTest(2.5, 10, 1, 10),
      'successesA must be an integer >= 0, received 2.5',
    );
    expectInvalid(() => twoProportionZTest(1, 10, -1, 10), 'successesB must be an integer >= 0, received -1');
    expectInvalid(
      () => twoProportionZTest(1, 10, 1, Number.NaN),
      'totalB must be an integer >= 1, received NaN',
    );
  });

  it('rejects an empty group and more successes than trials', () => {
    expectInvalid(() => twoProportionZTest(0, 0, 1, 10), 'totalA must be an integer >= 1, received 0');
    expectInvalid(
      () => twoProportionZTest(3, 10, 11, 10),
      'successesB must be at most totalB, but successesB is 11 and totalB is 10',
    );
  });

  it('rejects an unknown alternative and unknown options', () => {
    expect(
      thrown(() => twoProportionZTest(1, 2, 1, 2, { alternative: 'larger' as 'less' })).message,
    ).toMatchInlineSnapshot(
      `"Invalid twoProportionZTest options: alternative: Invalid option: expected one of "two-sided"|"less"|"greater" (received "larger")"`,
    );
    expect(
      thrown(() => twoProportionZTest(1, 2, 1, 2, { pooled: false } as never)).message,
    ).toMatchInlineSnapshot(`"Invalid twoProportionZTest options: Unrecognized key: "pooled""`);
  });
});
