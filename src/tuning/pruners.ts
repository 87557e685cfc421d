import { z } from 'zod';
import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { quantileSorted, sortedCopy } from '../core/numeric.js';
import { parseOptions } from '../core/options.js';

/**
 * The life-cycle state of a trial, with Optuna's names (`optuna.trial.TrialState`).
 */
export type TrialState = 'COMPLETE' | 'PRUNED' | 'RUNNING' | 'FAIL' | 'WAITING';

/**
 * What a pruner needs to know about one trial.
 */
export interface PrunerTrial {
  /** The trial's number in its study, from 0. */
  number: number;
  /** The trial's state. */
  state: TrialState;
  /** The reported intermediate values, step → value; steps are integers >= 0 in any order. */
  intermediateValues: ReadonlyMap<number, number>;
  /** The final objective value of a completed trial. */
  value?: number;
  /**
   * The values the trial had when it passed successive-halving rungs, rung → value (Optuna's `completed_rung_<k>`
   * system attributes). Only the halving pruners read it.
   */
  rungValues?: ReadonlyMap<number, number>;
}

/**
 * The study as a pruner sees it when it decides about the current trial.
 */
export interface PrunerView {
  /** The trial being decided, usually `RUNNING`. */
  trial: PrunerTrial;
  /** Every trial of the study in any state (it may include the current trial). */
  trials: readonly PrunerTrial[];
  /** Whether smaller or larger objective values are better. */
  direction: 'minimize' | 'maximize';
  /** The study's name; the Hyperband pruner hashes it with the trial number to pick a bracket. */
  studyName?: string;
  /**
   * Called by the halving pruners when the current trial passes a rung, so that the study stores the value in the
   * trial's `rungValues` (Optuna writes it to the storage at that moment, before deciding).
   */
  recordRung?: (rung: number, value: number) => void;
}

/**
 * A pruning rule: decides from the reported intermediate values whether the current trial should stop early.
 */
export interface Pruner {
  /** Whether the current trial of `view` should be pruned now. */
  shouldPrune(view: PrunerView): boolean;
}

/**
 * The last (largest) reported step of a trial, or undefined when it reported nothing (Optuna's `last_step`).
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function lastStep(trial: PrunerTrial): number | undefined {
  let last: number | undefined;
  for (const step of trial.intermediateValues.keys()) if (last === undefined || step > last) last = step;
  return last;
}

/**
 * Whether `step` is the first report at or after the latest pruning check (checks fall on warmup + k·interval), so
 * that a check skipped for lack of a report happens at the next report instead (Optuna's
 * `_is_first_in_interval_step`).
 */
function isFirstInInterval(
  trial: PrunerTrial,
  step: number,
  warmupSteps: number,
  intervalSteps: number,
): boolean {
  const latestCheck = Math.floor((step - warmupSteps) / intervalSteps) * intervalSteps + warmupSteps;
  let previous = -1;
  for (const s of trial.intermediateValues.keys()) if (s > previous && s !== step) previous = s;
  return previous < latestCheck;
}

/** numpy's nanmin/nanmax: the best non-NaN value, NaN when there is none. */
function bestOf(values: Iterable<number>, direction: PrunerView['direction']): number {
  let best = Number.NaN;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(best) || (direction === 'minimize' ? v < best : v > best)) best = v;
  }
  return best;
}

/**
 * Options of {@link percentilePruner} and {@link medianPruner}.
 */
export interface PercentilePrunerOptions {
  /**
   * No trial is pruned until this many trials of the study have completed.
   * @defaultValue 5
   */
  startupTrials?: number;
  /**
   * No trial is pruned before it reports this step (steps are assumed to start at 0).
   * @defaultValue 0
   */
  warmupSteps?: number;
  /**
   * Steps between pruning checks, counted from `warmupSteps`; a check without a report waits for the next report.
   * @defaultValue 1
   */
  intervalSteps?: number;
  /**
   * A trial is not pruned at a step where fewer completed trials reported a value.
   * @defaultValue 1
   */
  minTrials?: number;
}

const count = z.number().int().min(0);
const percentileSchema = z.strictObject({
  startupTrials: count.default(5),
  warmupSteps: count.default(0),
  intervalSteps: z.number().int().min(1).default(1),
  minTrials: z.number().int().min(1).default(1),
});

/**
 * A pruner that keeps the best `percentile` percent of trials: it prunes a trial whose best intermediate value so
 * far is worse than the given percentile of the completed trials' values at the trial's last step, as Optuna 3.1's
 * `PercentilePruner`. The percentile is numpy's `nanpercentile` (linear interpolation, NaNs ignored) over the
 * completed trials that reported that step; for maximisation it is taken at `100 − percentile`. A trial whose values
 * are all NaN is pruned; a step where every completed value is NaN prunes nothing.
 *
 * @param percentile - a number in [0, 100]; 25 keeps the top quarter.
 * @throws MlcycleError `INVALID_ARGUMENT` when `percentile` or an option is out of range.
 * @example
 * ```ts
 * const pruner = percentilePruner(25, { startupTrials: 5, warmupSteps: 30, intervalSteps: 10 });
 * if (pruner.shouldPrune(view)) stopTrial();
 * ```
 */
export function percentilePruner(percentile: number, options: PercentilePrunerOptions = {}): Pruner {
  if (typeof percentile !== 'number' || !(percentile >= 0 && percentile <= 100)) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `percentilePruner: percentile must be a number in [0, 100], received ${formatNumber(percentile)}`,
    );
  }
  return percentileRule(percentile, parseOptions(percentileSchema, options, 'percentilePruner options'));
}

/** The rule of {@link percentilePruner}, given its options already parsed (so each caller parses them once). */
function percentileRule(
  percentile: number,
  { startupTrials, warmupSteps, intervalSteps, minTrials }: z.output<typeof percentileSchema>,
): Pruner {
  return {
    shouldPrune(view) {
      const completed = view.trials.filter((t) => t.state === 'COMPLETE');
      if (completed.length === 0 || completed.length < startupTrials) return false;
      const step = lastStep(view.trial);
      if (step === undefined || step < warmupSteps) return false;
      if (!isFirstInInterval(view.trial, step, warmupSteps, intervalSteps)) return false;
      const best = bestOf(view.trial.intermediateValues.values(), view.direction);
      if (Number.isNaN(best)) return true;
      const atStep: number[] = [];
      for (const t of completed) {
        const v = t.intermediateValues.get(step);
        if (v !== undefined) atStep.push(v);
      }
      // Optuna counts NaN reports towards minTrials, then ignores them in the percentile.
      if (atStep.length < minTrials) return false;
      const q = view.direction === 'maximize' ? 100 - percentile : percentile;
      const threshold = quantileSorted(sortedCopy(atStep.filter((v) => !Number.isNaN(v))), q / 100);
      if (Number.isNaN(threshold)) return false;
      return view.direction === 'maximize' ? best < threshold : best > threshold;
    },
  };
}

/**
 * The median stopping rule: prunes a trial whose best intermediate value so far is worse than the median of the
 * completed trials' values at the same step — Optuna 3.1's `MedianPruner`, i.e. {@link percentilePruner} at 50.
 *
 * @throws MlcycleError `INVALID_ARGUMENT` when an option is out of range.
 * @example
 * ```ts
 * const pruner = medianPruner({ startupTrials: 5, warmupSteps: 10 });
 * pruner.shouldPrune(view); // true when the trial is behind the median so far
 * ```
 */
export function medianPruner(options: PercentilePrunerOptions = {}): Pruner {
  return percentileRule(50, parseOptions(percentileSchema, options, 'medianPruner options'));
}

/**
 * Options of {@link thresholdPruner}; at least one of `lower` and `upper` is required.
 */
export interface ThresholdPrunerOptions {
  /** Prune when the latest value is below this. */
  lower?: number;
  /** Prune when the latest value is above this. */
  upper?: number;
  /**
   * No trial is pruned before it reports this step.
   * @defaultValue 0
   */
  warmupSteps?: number;
  /**
   * Steps between pruning checks, counted from `warmupSteps`.
   * @defaultValue 1
   */
  intervalSteps?: number;
}

const thresholdSchema = z
  .strictObject({
    lower: z.number().optional(),
    upper: z.number().optional(),
    warmupSteps: count.default(0),
    intervalSteps: z.number().int().min(1).default(1),
  })
  .refine((o) => o.lower !== undefined || o.upper !== undefined, 'lower or upper must be given')
  .refine((o) => o.lower === undefined || o.upper === undefined || o.lower <= o.upper, {
    message: 'lower must be at most upper',
    path: ['lower'],
  });

/**
 * Prunes a trial whose latest intermediate value is NaN or outside `[lower, upper]`, as Optuna 3.1's
 * `ThresholdPruner` (same warmup and interval rules as {@link percentilePruner}).
 *
 * @throws MlcycleError `INVALID_ARGUMENT` when neither bound is given, `lower > upper` or an option is out of range.
 * @example
 * ```ts
 * const pruner = thresholdPruner({ upper: 1.0 }); // stop a loss that diverges past 1
 * ```
 */
export function thresholdPruner(options: ThresholdPrunerOptions): Pruner {
  const o = parseOptions(thresholdSchema, options, 'thresholdPruner options');
  const lower = o.lower ?? Number.NEGATIVE_INFINITY;
  const upper = o.upper ?? Number.POSITIVE_INFINITY;
  return {
    shouldPrune(view) {
      const step = lastStep(view.trial);
      if (step === undefined || step < o.warmupSteps) return false;
      if (!isFirstInInterval(view.trial, step, o.warmupSteps, o.intervalSteps)) return false;
      const latest = view.trial.intermediateValues.get(step) as number;
      return Number.isNaN(latest) || latest < lower || latest > upper;
    },
  };
}

/**
 * Options of {@link patientPruner}.
 */
export interface PatientPrunerOptions {
  /** How many steps without improvement to tolerate, an integer >= 0. */
  patience: number;
  /**
   * The improvement, >= 0, that counts as one.
   * @defaultValue 0
   */
  minDelta?: number;
}

const patientSchema = z.strictObject({
  patience: count,
  minDelta: z.number().min(0).default(0),
});

/**
 * Waits `patience` steps without improvement before consulting `wrapped` (or pruning, when `wrapped` is null), as
 * Optuna 3.1's `PatientPruner`: with the steps sorted, the best value (NaNs ignored) of the last `patience + 1`
 * reports must be worse than the best of the earlier ones by more than `minDelta`. Needs more than `patience + 1`
 * reports.
 *
 * @throws MlcycleError `INVALID_ARGUMENT` when an option is out of range.
 * @example
 * ```ts
 * const pruner = patientPruner(medianPruner(), { patience: 3 });
 * ```
 */
export function patientPruner(wrapped: Pruner | null, options: PatientPrunerOptions): Pruner {
  if (wrapped !== null && typeof wrapped?.shouldPrune !== 'function') {
    throw new MlcycleError('INVALID_ARGUMENT', 'patientPruner: wrapped must be a pruner or null');
  }
  const { patience, minDelta } = parseOptions(patientSchema, options, 'patientPruner options');
  return {
    shouldPrune(view) {
      const steps = [...view.trial.intermediateValues.keys()].sort((a, b) => a - b);
      if (steps.length <= patience + 1) return false;
      const values = steps.map((s) => view.trial.intermediateValues.get(s) as number);
      const cut = steps.length - patience - 1;
      const before = bestOf(values.slice(0, cut), view.direction);
      const after = bestOf(values.slice(cut), view.direction);
      // Comparisons with NaN are false, so a window of only NaNs never triggers pruning.
      const stalled = view.direction === 'minimize' ? before + minDelta < after : before - minDelta > after;
      if (!stalled) return false;
      return wrapped === null ? true : wrapped.shouldPrune(view);
    },
  };
}
