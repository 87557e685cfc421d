import { describe, expect, it } from 'vitest';
import { logBeta, regularizedBeta, regularizedBetaPair } from '../../src/stats/beta.js';
import { erf, erfc } from '../../src/stats/erf.js';
import { digamma, logGamma, regularizedGammaP, regularizedGammaQ, trigamma } from '../../src/stats/gamma.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';
import { expectInvalid } from '../helpers.js';

const cases = loadReferenceCases('special');
const num = (args: Record<string, unknown>, key: string): number => args[key] as number;

const special: Record<string, (args: Record<string, unknown>) => number> = {
  logGamma: (a) => logGamma(num(a, 'x')),
  logBeta: (a) => logBeta(num(a, 'a'), num(a, 'b')),
  digamma: (a) => digamma(num(a, 'x')),
  trigamma: (a) => trigamma(num(a, 'x')),
  regularizedGammaP: (a) => regularizedGammaP(num(a, 'a'), num(a, 'x')),
  regularizedGammaQ: (a) => regularizedGammaQ(num(a, 'a'), num(a, 'x')),
  regularizedBeta: (a) => regularizedBeta(num(a, 'x'), num(a, 'a'), num(a, 'b')),
  erf: (a) => erf(num(a, 'x')),
  erfc: (a) => erfc(num(a, 'x')),
};

describe('special functions against scipy.special', () => {
  const mine = cases.filter((c) => c.fn in special);

  it('has reference cases for every function', () => {
    expect(mine.length).toBeGreaterThanOrEqual(150);
    expect(new Set(mine.map((c) => c.fn))).toEqual(new Set(Object.keys(special)));
  });

  // Relative tolerance 1e-12 with no absolute floor, so values like 1e-208 are checked to 12 digits too.
  it.each(mine.map((c) => [c.fn, JSON.stringify(c.args), c] as const))('%s(%s)', (_fn, _args, c) => {
    const run = special[c.fn] as (args: Record<string, unknown>) => number;
    const actual = run(c.args);
    const expected = c.expected as number;
    if (!close(actual, expected, 1e-12, 0)) {
      throw new Error(`${c.fn}(${JSON.stringify(c.args)}) = ${actual}, reference ${expected}`);
    }
  });
});

describe('special function edge values (as scipy)', () => {
  it('logGamma is Infinity at 0, the negative integers and +Infinity, and 0 at 1 and 2', () => {
    expect(logGamma(0)).toBe(Number.POSITIVE_INFINITY);
    expect(logGamma(-3)).toBe(Number.POSITIVE_INFINITY);
    expect(logGamma(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(logGamma(1)).toBe(0);
    expect(logGamma(2)).toBe(0);
  });

  it('digamma has signed infinities at ±0 and NaN at the negative integers', () => {
    expect(digamma(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(digamma(-0)).toBe(Number.POSITIVE_INFINITY);
    expect(digamma(-2)).toBeNaN();
    expect(digamma(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });

  it('trigamma is Infinity at the poles and 0 at +Infinity', () => {
    expect(trigamma(0)).toBe(Number.POSITIVE_INFINITY);
    expect(trigamma(-1)).toBe(Number.POSITIVE_INFINITY);
    expect(trigamma(Number.POSITIVE_INFINITY)).toBe(0);
  });

  it('incomplete gamma follows scipy at x = 0, x = Infinity and a = 0', () => {
    expect(regularizedGammaP(3, 0)).toBe(0);
    expect(regularizedGammaQ(3, 0)).toBe(1);
    expect(regularizedGammaP(3, Number.POSITIVE_INFINITY)).toBe(1);
    expect(regularizedGammaQ(3, Number.POSITIVE_INFINITY)).toBe(0);
    expect(regularizedGammaP(0, 1)).toBe(1);
    expect(regularizedGammaQ(0, 1)).toBe(0);
    expect(regularizedGammaP(0, 0)).toBeNaN();
  });

  it('matches the closed forms Q(5, x) = e^{-x}·Σ_{k<5} x^k/k! and Q(½, x) = erfc(√x)', () => {
    for (const x of [0.01, 0.7, 3, 9.5, 40, 300]) {
      const poisson = Math.exp(-x) * (1 + x + (x * x) / 2 + (x * x * x) / 6 + (x * x * x * x) / 24);
      expect(close(regularizedGammaQ(5, x), poisson, 1e-13, 0)).toBe(true);
      expect(close(regularizedGammaQ(0.5, x), erfc(Math.sqrt(x)), 1e-13, 0)).toBe(true);
    }
  });

  it('P is increasing in x and P + Q = 1', () => {
    let previous = 0;
    for (let x = 0.25; x < 40; x += 0.25) {
      const p = regularizedGammaP(7.3, x);
      expect(p + regularizedGammaQ(7.3, x)).toBeCloseTo(1, 14);
      expect(p).toBeGreaterThan(previous);
      previous = p;
    }
  });

  it('regularizedBeta is 0 at x = 0, 1 at x = 1, and matches closed forms for small integer shapes', () => {
    expect(regularizedBeta(0, 2, 3)).toBe(0);
    expect(regularizedBeta(1, 2, 3)).toBe(1);
    for (const x of [1e-8, 0.1, 0.35, 0.6, 0.92, 0.999]) {
      expect(close(regularizedBeta(x, 3.5, 1), x ** 3.5, 1e-13, 0)).toBe(true);
      expect(close(regularizedBeta(x, 1, 40), -Math.expm1(40 * Math.log1p(-x)), 1e-13, 0)).toBe(true);
      expect(close(regularizedBeta(x, 2, 2), x * x * (3 - 2 * x), 1e-13, 0)).toBe(true);
    }
  });

  it('regularizedBetaPair returns the complement without cancellation: 1 − I_x(a, 1) = 1 − xᵃ', () => {
    // I_x(a, 1) = xᵃ exactly, so 1 − I_x(1e-5, 1) = −expm1(1e-5·ln x), about 2.3e-5 at x = 0.1.
    const exact = -Math.expm1(1e-5 * Math.log(0.1));
    expect(close(regularizedBetaPair(0.1, 0.9, 1e-5, 1, true), exact, 1e-13, 0)).toBe(true);
    expect(close(regularizedBeta(0.9, 1, 1e-5), exact, 1e-13, 0)).toBe(true);
    expect(regularizedBetaPair(0, 1, 2, 3, true)).toBe(1);
    expect(regularizedBetaPair(1, 0, 2, 3, true)).toBe(0);
  });

  it('erf and erfc saturate at the infinities and erfc underflows to 0 far out', () => {
    expect(erf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(erf(Number.NEGATIVE_INFINITY)).toBe(-1);
    expect(erfc(Number.NEGATIVE_INFINITY)).toBe(2);
    expect(erfc(30)).toBe(0);
    expect(Object.is(erf(-0), -0)).toBe(true);
  });
});

describe('special function argument checks', () => {
  it('rejects NaN with a message naming the argument', () => {
    expectInvalid(() => logGamma(Number.NaN), 'x must be a number, received NaN');
    expectInvalid(() => digamma(Number.NaN), 'x must be a number, received NaN');
    expectInvalid(() => trigamma(Number.NaN), 'x must be a number, received NaN');
    expectInvalid(() => erf(Number.NaN), 'x must be a number, received NaN');
    expectInvalid(() => erfc(Number.NaN), 'x must be a number, received NaN');
  });

  it('rejects bad shapes and limits of the incomplete gamma function', () => {
    expectInvalid(() => regularizedGammaP(-1, 2), 'a must be a finite number >= 0, received -1');
    expectInvalid(
      () => regularizedGammaQ(Number.POSITIVE_INFINITY, 2),
      'a must be a finite number >= 0, received Infinity',
    );
    expectInvalid(() => regularizedGammaP(2, -0.5), 'x must be a number >= 0, received -0.5');
    expectInvalid(() => regularizedGammaQ(2, Number.NaN), 'x must be a number >= 0, received NaN');
  });

  it('rejects bad arguments of the incomplete beta function', () => {
    expectInvalid(() => regularizedBeta(1.5, 2, 3), 'x must be a number in [0, 1], received 1.5');
    expectInvalid(() => regularizedBeta(Number.NaN, 2, 3), 'x must be a number in [0, 1], received NaN');
    expectInvalid(() => regularizedBeta(0.5, 0, 3), 'a must be a finite number > 0, received 0');
    expectInvalid(() => regularizedBeta(0.5, 2, -3), 'b must be a finite number > 0, received -3');
  });
});
