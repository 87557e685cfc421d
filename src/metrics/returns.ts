/**
 * Trading-return metrics on per-period simple returns, following empyrical's conventions (`empyrical/stats.py`):
 * ddof = 1 volatility annualised by √periodsPerYear, Sortino's downside deviation over every period, historical
 * VaR by numpy's linear percentile.
 *
 * @module
 */
import { z } from 'zod';
import { assertSameLength } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { mean, sum, toFiniteArray, variance } from '../core/numeric.js';
import { parseOptions } from '../core/options.js';
import { maxDrawdown, toCompoundableReturns } from './drawdown.js';

/** Annualisation options shared by the return metrics. */
export interface AnnualisationOptions {
  /** Return periods in a year: 252 trading days, 52 weeks, 12 months. @defaultValue 252 */
  periodsPerYear?: number;
}

/** Options of the metrics that measure returns in excess of a risk-free rate. */
export interface RiskFreeOptions extends AnnualisationOptions {
  /**
   * Annual risk-free rate, converted to a per-period rate as (1 + rf)^(1/periodsPerYear) − 1 (taken as is when
   * periodsPerYear is 1). Must be greater than −1. @defaultValue 0
   */
  riskFreeRate?: number;
}

const periodsPerYearSchema = z.number().positive().default(252);
const annualRateSchema = z.number().gt(-1).default(0);
const annualisationSchema = z.strictObject({ periodsPerYear: periodsPerYearSchema });
const riskFreeSchema = z.strictObject({
  periodsPerYear: periodsPerYearSchema,
  riskFreeRate: annualRateSchema,
});

/**
 * An annual rate as a per-period rate, (1 + rate)^(1/periodsPerYear) − 1 — empyrical's conversion of
 * `omega_ratio`'s `required_return`, which also takes the rate as is for one period a year.
 *
 * @internal shared by the metrics modules; not part of the public surface.
 */
export function perPeriodRate(annualRate: number, periodsPerYear: number): number {
  if (annualRate === 0) return 0;
  return periodsPerYear === 1 ? annualRate : (1 + annualRate) ** (1 / periodsPerYear) - 1;
}

/**
 * `values − shift` as a new array (the array itself when the shift is 0, as empyrical's `_adjust_returns`).
 *
 * @internal
 */
export function subtractRate(values: Float64Array, shift: number): Float64Array {
  if (shift === 0) return values;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = (values[i] as number) - shift;
  return out;
}

/**
 * Sample standard deviation (ddof = 1), exactly 0 for a constant series, so that a zero-volatility series yields
 * ±Infinity or NaN ratios rather than ones divided by rounding noise.
 *
 * @internal
 */
export function sampleStandardDeviation(values: Float64Array): number {
  const first = values[0] as number;
  let constant = true;
  for (let i = 1; i < values.length && constant; i++) constant = values[i] === first;
  return constant && values.length > 1 ? 0 : Math.sqrt(variance(values, 1));
}

/**
 * Total compounded return, ∏(1 + rᵢ) − 1, as empyrical's `cum_returns_final(returns, starting_value=0)`.
 *
 * @param returns - per-period simple returns, finite and each at least −1.
 * @throws MlcycleError `INSUFFICIENT_DATA` when `returns` is empty; `INVALID_ARGUMENT` when a value is not finite or
 * below −1.
 * @example
 * ```ts
 * totalReturn([0.1, -0.1]); // -0.01 (to rounding)
 * ```
 */
export function totalReturn(returns: ArrayLike<number>): number {
  const r = toCompoundableReturns(returns, 'returns');
  let growth = 1;
  for (let i = 0; i < r.length; i++) growth *= 1 + (r[i] as number);
  return growth - 1;
}

/**
 * Compound annual growth rate, (∏(1 + rᵢ))^(periodsPerYear / n) − 1, as empyrical's `annual_return`/`cagr`
 * (years = n / periodsPerYear). −1 after a total loss.
 *
 * @param returns - per-period simple returns, finite and each at least −1.
 * @throws MlcycleError `INSUFFICIENT_DATA` when `returns` is empty; `INVALID_ARGUMENT` for a bad value or option.
 * @example
 * ```ts
 * cagr([0.01, 0.01], { periodsPerYear: 2 }); // 0.0201 (two half-years of 1%)
 * ```
 */
export function cagr(returns: ArrayLike<number>, options: AnnualisationOptions = {}): number {
  const { periodsPerYear } = parseOptions(annualisationSchema, options, 'cagr options');
  const r = toCompoundableReturns(returns, 'returns');
  return annualGrowth(returnMoments(r, 0).growth, r.length, periodsPerYear);
}

/**
 * Growth ∏(1 + rᵢ) over `periods` periods as a compound annual rate, as empyrical's `annual_return`.
 *
 * @internal shared with the backtester; not part of the public surface.
 */
export function annualGrowth(growth: number, periods: number, periodsPerYear: number): number {
  return growth ** (1 / (periods / periodsPerYear)) - 1;
}

/** What one pass over a return series gives every ratio; see {@link ReturnAccumulator}. */
export interface ReturnMoments {
  /** ∏(1 + rᵢ). */
  growth: number;
  /** Mean return. */
  mean: number;
  /** Sample standard deviation (ddof = 1), exactly 0 for a constant series; NaN for one return. */
  std: number;
  /** Downside deviation below `mar`: √(mean over every period of min(r − mar, 0)²). */
  downside: number;
}

/**
 * The most returns summed against one shift before they are merged into the running moments.
 *
 * @internal shared with the backtester, whose blocks of bars are the accumulator's blocks.
 */
export const ACCUMULATOR_BLOCK = 256;

/**
 * Mean, sample standard deviation and downside deviation of returns fed in blocks: the one computation behind the
 * volatility, Sharpe and Sortino ratios and the backtester's statistics, which feeds it a block of bars at a time.
 * Deviations are summed against a shift — the running mean of the values before the block — in blocks that double
 * from one value up to 256, each merged with Chan, Golub & LeVeque's pairwise update (1979): one pass, as accurate
 * as two, without a division per value.
 * A constant series has deviations of exactly 0. Sharpe's excess over a constant rate has the same deviations.
 *
 * @internal shared with the backtester; not part of the public surface.
 */
export class ReturnAccumulator {
  readonly #mar: number;
  #growth = 1;
  /** Σ(2·min(r − mar, 0))² over the merged values. */
  #below = 0;
  /** Values merged, their mean and sum of squared deviations. */
  #merged = 0;
  #mean = 0;
  #m2 = 0;
  /** The block being summed: its values, its shift, the sums of their deviations from it, and their Σb². */
  #inBlock = 0;
  #shift = 0;
  #sum = 0;
  #squares = 0;
  #blockBelow = 0;

  /** @param mar - the minimum acceptable return of the downside deviation. */
  constructor(mar: number) {
    this.#mar = mar;
  }

  /** Adds `r[start..end)`; how the values are split into calls does not change the result. */
  add(r: ArrayLike<number>, start: number, end: number): void {
    for (let from = start; from < end; ) {
      const to = Math.min(end, from + this.room());
      this.#sumBlock(r, from, to);
      from = to;
    }
  }

  /**
   * The values the current block takes before it is merged. Blocks grow 1, 1, 2, 4, … up to 256, so each is summed
   * against the running mean of everything before it: a first value far from the rest (a spike, then flat
   * returns) then costs no precision.
   */
  room(): number {
    return Math.min(ACCUMULATOR_BLOCK, Math.max(1, this.#merged)) - this.#inBlock;
  }

  /** What the deviations of the current block's values are taken from: the running mean when the block began. */
  shift(): number {
    // The first block holds one value, whose mean and squared deviations come out exactly the same from any shift.
    return this.#inBlock === 0 ? this.#mean : this.#shift;
  }

  /**
   * Adds `count` values (at most {@link room}) summed by the caller, as `add` sums them: Σd and Σd² of their
   * deviations d = v − {@link shift}, and Σb² of b = v − mar − |v − mar|. Their growth is not tracked: the caller
   * passes it to {@link moments}.
   */
  addSums(count: number, sum: number, squares: number, below: number): void {
    this.#shift = this.shift();
    this.#sum += sum;
    this.#squares += squares;
    this.#blockBelow += below;
    this.#inBlock += count;
    if (this.room() === 0) this.#merge();
  }

  /** Adds values that all fall in the current block. */
  #sumBlock(r: ArrayLike<number>, start: number, end: number): void {
    this.#shift = this.shift();
    const mar = this.#mar;
    const shift = this.#shift;
    let growth = this.#growth;
    let sum = this.#sum;
    let squares = this.#squares;
    let below = this.#blockBelow;
    for (let i = start; i < end; i++) {
      const v = r[i] as number;
      growth *= 1 + v;
      const d = v - shift;
      sum += d;
      squares += d * d;
      // 2·min(v − mar, 0), without a branch.
      const b = v - mar - Math.abs(v - mar);
      below += b * b;
    }
    this.#growth = growth;
    this.#sum = sum;
    this.#squares = squares;
    this.#blockBelow = below;
    this.#inBlock += end - start;
    if (this.room() === 0) this.#merge();
  }

  #merge(): void {
    [this.#merged, this.#mean, this.#m2] = this.#merging();
    this.#below += this.#blockBelow;
    this.#inBlock = 0;
    this.#sum = 0;
    this.#squares = 0;
    this.#blockBelow = 0;
  }

  /** Count, mean and sum of squared deviations with the current block merged in. */
  #merging(): [number, number, number] {
    const count = this.#inBlock;
    if (count === 0) return [this.#merged, this.#mean, this.#m2];
    const sum = this.#sum;
    const blockMean = this.#shift + sum / count;
    const blockM2 = Math.max(this.#squares - (sum * sum) / count, 0);
    const total = this.#merged + count;
    const delta = blockMean - this.#mean;
    return [
      total,
      this.#mean + (delta * count) / total,
      this.#m2 + blockM2 + ((delta * delta * this.#merged) / total) * count,
    ];
  }

  /**
   * The moments of the returns added so far.
   *
   * @param growth - the growth to report instead of ∏(1 + rᵢ), when the caller knows it exactly (an equity ratio).
   */
  moments(growth = this.#growth): ReturnMoments {
    const [n, mean, m2] = this.#merging();
    return {
      growth,
      mean: n === 0 ? Number.NaN : mean,
      std: n > 1 ? Math.sqrt(m2 / (n - 1)) : Number.NaN,
      downside: Math.sqrt((this.#below + this.#blockBelow) / 4 / n),
    };
  }
}

/**
 * {@link ReturnAccumulator}'s moments of checked returns.
 *
 * @internal shared with the backtester; not part of the public surface.
 */
export function returnMoments(r: Float64Array, mar: number): ReturnMoments {
  const moments = new ReturnAccumulator(mar);
  moments.add(r, 0, r.length);
  return moments.moments();
}

/**
 * Annualised volatility: sample standard deviation (ddof = 1) × √periodsPerYear, as empyrical's
 * `annual_volatility`. NaN for a single return, as empyrical; 0 for a constant series.
 *
 * @throws MlcycleError `INSUFFICIENT_DATA` when `returns` is empty; `INVALID_ARGUMENT` for a bad value or option.
 * @example
 * ```ts
 * annualVolatility([0.01, -0.01, 0.02], { periodsPerYear: 252 }); // 0.24248711305964282
 * ```
 */
export function annualVolatility(returns: ArrayLike<number>, options: AnnualisationOptions = {}): number {
  const { periodsPerYear } = parseOptions(annualisationSchema, options, 'annualVolatility options');
  const r = toFiniteArray(returns, 'returns');
  if (r.length < 2) return Number.NaN;
  return returnMoments(r, 0).std * Math.sqrt(periodsPerYear);
}

/**
 * Annualised Sharpe ratio, mean(excess) / std(excess, ddof = 1) × √periodsPerYear with excess = r − the per-period
 * risk-free rate, as empyrical's `sharpe_ratio`.
 *
 * Degenerate cases, as empyrical: NaN for a single return; for a constant series (zero volatility) +Infinity when
 * the mean excess return is positive, −Infinity when negative, NaN when it is 0.
 *
 * @throws MlcycleError `INSUFFICIENT_DATA` when `returns` is empty; `INVALID_ARGUMENT` for a bad value or option.
 * @example
 * ```ts
 * sharpeRatio([0.01, -0.02, 0.015, 0.005, -0.01, 0.02, 0, -0.005, 0.012, -0.003]); // 3.087515111245876
 * ```
 */
export function sharpeRatio(returns: ArrayLike<number>, options: RiskFreeOptions = {}): number {
  const { periodsPerYear, riskFreeRate } = parseOptions(riskFreeSchema, options, 'sharpeRatio options');
  return sharpeOf(toFiniteArray(returns, 'returns'), periodsPerYear, riskFreeRate);
}

/**
 * {@link sharpeRatio} of returns already checked.
 *
 * @internal shared with the backtester; not part of the public surface.
 */
export function sharpeOf(r: Float64Array, periodsPerYear: number, riskFreeRate: number): number {
  if (r.length < 2) return Number.NaN;
  const { mean, std } = returnMoments(r, 0);
  return ((mean - perPeriodRate(riskFreeRate, periodsPerYear)) / std) * Math.sqrt(periodsPerYear);
}

/** Options for {@link sortinoRatio}. */
export interface SortinoOptions extends RiskFreeOptions {
  /**
   * Minimum acceptable return per period (empyrical's `required_return`). When omitted, the per-period
   * `riskFreeRate` is used (0 by default); give one or the other, not both.
   */
  requiredReturn?: number;
}

const sortinoSchema = riskFreeSchema.extend({
  riskFreeRate: z.number().gt(-1).optional(),
  requiredReturn: z.number().optional(),
});

/**
 * Annualised Sortino ratio as empyrical's `sortino_ratio`: mean(r − mar) / downside deviation × √periodsPerYear,
 * where the downside deviation is √(mean over ALL periods of min(r − mar, 0)²) — not the standard deviation of
 * the losing periods.
 *
 * Degenerate cases, as empyrical: NaN for a single return; with no period below the minimum acceptable return,
 * +Infinity when the mean excess is positive and NaN when it is 0.
 *
 * @throws MlcycleError `INSUFFICIENT_DATA` when `returns` is empty; `INVALID_ARGUMENT` for a bad value or option,
 * or when both `requiredReturn` and `riskFreeRate` are given.
 * @example
 * ```ts
 * sortinoRatio([0.01, -0.02, 0.015, 0.005, -0.01, 0.02, 0, -0.005, 0.012, -0.003]); // 5.213638122454426
 * ```
 */
export function sortinoRatio(returns: ArrayLike<number>, options: SortinoOptions = {}): number {
  const parsed = parseOptions(sortinoSchema, options, 'sortinoRatio options');
  if (parsed.requiredReturn !== undefined && parsed.riskFreeRate !== undefined) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      'Invalid sortinoRatio options: give requiredReturn (per period) or riskFreeRate (annual), not both',
    );
  }
  const mar = parsed.requiredReturn ?? perPeriodRate(parsed.riskFreeRate ?? 0, parsed.periodsPerYear);
  return sortinoOf(toFiniteArray(returns, 'returns'), parsed.periodsPerYear, mar);
}

/**
 * {@link sortinoRatio} of returns already checked, against a per-period minimum acceptable return `mar`.
 *
 * @internal shared with the backtester; not part of the public surface.
 */
export function sortinoOf(r: Float64Array, periodsPerYear: number, mar: number): number {
  if (r.length < 2) return Number.NaN;
  const { mean, downside } = returnMoments(r, mar);
  return ((mean - mar) / downside) * Math.sqrt(periodsPerYear);
}

/**
 * Calmar ratio, CAGR / |max drawdown|, as empyrical's `calmar_ratio`: NaN when there is no drawdown (and when the
 * ratio would be infinite).
 *
 * @param returns - per-period simple returns, finite and each at least −1.
 * @throws MlcycleError `INSUFFICIENT_DATA` when `returns` is empty; `INVALID_ARGUMENT` for a bad value or option.
 * @example
 * ```ts
 * calmarRatio([0.01, -0.02, 0.015, 0.005, -0.01, 0.02, 0, -0.005, 0.012, -0.003]); // 39.9154917218...
 * ```
 */
export function calmarRatio(returns: ArrayLike<number>, options: AnnualisationOptions = {}): number {
  const parsed = parseOptions(annualisationSchema, options, 'calmarRatio options');
  const drawdown = maxDrawdown(returns).maxDrawdown;
  if (!(drawdown < 0)) return Number.NaN;
  const ratio = cagr(returns, parsed) / Math.abs(drawdown);
  return Number.isFinite(ratio) ? ratio : Number.NaN;
}

/** Options for {@link omegaRatio}. */
export interface OmegaOptions extends RiskFreeOptions {
  /**
   * Annual minimum acceptable return, converted per period like `riskFreeRate` (empyrical's `required_return`).
   * Must be greater than −1. @defaultValue 0
   */
  threshold?: number;
}

const omegaSchema = riskFreeSchema.extend({ threshold: annualRateSchema });

/**
 * Omega ratio as empyrical's `omega_ratio`: with d = r − rf − threshold (both per period), Σ max(d, 0) / Σ max(−d, 0).
 * NaN for a single return and when no period falls below the threshold, as empyrical.
 *
 * @throws MlcycleError `INSUFFICIENT_DATA` when `returns` is empty; `INVALID_ARGUMENT` for a bad value or option.
 * @example
 * ```ts
 * omegaRatio([0.02, -0.01, 0.01]); // 3
 * ```
 */
export function omegaRatio(returns: ArrayLike<number>, options: OmegaOptions = {}): number {
  const { periodsPerYear, riskFreeRate, threshold } = parseOptions(
    omegaSchema,
    options,
    'omegaRatio options',
  );
  const r = toFiniteArray(returns, 'returns');
  if (r.length < 2) return Number.NaN;
  const rf = perPeriodRate(riskFreeRate, periodsPerYear);
  const minimum = perPeriodRate(threshold, periodsPerYear);
  let gains = 0;
  let losses = 0;
  for (let i = 0; i < r.length; i++) {
    const d = (r[i] as number) - rf - minimum;
    if (d > 0) gains += d;
    else if (d < 0) losses -= d;
  }
  return losses > 0 ? gains / losses : Number.NaN;
}

/**
 * Profit factor: the sum of the gains over the magnitude of the sum of the losses, as quantstats'
 * `profit_factor`. +Infinity when there are gains and no losses, 0 with losses and no gains, NaN when every
 * return is 0.
 *
 * @throws MlcycleError `INSUFFICIENT_DATA` when `returns` is empty; `INVALID_ARGUMENT` when a value is not finite.
 * @example
 * ```ts
 * profitFactor([0.02, -0.01, 0.01]); // 3
 * ```
 */
export function profitFactor(returns: ArrayLike<number>): number {
  return tally(returns).profitFactor();
}

/**
 * Win rate: the share of winning periods (r > 0) among the periods with a non-zero return, quantstats'
 * `win_rate` convention (flat periods count neither way). NaN when every return is 0 (quantstats returns 0 there).
 *
 * @throws MlcycleError `INSUFFICIENT_DATA` when `returns` is empty; `INVALID_ARGUMENT` when a value is not finite.
 * @example
 * ```ts
 * winRate([0.02, -0.01, 0, 0.01]); // 0.6666666666666666
 * ```
 */
export function winRate(returns: ArrayLike<number>): number {
  return tally(returns).winRate();
}

/**
 * Wins and losses of returns added one at a time, with the conventions of {@link winRate} and
 * {@link profitFactor}: for returns that are not in an array of their own (a backtest's trades).
 *
 * @internal shared with the backtester; not part of the public surface.
 */
export class OutcomeTally {
  #wins = 0;
  /** Returns other than 0. */
  #decided = 0;
  #gains = 0;
  #losses = 0;

  add(r: number): void {
    if (r > 0) {
      this.#wins++;
      this.#gains += r;
    } else {
      this.#losses -= r;
    }
    if (r !== 0) this.#decided++;
  }

  /** Wins among the returns other than 0; NaN when every return is 0. */
  winRate(): number {
    return this.#decided === 0 ? Number.NaN : this.#wins / this.#decided;
  }

  /** Gains over the magnitude of the losses. */
  profitFactor(): number {
    return this.#gains / this.#losses;
  }
}

/** The checked returns, tallied. */
function tally(returns: ArrayLike<number>): OutcomeTally {
  const r = toFiniteArray(returns, 'returns');
  const outcomes = new OutcomeTally();
  for (let i = 0; i < r.length; i++) outcomes.add(r[i] as number);
  return outcomes;
}

/**
 * Stability of a return series: R² of the least-squares line through the cumulative log returns, Σ log(1 + rᵢ),
 * against time, as empyrical's `stability_of_timeseries` (via `scipy.stats.linregress`). NaN for a single return;
 * 0 when the cumulative log return is constant (linregress sets r = 0 when a variance is zero).
 *
 * @param returns - per-period simple returns, finite and each greater than −1.
 * @throws MlcycleError `INSUFFICIENT_DATA` when `returns` is empty; `INVALID_ARGUMENT` when a value is not finite or
 * at most −1.
 * @example
 * ```ts
 * stabilityOfTimeseries([0.01, 0.01, 0.01, 0.01]); // 1
 * ```
 */
export function stabilityOfTimeseries(returns: ArrayLike<number>): number {
  const r = toCompoundableReturns(returns, 'returns', true);
  const n = r.length;
  if (n < 2) return Number.NaN;
  const cumulative = new Float64Array(n);
  let running = 0;
  for (let i = 0; i < n; i++) {
    running += Math.log1p(r[i] as number);
    cumulative[i] = running;
  }
  const yMean = mean(cumulative);
  const xMean = (n - 1) / 2;
  let sxy = 0;
  let syy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    const dx = i - xMean;
    const dy = (cumulative[i] as number) - yMean;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  let constant = true;
  for (let i = 1; i < n && constant; i++) constant = cumulative[i] === cumulative[0];
  if (constant || syy === 0) return 0;
  const rValue = Math.min(1, Math.max(-1, sxy / Math.sqrt(sxx * syy)));
  return rValue * rValue;
}

/** Annualised alpha and beta of a strategy against a benchmark; see {@link alphaBeta}. */
export interface AlphaBetaResult {
  /** Annualised alpha, (1 + mean per-period alpha)^periodsPerYear − 1. */
  alpha: number;
  /** Beta, cov(returns, benchmark) / var(benchmark), both with ddof = 0. */
  beta: number;
}

/**
 * Alpha and beta against a benchmark, as empyrical's `alpha_beta`: beta = mean((b − mean b)·r) / mean((b − mean b)²);
 * the per-period alpha series is (r − rf) − beta·(b − rf), and alpha = (1 + its mean)^periodsPerYear − 1.
 *
 * Degenerate cases, as empyrical: both NaN for a single pair, and when the benchmark's variance is below 1e-30
 * (a constant benchmark).
 *
 * @param returns - the strategy's per-period simple returns.
 * @param benchmark - the benchmark's returns over the same periods.
 * @throws MlcycleError `INSUFFICIENT_DATA` when `returns` is empty; `INVALID_ARGUMENT` when a value is not finite,
 * the lengths differ or an option is bad.
 * @example
 * ```ts
 * alphaBeta([0.02, -0.01, 0.03], [0.01, -0.005, 0.015]); // { alpha: 0, beta: 2 }
 * ```
 */
export function alphaBeta(
  returns: ArrayLike<number>,
  benchmark: ArrayLike<number>,
  options: RiskFreeOptions = {},
): AlphaBetaResult {
  const { periodsPerYear, riskFreeRate } = parseOptions(riskFreeSchema, options, 'alphaBeta options');
  const r = toFiniteArray(returns, 'returns');
  const b = toFiniteArray(benchmark, 'benchmark');
  assertSameLength(r, b, 'returns', 'benchmark');
  const n = r.length;
  if (n < 2) return { alpha: Number.NaN, beta: Number.NaN };
  const benchmarkMean = mean(b);
  const products = new Float64Array(n);
  const squares = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const residual = (b[i] as number) - benchmarkMean;
    products[i] = residual * (r[i] as number);
    squares[i] = residual * residual;
  }
  const benchmarkVariance = sum(squares) / n;
  const beta = benchmarkVariance < 1e-30 ? Number.NaN : sum(products) / n / benchmarkVariance;
  const rf = perPeriodRate(riskFreeRate, periodsPerYear);
  for (let i = 0; i < n; i++) products[i] = (r[i] as number) - rf - beta * ((b[i] as number) - rf);
  const alpha = (mean(products) + 1) ** periodsPerYear - 1;
  return { alpha, beta };
}
