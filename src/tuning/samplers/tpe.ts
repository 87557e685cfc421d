/**
 * The Tree-structured Parzen Estimator sampler (Bergstra et al., "Algorithms for Hyper-Parameter Optimization",
 * NeurIPS 2011) with Optuna 3.1's algorithm (`optuna.samplers.TPESampler`): independent or multivariate,
 * the constant liar for parallel trials, multi-objective TPE and constraints.
 *
 * Two defaults differ from Optuna 3.1's, chosen on the tuning benchmark (seven test functions, 100 trials, median
 * best value over seeds 0–29 against Optuna's TPE in the same run) and in line with Watanabe's ablation study ("Tree-
 * Structured Parzen Estimator: Understanding Its Algorithm Components and Their Roles for Better Empirical
 * Performance", 2023) and with Optuna's own move to multivariate TPE by default:
 *
 * - parameters every finished trial shares are sampled jointly (`multivariate: true`), each joint kernel taking the
 *   univariate bandwidth of its observation (`multivariateBandwidth: 'neighbours'`) rather than Optuna 3.1's
 *   Scott's rule;
 * - candidates are scored with true densities (`optuna31Density: false`): each continuous kernel's −ln σ, which
 *   Optuna 3.1 leaves out and later versions put back, is kept, as kernels of different widths must be.
 *
 * Over seeds 0–29 these defaults are at least as good as Optuna 3.1's TPE on six of the seven functions (Branin
 * level) and clearly better on Hartmann6, Rosenbrock-4D, Ackley-5D and Levy-5D, while our TPE at Optuna 3.1's
 * settings agrees with Optuna's within the seed-to-seed spread. With `{ multivariate: false, optuna31Density: true }`
 * the sampler is Optuna 3.1's: its draws match Optuna's in distribution (two-sample KS tests against Optuna's draws).
 *
 * @module
 */
import { z } from 'zod';
import { formatNumber } from '../../core/checks.js';
import { MlcycleError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';
import { defaultGamma } from '../parzen.js';
import {
  isSingleValued,
  type ParamSpec,
  type Params,
  type ParamValue,
  type SearchSpace,
  sampleParam,
} from '../space.js';
import {
  type FrozenTrial,
  type SampleContext,
  type Sampler,
  type SamplerStudy,
  SpaceIntersection,
  trialRandom,
} from '../types.js';
import { type KernelOptions, rampWeights } from './tpe-kernels.js';
import { hypervolumeWeights } from './tpe-multi-objective.js';
import { type JointCache, jointCache, sampleJointly } from './tpe-multivariate.js';
import { ObservationStore } from './tpe-observations.js';
import { type TpeStep, UnivariateColumn } from './tpe-univariate.js';

/**
 * Options of {@link tpeSampler}; the defaults are Optuna 3.1's `TPESampler` defaults except `multivariate` and
 * `optuna31Density` (see the module's notes).
 */
export interface TpeSamplerOptions {
  /** Seed of every random draw (a non-negative safe integer); each trial draws from its own stream. @defaultValue 0 */
  seed?: number;
  /**
   * Sample at random until this many trials have finished (complete, or pruned in a single-objective study, as
   * Optuna counts them). @defaultValue 10
   */
  nStartupTrials?: number;
  /** How many candidates to draw from the good trials' estimator l(x) before keeping the best l(x)/g(x). @defaultValue 24 */
  nEiCandidates?: number;
  /**
   * How many of `n` finished trials form the good group: an integer in [0, n].
   * @defaultValue Optuna's `default_gamma`, `n => min(ceil(0.1·n), 25)`
   */
  gamma?: (n: number) => number;
  /**
   * The weights of `n` observations in trial order (oldest first), finite, >= 0 and not all zero. In a
   * multi-objective study it weights only the other trials, as in Optuna.
   * @defaultValue Optuna's `default_weights`: 1 below 25 observations, else a ramp from 1/n for the oldest with the
   * newest 25 at 1
   */
  weights?: (n: number) => ArrayLike<number>;
  /** Weight of the prior kernel (and the categorical smoothing), > 0. @defaultValue 1 */
  priorWeight?: number;
  /** Add a prior kernel spanning the whole range to each estimator. @defaultValue true */
  considerPrior?: boolean;
  /** Floor each bandwidth at range/min(100, 1 + kernels) (Optuna's magic clip). @defaultValue true */
  considerMagicClip?: boolean;
  /** Let the outermost kernels take their distance to the range's ends as bandwidth. @defaultValue false */
  considerEndpoints?: boolean;
  /**
   * Sample the parameters every finished trial shares jointly, with one multivariate kernel per trial (Optuna's
   * `multivariate=True`); others (conditional ones) are still sampled one by one. `false` samples every parameter
   * on its own, as Optuna 3.1 does by default. @defaultValue true
   */
  multivariate?: boolean;
  /**
   * The bandwidths of the joint kernels: `'neighbours'` gives each parameter of each kernel the univariate bandwidth
   * of its observation (the larger gap to its sorted neighbours, magic clip included); `'scott'` gives every kernel
   * Optuna 3.1's 0.2·n^(−1/(d+4)) of each range (n observations, d parameters). Only with `multivariate`.
   * @defaultValue 'neighbours'
   */
  multivariateBandwidth?: 'neighbours' | 'scott';
  /**
   * Count running trials as the worst observations, so that parallel trials spread out (Optuna's
   * `constant_liar`; single-objective studies only, as in Optuna). @defaultValue false
   */
  constantLiar?: boolean;
  /**
   * Score candidates as Optuna 3.1 does: each continuous kernel's log density leaves out its −ln σ term (a bug
   * later Optuna versions fixed). `false` scores with true densities, which kernels of different widths need.
   * @defaultValue false
   */
  optuna31Density?: boolean;
}

const schema = z.strictObject({
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  nStartupTrials: z.number().int().min(0).default(10),
  nEiCandidates: z.number().int().min(1).default(24),
  gamma: z.custom<(n: number) => number>((v) => typeof v === 'function', 'expected a function').optional(),
  weights: z
    .custom<(n: number) => ArrayLike<number>>((v) => typeof v === 'function', 'expected a function')
    .optional(),
  priorWeight: z.number().positive().finite().default(1),
  considerPrior: z.boolean().default(true),
  considerMagicClip: z.boolean().default(true),
  considerEndpoints: z.boolean().default(false),
  multivariate: z.boolean().default(true),
  multivariateBandwidth: z.enum(['neighbours', 'scott']).default('neighbours'),
  constantLiar: z.boolean().default(false),
  optuna31Density: z.boolean().default(false),
});

/** What the sampler keeps about one study. */
interface StudyState {
  store: ObservationStore;
  columns: Map<string, UnivariateColumn>;
  /** Finished trials already added to `intersection`. */
  seen: Set<number>;
  /** The parameters every finished trial shares. */
  intersection: SpaceIntersection;
  /** What joint sampling keeps between trials. */
  joint: JointCache;
  belowWeights: { below: readonly number[]; weights: Map<number, number> } | undefined;
}

/**
 * The TPE sampler, with Optuna 3.1's `TPESampler` algorithm: after `nStartupTrials` random trials, the parameters
 * every finished trial shares are drawn jointly (each other one on its own) from a Parzen estimator l(x) of the
 * best `gamma(n)` trials, keeping of `nEiCandidates` draws the one that maximises l(x)/g(x), where g(x) models the
 * other trials. Maximised objectives are negated; pruned trials rank after complete ones by their last reported
 * value and step; with constraints, feasible trials rank first and infeasible ones by total violation; with several
 * objectives the good group is chosen by nondomination rank and hypervolume (MOTPE) and weighted by hypervolume
 * contribution.
 *
 * The sampler keeps, per study, its trials sorted per parameter as they finish (for joint sampling also each
 * trial's values and kernel constants), so each trial costs a few linear passes over the history instead of
 * Optuna's sorts and per-trial rebuilds. Every draw comes from `trialRandom(seed, trial.number, stream)` with the
 * parameter's name as stream (`'relative'` for joint sampling), so a trial's values depend only on the seed, its
 * number and the trials finished before it.
 *
 * Differences from Optuna 3.1, besides the defaults `multivariate` and `optuna31Density` (see the module's notes;
 * `{ multivariate: false, optuna31Density: true }` is Optuna 3.1's `TPESampler()`): tied values of a numeric
 * parameter get their bandwidths in trial order (numpy's sort leaves that order unspecified); in a multivariate
 * space, a running trial (constant liar) that lacks one of the parameters is left out (Optuna 3.1 checks only the
 * first). Optuna's `group` decomposition and `warn_independent_sampling` are not offered.
 *
 * @param options - see {@link TpeSamplerOptions}.
 * @example
 * ```ts
 * const tuner = new HyperparameterTuner({ direction: 'minimize', sampler: tpeSampler({ seed: 42, constantLiar: true }) });
 * await tuner.optimize((trial) => (trial.suggestFloat('x', -5, 5) - 2) ** 2, { nTrials: 100 });
 * ```
 */
export function tpeSampler(options?: TpeSamplerOptions): Sampler {
  const o = parseOptions(schema, options ?? {}, 'tpeSampler options');
  const gamma = o.gamma ?? defaultGamma;
  const weights = o.weights ?? rampWeights;
  const kernel: KernelOptions = {
    considerPrior: o.considerPrior,
    priorWeight: o.priorWeight,
    considerMagicClip: o.considerMagicClip,
    considerEndpoints: o.considerEndpoints,
    bandwidthTerm: !o.optuna31Density,
    multivariateBandwidth: o.multivariateBandwidth,
  };
  const states = new WeakMap<SamplerStudy, StudyState>();

  const stateOf = (study: SamplerStudy): StudyState => {
    let state = states.get(study);
    if (state === undefined) {
      const store = new ObservationStore(study.directions);
      state = {
        store,
        columns: new Map(),
        seen: new Set(),
        intersection: new SpaceIntersection(),
        joint: jointCache(),
        belowWeights: undefined,
      };
      states.set(study, state);
    }
    state.store.update(study.trials(), o.constantLiar);
    return state;
  };

  /** The split and the rest of a TPE step, or undefined while still in the random startup. */
  const stepFor = (state: StudyState, trial: FrozenTrial, stream: string): TpeStep | undefined => {
    const { store } = state;
    const n = store.count;
    if (n < o.nStartupTrials || n === 0) return undefined;
    const nBelow = gamma(n);
    if (!Number.isSafeInteger(nBelow) || nBelow < 0) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `TPE gamma(${n}) must return an integer >= 0, received ${formatNumber(nBelow)}`,
      );
    }
    const below = store.below(Math.min(nBelow, n));
    let belowWeights: Map<number, number> | undefined;
    if (store.multiObjective) {
      if (state.belowWeights?.below !== below) {
        const members = store.observed.filter((ob) => below.includes(ob.number));
        const w = hypervolumeWeights(members, store.constrained);
        state.belowWeights = { below, weights: new Map(members.map((m, i) => [m.number, w[i] as number])) };
      }
      belowWeights = state.belowWeights.weights;
    }
    const rng = trialRandom(o.seed, trial.number, stream);
    return { store, below, belowWeights, weights, kernel, candidates: o.nEiCandidates, rng };
  };

  return {
    name: 'tpe',

    inferRelativeSearchSpace(study: SamplerStudy): SearchSpace {
      if (!o.multivariate) return {};
      const state = stateOf(study);
      for (const t of study.trials()) {
        if ((t.state !== 'COMPLETE' && t.state !== 'PRUNED') || state.seen.has(t.number)) continue;
        state.seen.add(t.number);
        state.intersection.add(t);
      }
      const space: SearchSpace = {};
      for (const [name, spec] of Object.entries(state.intersection.space())) {
        if (!isSingleValued(spec)) space[name] = spec;
      }
      return space;
    },

    sampleRelative(context: SampleContext, space: SearchSpace): Params {
      if (Object.keys(space).length === 0) return {};
      const state = stateOf(context.study);
      const step = stepFor(state, context.trial, 'relative');
      return step === undefined ? {} : sampleJointly(space, step, state.joint);
    },

    sampleIndependent(context: SampleContext, name: string, spec: ParamSpec): ParamValue {
      if (isSingleValued(spec))
        return spec.type === 'categorical' ? (spec.choices[0] as ParamValue) : spec.low;
      const state = stateOf(context.study);
      const step = stepFor(state, context.trial, name);
      if (step === undefined) {
        return sampleParam(spec, trialRandom(o.seed, context.trial.number, name));
      }
      const key = `${name}\u0000${JSON.stringify(spec)}`;
      let column = state.columns.get(key);
      if (column === undefined) {
        column = new UnivariateColumn(name, spec);
        state.columns.set(key, column);
      }
      return column.sample(step);
    },
  };
}
