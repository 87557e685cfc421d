/**
 * The Parzen estimators of the Tree-structured Parzen Estimator (Bergstra et al., "Algorithms for Hyper-Parameter
 * Optimization", NeurIPS 2011) as Optuna 3.1.0 builds them (`optuna/samplers/_tpe/parzen_estimator.py`,
 * `_truncnorm.py` and `sampler.py`; univariate, Optuna's default parameters): a mixture of truncated normals for a
 * numeric parameter, Optuna's kernel for a categorical one, the split of the trials into the good ("below") and the
 * rest ("above"), and the choice of the candidate that maximises l(x)/g(x).
 *
 * @module
 */
import { z } from 'zod';
import { assertFiniteArray, formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { roundHalfEven } from '../core/numeric.js';
import { parseOptions } from '../core/options.js';
import type { Random } from '../core/random.js';
import { argsortLikeNumpy } from './numpy-argsort.js';
import { LOG_SQRT_2PI, logGaussMass, logSumExp, truncatedNormalQuantile } from './truncnorm.js';

/** Optuna's smallest bandwidth when the magic clip is off. */
const EPS = 1e-12;

/**
 * The smallest bandwidth of a mixture of `size` kernels (its prior among them, if any) over a range of width `range`:
 * Optuna's magic clip, range / min(100, 1 + size), or 1e-12 without it.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function minBandwidth(range: number, size: number, magicClip: boolean): number {
  return magicClip ? range / Math.min(100, 1 + size) : EPS;
}

function invalid(message: string): MlcycleError {
  return new MlcycleError('INVALID_ARGUMENT', message);
}

/**
 * Optuna 3.1's `default_gamma`: how many of `n` finished trials form the good group, `min(ceil(0.1·n), 25)`.
 * (0.1·n is rounded in binary as Optuna's is, so defaultGamma(30) is 4.)
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function defaultGamma(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0)
    throw invalid(`n must be an integer >= 0, received ${formatNumber(n)}`);
  return Math.min(Math.ceil(0.1 * n), 25);
}

/**
 * Optuna 3.1's `default_weights`: the weights of `n` observations in trial order, all 1 below 25, otherwise a ramp
 * `linspace(1/n, 1, n − 25)` for the oldest followed by 25 ones for the newest.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function defaultWeights(n: number): number[] {
  if (!Number.isSafeInteger(n) || n < 0)
    throw invalid(`n must be an integer >= 0, received ${formatNumber(n)}`);
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = n - 25;
  const start = 1 / n;
  // numpy.linspace: start + i·step, with the last point set to the end exactly (a single point is the start).
  const step = ramp > 1 ? (1 - start) / (ramp - 1) : 0;
  const out = Array.from({ length: ramp }, (_, i) => i * step + start);
  if (ramp > 1) out[ramp - 1] = 1;
  return out.concat(new Array<number>(25).fill(1));
}

/** The range of a numeric parameter, as Optuna's `FloatDistribution` and `IntDistribution`. */
export interface ParzenDomain {
  /** `'float'` or `'int'`. */
  type: 'float' | 'int';
  /** The smallest value, > 0 when `log`. */
  low: number;
  /** The largest value; for a stepped domain it should lie on the grid `low + k·step`, as Optuna adjusts it. */
  high: number;
  /** Whether the parameter is searched on a log scale (no `step` then, as in Optuna). @defaultValue false */
  log?: boolean;
  /** The grid spacing; integers default to 1, floats to none (continuous). */
  step?: number;
}

/** Options of the Parzen estimators: Optuna 3.1's `_ParzenEstimatorParameters`, with its defaults. */
export interface ParzenOptions {
  /** Whether to add the prior component (a wide kernel over the whole range). @defaultValue true */
  considerPrior?: boolean;
  /** The prior component's weight before normalisation, > 0. @defaultValue 1 */
  priorWeight?: number;
  /** Whether to floor the bandwidths at (high − low)/min(100, 1 + components). @defaultValue true */
  considerMagicClip?: boolean;
  /** Whether the outermost kernels may take their distance to the range's ends as bandwidth. @defaultValue false */
  considerEndpoints?: boolean;
  /** One non-negative weight per observation, in trial order. @defaultValue {@link defaultWeights}(n) */
  weights?: number[];
}

const optionsSchema = z
  .strictObject({
    considerPrior: z.boolean().default(true),
    priorWeight: z.number().positive().finite().default(1),
    considerMagicClip: z.boolean().default(true),
    considerEndpoints: z.boolean().default(false),
    weights: z.array(z.number().nonnegative().finite()).optional(),
  })
  .default({ considerPrior: true, priorWeight: 1, considerMagicClip: true, considerEndpoints: false });

const domainSchema = z.strictObject({
  type: z.enum(['float', 'int']),
  low: z.number().finite(),
  high: z.number().finite(),
  log: z.boolean().default(false),
  step: z.number().positive().finite().optional(),
});

type Parsed = z.output<typeof optionsSchema>;

/** The normalised mixture weights: the observations' weights, then the prior's (Optuna's `_calculate_weights`). */
function mixtureWeights(n: number, options: Parsed): { weights: Float64Array; prior: boolean } {
  const prior = options.considerPrior || n === 0;
  const w = options.weights ?? defaultWeights(n);
  if (w.length !== n) {
    throw invalid(`weights must have one entry per observation (${n}), received ${w.length}`);
  }
  if (n > 0 && w.every((v) => v === 0)) throw invalid('weights must not all be zero');
  const weights = new Float64Array(n + (prior ? 1 : 0));
  weights.set(w);
  if (prior) weights[n] = options.priorWeight;
  let total = 0;
  for (const v of weights) total += v;
  for (let i = 0; i < weights.length; i++) weights[i] = (weights[i] as number) / total;
  return { weights, prior };
}

/**
 * An index drawn with probability `weights` (which sum to 1).
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function drawIndex(rng: Random, weights: Float64Array): number {
  const u = rng.float();
  let cumulative = 0;
  for (let i = 0; i < weights.length; i++) {
    cumulative += weights[i] as number;
    if (u < cumulative) return i;
  }
  // Rounding left the cumulative sum a hair below 1: fall back to the last index with weight.
  for (let i = weights.length - 1; i > 0; i--) if ((weights[i] as number) > 0) return i;
  return 0;
}

function assertCount(count: number): void {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw invalid(`count must be an integer >= 0, received ${formatNumber(count)}`);
  }
}

/** Anything that scores a value by the log of its density under a Parzen estimator. */
export interface LogDensity {
  /** The log density (or log probability) of `x`. */
  logPdf(x: number): number;
}

/**
 * The univariate Parzen estimator of a numeric parameter, Optuna 3.1's `_ParzenEstimator`: one truncated normal
 * kernel per observation plus a prior kernel, in the transformed space (ln x for a log domain; a stepped or integer
 * domain widened by step/2 at both ends). Kernel i sits on observation i with a bandwidth of the larger distance to
 * its sorted neighbours (the outermost take their inner distance), clipped to
 * [(high − low)/min(100, 1 + components), high − low]; the prior sits on the midpoint with bandwidth high − low.
 *
 * Conventions, as Optuna 3.1: {@link ParzenEstimator.logPdf} of a continuous domain (log ones included) is the log
 * density in the transformed space and, like Optuna 3.1's `_truncnorm.logpdf`, leaves out each kernel's −ln σ term;
 * for a stepped or integer (non-log) domain it is the log probability of the grid cell [x − step/2, x + step/2].
 *
 * @internal used by the tuning module; not part of the public surface yet.
 * @example
 * ```ts
 * const below = new ParzenEstimator([0.2, 0.4], { type: 'float', low: 0, high: 1 });
 * const candidates = below.sample(new Random(7), 24);
 * below.logPdf(candidates[0] as number);
 * ```
 */
export class ParzenEstimator implements LogDensity {
  /** The normalised weight of each kernel: observations in order, then the prior (when considered). */
  readonly weights: Float64Array;
  /** The kernels' centres in the transformed space. */
  readonly mus: Float64Array;
  /** The kernels' bandwidths in the transformed space. */
  readonly sigmas: Float64Array;
  /** The lower truncation bound in the transformed space. */
  readonly low: number;
  /** The upper truncation bound in the transformed space. */
  readonly high: number;
  /** The grid spacing of a stepped or integer non-log domain, else undefined. */
  readonly step: number | undefined;
  private readonly domain: Required<Omit<ParzenDomain, 'step'>> & { step: number | undefined };
  private readonly logMass: Float64Array;
  private readonly logWeights: Float64Array;

  /**
   * @param observations - the parameter's values in the good (or the bad) trials, in trial order, within the domain.
   * @param domain - the parameter's range.
   * @param options - Optuna's estimator parameters; the defaults are Optuna 3.1's.
   */
  constructor(observations: number[], domain: ParzenDomain, options?: ParzenOptions) {
    const d = parseOptions(domainSchema, domain, 'ParzenEstimator domain');
    const opts = parseOptions(optionsSchema, options, 'ParzenEstimator options');
    // Optuna widens and bins integer and stepped domains, but not log ones (an int log domain is continuous in ln x).
    const step = d.log ? undefined : d.type === 'int' ? (d.step ?? 1) : d.step;
    checkDomain(d, step);
    assertFiniteArray(observations, 'observations');
    observations.forEach((v, i) => {
      if (v < d.low || v > d.high) {
        throw invalid(
          `observations must lie in [${d.low}, ${d.high}], but observations[${i}] is ${formatNumber(v)}`,
        );
      }
    });
    this.domain = { ...d, step };
    this.step = step;
    if (d.log) {
      const shift = d.type === 'int' ? 0.5 : 0;
      this.low = Math.log(d.low - shift);
      this.high = Math.log(d.high + shift);
    } else {
      const half = step === undefined ? 0 : 0.5 * step;
      this.low = d.low - half;
      this.high = d.high + half;
    }
    const n = observations.length;
    const { weights, prior } = mixtureWeights(n, opts);
    this.weights = weights;
    this.mus = new Float64Array(weights.length);
    observations.forEach((v, i) => {
      this.mus[i] = d.log ? Math.log(v) : v;
    });
    if (prior) this.mus[n] = 0.5 * (this.low + this.high);
    this.sigmas = bandwidths(this.mus, this.low, this.high, opts);
    if (prior) this.sigmas[n] = this.high - this.low;
    this.logMass = this.mus.map((mu, k) => {
      const sigma = this.sigmas[k] as number;
      return logGaussMass((this.low - mu) / sigma, (this.high - mu) / sigma);
    });
    this.logWeights = weights.map(Math.log);
  }

  /**
   * The log density of `x` (a parameter value in the domain's own scale) under the mixture, as Optuna 3.1's
   * `log_pdf` (see the class notes); −∞ outside the truncation range.
   */
  logPdf(x: number): number {
    if (typeof x !== 'number' || Number.isNaN(x))
      throw invalid(`x must be a number, received ${formatNumber(x)}`);
    const t = this.domain.log ? Math.log(x) : x;
    const terms = new Float64Array(this.mus.length);
    const q = this.step;
    for (let k = 0; k < terms.length; k++) {
      const mu = this.mus[k] as number;
      const sigma = this.sigmas[k] as number;
      let logP: number;
      if (q === undefined) {
        const z = (t - mu) / sigma;
        const outside = z < (this.low - mu) / sigma || (this.high - mu) / sigma < z;
        logP = outside ? Number.NEGATIVE_INFINITY : -(z * z) / 2 - LOG_SQRT_2PI - (this.logMass[k] as number);
      } else {
        const upper = Math.min(t + q / 2, this.high);
        const lower = Math.max(t - q / 2, this.low);
        logP =
          upper <= lower
            ? Number.NEGATIVE_INFINITY
            : logGaussMass((lower - mu) / sigma, (upper - mu) / sigma) - (this.logMass[k] as number);
      }
      terms[k] = logP + (this.logWeights[k] as number);
    }
    return logSumExp(terms);
  }

  /**
   * `count` values drawn from the mixture: a kernel by weight, then its truncated normal by inverse cdf; mapped
   * back to the domain's scale, and for a stepped or integer domain rounded to the grid and clipped to [low, high].
   */
  sample(rng: Random, count: number): number[] {
    assertCount(count);
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      const k = drawIndex(rng, this.weights);
      const mu = this.mus[k] as number;
      const sigma = this.sigmas[k] as number;
      const z = truncatedNormalQuantile(rng.float(), (this.low - mu) / sigma, (this.high - mu) / sigma);
      out.push(this.toDomain(Math.min(Math.max(mu + sigma * z, this.low), this.high)));
    }
    return out;
  }

  private toDomain(t: number): number {
    const { low, high, log, type, step } = this.domain;
    if (log) return type === 'int' ? Math.min(Math.max(roundHalfEven(Math.exp(t)), low), high) : Math.exp(t);
    if (step === undefined) return t;
    return Math.min(Math.max(roundHalfEven((t - low) / step) * step + low, low), high);
  }
}

function checkDomain(d: z.output<typeof domainSchema>, step: number | undefined): void {
  const where = `[${d.low}, ${d.high}]`;
  if (step === undefined ? !(d.low < d.high) : !(d.low <= d.high)) {
    throw invalid(`domain must have low < high (low <= high when stepped), received ${where}`);
  }
  if (d.log && d.step !== undefined && !(d.type === 'int' && d.step === 1)) {
    throw invalid('domain cannot be both log and stepped, as in Optuna');
  }
  if (d.log && (d.type === 'int' ? d.low < 1 : d.low <= 0)) {
    throw invalid(`a log domain needs low > 0 (>= 1 for integers), received ${where}`);
  }
  if (d.type === 'int' && ![d.low, d.high, step ?? 1].every(Number.isSafeInteger)) {
    throw invalid(`an int domain needs integer low, high and step, received ${where} step ${step}`);
  }
}

/** Optuna 3.1's univariate bandwidths: the larger gap to the sorted neighbours, then the magic clip. */
function bandwidths(mus: Float64Array, low: number, high: number, opts: Parsed): Float64Array {
  const m = mus.length;
  const order = argsortLikeNumpy(mus);
  const ends = new Float64Array(m + 2);
  ends[0] = low;
  ends[m + 1] = high;
  order.forEach((index, i) => {
    ends[i + 1] = mus[index] as number;
  });
  const sorted = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const left = (ends[i + 1] as number) - (ends[i] as number);
    const right = (ends[i + 2] as number) - (ends[i + 1] as number);
    sorted[i] = Math.max(left, right);
  }
  if (!opts.considerEndpoints && m >= 2) {
    sorted[0] = (ends[2] as number) - (ends[1] as number);
    sorted[m - 1] = (ends[m] as number) - (ends[m - 1] as number);
  }
  const max = high - low;
  const min = minBandwidth(max, m, opts.considerMagicClip);
  const sigmas = new Float64Array(m);
  order.forEach((index, i) => {
    sigmas[index] = Math.min(Math.max(sorted[i] as number, min), max);
  });
  return sigmas;
}

/**
 * The Parzen estimator of a categorical parameter with `choices` options (observations are choice indices),
 * Optuna 3.1's `_calculate_categorical_params`: kernel i puts `priorWeight/(n + 1)` on every choice (with the
 * prior, else `priorWeight/n`) plus 1 on its own observation, normalised; the prior kernel is uniform; the kernels
 * are mixed with the same weights as the numeric estimator.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export class CategoricalParzenEstimator implements LogDensity {
  /** The normalised weight of each kernel: observations in order, then the prior (when considered). */
  readonly weights: Float64Array;
  /** Each kernel's probabilities over the choices (rows sum to 1). */
  readonly kernels: Float64Array[];
  /** The mixture's probability of each choice. */
  readonly probabilities: Float64Array;

  /**
   * @param observations - the chosen indices (integers in [0, choices)) in trial order.
   * @param choices - how many choices the parameter has, >= 1.
   * @param options - the estimator parameters (`considerMagicClip` and `considerEndpoints` do not apply).
   */
  constructor(observations: number[], choices: number, options?: ParzenOptions) {
    if (!Number.isSafeInteger(choices) || choices < 1) {
      throw invalid(`choices must be an integer >= 1, received ${formatNumber(choices)}`);
    }
    const opts = parseOptions(optionsSchema, options, 'CategoricalParzenEstimator options');
    assertFiniteArray(observations, 'observations');
    observations.forEach((v, i) => {
      if (!Number.isInteger(v) || v < 0 || v >= choices) {
        throw invalid(
          `observations must be choice indices in [0, ${choices - 1}], but observations[${i}] is ${formatNumber(v)}`,
        );
      }
    });
    const n = observations.length;
    const { weights, prior } = mixtureWeights(n, opts);
    this.weights = weights;
    const spread = opts.priorWeight / (prior ? n + 1 : n);
    this.kernels = Array.from(weights, (_, k) => {
      const row = new Float64Array(choices).fill(spread);
      const own = observations[k];
      if (own !== undefined) row[own] = (row[own] as number) + 1;
      const total = row.reduce((s, v) => s + v, 0);
      return row.map((v) => v / total);
    });
    this.probabilities = new Float64Array(choices);
    this.kernels.forEach((row, k) => {
      row.forEach((v, c) => {
        this.probabilities[c] = (this.probabilities[c] as number) + v * (weights[k] as number);
      });
    });
  }

  /** The log probability of choice index `x` under the mixture; −∞ for anything that is not a choice index. */
  logPdf(x: number): number {
    if (typeof x !== 'number' || Number.isNaN(x))
      throw invalid(`x must be a number, received ${formatNumber(x)}`);
    const p = Number.isInteger(x) ? this.probabilities[x] : undefined;
    return p === undefined ? Number.NEGATIVE_INFINITY : Math.log(p);
  }

  /** `count` choice indices drawn from the mixture. */
  sample(rng: Random, count: number): number[] {
    assertCount(count);
    return Array.from({ length: count }, () => drawIndex(rng, this.probabilities));
  }
}

/** The result of {@link splitTrials}: trial indices, each group in trial order. */
export interface TrialSplit {
  /** The `nBelow` best trials (the good group, l(x)). */
  below: number[];
  /** The others (g(x)). */
  above: number[];
}

/**
 * Splits finished trials of a single-objective minimisation into the `nBelow` best and the rest, as Optuna 3.1's
 * `_split_observation_pairs`: a stable sort by value (ties go to the earlier trial), each group returned in trial
 * order. NaN values are rejected; ±Infinity sorts at the ends.
 *
 * @param values - the trials' objective values, in trial order (lower is better).
 * @param nBelow - the size of the good group, usually {@link defaultGamma}(values.length); an integer in [0, n].
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function splitTrials(values: number[], nBelow: number): TrialSplit {
  if (!Array.isArray(values)) throw invalid(`values must be an array of numbers, received ${typeof values}`);
  values.forEach((v, i) => {
    if (typeof v !== 'number' || Number.isNaN(v)) {
      throw invalid(`values must not contain NaN, but values[${i}] is ${formatNumber(v)}`);
    }
  });
  if (!Number.isSafeInteger(nBelow) || nBelow < 0 || nBelow > values.length) {
    throw invalid(`nBelow must be an integer in [0, ${values.length}], received ${formatNumber(nBelow)}`);
  }
  const order = values.map((_, i) => i);
  order.sort((i, j) => {
    const a = values[i] as number;
    const b = values[j] as number;
    return a < b ? -1 : a > b ? 1 : i - j;
  });
  const ascending = (x: number, y: number): number => x - y;
  return { below: order.slice(0, nBelow).sort(ascending), above: order.slice(nBelow).sort(ascending) };
}

/**
 * The candidate with the largest ln l(x) − ln g(x), the expected-improvement criterion of TPE (Optuna 3.1's
 * `TPESampler._compare`, `numpy.argmax`): the first candidate on ties, and the first NaN score wins as in numpy.
 *
 * @param candidates - the values to score, usually drawn from `below`; at least one.
 * @param below - the estimator built on the good trials, l(x).
 * @param above - the estimator built on the other trials, g(x).
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function chooseByExpectedImprovement(
  candidates: number[],
  below: LogDensity,
  above: LogDensity,
): number {
  if (!Array.isArray(candidates) || candidates.length === 0) {
    throw invalid('candidates must be a non-empty array of numbers');
  }
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < candidates.length; i++) {
    const x = candidates[i] as number;
    const score = below.logPdf(x) - above.logPdf(x);
    if (Number.isNaN(score)) return x;
    if (score > bestScore || i === 0) {
      best = i;
      bestScore = score;
    }
  }
  return candidates[best] as number;
}
