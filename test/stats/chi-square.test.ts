import { describe, expect, it } from 'vitest';
import {
  type ChiSquareGoodnessOfFitResult,
  type ChiSquareResult,
  chiSquareGoodnessOfFit,
  chiSquareTest,
} from '../../src/stats/chi-square.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';
import { expectInvalid, thrown } from '../helpers.js';

interface ChiArgs {
  reference: number[];
  current: number[];
  correction: boolean;
  dropEmpty?: boolean;
}

const cases = loadReferenceCases('tests').filter((c) => c.fn === 'chiSquareTest');

describe('chiSquareTest against scipy.stats.chi2_contingency', () => {
  it('has reference cases from 1 to 20 categories, with and without Yates', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    const sizes = cases.map((c) => (c.args as unknown as ChiArgs).reference.length);
    expect(Math.min(...sizes)).toBe(1);
    expect(Math.max(...sizes)).toBe(20);
  });

  it.each(
    cases.map((c, i) => {
      const args = c.args as unknown as ChiArgs;
      return [i, args.reference.length, args.correction, c] as const;
    }),
  )('case %i (k = %i, correction %s) agrees to 1e-9', (_i, _k, _corr, c) => {
    const args = c.args as unknown as ChiArgs;
    const expected = c.expected as ChiSquareResult;
    const actual = chiSquareTest(args.reference, args.current, {
      correction: args.correction,
      dropEmpty: args.dropEmpty ?? false,
    });
    expect(actual.dof).toBe(expected.dof);
    expect(close(actual.statistic, expected.statistic, 1e-9), `chi2 ${actual.statistic}`).toBe(true);
    expect(close(actual.pValue, expected.pValue, 1e-9), `p ${actual.pValue} vs ${expected.pValue}`).toBe(
      true,
    );
    expect(actual.expected.length).toBe(2);
    for (let r = 0; r < 2; r++) {
      const row = expected.expected[r] as number[];
      expect(actual.expected[r]?.length).toBe(row.length);
      row.forEach((e, j) => {
        expect(close(actual.expected[r]?.[j] as number, e, 1e-9)).toBe(true);
      });
    }
  });
});

describe('chiSquareTest behaviour', () => {
  it('applies Yates only with two categories', () => {
    const withYates = chiSquareTest([30, 10], [20, 25]);
    const without = chiSquareTest([30, 10], [20, 25], { correction: false });
    expect(withYates.statistic).toBeLessThan(without.statistic);
    const three = [
      chiSquareTest([30, 10, 5], [20, 25, 5]),
      chiSquareTest([30, 10, 5], [20, 25, 5], { correction: false }),
    ];
    expect(three[0]).toEqual(three[1]);
  });

  it('leaves empty categories out with dropEmpty, keeping one expected column per category', () => {
    const dropped = chiSquareTest([4, 0, 7], [6, 0, 3], { dropEmpty: true });
    const compact = chiSquareTest([4, 7], [6, 3]);
    expect(dropped.statistic).toBe(compact.statistic);
    expect(dropped.dof).toBe(1);
    expect(dropped.expected[0]?.[1]).toBe(0);
  });
});

describe('chiSquareTest input errors', () => {
  it('rejects a category that is empty in both samples, naming it', () => {
    const error = thrown(() => chiSquareTest([4, 0, 7], [6, 0, 3]));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe(
      'category 1 has a count of 0 in both reference and current, so its expected frequency is 0; ' +
        'remove it or pass { dropEmpty: true }',
    );
  });

  it('rejects a sample whose counts are all zero', () => {
    const error = thrown(() => chiSquareTest([0, 0], [3, 4]));
    expect(error.message).toBe(
      'reference has a total count of 0, so its expected frequencies are 0; pass at least one positive count',
    );
    expect(thrown(() => chiSquareTest([0, 0], [0, 0], { dropEmpty: true })).message).toBe(
      'reference has a total count of 0, so its expected frequencies are 0; pass at least one positive count',
    );
  });

  it('rejects negative counts, arrays of different lengths and no categories', () => {
    expect(thrown(() => chiSquareTest([1, 2], [3, -1])).message).toBe(
      'current must contain only counts >= 0, but current[1] is -1',
    );
    expect(thrown(() => chiSquareTest([1, 2, 3], [3, 1])).message).toBe(
      'reference and current must have the same length, but reference has 3 and current has 2',
    );
    const empty = thrown(() => chiSquareTest([], []));
    expect(empty.code).toBe('INSUFFICIENT_DATA');
    expect(empty.message).toBe('reference needs at least 1 value, received 0');
  });

  it('rejects non-finite counts and invalid options', () => {
    expect(thrown(() => chiSquareTest([1, Number.NaN], [3, 1])).message).toBe(
      'reference must contain only finite numbers, but reference[1] is NaN',
    );
    expect(
      thrown(() => chiSquareTest([1, 2], [3, 1], { yates: true } as never)).message,
    ).toMatchInlineSnapshot(`"Invalid chiSquareTest options: Unrecognized key: "yates""`);
  });
});

interface GoodnessArgs {
  observed: number[];
  expected: number[];
  ddof: number;
}

const goodnessCases = loadReferenceCases('drift_tests').filter((c) => c.fn === 'chiSquareGoodnessOfFit');

describe('chiSquareGoodnessOfFit against scipy.stats.chisquare', () => {
  it('has reference cases from 2 to 30 categories, with ddof 0 and 1', () => {
    expect(goodnessCases.length).toBeGreaterThanOrEqual(15);
    const args = goodnessCases.map((c) => c.args as unknown as GoodnessArgs);
    expect(Math.min(...args.map((a) => a.observed.length))).toBe(2);
    expect(Math.max(...args.map((a) => a.observed.length))).toBe(30);
    expect(new Set(args.map((a) => a.ddof)).size).toBe(2);
  });

  it.each(
    goodnessCases.map((c, i) => {
      const args = c.args as unknown as GoodnessArgs;
      return [i, args.observed.length, args.ddof, c] as const;
    }),
  )('case %i (k = %i, ddof %i) agrees to 1e-9', (_i, _k, _ddof, c) => {
    const args = c.args as unknown as GoodnessArgs;
    const expected = c.expected as ChiSquareGoodnessOfFitResult;
    const actual = chiSquareGoodnessOfFit(args.observed, args.expected, { ddof: args.ddof });
    expect(actual.dof).toBe(expected.dof);
    expect(close(actual.statistic, expected.statistic, 1e-9), `chi2 ${actual.statistic}`).toBe(true);
    expect(close(actual.pValue, expected.pValue, 1e-9), `p ${actual.pValue} vs ${expected.pValue}`).toBe(
      true,
    );
  });
});

describe('chiSquareGoodnessOfFit behaviour', () => {
  it('gives statistic Infinity and p-value 0 when a category expected at 0 is observed', () => {
    expect(chiSquareGoodnessOfFit([3, 1, 6], [4, 0, 6])).toEqual({
      statistic: Number.POSITIVE_INFINITY,
      pValue: 0,
      dof: 2,
    });
  });

  it('lets a category that is 0 in both add nothing to the statistic but count in dof', () => {
    const withEmpty = chiSquareGoodnessOfFit([4, 0, 7, 9], [5, 0, 8, 7]);
    const without = chiSquareGoodnessOfFit([4, 7, 9], [5, 8, 7]);
    expect(withEmpty.statistic).toBe(without.statistic);
    expect(withEmpty.dof).toBe(3);
    expect(without.dof).toBe(2);
  });

  it('gives statistic 0 and p-value 1 when observed equals expected', () => {
    expect(chiSquareGoodnessOfFit([5, 10, 15], [5, 10, 15])).toEqual({ statistic: 0, pValue: 1, dof: 2 });
  });
});

describe('chiSquareGoodnessOfFit input errors', () => {
  it('rejects totals that differ by more than 1e-8 relative, saying what to do', () => {
    expectInvalid(
      () => chiSquareGoodnessOfFit([10, 20, 30], [10, 20, 31]),
      'observed and expected must have the same total to a relative tolerance of 1e-8, but observed sums to 60 ' +
        'and expected to 61; scale expected to the observed total',
    );
    expect(chiSquareGoodnessOfFit([30, 70], [30, 70 + 5e-7]).dof).toBe(1);
  });

  it('rejects negative counts, an all-zero observation and arrays of different lengths', () => {
    expectInvalid(
      () => chiSquareGoodnessOfFit([1, 2], [4, -1]),
      'expected must contain only counts >= 0, but expected[1] is -1',
    );
    expectInvalid(
      () => chiSquareGoodnessOfFit([0, 0], [0, 0]),
      'observed has a total count of 0; pass at least one positive count',
    );
    expectInvalid(
      () => chiSquareGoodnessOfFit([1, 2, 3], [3, 3]),
      'observed and expected must have the same length, but observed has 3 and expected has 2',
    );
  });

  it('rejects fewer than two categories and a ddof that leaves no degree of freedom', () => {
    const single = thrown(() => chiSquareGoodnessOfFit([5], [5]));
    expect(single.code).toBe('INSUFFICIENT_DATA');
    expect(single.message).toBe('observed needs at least 2 values, received 1');
    expectInvalid(
      () => chiSquareGoodnessOfFit([1, 2, 3], [2, 2, 2], { ddof: 2 }),
      'ddof must leave at least 1 degree of freedom, but ddof 2 with 3 categories leaves 0; pass ddof <= 1',
    );
  });

  it('rejects non-finite counts and invalid options', () => {
    expectInvalid(
      () => chiSquareGoodnessOfFit([1, Number.POSITIVE_INFINITY], [3, 1]),
      'observed must contain only finite numbers, but observed[1] is Infinity',
    );
    expect(thrown(() => chiSquareGoodnessOfFit([1, 2], [2, 1], { ddof: 0.5 })).message).toMatchInlineSnapshot(
      `"Invalid chiSquareGoodnessOfFit options: ddof: Invalid input: expected int, received number (received 0.5)"`,
    );
    expect(
      thrown(() => chiSquareGoodnessOfFit([1, 2], [2, 1], { lambda: 1 } as never)).message,
    ).toMatchInlineSnapshot(`"Invalid chiSquareGoodnessOfFit options: Unrecognized key: "lambda""`);
  });
});
