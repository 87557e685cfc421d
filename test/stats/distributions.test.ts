import { describe, expect, it } from 'vitest';
import {
  chiSquareCdf,
  chiSquareSf,
  normalCdf,
  normalPpf,
  normalSf,
  studentTCdf,
  studentTSf,
} from '../../src/stats/distributions.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';
import { expectInvalid } from '../helpers.js';

const cases = loadReferenceCases('special');
const num = (args: Record<string, unknown>, key: string): number => args[key] as number;
const opt = (args: Record<string, unknown>, key: string, fallback: number): number =>
  (args[key] as number | undefined) ?? fallback;

const distributions: Record<string, (args: Record<string, unknown>) => number> = {
  normalCdf: (a) => normalCdf(num(a, 'x'), opt(a, 'mean', 0), opt(a, 'sd', 1)),
  normalSf: (a) => normalSf(num(a, 'x'), opt(a, 'mean', 0), opt(a, 'sd', 1)),
  normalPpf: (a) => normalPpf(num(a, 'p'), opt(a, 'mean', 0), opt(a, 'sd', 1)),
  studentTCdf: (a) => studentTCdf(num(a, 't'), num(a, 'df')),
  studentTSf: (a) => studentTSf(num(a, 't'), num(a, 'df')),
  chiSquareCdf: (a) => chiSquareCdf(num(a, 'x'), num(a, 'df')),
  chiSquareSf: (a) => chiSquareSf(num(a, 'x'), num(a, 'df')),
};

describe('distributions against scipy.stats', () => {
  const mine = cases.filter((c) => c.fn in distributions);

  it('has reference cases for every function', () => {
    expect(mine.length).toBeGreaterThanOrEqual(120);
    expect(new Set(mine.map((c) => c.fn))).toEqual(new Set(Object.keys(distributions)));
  });

  // Relative tolerance 1e-12 with no absolute floor: far-tail values (1e-198, 1e-208) are checked to 12 digits.
  it.each(mine.map((c) => [c.fn, JSON.stringify(c.args), c] as const))('%s(%s)', (_fn, _args, c) => {
    const run = distributions[c.fn] as (args: Record<string, unknown>) => number;
    const actual = run(c.args);
    const expected = c.expected as number;
    if (!close(actual, expected, 1e-12, 0)) {
      throw new Error(`${c.fn}(${JSON.stringify(c.args)}) = ${actual}, reference ${expected}`);
    }
  });
});

describe('normal distribution', () => {
  it('keeps full relative precision in both far tails', () => {
    // An independent check: the asymptotic series sf(z) ≈ φ(z)/z·(1 − 1/z² + 3/z⁴ − 15/z⁶ + 105/z⁸), whose
    // truncation error is below 1e-11 relative for z >= 25.
    for (const z of [25, 30, 35]) {
      const density = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
      const z2 = z * z;
      const asymptotic =
        (density / z) * (1 - 1 / z2 + 3 / (z2 * z2) - 15 / (z2 * z2 * z2) + 105 / (z2 * z2 * z2 * z2));
      expect(close(normalSf(z), asymptotic, 1e-9, 0)).toBe(true);
      expect(close(normalCdf(-z), asymptotic, 1e-9, 0)).toBe(true);
    }
    expect(normalSf(40)).toBe(0);
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(normalSf(Number.POSITIVE_INFINITY)).toBe(0);
  });

  it('ppf inverts cdf to the last digits across the range, including the far tails', () => {
    for (let e = -300; e <= -1; e += 7) {
      const p = 10 ** e;
      const x = normalPpf(p);
      // x is rounded to a double: cdf(x) can differ from p by about x²·ε relative (1.5e-13 at p = 1e-300).
      expect(close(normalCdf(x), p, 1e-12, 0)).toBe(true);
      const upper = 1 - p;
      if (upper < 1) expect(close(normalSf(normalPpf(upper)), 1 - upper, 1e-12, 0)).toBe(true);
    }
    for (let p = 0.01; p < 1; p += 0.01) expect(close(normalCdf(normalPpf(p)), p, 1e-14, 0)).toBe(true);
  });

  it('ppf follows scipy at the edges: −∞ at 0, ∞ at 1, the mean at ½', () => {
    expect(normalPpf(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalPpf(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalPpf(0.5, 3, 2)).toBe(3);
  });

  it('rejects bad arguments with a message naming each', () => {
    expectInvalid(() => normalCdf(Number.NaN), 'x must be a number, received NaN');
    expectInvalid(() => normalSf(1, 0, 0), 'sd must be a finite number > 0, received 0');
    expectInvalid(() => normalCdf(1, 0, -2), 'sd must be a finite number > 0, received -2');
    expectInvalid(() => normalSf(1, Number.NaN, 1), 'mean must be a finite number, received NaN');
    expectInvalid(() => normalPpf(1.2), 'p must be a probability in [0, 1], received 1.2');
    expectInvalid(() => normalPpf(-0.1), 'p must be a probability in [0, 1], received -0.1');
    expectInvalid(() => normalPpf(Number.NaN), 'p must be a probability in [0, 1], received NaN');
  });
});

describe('Student t distribution', () => {
  it('matches the closed forms for 1 and 2 degrees of freedom (Cauchy, and t/(2√(2 + t²)))', () => {
    for (const t of [-30, -4, -1, -0.2, 0, 0.3, 1.7, 9]) {
      expect(close(studentTCdf(t, 1), 0.5 + Math.atan(t) / Math.PI, 1e-14)).toBe(true);
      expect(close(studentTCdf(t, 2), 0.5 + t / (2 * Math.sqrt(2 + t * t)), 1e-14)).toBe(true);
    }
    // Far tails through forms without cancellation: sf(t) = atan(1/t)/π for df = 1.
    for (const t of [10, 1e3, 1e8])
      expect(close(studentTSf(t, 1), Math.atan(1 / t) / Math.PI, 1e-14, 0)).toBe(true);
  });

  it('sums to 1 with its complement and is increasing in t', () => {
    let previous = 0;
    for (let t = -20; t <= 20; t += 0.5) {
      const cdf = studentTCdf(t, 3.7);
      expect(cdf + studentTSf(t, 3.7)).toBeCloseTo(1, 15);
      expect(cdf).toBeGreaterThan(previous);
      previous = cdf;
    }
  });

  it('tends to the normal distribution as df grows, and equals it at df = Infinity (as scipy)', () => {
    expect(studentTSf(2, Number.POSITIVE_INFINITY)).toBe(normalSf(2));
    expect(close(studentTSf(2, 1e7), normalSf(2), 1e-6)).toBe(true);
  });

  it('handles infinite and astronomically large t without overflow', () => {
    expect(studentTSf(Number.POSITIVE_INFINITY, 4)).toBe(0);
    expect(studentTCdf(Number.NEGATIVE_INFINITY, 4)).toBe(0);
    expect(studentTCdf(Number.POSITIVE_INFINITY, 4)).toBe(1);
    // df = 1 is the Cauchy distribution: sf(t) = atan(1/t)/π, ≈ 1/(πt) for t = 1e200 (t² overflows).
    expect(close(studentTSf(1e200, 1), 1 / (Math.PI * 1e200), 1e-13, 0)).toBe(true);
  });

  it('rejects bad arguments with a message naming each', () => {
    expectInvalid(() => studentTCdf(Number.NaN, 3), 't must be a number, received NaN');
    expectInvalid(() => studentTSf(1, 0), 'df must be a number > 0 (Infinity allowed), received 0');
    expectInvalid(() => studentTCdf(1, -2), 'df must be a number > 0 (Infinity allowed), received -2');
    expectInvalid(
      () => studentTSf(1, Number.NaN),
      'df must be a number > 0 (Infinity allowed), received NaN',
    );
  });
});

describe('chi-square distribution', () => {
  it('is 0/1 at and below zero and 1/0 at Infinity', () => {
    expect(chiSquareCdf(0, 3)).toBe(0);
    expect(chiSquareCdf(-1, 3)).toBe(0);
    expect(chiSquareSf(-1, 3)).toBe(1);
    expect(chiSquareCdf(Number.POSITIVE_INFINITY, 3)).toBe(1);
    expect(chiSquareSf(Number.POSITIVE_INFINITY, 3)).toBe(0);
  });

  it('with 2 degrees of freedom is the exponential distribution with mean 2', () => {
    for (const x of [0.01, 1, 10, 200, 1300])
      expect(close(chiSquareSf(x, 2), Math.exp(-x / 2), 1e-14, 0)).toBe(true);
  });

  it('with 1 degree of freedom is the square of a standard normal', () => {
    for (const z of [0.2, 1.96, 7, 25])
      expect(close(chiSquareSf(z * z, 1), 2 * normalSf(z), 1e-13, 0)).toBe(true);
  });

  it('rejects bad arguments with a message naming each', () => {
    expectInvalid(() => chiSquareCdf(Number.NaN, 3), 'x must be a number, received NaN');
    expectInvalid(() => chiSquareSf(1, 0), 'df must be a finite number > 0, received 0');
    expectInvalid(
      () => chiSquareCdf(1, Number.POSITIVE_INFINITY),
      'df must be a finite number > 0, received Infinity',
    );
  });
});
