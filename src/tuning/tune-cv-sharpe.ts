/**
 * The Sharpe-ratio side of {@link tuneWithCV}: predictions turned into strategy returns, the per-fold Sharpe ratio,
 * and the deflated Sharpe ratio of the best trial.
 *
 * @module
 */
import { z } from 'zod';
import { variance } from '../core/numeric.js';
import { parseOptions } from '../core/options.js';
import type { MetricFunction } from '../cv/validate.js';
import { sharpeRatio } from '../metrics/returns.js';
import { type DeflatedSharpeResult, deflatedSharpeRatio } from '../metrics/sharpe-inference.js';
import { loadNumber, type StoredNumber } from './study-state.js';
import type { FrozenTrial } from './types.js';

/**
 * How {@link tuneWithCV} scores predictions as a trading strategy, for the `'sharpe'` metric and the deflated Sharpe
 * ratio.
 */
export interface SharpeOptions {
  /** Return periods in a year, to annualise the Sharpe ratio (empyrical's convention). @defaultValue 252 */
  periodsPerYear?: number;
  /** Annual risk-free rate, as in `sharpeRatio`. @defaultValue 0 */
  riskFreeRate?: number;
  /**
   * The strategy's return on each test row from the fold's targets and predictions (what the metric receives: the
   * probabilities for a probability metric). The default, {@link signReturns}, reads `y` as the asset's return over
   * the period each prediction is made for and holds a long position when the prediction is positive, a short one
   * when it is negative, none at 0.
   */
  returns?: (yTrue: ArrayLike<number>, yPred: ArrayLike<number>) => ArrayLike<number>;
}

const sharpeSchema = z.strictObject({
  periodsPerYear: z.number().positive().default(252),
  riskFreeRate: z.number().gt(-1).default(0),
  returns: z
    .custom<NonNullable<SharpeOptions['returns']>>((f) => typeof f === 'function', 'Expected a function')
    .optional(),
});

/**
 * {@link SharpeOptions} with defaults applied.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export interface SharpeSettings {
  periodsPerYear: number;
  riskFreeRate: number;
  returns: NonNullable<SharpeOptions['returns']>;
}

function annualisation(settings: SharpeSettings): { periodsPerYear: number; riskFreeRate: number } {
  return { periodsPerYear: settings.periodsPerYear, riskFreeRate: settings.riskFreeRate };
}

/**
 * Validates {@link SharpeOptions} and applies the defaults.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function sharpeSettings(options: unknown): SharpeSettings {
  const parsed = parseOptions(sharpeSchema, options ?? {}, 'tuneWithCV sharpe options');
  return { ...parsed, returns: parsed.returns ?? signReturns };
}

/**
 * The returns of trading the sign of each prediction: sign(ŷᵢ)·yᵢ, where yᵢ is the asset's return over the period
 * that prediction ŷᵢ is for. The default strategy of {@link tuneWithCV}'s Sharpe ratio.
 *
 * @example
 * ```ts
 * signReturns([0.01, -0.02, 0.03], [0.5, -1, 0]); // [0.01, 0.02, 0]
 * ```
 */
export function signReturns(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number[] {
  const out = new Array<number>(yTrue.length);
  for (let i = 0; i < yTrue.length; i++) out[i] = Math.sign(yPred[i] as number) * (yTrue[i] as number);
  return out;
}

/**
 * One trial's out-of-sample strategy returns, collected fold by fold as the trial's metric sees the predictions.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export class ReturnsRecorder {
  private readonly folds: ArrayLike<number>[] = [];

  constructor(private readonly settings: SharpeSettings) {}

  /** Records a fold's strategy returns and gives them back. */
  record(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): ArrayLike<number> {
    const returns = this.settings.returns(yTrue, yPred);
    this.folds.push(returns);
    return returns;
  }

  /** The `'sharpe'` metric: the annualised Sharpe ratio of a fold's strategy returns (NaN below 2 returns). */
  readonly sharpe: MetricFunction = (yTrue, yPred) =>
    sharpeRatio(this.record(yTrue, yPred), annualisation(this.settings));

  /** Every recorded return, folds in order. */
  pooled(): Float64Array {
    const out = new Float64Array(this.folds.reduce((n, f) => n + f.length, 0));
    let at = 0;
    for (const fold of this.folds) {
      out.set(fold, at);
      at += fold.length;
    }
    return out;
  }

  /** The annualised Sharpe ratio of pooled returns `r` (NaN below 2 returns). */
  pooledSharpe(r: Float64Array): number {
    if (r.length < 2) return Number.NaN;
    return sharpeRatio(r, annualisation(this.settings));
  }
}

/**
 * The best trial's Sharpe ratio deflated for the search that found it (Bailey & López de Prado 2014).
 *
 * How to read it: `deflatedSharpe` is the probability that the best trial's true Sharpe ratio is above
 * `expectedMaxSharpe`, the per-period Sharpe ratio that the best of `trials` strategies without any skill would
 * show by luck alone, given how much the trials' Sharpe ratios varied. Above 0.95, the edge is unlikely to be an
 * artefact of trying many parameter sets; around 0.5 or below, the "best" parameters are most likely the luckiest
 * ones, and their out-of-sample Sharpe ratio should be expected to shrink. More trials and more widely spread trial
 * Sharpe ratios raise the bar; a longer out-of-sample record, positive skew and thin tails lower it.
 */
export interface CVDeflatedSharpe extends DeflatedSharpeResult {
  /** The best trial's annualised Sharpe ratio over all its out-of-sample returns, the folds pooled. */
  sharpe: number;
  /** Number of completed trials N the best was selected from. */
  trials: number;
}

/**
 * The deflated Sharpe ratio of the best trial among the completed `trials`: N is the number of completed trials, V
 * the variance (ddof = 0, as mlfinlab) of their per-period pooled out-of-sample Sharpe ratios (`userAttrs.sharpe` /
 * √periodsPerYear), and the observed Sharpe ratio, skewness and kurtosis come from the best trial's pooled returns
 * `bestReturns`. Undefined with fewer than two completed trials with a finite Sharpe ratio, or when a return of the
 * best trial is not finite.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function deflateBest(
  trials: readonly FrozenTrial[],
  bestReturns: Float64Array,
  settings: SharpeSettings,
): CVDeflatedSharpe | undefined {
  const completed = trials.filter((t) => t.state === 'COMPLETE');
  const scale = Math.sqrt(settings.periodsPerYear);
  const sharpes = completed
    .map((t) =>
      t.userAttrs.sharpe === undefined ? Number.NaN : loadNumber(t.userAttrs.sharpe as StoredNumber),
    )
    .filter(Number.isFinite)
    .map((s) => s / scale);
  if (sharpes.length < 2 || bestReturns.length < 2) return undefined;
  if (!bestReturns.every(Number.isFinite)) return undefined;
  const result = deflatedSharpeRatio(bestReturns, {
    trials: completed.length,
    sharpeVariance: variance(sharpes, 0),
    periodsPerYear: settings.periodsPerYear,
    riskFreeRate: settings.riskFreeRate,
  });
  return {
    ...result,
    sharpe: sharpeRatio(bestReturns, annualisation(settings)),
    trials: completed.length,
  };
}
