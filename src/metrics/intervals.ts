/**
 * Confidence intervals for a metric or any statistic of a sample: a seeded percentile bootstrap and the normal
 * (Wald) interval for a mean.
 *
 * @module
 */
import { z } from 'zod';
import { MlcycleError } from '../core/errors.js';
import { mean, quantileSorted, standardDeviation, toFiniteArray } from '../core/numeric.js';
import { parseOptions } from '../core/options.js';
import { Random } from '../core/random.js';
import { normalPpf } from '../stats/distributions.js';

/** Options of {@link bootstrapInterval}. */
export interface BootstrapIntervalOptions {
  /** The confidence level, strictly between 0 and 1. @defaultValue 0.95 */
  confidence?: number;
  /** How many bootstrap resamples to draw (at least 1). @defaultValue 10000 */
  resamples?: number;
  /** Seed of the {@link Random} stream that draws the resamples; the same seed gives the same interval. @defaultValue 0 */
  seed?: number;
  /**
   * The statistic to bootstrap. It receives a resample of the values as a `Float64Array` that is reused between
   * calls (copy it to keep it; it may be reordered in place) and returns a number. @defaultValue the mean
   */
  statistic?: (sample: Float64Array) => number;
  /** The interval method; only the percentile method is offered. @defaultValue 'percentile' */
  method?: 'percentile';
}

/** The result of {@link bootstrapInterval}. */
export interface BootstrapInterval {
  /** The statistic of the original values. */
  estimate: number;
  /** The (1 − confidence)/2 quantile of the bootstrap distribution. */
  lower: number;
  /** The (1 + confidence)/2 quantile of the bootstrap distribution. */
  upper: number;
  /** The confidence level used. */
  confidence: number;
  /** The interval method used (`'percentile'`). */
  method: string;
}

const statisticSchema = z.custom<(sample: Float64Array) => number>(
  (v) => typeof v === 'function',
  'expected a function (sample: Float64Array) => number',
);

const confidenceSchema = z.number().gt(0).lt(1).default(0.95);

const bootstrapOptionsSchema = z
  .strictObject({
    confidence: confidenceSchema,
    resamples: z.number().int().min(1).default(10_000),
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    statistic: statisticSchema.optional(),
    method: z.literal('percentile').default('percentile'),
  })
  .default({ confidence: 0.95, resamples: 10_000, seed: 0, method: 'percentile' });

const TWO_POW_32 = 4294967296;
const INVERSE_TWO_POW_32 = 1 / TWO_POW_32;

/**
 * Fills `sample` with values of `data` drawn uniformly with replacement. Indices come from Lemire's multiply-and-reject
 * method ("Fast random integer generation in an interval", 2019): one 32-bit draw per index, unbiased, and exact in
 * double arithmetic while n <= 2^21; longer samples fall back to `Random.int`.
 */
function resample(rng: Random, data: Float64Array, sample: Float64Array): void {
  const n = data.length;
  if (n > 2097152) {
    for (let i = 0; i < n; i++) sample[i] = data[rng.int(0, n - 1)] as number;
    return;
  }
  const threshold = (TWO_POW_32 - n) % n;
  for (let i = 0; i < n; i++) {
    // product = index · 2^32 + low; a low part under the threshold would bias the index, so draw again.
    let product = rng.uint32() * n;
    let index = Math.floor(product * INVERSE_TWO_POW_32);
    while (product - index * TWO_POW_32 < threshold) {
      product = rng.uint32() * n;
      index = Math.floor(product * INVERSE_TWO_POW_32);
    }
    sample[i] = data[index] as number;
  }
}

function evaluate(statistic: (sample: Float64Array) => number, sample: Float64Array): number {
  const value: unknown = statistic(sample);
  if (typeof value !== 'number') {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `bootstrapInterval statistic must return a number, but it returned ${typeof value}`,
    );
  }
  return value;
}

/**
 * A bootstrap confidence interval by the percentile method (Efron and Tibshirani 1993, ch. 13; scipy's
 * `scipy.stats.bootstrap(method='percentile')`): draw `resamples` samples of the values with replacement, apply
 * `statistic` to each, and take the (1 − confidence)/2 and (1 + confidence)/2 quantiles of the results with numpy's
 * linear interpolation. The resamples come from one {@link Random} stream seeded with `seed`, so a seed always gives
 * the same interval on every runtime (scipy's numbers differ because its generator differs).
 *
 * A single value gives a degenerate interval at that value. When the statistic returns `NaN` for any resample,
 * `lower` and `upper` are `NaN`.
 *
 * @param values - the sample (at least one finite value), e.g. per-period errors or returns.
 * @throws `INVALID_ARGUMENT` for non-finite values, bad options or a statistic that does not return a number;
 * `INSUFFICIENT_DATA` for an empty sample.
 * @example
 * ```ts
 * const errors = yTrue.map((y, i) => Math.abs(y - yPred[i]));
 * bootstrapInterval(errors, { confidence: 0.9, seed: 7 }); // { estimate: MAE, lower, upper, confidence: 0.9, method: 'percentile' }
 * bootstrapInterval(errors, { statistic: (s) => Math.max(...s) }); // the worst error
 * ```
 */
export function bootstrapInterval(
  values: ArrayLike<number>,
  options?: BootstrapIntervalOptions,
): BootstrapInterval {
  const parsed = parseOptions(bootstrapOptionsSchema, options, 'bootstrapInterval options');
  const data = toFiniteArray(values, 'values');
  const statistic = parsed.statistic ?? mean;
  const n = data.length;
  const estimate = evaluate(statistic, Float64Array.from(data));
  const rng = new Random(parsed.seed);
  const sample = new Float64Array(n);
  const replicates = new Float64Array(parsed.resamples);
  let undefinedReplicate = false;
  for (let b = 0; b < parsed.resamples; b++) {
    resample(rng, data, sample);
    const value = evaluate(statistic, sample);
    if (Number.isNaN(value)) undefinedReplicate = true;
    replicates[b] = value;
  }
  replicates.sort();
  const alpha = (1 - parsed.confidence) / 2;
  return {
    estimate,
    lower: undefinedReplicate ? Number.NaN : quantileSorted(replicates, alpha),
    upper: undefinedReplicate ? Number.NaN : quantileSorted(replicates, 1 - alpha),
    confidence: parsed.confidence,
    method: parsed.method,
  };
}

/** Options of {@link normalInterval}. */
export interface NormalIntervalOptions {
  /** The confidence level, strictly between 0 and 1. @defaultValue 0.95 */
  confidence?: number;
}

/** The result of {@link normalInterval}. */
export interface NormalInterval {
  /** The sample mean. */
  estimate: number;
  /** estimate − z·standardError. */
  lower: number;
  /** estimate + z·standardError. */
  upper: number;
  /** The standard error of the mean, s/√n with s the sample standard deviation (ddof = 1). */
  standardError: number;
  /** The confidence level used. */
  confidence: number;
}

const normalOptionsSchema = z.strictObject({ confidence: confidenceSchema }).default({ confidence: 0.95 });

/**
 * The normal (Wald) confidence interval for the mean: mean ± z·s/√n, with s the sample standard deviation
 * (ddof = 1, as `scipy.stats.sem`) and z the standard normal (1 + confidence)/2 quantile — the same numbers as
 * `scipy.stats.norm.interval(confidence, loc=mean, scale=sem)`. Suits large samples; for a few values prefer the
 * Student t interval or {@link bootstrapInterval}. Constant values give a zero-width interval at their mean.
 *
 * @throws `INVALID_ARGUMENT` for non-finite values or a bad confidence; `INSUFFICIENT_DATA` for fewer than two values.
 * @example
 * ```ts
 * normalInterval([1, 2, 3, 4]); // { estimate: 2.5, standardError: 0.6454972243679028, lower: 1.2348…, upper: 3.7651…, confidence: 0.95 }
 * ```
 */
export function normalInterval(values: ArrayLike<number>, options?: NormalIntervalOptions): NormalInterval {
  const { confidence } = parseOptions(normalOptionsSchema, options, 'normalInterval options');
  const data = toFiniteArray(values, 'values', 2);
  const estimate = mean(data);
  const standardError = standardDeviation(data, 1) / Math.sqrt(data.length);
  const half = normalPpf((1 + confidence) / 2) * standardError;
  return { estimate, lower: estimate - half, upper: estimate + half, standardError, confidence };
}
