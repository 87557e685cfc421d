import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { type PsiResult, psi } from '../../src/stats/psi.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';
import { thrown } from '../helpers.js';

interface PsiArgs {
  reference: number[];
  current: number[];
  bins?: number;
  epsilon?: number;
}

const cases = loadReferenceCases('divergence').filter((c) => c.fn === 'psi');

function allClose(actual: number[], expected: number[], rtol = 1e-9): boolean {
  return actual.length === expected.length && actual.every((v, i) => close(v, expected[i] as number, rtol));
}

describe('psi against the numpy definition (numpy.quantile edges on the reference)', () => {
  it('has reference cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  it.each(
    cases.map((c, i) => {
      const args = c.args as unknown as PsiArgs;
      return [i, args.reference.length, args.current.length, args.bins ?? 10, c] as const;
    }),
  )('case %i (%i reference, %i current, %i bins) agrees to 1e-9', (_i, _n, _m, _bins, c) => {
    const { reference, current, bins, epsilon } = c.args as unknown as PsiArgs;
    const options = {
      ...(bins === undefined ? {} : { bins }),
      ...(epsilon === undefined ? {} : { epsilon }),
    };
    const actual = psi(reference, current, options);
    const expected = c.expected as PsiResult;
    expect(allClose(actual.edges, expected.edges), `edges ${actual.edges} vs ${expected.edges}`).toBe(true);
    expect(allClose(actual.referenceShares, expected.referenceShares)).toBe(true);
    expect(allClose(actual.currentShares, expected.currentShares)).toBe(true);
    expect(close(actual.value, expected.value, 1e-9), `${actual.value} vs ${expected.value}`).toBe(true);
  });
});

describe('psi', () => {
  it('is 0 for identical samples', () => {
    const rng = new Random(1);
    const x = Array.from({ length: 500 }, () => rng.normal());
    expect(psi(x, x).value).toBe(0);
  });

  it('opens the outer edges and collapses tied quantiles', () => {
    // Quantiles at positions 0, 2, 4, 6, 8, 10 of the sorted reference: 0, 0, 0, 1, 3, 5.
    const result = psi([3, 0, 0, 5, 0, 0, 1, 2, 0, 4, 0], [5], { bins: 5 });
    expect(result.edges).toEqual([Number.NEGATIVE_INFINITY, 1, 3, Number.POSITIVE_INFINITY]);
    expect(result.referenceShares).toEqual([6 / 11, 2 / 11, 3 / 11]);
    expect(result.currentShares).toEqual([1e-4, 1e-4, 1]);
  });

  it('puts a value equal to an edge in the bin to its right', () => {
    const result = psi([1, 2, 3, 4, 5], [3], { bins: 2 });
    expect(result.edges).toEqual([Number.NEGATIVE_INFINITY, 3, Number.POSITIVE_INFINITY]);
    expect(result.currentShares).toEqual([1e-4, 1]);
  });

  it('leaves one bin and PSI 0 for a constant reference', () => {
    const result = psi([7, 7, 7], [1, 100]);
    expect(result).toEqual({
      value: 0,
      edges: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
      referenceShares: [1],
      currentShares: [1],
    });
  });

  it('grows with the shift and passes 0.25 for a shift of one standard deviation', () => {
    const rng = new Random(5);
    const reference = Array.from({ length: 20_000 }, () => rng.normal());
    const small = psi(
      reference,
      reference.map((x) => x + 0.1),
    ).value;
    const large = psi(
      reference,
      reference.map((x) => x + 1),
    ).value;
    expect(small).toBeGreaterThan(0);
    expect(small).toBeLessThan(0.1);
    expect(large).toBeGreaterThan(0.25);
  });

  it('uses epsilon for an empty bin', () => {
    const a = psi([1, 2, 3, 4], [100], { bins: 2, epsilon: 1e-3 });
    expect(a.currentShares).toEqual([1e-3, 1]);
    expect(a.value).toBeCloseTo((1e-3 - 0.5) * Math.log(1e-3 / 0.5) + 0.5 * Math.log(2), 14);
  });
});

describe('bad input', () => {
  it('rejects empty samples with INSUFFICIENT_DATA', () => {
    const error = thrown(() => psi([1], []));
    expect(error.code).toBe('INSUFFICIENT_DATA');
    expect(error.message).toMatchInlineSnapshot(`"current needs at least 1 value, received 0"`);
  });

  it('rejects non-finite values', () => {
    expect(() => psi([1, Number.NaN], [1])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: reference must contain only finite numbers, but reference[1] is NaN]`,
    );
  });

  it('rejects bad bins and epsilon', () => {
    expect(() => psi([1], [1], { bins: 0 })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid psi options: bins: Too small: expected number to be >=1 (received 0)]`,
    );
    expect(() => psi([1], [1], { bins: 2.5 })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid psi options: bins: Invalid input: expected int, received number (received 2.5)]`,
    );
    expect(() => psi([1], [1], { epsilon: 0 })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid psi options: epsilon: Too small: expected number to be >0 (received 0)]`,
    );
    expect(() => psi([1], [1], { epsilon: 2 })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid psi options: epsilon: Too big: expected number to be <=1 (received 2)]`,
    );
    expect(thrown(() => psi([1], [1], { bins: -1 })).code).toBe('INVALID_ARGUMENT');
  });
});
