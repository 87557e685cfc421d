import { describe, expect, it } from 'vitest';
import { MlcycleError } from '../../src/core/errors.js';
import { kolmogorovCdf, kolmogorovSf, kstwoCdf, kstwoSf } from '../../src/stats/kolmogorov.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';

const cases = loadReferenceCases('kolmogorov');

interface KstwoArgs {
  d: number;
  n: number;
  method: string;
  exact: boolean;
}

/** Subnormal references carry only a few significant digits, so they are compared absolutely. */
const SUBNORMAL = 1e-305;

function check(actual: number, expected: number, rtol: number): void {
  if (!close(actual, expected, rtol, SUBNORMAL)) {
    expect.fail(
      `expected ${expected}, received ${actual} (relative error ${Math.abs(actual / expected - 1)})`,
    );
  }
}

function invalid(run: () => unknown, message: string): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(MlcycleError.is(caught, 'INVALID_ARGUMENT')).toBe(true);
  expect((caught as Error).message).toBe(message);
}

describe('kstwoSf and kstwoCdf against scipy.stats.kstwo', () => {
  const kstwo = cases.filter((c) => c.fn === 'kstwoSf' || c.fn === 'kstwoCdf');
  const sizes = new Set(kstwo.map((c) => (c.args as unknown as KstwoArgs).n));
  const methods = new Set(kstwo.map((c) => (c.args as unknown as KstwoArgs).method));

  it('has cases for every sample size and every one of scipy’s methods', () => {
    expect(kstwo.length).toBeGreaterThanOrEqual(80);
    for (const n of [1, 2, 3, 5, 10, 50, 100, 140, 141, 1000, 1e4, 1e5, 5e5, 1e6])
      expect(sizes.has(n)).toBe(true);
    for (const m of [
      'ruben-gambino-low',
      'ruben-gambino-high',
      'smirnov-exact',
      'durbin',
      'pomeranz',
      'miller',
    ]) {
      expect(methods.has(m)).toBe(true);
    }
    expect(methods.has('pelz-good')).toBe(true);
  });

  // Where scipy approximates (Pelz–Good, Miller's 2·smirnov) we evaluate the same approximation, so every region
  // is held to 1e-10 relative; subnormal references (below 1e-305) absolutely.
  for (const n of [...sizes].sort((a, b) => a - b)) {
    it(`agrees to 1e-10 for n = ${n}`, () => {
      for (const c of kstwo) {
        const { d, n: size } = c.args as unknown as KstwoArgs;
        if (size !== n) continue;
        const actual = c.fn === 'kstwoSf' ? kstwoSf(d, size) : kstwoCdf(d, size);
        check(actual, c.expected as number, 1e-10);
      }
    });
  }

  it('keeps p-values near 1e-300 to full relative precision', () => {
    const tiny = kstwo.filter((c) => (c.expected as number) > 1e-305 && (c.expected as number) < 1e-250);
    expect(tiny.length).toBeGreaterThanOrEqual(3);
    for (const c of tiny) {
      const { d, n } = c.args as unknown as KstwoArgs;
      expect(Math.abs(kstwoSf(d, n) / (c.expected as number) - 1)).toBeLessThan(1e-10);
    }
  });
});

describe('kstwo closed forms', () => {
  it('is P(max(U, 1 − U) > d) = 2(1 − d) for a single observation', () => {
    for (const d of [0.5, 0.6, 0.75, 0.9, 0.999]) {
      check(kstwoSf(d, 1), 2 * (1 - d), 1e-14);
      check(kstwoCdf(d, 1), 1 - 2 * (1 - d), 1e-14);
    }
    expect(kstwoSf(0.3, 1)).toBe(1);
  });

  it('follows Ruben & Gambino between 1/(2n) and 1/n: P(D_n <= d) = n!/nⁿ·(2nd − 1)ⁿ', () => {
    // n = 5, d = 0.15: 120/3125·0.5⁵
    check(kstwoCdf(0.15, 5), (120 / 3125) * 0.5 ** 5, 1e-14);
    // n = 200 goes through Stirling's series for n!/nⁿ
    let logRatio = 0;
    for (let i = 1; i <= 200; i++) logRatio += Math.log(i / 200);
    check(kstwoCdf(0.004, 200), Math.exp(logRatio + 200 * Math.log(0.6)), 1e-12);
  });

  it('is 2(1 − d)ⁿ from d = 1 − 1/n on', () => {
    check(kstwoSf(0.95, 10), 2 * 0.05 ** 10, 1e-13);
    check(kstwoSf(0.9999, 20_000), 2 * 1e-4 ** 20_000, 1e-13);
  });

  it('has sf + cdf = 1 where both come from the same exact method (n <= 140)', () => {
    for (const n of [2, 7, 33, 140]) {
      for (let d = 0.01; d < 1; d += 0.037) expect(kstwoSf(d, n) + kstwoCdf(d, n)).toBeCloseTo(1, 14);
    }
  });

  it('decreases in d for every n, across the switches between methods', () => {
    for (const n of [3, 50, 140, 141, 999, 1000, 20_000, 100_000, 500_000]) {
      let previous = 1;
      for (let i = 1; i <= 400; i++) {
        const d = (i / 400) ** 2;
        const p = kstwoSf(d, n);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(previous * (1 + 1e-9));
        previous = p;
      }
    }
  });

  it('approaches Kolmogorov’s limit √n·D as n grows', () => {
    const z = 1.2;
    const errors = [1e3, 1e4, 1e5].map((n) => Math.abs(kstwoSf(z / Math.sqrt(n), n) - kolmogorovSf(z)));
    expect(errors[1]).toBeLessThan(errors[0] as number);
    expect(errors[2]).toBeLessThan(errors[1] as number);
    expect(errors[2]).toBeLessThan(2e-3);
  });
});

describe('kstwo edges and input checks', () => {
  it('returns sf 1 / cdf 0 for d <= 1/(2n) and sf 0 / cdf 1 for d >= 1', () => {
    for (const n of [1, 10, 1_000_000]) {
      for (const d of [Number.NEGATIVE_INFINITY, -1, 0, 0.5 / n]) {
        expect(kstwoSf(d, n)).toBe(1);
        expect(kstwoCdf(d, n)).toBe(0);
      }
      for (const d of [1, 2, Number.POSITIVE_INFINITY]) {
        expect(kstwoSf(d, n)).toBe(0);
        expect(kstwoCdf(d, n)).toBe(1);
      }
    }
  });

  it('rejects a sample size that is not a positive integer', () => {
    for (const fn of [kstwoSf, kstwoCdf]) {
      invalid(() => fn(0.1, 0), 'n must be a positive integer, received 0');
      invalid(() => fn(0.1, -3), 'n must be a positive integer, received -3');
      invalid(() => fn(0.1, 2.5), 'n must be a positive integer, received 2.5');
      invalid(() => fn(0.1, Number.NaN), 'n must be a positive integer, received NaN');
      invalid(() => fn(0.1, Number.POSITIVE_INFINITY), 'n must be a positive integer, received Infinity');
    }
  });

  it('rejects a NaN statistic', () => {
    invalid(() => kstwoSf(Number.NaN, 10), 'd must be a number, received NaN');
    invalid(() => kstwoCdf(Number.NaN, 10), 'd must be a number, received NaN');
  });
});

describe('kolmogorovSf and kolmogorovCdf against scipy.special.kolmogorov', () => {
  const limit = cases.filter((c) => c.fn === 'kolmogorovSf' || c.fn === 'kolmogorovCdf');

  it('agrees to 1e-12 at every reference point, tiny tails included', () => {
    expect(limit.length).toBeGreaterThanOrEqual(20);
    for (const c of limit) {
      const { x } = c.args as { x: number };
      const actual = c.fn === 'kolmogorovSf' ? kolmogorovSf(x) : kolmogorovCdf(x);
      check(actual, c.expected as number, 1e-12);
    }
  });

  it('keeps the lower tail of the CDF that 1 − sf would lose', () => {
    // At x = 0.1 the first term √(2π)/x·exp(−π²/(8x²)) of the theta series is the whole value in double precision.
    const x = 0.1;
    expect(kolmogorovSf(x)).toBe(1);
    check(
      kolmogorovCdf(x),
      (Math.sqrt(2 * Math.PI) / x) * Math.exp(-(Math.PI * Math.PI) / (8 * x * x)),
      1e-13,
    );
  });

  it('has sf + cdf = 1 and the infinite ends', () => {
    for (let x = 0.05; x < 4; x += 0.13) expect(kolmogorovSf(x) + kolmogorovCdf(x)).toBeCloseTo(1, 15);
    expect(kolmogorovSf(Number.POSITIVE_INFINITY)).toBe(0);
    expect(kolmogorovCdf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(kolmogorovSf(Number.NEGATIVE_INFINITY)).toBe(1);
    expect(kolmogorovCdf(0)).toBe(0);
  });

  it('rejects NaN', () => {
    invalid(() => kolmogorovSf(Number.NaN), 'x must be a number, received NaN');
    invalid(() => kolmogorovCdf(Number.NaN), 'x must be a number, received NaN');
  });
});
