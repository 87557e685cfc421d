import { z } from 'zod';
import { MlcycleError } from '../core/errors.js';
import { crc32 as crc32Bytes } from '../core/hash.js';
import { parseOptions } from '../core/options.js';
import { lastStep, type Pruner, type PrunerTrial, type PrunerView } from './pruners.js';

/**
 * Options of {@link successiveHalvingPruner}.
 */
export interface SuccessiveHalvingPrunerOptions {
  /**
   * The steps a trial runs before its first rung, an integer >= 1, or `'auto'`: the largest last step of the
   * completed trials divided by 100 (at least 1), fixed at the first decision where a completed trial exists.
   * @defaultValue 'auto'
   */
  minResource?: number | 'auto';
  /**
   * The rung spacing η: rung k sits at `minResource · η^(minEarlyStoppingRate + k)` and keeps the top 1/η; >= 2.
   * @defaultValue 4
   */
  reductionFactor?: number;
  /**
   * Shifts every rung up by this many powers of η (ASHA's s), >= 0.
   * @defaultValue 0
   */
  minEarlyStoppingRate?: number;
  /**
   * A trial is pruned at a rung until more than this many trials (itself included) have reached it; needs a numeric
   * `minResource`.
   * @defaultValue 0
   */
  bootstrapCount?: number;
}

const halvingSchema = z
  .strictObject({
    minResource: z.union([z.literal('auto'), z.number().int().min(1)]).default('auto'),
    reductionFactor: z.number().int().min(2).default(4),
    minEarlyStoppingRate: z.number().int().min(0).default(0),
    bootstrapCount: z.number().int().min(0).default(0),
  })
  .refine((o) => o.bootstrapCount === 0 || o.minResource !== 'auto', {
    message: "bootstrapCount > 0 needs a numeric minResource, not 'auto'",
    path: ['bootstrapCount'],
  });

/** The first rung the trial has not passed yet (Optuna's `_get_current_rung`). */
function currentRung(trial: PrunerTrial): number {
  let rung = 0;
  while (trial.rungValues?.has(rung)) rung++;
  return rung;
}

/** The largest last step of the completed trials, undefined when none reported. */
function longestCompletedStep(trials: readonly PrunerTrial[]): number | undefined {
  let longest: number | undefined;
  for (const t of trials) {
    if (t.state !== 'COMPLETE') continue;
    const last = lastStep(t);
    if (last !== undefined && (longest === undefined || last > longest)) longest = last;
  }
  return longest;
}

/** `minResource` for `'auto'`: the largest last step of the completed trials over 100, at least 1. */
function estimateMinResource(trials: readonly PrunerTrial[]): number | undefined {
  const longest = longestCompletedStep(trials);
  return longest === undefined ? undefined : Math.max(Math.floor(longest / 100), 1);
}

/**
 * Whether `value` is in the top 1/η of `competing` (which includes it). While fewer than η trials have reached the
 * rung it must be the best so far, since Optuna cannot pause a trial until the rung fills.
 */
function promotable(
  value: number,
  competing: number[],
  eta: number,
  direction: PrunerView['direction'],
): boolean {
  const index = Math.max(Math.floor(competing.length / eta) - 1, 0);
  // Rung values are never NaN: a NaN value is pruned before it is recorded.
  competing.sort((a, b) => a - b);
  if (direction === 'maximize') return value >= (competing[competing.length - 1 - index] as number);
  return value <= (competing[index] as number);
}

/**
 * Decides with ASHA at fixed settings; `trials` are the trials that compete (all of them, or one Hyperband
 * bracket's).
 */
function halvingDecision(
  view: PrunerView,
  trials: readonly PrunerTrial[],
  minResource: number,
  eta: number,
  earlyStoppingRate: number,
  bootstrapCount: number,
): boolean {
  const step = lastStep(view.trial);
  if (step === undefined) return false;
  const value = view.trial.intermediateValues.get(step) as number;
  // A report far past the next rung passes several rungs at once, each with the same value.
  for (let rung = currentRung(view.trial); ; rung++) {
    if (step < minResource * eta ** (earlyStoppingRate + rung)) return false;
    if (Number.isNaN(value)) return true;
    view.recordRung?.(rung, value);
    const competing: number[] = [];
    for (const t of trials) {
      if (t.number === view.trial.number) continue;
      const v = t.rungValues?.get(rung);
      if (v !== undefined) competing.push(v);
    }
    competing.push(value);
    if (competing.length <= bootstrapCount) return true;
    if (!promotable(value, competing, eta, view.direction)) return true;
  }
}

/**
 * Asynchronous successive halving (ASHA; Li et al. 2020, "A System for Massively Parallel Hyperparameter Tuning"),
 * as Optuna 3.1's `SuccessiveHalvingPruner`. When the current trial's last step reaches the next rung
 * (`minResource · η^(minEarlyStoppingRate + rung)`), its latest value is recorded for that rung through
 * `view.recordRung`, and the trial is pruned unless that value is within the top `⌊n/η⌋` (at least the best one) of
 * the `n` values recorded at the rung by any trial, itself included. A NaN value at a rung is pruned.
 *
 * The pruner object remembers an `'auto'` minimum resource once it has been estimated, as Optuna does.
 *
 * @throws MlcycleError `INVALID_ARGUMENT` when an option is out of range or inconsistent.
 * @example
 * ```ts
 * const pruner = successiveHalvingPruner({ minResource: 1, reductionFactor: 3 });
 * pruner.shouldPrune({ ...view, recordRung: (rung, value) => store(trial, rung, value) });
 * ```
 */
export function successiveHalvingPruner(options: SuccessiveHalvingPrunerOptions = {}): Pruner {
  const o = parseOptions(halvingSchema, options, 'successiveHalvingPruner options');
  let minResource = o.minResource === 'auto' ? undefined : o.minResource;
  return {
    shouldPrune(view) {
      if (lastStep(view.trial) === undefined) return false;
      minResource ??= estimateMinResource(view.trials);
      if (minResource === undefined) return false;
      return halvingDecision(
        view,
        view.trials,
        minResource,
        o.reductionFactor,
        o.minEarlyStoppingRate,
        o.bootstrapCount,
      );
    },
  };
}

/**
 * Options of {@link hyperbandPruner}.
 */
export interface HyperbandPrunerOptions {
  /**
   * The steps a trial runs before its first rung in the most aggressive bracket, an integer >= 1.
   * @defaultValue 1
   */
  minResource?: number;
  /**
   * The most steps a trial runs, an integer >= 1, or `'auto'`: the largest last step of the completed trials plus
   * one, fixed at the first decision where a completed trial exists.
   * @defaultValue 'auto'
   */
  maxResource?: number | 'auto';
  /**
   * η of every bracket's successive halving, >= 2.
   * @defaultValue 3
   */
  reductionFactor?: number;
  /**
   * As in {@link SuccessiveHalvingPrunerOptions.bootstrapCount}; needs a numeric `maxResource`.
   * @defaultValue 0
   */
  bootstrapCount?: number;
}

const hyperbandSchema = z
  .strictObject({
    minResource: z.number().int().min(1).default(1),
    maxResource: z.union([z.literal('auto'), z.number().int().min(1)]).default('auto'),
    reductionFactor: z.number().int().min(2).default(3),
    bootstrapCount: z.number().int().min(0).default(0),
  })
  .refine((o) => o.bootstrapCount === 0 || o.maxResource !== 'auto', {
    message: "bootstrapCount > 0 needs a numeric maxResource, not 'auto'",
    path: ['bootstrapCount'],
  })
  .refine((o) => o.maxResource === 'auto' || o.maxResource >= o.minResource, {
    message: 'maxResource must be at least minResource',
    path: ['maxResource'],
  });

/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) of the UTF-8 bytes of `text`, as Python's `binascii.crc32`.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function crc32(text: string): number {
  return crc32Bytes(new TextEncoder().encode(text));
}

interface Brackets {
  budgets: number[];
  total: number;
}

type DoubleDouble = [number, number];

function twoSum(a: number, b: number): DoubleDouble {
  const s = a + b;
  const v = s - a;
  return [s, a - (s - v) + (b - v)];
}

function twoProduct(a: number, b: number): DoubleDouble {
  const p = a * b;
  const splitA = 134217729 * a;
  const aHi = splitA - (splitA - a);
  const splitB = 134217729 * b;
  const bHi = splitB - (splitB - b);
  const aLo = a - aHi;
  const bLo = b - bHi;
  return [p, aHi * bHi - p + aHi * bLo + aLo * bHi + aLo * bLo];
}

function ddAdd(x: DoubleDouble, y: DoubleDouble): DoubleDouble {
  const [s, e] = twoSum(x[0], y[0]);
  return twoSum(s, e + x[1] + y[1]);
}

function ddMul(x: DoubleDouble, y: DoubleDouble): DoubleDouble {
  const [p, e] = twoProduct(x[0], y[0]);
  return twoSum(p, e + x[0] * y[1] + x[1] * y[0]);
}

function ddDiv(x: DoubleDouble, y: DoubleDouble): DoubleDouble {
  const q = x[0] / y[0];
  const r = ddAdd(x, ddMul([-q, 0], y));
  return twoSum(q, (r[0] + r[1]) / y[0]);
}

/**
 * The natural logarithm correctly rounded (double-double series), as glibc's `log` that Python calls: V8's
 * `Math.log(3)` is one ulp below it, which would change Hyperband's bracket count at exact powers of η.
 */
function logRounded(x: number): number {
  let e = Math.floor(Math.log2(x));
  let m = x / 2 ** e;
  if (m > Math.SQRT2) {
    m /= 2;
    e += 1;
  } else if (m < Math.SQRT1_2) {
    m *= 2;
    e -= 1;
  }
  // log m = 2 atanh(s), s = (m − 1)/(m + 1), |s| < 0.172; m − 1 is exact (Sterbenz).
  const s = ddDiv([m - 1, 0], twoSum(m, 1));
  const s2 = ddMul(s, s);
  let term = s;
  let total = s;
  for (let k = 3; Math.abs(term[0]) > 1e-40; k += 2) {
    term = ddMul(term, s2);
    total = ddAdd(total, ddDiv(term, [k, 0]));
  }
  const ln2: DoubleDouble = [Math.LN2, 2.3190468138462996e-17];
  const result = ddAdd(ddMul([e, 0], ln2), ddMul([2, 0], total));
  return result[0] + result[1];
}

/**
 * Hyperband's trial budget of each bracket: with B = ⌊log_η(maxResource / minResource)⌋ + 1 brackets, bracket b
 * gets ⌈B · η^s / (s + 1)⌉, s = B − 1 − b (Optuna's `_calculate_trial_allocation_budget`). Empty when
 * maxResource < minResource.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function hyperbandBudgets(
  minResource: number,
  maxResource: number,
  reductionFactor: number,
): number[] {
  // Python's math.log(x, base) is log(x) / log(base) with rounded logs; keep its rounding (log(243) / log(3) < 5).
  const count = Math.floor(logRounded(maxResource / minResource) / logRounded(reductionFactor)) + 1;
  const budgets: number[] = [];
  for (let b = 0; b < count; b++) {
    const s = count - 1 - b;
    budgets.push(Math.ceil((count * reductionFactor ** s) / (s + 1)));
  }
  return budgets;
}

/**
 * The Hyperband bracket of trial `number`: the CRC-32 of `"<studyName>_<number>"` modulo the summed budgets, walked
 * through the budgets (Optuna's `_get_bracket_id`).
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function hyperbandBracket(budgets: readonly number[], studyName: string, number: number): number {
  const total = budgets.reduce((a, b) => a + b, 0);
  return bracketOf({ budgets: [...budgets], total }, studyName, number);
}

function bracketOf(brackets: Brackets, studyName: string, number: number): number {
  let n = crc32(`${studyName}_${number}`) % brackets.total;
  for (let b = 0; b < brackets.budgets.length; b++) {
    n -= brackets.budgets[b] as number;
    if (n < 0) return b;
  }
  return brackets.budgets.length - 1;
}

/**
 * Hyperband (Li et al. 2018, JMLR 18(185)) run asynchronously, as Optuna 3.1's `HyperbandPruner`: brackets
 * b = 0 … ⌊log_η(maxResource / minResource)⌋ each run {@link successiveHalvingPruner} with
 * `minEarlyStoppingRate = b`, and a trial joins the bracket picked by the CRC-32 of `"<studyName>_<number>"` modulo
 * the summed bracket budgets, so that the same study name gives Optuna's assignment. A trial competes only with the
 * trials of its bracket. `view.studyName` is required.
 *
 * The pruner object remembers an `'auto'` maximum resource once it has been resolved, as Optuna does.
 *
 * @throws MlcycleError `INVALID_ARGUMENT` when an option is out of range or inconsistent.
 * @example
 * ```ts
 * const pruner = hyperbandPruner({ minResource: 1, maxResource: 81, reductionFactor: 3 });
 * pruner.shouldPrune({ ...view, studyName: 'my-study' });
 * ```
 */
export function hyperbandPruner(options: HyperbandPrunerOptions = {}): Pruner {
  const o = parseOptions(hyperbandSchema, options, 'hyperbandPruner options');
  let brackets: Brackets | undefined;
  // Each trial's bracket, by number, for the study named `assignedIn` (brackets never change once chosen).
  const assigned = new Map<number, number>();
  let assignedIn: string | undefined;
  const bracketFor = (chosen: Brackets, name: string, number: number): number => {
    if (assignedIn !== name) {
      assigned.clear();
      assignedIn = name;
    }
    let bracket = assigned.get(number);
    if (bracket === undefined) {
      bracket = bracketOf(chosen, name, number);
      assigned.set(number, bracket);
    }
    return bracket;
  };
  return {
    shouldPrune(view) {
      if (brackets === undefined) {
        let maxResource = o.maxResource;
        if (maxResource === 'auto') {
          const longest = longestCompletedStep(view.trials);
          if (longest === undefined) return false;
          maxResource = longest + 1;
        }
        const budgets = hyperbandBudgets(o.minResource, maxResource, o.reductionFactor);
        brackets = { budgets, total: budgets.reduce((a, b) => a + b, 0) };
      }
      // An automatic maxResource below minResource leaves no bracket, and Optuna then never prunes.
      if (brackets.budgets.length === 0) return false;
      const chosen = brackets;
      const name = view.studyName;
      if (name === undefined) {
        throw new MlcycleError(
          'INVALID_ARGUMENT',
          'hyperbandPruner: view.studyName is required to pick brackets',
        );
      }
      const bracket = bracketFor(chosen, name, view.trial.number);
      const peers = view.trials.filter((t) => bracketFor(chosen, name, t.number) === bracket);
      return halvingDecision(view, peers, o.minResource, o.reductionFactor, bracket, o.bootstrapCount);
    },
  };
}
