/**
 * Grid search: every combination of the listed values, once each, in a seeded shuffled order.
 *
 * @module
 */
import { z } from 'zod';
import { formatNumber } from '../../core/checks.js';
import { MlcycleError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';
import { Random } from '../../core/random.js';
import type { JsonValue } from '../../storage/types.js';
import {
  type CategoricalChoice,
  contains,
  describe,
  gridPoints,
  type ParamSpec,
  type Params,
} from '../space.js';
import { type FrozenTrial, isFinished, type Sampler, type SamplerStudy, trialRandom } from '../types.js';
import { seedSchema } from './random.js';

/** The most grid points {@link gridSampler} accepts (its shuffled order is held in memory). */
export const MAX_GRID_POINTS = 10_000_000;

/** Options of {@link gridSampler}. */
export interface GridSamplerOptions {
  /**
   * Per parameter, the values to try (Optuna's `GridSampler` search space), or a distribution whose every value is
   * tried (a categorical, an int range, or a float range with a `step`; expanded in increasing order). The grid is
   * every combination.
   */
  searchSpace: Readonly<Record<string, readonly CategoricalChoice[] | ParamSpec>>;
  /** The seed of the order in which the grid points are visited, a non-negative safe integer. @defaultValue 0 */
  seed?: number;
}

/** The grid sampler: a {@link Sampler} that knows its grid and can describe a trial's point for the study's records. */
export interface GridSampler extends Sampler {
  /** The number of grid points. */
  readonly size: number;
  /** The grid's values per parameter, names in sorted order (Optuna's `search_space` system attribute). */
  readonly searchSpace: Readonly<Record<string, readonly CategoricalChoice[]>>;
  /**
   * The system attributes Optuna 3.1 stores for a grid trial, `{ grid_id, search_space }`, for `trial` (which must
   * have started): the study may store them in `trial.systemAttrs` so that exported journals resume in Optuna's
   * `GridSampler`. The sampler does not need them: it derives each trial's point from the study's records.
   */
  systemAttrsFor(study: SamplerStudy, trial: FrozenTrial): Record<string, JsonValue>;
}

const choiceSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const optionsSchema = z.strictObject({
  searchSpace: z
    .record(
      z.string(),
      z.union([z.array(choiceSchema), z.looseObject({ type: z.string() })], {
        error: 'expected an array of values (strings, finite numbers, booleans or null) or a distribution',
      }),
    )
    .refine((space) => Object.keys(space).length > 0, 'must name at least one parameter'),
  seed: seedSchema.default(0),
});

function invalid(message: string): MlcycleError {
  return new MlcycleError('INVALID_ARGUMENT', message);
}

/** Each parameter's grid values, names sorted (as Optuna orders them). */
function expand(searchSpace: GridSamplerOptions['searchSpace']): Map<string, CategoricalChoice[]> {
  const grid = new Map<string, CategoricalChoice[]>();
  for (const name of Object.keys(searchSpace).sort()) {
    const entry = searchSpace[name] as readonly CategoricalChoice[] | ParamSpec;
    const values = Array.isArray(entry) ? [...entry] : gridPoints(entry as ParamSpec, name);
    if (values.length === 0) throw invalid(`gridSampler: searchSpace.${name} needs at least one value`);
    values.forEach((value, i) => {
      if (values.indexOf(value) < i) {
        throw invalid(
          `gridSampler: searchSpace.${name} lists the value ${formatNumber(value)} more than once`,
        );
      }
    });
    grid.set(name, values);
  }
  return grid;
}

/** A permutation of 0..n−1 (Fisher–Yates), the order in which grid points are offered. */
function shuffled(n: number, seed: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return new Random(seed).shuffle(order);
}

/** How far a grid point has been taken: by no trial, by a running trial only, or by a finished trial. */
const FREE = 0;
const RUNNING = 1;
const FINISHED = 2;

/**
 * A sampler that tries every combination of the given values once, as Optuna 3.1's `GridSampler`, and stops the
 * study once every point is taken. Grid ids number the combinations as Optuna does (`itertools.product` over the
 * parameters in sorted name order, the last name varying fastest).
 *
 * Which point a trial gets. Optuna picks a random untaken point per trial and records it in the trial's system
 * attributes (`grid_id`). Samplers here do not write records, so the point is derived from the trial's position
 * instead: the points are visited in one seeded shuffled order, and trial `n` takes the first point in that order
 * that no earlier trial (number < n) has taken and that agrees with the values the trial was enqueued with (the
 * `fixed_params` attribute), if any. An earlier trial's point is, in this order of precedence: its `grid_id` system
 * attribute (which the study stores from {@link GridSampler.systemAttrsFor}, as do imported Optuna trials); its
 * parameters and enqueued values, when they give every grid parameter (warm-started trials count this way, and a
 * trial whose values are not all on the grid takes no point); the point this sampler gave it; otherwise, by the
 * same rule, the first point that no trial before it took. `WAITING` trials take nothing. Since the rule looks only
 * at earlier trials, trial `n` gets the same point however the trials interleave: a study is reproducible with any
 * concurrency, and without enqueued trials trial `n` of a fresh study takes the `n`-th point of the shuffled order.
 *
 * When every point is taken (possible with concurrency, or when re-running a finished study), a trial re-evaluates a
 * point, chosen at random from those whose trials are still running, else from all (Optuna's fallback). The sampler
 * calls `study.stop()` as soon as every point is taken by a running or finished trial: when a trial takes the last
 * free point (in `beforeTrial`) and after each trial. Optuna waits until every point has finished, which lets
 * concurrent workers start duplicates.
 *
 * A trial that suggests a parameter the grid does not have, or whose distribution does not contain the grid's value,
 * fails with `INVALID_ARGUMENT` (Optuna raises for the first and only warns for the second).
 *
 * @throws MlcycleError `INVALID_ARGUMENT` when an option is invalid, a parameter lists no value or a value twice, a
 *   distribution is continuous, or the grid has more than `MAX_GRID_POINTS` (10,000,000) points.
 * @example
 * ```ts
 * const sampler = gridSampler({ searchSpace: { depth: [2, 4, 8], lr: [0.01, 0.1] }, seed: 1 });
 * const tuner = new HyperparameterTuner({ direction: 'minimize', sampler });
 * await tuner.optimize((trial) => loss(trial.suggestInt('depth', 2, 8), trial.suggestFloat('lr', 1e-3, 1)));
 * tuner.trials.length; // 6: the study stopped once every combination was tried
 * ```
 */
export function gridSampler(options: GridSamplerOptions): GridSampler {
  const { searchSpace, seed } = parseOptions(optionsSchema, options, 'gridSampler options');
  const grid = expand(searchSpace as GridSamplerOptions['searchSpace']);
  const names = [...grid.keys()];
  const columns = [...grid.values()];
  const size = columns.reduce((n, values) => n * values.length, 1);
  if (size > MAX_GRID_POINTS) {
    throw invalid(`gridSampler: the grid has ${size} points; at most ${MAX_GRID_POINTS} are supported`);
  }
  // stride[k]: how many grid ids apart two points differing by one step in parameter k are.
  const strides = columns.map((_, k) => columns.slice(k + 1).reduce((n, values) => n * values.length, 1));
  const order = shuffled(size, seed);
  const given = new Map<string, Map<number, number>>(); // study name → trial number → the id this sampler gave
  const optunaSpace = Object.fromEntries(names.map((name, k) => [name, columns[k] as CategoricalChoice[]]));

  const gridValue = (id: number, k: number): CategoricalChoice => {
    const values = columns[k] as CategoricalChoice[];
    return values[Math.floor(id / (strides[k] as number)) % values.length] as CategoricalChoice;
  };
  /** Whether point `id` has the value each grid parameter in `params` has. */
  const agrees = (id: number, params: Params): boolean =>
    names.every((name, k) => !(name in params) || params[name] === gridValue(id, k));

  const indexes = columns.map((values) => new Map(values.map((v, i) => [v, i])));
  /** The point a trial's parameters name, `undefined` when some are missing, `null` when one is off the grid. */
  const idOfParams = (params: Params): number | null | undefined => {
    let id = 0;
    for (let k = 0; k < names.length; k++) {
      if (!((names[k] as string) in params)) return undefined;
      const index = indexes[k]?.get(params[names[k] as string] as CategoricalChoice);
      if (index === undefined) return null;
      id += index * (strides[k] as number);
    }
    return id;
  };

  /** A trial's parameters, with the values it was enqueued with (Optuna's `fixed_params`) that it has yet to suggest. */
  const paramsOf = (t: FrozenTrial): Params => {
    const fixed = t.systemAttrs.fixed_params;
    return typeof fixed === 'object' && fixed !== null && !Array.isArray(fixed)
      ? { ...(fixed as Params), ...t.params }
      : t.params;
  };

  const sameSpace = (stored: JsonValue | undefined): boolean => {
    if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return false;
    const keys = Object.keys(stored);
    return (
      keys.length === names.length &&
      names.every((name, k) => {
        const values = stored[name];
        const ours = columns[k] as CategoricalChoice[];
        return (
          Array.isArray(values) && values.length === ours.length && values.every((v, i) => v === ours[i])
        );
      })
    );
  };

  /** The point a trial's record names: its `grid_id` attribute, else its parameters (see `idOfParams`). */
  const recordedPoint = (t: FrozenTrial): number | null | undefined => {
    const stored = t.systemAttrs.grid_id;
    const valid = typeof stored === 'number' && Number.isInteger(stored) && stored >= 0 && stored < size;
    return valid && sameSpace(t.systemAttrs.search_space) ? stored : idOfParams(paramsOf(t));
  };

  /** Taken marks with a search for the first free point agreeing with some parameters. */
  const marks = (taken: Uint8Array, start = 0) => {
    let cursor = start; // every point before order[cursor] is taken; points are never freed, so this only moves on
    return {
      taken,
      get cursor() {
        return cursor;
      },
      firstFree(params: Params): number | undefined {
        while (cursor < size && taken[order[cursor] as number] !== FREE) cursor++;
        for (let r = cursor; r < size; r++) {
          const id = order[r] as number;
          if (taken[id] === FREE && agrees(id, params)) return id;
        }
        return undefined;
      },
    };
  };

  /** Marks the point `t` takes, if any: its record's, else the one this sampler gave it, else by position. */
  const mark = (
    state: ReturnType<typeof marks>,
    t: FrozenTrial,
    ours: Map<number, number> | undefined,
  ): void => {
    if (t.state === 'WAITING') return;
    let id = recordedPoint(t);
    if (id === undefined) id = ours?.get(t.number) ?? state.firstFree(paramsOf(t));
    if (id === null || id === undefined) return;
    state.taken[id] = Math.max(state.taken[id] as number, isFinished(t) ? FINISHED : RUNNING);
  };

  // Per study, the marks of the leading run of finished trials: final, since their records never change.
  const prefixes = new Map<string, { count: number; last: number; taken: Uint8Array; cursor: number }>();

  /** Walks the trials with number < `limit` (all when omitted) in order and marks the points they take. */
  const walk = (study: SamplerStudy, trials: readonly FrozenTrial[], limit = Number.POSITIVE_INFINITY) => {
    const ours = given.get(study.studyName);
    let prefix = prefixes.get(study.studyName);
    if (prefix === undefined || prefix.last >= limit) {
      prefix = { count: 0, last: -1, taken: new Uint8Array(size), cursor: 0 };
      if (limit === Number.POSITIVE_INFINITY || !prefixes.has(study.studyName))
        prefixes.set(study.studyName, prefix);
    }
    const settled = marks(prefix.taken, prefix.cursor);
    let i = prefix.count;
    for (; i < trials.length; i++) {
      const t = trials[i] as FrozenTrial;
      if (t.number >= limit || !isFinished(t)) break;
      mark(settled, t, ours);
      prefix.last = t.number;
    }
    prefix.count = i;
    prefix.cursor = settled.cursor;
    const state = marks(prefix.taken.slice(), prefix.cursor);
    for (; i < trials.length; i++) {
      const t = trials[i] as FrozenTrial;
      if (t.number < limit) mark(state, t, ours);
    }
    return state;
  };

  /** The point of `trial`: given once, then remembered while this sampler lives. */
  const pointOf = (study: SamplerStudy, trial: FrozenTrial): number => {
    let ours = given.get(study.studyName);
    const known = ours?.get(trial.number);
    if (known !== undefined) return known;
    const { taken, firstFree } = walk(study, study.trials(), trial.number);
    const params = paramsOf(trial);
    let id = firstFree(params);
    if (id === undefined) {
      // Every point agreeing with the trial is taken: re-evaluate one, preferring those still running.
      const agreeing = Array.from(order).filter((p) => agrees(p, params));
      const pool = agreeing.length > 0 ? agreeing : Array.from(order);
      const running = pool.filter((p) => taken[p] === RUNNING);
      const from = running.length > 0 ? running : pool;
      id = from[trialRandom(seed, trial.number, 'grid').int(0, from.length - 1)] as number;
    }
    if (ours === undefined) {
      ours = new Map();
      given.set(study.studyName, ours);
    }
    ours.set(trial.number, id);
    return id;
  };

  return {
    name: 'grid',
    size,
    searchSpace: optunaSpace,
    beforeTrial(study, trial) {
      pointOf(study, trial);
      // Taking the last free point ends the study at once, so that concurrent workers start no duplicate.
      if (walk(study, study.trials()).firstFree({}) === undefined) study.stop();
    },
    sampleIndependent({ study, trial }, name, spec) {
      const k = names.indexOf(name);
      if (k < 0) {
        throw invalid(
          `gridSampler: parameter "${name}" is not in the grid; the grid has ${names.map((n) => `"${n}"`).join(', ')}`,
        );
      }
      const value = gridValue(pointOf(study, trial), k);
      if (!contains(spec, value)) {
        throw invalid(
          `gridSampler: the grid value ${formatNumber(value)} of parameter "${name}" is outside its distribution, ${describe(spec)}`,
        );
      }
      return value;
    },
    afterTrial(study, trial) {
      // The finished record may be newer than the study's copy of it.
      const trials = study.trials().map((t) => (t.number === trial.number ? trial : t));
      if (walk(study, trials).firstFree({}) === undefined) study.stop();
    },
    systemAttrsFor(study, trial) {
      return { grid_id: pointOf(study, trial), search_space: optunaSpace };
    },
  };
}
