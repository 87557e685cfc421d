import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import type { Random } from '../core/random.js';
import { crowdingOf, type Direction, nonDominatedFronts } from './pareto.js';
import {
  checkSearchSpace,
  fromTransformed,
  type ParamSpec,
  type Params,
  type ParamValue,
  type SearchSpace,
  sampleParam,
  toTransformed,
  transformedBounds,
} from './space.js';

function invalid(message: string): MlcycleError {
  return new MlcycleError('INVALID_ARGUMENT', message);
}

function checkParams(params: Params, space: SearchSpace, what: string): void {
  for (const name of Object.keys(space)) {
    if (!(name in params)) throw invalid(`${what} has no value for parameter "${name}"`);
  }
}

/**
 * A population as the binary tournament sees it: per individual its non-domination rank and crowding distance
 * (see {@link rankAndCrowding}).
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export interface TournamentPopulation {
  /** Non-domination rank per individual, 0 best. */
  ranks: readonly number[];
  /** Crowding distance per individual within its front, larger is less crowded. */
  crowding: readonly number[];
}

/**
 * Options of {@link selectParents}.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export interface SelectParentsOptions {
  /** How many distinct parents to pick. @defaultValue 2 */
  count?: number;
  /**
   * Whether individual `a` wins a tournament against `b`. Default: Deb's crowded comparison (lower rank, then larger
   * crowding distance). Optuna 3.1 instead compares by domination only (`(a, b) => dominates(values[a], values[b],
   * directions)`), which ignores crowding; pass that to reproduce it.
   */
  better?: (a: number, b: number) => boolean;
}

/**
 * Picks parents by binary tournament, as Optuna 3.1's `_select_parents`: for each parent, two candidates are drawn
 * uniformly with replacement from the individuals not already picked; the first wins if it is better than the
 * second, otherwise the second is taken (so ties go to the second). Returns the parents' indices.
 *
 * @param population - ranks and crowding distances of the current population, at least `count` individuals.
 * @param rng - the seeded generator.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function selectParents(
  population: TournamentPopulation,
  rng: Random,
  options: SelectParentsOptions = {},
): number[] {
  const { ranks, crowding } = population;
  const count = options.count ?? 2;
  if (!Array.isArray(ranks) || !Array.isArray(crowding) || ranks.length !== crowding.length) {
    throw invalid('population.ranks and population.crowding must be arrays of the same length');
  }
  if (!Number.isSafeInteger(count) || count < 1 || count > ranks.length) {
    throw invalid(
      `count must be an integer from 1 to the population size ${ranks.length}, received ${formatNumber(count)}`,
    );
  }
  const better =
    options.better ??
    ((a: number, b: number) => {
      const ra = ranks[a] as number;
      const rb = ranks[b] as number;
      return ra < rb || (ra === rb && (crowding[a] as number) > (crowding[b] as number));
    });
  const pool = ranks.map((_, i) => i);
  const parents: number[] = [];
  for (let p = 0; p < count; p++) {
    const first = rng.int(0, pool.length - 1);
    const second = rng.int(0, pool.length - 1);
    const a = pool[first] as number;
    const b = pool[second] as number;
    const winner = better(a, b) ? first : second;
    parents.push(pool[winner] as number);
    pool.splice(winner, 1);
  }
  return parents;
}

/**
 * Options of {@link crossover}.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export interface CrossoverOptions {
  /**
   * `uniform`: each parameter copied from one parent (Syswerda 1989; Optuna 3.1's default `UniformCrossover`).
   * `sbx`: simulated binary crossover for numeric parameters (Deb and Agrawal 1995; Optuna's `SBXCrossover`, on the
   * log/grid scale, with its bounds-respecting spread factors); categorical parameters always use uniform crossover.
   * @defaultValue 'uniform'
   */
  method?: 'uniform' | 'sbx';
  /** Uniform crossover's probability of taking a parameter from the first parent. @defaultValue 0.5 */
  swappingProb?: number;
  /** SBX distribution index: larger keeps children nearer their parents. @defaultValue 20 (Optuna's multi-objective default) */
  eta?: number;
}

/** One SBX gene (Optuna `SBXCrossover.crossover` for one coordinate on the transformed scale). */
function sbxGene(x1: number, x2: number, [xl, xu]: [number, number], eta: number, rng: Random): number {
  const lo = Math.min(x1, x2);
  const hi = Math.max(x1, x2);
  const diff = Math.max(hi - lo, 1e-10);
  const u = rng.float();
  const spread = (beta: number): number => {
    const alpha = 2 - beta ** -(eta + 1);
    return u > 1 / alpha ? (1 / (2 - u * alpha)) ** (1 / (eta + 1)) : (u * alpha) ** (1 / (eta + 1));
  };
  const c1 = 0.5 * (lo + hi - spread(1 + (2 * (lo - xl)) / diff) * diff);
  const c2 = 0.5 * (lo + hi + spread(1 + (2 * (xu - hi)) / diff) * diff);
  // Optuna makes one child: half the time a crossed gene (c1 or c2), otherwise a parent's gene.
  if (rng.float() < 0.5) return rng.float() < 0.5 ? c1 : c2;
  return rng.float() < 0.5 ? x1 : x2;
}

/**
 * One child of two parents. Uniform crossover (the default) takes each parameter from the first parent with
 * probability `swappingProb`, else from the second; SBX blends numeric parameters and maps them back into range and
 * onto their grid. Optuna's sampler calls crossover only with probability 0.9 (`crossover_prob`) and otherwise copies
 * one random parent; that choice belongs to the sampler.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function crossover(
  parents: readonly [Params, Params],
  space: SearchSpace,
  rng: Random,
  options: CrossoverOptions = {},
): Params {
  checkSearchSpace(space);
  const { method = 'uniform', swappingProb = 0.5, eta = 20 } = options;
  if (method !== 'uniform' && method !== 'sbx')
    throw invalid(`method must be 'uniform' or 'sbx', received ${formatNumber(method)}`);
  if (!(swappingProb >= 0 && swappingProb <= 1))
    throw invalid(`swappingProb must be in [0, 1], received ${formatNumber(swappingProb)}`);
  if (!(eta > 0) || !Number.isFinite(eta))
    throw invalid(`eta must be a positive finite number, received ${formatNumber(eta)}`);
  if (!Array.isArray(parents) || parents.length !== 2) throw invalid('crossover needs exactly two parents');
  const [first, second] = parents;
  checkParams(first, space, 'parents[0]');
  checkParams(second, space, 'parents[1]');
  const child: Params = {};
  for (const [name, spec] of Object.entries(space)) {
    const a = first[name] as ParamValue;
    const b = second[name] as ParamValue;
    if (method === 'uniform' || spec.type === 'categorical') {
      child[name] = rng.float() < swappingProb ? a : b;
    } else {
      const x = sbxGene(
        toTransformed(Number(a), spec),
        toTransformed(Number(b), spec),
        transformedBounds(spec),
        eta,
        rng,
      );
      child[name] = fromTransformed(x, spec);
    }
  }
  return child;
}

/**
 * Mutation as Optuna 3.1's `NSGAIISampler`: each parameter is kept with probability `1 − mutationProb` and
 * otherwise drawn afresh from its range ({@link sampleParam}).
 *
 * @param mutationProb - per-parameter probability in [0, 1]. @defaultValue 1 / (number of parameters)
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function mutate(child: Params, space: SearchSpace, rng: Random, mutationProb?: number): Params {
  checkSearchSpace(space);
  checkParams(child, space, 'child');
  const names = Object.keys(space);
  const p = mutationProb ?? 1 / names.length;
  if (!(p >= 0 && p <= 1)) throw invalid(`mutationProb must be in [0, 1], received ${formatNumber(p)}`);
  const out: Params = {};
  for (const name of names) {
    out[name] = rng.float() >= p ? (child[name] as ParamValue) : sampleParam(space[name] as ParamSpec, rng);
  }
  return out;
}

/**
 * An individual as survival sees it: its objective values and, for constrained problems, its constraint values
 * (≤ 0 satisfied).
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export interface Individual {
  /** Objective values, one per direction. */
  values: readonly number[];
  /** Constraint values; either every individual has them or none has. */
  constraints?: readonly number[];
}

function penaltiesOf(all: readonly Individual[]): readonly (readonly number[])[] | undefined {
  const withConstraints = all.filter((x) => x.constraints !== undefined).length;
  if (withConstraints === 0) return undefined;
  if (withConstraints !== all.length) throw invalid('either every individual has constraints or none has');
  return all.map((x) => x.constraints as readonly number[]);
}

/**
 * Non-domination rank and crowding distance (within its front) of each individual, what the binary tournament of
 * {@link selectParents} compares (Deb et al. 2002).
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function rankAndCrowding(
  population: readonly Individual[],
  directions: readonly Direction[],
): TournamentPopulation {
  const values = population.map((x) => x.values);
  const fronts = nonDominatedFronts(values, directions, penaltiesOf(population));
  const ranks = new Array<number>(population.length).fill(0);
  const crowding = new Array<number>(population.length).fill(0);
  fronts.forEach((front, rank) => {
    const { distances } = crowdingOf(values, front);
    for (const i of front) {
      ranks[i] = rank;
      crowding[i] = distances.get(i) as number;
    }
  });
  return { ranks, crowding };
}

/**
 * Elitist survival, as Optuna 3.1's `NSGAIISampler._select_elite_population` over the offspring followed by the
 * parents: whole fronts are taken best first while they fit; the front that does not fit (or fills the population
 * exactly) is sorted by decreasing crowding distance and cut. Ties keep Optuna's order (see `nonDominatedFronts` and
 * `crowdingOf`), so the same survivors are chosen. Returns the survivors themselves, in that order.
 *
 * @param size - how many survive, a positive integer. @defaultValue the number of parents (or offspring when there are no parents)
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function selectSurvivors<T extends Individual>(
  parents: readonly T[],
  offspring: readonly T[],
  directions: readonly Direction[],
  size: number = parents.length || offspring.length,
): T[] {
  if (!Array.isArray(parents) || !Array.isArray(offspring))
    throw invalid('parents and offspring must be arrays');
  if (!Number.isSafeInteger(size) || size < 1)
    throw invalid(`size must be a positive integer, received ${formatNumber(size)}`);
  const all = [...offspring, ...parents];
  const values = all.map((x) => x.values);
  const fronts = nonDominatedFronts(values, directions, penaltiesOf(all));
  const elite: number[] = [];
  for (const front of fronts) {
    if (elite.length + front.length < size) {
      elite.push(...front);
      continue;
    }
    const { distances, order } = crowdingOf(values, front);
    // Optuna sorts ascending (stable) and reverses, so equal distances come out in reverse order.
    const distance = (i: number): number => distances.get(i) as number;
    const ranked = order
      .sort((a, b) => (distance(a) < distance(b) ? -1 : distance(a) > distance(b) ? 1 : 0))
      .reverse();
    elite.push(...ranked.slice(0, size - elite.length));
    break;
  }
  return elite.map((i) => all[i] as T);
}
