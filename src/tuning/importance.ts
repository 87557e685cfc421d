/**
 * Hyperparameter importance from a study's trials: fANOVA on a random forest (Optuna 3.1's default evaluator), or
 * permutation importance on the same forest.
 *
 * @module
 */
import { z } from 'zod';
import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { Random } from '../core/random.js';
import { RandomForest } from '../models/trees/forest.js';
import { type Box, fanovaImportances } from './fanova.js';
import {
  isSingleValued,
  normaliseSpec,
  type ParamSpec,
  type ParamValue,
  type SearchSpace,
  sameSpec,
  toInternal,
} from './space.js';
import { type FrozenTrial, intersectionSearchSpace, objectiveValues } from './types.js';

/** Options of {@link parameterImportance}. */
export interface ParameterImportanceOptions {
  /**
   * The parameters to score. Only `COMPLETE` trials holding all of them count, and each must have one distribution
   * throughout. @defaultValue the parameters every `COMPLETE` trial has (conditional ones are left out), as Optuna
   */
  params?: string[];
  /** The number to explain, per trial. @defaultValue the trial's objective value (`values[objective]`) */
  target?: (trial: FrozenTrial) => number;
  /** Which objective value of a multi-objective study to explain (needed there unless `target` is given). @defaultValue 0 */
  objective?: number;
  /** Trees in the random forest (Optuna's `n_trees`). @defaultValue 64 */
  nTrees?: number;
  /** Deepest level of each tree (Optuna's `max_depth`). @defaultValue 64 */
  maxDepth?: number;
  /** Seed of the forest (and of the shuffles for `'permutation'`). @defaultValue 0 */
  seed?: number;
  /**
   * `'fanova'`: each parameter's share of the forest's variance over the search space (Optuna's
   * `FanovaImportanceEvaluator`); `'permutation'`: how much the forest's training error grows when the parameter's
   * values are shuffled across trials. @defaultValue 'fanova'
   */
  method?: 'fanova' | 'permutation';
}

const WHO = 'parameterImportance';
const PERMUTATION_REPEATS = 5;

const optionsSchema = z.strictObject({
  params: z.array(z.string()).optional(),
  target: z
    .custom<(trial: FrozenTrial) => number>((f) => typeof f === 'function', 'Expected a function')
    .optional(),
  objective: z.number().int().min(0).optional(),
  nTrees: z.number().int().min(1).default(64),
  maxDepth: z.number().int().min(1).default(64),
  seed: z.number().int().min(0).default(0),
  method: z.enum(['fanova', 'permutation']).default('fanova'),
});
type Options = z.output<typeof optionsSchema>;

function invalid(message: string): MlcycleError {
  return new MlcycleError('INVALID_ARGUMENT', message);
}

/** The value to explain for each trial, from the options. */
function targetFunction(
  completed: readonly FrozenTrial[],
  o: Options,
): (trial: FrozenTrial) => number | undefined {
  if (o.target !== undefined) return o.target;
  const objectives = completed.reduce((most, t) => Math.max(most, objectiveValues(t).length), 0);
  if (o.objective === undefined && objectives > 1) {
    throw invalid(
      `${WHO}: the trials have ${objectives} objective values; pass objective (an index) or target`,
    );
  }
  const k = o.objective ?? 0;
  if (k >= objectives) {
    throw invalid(`${WHO}: objective ${k} is out of range; the trials have ${objectives} objective value(s)`);
  }
  return (trial) => objectiveValues(trial)[k];
}

/** The distributions of the requested parameters, in name order (Optuna's `_get_distributions`). */
function spaceOf(completed: readonly FrozenTrial[], params: readonly string[] | undefined): SearchSpace {
  if (params === undefined) {
    const space = intersectionSearchSpace(completed);
    if (Object.keys(space).length === 0) {
      throw invalid(
        `${WHO}: no parameter is in every COMPLETE trial with one distribution; name them with params`,
      );
    }
    return space;
  }
  const known = new Set(completed.flatMap((t) => Object.keys(t.distributions)));
  const unknown = params.filter((p) => !known.has(p));
  if (unknown.length > 0) {
    throw invalid(
      `${WHO}: no COMPLETE trial has parameter(s) ${unknown.join(', ')}; the trials have ${[...known].sort().join(', ')}`,
    );
  }
  const space: SearchSpace = {};
  let found = false;
  for (const trial of completed) {
    if (!params.every((p) => p in trial.distributions)) continue;
    found = true;
    for (const p of params) {
      const spec = trial.distributions[p] as ParamSpec;
      const seen = space[p];
      if (seen === undefined) space[p] = spec;
      else if (!sameSpec(seen, spec)) {
        throw invalid(`${WHO}: parameter ${p} has different distributions across the COMPLETE trials`);
      }
    }
  }
  if (!found) throw invalid(`${WHO}: no COMPLETE trial has all of the parameters ${params.join(', ')}`);
  return Object.fromEntries(
    Object.keys(space)
      .sort()
      .map((p) => [p, space[p] as ParamSpec]),
  );
}

/**
 * The trials' parameters as forest features without any transformation (Optuna's fANOVA uses
 * `_SearchSpaceTransform(transform_log=False, transform_step=False)`): a number as it is, a categorical value as one
 * 0/1 column per choice; the box is `[low, high]` per number and `[0, 1]` per choice column.
 */
function encode(trials: readonly FrozenTrial[], space: SearchSpace) {
  const box: [number, number][] = [];
  const groups: number[][] = [];
  for (const spec of Object.values(space)) {
    const width = spec.type === 'categorical' ? spec.choices.length : 1;
    groups.push(Array.from({ length: width }, (_, i) => box.length + i));
    for (let i = 0; i < width; i++) box.push(spec.type === 'categorical' ? [0, 1] : [spec.low, spec.high]);
  }
  const rows = trials.map((trial) => {
    const row = new Array<number>(box.length).fill(0);
    Object.entries(space).forEach(([name, spec], p) => {
      const x = toInternal(spec, trial.params[name] as ParamValue);
      const first = (groups[p] as number[])[0] as number;
      if (spec.type === 'categorical') row[first + x] = 1;
      else {
        row[first] = x;
        // A warm-started trial may lie outside its range: widen the box so every split stays inside it.
        const bounds = box[first] as [number, number];
        bounds[0] = Math.min(bounds[0], x);
        bounds[1] = Math.max(bounds[1], x);
      }
    });
    return row;
  });
  return { rows, box, groups };
}

/**
 * Permutation importance of each column group (Breiman 2001): the mean growth in the forest's squared error on the
 * trials when the group's values are shuffled, floored at 0. Not `RandomForest.permutationImportance`, which shuffles
 * one column at a time: a categorical parameter's one-hot columns must move together.
 */
function permutationShares(
  forest: RandomForest,
  rows: number[][],
  y: readonly number[],
  groups: readonly number[][],
  seed: number,
): number[] {
  const mse = (X: number[][]) => {
    const p = forest.predict(X);
    return y.reduce((s, v, i) => s + (v - (p[i] as number)) ** 2, 0) / y.length;
  };
  const baseline = mse(rows);
  const root = new Random(seed);
  return groups.map((columns, g) => {
    const rng = root.fork(g);
    const order = rows.map((_, i) => i);
    let growth = 0;
    for (let r = 0; r < PERMUTATION_REPEATS; r++) {
      for (let i = order.length - 1; i > 0; i--) {
        const k = rng.int(0, i); // Fisher–Yates
        [order[i], order[k]] = [order[k] as number, order[i] as number];
      }
      // The group's columns move together, so a one-hot categorical stays one-hot.
      const shuffled = rows.map((row, i) => {
        const out = row.slice();
        for (const c of columns) out[c] = (rows[order[i] as number] as number[])[c] as number;
        return out;
      });
      growth += mse(shuffled) - baseline;
    }
    return Math.max(0, growth / PERMUTATION_REPEATS);
  });
}

/**
 * How much each parameter matters to the objective, as shares summing to 1, largest first: Optuna 3.1's
 * `get_param_importances` with its default `FanovaImportanceEvaluator`. A random forest (64 trees of depth ≤ 64,
 * bootstrap, all features per split, as Optuna's scikit-learn `RandomForestRegressor`) is fitted to the `COMPLETE`
 * trials' parameters, numbers untransformed (a log-scaled parameter is not logged, as in Optuna) and categorical
 * values one-hot; fANOVA (Hutter, Hoos & Leyton-Brown 2014) then splits each tree's variance over the search-space box
 * into the parameters' main effects, and a parameter's importance is its mean fraction over the trees, normalised.
 * Interactions are not credited to either parameter. The forest is ours (histogram trees, our generator), so the
 * numbers differ from Optuna's as much as two of Optuna's seeds differ, or a little more.
 *
 * Parameters with one possible value score 0; trials whose target is ±Infinity are left out (as Optuna does).
 *
 * @throws `INSUFFICIENT_DATA` with fewer than 2 usable trials or when every target is the same; `INVALID_ARGUMENT`
 *   for a parameter no trial has, a parameter whose distribution changes, a NaN or missing target, a multi-objective
 *   study without `objective` or `target`, or when no parameter can take two values.
 * @example
 * ```ts
 * const study = await tuner.optimize(objective, { nTrials: 100 });
 * parameterImportance(study.trials);                         // { learningRate: 0.71, depth: 0.22, ... }
 * parameterImportance(study.trials, { params: ['depth'], seed: 1 });
 * parameterImportance(moTuner.trials, { objective: 1 });     // the second objective of a multi-objective study
 * ```
 */
export function parameterImportance(
  trials: readonly FrozenTrial[],
  options: ParameterImportanceOptions = {},
): Record<string, number> {
  const o = parseOptions(optionsSchema, options, `${WHO} options`);
  const completed = trials.filter((t) => t.state === 'COMPLETE');
  if (completed.length < 2) {
    throw new MlcycleError(
      'INSUFFICIENT_DATA',
      `${WHO} needs at least 2 COMPLETE trials, received ${completed.length}`,
    );
  }
  const target = targetFunction(completed, o);
  const space = spaceOf(completed, o.params);
  const names = Object.keys(space);
  if (names.length === 0) return {};
  // A distribution that allows one value only (Optuna's `single()`, on the exact step grid) scores 0.
  const scored = Object.fromEntries(
    Object.entries(space).filter(([name, spec]) => !isSingleValued(normaliseSpec(name, spec))),
  );
  if (Object.keys(scored).length === 0) {
    throw invalid(`${WHO}: every parameter scored (${names.join(', ')}) has a single possible value`);
  }
  const used: FrozenTrial[] = [];
  const y: number[] = [];
  for (const trial of completed) {
    if (!names.every((p) => p in trial.params)) continue;
    const value = target(trial);
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw invalid(
        `${WHO}: the target of trial ${trial.number} is ${formatNumber(value)}; expected a number`,
      );
    }
    if (!Number.isFinite(value)) continue;
    used.push(trial);
    y.push(value);
  }
  if (used.length < 2) {
    throw new MlcycleError(
      'INSUFFICIENT_DATA',
      `${WHO} needs at least 2 COMPLETE trials with a finite target and every parameter scored, received ${used.length}`,
    );
  }
  if (y.every((v) => v === y[0])) {
    throw new MlcycleError(
      'INSUFFICIENT_DATA',
      `${WHO}: every target value is ${formatNumber(y[0])}, so no parameter explains any variance`,
    );
  }
  const { rows, box, groups } = encode(used, scored);
  const forest = new RandomForest({
    trees: o.nTrees,
    maxDepth: o.maxDepth,
    minSamplesLeaf: 1,
    minSamplesSplit: 2,
    maxFeatures: 'all',
    seed: o.seed,
  }).fit(rows, y);
  const raw =
    o.method === 'fanova'
      ? fanovaImportances(forest.state.trees, box as Box, groups).mean
      : permutationShares(forest, rows, y, groups, o.seed);
  return rank(Object.keys(scored), raw, names);
}

/**
 * Normalised shares in Optuna's order: scored parameters then single-valued ones (0), each in name order, sorted
 * ascending (stably) and reversed, so that ties come out in reverse name order as in `_sort_dict_by_importance`.
 * Equal shares when nothing scored above 0, as `get_param_importances` does for a zero sum.
 */
function rank(
  scored: readonly string[],
  raw: readonly number[],
  names: readonly string[],
): Record<string, number> {
  const sum = raw.reduce((a, b) => a + b, 0);
  const entries: [string, number][] = scored.map((p, i) =>
    sum > 0 ? [p, (raw[i] as number) / sum] : [p, 1 / names.length],
  );
  for (const p of names) if (!scored.includes(p)) entries.push([p, sum > 0 ? 0 : 1 / names.length]);
  const order = entries
    .map((_, i) => i)
    .sort((a, b) => (entries[a]?.[1] as number) - (entries[b]?.[1] as number));
  return Object.fromEntries(order.reverse().map((i) => entries[i] as [string, number]));
}
