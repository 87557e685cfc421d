/**
 * Multivariate TPE (Falkner et al., "BOHB: Robust and Efficient Hyperparameter Optimization at Scale", ICML 2018;
 * Optuna's `TPESampler(multivariate=True)`): one kernel per trial over all parameters jointly, so that candidates
 * keep the good trials' combinations. Each parameter's kernel takes the univariate bandwidth of its observation
 * (the larger gap to its sorted neighbours; Watanabe, "Tree-Structured Parzen Estimator: Understanding Its
 * Algorithm Components and Their Roles for Better Empirical Performance", 2023, recommends this pairing), or, as in
 * Optuna 3.1, Scott's rule 0.2·n^(−1/(d+4)) of the range for all kernels (`multivariateBandwidth: 'scott'`).
 *
 * @module
 */
import { lowerBound } from '../../core/numeric.js';
import type { Random } from '../../core/random.js';
import { drawIndex, minBandwidth } from '../parzen.js';
import type { NumericSpec, ParamSpec, Params, ParamValue, SearchSpace } from '../space.js';
import { expNegative, kernelTerm } from './tpe-density.js';
import {
  drawFromKernel,
  type KernelDomain,
  type KernelOptions,
  kernelConstant,
  kernelDomain,
  kernelWeights,
  type Mixture,
  neighbourBandwidths,
  toKernel,
} from './tpe-kernels.js';
import {
  argmax,
  internalValue,
  observationWeights,
  SortedObservations,
  type TpeStep,
} from './tpe-univariate.js';

/** Optuna's constant in front of Scott's rule. */
const SIGMA0_MAGNITUDE = 0.2;
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

/**
 * What a study's joint sampling keeps between its trials, for one search space (a finished trial's record never
 * changes): each finished trial's row of internal values, and its kernels' constants with the bandwidths they
 * belong to (a bandwidth changes only when its neighbours or the trial's group do).
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export interface JointCache {
  /** The search space the entries belong to (names and distributions). */
  space: string;
  /** By trial number: its row, or null when it lacks a parameter of the space. */
  rows: Map<number, Float64Array | null>;
  /** By trial number: per parameter, the bandwidth of its cached constant (NaN: none yet) and the constant. */
  kernels: Map<number, { sigmas: Float64Array; constants: Float64Array }>;
  /** Per numeric parameter, the cached rows' kernel-space values ascending (ties in trial order), with their trials. */
  sorted: SortedObservations[];
}

/** An empty {@link JointCache}. @internal used by the tuning module; not part of the public surface. */
export function jointCache(): JointCache {
  return { space: '', rows: new Map(), kernels: new Map(), sorted: [] };
}

/** One observation of a joint mixture: its trial number and row of internal values. */
interface JointRow {
  number: number;
  row: Float64Array;
}

/**
 * Sets `sigmas[i]` to the neighbour bandwidth of observation `mus[i]` (kernel space, in trial order): its rank among
 * the sorted values, ties in trial order as a stable sort leaves them. `order` (the cache's sorted values of all
 * finished trials) with `slot` (trial number to index in `mus`) saves the sort; without them the values are sorted.
 */
function sortedBandwidths(
  domain: KernelDomain,
  mus: Float64Array,
  sigmas: Float64Array,
  options: KernelOptions,
  order: SortedObservations | undefined,
  slot: Int32Array | undefined,
): void {
  const m = mus.length;
  if (order !== undefined && slot !== undefined) {
    const sorted = new Float64Array(m);
    const at = new Int32Array(m);
    let r = 0;
    for (let j = 0; j < order.count && r < m; j++) {
      const k = slot[order.numbers[j] as number] ?? -1;
      if (k < 0) continue;
      sorted[r] = order.values[j] as number;
      at[r++] = k;
    }
    const gaps = neighbourBandwidths(domain, sorted, options);
    for (let i = 0; i < m; i++) sigmas[at[i] as number] = gaps[i] as number;
    return;
  }
  const sorted = mus.slice().sort();
  const gaps = neighbourBandwidths(domain, sorted, options);
  const taken = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const first = lowerBound(sorted, mus[i] as number);
    sigmas[i] = gaps[first + (taken[first] as number)++] as number;
  }
}

/** The joint mixture over `rows` (one row of internal values per observation, in trial order). */
function jointMixture(
  names: readonly string[],
  specs: readonly ParamSpec[],
  rows: readonly JointRow[],
  rawWeights: Float64Array,
  options: KernelOptions,
  cache: JointCache | undefined,
): Joint {
  const m = rows.length;
  const prior = options.considerPrior || m === 0;
  const size = m + (prior ? 1 : 0);
  const weights = kernelWeights(rawWeights, options);
  const sigma0 = SIGMA0_MAGNITUDE * Math.max(m, 1) ** (-1 / (names.length + 4));
  const entries = rows.map(({ number }) => cache?.kernels.get(number));
  // With every row cached, the bandwidths come from the cache's sorted values: slot maps a trial number to its row.
  const allCached = entries.every((entry) => entry !== undefined);
  let slot: Int32Array | undefined;
  if (allCached && m > 0) {
    const last = rows.reduce((max, r) => Math.max(max, r.number), 0);
    slot = new Int32Array(last + 1).fill(-1);
    for (let k = 0; k < m; k++) slot[(rows[k] as JointRow).number] = k;
  }
  const parts = names.map((name, p): Part => {
    const spec = specs[p] as ParamSpec;
    if (spec.type === 'categorical') {
      const choices = spec.choices.length;
      const spread = options.priorWeight / (prior ? m + 1 : m);
      const total = choices * spread + 1;
      const observed = new Int32Array(size).fill(-1);
      rows.forEach(({ row }, i) => {
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
    const mus = new Float64Array(size);
    const sigmas = new Float64Array(size);
    rows.forEach(({ row }, i) => {
      mus[i] = toKernel(domain, row[p] as number);
    });
    if (options.multivariateBandwidth === 'scott') {
      sigmas.fill(
        Math.min(Math.max(sigma0 * range, minBandwidth(range, size, options.considerMagicClip)), range),
      );
    } else {
      sortedBandwidths(domain, mus.subarray(0, m), sigmas, options, cache?.sorted[p], slot);
    }
    if (prior) {
      mus[m] = 0.5 * (domain.low + domain.high);
      sigmas[m] = range;
    }
    const constant = new Float64Array(size);
    for (let k = 0; k < size; k++) {
      const sigma = sigmas[k] as number;
      const cached = entries[k];
      if (cached?.sigmas[p] === sigma) constant[k] = cached.constants[p] as number;
      else {
        constant[k] = kernelConstant(domain, mus[k] as number, sigma, options);
        if (cached !== undefined) {
          cached.sigmas[p] = sigma;
          cached.constants[p] = constant[k] as number;
        }
      }
    }
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
  const logWeights = weights.map(Math.log);
  candidates.forEach((x, i) => {
    acc.set(logWeights);
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
        kernelTerm(domain, mix.mus[k] as number, mix.sigmas[k] as number, t, !exact);
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
export function sampleJointly(space: SearchSpace, step: TpeStep, cache?: JointCache): Params {
  const { below: lower, above: upper, names, specs } = jointMixtures(space, step, cache);
  const candidates = Array.from({ length: step.candidates }, () => drawCandidate(lower, step.rng));
  const logL = jointLogPdf(lower, candidates);
  const logG = jointLogPdf(upper, candidates);
  for (let i = 0; i < logL.length; i++) logL[i] = (logL[i] as number) - (logG[i] as number);
  const chosen = candidates[argmax(logL)] as Float64Array;
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
  cache?: JointCache,
): { below: Joint; above: Joint; names: string[]; specs: ParamSpec[] } {
  const names = Object.keys(space);
  const specs = names.map((n) => space[n] as ParamSpec);
  if (cache !== undefined) {
    const key = JSON.stringify(space);
    if (cache.space !== key) Object.assign(cache, { ...jointCache(), space: key });
  }
  const rowOf = (trial: Parameters<typeof internalValue>[0]): Float64Array | undefined => {
    const row = new Float64Array(names.length);
    for (let p = 0; p < names.length; p++) {
      const v = internalValue(trial, names[p] as string, specs[p] as ParamSpec);
      if (v === undefined) return undefined;
      row[p] = v;
    }
    return row;
  };
  const belowSet = new Set(step.below);
  const below: JointRow[] = [];
  const above: JointRow[] = [];
  for (const o of step.store.observed) {
    let row = cache?.rows.get(o.number);
    if (row === undefined) {
      row = rowOf(o.trial) ?? null;
      if (cache !== undefined) {
        cache.rows.set(o.number, row);
        const fresh = () => new Float64Array(names.length).fill(Number.NaN);
        if (row !== null) {
          cache.kernels.set(o.number, { sigmas: fresh(), constants: fresh() });
          specs.forEach((spec, p) => {
            if (spec.type === 'categorical') return;
            cache.sorted[p] ??= new SortedObservations();
            cache.sorted[p].insert(toKernel(kernelDomain(spec), row?.[p] as number), o.number);
          });
        }
      }
    }
    if (row !== null) (belowSet.has(o.number) ? below : above).push({ number: o.number, row });
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
  const lower = jointMixture(names, specs, below, belowWeights, step.kernel, cache);
  const upper = jointMixture(
    names,
    specs,
    above,
    observationWeights(step.weights, above.length),
    step.kernel,
    cache,
  );
  return { below: lower, above: upper, names, specs };
}
