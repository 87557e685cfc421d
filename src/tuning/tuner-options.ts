import { z } from 'zod';
import { type Clock, clockSchema, systemClock } from '../core/clock.js';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import type { Storage } from '../storage/types.js';
import { medianPruner, type Pruner } from './pruners.js';
import { hyperbandPruner, successiveHalvingPruner } from './pruners-halving.js';
import { wilcoxonPruner } from './pruners-wilcoxon.js';
import { gridSampler } from './samplers/grid.js';
import { nsga2Sampler } from './samplers/nsga2.js';
import { randomSampler } from './samplers/random.js';
import { sobolSampler } from './samplers/sobol.js';
import { tpeSampler } from './samplers/tpe.js';
import { checkSearchSpace, type SearchSpace } from './space.js';
import type { FrozenTrial, Sampler, StudyDirection } from './types.js';

/** A sampler the tuner builds itself, with its `seed`. */
export type SamplerName = 'tpe' | 'random' | 'grid' | 'sobol' | 'nsga2';

/** A pruner the tuner builds itself with its defaults; `'none'` never prunes. */
export type PrunerName = 'median' | 'successiveHalving' | 'hyperband' | 'wilcoxon' | 'none';

/** Options of {@link HyperparameterTuner}. */
export interface HyperparameterTunerOptions<S extends SearchSpace = SearchSpace> {
  /** Whether the (single) objective is minimised or maximised. @defaultValue 'minimize' */
  direction?: StudyDirection;
  /** One direction per objective, for a multi-objective study (instead of `direction`). */
  directions?: readonly StudyDirection[];
  /**
   * How parameters are chosen: a name, built with `seed` and defaults, or a sampler from `tpeSampler`,
   * `randomSampler`, `gridSampler`, `sobolSampler`, `nsga2Sampler` or your own. `'grid'` needs `searchSpace`.
   * @defaultValue 'tpe' (multi-objective TPE for several directions)
   */
  sampler?: SamplerName | Sampler;
  /** When to stop unpromising trials early: a name or a pruner object (`medianPruner()`, …). @defaultValue 'median' */
  pruner?: PrunerName | Pruner;
  /** The seed of a sampler given by name. @defaultValue 0 */
  seed?: number;
  /**
   * A declarative search space: every parameter is suggested before the objective runs, `trial.params` and
   * `bestParams` are typed from it, and `sampler: 'grid'` walks it.
   */
  searchSpace?: S;
  /** Where the study lives; without it the study is kept in memory by this tuner only. */
  storage?: Storage;
  /** The study's name in `storage`. @defaultValue 'study' */
  studyName?: string;
  /** Continue a study of the same name found in `storage`, rather than failing. @defaultValue true */
  loadIfExists?: boolean;
  /**
   * Constraint values of a finished trial (called after `COMPLETE` and `PRUNED` trials); the trial is feasible when
   * all are <= 0. Samplers prefer feasible trials and `bestTrial` is the best feasible one.
   */
  constraints?: (trial: FrozenTrial) => readonly number[];
  /**
   * How often a running trial of a stored study writes a heartbeat; 0 turns heartbeats off.
   * @defaultValue 10000
   */
  heartbeatIntervalMs?: number;
  /**
   * A running trial of another process whose last heartbeat is older than this is taken as dead and marked `FAIL`.
   * @defaultValue twice `heartbeatIntervalMs`
   */
  gracePeriodMs?: number;
  /** How many times a trial failed by a missed heartbeat is enqueued again with the same parameters. @defaultValue 0 */
  retryFailedTrials?: number;
  /** The time source, for tests. @defaultValue the system clock */
  clock?: Clock;
}

const direction = z.enum(['minimize', 'maximize']);
const plainObject = z.custom<object>((v) => typeof v === 'object' && v !== null, 'expected an object');

const schema = z
  .strictObject({
    direction: direction.optional(),
    directions: z.array(direction).min(1).optional(),
    sampler: z.union([z.enum(['tpe', 'random', 'grid', 'sobol', 'nsga2']), plainObject]).default('tpe'),
    pruner: z
      .union([z.enum(['median', 'successiveHalving', 'hyperband', 'wilcoxon', 'none']), plainObject])
      .default('median'),
    seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).default(0),
    searchSpace: plainObject.optional(),
    storage: plainObject.optional(),
    studyName: z.string().min(1).max(512).optional(),
    loadIfExists: z.boolean().default(true),
    constraints: z
      .custom<(trial: FrozenTrial) => readonly number[]>((v) => typeof v === 'function')
      .optional(),
    heartbeatIntervalMs: z.number().int().nonnegative().default(10_000),
    gracePeriodMs: z.number().int().positive().optional(),
    retryFailedTrials: z.number().int().nonnegative().default(0),
    clock: clockSchema.default(systemClock),
  })
  .refine((o) => o.direction === undefined || o.directions === undefined, {
    message: 'give either direction or directions, not both',
  });

/** The tuner's options, checked, with defaults and the sampler and pruner built. */
export interface ResolvedTunerOptions {
  directions: StudyDirection[];
  sampler: Sampler;
  pruner: Pruner | undefined;
  searchSpace: SearchSpace | undefined;
  storage: Storage | undefined;
  studyName: string;
  loadIfExists: boolean;
  constraints: ((trial: FrozenTrial) => readonly number[]) | undefined;
  heartbeatIntervalMs: number;
  gracePeriodMs: number;
  retryFailedTrials: number;
  clock: Clock;
}

/** Checks the options of a {@link HyperparameterTuner} and builds its sampler and pruner. */
export function resolveTunerOptions(options: HyperparameterTunerOptions): ResolvedTunerOptions {
  const o = parseOptions(schema, options, 'HyperparameterTuner options');
  const directions = o.directions ?? [o.direction ?? 'minimize'];
  const searchSpace = o.searchSpace as SearchSpace | undefined;
  if (searchSpace !== undefined) checkSearchSpace(searchSpace);
  return {
    directions,
    sampler:
      typeof o.sampler === 'string' ? namedSampler(o.sampler, o.seed, searchSpace) : (o.sampler as Sampler),
    pruner: typeof o.pruner === 'string' ? namedPruner(o.pruner) : (o.pruner as Pruner),
    searchSpace,
    storage: o.storage as Storage | undefined,
    studyName: o.studyName ?? 'study',
    loadIfExists: o.loadIfExists,
    constraints: o.constraints,
    heartbeatIntervalMs: o.heartbeatIntervalMs,
    gracePeriodMs: o.gracePeriodMs ?? 2 * o.heartbeatIntervalMs,
    retryFailedTrials: o.retryFailedTrials,
    clock: o.clock,
  };
}

function namedSampler(name: SamplerName, seed: number, searchSpace: SearchSpace | undefined): Sampler {
  switch (name) {
    case 'tpe':
      return tpeSampler({ seed });
    case 'random':
      return randomSampler({ seed });
    case 'sobol':
      return sobolSampler({ seed });
    case 'nsga2':
      return nsga2Sampler({ seed });
    case 'grid':
      if (searchSpace === undefined) {
        throw new MlcycleError(
          'INVALID_ARGUMENT',
          "sampler 'grid' needs the searchSpace option (or pass gridSampler({ searchSpace }) as the sampler)",
        );
      }
      return gridSampler({ searchSpace, seed });
  }
}

function namedPruner(name: PrunerName): Pruner | undefined {
  switch (name) {
    case 'median':
      return medianPruner();
    case 'successiveHalving':
      return successiveHalvingPruner();
    case 'hyperband':
      return hyperbandPruner();
    case 'wilcoxon':
      return wilcoxonPruner();
    case 'none':
      return undefined;
  }
}
