import { describe, expect, it } from 'vitest';
import {
  type DeflatedSharpeOptions,
  type DeflatedSharpeResult,
  deflatedSharpeRatio,
  expectedMaxSharpe,
  probabilisticSharpeRatio,
  probabilisticSharpeRatioFromMoments,
  type SharpeMoments,
  sampleMoments,
} from '../../src/metrics/sharpe-inference.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';

const cases = loadReferenceCases('returns');
const GOLDEN = [0.01, -0.02, 0.015, 0.005, -0.01, 0.02, 0, -0.005, 0.012, -0.003];

function expectClose(actual: number, expected: number, rtol = 1e-9): void {
  if (!close(actual, expected, rtol)) expect(actual).toBe(expected);
}

describe('against scipy-based implementations (test/fixtures/fixture_returns.py)', () => {
  it('agrees on the probabilistic Sharpe ratio of return series', () => {
    const psrCases = cases.filter((c) => c.fn === 'probabilisticSharpeRatio');
    expect(psrCases.length).toBeGreaterThan(90);
    for (const c of psrCases) {
      expectClose(
        probabilisticSharpeRatio(c.args.returns as number[], c.args.options as Record<string, number>),
        c.expected as number,
      );
    }
  });

  it('agrees on the probabilistic Sharpe ratio from moments', () => {
    const momentCases = cases.filter((c) => c.fn === 'probabilisticSharpeRatioFromMoments');
    expect(momentCases.length).toBeGreaterThan(30);
    for (const c of momentCases) {
      expectClose(
        probabilisticSharpeRatioFromMoments(
          c.args.moments as SharpeMoments,
          c.args.options as { benchmarkSharpe: number },
        ),
        c.expected as number,
      );
    }
  });

  it('agrees on the expected maximum Sharpe ratio', () => {
    const sr0Cases = cases.filter((c) => c.fn === 'expectedMaxSharpe');
    expect(sr0Cases.length).toBeGreaterThan(15);
    for (const c of sr0Cases) {
      expectClose(
        expectedMaxSharpe(c.args.trials as number, c.args.sharpeVariance as number),
        c.expected as number,
      );
    }
  });

  it('agrees on the deflated Sharpe ratio, by trial count and by trial list', () => {
    const dsrCases = cases.filter((c) => c.fn === 'deflatedSharpeRatio');
    expect(dsrCases.length).toBeGreaterThan(60);
    expect(dsrCases.some((c) => 'trialSharpes' in (c.args.options as object))).toBe(true);
    for (const c of dsrCases) {
      const actual = deflatedSharpeRatio(c.args.returns as number[], c.args.options as DeflatedSharpeOptions);
      const expected = c.expected as DeflatedSharpeResult;
      expectClose(actual.expectedMaxSharpe, expected.expectedMaxSharpe);
      expectClose(actual.deflatedSharpe, expected.deflatedSharpe);
    }
  });
});

describe('Bailey & López de Prado (2014) numerical example', () => {
  // Annualised SR 2.5 over T = 1250 daily returns (250 a year), γ3 = −3, γ4 = 10; N = 100 trials whose annualised
  // Sharpe ratios have variance 1/2. The paper finds E[max SR] ≈ 0.1132 per day and DSR ≈ 0.9004.
  it('finds SR0 = 0.1132 and DSR = 0.9004', () => {
    const sr0 = expectedMaxSharpe(100, 0.5 / 250);
    expect(sr0).toBeCloseTo(0.1132, 4);
    const dsr = probabilisticSharpeRatioFromMoments(
      { sharpe: 2.5 / Math.sqrt(250), observations: 1250, skewness: -3, kurtosis: 10 },
      { benchmarkSharpe: sr0 },
    );
    expect(dsr).toBeCloseTo(0.9004, 4);
  });
});

describe('probabilisticSharpeRatio', () => {
  it('is 0.5 when the benchmark equals the observed Sharpe ratio', () => {
    const mean = GOLDEN.reduce((a, b) => a + b, 0) / GOLDEN.length;
    const sd = Math.sqrt(GOLDEN.reduce((a, b) => a + (b - mean) ** 2, 0) / (GOLDEN.length - 1));
    expect(probabilisticSharpeRatio(GOLDEN, { benchmarkSharpe: mean / sd })).toBeCloseTo(0.5, 12);
  });

  it('reduces to Lo’s normal-returns statistic Φ(SR·√(n − 1) / √(1 + SR²/2)) for γ3 = 0, γ4 = 3', () => {
    // scipy: norm.cdf(0.2 * sqrt(99) / sqrt(1.02)) = 0.9756019368039752
    expect(probabilisticSharpeRatioFromMoments({ sharpe: 0.2, observations: 100 })).toBeCloseTo(
      0.9756019368039752,
      12,
    );
  });

  it('grows with the length of the track record', () => {
    const short = probabilisticSharpeRatioFromMoments({ sharpe: 0.1, observations: 50 });
    const long = probabilisticSharpeRatioFromMoments({ sharpe: 0.1, observations: 500 });
    expect(long).toBeGreaterThan(short);
  });

  it('uses scipy’s biased skewness and non-excess kurtosis', () => {
    // x = [0, 0, 0, 1]: mean 1/4, m2 = 3/16, m3 = 3/32, m4 = 21/256 → skew 2/√3, kurtosis 7/3
    const { skewness, kurtosis } = sampleMoments(new Float64Array([0, 0, 0, 1]));
    expect(skewness).toBeCloseTo(2 / Math.sqrt(3), 14);
    expect(kurtosis).toBeCloseTo(7 / 3, 14);
  });

  it('is NaN for a constant series and for a negative variance term', () => {
    expect(probabilisticSharpeRatio([0.01, 0.01, 0.01])).toBeNaN();
    expect(probabilisticSharpeRatio([0, 0])).toBeNaN();
    expect(
      probabilisticSharpeRatioFromMoments({ sharpe: 1, observations: 10, skewness: 3, kurtosis: 1 }),
    ).toBeNaN();
  });

  it('handles 20,000 returns', () => {
    const r = Array.from({ length: 20_000 }, (_, i) => 0.0005 + 0.01 * Math.sin(i * 1.3));
    expect(probabilisticSharpeRatio(r)).toBeGreaterThan(0.99);
  });

  it('rejects short series and bad options', () => {
    expect(() => probabilisticSharpeRatio([0.1])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: returns needs at least 2 values, received 1]`,
    );
    expect(() =>
      probabilisticSharpeRatio([0.1, 0.2], { benchmarkSharpe: Number.NaN }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid probabilisticSharpeRatio options: benchmarkSharpe: Invalid input: expected number, received NaN (received NaN)]`,
    );
    expect(() =>
      probabilisticSharpeRatioFromMoments({ sharpe: 0.1, observations: 1 }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid probabilisticSharpeRatioFromMoments moments: observations: Too small: expected number to be >=2 (received 1)]`,
    );
    expect(() =>
      probabilisticSharpeRatioFromMoments({ sharpe: 0.1, observations: 10, kurtosis: 0.5 }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid probabilisticSharpeRatioFromMoments moments: kurtosis: Too small: expected number to be >=1 (received 0.5)]`,
    );
  });
});

describe('deflatedSharpeRatio', () => {
  it('equals the PSR against the expected maximum Sharpe ratio', () => {
    const { deflatedSharpe, expectedMaxSharpe: sr0 } = deflatedSharpeRatio(GOLDEN, {
      trials: 20,
      sharpeVariance: 0.01,
    });
    expect(sr0).toBe(expectedMaxSharpe(20, 0.01));
    expect(deflatedSharpe).toBe(probabilisticSharpeRatio(GOLDEN, { benchmarkSharpe: sr0 }));
  });

  it('does not deflate when the trials do not vary', () => {
    expect(deflatedSharpeRatio(GOLDEN, { trialSharpes: [0.1, 0.1, 0.1] })).toEqual({
      deflatedSharpe: probabilisticSharpeRatio(GOLDEN),
      expectedMaxSharpe: 0,
    });
  });

  it('deflates more the more trials were run', () => {
    const few = deflatedSharpeRatio(GOLDEN, { trials: 5, sharpeVariance: 0.01 });
    const many = deflatedSharpeRatio(GOLDEN, { trials: 5000, sharpeVariance: 0.01 });
    expect(many.expectedMaxSharpe).toBeGreaterThan(few.expectedMaxSharpe);
    expect(many.deflatedSharpe).toBeLessThan(few.deflatedSharpe);
  });

  it('rejects trials described twice, not at all, or out of range', () => {
    expect(() =>
      deflatedSharpeRatio(GOLDEN, { trials: 5, sharpeVariance: 0.1, trialSharpes: [0.1, 0.2] } as never),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid deflatedSharpeRatio options: give either trials and sharpeVariance, or trialSharpes]`,
    );
    expect(() => deflatedSharpeRatio(GOLDEN, { trials: 5 } as never)).toThrow(
      'give either trials and sharpeVariance, or trialSharpes',
    );
    expect(() => deflatedSharpeRatio(GOLDEN, {} as never)).toThrow(
      'give either trials and sharpeVariance, or trialSharpes',
    );
    expect(() =>
      deflatedSharpeRatio(GOLDEN, { trials: 1, sharpeVariance: 0.1 }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid deflatedSharpeRatio options: trials: Too small: expected number to be >=2 (received 1)]`,
    );
    expect(() =>
      deflatedSharpeRatio(GOLDEN, { trials: 3, sharpeVariance: -0.1 }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid deflatedSharpeRatio options: sharpeVariance: Too small: expected number to be >=0 (received -0.1)]`,
    );
    expect(() => deflatedSharpeRatio(GOLDEN, { trialSharpes: [0.1] })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: trialSharpes needs at least 2 values, received 1]`,
    );
    expect(() =>
      deflatedSharpeRatio(GOLDEN, { trialSharpes: [0.1, Number.NaN] }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: trialSharpes must contain only finite numbers, but trialSharpes[1] is NaN]`,
    );
    expect(() => expectedMaxSharpe(2.5, 0.1)).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: trials must be an integer >= 2, received 2.5]`,
    );
    expect(() => expectedMaxSharpe(10, Number.POSITIVE_INFINITY)).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: sharpeVariance must be a finite number >= 0, received Infinity]`,
    );
  });
});
