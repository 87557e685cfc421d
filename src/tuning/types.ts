/**
 * The shapes a study, its trials and its samplers share: a finished or running trial as plain data, the study as a
 * sampler sees it, and the sampler contract.
 *
 * @module
 */
import { crc32 } from '../core/hash.js';
import { Random } from '../core/random.js';
import type { JsonValue } from '../storage/types.js';
import type { TrialState } from './pruners.js';
import { type ParamSpec, type Params, type ParamValue, type SearchSpace, sameSpec } from './space.js';

/** Whether an objective is minimised or maximised. */
export type StudyDirection = 'minimize' | 'maximize';

/**
 * A trial as plain, JSON-serialisable data (Optuna's `FrozenTrial`): what was suggested, reported and returned. The
 * study hands out snapshots; a trial's record does not change once it is finished.
 */
export interface FrozenTrial {
  /** The trial's number in its study: 0, 1, 2, … in the order the trials were created. */
  number: number;
  /** `RUNNING` while its objective runs, `WAITING` when enqueued, then `COMPLETE`, `PRUNED` or `FAIL`. */
  state: TrialState;
  /** The suggested (or enqueued and accepted) values, by parameter name, in suggestion order. */
  params: Params;
  /** The distribution each parameter was suggested from. */
  distributions: SearchSpace;
  /** The objective value of a `COMPLETE` single-objective trial (the first value of a multi-objective one). */
  value?: number;
  /** The objective values of a `COMPLETE` trial, one per direction. */
  values?: number[];
  /** The values reported with `trial.report(value, step)`, by step. */
  intermediateValues: Record<number, number>;
  /** The constraint values of a finished trial (feasible when all are <= 0), when the study has constraints. */
  constraints?: number[];
  /** Values the objective attached with `trial.setUserAttr`. */
  userAttrs: Record<string, JsonValue>;
  /** Values the study and its sampler and pruner keep about the trial (rung values, fixed parameters, …). */
  systemAttrs: Record<string, JsonValue>;
  /** When the objective started, in epoch milliseconds. */
  startedAt?: number;
  /** When the trial finished, in epoch milliseconds. */
  completedAt?: number;
  /** `completedAt − startedAt` of a finished trial. */
  durationMs?: number;
}

/** The study as a sampler sees it. */
export interface SamplerStudy {
  /** The study's name. */
  readonly studyName: string;
  /** One direction per objective. */
  readonly directions: readonly StudyDirection[];
  /**
   * Every trial of the study in number order, in any state, the calling trial included. The array and its records
   * are the study's own: read them, do not change them. A finished trial's record never changes, so a sampler may
   * cache what it derives from it by trial number.
   */
  trials(): readonly FrozenTrial[];
  /** Asks the study to start no more trials (the grid sampler calls it once every grid point has been taken). */
  stop(): void;
}

/** What a sampler is given when it samples for one trial. */
export interface SampleContext {
  /** The study. */
  study: SamplerStudy;
  /** The trial being sampled, `RUNNING`, with the parameters suggested so far. */
  trial: FrozenTrial;
}

/**
 * How parameter values are chosen (Optuna's `BaseSampler`). A sampler may choose some parameters jointly before
 * the objective runs (`inferRelativeSearchSpace` and `sampleRelative`), and chooses any other parameter when the
 * objective first suggests it (`sampleIndependent`). Draw randomness from {@link trialRandom} with the sampler's
 * seed and the trial's number, so that results do not depend on how trials interleave.
 */
export interface Sampler {
  /** A short name for logs and exports (`'tpe'`, `'random'`, …). */
  readonly name: string;
  /** The parameters to sample jointly for `trial`; an empty space (or no method) means none. */
  inferRelativeSearchSpace?(study: SamplerStudy, trial: FrozenTrial): SearchSpace;
  /** Values for (some of) the parameters of `space`, chosen jointly; parameters left out are sampled independently. */
  sampleRelative?(context: SampleContext, space: SearchSpace): Params;
  /** A value for parameter `name` of distribution `spec`, suggested by the objective and not chosen jointly. */
  sampleIndependent(context: SampleContext, name: string, spec: ParamSpec): ParamValue;
  /** Called when a trial starts, before anything is sampled for it. */
  beforeTrial?(study: SamplerStudy, trial: FrozenTrial): void;
  /**
   * System attributes to store with a trial when it starts, after {@link Sampler.beforeTrial} (e.g. Optuna's
   * `grid_id` or NSGA-II generation, so that an exported study resumes in Optuna).
   */
  systemAttrsFor?(study: SamplerStudy, trial: FrozenTrial): Record<string, JsonValue>;
  /** Called when a trial has finished, with its final record (state, values, constraints set). */
  afterTrial?(study: SamplerStudy, trial: FrozenTrial): void;
}

/**
 * The random stream of one trial of a seeded sampler: derived from the seed, the trial number and (optionally) a
 * parameter name, so that a trial's draws do not depend on which other trials ran first or in which order the
 * objective suggests its parameters.
 *
 * @param seed - the sampler's seed, a non-negative safe integer.
 * @param trialNumber - the trial's number.
 * @param stream - a name for an independent stream within the trial (a parameter name, `'relative'`, …).
 */
export function trialRandom(seed: number, trialNumber: number, stream = ''): Random {
  const perTrial = new Random(seed).fork(trialNumber);
  if (stream === '') return perTrial;
  // Random.fork depends only on the seed, so mix the trial's first word with the stream's checksum into a new seed.
  const word = perTrial.uint32();
  const tag = crc32(new TextEncoder().encode(stream));
  return new Random(((word & 0x1fffff) * 0x100000000 + tag) % Number.MAX_SAFE_INTEGER);
}

/** Whether a trial has finished (`COMPLETE`, `PRUNED` or `FAIL`). */
export function isFinished(trial: Pick<FrozenTrial, 'state'>): boolean {
  return trial.state === 'COMPLETE' || trial.state === 'PRUNED' || trial.state === 'FAIL';
}

/** Whether a finished trial satisfies its constraints (all values <= 0); trials without constraints are feasible. */
export function isFeasible(trial: Pick<FrozenTrial, 'constraints'>): boolean {
  return trial.constraints === undefined || trial.constraints.every((c) => c <= 0);
}

/**
 * A trial's objective values: `values`, or its single `value`, or none.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function objectiveValues(trial: FrozenTrial): readonly number[] {
  return trial.values ?? (trial.value === undefined ? [] : [trial.value]);
}

/**
 * The parameters every finished trial of the given states has, each with one same distribution throughout (Optuna's
 * `IntersectionSearchSpace`), in name order. Multivariate samplers sample this space jointly; it is empty before the
 * first such trial.
 *
 * @param trials - the study's trials; only those whose state is in `states` count.
 * @param states - the states that count. @defaultValue `['COMPLETE']`
 */
export function intersectionSearchSpace(
  trials: readonly FrozenTrial[],
  states: readonly TrialState[] = ['COMPLETE'],
): SearchSpace {
  const intersection = new SpaceIntersection();
  for (const trial of trials) if (states.includes(trial.state)) intersection.add(trial);
  return intersection.space();
}

/**
 * {@link intersectionSearchSpace} kept incrementally: each trial is added once, as it finishes.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export class SpaceIntersection {
  #space: Map<string, ParamSpec> | undefined;

  /** Narrows the space to the parameters `trial` has with the same distribution. */
  add(trial: FrozenTrial): void {
    if (this.#space === undefined) {
      this.#space = new Map(Object.entries(trial.distributions));
      return;
    }
    for (const [name, spec] of this.#space) {
      const other = trial.distributions[name];
      if (other === undefined || !sameSpec(spec, other)) this.#space.delete(name);
    }
  }

  /** An independent copy, to narrow further without touching this one. */
  clone(): SpaceIntersection {
    const copy = new SpaceIntersection();
    if (this.#space !== undefined) copy.#space = new Map(this.#space);
    return copy;
  }

  /** The space, in name order (empty before the first trial). */
  space(): SearchSpace {
    const out: SearchSpace = {};
    for (const name of [...(this.#space?.keys() ?? [])].sort())
      out[name] = this.#space?.get(name) as ParamSpec;
    return out;
  }
}
