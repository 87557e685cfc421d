import { describe, expect, it } from 'vitest';
import { hellinger, jensenShannon, klDivergence } from '../../src/stats/divergence.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';
import { thrown } from '../helpers.js';

const cases = loadReferenceCases('divergence');

const functions = { jensenShannon, klDivergence, hellinger } as const;

interface VectorArgs {
  p: number[];
  q: number[];
  base?: number;
}

function call(fn: keyof typeof functions, args: VectorArgs): number {
  if (fn === 'hellinger') return hellinger(args.p, args.q);
  return functions[fn](args.p, args.q, args.base === undefined ? undefined : { base: args.base });
}

describe.each(Object.keys(functions) as (keyof typeof functions)[])('%s against scipy/numpy', (fn) => {
  const own = cases.filter((c) => c.fn === fn);

  it('has reference cases', () => {
    expect(own.length).toBeGreaterThanOrEqual(15);
  });

  it.each(own.map((c, i) => [i, (c.args as unknown as VectorArgs).p.length, c] as const))(
    'case %i (n = %i) agrees to 1e-9',
    (_i, _n, c) => {
      const actual = call(fn, c.args as unknown as VectorArgs);
      const expected = c.expected as number;
      expect(close(actual, expected, 1e-9), `${actual} vs ${expected}`).toBe(true);
    },
  );
});

describe('jensenShannon', () => {
  it('is sqrt(ln 2) for disjoint supports, and 1 in base 2', () => {
    expect(jensenShannon([1, 0, 0], [0, 1, 0])).toBeCloseTo(Math.sqrt(Math.LN2), 15);
    expect(jensenShannon([1, 0, 0], [0, 1, 0], { base: 2 })).toBeCloseTo(1, 15);
  });

  it('is 0 for identical distributions, whatever their scale', () => {
    expect(jensenShannon([10, 20, 30], [1, 2, 3])).toBe(0);
    expect(jensenShannon([0.1, 0.2, 0.7], [0.1, 0.2, 0.7])).toBe(0);
  });

  it('is symmetric', () => {
    const p = [0.1, 0.4, 0.5];
    const q = [0.3, 0.3, 0.4];
    expect(jensenShannon(p, q)).toBe(jensenShannon(q, p));
  });

  it('accepts typed arrays', () => {
    expect(jensenShannon(new Float64Array([1, 0]), new Float32Array([0, 1]), { base: 2 })).toBeCloseTo(1, 15);
  });
});

describe('klDivergence', () => {
  it('is Infinity where q is 0 but p is not, and finite the other way round', () => {
    expect(klDivergence([0.5, 0.5], [1, 0])).toBe(Number.POSITIVE_INFINITY);
    expect(klDivergence([1, 0], [0.5, 0.5])).toBeCloseTo(Math.LN2, 15);
  });

  it('divides by ln(base)', () => {
    const nats = klDivergence([0.2, 0.8], [0.6, 0.4]);
    expect(klDivergence([0.2, 0.8], [0.6, 0.4], { base: 2 })).toBeCloseTo(nats / Math.LN2, 15);
  });
});

describe('hellinger', () => {
  it('is 1 for disjoint supports and 0 for identical distributions', () => {
    expect(hellinger([1, 0], [0, 1])).toBe(1);
    expect(hellinger([2, 2], [5, 5])).toBe(0);
  });

  it('equals sqrt(1 − Bhattacharyya coefficient)', () => {
    const p = [0.1, 0.6, 0.3];
    const q = [0.4, 0.4, 0.2];
    const bc = p.reduce((acc, pi, i) => acc + Math.sqrt(pi * (q[i] as number)), 0);
    expect(hellinger(p, q)).toBeCloseTo(Math.sqrt(1 - bc), 14);
  });
});

describe('bad input', () => {
  it('rejects negative entries, naming the index', () => {
    expect(() => jensenShannon([0.5, -0.1, 0.6], [1, 1, 1])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: p must contain only non-negative numbers, but p[1] is -0.1]`,
    );
    expect(() => hellinger([1, 1], [1, -2])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: q must contain only non-negative numbers, but q[1] is -2]`,
    );
  });

  it('rejects an all-zero vector', () => {
    expect(() => klDivergence([0, 0, 0], [1, 1, 1])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: p must have a positive sum to be normalised into a distribution, but its 3 entries sum to 0]`,
    );
  });

  it('rejects non-finite entries', () => {
    expect(() => klDivergence([1, Number.NaN], [1, 1])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: p must contain only finite numbers, but p[1] is NaN]`,
    );
  });

  it('rejects vectors of different lengths', () => {
    expect(() => jensenShannon([1, 2, 3], [1, 2])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: p and q must have the same length, but p has 3 and q has 2]`,
    );
  });

  it('rejects empty vectors with INSUFFICIENT_DATA', () => {
    const error = thrown(() => hellinger([], []));
    expect(error.code).toBe('INSUFFICIENT_DATA');
    expect(error.message).toMatchInlineSnapshot(`"p needs at least 1 value, received 0"`);
  });

  it('rejects a base that is not a finite number > 1', () => {
    expect(() => jensenShannon([1], [1], { base: 1 })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid jensenShannon options: base: Too small: expected number to be >1 (received 1)]`,
    );
    expect(() => klDivergence([1], [1], { base: 0.5 })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid klDivergence options: base: Too small: expected number to be >1 (received 0.5)]`,
    );
    expect(() =>
      klDivergence([1], [1], { base: Number.POSITIVE_INFINITY }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid klDivergence options: base: Invalid input: expected number, received Infinity (received Infinity)]`,
    );
    expect(() =>
      jensenShannon([1], [1], { bass: 2 } as unknown as { base: number }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid jensenShannon options: Unrecognized key: "bass"]`,
    );
  });

  it('throws MlcycleError with code INVALID_ARGUMENT', () => {
    expect(thrown(() => jensenShannon([-1], [1])).code).toBe('INVALID_ARGUMENT');
    expect(thrown(() => klDivergence([1], [1], { base: 0 })).code).toBe('INVALID_ARGUMENT');
  });
});
