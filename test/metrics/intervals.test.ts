import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { bootstrapInterval, normalInterval } from '../../src/metrics/intervals.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';

function normalSample(rng: Random, n: number, mu: number, sigma: number): number[] {
  return Array.from({ length: n }, () => rng.normal(mu, sigma));
}

describe('bootstrapInterval', () => {
  const values = normalSample(new Random(11), 40, 2, 3);

  it('is reproducible for a seed and changes with the seed', () => {
    const a = bootstrapInterval(values, { seed: 5, resamples: 2000 });
    const b = bootstrapInterval(values, { seed: 5, resamples: 2000 });
    const c = bootstrapInterval(values, { seed: 6, resamples: 2000 });
    expect(a).toEqual(b);
    expect(c.lower).not.toBe(a.lower);
    expect(c.estimate).toBe(a.estimate);
    expect(a.method).toBe('percentile');
    expect(a.confidence).toBe(0.95);
  });

  it('uses the mean, seed 0, 10,000 resamples and 95 % by default', () => {
    const byDefault = bootstrapInterval(values);
    const explicit = bootstrapInterval(values, {
      seed: 0,
      resamples: 10_000,
      confidence: 0.95,
      method: 'percentile',
      statistic: (s) => s.reduce((x, y) => x + y, 0) / s.length,
    });
    expect(byDefault.estimate).toBeCloseTo(values.reduce((x, y) => x + y, 0) / values.length, 12);
    expect(byDefault.lower).toBeCloseTo(explicit.lower, 12);
    expect(byDefault.upper).toBeCloseTo(explicit.upper, 12);
    expect(byDefault.lower).toBeLessThan(byDefault.estimate);
    expect(byDefault.upper).toBeGreaterThan(byDefault.estimate);
  });

  it('takes numpy-linear percentiles of the replicates (checked by hand on 4, 5 and 11 resamples)', () => {
    // Record every replicate through the statistic, then read the interval off the sorted replicates.
    const run = (resamples: number, confidence: number) => {
      const replicates: number[] = [];
      const result = bootstrapInterval([1, 2, 4, 8, 16], {
        resamples,
        confidence,
        seed: 3,
        statistic: (s) => {
          const m = s.reduce((x, y) => x + y, 0) / s.length;
          replicates.push(m);
          return m;
        },
      });
      replicates.shift(); // the first call is the estimate on the original values
      return { result, sorted: replicates.sort((x, y) => x - y) };
    };
    // 5 resamples, 50 %: quantiles 0.25 and 0.75 sit exactly on the 2nd and 4th order statistics.
    const five = run(5, 0.5);
    expect(five.sorted).toHaveLength(5);
    expect(five.result.lower).toBe(five.sorted[1]);
    expect(five.result.upper).toBe(five.sorted[3]);
    expect(five.result.estimate).toBe(31 / 5);
    // 11 resamples, 80 %: quantiles 0.1 and 0.9 → positions 1 and 9.
    const eleven = run(11, 0.8);
    expect(eleven.result.lower).toBeCloseTo(eleven.sorted[1] as number, 12);
    expect(eleven.result.upper).toBeCloseTo(eleven.sorted[9] as number, 12);
    // 4 resamples, 50 %: quantile 0.25 → position 0.75, three quarters of the way from the 1st to the 2nd.
    const four = run(4, 0.5);
    const [s0, s1, s2, s3] = four.sorted as [number, number, number, number];
    expect(four.result.lower).toBeCloseTo(s0 + 0.75 * (s1 - s0), 12);
    expect(four.result.upper).toBeCloseTo(s2 + 0.25 * (s3 - s2), 12);
  });

  it('resamples with replacement, uniformly, from the original values only', () => {
    const counts = new Map<number, number>();
    bootstrapInterval([10, 20, 30, 40], {
      resamples: 5000,
      statistic: (s) => {
        expect(s).toHaveLength(4);
        for (const v of s) counts.set(v, (counts.get(v) ?? 0) + 1);
        return 0;
      },
    });
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([10, 20, 30, 40]);
    // 5001 calls × 4 draws, a quarter each; binomial sd ≈ 61.
    for (const count of counts.values()) expect(Math.abs(count - 5001)).toBeLessThan(300);
  });

  it('draws from every position of a sample longer than 2^21 values', () => {
    const n = 2 ** 21 + 3;
    const values = new Float64Array(n);
    values[n - 1] = 1; // only the last position holds a 1
    let lastSeen = 0;
    bootstrapInterval(values, {
      resamples: 2,
      statistic: (s) => {
        for (const v of s) lastSeen += v;
        return 0;
      },
    });
    // Each of the 3 calls (estimate + 2 resamples) draws n values; the 1 appears about once per resample.
    expect(lastSeen).toBeGreaterThanOrEqual(1);
    expect(lastSeen).toBeLessThan(12);
    // Half zeros, half ones: resample means stay within a few standard errors (0.00035) of one half.
    const halves = Float64Array.from({ length: n }, (_, i) => (i < n / 2 ? 0 : 1));
    const { lower, upper } = bootstrapInterval(halves, { resamples: 3 });
    expect(Math.abs(lower - 0.5)).toBeLessThan(0.002);
    expect(Math.abs(upper - 0.5)).toBeLessThan(0.002);
  });

  it('matches the exact bootstrap distribution of the mean of two values', () => {
    // Resample means of [0, 1] with n = 2 are 0, 0.5, 1 with probabilities 1/4, 1/2, 1/4.
    const { lower, upper } = bootstrapInterval([0, 1], { confidence: 0.4, resamples: 20_000, seed: 9 });
    // The 30 % and 70 % quantiles of that distribution are both 0.5.
    expect(lower).toBe(0.5);
    expect(upper).toBe(0.5);
    const wide = bootstrapInterval([0, 1], { confidence: 0.9, resamples: 20_000, seed: 9 });
    expect(wide.lower).toBe(0);
    expect(wide.upper).toBe(1);
  });

  it('covers the true mean about as often as its confidence on simulated data', () => {
    const rng = new Random(2024);
    const trials = 400;
    let covered = 0;
    for (let k = 0; k < trials; k++) {
      const sample = normalSample(rng, 60, 5, 2);
      const { lower, upper } = bootstrapInterval(sample, { confidence: 0.9, resamples: 1000, seed: k });
      if (lower <= 5 && 5 <= upper) covered++;
    }
    // Percentile intervals at n = 60 cover slightly under 90 %; 400 trials give a binomial sd of 1.5 points.
    expect(covered / trials).toBeGreaterThan(0.84);
    expect(covered / trials).toBeLessThan(0.95);
  });

  it('bootstraps any statistic, and a single value gives a degenerate interval', () => {
    const median = (s: Float64Array) => {
      s.sort();
      return s.length % 2
        ? (s[s.length >> 1] as number)
        : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
    };
    const result = bootstrapInterval([5, 1, 3, 2, 4], { statistic: median, resamples: 500 });
    expect(result.estimate).toBe(3);
    expect(result.lower).toBeGreaterThanOrEqual(1);
    expect(result.upper).toBeLessThanOrEqual(5);
    expect(bootstrapInterval([7.5], { resamples: 10 })).toEqual({
      estimate: 7.5,
      lower: 7.5,
      upper: 7.5,
      confidence: 0.95,
      method: 'percentile',
    });
  });

  it('returns NaN bounds when the statistic is undefined on some resample', () => {
    const result = bootstrapInterval([1, 2, 3], {
      resamples: 200,
      statistic: (s) => (s[0] === s[1] && s[1] === s[2] ? Number.NaN : 1),
    });
    expect(result.estimate).toBe(1);
    expect(result.lower).toBeNaN();
    expect(result.upper).toBeNaN();
  });

  it('rejects bad values, options and statistics', () => {
    expect(() => bootstrapInterval([])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: values needs at least 1 value, received 0]`,
    );
    expect(() => bootstrapInterval([1, Number.NaN])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: values must contain only finite numbers, but values[1] is NaN]`,
    );
    expect(() => bootstrapInterval([1], { confidence: 1 })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid bootstrapInterval options: confidence: Too big: expected number to be <1 (received 1)]`,
    );
    expect(() => bootstrapInterval([1], { confidence: 0 })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid bootstrapInterval options: confidence: Too small: expected number to be >0 (received 0)]`,
    );
    expect(() => bootstrapInterval([1], { resamples: 0 })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid bootstrapInterval options: resamples: Too small: expected number to be >=1 (received 0)]`,
    );
    expect(() => bootstrapInterval([1], { resamples: 2.5 })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid bootstrapInterval options: resamples: Invalid input: expected int, received number (received 2.5)]`,
    );
    expect(() => bootstrapInterval([1], { seed: -1 })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid bootstrapInterval options: seed: Too small: expected number to be >=0 (received -1)]`,
    );
    expect(() => bootstrapInterval([1], { method: 'bca' } as never)).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid bootstrapInterval options: method: Invalid input: expected "percentile" (received "bca")]`,
    );
    expect(() => bootstrapInterval([1], { statistic: 3 } as never)).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid bootstrapInterval options: statistic: expected a function (sample: Float64Array) => number (received 3)]`,
    );
    expect(() =>
      bootstrapInterval([1], { statistic: () => '1' } as never),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: bootstrapInterval statistic must return a number, but it returned string]`,
    );
  });
});

describe('normalInterval', () => {
  const cases = loadReferenceCases('regression').filter((c) => c.fn === 'normalInterval');

  it('agrees with scipy.stats.norm.interval and scipy.stats.sem to 1e-9', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    const failures: string[] = [];
    for (const c of cases) {
      const { values, confidence } = c.args as { values: number[]; confidence: number };
      const expected = c.expected as Record<string, number>;
      const actual = normalInterval(values, { confidence });
      expect(actual.confidence).toBe(confidence);
      for (const key of ['estimate', 'standardError', 'lower', 'upper'] as const) {
        if (!close(actual[key], expected[key] as number, 1e-9)) {
          failures.push(`n=${values.length} ${key}: ${actual[key]} vs ${expected[key]}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('uses z = 1.959963984540054 at 95 % by default and is zero-width for constant values', () => {
    const result = normalInterval([1, 2, 3, 4]);
    const se = Math.sqrt(5 / 3) / 2;
    expect(result.estimate).toBe(2.5);
    expect(result.standardError).toBeCloseTo(se, 15);
    expect(result.upper).toBeCloseTo(2.5 + 1.959963984540054 * se, 14);
    expect(result.lower).toBeCloseTo(2.5 - 1.959963984540054 * se, 14);
    expect(normalInterval([3, 3, 3])).toEqual({
      estimate: 3,
      lower: 3,
      upper: 3,
      standardError: 0,
      confidence: 0.95,
    });
  });

  it('covers the true mean about 95 % of the time on simulated data', () => {
    const rng = new Random(77);
    let covered = 0;
    for (let k = 0; k < 2000; k++) {
      const { lower, upper } = normalInterval(normalSample(rng, 200, -1, 4));
      if (lower <= -1 && -1 <= upper) covered++;
    }
    // sd of the coverage over 2000 trials ≈ 0.5 points.
    expect(covered / 2000).toBeGreaterThan(0.93);
    expect(covered / 2000).toBeLessThan(0.965);
  });

  it('rejects fewer than two values and a bad confidence', () => {
    expect(() => normalInterval([1])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: values needs at least 2 values, received 1]`,
    );
    expect(() => normalInterval([1, Number.POSITIVE_INFINITY])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: values must contain only finite numbers, but values[1] is Infinity]`,
    );
    expect(() => normalInterval([1, 2], { confidence: 95 })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid normalInterval options: confidence: Too big: expected number to be <1 (received 95)]`,
    );
    expect(() => normalInterval([1, 2], { level: 0.9 } as never)).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid normalInterval options: Unrecognized key: "level"]`,
    );
  });
});
