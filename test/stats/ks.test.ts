import { describe, expect, it } from 'vitest';
import { sortedCopy } from '../../src/core/numeric.js';
import { type Ks2SampleResult, ks2Sample, ks2SampleSorted } from '../../src/stats/ks.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';
import { thrown } from '../helpers.js';

interface KsArgs {
  a: number[];
  b: number[];
  method: 'auto' | 'exact' | 'asymp';
  alternative: 'two-sided' | 'less' | 'greater';
}

const cases = loadReferenceCases('tests').filter((c) => c.fn === 'ks2Sample');

/** A deterministic pseudo-random sample (xorshift), so large inputs need no fixture file. */
function pseudoSample(n: number, seed: number, shift = 0): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s / 4294967296 + shift;
  }
  return out;
}

describe('ks2Sample against scipy.stats.ks_2samp', () => {
  it('has reference cases over sizes 1 to 20,000, both methods and all alternatives', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    const args = cases.map((c) => c.args as unknown as KsArgs);
    expect(Math.max(...args.map((a) => Math.max(a.a.length, a.b.length)))).toBe(20_000);
    expect(new Set(args.map((a) => a.alternative)).size).toBe(3);
    expect(new Set(cases.map((c) => (c.expected as Ks2SampleResult).method)).size).toBe(2);
  });

  it.each(
    cases.map((c, i) => {
      const args = c.args as unknown as KsArgs;
      return [i, args.a.length, args.b.length, args.method, args.alternative, c] as const;
    }),
  )('case %i (n1 = %i, n2 = %i, %s, %s) agrees to 1e-9', (_i, _n1, _n2, _m, _alt, c) => {
    const args = c.args as unknown as KsArgs;
    const expected = c.expected as Ks2SampleResult;
    const actual = ks2Sample(args.a, args.b, { method: args.method, alternative: args.alternative });
    expect(actual.method).toBe(expected.method);
    expect(close(actual.statistic, expected.statistic, 1e-9)).toBe(true);
    expect(close(actual.pValue, expected.pValue, 1e-9), `p ${actual.pValue} vs ${expected.pValue}`).toBe(
      true,
    );
    // Numeric equality: the data contain both -0 and 0, which are the same value.
    expect(actual.statisticLocation === expected.statisticLocation).toBe(true);
    expect(actual.statisticSign).toBe(expected.statisticSign);
  });
});

describe('ks2Sample behaviour', () => {
  it('treats "less" for (a, b) as "greater" for (b, a)', () => {
    const a = pseudoSample(37, 7);
    const b = pseudoSample(53, 11, 0.1);
    const less = ks2Sample(a, b, { alternative: 'less' });
    const greater = ks2Sample(b, a, { alternative: 'greater' });
    expect(less.statistic).toBe(greater.statistic);
    expect(less.pValue).toBeCloseTo(greater.pValue, 14);
    expect(less.statisticSign).toBe(-1);
    expect(greater.statisticSign).toBe(1);
  });

  it('falls back to the asymptotic p-value when an explicit exact lcm(n1, n2) exceeds the int32 range', () => {
    const a = pseudoSample(46_349, 3);
    const b = pseudoSample(46_348, 5, 0.01);
    const exact = ks2Sample(a, b, { method: 'exact' });
    const asymp = ks2Sample(a, b, { method: 'asymp' });
    expect(exact.method).toBe('asymp');
    expect(exact).toEqual(asymp);
    expect(asymp.pValue).toBeLessThan(1e-3);
  });

  it('uses the asymptotic method under auto above 10,000 values and the exact one at 10,000', () => {
    const a = pseudoSample(10_000, 13);
    expect(ks2Sample(a, pseudoSample(10_000, 17)).method).toBe('exact');
    expect(ks2Sample(a, pseudoSample(10_001, 17)).method).toBe('asymp');
  });

  it('handles two samples of 1,000,000 values', () => {
    const result = ks2Sample(pseudoSample(1_000_000, 19), pseudoSample(1_000_000, 23, 0.002));
    expect(result.method).toBe('asymp');
    expect(result.statistic).toBeGreaterThan(0.001);
    expect(result.statistic).toBeLessThan(0.004);
    expect(result.statisticSign).toBe(1);
  });

  it('leaves its inputs unsorted and unchanged', () => {
    const a = [3, 1, 2];
    const b = new Float64Array([9, -1, 4]);
    ks2Sample(a, b);
    expect(a).toEqual([3, 1, 2]);
    expect(Array.from(b)).toEqual([9, -1, 4]);
  });

  it('gives statistic 0 and p-value 1 for identical constant samples', () => {
    const result = ks2Sample([4, 4, 4], [4, 4]);
    expect(result.statistic).toBe(0);
    expect(result.pValue).toBe(1);
  });
});

describe('ks2Sample input errors', () => {
  it('rejects an empty sample', () => {
    const error = thrown(() => ks2Sample([], [1, 2]));
    expect(error.code).toBe('INSUFFICIENT_DATA');
    expect(error.message).toBe('a needs at least 1 value, received 0');
  });

  it('rejects non-finite values, naming the index', () => {
    const error = thrown(() => ks2Sample([1, 2], [0, Number.NaN]));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe('b must contain only finite numbers, but b[1] is NaN');
  });

  it('rejects an unknown method and alternative', () => {
    const method = thrown(() => ks2Sample([1], [2], { method: 'fast' as 'auto' }));
    expect(method.code).toBe('INVALID_ARGUMENT');
    expect(method.message).toMatchInlineSnapshot(
      `"Invalid ks2Sample options: method: Invalid option: expected one of "auto"|"exact"|"asymp" (received "fast")"`,
    );
    const alternative = thrown(() => ks2Sample([1], [2], { alternative: 'two' as 'less' }));
    expect(alternative.message).toMatchInlineSnapshot(
      `"Invalid ks2Sample options: alternative: Invalid option: expected one of "two-sided"|"less"|"greater" (received "two")"`,
    );
  });

  it('rejects unknown options', () => {
    const error = thrown(() => ks2Sample([1], [2], { mode: 'exact' } as never));
    expect(error.message).toMatchInlineSnapshot(`"Invalid ks2Sample options: Unrecognized key: "mode""`);
  });
});

describe('ks2SampleSorted (internal)', () => {
  it('returns exactly what ks2Sample returns, for every method and alternative, with ties and without', () => {
    const samples = [
      [pseudoSample(9, 3), pseudoSample(14, 5, 0.2)],
      [
        pseudoSample(300, 7).map((v) => Math.round(v * 10)),
        pseudoSample(250, 9, 0.05).map((v) => Math.round(v * 10)),
      ],
      [pseudoSample(12_000, 11), pseudoSample(9_000, 13, 0.01)],
    ];
    for (const [a, b] of samples as [Float64Array, Float64Array][]) {
      for (const method of ['auto', 'exact', 'asymp'] as const) {
        for (const alternative of ['two-sided', 'less', 'greater'] as const) {
          expect(ks2SampleSorted(sortedCopy(a), sortedCopy(b), { method, alternative })).toEqual(
            ks2Sample(a, b, { method, alternative }),
          );
        }
      }
    }
  });

  it('defaults to method auto and the two-sided alternative', () => {
    const a = pseudoSample(40, 17);
    const b = pseudoSample(30, 19, 0.3);
    expect(ks2SampleSorted(sortedCopy(a), sortedCopy(b))).toEqual(ks2Sample(a, b));
  });
});
