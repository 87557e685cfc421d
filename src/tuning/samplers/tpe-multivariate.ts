/**
 * Multivariate TPE (Falkner et al., "BOHB: Robust and Efficient Hyperparameter Optimization at Scale", ICML 2018, as
 * Optuna 3.1's `TPESampler(multivariate=True)` does it): one kernel per trial over all parameters jointly, with
 * Scott's-rule bandwidths 0.2·n^(−1/(d+4)) of each range, so that candidates keep the good trials' combinations.
 *
 * @module
 */
import type { Random } from '../../core/random.js';
import { drawIndex } from '../parzen.js';
import type { NumericSpec, ParamSpec, Params, ParamValue, SearchSpace } from '../space.js';
import { expNegative, numericTerm } from './tpe-density.js';
import {
  drawFromKernel,
  type KernelDomain,
  type KernelOptions,
  kernelConstant,
  kernelDomain,
  type Mixture,
  normalise,
  toKernel,
} from './tpe-kernels.js';
import { internalValue, observationWeights, type TpeStep } from './tpe-univariate.js';

/** Optuna's constant in front of Scott's rule. */
const SIGMA0_MAGNITUDE = 0.2;
/** Optuna's smallest bandwidth when the magic clip is off. */
const EPS = 1e-12;
/** Kernels whose log term lies this far below the largest are left out of the sum (each adds < e^-50). */
const NEGLIGIBLE = 50;

/**
 * One numeric parameter of a joint mixture: its kernels' centres and (shared) bandwidths.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export interface NumericPart {
  /** The parameter's range in kernel space. */
  domain: KernelDomain;
  /** The kernels of this parameter (centres, bandwidths, the joint weights). */
  mix: Mixture;
  /** −ln(mass inside the bounds) plus the continuous density constant, per kernel. */
  constant: Float64Array;
}

/**
 * One categorical parameter of a joint mixture (Optuna 3.1's categorical kernels).
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export interface CategoricalPart {
  /** The parameter's choices. */
  choices: readonly ParamValue[];
  /** Each kernel's chosen index; −1 for the prior (uniform). */
  observed: Int32Array;
  /** ln of a kernel's probability of its own choice. */
  logHit: number;
  /** ln of a kernel's probability of any other choice. */
  logMiss: number;
  /** ln of the prior kernel's probability of any choice, −ln(choices). */
  logUniform: number;
  /** A kernel's probability of its own choice. */
  hit: number;
  /** A kernel's probability of any other choice. */
  miss: number;
}

/**
 * One parameter of a joint mixture, by name.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export type Part = { name: string; numeric: NumericPart } | { name: string; categorical: CategoricalPart };

/**
 * A joint (multivariate) Parzen mixture: kernel k is the product of each parameter's kernel k.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export interface Joint {
  /** The number of kernels (observations in trial order, then the prior). */
  size: number;
  /** The normalised kernel weights. */
  weights: Float64Array;
  /** The parameters, in the search space's order. */
  parts: Part[];
}

/** The joint mixture over `rows` (one row of internal values per observation, in trial order). */
function jointMixture(
  names: readonly string[],
  specs: readonly ParamSpec[],
  rows: readonly Float64Array[],
  rawWeights: Float64Array,
  options: KernelOptions,
): Joint {
  const m = rows.length;
  const prior = options.considerPrior || m === 0;
  const size = m + (prior ? 1 : 0);
  const weights = new Float64Array(size);
  weights.set(rawWeights);
  if (prior) weights[m] = options.priorWeight;
  normalise(weights);
  const sigma0 = SIGMA0_MAGNITUDE * Math.max(m, 1) ** (-1 / (names.length + 4));
  const parts = names.map((name, p): Part => {
    const spec = specs[p] as ParamSpec;
    if (spec.type === 'categorical') {
      const choices = spec.choices.length;
      const spread = options.priorWeight / (prior ? m + 1 : m);
      const total = choices * spread + 1;
      const observed = new Int32Array(size).fill(-1);
      rows.forEach((row, i) => {
        observed[i] = row[p] as number;
      });
      const hit = (spread + 1) / total;
      const miss = spread / total;
      return {
        name,
        categorical: {
          choices: spec.choices,
          observed,
          hit,
          miss,
          logHit: Math.log(hit),
          logMiss: Math.log(miss),
          logUniform: -Math.log(choices),
        },
      };
    }
    const domain = kernelDomain(spec as NumericSpec);
    const range = domain.high - domain.low;
    const minSigma = options.considerMagicClip ? range / Math.min(100, 1 + size) : EPS;
    const sigma = Math.min(Math.max(sigma0 * range, minSigma), range);
    const mus = new Float64Array(size);
    const sigmas = new Float64Array(size).fill(sigma);
    rows.forEach((row, i) => {
      mus[i] = toKernel(domain, row[p] as number);
    });
    if (prior) {
      mus[m] = 0.5 * (domain.low + domain.high);
      sigmas[m] = range;
    }
    const constant = mus.map((mu, k) => kernelConstant(domain, mu, sigmas[k] as number, options));
    const mix: Mixture = { size, prior, mus, sigmas, weights, coef: constant };
    return { name, numeric: { domain, mix, constant } };
  });
  return { size, weights, parts };
}

/** One candidate drawn from kernel `k` of the joint mixture, as internal values (choice index for categoricals). */
function drawCandidate(joint: Joint, rng: Random): Float64Array {
  const k = drawIndex(rng, joint.weights);
  return Float64Array.from(joint.parts, (part) => {
    if ('numeric' in part) return drawFromKernel(part.numeric.domain, part.numeric.mix, k, rng);
    const { observed, choices, hit, miss } = part.categorical;
    const own = observed[k] as number;
    const u = rng.float();
    let cumulative = 0;
    for (let c = 0; c < choices.length; c++) {
      cumulative += own < 0 ? 1 / choices.length : c === own ? hit : miss;
      if (u < cumulative) return c;
    }
    return choices.length - 1;
  });
}

/** The joint log density of each candidate (internal values), terms far below the largest skipped. */
function jointLogPdf(joint: Joint, candidates: readonly Float64Array[]): Float64Array {
  const { size, parts, weights } = joint;
  const out = new Float64Array(candidates.length);
  const acc = new Float64Array(size);
  const bound = new Float64Array(size);
  const grid = parts.filter((p) => 'numeric' in p && p.numeric.domain.step !== undefined).length > 0;
  candidates.forEach((x, i) => {
    for (let k = 0; k < size; k++) acc[k] = Math.log(weights[k] as number);
    parts.forEach((part, p) => {
      const v = x[p] as number;
      if ('categorical' in part) {
        const { observed, logHit, logMiss, logUniform } = part.categorical;
        for (let k = 0; k < size; k++) {
          const own = observed[k] as number;
          acc[k] = (acc[k] as number) + (own < 0 ? logUniform : own === v ? logHit : logMiss);
        }
        return;
      }
      const { domain, mix, constant } = part.numeric;
      if (domain.step !== undefined) return;
      const t = toKernel(domain, v);
      const { mus, sigmas } = mix;
      for (let k = 0; k < size; k++) {
        const z = (t - (mus[k] as number)) / (sigmas[k] as number);
        acc[k] = (acc[k] as number) + (constant[k] as number) - 0.5 * z * z;
      }
    });
    if (grid) addGridTerms(parts, x, acc, bound);
    let max = Number.NEGATIVE_INFINITY;
    for (const a of acc) if (a > max) max = a;
    let sum = 0;
    for (const a of acc) if (a > max - NEGLIGIBLE) sum += expNegative(a - max);
    out[i] = max === Number.NEGATIVE_INFINITY ? max : max + Math.log(sum);
  });
  return out;
}

/** Adds the grid parameters' exact cell log probabilities, only where a cheap bound says they can matter. */
function addGridTerms(parts: readonly Part[], x: Float64Array, acc: Float64Array, bound: Float64Array): void {
  const gridTerm = (k: number, exact: boolean): number => {
    let total = 0;
    parts.forEach((part, p) => {
      if (!('numeric' in part) || part.numeric.domain.step === undefined) return;
      const { domain, mix, constant } = part.numeric;
      const t = toKernel(domain, x[p] as number);
      total +=
        (constant[k] as number) +
        numericTerm(domain, mix.mus[k] as number, mix.sigmas[k] as number, t, !exact);
    });
    return total;
  };
  let top = 0;
  for (let k = 0; k < acc.length; k++) {
    bound[k] = (acc[k] as number) + gridTerm(k, false);
    if ((bound[k] as number) > (bound[top] as number)) top = k;
  }
  const floor = (acc[top] as number) + gridTerm(top, true) - NEGLIGIBLE;
  for (let k = 0; k < acc.length; k++) {
    acc[k] = (bound[k] as number) < floor ? Number.NEGATIVE_INFINITY : (acc[k] as number) + gridTerm(k, true);
  }
}

/**
 * The jointly chosen values of `space` (names in order): candidates drawn from the good trials' joint mixture, the
 * one with the largest l(x)/g(x) kept. Observations lacking any of the parameters are left out.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function sampleJointly(space: SearchSpace, step: TpeStep): Params {
  const { below: lower, above: upper, names, specs } = jointMixtures(space, step);
  const candidates = Array.from({ length: step.candidates }, () => drawCandidate(lower, step.rng));
  const logL = jointLogPdf(lower, candidates);
  const logG = jointLogPdf(upper, candidates);
  let best = 0;
  for (let i = 0; i < candidates.length; i++) {
    const score = (logL[i] as number) - (logG[i] as number);
    if (Number.isNaN(score)) {
      best = i;
      break;
    }
    if (score > (logL[best] as number) - (logG[best] as number)) best = i;
  }
  const chosen = candidates[best] as Float64Array;
  const params: Params = {};
  names.forEach((name, p) => {
    const spec = specs[p] as ParamSpec;
    const v = chosen[p] as number;
    params[name] = spec.type === 'categorical' ? (spec.choices[v] as ParamValue) : v;
  });
  return params;
}

/**
 * The good and the other trials' joint mixtures over `space` (kernels in trial order, prior last).
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function jointMixtures(
  space: SearchSpace,
  step: TpeStep,
): { below: Joint; above: Joint; names: string[]; specs: ParamSpec[] } {
  const names = Object.keys(space);
  const specs = names.map((n) => space[n] as ParamSpec);
  const belowSet = new Set(step.below);
  const rowOf = (trial: Parameters<typeof internalValue>[0]): Float64Array | undefined => {
    const row = new Float64Array(names.length);
    for (let p = 0; p < names.length; p++) {
      const v = internalValue(trial, names[p] as string, specs[p] as ParamSpec);
      if (v === undefined) return undefined;
      row[p] = v;
    }
    return row;
  };
  const below: { number: number; row: Float64Array }[] = [];
  const above: { number: number; row: Float64Array }[] = [];
  for (const o of step.store.observed) {
    const row = rowOf(o.trial);
    if (row !== undefined) (belowSet.has(o.number) ? below : above).push({ number: o.number, row });
  }
  for (const trial of step.store.running) {
    const row = rowOf(trial);
    if (row !== undefined) above.push({ number: trial.number, row });
  }
  above.sort((a, b) => a.number - b.number);
  const belowWeights =
    step.belowWeights === undefined
      ? observationWeights(step.weights, below.length)
      : Float64Array.from(below, (b) => step.belowWeights?.get(b.number) as number);
  const lower = jointMixture(
    names,
    specs,
    below.map((b) => b.row),
    belowWeights,
    step.kernel,
  );
  const upper = jointMixture(
    names,
    specs,
    above.map((a) => a.row),
    observationWeights(step.weights, above.length),
    step.kernel,
  );
  return { below: lower, above: upper, names, specs };
}
