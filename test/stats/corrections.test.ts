import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { benjaminiHochberg, bonferroni, holm } from '../../src/stats/corrections.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';
import { thrown } from '../helpers.js';

const cases = loadReferenceCases('divergence');
const corrections = { bonferroni, holm, benjaminiHochberg } as const;

describe.each(Object.keys(corrections) as (keyof typeof corrections)[])(
  '%s against statsmodels multipletests (numpy transcription)',
  (fn) => {
    const own = cases.filter((c) => c.fn === fn);

    it('has reference cases', () => {
      expect(own.length).toBeGreaterThanOrEqual(25);
    });

    it.each(own.map((c, i) => [i, (c.args as { pValues: number[] }).pValues.length, c] as const))(
      'case %i (m = %i) agrees to 1e-9',
      (_i, _m, c) => {
        const actual = corrections[fn]((c.args as { pValues: number[] }).pValues);
        const expected = c.expected as number[];
        expect(actual).toHaveLength(expected.length);
        const bad = actual.findIndex((v, i) => !close(v, expected[i] as number, 1e-9));
        expect(bad, bad < 0 ? '' : `index ${bad}: ${actual[bad]} vs ${expected[bad]}`).toBe(-1);
      },
    );

    it('returns an empty array for no p-values', () => {
      expect(corrections[fn]([])).toEqual([]);
    });

    it('is monotone in the p-values, at least the raw p-value, and at most 1', () => {
      const rng = new Random(9);
      const p = Array.from({ length: 2000 }, () => rng.float() ** 3);
      const adjusted = corrections[fn](p);
      const order = p.map((_, i) => i).sort((a, b) => (p[a] as number) - (p[b] as number));
      for (let k = 0; k < order.length; k++) {
        const i = order[k] as number;
        expect(adjusted[i]).toBeGreaterThanOrEqual(p[i] as number);
        expect(adjusted[i]).toBeLessThanOrEqual(1);
        if (k > 0) expect(adjusted[i]).toBeGreaterThanOrEqual(adjusted[order[k - 1] as number] as number);
      }
    });

    it('rejects p-values outside [0, 1], naming the index', () => {
      const error = thrown(() => corrections[fn]([0.1, 0.2, 1.5]));
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.message).toBe('pValues must lie in [0, 1], but pValues[2] is 1.5');
      expect(() => corrections[fn]([-0.01])).toThrow('pValues must lie in [0, 1], but pValues[0] is -0.01');
      expect(() => corrections[fn]([0.5, Number.NaN])).toThrow(
        'pValues must contain only finite numbers, but pValues[1] is NaN',
      );
    });
  },
);

describe('the corrections side by side', () => {
  it('orders Benjamini–Hochberg ≤ Holm ≤ Bonferroni', () => {
    const rng = new Random(4);
    const p = Array.from({ length: 300 }, () => rng.float() * 0.1);
    const bh = benjaminiHochberg(p);
    const hm = holm(p);
    const bf = bonferroni(p);
    for (let i = 0; i < p.length; i++) {
      expect(bh[i]).toBeLessThanOrEqual(hm[i] as number);
      expect(hm[i]).toBeLessThanOrEqual(bf[i] as number);
    }
  });

  it('gives tied p-values the same adjusted value', () => {
    const hm = holm([0.01, 0.03, 0.01, 0.2]);
    expect(hm[0]).toBe(hm[2]);
    expect(hm[0]).toBeCloseTo(0.04, 15);
    const bh = benjaminiHochberg([0.02, 0.02, 0.02, 0.5]);
    expect(bh[0]).toBe(bh[1]);
    expect(bh[1]).toBe(bh[2]);
  });

  it('accepts typed arrays', () => {
    expect(bonferroni(new Float64Array([0.01, 0.5]))).toEqual([0.02, 1]);
  });
});
