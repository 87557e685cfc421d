import { describe, expect, it } from 'vitest';
import {
  alphaBeta,
  annualVolatility,
  cagr,
  calmarRatio,
  omegaRatio,
  profitFactor,
  sharpeRatio,
  sortinoRatio,
  stabilityOfTimeseries,
  totalReturn,
  winRate,
} from '../../src/metrics/returns.js';
import { conditionalValueAtRisk, tailRatio, valueAtRisk } from '../../src/metrics/tail-risk.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';

// The golden vector. Its expected values were worked out by hand from the formulas:
// mean 0.0024, sample std 0.0123396..., Sharpe 0.0024 / 0.0123396 · √252 = 3.08752;
// downside deviation √((0.02² + 0.01² + 0.005² + 0.003²) / 10) = 0.0073075, Sortino 0.0024 / 0.0073075 · √252 = 5.21364;
// sorted returns −0.02, −0.01, … → 5th percentile at position 0.45: −0.02 + 0.45 · 0.01 = −0.0155.
const GOLDEN = [0.01, -0.02, 0.015, 0.005, -0.01, 0.02, 0, -0.005, 0.012, -0.003];

type Scalar = (returns: number[], options: Record<string, unknown>) => number;

const scalarFunctions: Record<string, Scalar> = {
  totalReturn: (r) => totalReturn(r),
  cagr: (r, o) => cagr(r, o),
  annualVolatility: (r, o) => annualVolatility(r, o),
  sharpeRatio: (r, o) => sharpeRatio(r, o),
  sortinoRatio: (r, o) => sortinoRatio(r, o),
  calmarRatio: (r, o) => calmarRatio(r, o),
  omegaRatio: (r, o) => omegaRatio(r, o),
  valueAtRisk: (r, o) => valueAtRisk(r, o),
  conditionalValueAtRisk: (r, o) => conditionalValueAtRisk(r, o),
  profitFactor: (r) => profitFactor(r),
  winRate: (r) => winRate(r),
  tailRatio: (r) => tailRatio(r),
  stabilityOfTimeseries: (r) => stabilityOfTimeseries(r),
};

const cases = loadReferenceCases('returns');

describe('return metrics against the empyrical formulas in numpy (test/fixtures/fixture_returns.py)', () => {
  const scalarCases = cases.filter((c) => c.fn in scalarFunctions);

  it('has reference cases for every function', () => {
    expect(scalarCases.length).toBeGreaterThan(600);
    for (const fn of Object.keys(scalarFunctions)) expect(scalarCases.some((c) => c.fn === fn)).toBe(true);
  });

  it.each(scalarCases.map((c, i) => [i, c.fn, (c.args.returns as number[]).length, c] as const))(
    'case %i: %s on %i returns',
    (_i, fn, _n, c) => {
      const f = scalarFunctions[fn] as Scalar;
      const actual = f(c.args.returns as number[], c.args.options as Record<string, unknown>);
      const expected = c.expected as number;
      if (!close(actual, expected, 1e-9)) expect(actual).toBe(expected);
    },
  );

  it('agrees on alpha and beta', () => {
    const abCases = cases.filter((c) => c.fn === 'alphaBeta');
    expect(abCases.length).toBeGreaterThan(40);
    for (const c of abCases) {
      const actual = alphaBeta(
        c.args.returns as number[],
        c.args.benchmark as number[],
        c.args.options as Record<string, number>,
      );
      const expected = c.expected as { alpha: number; beta: number };
      if (!close(actual.beta, expected.beta, 1e-9)) expect(actual.beta).toBe(expected.beta);
      if (!close(actual.alpha, expected.alpha, 1e-9, 1e-15)) expect(actual.alpha).toBe(expected.alpha);
    }
  });
});

describe('the golden vector', () => {
  it('gives Sharpe 3.08752, Sortino 5.21364 and a 95% historical VaR of −0.0155', () => {
    expect(sharpeRatio(GOLDEN, { periodsPerYear: 252 })).toBeCloseTo(3.08752, 5);
    expect(sortinoRatio(GOLDEN, { periodsPerYear: 252 })).toBeCloseTo(5.21364, 5);
    expect(valueAtRisk(GOLDEN, { confidence: 0.95 })).toBeCloseTo(-0.0155, 15);
    expect(conditionalValueAtRisk(GOLDEN)).toBe(-0.02);
  });

  it('counts wins among the non-zero returns and sums gains over losses', () => {
    expect(winRate(GOLDEN)).toBe(5 / 9);
    expect(profitFactor(GOLDEN)).toBeCloseTo(0.062 / 0.038, 14);
    expect(omegaRatio(GOLDEN)).toBeCloseTo(0.062 / 0.038, 14);
  });
});

describe('conventions', () => {
  it('converts an annual risk-free rate to (1 + rf)^(1/ppy) − 1 per period', () => {
    const r = [0.01, 0.02, -0.005, 0.004];
    const rf = 1.05 ** (1 / 12) - 1;
    expect(sharpeRatio(r, { periodsPerYear: 12, riskFreeRate: 0.05 })).toBeCloseTo(
      sharpeRatio(
        r.map((x) => x - rf),
        { periodsPerYear: 12 },
      ),
      14,
    );
    // one period a year: the rate is taken as is
    expect(omegaRatio([0.1, 0.35], { periodsPerYear: 1, threshold: 0.2 })).toBeCloseTo(1.5, 14);
  });

  it('uses the per-period risk-free rate as Sortino minimum return unless requiredReturn is given', () => {
    const r = [0.01, -0.02, 0.03, 0.0, -0.01];
    const mar = 1.03 ** (1 / 252) - 1;
    expect(sortinoRatio(r, { riskFreeRate: 0.03 })).toBe(sortinoRatio(r, { requiredReturn: mar }));
  });

  it('measures Sortino downside over all periods, not over the losing ones', () => {
    // downside deviation √(0.02² / 4) = 0.01, mean 0.01 → ratio 1 per period
    expect(sortinoRatio([0.03, -0.02, 0.02, 0.01], { periodsPerYear: 1 })).toBeCloseTo(1, 15);
  });

  it('takes CAGR over n / periodsPerYear years', () => {
    expect(cagr([0.21], { periodsPerYear: 0.5 })).toBeCloseTo(0.1, 15);
    expect(cagr([0.1, 0.1], { periodsPerYear: 2 })).toBeCloseTo(0.21, 15);
    expect(cagr([0.5, -1, 0.3])).toBe(-1);
  });

  it('finds CVaR by threshold or by empyrical’s count when returns tie with the VaR', () => {
    const r = [-0.03, -0.01, -0.01, -0.01, 0.02, 0.04];
    // VaR(60%) is the 0.4 quantile: position 2 → −0.01; three returns tie with it
    expect(valueAtRisk(r, { confidence: 0.6 })).toBe(-0.01);
    expect(conditionalValueAtRisk(r, { confidence: 0.6 })).toBeCloseTo(-0.015, 15);
    // empyrical: ⌊5 · 0.4⌋ + 1 = 3 smallest
    expect(conditionalValueAtRisk(r, { confidence: 0.6, method: 'empyrical' })).toBeCloseTo(-0.05 / 3, 15);
  });

  it('gives stability 1 for a steady compounding and 0 when cumulative log returns do not move', () => {
    expect(stabilityOfTimeseries([0.01, 0.01, 0.01, 0.01, 0.01])).toBeCloseTo(1, 12);
    expect(stabilityOfTimeseries([0.05, 0, 0, 0])).toBe(0);
    expect(stabilityOfTimeseries([0, 0, 0])).toBe(0);
    expect(stabilityOfTimeseries([0.05])).toBeNaN();
  });

  it('computes beta as cov/var with ddof 0 and an alpha compounding the mean residual', () => {
    const bench = [0.01, -0.02, 0.03, 0.0];
    const r = bench.map((b) => 2 * b + 0.001);
    const { alpha, beta } = alphaBeta(r, bench, { periodsPerYear: 4 });
    expect(beta).toBeCloseTo(2, 12);
    expect(alpha).toBeCloseTo(1.001 ** 4 - 1, 12);
  });
});

describe('degenerate series', () => {
  it('gives ±Infinity or NaN ratios for zero volatility, as empyrical', () => {
    expect(sharpeRatio([0.1, 0.1, 0.1])).toBe(Number.POSITIVE_INFINITY);
    expect(sharpeRatio([-0.1, -0.1])).toBe(Number.NEGATIVE_INFINITY);
    expect(sharpeRatio([0, 0, 0])).toBeNaN();
    expect(annualVolatility([0.1, 0.1, 0.1])).toBe(0);
    expect(sortinoRatio([0.1, 0.2, 0.1])).toBe(Number.POSITIVE_INFINITY);
    expect(sortinoRatio([0, 0])).toBeNaN();
  });

  it('returns NaN for a single return where a standard deviation is needed', () => {
    expect(sharpeRatio([0.1])).toBeNaN();
    expect(sortinoRatio([0.1])).toBeNaN();
    expect(annualVolatility([0.1])).toBeNaN();
    expect(omegaRatio([0.1])).toBeNaN();
    expect(alphaBeta([0.1], [0.2])).toEqual({ alpha: Number.NaN, beta: Number.NaN });
  });

  it('handles series without losses or without gains', () => {
    expect(profitFactor([0.01, 0, 0.02])).toBe(Number.POSITIVE_INFINITY);
    expect(profitFactor([-0.01, 0, -0.02])).toBe(0);
    expect(profitFactor([0, 0])).toBeNaN();
    expect(winRate([0, 0])).toBeNaN();
    expect(winRate([-0.01, 0])).toBe(0);
    expect(omegaRatio([0.01, 0.02])).toBeNaN();
    expect(calmarRatio([0.01, 0.02])).toBeNaN();
    expect(tailRatio([0, 0, 0])).toBeNaN();
  });

  it('returns NaN alpha and beta against a constant benchmark', () => {
    expect(alphaBeta([0.01, 0.02, -0.01], [0.01, 0.01, 0.01])).toEqual({
      alpha: Number.NaN,
      beta: Number.NaN,
    });
  });

  it('stays finite on 20,000 tiny returns and on huge ones', () => {
    const tiny = Array.from({ length: 20_000 }, (_, i) => 1e-9 * Math.sin(i));
    expect(Number.isFinite(sharpeRatio(tiny))).toBe(true);
    // compounding 1 + 1e-9 twenty thousand times keeps about 1e-12 of absolute accuracy
    expect(totalReturn(tiny)).toBeCloseTo(
      tiny.reduce((a, b) => a + b, 0),
      11,
    );
    const huge = [50, -0.99, 100, -0.5];
    expect(totalReturn(huge)).toBeCloseTo(51 * 0.01 * 101 * 0.5 - 1, 10);
  });
});

describe('input validation', () => {
  it('rejects empty, non-finite and impossible returns', () => {
    expect(() => sharpeRatio([])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: returns needs at least 1 value, received 0]`,
    );
    expect(() => sortinoRatio([0.1, Number.NaN])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: returns must contain only finite numbers, but returns[1] is NaN]`,
    );
    expect(() => totalReturn([0.1, -1.5])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: returns must be at least -1 (a loss of 100%), but returns[1] is -1.5]`,
    );
    expect(() => stabilityOfTimeseries([0.1, -1])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: returns must be greater than -1 (log(1 + r) needs 1 + r > 0), but returns[1] is -1]`,
    );
    expect(() => alphaBeta([0.1, 0.2], [0.1])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: returns and benchmark must have the same length, but returns has 2 and benchmark has 1]`,
    );
    expect(() => alphaBeta([0.1], [Number.POSITIVE_INFINITY])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: benchmark must contain only finite numbers, but benchmark[0] is Infinity]`,
    );
  });

  it('rejects bad options with the option named', () => {
    expect(() => sharpeRatio([0.1, 0.2], { periodsPerYear: 0 })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid sharpeRatio options: periodsPerYear: Too small: expected number to be >0 (received 0)]`,
    );
    expect(() =>
      cagr([0.1], { periodsPerYear: Number.POSITIVE_INFINITY }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid cagr options: periodsPerYear: Invalid input: expected number, received Infinity (received Infinity)]`,
    );
    expect(() => annualVolatility([0.1, 0.2], { periodsPerYear: -1 })).toThrow(
      'Invalid annualVolatility options: periodsPerYear',
    );
    expect(() => omegaRatio([0.1, 0.2], { threshold: -1 })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid omegaRatio options: threshold: Too small: expected number to be >-1 (received -1)]`,
    );
    expect(() => alphaBeta([0.1, 0.2], [0.1, 0.3], { riskFreeRate: -2 })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid alphaBeta options: riskFreeRate: Too small: expected number to be >-1 (received -2)]`,
    );
    expect(() => valueAtRisk([0.1], { confidence: 1 })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid valueAtRisk options: confidence: Too big: expected number to be <1 (received 1)]`,
    );
    expect(() =>
      conditionalValueAtRisk([0.1], { method: 'mean' as 'empyrical' }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid conditionalValueAtRisk options: method: Invalid option: expected one of "threshold"|"empyrical" (received "mean")]`,
    );
    expect(() =>
      calmarRatio([0.1], { periodsPerYear: 252, rf: 0 } as never),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid calmarRatio options: Unrecognized key: "rf"]`,
    );
    expect(() =>
      sortinoRatio([0.1, 0.2], { requiredReturn: 0, riskFreeRate: 0.02 }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid sortinoRatio options: give requiredReturn (per period) or riskFreeRate (annual), not both]`,
    );
  });
});
