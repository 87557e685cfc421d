import { z } from 'zod';
import { assertFiniteArray } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { rankAverage } from '../core/numeric.js';
import { parseOptions } from '../core/options.js';
import { normalCdf, normalSf } from '../stats/distributions.js';
import type { Pruner, PrunerTrial } from './pruners.js';

/**
 * Options of {@link wilcoxonSignedRank}.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export interface SignedRankOptions {
  /**
   * `'greater'`: the differences are shifted above 0; `'less'`: below; `'two-sided'`: either.
   * @defaultValue 'two-sided'
   */
  alternative?: 'two-sided' | 'less' | 'greater';
  /**
   * `'wilcox'` drops zero differences, `'pratt'` ranks them and then drops them, `'zsplit'` splits their ranks
   * evenly between the positive and negative sums.
   * @defaultValue 'wilcox'
   */
  zeroMethod?: 'wilcox' | 'pratt' | 'zsplit';
}

/**
 * The result of {@link wilcoxonSignedRank}.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export interface SignedRankResult {
  /** R+ (the rank sum of positive differences) for one-sided tests, min(R+, R−) for the two-sided test. */
  statistic: number;
  /** The p-value; NaN when there are no differences. */
  pValue: number;
  /** Whether the p-value is exact or from the normal approximation. */
  method: 'exact' | 'approx';
}

const signedRankSchema = z.strictObject({
  alternative: z.enum(['two-sided', 'less', 'greater']).default('two-sided'),
  zeroMethod: z.enum(['wilcox', 'pratt', 'zsplit']).default('wilcox'),
});

/** The null distribution of R+ for n ranks, P(R+ = r) for r = 0 … n(n+1)/2, built one rank at a time. */
function signedRankPmf(n: number): Float64Array {
  let pmf = new Float64Array([1]);
  for (let k = 1; k <= n; k++) {
    const next = new Float64Array((k * (k + 1)) / 2 + 1);
    // Rank k is either negative (R+ unchanged) or positive (R+ + k), each with probability 1/2.
    for (let r = 0; r < pmf.length; r++) {
      next[r] = (next[r] as number) + (pmf[r] as number) * 0.5;
      next[r + k] = (next[r + k] as number) + (pmf[r] as number) * 0.5;
    }
    pmf = next;
  }
  return pmf;
}

function sumRange(values: Float64Array, from: number, to: number): number {
  let total = 0;
  for (let i = Math.max(from, 0); i < Math.min(to, values.length); i++) total += values[i] as number;
  return total;
}

/**
 * The Wilcoxon signed-rank test of paired differences `d` against a median of 0, as `scipy.stats.wilcoxon(d)` in
 * scipy 1.10 with `mode='auto'` and no continuity correction. The p-value is exact for at most 50 differences
 * without a zero — even with tied magnitudes, where R+ is truncated to an integer as scipy does — and otherwise
 * from the normal approximation with mean n(n+1)/4 and variance (n(n+1)(2n+1) − ½Σ(t³ − t))/24 over the tie groups
 * t of the ranks (Pratt's zeros adjusted after Cureton 1967).
 *
 * @param d - the paired differences (finite numbers; empty gives a NaN p-value).
 * @throws MlcycleError `INVALID_ARGUMENT` when a difference is not finite, an option is invalid, or every difference
 *   is zero under `'wilcox'` or `'pratt'` (as scipy).
 * @internal used by the tuning module; not part of the public surface yet.
 * @example
 * ```ts
 * wilcoxonSignedRank([0.5, 1.2, -0.3, 0.8, 2.1], { alternative: 'greater' }); // pValue 0.0625, exact
 * ```
 */
export function wilcoxonSignedRank(d: ArrayLike<number>, options: SignedRankOptions = {}): SignedRankResult {
  assertFiniteArray(d, 'd');
  const { alternative, zeroMethod } = parseOptions(signedRankSchema, options, 'wilcoxonSignedRank options');
  if (d.length === 0) return { statistic: Number.NaN, pValue: Number.NaN, method: 'exact' };
  let zeros = 0;
  for (let i = 0; i < d.length; i++) if (d[i] === 0) zeros++;
  const method = d.length <= 50 && zeros === 0 ? 'exact' : 'approx';
  if (method === 'approx' && zeroMethod !== 'zsplit' && zeros === d.length) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `wilcoxonSignedRank: zeroMethod '${zeroMethod}' needs at least one nonzero difference`,
    );
  }
  const kept =
    method === 'approx' && zeroMethod === 'wilcox' ? Array.from(d).filter((v) => v !== 0) : Array.from(d);
  const n = kept.length;
  const { ranks } = rankAverage(kept.map(Math.abs));
  let rPlus = 0;
  let rMinus = 0;
  let rZero = 0;
  for (let i = 0; i < n; i++) {
    const v = kept[i] as number;
    if (v > 0) rPlus += ranks[i] as number;
    else if (v < 0) rMinus += ranks[i] as number;
    else rZero += ranks[i] as number;
  }
  if (zeroMethod === 'zsplit') {
    rPlus += rZero / 2;
    rMinus += rZero / 2;
  }
  const statistic = alternative === 'two-sided' ? Math.min(rPlus, rMinus) : rPlus;

  if (method === 'exact') {
    const pmf = signedRankPmf(n);
    const r = Math.trunc(rPlus);
    let p: number;
    if (alternative === 'greater') p = sumRange(pmf, r, pmf.length);
    else if (alternative === 'less') p = sumRange(pmf, 0, r + 1);
    else if (r === (pmf.length - 1) / 2) p = 1;
    else p = 2 * Math.min(sumRange(pmf, r, pmf.length), sumRange(pmf, 0, r + 1));
    return { statistic, pValue: Math.min(Math.max(p, 0), 1), method };
  }

  let mean = (n * (n + 1)) / 4;
  let spread = n * (n + 1) * (2 * n + 1);
  let tieRanks: ArrayLike<number> = ranks;
  if (zeroMethod === 'pratt') {
    tieRanks = ranks.filter((_, i) => kept[i] !== 0);
    mean -= (zeros * (zeros + 1)) / 4;
    spread -= zeros * (zeros + 1) * (2 * zeros + 1);
  }
  for (const t of rankAverage(tieRanks).tieSizes) spread -= 0.5 * t * (t * t - 1);
  const z0 = (statistic - mean) / Math.sqrt(spread / 24);
  let p: number;
  if (alternative === 'two-sided') p = 2 * normalSf(Math.abs(z0));
  else if (alternative === 'greater') p = normalSf(z0);
  else p = normalCdf(z0);
  return { statistic, pValue: p, method };
}

/**
 * Options of {@link wilcoxonPruner}.
 */
export interface WilcoxonPrunerOptions {
  /**
   * Prune when the one-sided p-value that the trial is worse than the best trial falls below this, in [0, 1].
   * @defaultValue 0.1
   */
  pThreshold?: number;
  /**
   * No trial is pruned before it shares this many steps with the best trial.
   * @defaultValue 0
   */
  startupSteps?: number;
}

const wilcoxonSchema = z.strictObject({
  pThreshold: z.number().min(0).max(1).default(0.1),
  startupSteps: z.number().int().min(0).default(0),
});

/** The completed trial with the best final value; ties go to the one listed first. */
function bestTrial(trials: readonly PrunerTrial[], maximize: boolean): PrunerTrial | undefined {
  let best: PrunerTrial | undefined;
  for (const t of trials) {
    if (t.state !== 'COMPLETE' || t.value === undefined || Number.isNaN(t.value)) continue;
    if (
      best === undefined ||
      (maximize ? t.value > (best.value as number) : t.value < (best.value as number))
    ) {
      best = t;
    }
  }
  return best;
}

function average(values: Iterable<number>): number {
  let total = 0;
  let n = 0;
  for (const v of values) {
    total += v;
    n++;
  }
  return total / n;
}

/**
 * Prunes a trial that a Wilcoxon signed-rank test finds worse than the best completed trial, as Optuna's
 * `WilcoxonPruner` (added in Optuna 3.6; this follows the rule of Optuna 4): the steps are instances (folds, inputs)
 * that every trial evaluates, and the test pairs the current trial's values with the best trial's at the steps both
 * reported, one-sided (`'greater'` for minimisation, `'less'` for maximisation) with zero differences split
 * (`zero_method='zsplit'`). The trial is pruned when p < `pThreshold`, unless the mean of its values is at least as
 * good as the mean of the best trial's values. No pruning while the current or best trial has a non-finite value,
 * before any trial completes, or before `startupSteps` shared steps. The best trial is the completed trial with the
 * best final value (ties: the first listed, which for Optuna's in-memory storage is the first completed).
 *
 * @throws MlcycleError `INVALID_ARGUMENT` when an option is out of range.
 * @example
 * ```ts
 * const pruner = wilcoxonPruner({ pThreshold: 0.1 });
 * pruner.shouldPrune(view); // view.trial reports the loss on fold `step` at step `step`
 * ```
 */
export function wilcoxonPruner(options: WilcoxonPrunerOptions = {}): Pruner {
  const { pThreshold, startupSteps } = parseOptions(wilcoxonSchema, options, 'wilcoxonPruner options');
  return {
    shouldPrune(view) {
      const current = view.trial.intermediateValues;
      if (current.size === 0) return false;
      for (const v of current.values()) if (!Number.isFinite(v)) return false;
      const maximize = view.direction === 'maximize';
      const best = bestTrial(view.trials, maximize);
      if (best === undefined || best.intermediateValues.size === 0) return false;
      for (const v of best.intermediateValues.values()) if (!Number.isFinite(v)) return false;
      const shared = [...current.keys()].filter((s) => best.intermediateValues.has(s)).sort((a, b) => a - b);
      if (shared.length < startupSteps) return false;
      const diffs = shared.map(
        (s) => (current.get(s) as number) - (best.intermediateValues.get(s) as number),
      );
      const { pValue } = wilcoxonSignedRank(diffs, {
        alternative: maximize ? 'less' : 'greater',
        zeroMethod: 'zsplit',
      });
      const bestMean = average(best.intermediateValues.values());
      const currentMean = average(current.values());
      // Safety: a trial whose average is already as good as the best trial's is never pruned.
      const averageIsBest = maximize ? bestMean <= currentMean : bestMean >= currentMean;
      return pValue < pThreshold && !averageIsBest;
    },
  };
}
