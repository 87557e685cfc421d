/**
 * The Parzen mixtures of the TPE sampler in flat typed arrays: one truncated normal kernel per observation plus a
 * prior, built from observations already sorted, drawn from, and scored for a batch of candidates in one tight loop.
 * The numbers are Optuna 3.1's (`optuna/samplers/_tpe/parzen_estimator.py`); `src/tuning/parzen.ts` is the
 * reference implementation they are tested against.
 *
 * @module
 */
import { roundHalfEven } from '../../core/numeric.js';
import type { Random } from '../../core/random.js';
import { minBandwidth } from '../parzen.js';
import type { NumericSpec } from '../space.js';
import { LOG_SQRT_2PI, logGaussMass, truncatedNormalQuantile } from '../truncnorm.js';

/**
 * How TPE sees a numeric parameter: bounds in kernel space (ln x on a log scale; half a step past each end of a
 * grid) and the grid step of a stepped or integer non-log range.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export interface KernelDomain {
  /** The parameter's distribution. */
  readonly spec: NumericSpec;
  /** Lower truncation bound in kernel space. */
  readonly low: number;
  /** Upper truncation bound in kernel space. */
  readonly high: number;
  /** The grid step of a stepped or integer non-log range (densities become cell probabilities), else undefined. */
  readonly step: number | undefined;
}

/**
 * How TPE sees `spec` (Optuna 3.1's `_calculate_parzen_bounds`).
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function kernelDomain(spec: NumericSpec): KernelDomain {
  const step = spec.log ? undefined : spec.type === 'int' ? (spec.step ?? 1) : spec.step;
  if (spec.log) {
    const shift = spec.type === 'int' ? 0.5 : 0;
    return { spec, low: Math.log(spec.low - shift), high: Math.log(spec.high + shift), step };
  }
  const half = step === undefined ? 0 : 0.5 * step;
  return { spec, low: spec.low - half, high: spec.high + half, step };
}

/** A parameter value in kernel space. @internal used by the tuning module; not part of the public surface. */
export function toKernel(domain: KernelDomain, value: number): number {
  return domain.spec.log ? Math.log(value) : value;
}

/** A kernel-space point back as a value in range (rounded onto the grid as Optuna rounds: half to even). */
function fromKernel(domain: KernelDomain, t: number): number {
  const { low, high, log, type } = domain.spec;
  let v: number;
  if (log) v = type === 'int' ? roundHalfEven(Math.exp(t)) : Math.exp(t);
  else if (domain.step === undefined) v = t;
  else v = roundHalfEven((t - low) / domain.step) * domain.step + low;
  return Math.min(Math.max(v, low), high);
}

/**
 * Options of the Parzen mixtures (Optuna 3.1's `_ParzenEstimatorParameters`, resolved).
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export interface KernelOptions {
  /** Add the prior kernel (always when there are no observations). */
  considerPrior: boolean;
  /** The prior kernel's weight before normalisation. */
  priorWeight: number;
  /** Floor the bandwidths at range/min(100, 1 + kernels). */
  considerMagicClip: boolean;
  /** Let the outermost kernels take their distance to the range's ends. */
  considerEndpoints: boolean;
  /** Include each continuous kernel's −ln σ in the log density (Optuna 3.1 leaves it out; later versions do not). */
  bandwidthTerm: boolean;
  /** The joint kernels' bandwidths: per parameter as the univariate ones, or Optuna 3.1's Scott's rule. */
  multivariateBandwidth: 'neighbours' | 'scott';
}

/**
 * A mixture of truncated normals in kernel space; kernel `size − 1` is the prior when `prior` is set.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export interface Mixture {
  /** The number of kernels. */
  size: number;
  /** Whether the last kernel is the prior. */
  prior: boolean;
  /** Centres. */
  mus: Float64Array;
  /** Bandwidths. */
  sigmas: Float64Array;
  /** Normalised weights. */
  weights: Float64Array;
  /** ln(weight) − ln(mass inside the bounds), and for a continuous domain also −ln√(2π) (and −ln σ if asked). */
  coef: Float64Array;
}

/**
 * Caches each observation's log mass inside the bounds, by trial number, with the bandwidth it was computed for (a
 * kernel's bandwidth only changes when its neighbours do).
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export interface MassCache {
  /** The trial number of each observation kernel. */
  numbers: Int32Array;
  /** By trial number: the bandwidth the cached mass belongs to (NaN: none yet). */
  sigma: Float64Array;
  /** By trial number: the cached log mass. */
  logMass: Float64Array;
}

/**
 * Optuna 3.1's univariate bandwidths of the observations `sorted` (kernel space, ascending): each kernel's larger gap
 * to its sorted neighbours, with the prior's centre counted as a neighbour when there is a prior, the outermost
 * kernels taking their inner gap unless `considerEndpoints`, then the magic clip and the range as bounds.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function neighbourBandwidths(
  domain: KernelDomain,
  sorted: Float64Array,
  options: KernelOptions,
): Float64Array {
  const m = sorted.length;
  const prior = options.considerPrior || m === 0;
  const size = m + (prior ? 1 : 0);
  const { low, high } = domain;
  const priorMu = 0.5 * (low + high);
  // The prior's centre takes its place among the sorted observations (after equal ones, as a stable sort puts it).
  let at = m;
  if (prior) {
    at = 0;
    while (at < m && (sorted[at] as number) <= priorMu) at++;
  }
  const merged = new Float64Array(size);
  for (let i = 0, j = 0; i < size; i++) merged[i] = prior && i === at ? priorMu : (sorted[j++] as number);
  const range = high - low;
  const minSigma = minBandwidth(range, size, options.considerMagicClip);
  const sigmas = new Float64Array(m);
  for (let i = 0, j = 0; i < size; i++) {
    if (prior && i === at) continue;
    const mu = merged[i] as number;
    const left = i === 0 ? low : (merged[i - 1] as number);
    const right = i === size - 1 ? high : (merged[i + 1] as number);
    let s = Math.max(mu - left, right - mu);
    if (!options.considerEndpoints && size >= 2) {
      if (i === 0) s = right - mu;
      else if (i === size - 1) s = mu - left;
    }
    sigmas[j++] = Math.min(Math.max(s, minSigma), range);
  }
  return sigmas;
}

/**
 * The univariate mixture over observations `mus` (kernel space, ascending) with unnormalised `weights`, with
 * {@link neighbourBandwidths} and the prior last.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function univariateMixture(
  domain: KernelDomain,
  mus: Float64Array,
  weights: Float64Array,
  options: KernelOptions,
  cache?: MassCache,
): Mixture {
  const m = mus.length;
  const prior = options.considerPrior || m === 0;
  const size = m + (prior ? 1 : 0);
  const { low, high } = domain;
  const sigmas = new Float64Array(size);
  sigmas.set(neighbourBandwidths(domain, mus, options));
  const outMus = new Float64Array(size);
  outMus.set(mus);
  if (prior) {
    outMus[m] = 0.5 * (low + high);
    sigmas[m] = high - low;
  }
  const w = kernelWeights(weights, options);
  const coef = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    const mu = outMus[k] as number;
    const sigma = sigmas[k] as number;
    let logMass: number;
    const at = cache !== undefined && k < m ? (cache.numbers[k] as number) : -1;
    if (at >= 0 && cache?.sigma[at] === sigma) logMass = cache.logMass[at] as number;
    else {
      logMass = logGaussMass((low - mu) / sigma, (high - mu) / sigma);
      if (at >= 0 && cache !== undefined) {
        cache.sigma[at] = sigma;
        cache.logMass[at] = logMass;
      }
    }
    coef[k] = Math.log(w[k] as number) - logMass + continuousTerm(domain, sigma, options);
  }
  return { size, prior, mus: outMus, sigmas, weights: w, coef };
}

/** The density constant of a continuous kernel: −ln√(2π), and −ln σ when asked; 0 for grid cells. */
function continuousTerm(domain: KernelDomain, sigma: number, options: KernelOptions): number {
  if (domain.step !== undefined) return 0;
  return -LOG_SQRT_2PI - (options.bandwidthTerm ? Math.log(sigma) : 0);
}

/**
 * Optuna 3.1's `default_weights(n)` (as `defaultWeights` in parzen.ts) straight into a typed array: 1 below 25,
 * else `linspace(1/n, 1, n − 25)` for the oldest and 1 for the newest 25.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function rampWeights(n: number): Float64Array {
  const out = new Float64Array(n).fill(1);
  const ramp = n - 25;
  if (ramp <= 0) return out;
  const start = 1 / n;
  const step = ramp > 1 ? (1 - start) / (ramp - 1) : 0;
  for (let i = 0; i < ramp; i++) out[i] = i * step + start;
  if (ramp > 1) out[ramp - 1] = 1;
  return out;
}

/**
 * The normalised weights of a mixture's kernels: the observations' `weights`, then the prior kernel's `priorWeight`
 * when the mixture has a prior (when asked for, and always without observations).
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function kernelWeights(weights: Float64Array, options: KernelOptions): Float64Array {
  const m = weights.length;
  const prior = options.considerPrior || m === 0;
  const w = new Float64Array(m + (prior ? 1 : 0));
  w.set(weights);
  if (prior) w[m] = options.priorWeight;
  let total = 0;
  for (const v of w) total += v;
  for (let i = 0; i < w.length; i++) w[i] = (w[i] as number) / total;
  return w;
}

/**
 * A value drawn from kernel `k` of a numeric mixture (inverse cdf of its truncated normal), as a parameter value.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function drawFromKernel(domain: KernelDomain, mix: Mixture, k: number, rng: Random): number {
  const mu = mix.mus[k] as number;
  const sigma = mix.sigmas[k] as number;
  const { low, high } = domain;
  const z = truncatedNormalQuantile(rng.float(), (low - mu) / sigma, (high - mu) / sigma);
  return fromKernel(domain, Math.min(Math.max(mu + sigma * z, low), high));
}

/**
 * The log mass of a kernel inside the bounds, plus the continuous density constant (with −ln σ when asked): what
 * {@link kernelTerm} leaves out.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function kernelConstant(
  domain: KernelDomain,
  mu: number,
  sigma: number,
  options: KernelOptions,
): number {
  return (
    -logGaussMass((domain.low - mu) / sigma, (domain.high - mu) / sigma) +
    continuousTerm(domain, sigma, options)
  );
}

/**
 * A categorical mixture (Optuna 3.1's `_calculate_categorical_params`): the probability of each choice, from the
 * chosen indices `observed` with unnormalised `weights`.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function categoricalProbabilities(
  choices: number,
  observed: Int32Array,
  weights: Float64Array,
  options: KernelOptions,
): Float64Array {
  const m = observed.length;
  const prior = options.considerPrior || m === 0;
  const w = kernelWeights(weights, options);
  // Kernel i: priorWeight/(n + 1) on every choice (priorWeight/n without the prior), plus 1 on its own; normalised.
  const spread = options.priorWeight / (prior ? m + 1 : m);
  const rowTotal = choices * spread + 1;
  const hits = new Float64Array(choices);
  let observedWeight = 0;
  for (let i = 0; i < m; i++) {
    const c = observed[i] as number;
    hits[c] = (hits[c] as number) + (w[i] as number);
    observedWeight += w[i] as number;
  }
  const p = new Float64Array(choices);
  const priorShare = prior ? (w[m] as number) / choices : 0;
  for (let c = 0; c < choices; c++)
    p[c] = (observedWeight * spread + (hits[c] as number)) / rowTotal + priorShare;
  return p;
}
