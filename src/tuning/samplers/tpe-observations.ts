/**
 * The trials a TPE sampler learns from, kept incrementally: each finished trial is read once (its record never
 * changes), ranked by insertion, and split into the good ("below") and the other ("above") trials as Optuna 3.1's
 * `_get_observation_pairs` and `_split_observation_pairs` do.
 *
 * @module
 */

import { directionSign, violation } from '../pareto.js';
import { type FrozenTrial, objectiveValues, type StudyDirection } from '../types.js';
import { splitByHypervolume } from './tpe-multi-objective.js';

/**
 * One finished trial as TPE ranks it (Optuna 3.1's observation pair without the parameter value).
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export interface Observation {
  /** The trial's number. */
  readonly number: number;
  /** The trial's record. */
  readonly trial: FrozenTrial;
  /** −∞ for a complete trial, −(last step) for a pruned one, 1 for a pruned trial that reported nothing. */
  readonly stepKey: number;
  /** The objective values turned into minimisation (a pruned trial's last intermediate value; NaN becomes ∞). */
  readonly loss: readonly number[];
  /** The sum of the positive constraint values, 0 when feasible, ∞ when the trial has no constraint values. */
  readonly violation: number;
}

function violationOf(trial: FrozenTrial): number {
  return trial.constraints === undefined ? Number.POSITIVE_INFINITY : violation(trial.constraints);
}

/** Optuna's score of a pruned trial: its last reported value, ranked after complete trials and by step. */
function prunedScore(trial: FrozenTrial, sign: number): { stepKey: number; loss: number[] } {
  let step = Number.NEGATIVE_INFINITY;
  let value = 0;
  for (const key of Object.keys(trial.intermediateValues)) {
    const s = Number(key);
    if (s > step) {
      step = s;
      value = trial.intermediateValues[s] as number;
    }
  }
  if (step === Number.NEGATIVE_INFINITY) return { stepKey: 1, loss: [0] };
  return { stepKey: -step, loss: [Number.isNaN(value) ? Number.POSITIVE_INFINITY : sign * value] };
}

/** Single-objective order: feasible before infeasible; feasible by (step, loss); infeasible by violation; then number. */
function compare(a: Observation, b: Observation, constrained: boolean): number {
  if (constrained) {
    const fa = a.violation === 0;
    const fb = b.violation === 0;
    if (fa !== fb) return fa ? -1 : 1;
    if (!fa) return a.violation < b.violation ? -1 : a.violation > b.violation ? 1 : a.number - b.number;
  }
  if (a.stepKey !== b.stepKey) return a.stepKey < b.stepKey ? -1 : 1;
  const x = a.loss[0] as number;
  const y = b.loss[0] as number;
  return x < y ? -1 : x > y ? 1 : a.number - b.number;
}

/** Inserts `item` into `list`, kept sorted by `order`, after any equal items (a binary search for its place). */
function insertSorted<T>(list: T[], item: T, order: (a: T, b: T) => number): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (order(list[mid] as T, item) <= 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, item);
}

/**
 * The observations of one study, updated from `study.trials()` on every call and kept between calls: finished
 * trials are read once, in any order they finish; running trials (for the constant liar) are re-read every time.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export class ObservationStore {
  /** Finished observations in trial-number order. */
  readonly observed: Observation[] = [];
  /** Finished observations in the order this store first saw them (columns follow it with a cursor). */
  readonly log: Observation[] = [];
  /** Running trials at the last update (only when the constant liar is on and the study has one objective). */
  running: FrozenTrial[] = [];
  /** Whether any finished observation carries constraint values (Optuna's `constraints_func` is set). */
  constrained = false;
  /** The largest trial number seen. */
  maxNumber = -1;
  private readonly known = new Set<number>();
  /** The index in `study.trials()` before which every trial is finished and read. */
  private settled = 0;
  private readonly ranking: Observation[] = [];
  private readonly signs: number[];
  /** Whether the study has several objectives. */
  readonly multiObjective: boolean;
  private splitCache: { key: string; below: number[] } | undefined;

  /** @param directions - the study's directions (maximised objectives are negated). */
  constructor(directions: readonly StudyDirection[]) {
    this.signs = directions.map(directionSign);
    this.multiObjective = directions.length > 1;
  }

  /** Reads the trials not seen yet; with `constantLiar`, also the current running trials. */
  update(trials: readonly FrozenTrial[], constantLiar: boolean): void {
    const running: FrozenTrial[] = [];
    let flipped = false;
    // Trials before the first unfinished one were all read already: start there.
    while (this.settled < trials.length && this.isSettled(trials[this.settled] as FrozenTrial))
      this.settled++;
    for (let i = this.settled; i < trials.length; i++) {
      const trial = trials[i] as FrozenTrial;
      if (trial.number > this.maxNumber) this.maxNumber = trial.number;
      if (trial.state === 'RUNNING') {
        if (constantLiar && !this.multiObjective) running.push(trial);
        continue;
      }
      if (this.known.has(trial.number) || (trial.state !== 'COMPLETE' && trial.state !== 'PRUNED')) continue;
      const observation = this.observe(trial);
      this.known.add(trial.number);
      if (observation === undefined) continue;
      if (!this.constrained && trial.constraints !== undefined) {
        this.constrained = true;
        flipped = true;
      }
      insertSorted(this.observed, observation, (a, b) => a.number - b.number);
      this.log.push(observation);
      if (!this.multiObjective)
        insertSorted(this.ranking, observation, (a, b) => compare(a, b, this.constrained));
    }
    if (flipped) this.ranking.sort((a, b) => compare(a, b, true));
    this.running = running;
  }

  private isSettled(trial: FrozenTrial): boolean {
    return (
      trial.state === 'FAIL' ||
      ((trial.state === 'COMPLETE' || trial.state === 'PRUNED') && this.known.has(trial.number))
    );
  }

  private observe(trial: FrozenTrial): Observation | undefined {
    const base = { number: trial.number, trial, violation: violationOf(trial) };
    if (trial.state === 'COMPLETE') {
      const values = objectiveValues(trial);
      if (values.length !== this.signs.length) return undefined;
      return {
        ...base,
        stepKey: Number.NEGATIVE_INFINITY,
        loss: values.map((v, k) => (this.signs[k] as number) * v),
      };
    }
    // Optuna 3.1's multi-objective TPE ignores pruned trials.
    if (this.multiObjective) return undefined;
    return { ...base, ...prunedScore(trial, this.signs[0] as number) };
  }

  /** The number of finished observations (Optuna's n: complete and, for one objective, pruned trials). */
  get count(): number {
    return this.observed.length;
  }

  /** The trial numbers of the `nBelow` best observations, ascending (cached until the observations change). */
  below(nBelow: number): number[] {
    const key = `${this.observed.length}:${nBelow}:${this.constrained}`;
    if (this.splitCache?.key === key) return this.splitCache.below;
    const below = this.multiObjective ? this.splitMultiObjective(nBelow) : this.ranking.slice(0, nBelow);
    const numbers = below.map((o) => o.number).sort((a, b) => a - b);
    this.splitCache = { key, below: numbers };
    return numbers;
  }

  /** Optuna 3.1's constrained split around its multi-objective one (nondominated ranks, then hypervolume). */
  private splitMultiObjective(nBelow: number): Observation[] {
    const all = this.observed;
    if (!this.constrained) return splitByHypervolume(all, nBelow);
    const feasible = all.filter((o) => o.violation === 0);
    if (feasible.length > nBelow) return splitByHypervolume(feasible, nBelow);
    const byViolation = [...all].sort((a, b) => a.violation - b.violation || a.number - b.number);
    return byViolation.slice(0, nBelow);
  }
}
