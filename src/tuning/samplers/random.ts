/**
 * Random search: every parameter drawn independently and uniformly from its range.
 *
 * @module
 */
import { z } from 'zod';
import { parseOptions } from '../../core/options.js';
import { type ParamSpec, type ParamValue, sampleParam } from '../space.js';
import { type FrozenTrial, type Sampler, trialRandom } from '../types.js';

/** Options of {@link randomSampler}. */
export interface RandomSamplerOptions {
  /**
   * The seed, a non-negative safe integer. A trial's values depend only on the seed, the trial's number and the
   * parameter's name, so a study is reproducible whatever the concurrency.
   * @defaultValue 0
   */
  seed?: number;
}

/**
 * The schema of a sampler seed.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export const seedSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const optionsSchema = z.strictObject({ seed: seedSchema.default(0) }).default({ seed: 0 });

/**
 * One value for parameter `name` of `trial`, drawn as {@link randomSampler} draws it: from the trial's stream for that
 * parameter, so the value does not depend on which other parameters were drawn first.
 *
 * @internal used by the tuning module (the fallback of the other samplers); not part of the public surface.
 */
export function sampleAtRandom(seed: number, trial: FrozenTrial, name: string, spec: ParamSpec): ParamValue {
  return sampleParam(spec, trialRandom(seed, trial.number, name));
}

/**
 * A sampler that draws every parameter independently and uniformly, as Optuna 3.1's `RandomSampler`: uniform on the
 * transformed scale of the range (log-uniform on a log range; half a step past each end of a step grid, then rounded
 * half to even onto the grid) and mapped back; a categorical choice uniformly. It learns nothing from finished
 * trials: the baseline every other sampler should beat (Bergstra and Bengio 2012).
 *
 * Randomness comes from `trialRandom(seed, trial.number, name)`: a trial's values depend only on the seed,
 * its number and the parameter names, not on how trials interleave or the order the objective suggests them in.
 * Optuna draws from one generator shared by all trials instead, so its numbers differ.
 *
 * @throws MlcycleError `INVALID_ARGUMENT` when an option is invalid.
 * @example
 * ```ts
 * const tuner = new HyperparameterTuner({ direction: 'minimize', sampler: randomSampler({ seed: 7 }) });
 * await tuner.optimize((trial) => (trial.suggestFloat('x', -5, 5) - 1) ** 2, { nTrials: 50 });
 * ```
 */
export function randomSampler(options: RandomSamplerOptions = {}): Sampler {
  const { seed } = parseOptions(optionsSchema, options, 'randomSampler options');
  return {
    name: 'random',
    sampleIndependent: ({ trial }, name, spec) => sampleAtRandom(seed, trial, name, spec),
  };
}
