/**
 * Quasi-random search: the parameters of each trial are the next point of a scrambled Sobol' sequence.
 *
 * @module
 */
import { z } from 'zod';
import { parseOptions } from '../../core/options.js';
import { SOBOL_MAX_DIMENSIONS, Sobol } from '../sobol.js';
import { fromTransformed, type Params, type SearchSpace, transformedBounds } from '../space.js';
import type { FrozenTrial, Sampler, SamplerStudy } from '../types.js';
import { sampleAtRandom, seedSchema } from './random.js';

/** Options of {@link sobolSampler}. */
export interface SobolSamplerOptions {
  /** The seed of the scrambling and of the random fallback, a non-negative safe integer. @defaultValue 0 */
  seed?: number;
  /**
   * Whether to scramble the sequence (a seeded linear matrix scramble plus a digital shift). Optuna's `QMCSampler`
   * defaults to `false`; unscrambled, trial 1 puts every parameter at its lower bound.
   * @defaultValue true
   */
  scramble?: boolean;
  /**
   * What to do when a parameter outside the sequence's search space is drawn at random: `true` emits a Node warning
   * (`process.emitWarning`), a function receives the message instead, `false` stays silent. Each parameter name is
   * reported once per study.
   * @defaultValue true
   */
  warnIndependentSampling?: boolean | ((message: string) => void);
}

const optionsSchema = z
  .strictObject({
    seed: seedSchema.default(0),
    scramble: z.boolean().default(true),
    warnIndependentSampling: z
      .union([z.boolean(), z.custom<(message: string) => void>((v) => typeof v === 'function')], {
        error: 'expected a boolean or a function',
      })
      .default(true),
  })
  .default({ seed: 0, scramble: true, warnIndependentSampling: true });

/**
 * Where a study's sequence starts: the trial whose distributions fixed the search space, and that space (its
 * parameters in name order, at most `SOBOL_MAX_DIMENSIONS`).
 */
interface Start {
  first: number;
  space: SearchSpace;
}

/** The first trial, by number, that completed or was pruned: Optuna's `QMCSampler` takes its search space from it. */
function startOf(trials: readonly FrozenTrial[]): Start | undefined {
  const first = trials.find((t) => t.state === 'COMPLETE' || t.state === 'PRUNED');
  if (first === undefined) return undefined;
  const space: SearchSpace = {};
  for (const name of Object.keys(first.distributions).sort().slice(0, SOBOL_MAX_DIMENSIONS)) {
    space[name] = first.distributions[name] as SearchSpace[string];
  }
  return { first: first.number, space };
}

/**
 * A quasi-random sampler, Optuna 3.1's `QMCSampler` with `qmc_type='sobol'`, on a scrambled Sobol' sequence
 * (scipy's construction, Joe and Kuo direction numbers). Low-discrepancy points cover the space more evenly than
 * random ones, which helps most with few trials (Bergstra and Bengio 2012); take a power of two of them for the
 * best balance.
 *
 * As in Optuna, the search space is unknown until a trial has run: trials are sampled at random (as
 * `randomSampler`) until one completes or is pruned. The parameters of the lowest-numbered trial that has completed
 * or been pruned when the space is first needed, trial `f`, then fix the sequence's search space for the rest of
 * the study. Trial `n > f` takes the point at index `n − f − 1` of the sequence: points are taken in trial-number
 * order, a study run one trial at a time takes the indices Optuna's counter of draws gives (so, unscrambled, the
 * same points as Optuna), and with concurrency a trial's point does not depend on how the trials interleave (once `f` is known).
 * Each coordinate is mapped onto the parameter's transformed range (log scale, half a step past each end of a grid,
 * as Optuna's `_SearchSpaceTransform`) and back onto the grid. Unlike Optuna, which samples categorical parameters
 * at random, a categorical parameter takes choice `⌊u·k⌋` of its `k` choices, so the choices are stratified too.
 * Parameters outside the space, or beyond the first 40 names in sorted order (the dimensions the direction table
 * holds), are sampled at random (see `warnIndependentSampling`).
 *
 * @throws MlcycleError `INVALID_ARGUMENT` when an option is invalid.
 * @example
 * ```ts
 * const tuner = new HyperparameterTuner({ direction: 'minimize', sampler: sobolSampler({ seed: 3 }) });
 * await tuner.optimize((trial) => branin(trial.suggestFloat('x', -5, 10), trial.suggestFloat('y', 0, 15)), {
 *   nTrials: 64,
 * });
 * ```
 */
export function sobolSampler(options: SobolSamplerOptions = {}): Sampler {
  const { seed, scramble, warnIndependentSampling } = parseOptions(
    optionsSchema,
    options,
    'sobolSampler options',
  );
  const starts = new Map<string, Start>(); // by study name: fixed once found, as Optuna's `_initial_search_space`
  const warned = new Map<string, Set<string>>();

  const startIn = (study: SamplerStudy): Start | undefined => {
    let start = starts.get(study.studyName);
    if (start === undefined) {
      start = startOf(study.trials());
      if (start !== undefined) starts.set(study.studyName, start);
    }
    return start;
  };

  const warn = (study: SamplerStudy, trial: FrozenTrial, name: string): void => {
    if (warnIndependentSampling === false) return;
    let names = warned.get(study.studyName);
    if (names === undefined) {
      names = new Set();
      warned.set(study.studyName, names);
    }
    if (names.has(name)) return;
    names.add(name);
    const message =
      `sobolSampler: parameter "${name}" of trial ${trial.number} is sampled at random, not from the Sobol' ` +
      `sequence, because it is not in the search space fixed by trial ${starts.get(study.studyName)?.first} ` +
      `(or beyond its first ${SOBOL_MAX_DIMENSIONS} parameters); pass warnIndependentSampling: false if intended`;
    if (warnIndependentSampling === true) process.emitWarning(message, 'MlcycleWarning');
    else warnIndependentSampling(message);
  };

  return {
    name: 'sobol',
    inferRelativeSearchSpace(study) {
      return startIn(study)?.space ?? {};
    },
    sampleRelative({ study, trial }, space) {
      const start = startIn(study);
      const names = Object.keys(space);
      const index = trial.number - (start?.first ?? trial.number) - 1;
      if (names.length === 0 || index < 0) return {};
      const engine = new Sobol(names.length, { scramble, seed });
      engine.skip(index);
      const point = engine.next();
      const params: Params = {};
      names.forEach((name, j) => {
        const spec = space[name] as SearchSpace[string];
        const u = point[j] as number;
        if (spec.type === 'categorical') {
          params[name] =
            spec.choices[Math.min(Math.floor(u * spec.choices.length), spec.choices.length - 1)] ?? null;
        } else {
          const [lo, hi] = transformedBounds(spec);
          params[name] = fromTransformed(lo + u * (hi - lo), spec);
        }
      });
      return params;
    },
    sampleIndependent({ study, trial }, name, spec) {
      if (startIn(study) !== undefined) warn(study, trial, name);
      return sampleAtRandom(seed, trial, name, spec);
    },
  };
}
