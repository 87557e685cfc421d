/**
 * Plot-ready data about a study, as plain JSON objects for a report or a chart library to draw: what Optuna 3.1's
 * `optuna.visualization` functions gather before they build their plotly figures.
 *
 * @module
 */
import { z } from 'zod';
import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { paretoFront } from './pareto.js';
import type { TrialState } from './pruners.js';
import type { CategoricalChoice, ParamSpec } from './space.js';
import { type FrozenTrial, isFeasible, objectiveValues, type StudyDirection } from './types.js';

function invalid(message: string): MlcycleError {
  return new MlcycleError('INVALID_ARGUMENT', message);
}

const directionsSchema = z.array(z.enum(['minimize', 'maximize'])).min(1);
const objectiveSchema = z.number().int().min(0).optional();

/** The `COMPLETE` trials in number order. */
function completeTrials(trials: readonly FrozenTrial[]): FrozenTrial[] {
  return trials.filter((t) => t.state === 'COMPLETE').sort((a, b) => a.number - b.number);
}

/** The objective index to plot: required when there are several objectives, as Optuna requires a `target` then. */
function pickObjective(who: string, objective: number | undefined, count: number): number {
  if (objective === undefined) {
    if (count > 1) throw invalid(`${who}: the study has ${count} objectives; pass objective (an index)`);
    return 0;
  }
  if (objective >= count)
    throw invalid(`${who}: objective ${objective} is out of range; the study has ${count}`);
  return objective;
}

/** One trial of {@link optimizationHistory}. */
export interface HistoryPoint {
  /** The trial's number. */
  number: number;
  /** Its objective value. */
  value: number;
  /** The best value among the `COMPLETE` trials up to and including this one. */
  best: number;
}

/** What {@link optimizationHistory} returns. */
export interface OptimizationHistoryPlot {
  /** Whether the plotted objective is minimised or maximised. */
  direction: StudyDirection;
  /** One point per `COMPLETE` trial, in number order. */
  points: HistoryPoint[];
}

/** Options of {@link optimizationHistory}. */
export interface OptimizationHistoryOptions {
  /** The study's directions, one per objective. */
  directions: readonly StudyDirection[];
  /** Which objective to plot; required for a multi-objective study. @defaultValue 0 */
  objective?: number;
}

const historySchema = z.strictObject({ directions: directionsSchema, objective: objectiveSchema });

/**
 * The objective value of every `COMPLETE` trial and the best value so far (running minimum or maximum), mirroring
 * Optuna 3.1's `_get_optimization_history_info_list` for one study without `target` or error bars.
 *
 * @example
 * ```ts
 * const { points } = optimizationHistory(tuner.trials, { directions: ['minimize'] });
 * // [{ number: 0, value: 3.2, best: 3.2 }, { number: 2, value: 4.1, best: 3.2 }, { number: 3, value: 1.5, best: 1.5 }, …]
 * ```
 */
export function optimizationHistory(
  trials: readonly FrozenTrial[],
  options: OptimizationHistoryOptions,
): OptimizationHistoryPlot {
  const o = parseOptions(historySchema, options, 'optimizationHistory options');
  const k = pickObjective('optimizationHistory', o.objective, o.directions.length);
  const direction = o.directions[k] as StudyDirection;
  const better = direction === 'minimize' ? Math.min : Math.max;
  let best = Number.NaN;
  const points = completeTrials(trials).map((trial) => {
    const value = objectiveValues(trial)[k];
    if (typeof value !== 'number') {
      throw invalid(`optimizationHistory: COMPLETE trial ${trial.number} has no value for objective ${k}`);
    }
    best = Number.isNaN(best) ? value : better(best, value);
    return { number: trial.number, value, best };
  });
  return { direction, points };
}

/** One axis of {@link parallelCoordinates}. */
export interface ParallelDimension {
  /** The parameter's name. */
  name: string;
  /** `'categorical'` for a categorical parameter (values are indices into `choices`), else `'numeric'`. */
  type: 'numeric' | 'categorical';
  /** Whether the parameter was suggested on a log scale (values stay unlogged: draw a log axis). */
  log?: boolean;
  /** One value per plotted trial, in the order of `numbers`. */
  values: number[];
  /** The smallest and largest of `values`. */
  range: [number, number];
  /** For a categorical parameter, the choices seen, in the order their indices refer to. */
  choices?: CategoricalChoice[];
}

/** What {@link parallelCoordinates} returns. */
export interface ParallelCoordinatesPlot {
  /** The plotted trials' numbers: one line each. */
  numbers: number[];
  /** The objective axis (`name` `'Objective Value'`, or `'Objective k'` for objective k of several). */
  objective: {
    /** The axis label. */
    name: string;
    /** One objective value per plotted trial, in the order of `numbers`. */
    values: number[];
    /** The smallest and largest value. */
    range: [number, number];
  };
  /** One axis per parameter, in name order. */
  dimensions: ParallelDimension[];
}

/** Options of {@link parallelCoordinates}. */
export interface ParallelCoordinatesOptions {
  /** The parameters to draw. @defaultValue every parameter of the `COMPLETE` trials */
  params?: string[];
  /** Which objective to plot; required when the trials have several. @defaultValue 0 */
  objective?: number;
}

const parallelSchema = z.strictObject({ params: z.array(z.string()).optional(), objective: objectiveSchema });

function rangeOf(values: readonly number[]): [number, number] {
  // [0, 0] for no values: Optuna's dummy range.
  if (values.length === 0) return [0, 0];
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  return [low, high];
}

/**
 * Each `COMPLETE` trial with a finite objective as one line across the parameters' axes, mirroring Optuna 3.1's
 * `_get_parallel_coordinate_info` (without `target`): trials lacking any drawn parameter are left out; a categorical
 * parameter's values become indices into the choices seen, sorted when all are numbers, else in order of first
 * appearance; a log-scaled parameter is flagged `log` (Optuna draws log10 of the values; here they stay as they are).
 *
 * @example
 * ```ts
 * const plot = parallelCoordinates(tuner.trials, { params: ['lr', 'booster'] });
 * // { numbers: [0, 1, …], objective: { name: 'Objective Value', values, range },
 * //   dimensions: [{ name: 'booster', type: 'categorical', values: [0, 1, 0], range: [0, 1], choices: ['gbtree', 'dart'] },
 * //                { name: 'lr', type: 'numeric', log: true, values: [0.01, 0.2, 0.05], range: [0.01, 0.2] }] }
 * ```
 */
export function parallelCoordinates(
  trials: readonly FrozenTrial[],
  options: ParallelCoordinatesOptions = {},
): ParallelCoordinatesPlot {
  const o = parseOptions(parallelSchema, options, 'parallelCoordinates options');
  const complete = completeTrials(trials);
  const count = complete.reduce((most, t) => Math.max(most, objectiveValues(t).length), 0);
  const k = pickObjective('parallelCoordinates', o.objective, Math.max(count, 1));
  const finite = complete.filter((t) => Number.isFinite(objectiveValues(t)[k]));
  const all = new Set(finite.flatMap((t) => Object.keys(t.params)));
  for (const p of o.params ?? []) {
    if (!all.has(p))
      throw invalid(`parallelCoordinates: parameter ${p} does not exist in the COMPLETE trials`);
  }
  const names = [...(o.params === undefined ? all : new Set(o.params))].sort();
  const drawn = finite.filter((t) => names.every((p) => p in t.params));
  const drawnValues = drawn.map((t) => objectiveValues(t)[k] as number);
  const objective = {
    name: count > 1 ? `Objective ${k}` : 'Objective Value',
    values: drawnValues,
    range: rangeOf(drawnValues),
  };
  const dimensions = drawn.length === 0 ? [] : names.map((name) => dimensionOf(name, drawn, finite));
  return { numbers: drawn.map((t) => t.number), objective, dimensions };
}

/**
 * One axis from the drawn trials' values; as in Optuna, its kind is decided over all the trials with a finite
 * objective (drawn or not): log-scaled if any has it log-scaled, else categorical if any has it categorical, and a
 * categorical one has sorted choices if every value is a number.
 */
function dimensionOf(
  name: string,
  drawn: readonly FrozenTrial[],
  finite: readonly FrozenTrial[],
): ParallelDimension {
  const holding = finite.filter((t) => name in t.params);
  const specs = holding.map((t) => t.distributions[name] as ParamSpec);
  const raw = drawn.map((t) => t.params[name] as CategoricalChoice);
  const log = specs.some((s) => s.type !== 'categorical' && s.log === true);
  if (log || specs.every((s) => s.type !== 'categorical')) {
    const values = raw as number[];
    return { name, type: 'numeric', ...(log ? { log } : {}), values, range: rangeOf(values) };
  }
  const numeric = holding.every((t) => typeof t.params[name] === 'number');
  const choices = numeric ? [...new Set(raw as number[])].sort((a, b) => a - b) : [...new Set(raw)];
  const index = new Map<CategoricalChoice, number>(choices.map((c, i) => [c, i]));
  const values = raw.map((v) => index.get(v) as number);
  return { name, type: 'categorical', values, range: rangeOf(values), choices };
}

/** One trial of {@link paretoFrontPlot}. */
export interface ParetoPoint {
  /** The trial's number. */
  number: number;
  /** Its objective values, one per direction. */
  values: number[];
}

/** What {@link paretoFrontPlot} returns. */
export interface ParetoFrontPlot {
  /** The objectives' names, one per direction. */
  names: string[];
  /** The study's directions. */
  directions: StudyDirection[];
  /** The feasible `COMPLETE` trials no other feasible trial dominates, in number order. */
  front: ParetoPoint[];
  /** The other feasible `COMPLETE` trials. */
  dominated: ParetoPoint[];
  /** The `COMPLETE` trials that violate a constraint (some constraint value > 0). */
  infeasible: ParetoPoint[];
}

/** Options of {@link paretoFrontPlot}. */
export interface ParetoFrontPlotOptions {
  /** The study's directions, one per objective. */
  directions: readonly StudyDirection[];
  /** A name per objective. @defaultValue `['Objective 0', 'Objective 1', …]` */
  names?: string[];
}

const paretoSchema = z.strictObject({ directions: directionsSchema, names: z.array(z.string()).optional() });

/**
 * The `COMPLETE` trials split into the Pareto front, the dominated trials and the infeasible ones, mirroring Optuna
 * 3.1's `_get_pareto_front_info` with `include_dominated_trials=True` and constraints read from each trial's
 * `constraints` (as Optuna's `constraints_func`). Unlike Optuna it accepts any number of objectives: drawing more
 * than three is the renderer's business.
 *
 * @example
 * ```ts
 * const plot = paretoFrontPlot(tuner.trials, { directions: ['maximize', 'minimize'], names: ['sharpe', 'drawdown'] });
 * // { front: [{ number: 4, values: [1.8, 0.12] }, …], dominated: […], infeasible: […], names, directions }
 * ```
 */
export function paretoFrontPlot(
  trials: readonly FrozenTrial[],
  options: ParetoFrontPlotOptions,
): ParetoFrontPlot {
  const o = parseOptions(paretoSchema, options, 'paretoFrontPlot options');
  const m = o.directions.length;
  const names = o.names ?? o.directions.map((_, i) => `Objective ${i}`);
  if (names.length !== m) {
    throw invalid(`paretoFrontPlot: names has ${names.length} entries, but there are ${m} directions`);
  }
  const complete = completeTrials(trials);
  const point = (t: FrozenTrial): ParetoPoint => {
    const values = objectiveValues(t);
    if (values.length !== m) {
      throw invalid(
        `paretoFrontPlot: trial ${t.number} has ${values.length} objective values, expected ${m}`,
      );
    }
    return { number: t.number, values: [...values] };
  };
  const feasible = complete.filter(isFeasible).map(point);
  const infeasible = complete.filter((t) => !isFeasible(t)).map(point);
  const onFront = new Set(
    paretoFront(
      feasible.map((p) => p.values),
      o.directions,
    ),
  );
  return {
    names,
    directions: o.directions,
    front: feasible.filter((_, i) => onFront.has(i)),
    dominated: feasible.filter((_, i) => !onFront.has(i)),
    infeasible,
  };
}

/** One trial's curve in {@link intermediateValuesPlot}. */
export interface IntermediateCurve {
  /** The trial's number. */
  number: number;
  /** Its state: `COMPLETE`, `PRUNED` or `RUNNING`. */
  state: TrialState;
  /** The steps it reported at, ascending. */
  steps: number[];
  /** The value reported at each step. */
  values: number[];
}

/**
 * The reported values of every `COMPLETE`, `PRUNED` or `RUNNING` trial that reported any, by step, mirroring Optuna
 * 3.1's `_get_intermediate_plot_info` (with each trial's state added, to colour pruned curves).
 *
 * @example
 * ```ts
 * intermediateValuesPlot(tuner.trials);
 * // [{ number: 0, state: 'COMPLETE', steps: [0, 1, 2], values: [0.61, 0.58, 0.55] },
 * //  { number: 1, state: 'PRUNED', steps: [0], values: [0.74] }, …]
 * ```
 */
export function intermediateValuesPlot(trials: readonly FrozenTrial[]): IntermediateCurve[] {
  return trials
    .filter((t) => t.state === 'COMPLETE' || t.state === 'PRUNED' || t.state === 'RUNNING')
    .map((t) => {
      const steps = Object.keys(t.intermediateValues)
        .map(Number)
        .sort((a, b) => a - b);
      return {
        number: t.number,
        state: t.state,
        steps,
        values: steps.map((s) => t.intermediateValues[s] as number),
      };
    })
    .filter((curve) => curve.steps.length > 0)
    .sort((a, b) => a.number - b.number);
}

/** One bar of {@link importancePlot}. */
export interface ImportanceBar {
  /** The parameter's name. */
  name: string;
  /** Its importance. */
  importance: number;
  /** The importance to print on the bar: two decimals, or `'<0.01'`. */
  label: string;
}

/**
 * Bars for {@link parameterImportance}'s result, most important first, with Optuna 3.1's labels
 * (`_get_importances_info`; Optuna lists them least important first because plotly draws horizontal bars bottom-up).
 *
 * @example
 * ```ts
 * importancePlot(parameterImportance(tuner.trials));
 * // [{ name: 'lr', importance: 0.71, label: '0.71' }, …, { name: 'seed', importance: 0.004, label: '<0.01' }]
 * ```
 */
export function importancePlot(importances: Readonly<Record<string, number>>): ImportanceBar[] {
  for (const [name, v] of Object.entries(importances)) {
    if (typeof v !== 'number' || !(v >= 0)) {
      throw invalid(
        `importancePlot: the importance of ${name} must be a number >= 0, received ${formatNumber(v)}`,
      );
    }
  }
  return Object.entries(importances)
    .sort((a, b) => b[1] - a[1])
    .map(([name, importance]) => ({
      name,
      importance,
      label: importance >= 0.01 ? importance.toFixed(2) : '<0.01',
    }));
}
