import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { roundHalfEven } from '../core/numeric.js';
import type { Random } from '../core/random.js';
import { crowdingOf, type Direction, nonDominatedFronts } from './pareto.js';

/**
 * One parameter's range, a minimal stand-in for Optuna's distributions until the search-space type exists:
 * `float` (`FloatDistribution`) and `int` (`IntDistribution`) with optional log scale or step grid, and
 * `categorical` (`CategoricalDistribution`).
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export type ParamSpec =
  | {
      /** A real parameter. */
      type: 'float';
      /** Smallest value. */
      low: number;
      /** Largest value (included only on a step grid, as in Optuna). */
      high: number;
      /** Sample on a log scale (`low` > 0; no `step`). */
      log?: boolean;
      /** Grid spacing: values are `low + k·step`; `high − low` must be a multiple of it. */
      step?: number;
    }
  | {
      /** An integer parameter. */
      type: 'int';
      /** Smallest value, an integer. */
      low: number;
      /** Largest value, an integer, included. */
      high: number;
      /** Sample on a log scale (`low` ≥ 1; step 1). */
      log?: boolean;
      /** Grid spacing, a positive integer; `high − low` must be a multiple of it. @defaultValue 1 */
      step?: number;
    }
  | {
      /** A parameter chosen from a list. */
      type: 'categorical';
      /** The choices, at least one. */
      choices: readonly (number | string)[];
    };

/**
 * A parameter set: one value per parameter name.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export type Params = Record<string, number | string>;

/**
 * A search space: one {@link ParamSpec} per parameter name.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export type SearchSpace = Record<string, ParamSpec>;

function invalid(message: string): MlcycleError {
  return new MlcycleError('INVALID_ARGUMENT', message);
}

function checkSpec(name: string, spec: ParamSpec): void {
  const where = `search space parameter "${name}"`;
  if (spec.type === 'categorical') {
    if (!Array.isArray(spec.choices) || spec.choices.length === 0)
      throw invalid(`${where} needs at least one choice`);
    return;
  }
  const { low, high, log = false, step } = spec;
  if (!Number.isFinite(low) || !Number.isFinite(high) || low > high) {
    throw invalid(
      `${where} needs finite low <= high, received low=${formatNumber(low)}, high=${formatNumber(high)}`,
    );
  }
  if (spec.type === 'int' && (!Number.isSafeInteger(low) || !Number.isSafeInteger(high))) {
    throw invalid(`${where} is an int parameter and needs integer bounds`);
  }
  if (log && (step ?? 1) !== 1) throw invalid(`${where} cannot have both log and step`);
  if (log && (spec.type === 'int' ? low < 1 : low <= 0)) {
    throw invalid(`${where} is on a log scale and needs low ${spec.type === 'int' ? '>= 1' : '> 0'}`);
  }
  if (step !== undefined) {
    const bad = !(step > 0) || !Number.isFinite(step) || (spec.type === 'int' && !Number.isSafeInteger(step));
    const k = (high - low) / step;
    if (bad || Math.abs(k - Math.round(k)) > 1e-9 * Math.max(1, k)) {
      throw invalid(
        `${where} needs a positive step that divides high - low, received step=${formatNumber(step)}`,
      );
    }
  }
}

/**
 * Throws `INVALID_ARGUMENT` unless every parameter range is valid (Optuna's distribution rules).
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function checkSearchSpace(space: SearchSpace): void {
  if (typeof space !== 'object' || space === null || Object.keys(space).length === 0) {
    throw invalid('the search space must name at least one parameter');
  }
  for (const [name, spec] of Object.entries(space)) checkSpec(name, spec);
}

function checkParams(params: Params, space: SearchSpace, what: string): void {
  for (const name of Object.keys(space)) {
    if (!(name in params)) throw invalid(`${what} has no value for parameter "${name}"`);
  }
}

/** The largest double below `x` (numpy.nextafter(x, -inf)). */
function nextBelow(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const box = new Float64Array([x]);
  const bits = new BigInt64Array(box.buffer);
  bits[0] = (bits[0] as bigint) + (x > 0 ? -1n : 1n);
  return box[0] as number;
}

type NumericSpec = Exclude<ParamSpec, { type: 'categorical' }>;

/** Optuna's `_SearchSpaceTransform` bounds: log scale where asked, and half a step beyond each end of a grid. */
function transformedBounds(spec: NumericSpec): [number, number] {
  const half = spec.step !== undefined || spec.type === 'int' ? 0.5 * (spec.step ?? 1) : 0;
  if (spec.log) {
    return spec.type === 'int'
      ? [Math.log(spec.low - half), Math.log(spec.high + half)]
      : [Math.log(spec.low), Math.log(spec.high)];
  }
  return [spec.low - half, spec.high + half];
}

function toTransformed(value: number, spec: NumericSpec): number {
  return spec.log ? Math.log(value) : value;
}

/** Back from the transformed scale to a value in range and on the grid (Optuna's `_untransform_numerical_param`). */
function fromTransformed(x: number, spec: NumericSpec): number {
  const { low, high } = spec;
  if (spec.type === 'int' || spec.step !== undefined) {
    const v = spec.log
      ? roundHalfEven(Math.exp(x))
      : roundHalfEven((x - low) / (spec.step ?? 1)) * (spec.step ?? 1) + low;
    return Math.min(Math.max(v, low), high);
  }
  const v = spec.log ? Math.exp(x) : x;
  // A continuous range excludes `high` (as Optuna's does) unless it is a single value; `low` guards rounding in exp.
  return low === high ? low : Math.max(low, Math.min(v, nextBelow(high)));
}

/**
 * One value drawn uniformly from a parameter's range, as Optuna 3.1's `RandomSampler` draws it: uniform on the
 * transformed scale (log for log ranges, half a step past each end of a grid) and mapped back (rounded half to even
 * onto the grid, clipped into range).
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function sampleParam(spec: ParamSpec, rng: Random): number | string {
  if (spec.type === 'categorical')
    return spec.choices[rng.int(0, spec.choices.length - 1)] as number | string;
  const [lo, hi] = transformedBounds(spec);
  return fromTransformed(lo + (hi - lo) * rng.float(), spec);
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
    const a = first[name] as number | string;
    const b = second[name] as number | string;
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
    out[name] =
      rng.float() >= p ? (child[name] as number | string) : sampleParam(space[name] as ParamSpec, rng);
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
