/**
 * Independent (univariate) TPE for one parameter, incremental: the parameter's finished observations are kept sorted
 * in kernel space as trials finish, so each trial costs one linear pass to rebuild the "above" mixture (its
 * bandwidths depend on sorted neighbours, its weights on trial order) and one pass per candidate to score it.
 *
 * @module
 */
import { formatNumber } from '../../core/checks.js';
import { MlcycleError } from '../../core/errors.js';
import type { Random } from '../../core/random.js';
import { drawIndex } from '../parzen.js';
import { type NumericSpec, type ParamSpec, type ParamValue, sameSpec, toInternal } from '../space.js';
import type { FrozenTrial } from '../types.js';
import { mixtureLogPdf } from './tpe-density.js';
import {
  categoricalProbabilities,
  drawFromKernel,
  type KernelDomain,
  type KernelOptions,
  kernelDomain,
  type Mixture,
  toKernel,
  univariateMixture,
} from './tpe-kernels.js';
import type { ObservationStore } from './tpe-observations.js';

/**
 * What one TPE step needs besides the observations.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export interface TpeStep {
  /** The store the observations come from (already updated). */
  store: ObservationStore;
  /** Trial numbers of the good group, ascending. */
  below: readonly number[];
  /** Fixed weights of the good trials by trial number (multi-objective TPE), else the weights function is used. */
  belowWeights: ReadonlyMap<number, number> | undefined;
  /** The weights of `n` observations in trial order. */
  weights: (n: number) => ArrayLike<number>;
  /** The estimator options. */
  kernel: KernelOptions;
  /** How many candidates to draw from the good mixture. */
  candidates: number;
  /** The trial's random stream for this parameter. */
  rng: Random;
}

/**
 * The value of `trial`'s parameter `name` as a sampler sees it (Optuna's internal representation), or undefined
 * when the trial does not have it with distribution `spec`.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function internalValue(trial: FrozenTrial, name: string, spec: ParamSpec): number | undefined {
  if (!(name in trial.params)) return undefined;
  const own = trial.distributions[name];
  if (own === undefined || !sameSpec(own, spec)) return undefined;
  return toInternal(spec, trial.params[name] as ParamValue);
}

/**
 * The weights of observations given in trial order, checked (Optuna 3.1's `_calculate_weights` checks).
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function observationWeights(weights: (n: number) => ArrayLike<number>, n: number): Float64Array {
  const w = weights(n);
  const out = new Float64Array(n);
  let positive = false;
  for (let i = 0; i < n; i++) {
    const v = w[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `TPE weights(${n}) must return ${n} finite numbers >= 0, but entry ${i} is ${formatNumber(v)}`,
      );
    }
    out[i] = v;
    if (v > 0) positive = true;
  }
  if (n > 0 && !positive)
    throw new MlcycleError('INVALID_ARGUMENT', `TPE weights(${n}) must not return all zeros`);
  return out;
}

/**
 * Index of the largest score, the first on ties (numpy.argmax; a NaN score wins as in numpy).
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function argmax(scores: Float64Array): number {
  let best = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i] as number;
    if (Number.isNaN(s)) return i;
    if (s > (scores[best] as number)) best = i;
  }
  return best;
}

/**
 * One parameter's observations in kernel space, kept ascending as they arrive (equal values in trial order, as a
 * stable sort leaves them), with their trial numbers.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export class SortedObservations {
  /** The values, ascending; the first `count` are in use. */
  values = new Float64Array(64);
  /** The trial number of each value. */
  numbers = new Int32Array(64);
  /** How many observations there are. */
  count = 0;

  /** Files trial `number`'s value `value` in its sorted place, after equal values of earlier trials. */
  insert(value: number, number: number): void {
    if (this.count === this.values.length) {
      const values = new Float64Array(2 * this.count);
      const numbers = new Int32Array(2 * this.count);
      values.set(this.values);
      numbers.set(this.numbers);
      this.values = values;
      this.numbers = numbers;
    }
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.values[mid] as number;
      if (v < value || (v === value && (this.numbers[mid] as number) < number)) lo = mid + 1;
      else hi = mid;
    }
    this.values.copyWithin(lo + 1, lo, this.count);
    this.numbers.copyWithin(lo + 1, lo, this.count);
    this.values[lo] = value;
    this.numbers[lo] = number;
    this.count++;
  }
}

/**
 * One parameter's sorted observations and the step that samples it.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export class UnivariateColumn {
  private readonly domain: KernelDomain | undefined;
  private readonly sorted = new SortedObservations();
  private massSigma = new Float64Array(0);
  private massLog = new Float64Array(0);
  private cursor = 0;
  private rank = new Int32Array(0);
  private mask = new Uint8Array(0);
  private choiceOf = new Int32Array(0);

  /**
   * @param name - the parameter's name.
   * @param spec - its distribution; trials that have the parameter with another distribution are left out.
   */
  constructor(
    readonly name: string,
    readonly spec: ParamSpec,
  ) {
    this.domain = spec.type === 'categorical' ? undefined : kernelDomain(spec as NumericSpec);
  }

  /** Adds the observations the store has gained since the last call, in sorted place. */
  private sync(store: ObservationStore): void {
    if (this.domain === undefined) return;
    for (; this.cursor < store.log.length; this.cursor++) {
      const o = store.log[this.cursor] as (typeof store.log)[number];
      const v = internalValue(o.trial, this.name, this.spec);
      if (v !== undefined) this.sorted.insert(toKernel(this.domain, v), o.number);
    }
  }

  /** A flag per trial number: 1 for the good trials. */
  private belowMask(below: readonly number[], maxNumber: number): Uint8Array {
    if (this.mask.length <= maxNumber) this.mask = new Uint8Array(2 * maxNumber + 2);
    this.mask.fill(0);
    for (const n of below) this.mask[n] = 1;
    return this.mask;
  }

  /** Ranks by trial number of `numbers` (each member's position in trial order). */
  private ranks(numbers: Int32Array, maxNumber: number): Int32Array {
    if (this.rank.length <= maxNumber) this.rank = new Int32Array(2 * maxNumber + 2);
    const rank = this.rank;
    rank.fill(0, 0, maxNumber + 1);
    for (const n of numbers) rank[n] = 1;
    let r = 0;
    for (let n = 0; n <= maxNumber; n++) {
      if (rank[n] === 1) rank[n] = r++;
    }
    return rank;
  }

  /** The value TPE picks for this parameter: the candidate from l(x) with the largest l(x)/g(x). */
  sample(step: TpeStep): ParamValue {
    if (this.domain === undefined) return this.sampleCategorical(step);
    const domain = this.domain;
    const { below, above } = this.mixtures(step);
    const values = new Float64Array(step.candidates);
    const xs = new Float64Array(step.candidates);
    for (let i = 0; i < step.candidates; i++) {
      values[i] = drawFromKernel(domain, below, drawIndex(step.rng, below.weights), step.rng);
      xs[i] = toKernel(domain, values[i] as number);
    }
    const logL = new Float64Array(step.candidates);
    const logG = new Float64Array(step.candidates);
    mixtureLogPdf(domain, below, xs, logL);
    mixtureLogPdf(domain, above, xs, logG);
    for (let i = 0; i < logL.length; i++) logL[i] = (logL[i] as number) - (logG[i] as number);
    return values[argmax(logL)] as number;
  }

  /** The good and the other trials' mixtures of a numeric parameter (kernels sorted by centre, prior last). */
  mixtures(step: TpeStep): { below: Mixture; above: Mixture } {
    const domain = this.domain as KernelDomain;
    this.sync(step.store);
    const { store, kernel } = step;
    const belowSet = this.belowMask(step.below, store.maxNumber);
    const running: [number, number][] = [];
    for (const trial of store.running) {
      const v = internalValue(trial, this.name, this.spec);
      if (v !== undefined) running.push([toKernel(domain, v), trial.number]);
    }
    running.sort((a, b) => a[0] - b[0] || a[1] - b[1]);

    // The above group in kernel-space order: finished observations not below, merged with running trials.
    const { values: sortedMus, numbers: sortedNumbers, count } = this.sorted;
    const capacity = count + running.length;
    const allMus = new Float64Array(capacity);
    const allNumbers = new Int32Array(capacity);
    const belowMus: [number, number][] = [];
    let j = 0;
    let r = 0;
    for (let i = 0; i < count; i++) {
      const mu = sortedMus[i] as number;
      const number = sortedNumbers[i] as number;
      if (belowSet[number] === 1) {
        belowMus.push([mu, number]);
        continue;
      }
      for (; r < running.length && (running[r] as [number, number])[0] < mu; r++, j++) {
        [allMus[j], allNumbers[j]] = running[r] as [number, number];
      }
      allMus[j] = mu;
      allNumbers[j++] = number;
    }
    for (; r < running.length; r++, j++) [allMus[j], allNumbers[j]] = running[r] as [number, number];
    const size = j;
    const mus = allMus.subarray(0, size);
    const numbers = allNumbers.subarray(0, size);
    const rank = this.ranks(numbers, store.maxNumber);
    const w = observationWeights(step.weights, size);
    const aboveWeights = new Float64Array(size);
    for (let i = 0; i < size; i++) aboveWeights[i] = w[rank[numbers[i] as number] as number] as number;
    if (this.massSigma.length <= store.maxNumber) {
      const sigma = new Float64Array(2 * store.maxNumber + 2).fill(Number.NaN);
      const logMass = new Float64Array(sigma.length);
      sigma.set(this.massSigma);
      logMass.set(this.massLog);
      this.massSigma = sigma;
      this.massLog = logMass;
    }
    const cache = { numbers, sigma: this.massSigma, logMass: this.massLog };
    const above = univariateMixture(domain, mus, aboveWeights, kernel, cache);

    // The below group: in trial order for its weights, then sorted for its bandwidths.
    const byNumber = [...belowMus].sort((a, b) => a[1] - b[1]);
    const bw = belowWeightsOf(
      step,
      byNumber.map((p) => p[1]),
    );
    const paired = byNumber.map((p, i) => [p[0], bw[i] as number] as const).sort((a, b) => a[0] - b[0]);
    const below = univariateMixture(
      domain,
      Float64Array.from(paired, (p) => p[0]),
      Float64Array.from(paired, (p) => p[1]),
      kernel,
    );

    return { below, above };
  }

  private sampleCategorical(step: TpeStep): ParamValue {
    const spec = this.spec as Extract<ParamSpec, { type: 'categorical' }>;
    const { below, above } = this.probabilities(step);
    const picks = Array.from({ length: step.candidates }, () => drawIndex(step.rng, below));
    const scores = Float64Array.from(
      picks,
      (c) => Math.log(below[c] as number) - Math.log(above[c] as number),
    );
    return spec.choices[picks[argmax(scores)] as number] as ParamValue;
  }

  /** The good and the other trials' probabilities of each choice of a categorical parameter. */
  probabilities(step: TpeStep): { below: Float64Array; above: Float64Array } {
    const spec = this.spec as Extract<ParamSpec, { type: 'categorical' }>;
    const choices = spec.choices.length;
    const { store } = step;
    // Choice index per trial number (−1: not observed with this parameter), read once per finished trial.
    if (this.choiceOf.length <= store.maxNumber) {
      const grown = new Int32Array(2 * store.maxNumber + 2).fill(-1);
      grown.set(this.choiceOf);
      this.choiceOf = grown;
    }
    for (; this.cursor < store.log.length; this.cursor++) {
      const o = store.log[this.cursor] as (typeof store.log)[number];
      this.choiceOf[o.number] = internalValue(o.trial, this.name, spec) ?? -1;
    }
    const belowSet = new Set(step.below);
    const above: [number, number][] = [];
    const belowPairs: [number, number][] = [];
    for (const o of store.observed) {
      const v = this.choiceOf[o.number] as number;
      if (v < 0) continue;
      (belowSet.has(o.number) ? belowPairs : above).push([v, o.number]);
    }
    for (const trial of store.running) {
      const v = internalValue(trial, this.name, spec);
      if (v !== undefined) above.push([v, trial.number]);
    }
    above.sort((a, b) => a[1] - b[1]);
    const pAbove = categoricalProbabilities(
      choices,
      Int32Array.from(above, (p) => p[0]),
      observationWeights(step.weights, above.length),
      step.kernel,
    );
    const pBelow = categoricalProbabilities(
      choices,
      Int32Array.from(belowPairs, (p) => p[0]),
      belowWeightsOf(
        step,
        belowPairs.map((p) => p[1]),
      ),
      step.kernel,
    );
    return { below: pBelow, above: pAbove };
  }
}

function belowWeightsOf(step: TpeStep, numbers: readonly number[]): Float64Array {
  if (step.belowWeights !== undefined) {
    return Float64Array.from(numbers, (n) => step.belowWeights?.get(n) as number);
  }
  return observationWeights(step.weights, numbers.length);
}
