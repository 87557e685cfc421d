/**
 * How much a Sharpe ratio can be trusted: the probabilistic Sharpe ratio (Bailey & López de Prado 2012) corrects
 * for a short track record and non-normal returns; the deflated Sharpe ratio (Bailey & López de Prado 2014) also
 * for having picked the best of many trials.
 *
 * @module
 */
import { z } from 'zod';
import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { mean, toFiniteArray, variance } from '../core/numeric.js';
import { parseOptions } from '../core/options.js';
import { normalCdf, normalPpf } from '../stats/distributions.js';
import { perPeriodRate, type RiskFreeOptions, sampleStandardDeviation, subtractRate } from './returns.js';

/** The Euler–Mascheroni constant γ. */
const EULER_GAMMA = 0.5772156649015329;

/** Summary statistics of a return series, the inputs of {@link probabilisticSharpeRatioFromMoments}. */
export interface SharpeMoments {
  /** The observed Sharpe ratio per period (not annualised). */
  sharpe: number;
  /** Number of returns it was measured on. */
  observations: number;
  /** Skewness γ3 of the returns. @defaultValue 0 */
  skewness?: number;
  /** Kurtosis γ4 of the returns, not excess (3 for normal returns). @defaultValue 3 */
  kurtosis?: number;
}

/** Options for {@link probabilisticSharpeRatio}. */
export interface ProbabilisticSharpeOptions extends RiskFreeOptions {
  /** The per-period (not annualised) Sharpe ratio SR* to beat. @defaultValue 0 */
  benchmarkSharpe?: number;
}

const momentsSchema = z.strictObject({
  sharpe: z.number(),
  observations: z.number().int().min(2),
  skewness: z.number().default(0),
  kurtosis: z.number().min(1).default(3),
});

const benchmarkSchema = z.strictObject({ benchmarkSharpe: z.number().default(0) });

/**
 * The probabilistic Sharpe ratio from summary statistics (Bailey & López de Prado 2012, eq. 11; mlfinlab's
 * `probabilistic_sharpe_ratio`): Φ((SR − SR*)·√(n − 1) / √(1 − γ3·SR + (γ4 − 1)/4·SR²)), the probability that the
 * true per-period Sharpe ratio exceeds SR*. With γ3 = 0 and γ4 = 3 (the defaults) it is Lo's (2002) normal-returns
 * statistic. NaN when 1 − γ3·SR + (γ4 − 1)/4·SR² is negative (moments no sample can have), as scipy gives.
 *
 * @throws MlcycleError `INVALID_ARGUMENT` when a statistic is not finite, `observations` is not an integer ≥ 2 or
 * `kurtosis` is below 1.
 *
 * @example
 * ```ts
 * // Bailey & López de Prado (2014)'s example: annual SR 2.5 over 1250 days, γ3 = −3, γ4 = 10, best of 100 trials
 * probabilisticSharpeRatioFromMoments(
 *   { sharpe: 2.5 / Math.sqrt(250), observations: 1250, skewness: -3, kurtosis: 10 },
 *   { benchmarkSharpe: expectedMaxSharpe(100, 0.5 / 250) },
 * ); // 0.9003968344… (the paper's DSR ≈ 0.9004)
 * ```
 */
export function probabilisticSharpeRatioFromMoments(
  moments: SharpeMoments,
  options: { benchmarkSharpe?: number } = {},
): number {
  const { sharpe, observations, skewness, kurtosis } = parseOptions(
    momentsSchema,
    moments,
    'probabilisticSharpeRatioFromMoments moments',
  );
  const { benchmarkSharpe } = parseOptions(
    benchmarkSchema,
    options,
    'probabilisticSharpeRatioFromMoments options',
  );
  return psr(sharpe, benchmarkSharpe, observations, skewness, kurtosis);
}

function psr(sharpe: number, benchmark: number, n: number, skewness: number, kurtosis: number): number {
  const spread = 1 - skewness * sharpe + ((kurtosis - 1) / 4) * sharpe * sharpe;
  const statistic = ((sharpe - benchmark) * Math.sqrt(n - 1)) / Math.sqrt(spread);
  return Number.isNaN(statistic) ? Number.NaN : normalCdf(statistic);
}

/**
 * Skewness and (non-excess) kurtosis with scipy's biased estimators, `scipy.stats.skew(x)` and
 * `scipy.stats.kurtosis(x, fisher=False)`: m3 / m2^1.5 and m4 / m2² from central moments with divisor n. Both NaN
 * when m2 is at or below (1e-15 · mean)² (scipy's test for a numerically constant series).
 *
 * @internal
 */
export function sampleMoments(values: Float64Array): { skewness: number; kurtosis: number } {
  const n = values.length;
  const m = mean(values);
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - m;
    const d2 = d * d;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  const m2 = variance(values, 0);
  if (m2 <= (1e-15 * m) ** 2) return { skewness: Number.NaN, kurtosis: Number.NaN };
  return { skewness: m3 / n / m2 ** 1.5, kurtosis: m4 / n / (m2 * m2) };
}

const psrSchema = z.strictObject({
  periodsPerYear: z.number().positive().default(252),
  riskFreeRate: z.number().gt(-1).default(0),
  benchmarkSharpe: z.number().default(0),
});

function observedSharpe(
  returns: ArrayLike<number>,
  periodsPerYear: number,
  riskFreeRate: number,
): { sharpe: number; n: number; skewness: number; kurtosis: number } {
  const r = toFiniteArray(returns, 'returns', 2);
  const excess = subtractRate(r, perPeriodRate(riskFreeRate, periodsPerYear));
  const sharpe = mean(excess) / sampleStandardDeviation(excess);
  return { sharpe, n: r.length, ...sampleMoments(excess) };
}

/**
 * The probabilistic Sharpe ratio of a return series (Bailey & López de Prado 2012): the probability that its true
 * per-period Sharpe ratio exceeds `benchmarkSharpe`, Φ((SR − SR*)·√(n − 1) / √(1 − γ3·SR + (γ4 − 1)/4·SR²)).
 *
 * Conventions: SR = mean(excess) / std(excess, ddof = 1), per period (not annualised), with excess = r − the
 * per-period risk-free rate; γ3 and γ4 are the skewness and the non-excess kurtosis of the excess returns by scipy's
 * biased estimators (`skew(x)`, `kurtosis(x, fisher=False)`). `periodsPerYear` serves only to convert
 * `riskFreeRate`. NaN for a constant series (zero volatility leaves skewness and kurtosis undefined, as in scipy).
 *
 * @param returns - per-period simple returns, at least 2.
 * @throws MlcycleError `INSUFFICIENT_DATA` with fewer than 2 returns; `INVALID_ARGUMENT` for a bad value or option.
 * @example
 * ```ts
 * probabilisticSharpeRatio([0.01, -0.02, 0.015, 0.005, -0.01, 0.02, 0, -0.005, 0.012, -0.003]); // 0.7135535240...
 * ```
 */
export function probabilisticSharpeRatio(
  returns: ArrayLike<number>,
  options: ProbabilisticSharpeOptions = {},
): number {
  const { periodsPerYear, riskFreeRate, benchmarkSharpe } = parseOptions(
    psrSchema,
    options,
    'probabilisticSharpeRatio options',
  );
  const { sharpe, n, skewness, kurtosis } = observedSharpe(returns, periodsPerYear, riskFreeRate);
  return psr(sharpe, benchmarkSharpe, n, skewness, kurtosis);
}

/**
 * The expected maximum of N per-period Sharpe ratios whose true value is 0 and whose estimates vary with variance
 * V (Bailey & López de Prado 2014, the False Strategy theorem): SR0 = √V·((1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e))),
 * γ the Euler–Mascheroni constant. 0 when V is 0.
 *
 * @param trials - the number N of independent trials, an integer ≥ 2.
 * @param sharpeVariance - V, the variance of the trials' per-period Sharpe ratios, ≥ 0.
 * @throws MlcycleError `INVALID_ARGUMENT` when `trials` or `sharpeVariance` is out of range.
 * @example
 * ```ts
 * expectedMaxSharpe(100, 0.5 / 250); // 0.11317200186513...
 * ```
 */
export function expectedMaxSharpe(trials: number, sharpeVariance: number): number {
  if (!Number.isInteger(trials) || trials < 2) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `trials must be an integer >= 2, received ${formatNumber(trials)}`,
    );
  }
  if (!Number.isFinite(sharpeVariance) || sharpeVariance < 0) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `sharpeVariance must be a finite number >= 0, received ${formatNumber(sharpeVariance)}`,
    );
  }
  if (sharpeVariance === 0) return 0;
  return (
    Math.sqrt(sharpeVariance) *
    ((1 - EULER_GAMMA) * normalPpf(1 - 1 / trials) + EULER_GAMMA * normalPpf(1 - 1 / (trials * Math.E)))
  );
}

/** Options for {@link deflatedSharpeRatio}: either the number of trials and their variance, or the trials' ratios. */
export type DeflatedSharpeOptions = RiskFreeOptions &
  (
    | {
        /** Number of strategy variants tried, N ≥ 2. */
        trials: number;
        /** Variance of the trials' per-period Sharpe ratios, V ≥ 0. */
        sharpeVariance: number;
        /** Not with `trials`: give either the count and variance or the Sharpe ratios themselves. */
        trialSharpes?: never;
      }
    | {
        /** The per-period Sharpe ratios of every trial; N is their count and V their variance (ddof = 0). */
        trialSharpes: ArrayLike<number>;
        /** Not with `trialSharpes`. */
        trials?: never;
        /** Not with `trialSharpes`. */
        sharpeVariance?: never;
      }
  );

/** The deflated Sharpe ratio and the benchmark it deflates against; see {@link deflatedSharpeRatio}. */
export interface DeflatedSharpeResult {
  /** PSR against the expected maximum Sharpe ratio: the probability that the strategy's skill is real. */
  deflatedSharpe: number;
  /** SR0, the per-period Sharpe ratio the best of N skill-less trials would reach on average. */
  expectedMaxSharpe: number;
}

const dsrSchema = z.strictObject({
  periodsPerYear: z.number().positive().default(252),
  riskFreeRate: z.number().gt(-1).default(0),
  trials: z.number().int().min(2).optional(),
  sharpeVariance: z.number().min(0).optional(),
  trialSharpes: z.unknown().optional(),
});

/**
 * The deflated Sharpe ratio (Bailey & López de Prado 2014): the {@link probabilisticSharpeRatio} of `returns`
 * against SR0 = {@link expectedMaxSharpe}(N, V), the per-period Sharpe ratio that the best of N skill-less trials
 * would show. Give `trials` and `sharpeVariance`, or `trialSharpes` (then N is their count and V their variance
 * with ddof = 0, as mlfinlab's `deflated_sharpe_ratio`). Same conventions as the PSR: per-period Sharpe with
 * ddof = 1, scipy's biased skewness and non-excess kurtosis.
 *
 * @throws MlcycleError `INSUFFICIENT_DATA` with fewer than 2 returns or trial Sharpe ratios; `INVALID_ARGUMENT` for
 * a bad value or option, or unless exactly one of the two ways of describing the trials is given.
 * @example
 * ```ts
 * const daily = [0.01, -0.02, 0.015, 0.005, -0.01, 0.02, 0, -0.005, 0.012, -0.003];
 * deflatedSharpeRatio(daily, { trials: 10, sharpeVariance: 0.01 });
 * // { deflatedSharpe: 0.54274703501…, expectedMaxSharpe: 0.15745983013… }
 * ```
 */
export function deflatedSharpeRatio(
  returns: ArrayLike<number>,
  options: DeflatedSharpeOptions,
): DeflatedSharpeResult {
  const parsed = parseOptions(dsrSchema, options, 'deflatedSharpeRatio options');
  const byCount = parsed.trials !== undefined || parsed.sharpeVariance !== undefined;
  const byList = parsed.trialSharpes !== undefined;
  if (
    byCount === byList ||
    (byCount && (parsed.trials === undefined || parsed.sharpeVariance === undefined))
  ) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      'Invalid deflatedSharpeRatio options: give either trials and sharpeVariance, or trialSharpes',
    );
  }
  let trials: number;
  let sharpeVariance: number;
  if (byList) {
    const sharpes = toFiniteArray(parsed.trialSharpes as ArrayLike<number>, 'trialSharpes', 2);
    trials = sharpes.length;
    sharpeVariance = variance(sharpes, 0);
  } else {
    trials = parsed.trials as number;
    sharpeVariance = parsed.sharpeVariance as number;
  }
  const benchmark = expectedMaxSharpe(trials, sharpeVariance);
  const { sharpe, n, skewness, kurtosis } = observedSharpe(
    returns,
    parsed.periodsPerYear,
    parsed.riskFreeRate,
  );
  return { deflatedSharpe: psr(sharpe, benchmark, n, skewness, kurtosis), expectedMaxSharpe: benchmark };
}
