/**
 * NSGA-II: a genetic algorithm for one or several objectives, with constraints.
 *
 * @module
 */
import { z } from 'zod';
import { MlcycleError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';
import type { JsonValue } from '../../storage/types.js';
import { crossover, type Individual, mutate, selectParents, selectSurvivors } from '../nsga2.js';
import { dominates, violation } from '../pareto.js';
import { isSingleValued, type Params, type SearchSpace } from '../space.js';
import {
  type FrozenTrial,
  isFinished,
  objectiveValues,
  type Sampler,
  type SamplerStudy,
  SpaceIntersection,
  type StudyDirection,
  trialRandom,
} from '../types.js';
import { sampleAtRandom, seedSchema } from './random.js';

/** Options of {@link nsga2Sampler}; the defaults are Optuna 3.1's. */
export interface Nsga2SamplerOptions {
  /** The seed, a non-negative safe integer. @defaultValue 0 */
  seed?: number;
  /** Individuals (completed trials) per generation, an integer >= 2. @defaultValue 50 */
  populationSize?: number;
  /** Probability, in [0, 1], that a child's parameter is drawn afresh. @defaultValue 1 / (number of parameters) */
  mutationProb?: number;
  /**
   * How two parents make a child: `uniform` takes each parameter from one parent (Syswerda 1989); `sbx` blends
   * numeric parameters by simulated binary crossover (Deb and Agrawal 1995). Categorical parameters always use
   * uniform crossover.
   * @defaultValue 'uniform'
   */
  crossover?: 'uniform' | 'sbx';
  /** Probability, in [0, 1], that a child is bred by crossover rather than copied from one parent. @defaultValue 0.9 */
  crossoverProb?: number;
  /** Uniform crossover's probability, in [0, 1], of taking a parameter from the first parent. @defaultValue 0.5 */
  swappingProb?: number;
  /** SBX's distribution index, > 0. @defaultValue 20 with several objectives, 2 with one (Optuna's `SBXCrossover`) */
  sbxEta?: number;
}

const probability = z.number().min(0).max(1);
const optionsSchema = z
  .strictObject({
    seed: seedSchema.default(0),
    populationSize: z.number().int().min(2).max(Number.MAX_SAFE_INTEGER).default(50),
    mutationProb: probability.optional(),
    crossover: z.enum(['uniform', 'sbx']).default('uniform'),
    crossoverProb: probability.default(0.9),
    swappingProb: probability.default(0.5),
    sbxEta: z.number().positive().optional(),
  })
  .default({ seed: 0, populationSize: 50, crossover: 'uniform', crossoverProb: 0.9, swappingProb: 0.5 });

/** The system attribute in which Optuna 3.1 keeps a trial's generation. */
export const GENERATION_ATTR = 'nsga2:generation';

function invalid(message: string): MlcycleError {
  return new MlcycleError('INVALID_ARGUMENT', message);
}

/**
 * A completed trial as the selection sees it: its objective values and (when the study has constraints) its
 * constraint values.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export interface Member extends Individual {
  /** The trial. */
  trial: FrozenTrial;
}

/**
 * What one study's earlier calls worked out, kept by the sampler: the generation walk and the intersection search
 * space over the leading run of finished trials (whose records never change), and the elite of each generation.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export interface Nsga2Memory {
  /** How many leading trials (by position) the walk and the space cover; all of them have finished. */
  cursor: number;
  /** Completed trials per generation among those covered. */
  completed: number[];
  /** The leading full generations among those covered. */
  full: number;
  /** The generation of each trial, by number (entries past the covered trials are recomputed on every call). */
  generations: number[];
  /** The intersection search space of the completed trials covered. */
  intersection: SpaceIntersection;
  /** The elite of each generation, keyed by the members it was selected from and the number of constraints. */
  elites: { key: string; elite: Member[] }[];
}

/** An empty {@link Nsga2Memory}. @internal used by the tuning module; not part of the public surface. */
export function nsga2Memory(): Nsga2Memory {
  return {
    cursor: 0,
    completed: [],
    full: 0,
    generations: [],
    intersection: new SpaceIntersection(),
    elites: [],
  };
}

/** Places one started trial (see {@link generationsOf}); `walk` is updated. */
function place(
  walk: Pick<Nsga2Memory, 'completed' | 'full' | 'generations'>,
  t: FrozenTrial,
  size: number,
): number {
  const stored = t.systemAttrs[GENERATION_ATTR];
  const g = typeof stored === 'number' && Number.isSafeInteger(stored) && stored >= 0 ? stored : walk.full;
  walk.generations[t.number] = g;
  if (t.state === 'COMPLETE') walk.completed[g] = (walk.completed[g] ?? 0) + 1;
  while ((walk.completed[walk.full] ?? 0) >= size) walk.full++;
  return g;
}

/** The memory to use for a call reading the trials numbered below `limit`: a fresh one if `memory` covers more. */
function usable(memory: Nsga2Memory | undefined, trials: readonly FrozenTrial[], limit: number): Nsga2Memory {
  const covered = memory?.cursor ?? 0;
  return memory !== undefined && (covered === 0 || (trials[covered - 1]?.number ?? 0) < limit)
    ? memory
    : nsga2Memory();
}

/** Moves the memory's cursor over the finished trials that follow it (numbered below `limit`). */
function advance(memory: Nsga2Memory, trials: readonly FrozenTrial[], size: number, limit: number): void {
  let i = memory.cursor;
  for (; i < trials.length; i++) {
    const t = trials[i] as FrozenTrial;
    if (t.number >= limit || !isFinished(t)) break;
    place(memory, t, size);
    if (t.state === 'COMPLETE') memory.intersection.add(t);
  }
  memory.cursor = i;
}

/**
 * The generation of every started trial with number < `limit` (by trial number; `undefined` for trials not
 * started), and the generation a trial started now joins.
 *
 * The rule, Optuna 3.1's at sampling time: a trial joins the generation after the leading run of *full* generations
 * (0, 1, … each with at least `populationSize` completed members), counting the trials before it. Optuna records the
 * result in the trial's `nsga2:generation` system attribute; a trial that has it keeps it, any other is placed by
 * re-applying the rule with the trials before it as they are now. In a study run one trial at a time every trial
 * before the new one has finished when it starts, so the two agree; with concurrency a trial placed while earlier
 * ones were running may be placed later than it was sampled (the study can store {@link Nsga2Sampler.systemAttrsFor}
 * to keep Optuna's record). `WAITING` trials have not started and belong to no generation.
 *
 * @param memory - what earlier calls on the same study worked out; updated.
 * @internal used by the tuning module; not part of the public surface.
 */
export function generationsOf(
  trials: readonly FrozenTrial[],
  populationSize: number,
  limit = Number.POSITIVE_INFINITY,
  memory?: Nsga2Memory,
): { generations: (number | undefined)[]; next: number } {
  const known = usable(memory, trials, limit);
  advance(known, trials, populationSize, limit);
  const walk = { completed: known.completed.slice(), full: known.full, generations: known.generations };
  walk.generations.length = (trials[known.cursor - 1]?.number ?? -1) + 1;
  for (let i = known.cursor; i < trials.length; i++) {
    const t = trials[i] as FrozenTrial;
    if (t.number < limit && t.state !== 'WAITING') place(walk, t, populationSize);
  }
  return { generations: walk.generations, next: walk.full };
}

/** Completed trials as members: objective values checked, constraints filled in for trials without them. */
function membersOf(
  trials: readonly FrozenTrial[],
  directions: readonly StudyDirection[],
  width: number | undefined,
): Member[] {
  return trials.map((trial) => {
    const values = objectiveValues(trial);
    if (values.length !== directions.length) {
      throw invalid(
        `nsga2Sampler: trial ${trial.number} is COMPLETE with ${values.length} objective values, but the study has ${directions.length} directions`,
      );
    }
    if (width === undefined) return { values, trial };
    const own = trial.constraints;
    if (own !== undefined && (own.length !== width || own.some(Number.isNaN))) {
      throw invalid(
        `nsga2Sampler: trial ${trial.number} has constraints [${own.join(', ')}]; every trial needs ${width} constraint values, none NaN`,
      );
    }
    // Optuna's `_constrained_dominates`: a trial without constraint values loses to every trial with them.
    return { values, trial, constraints: own ?? new Array<number>(width).fill(Number.POSITIVE_INFINITY) };
  });
}

/**
 * The parent population a trial started now is bred from, as Optuna 3.1's `NSGAIISampler._collect_parent_population`
 * computes it from the trials with number < `limit`: generation 0's elite is selected from its completed members;
 * each later full generation's elite from its completed members followed by the previous elite
 * (`_select_elite_population`: non-dominated fronts, constraint-aware, cut by crowding distance). `parents` is empty
 * while generation 0 is not full (the trial is then sampled at random).
 *
 * @param memory - what earlier calls on the same study worked out (elites are reused while a generation's members
 *   are unchanged); updated.
 * @internal used by the tuning module; not part of the public surface.
 */
export function parentPopulation(
  trials: readonly FrozenTrial[],
  directions: readonly StudyDirection[],
  populationSize: number,
  limit = Number.POSITIVE_INFINITY,
  memory: Nsga2Memory = nsga2Memory(),
): { generation: number; parents: Member[] } {
  const { generations, next } = generationsOf(trials, populationSize, limit, memory);
  const byGeneration: FrozenTrial[][] = Array.from({ length: next }, () => []);
  let width: number | undefined;
  for (const t of trials) {
    const g = generations[t.number];
    if (t.number >= limit || t.state !== 'COMPLETE' || g === undefined || g >= next) continue;
    byGeneration[g]?.push(t);
    width ??= t.constraints?.length;
  }
  let elite: Member[] = [];
  let hit = true;
  byGeneration.forEach((generation, g) => {
    const key = `${width}|${generation.map((t) => t.number).join(',')}`;
    const cached = memory.elites[g];
    hit &&= cached !== undefined && cached.key === key;
    elite = hit
      ? (cached as Nsga2Memory['elites'][number]).elite
      : selectSurvivors(elite, membersOf(generation, directions, width), directions, populationSize);
    memory.elites[g] = { key, elite };
  });
  return { generation: next, parents: elite };
}

/**
 * The intersection search space of the completed trials numbered below `limit` (see `intersectionSearchSpace`).
 *
 * @param memory - what earlier calls on the same study worked out; updated.
 * @internal used by the tuning module; not part of the public surface.
 */
export function completedSpace(
  trials: readonly FrozenTrial[],
  populationSize: number,
  limit: number,
  memory?: Nsga2Memory,
): SearchSpace {
  const known = usable(memory, trials, limit);
  advance(known, trials, populationSize, limit);
  const tail = trials.slice(known.cursor).filter((t) => t.number < limit && t.state === 'COMPLETE');
  if (tail.length === 0) return known.intersection.space();
  const intersection = known.intersection.clone();
  for (const t of tail) intersection.add(t);
  return intersection.space();
}

/** The NSGA-II sampler: a {@link Sampler} that can describe a trial's generation for the study's records. */
export interface Nsga2Sampler extends Sampler {
  /**
   * The system attribute Optuna 3.1 stores for the trial, `{ 'nsga2:generation': g }`. Storing it is optional: it
   * keeps a trial's generation as it was when the trial was sampled (see {@link nsga2Sampler}).
   */
  systemAttrsFor(study: SamplerStudy, trial: FrozenTrial): Record<string, JsonValue>;
}

/**
 * Optuna 3.1's `NSGAIISampler` (Deb et al. 2002, "A fast and elitist multiobjective genetic algorithm: NSGA-II"),
 * for one or several objectives. Trials are grouped into generations of `populationSize` completed trials. Until
 * the first generation is full, trials are sampled at random. After that, each trial is a child of the parent
 * population: the elite of the last full generation and the previous elite, chosen by non-dominated sorting and
 * crowding distance. With probability `crossoverProb` two parents are picked by binary tournament (the first wins
 * only if it dominates the second, as in Optuna) and crossed; otherwise one parent is copied. Each parameter is then
 * mutated (drawn afresh) with probability `mutationProb`. The parameters crossed are those every completed trial has
 * with one same distribution (and more than one value); any other parameter is drawn at random.
 *
 * Constraints: trials whose `constraints` are all <= 0 are feasible. A feasible trial beats an infeasible one, an
 * infeasible one beats another with a larger total violation (Deb's constrained domination), in both the elite
 * selection and the tournament; a completed trial without constraint values loses to those with them.
 *
 * Generations without records: Optuna keeps a trial's generation in its system attributes; here it is derived from
 * the trials before it (trial `n` joins the generation after the leading run of generations that each had
 * `populationSize` completed trials among trials 0..n−1), or read from the attribute when the study stores
 * {@link Nsga2Sampler.systemAttrsFor}. Warm-start trials (added without the attribute) therefore join the
 * generations like any other, where Optuna leaves them out. Randomness comes from `trialRandom(seed, trial.number, …)` and only trials
 * numbered below the sampled one are read, so the same seed and the same objective values give the same study when
 * trials run one at a time, and with concurrency whenever every trial of a generation has finished before the next
 * generation starts. Optuna's own numbers differ (it draws from one shared generator).
 *
 * @throws MlcycleError `INVALID_ARGUMENT` when an option is invalid; while sampling, when a completed trial has the
 *   wrong number of objective values or constraint values, or a NaN constraint.
 * @example
 * ```ts
 * const tuner = new HyperparameterTuner({
 *   directions: ['maximize', 'minimize'], // Sharpe ratio up, drawdown down
 *   sampler: nsga2Sampler({ populationSize: 20, crossover: 'sbx', seed: 1 }),
 * });
 * await tuner.optimize((trial) => backtestScores(trial.suggestInt('lookback', 5, 200)), { nTrials: 200 });
 * tuner.bestTrials; // the Pareto front
 * ```
 */
export function nsga2Sampler(options: Nsga2SamplerOptions = {}): Nsga2Sampler {
  const o = parseOptions(optionsSchema, options, 'nsga2Sampler options');
  const memories = new Map<string, Nsga2Memory>();

  const memoryOf = (study: SamplerStudy): Nsga2Memory => {
    let memory = memories.get(study.studyName);
    if (memory === undefined) {
      memory = nsga2Memory();
      memories.set(study.studyName, memory);
    }
    return memory;
  };

  /** Optuna's tournament: `a` wins only if it (constrained-)dominates `b`. */
  const beats = (ma: Member, mb: Member, directions: readonly StudyDirection[]): boolean => {
    if (ma.constraints !== undefined && mb.constraints !== undefined) {
      const va = violation(ma.constraints);
      const vb = violation(mb.constraints);
      if (va > 0 || vb > 0) return va < vb;
    }
    return dominates(ma.values, mb.values, directions);
  };

  return {
    name: 'nsga2',
    inferRelativeSearchSpace(study, trial) {
      const completed = completedSpace(study.trials(), o.populationSize, trial.number, memoryOf(study));
      const space: SearchSpace = {};
      for (const [name, spec] of Object.entries(completed)) {
        if (!isSingleValued(spec)) space[name] = spec;
      }
      return space;
    },
    sampleRelative({ study, trial }, space) {
      if (Object.keys(space).length === 0) return {};
      const { directions } = study;
      const { parents } = parentPopulation(
        study.trials(),
        directions,
        o.populationSize,
        trial.number,
        memoryOf(study),
      );
      if (parents.length === 0) return {};
      const rng = trialRandom(o.seed, trial.number, 'relative');
      let child: Params;
      if (rng.float() < o.crossoverProb) {
        // The tournament compares by domination only (Optuna's `_select_parent`), so ranks and crowding are unused.
        const zeros = new Array<number>(parents.length).fill(0);
        const [i, j] = selectParents({ ranks: zeros, crowding: zeros }, rng, {
          better: (a, b) => beats(parents[a] as Member, parents[b] as Member, directions),
        }) as [number, number];
        const pair = [(parents[i] as Member).trial.params, (parents[j] as Member).trial.params] as const;
        child = crossover(pair, space, rng, {
          method: o.crossover,
          swappingProb: o.swappingProb,
          eta: o.sbxEta ?? (directions.length > 1 ? 20 : 2),
        });
      } else {
        const parent = (parents[rng.int(0, parents.length - 1)] as Member).trial;
        child = Object.fromEntries(Object.keys(space).map((name) => [name, parent.params[name] ?? null]));
      }
      return mutate(child, space, rng, o.mutationProb);
    },
    sampleIndependent: ({ trial }, name, spec) => sampleAtRandom(o.seed, trial, name, spec),
    systemAttrsFor(study, trial) {
      const { next } = generationsOf(study.trials(), o.populationSize, trial.number, memoryOf(study));
      return { [GENERATION_ATTR]: next };
    },
  };
}
