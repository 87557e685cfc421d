/**
 * Hyperparameter search with time-series cross-validation inside every trial: each fold is a pruning step, and a
 * Sharpe-ratio search gets its best result deflated for the number of trials.
 *
 * @module
 */
import { z } from 'zod';
import { assertSameLength } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { mean } from '../core/numeric.js';
import { parseOptions } from '../core/options.js';
import { TimeSeriesCV, type TimeSeriesCVOptions } from '../cv/time-series-cv.js';
import type { SplitInputs } from '../cv/types.js';
import { type FoldResult, runFolds } from '../cv/validate.js';
import type { Model } from '../models/model.js';
import type { OptimizeOptions } from './optimize.js';
import type { Pruner } from './pruners.js';
import type { Params, ParamsOf, SearchSpace } from './space.js';
import { loadNumber, type StoredNumber, storeNumber } from './study-state.js';
import { type Trial, TrialPruned } from './trial.js';
import { resolveSearchMetric, type TuneMetricSpec, trialScorer } from './tune-cv-metric.js';
import { type CVDeflatedSharpe, deflateBest, ReturnsRecorder, type SharpeOptions } from './tune-cv-sharpe.js';
import { HyperparameterTuner, type HyperparameterTunerOptions, type TunerProgress } from './tuner.js';
import type { PrunerName } from './tuner-options.js';
import type { FrozenTrial, StudyDirection } from './types.js';

export type { TuneMetric, TuneMetricSpec } from './tune-cv-metric.js';
export { type CVDeflatedSharpe, type SharpeOptions, signReturns } from './tune-cv-sharpe.js';

function invalid(message: string): MlcycleError {
  return new MlcycleError('INVALID_ARGUMENT', message);
}

/** Options of {@link tuneWithCV}. */
export interface TuneWithCVOptions extends SplitInputs {
  /** The folds every trial runs: a {@link TimeSeriesCV} or its options. */
  cv: TimeSeriesCV | TimeSeriesCVOptions;
  /** The score of a fold; a trial's value is the mean over its folds. */
  metric: TuneMetricSpec;
  /**
   * Whether to maximise or minimise the metric. Inferred for built-in metrics (errors and losses are minimised;
   * accuracy-like scores, r2 and Sharpe ratios maximised) and then, if given, must agree; required for a custom
   * metric without its own `direction`.
   */
  direction?: StudyDirection;
  /** Number of trials to run (pruned and failed trials count). */
  nTrials: number;
  /** Stop starting trials after this many milliseconds. @defaultValue no limit */
  timeoutMs?: number;
  /** Stops the search: running trials finish their folds, no new one starts, and the call rejects with `ABORTED`. */
  signal?: AbortSignal;
  /**
   * Stops unpromising trials between folds. `'median'` (Optuna's `MedianPruner`, once 5 trials have completed)
   * stops a trial after its first fold when it is worse than the median of earlier trials at that fold.
   * `'wilcoxon'` compares a trial's fold scores with the best trial's on the same folds (Optuna's
   * `WilcoxonPruner`, p < 0.1): sounder with many folds, but the exact test cannot reach p < 0.1 with fewer than 4
   * shared folds, so it usually prunes from the 4th fold on (a fold with no difference switches the test to its
   * normal approximation, as scipy's does, which can prune after 3). `'none'`, the tuner's other pruner names or a pruner object
   * also work.
   * @defaultValue 'median'
   */
  pruner?: PrunerName | Pruner;
  /** The sampler: a name or a sampler object, as in {@link HyperparameterTunerOptions}. @defaultValue 'tpe' */
  sampler?: NonNullable<HyperparameterTunerOptions['sampler']>;
  /** Seed of the sampler. @defaultValue the tuner's default */
  seed?: number;
  /**
   * Parameter sets to evaluate first, before the sampler proposes any (Optuna's `enqueue_trial`): e.g. the model's
   * current settings, so that the search starts from them and its best is never worse on these folds. Parameters a
   * set leaves out are sampled. Each counts towards `nTrials`; a set the study already holds (a stored study
   * re-opened) is not enqueued again.
   */
  enqueue?: readonly Params[];
  /** Where the study lives; with `studyName`, a study re-opened by name continues where it stopped. */
  storage?: NonNullable<HyperparameterTunerOptions['storage']>;
  /** The study's name in `storage`. */
  studyName?: string;
  /** Trials run at the same time (folds within a trial always run in order). @defaultValue 1 */
  concurrency?: number;
  /** Called after each finished trial with the study and the trial's record, e.g. to print a progress line. */
  callbacks?: OptimizeOptions['callbacks'];
  /** Called after each trial with the study's `progress` event (counts, elapsed time, ETA), for progress bars. */
  onProgress?: (progress: TunerProgress) => void;
  /** Errors of the model or metric that only fail their trial instead of stopping the search (see `optimize`). */
  catch?: OptimizeOptions['catch'];
  /**
   * Further tuner options (e.g. `constraints`). `direction`, `pruner`, `sampler`, `seed`, `searchSpace`, `storage`
   * and `studyName` are set by the options above.
   */
  tuner?: Partial<HyperparameterTunerOptions>;
  /**
   * Settings of the Sharpe ratio: how predictions become strategy returns and how the ratio is annualised. Giving
   * it with a custom metric also attaches the deflated Sharpe ratio to the result.
   */
  sharpe?: SharpeOptions;
}

/** What {@link tuneWithCV} returns. */
export interface TuneWithCVResult<P> {
  /** The parameters of the best completed trial, as the model factory received them. */
  bestParams: P;
  /** The best trial's value: the mean of its fold scores. */
  bestValue: number;
  /** The best trial's score on each fold, in fold order (also in its `userAttrs.foldScores`). */
  foldScores: number[];
  /** The study, with every trial (`study.trials`), for analysis, plots or to continue the search. */
  study: HyperparameterTuner;
  /**
   * For a Sharpe-ratio metric: the deflated Sharpe ratio of the best trial given the number of completed trials
   * (see {@link CVDeflatedSharpe}); absent for other metrics, with fewer than two completed trials, and when the
   * best trial's strategy returns are not all finite.
   */
  deflatedSharpe?: CVDeflatedSharpe;
}

const optionsSchema = z.strictObject({
  cv: z.custom<TimeSeriesCV | TimeSeriesCVOptions>(
    (v) => typeof v === 'object' && v !== null,
    'Expected a TimeSeriesCV or its options',
  ),
  metric: z.unknown(),
  direction: z.enum(['minimize', 'maximize']).optional(),
  nTrials: z.number().int().min(1),
  timeoutMs: z.number().positive().optional(),
  signal: z.instanceof(AbortSignal).optional(),
  pruner: z
    .union([
      z.enum(['wilcoxon', 'median', 'successiveHalving', 'hyperband', 'none'] satisfies PrunerName[]),
      z.custom<Pruner>(
        (v) => typeof (v as Pruner | null)?.shouldPrune === 'function',
        'Expected a pruner object',
      ),
    ])
    .default('median'),
  sampler: z.unknown().optional(),
  seed: z.number().int().min(0).optional(),
  storage: z.unknown().optional(),
  studyName: z.string().min(1).optional(),
  enqueue: z.array(z.record(z.string(), z.unknown())).optional(),
  concurrency: z.number().int().min(1).optional(),
  callbacks: z.unknown().optional(),
  onProgress: z
    .custom<(progress: TunerProgress) => void>((v) => typeof v === 'function', 'expected a function')
    .optional(),
  catch: z.unknown().optional(),
  tuner: z.record(z.string(), z.unknown()).optional(),
  sharpe: z.unknown().optional(),
  labelEnd: z.unknown().optional(),
  timestamps: z.unknown().optional(),
});

/** The trial keeping the best value so far, with its pooled returns, so the deflated Sharpe ratio needs no rerun. */
class BestReturns {
  private value = Number.NaN;
  private readonly kept = new Map<number, { value: number; returns: Float64Array }>();

  constructor(private readonly direction: StudyDirection) {}

  private better(a: number, b: number): boolean {
    return this.direction === 'maximize' ? a > b : a < b;
  }

  /** Keeps a completed trial's returns while no other trial is strictly better (ties stay: the tuner picks). */
  offer(number: number, value: number, returns: Float64Array): void {
    if (!Number.isFinite(value) || this.better(this.value, value)) return;
    this.value = value;
    this.kept.set(number, { value, returns });
    for (const [n, entry] of this.kept) if (this.better(value, entry.value)) this.kept.delete(n);
  }

  /** The returns of trial `number`, if it was run by this search and is still a candidate. */
  get(number: number): Float64Array | undefined {
    return this.kept.get(number)?.returns;
  }
}

/**
 * Tunes a model's hyperparameters with time-series cross-validation inside every trial, the way Optuna users tune
 * with folds: each trial builds models from its parameters, runs the folds in time order, reports each fold's score
 * as step = fold index (`trial.report(score, fold)`) so that the pruner can stop an unpromising trial after a few
 * folds, and returns the mean fold score. The fold scores are kept in each trial's `userAttrs.foldScores`.
 *
 * The folds are the same for every trial and score exactly as {@link TimeSeriesCV.validate} would with the same
 * metric. With a Sharpe-ratio metric (`'sharpe'`, or the `sharpe` option with a custom metric) each completed trial
 * also stores the annualised Sharpe ratio of its pooled out-of-sample returns in `userAttrs.sharpe`, and the result
 * carries the deflated Sharpe ratio of the best trial (see {@link CVDeflatedSharpe} for how to read it): the guard
 * against having found the luckiest of many parameter sets rather than a real edge. Pruned trials are not counted
 * in its number of trials, so heavy pruning makes it lenient.
 *
 * @param modelFactory - makes a fresh, unfitted model from a trial's parameters; called once per fold.
 * @param space - a declarative {@link SearchSpace} (the parameters are typed from it; the grid sampler needs one),
 *   or a define-by-run function that suggests parameters on the trial and returns what the factory receives.
 * @param X - one row of features per observation, in time order.
 * @param y - the target of each observation (for `'sharpe'`: the asset's return over the period predicted).
 * @throws MlcycleError `INVALID_ARGUMENT` for a bad argument or option, an unknown metric or a missing direction;
 *   `INSUFFICIENT_DATA` when no trial completed; `ABORTED` when the signal fires; a trial's own error otherwise.
 * @example
 * ```ts
 * import { ridge, tuneWithCV } from 'mlcycle';
 *
 * const result = await tuneWithCV(
 *   (p) => ridge({ alpha: p.alpha }),
 *   { alpha: { type: 'float', low: 1e-3, high: 100, log: true } },
 *   X,
 *   y,
 *   { cv: { method: 'expanding', nSplits: 5 }, metric: 'mae', nTrials: 50, seed: 0 },
 * );
 * result.bestParams.alpha; // the best alpha
 * result.foldScores; // its MAE on each of the 5 folds
 *
 * // Trading: predictions are positions on next-period returns; the best Sharpe ratio is deflated for 100 trials.
 * const trading = await tuneWithCV(makeModel, (trial) => ({ lag: trial.suggestInt('lag', 1, 20) }), X, returns, {
 *   cv: { method: 'purged-kfold', nSplits: 6, embargo: 0.01 },
 *   metric: 'sharpe',
 *   nTrials: 100,
 *   pruner: 'median',
 * });
 * trading.deflatedSharpe?.deflatedSharpe; // e.g. 0.31: the best Sharpe ratio is most likely luck
 * ```
 */
export function tuneWithCV<const S extends SearchSpace>(
  modelFactory: (params: ParamsOf<S>) => Model,
  space: S,
  X: readonly (readonly number[])[],
  y: ArrayLike<number>,
  options: TuneWithCVOptions,
): Promise<TuneWithCVResult<ParamsOf<S>>>;
/**
 * {@link tuneWithCV} with a define-by-run search space: `space(trial)` suggests the parameters and returns what the
 * model factory receives.
 */
export function tuneWithCV<P>(
  modelFactory: (params: P) => Model,
  space: (trial: Trial) => P,
  X: readonly (readonly number[])[],
  y: ArrayLike<number>,
  options: TuneWithCVOptions,
): Promise<TuneWithCVResult<P>>;
export async function tuneWithCV<P>(
  modelFactory: (params: P) => Model,
  space: SearchSpace | ((trial: Trial) => P),
  X: readonly (readonly number[])[],
  y: ArrayLike<number>,
  options: TuneWithCVOptions,
): Promise<TuneWithCVResult<P>> {
  if (typeof modelFactory !== 'function') {
    throw invalid('tuneWithCV needs a model factory: a function (params) => a fresh model');
  }
  if (typeof space !== 'function' && (typeof space !== 'object' || space === null || Array.isArray(space))) {
    throw invalid(
      'tuneWithCV needs a search space: an object of parameter specs, or a function (trial) => params',
    );
  }
  if (!Array.isArray(X)) throw invalid('X must be an array of feature rows');
  assertSameLength(X, y, 'X', 'y');
  const parsed = parseOptions(optionsSchema, options, 'tuneWithCV options');
  const metric = resolveSearchMetric(parsed.metric, parsed.direction, parsed.sharpe);
  const cv = parsed.cv instanceof TimeSeriesCV ? parsed.cv : new TimeSeriesCV(parsed.cv);
  const inputs: SplitInputs = {};
  if (options.labelEnd !== undefined) inputs.labelEnd = options.labelEnd;
  if (options.timestamps !== undefined) inputs.timestamps = options.timestamps;
  const folds = cv.split(X.length, inputs);

  const study = new HyperparameterTuner({
    ...(parsed.tuner as Partial<HyperparameterTunerOptions>),
    direction: metric.direction,
    pruner: parsed.pruner,
    ...(parsed.sampler !== undefined
      ? { sampler: parsed.sampler as NonNullable<HyperparameterTunerOptions['sampler']> }
      : {}),
    ...(parsed.seed !== undefined ? { seed: parsed.seed } : {}),
    ...(typeof space === 'function' ? {} : { searchSpace: space }),
    ...(parsed.storage !== undefined
      ? { storage: parsed.storage as NonNullable<HyperparameterTunerOptions['storage']> }
      : {}),
    ...(parsed.studyName !== undefined ? { studyName: parsed.studyName } : {}),
  });
  if (parsed.onProgress !== undefined) study.on('progress', parsed.onProgress);
  for (const params of (parsed.enqueue ?? []) as Params[])
    await study.enqueueTrial(params, { skipIfExists: true });
  const paramsOf = new Map<number, P>();
  const best = new BestReturns(metric.direction);
  const score = (params: P, recorder: ReturnsRecorder | undefined, onFold?: (fold: FoldResult) => void) =>
    runFolds(() => modelFactory(params), folds, X, y, [trialScorer(metric, recorder)], 1, onFold);

  await study.optimize(
    async (trial) => {
      const params = typeof space === 'function' ? space(trial) : (trial.params as P);
      paramsOf.set(trial.number, params);
      const recorder = metric.sharpe ? new ReturnsRecorder(metric.sharpe) : undefined;
      const scores: number[] = [];
      await score(params, recorder, (fold) => {
        const value = fold.scores[metric.name] as number;
        scores.push(value);
        trial.setUserAttr('foldScores', scores.map(storeNumber));
        trial.report(value, fold.index);
        // After the last fold the trial is complete: pruning it then would only discard a finished score.
        if (fold.index < folds.length - 1 && trial.shouldPrune()) throw new TrialPruned();
      });
      const value = mean(scores);
      if (recorder) {
        const pooled = recorder.pooled();
        trial.setUserAttr('sharpe', storeNumber(recorder.pooledSharpe(pooled)));
        best.offer(trial.number, value, pooled);
      }
      return value;
    },
    {
      nTrials: parsed.nTrials,
      ...(parsed.timeoutMs !== undefined ? { timeoutMs: parsed.timeoutMs } : {}),
      ...(parsed.concurrency !== undefined ? { concurrency: parsed.concurrency } : {}),
      ...(parsed.signal !== undefined ? { signal: parsed.signal } : {}),
      ...(options.callbacks !== undefined ? { callbacks: options.callbacks } : {}),
      ...(options.catch !== undefined ? { catch: options.catch } : {}),
    },
  );

  const trials = study.trials;
  if (!trials.some((t) => t.state === 'COMPLETE')) {
    const count = (state: FrozenTrial['state']) => trials.filter((t) => t.state === state).length;
    throw new MlcycleError(
      'INSUFFICIENT_DATA',
      `tuneWithCV has no best trial: no trial completed (${count('PRUNED')} pruned, ${count('FAIL')} failed)`,
    );
  }
  const bestTrial = study.bestTrial;
  // A trial from an earlier session of a stored study has only its suggested parameters.
  const bestParams = paramsOf.get(bestTrial.number) ?? (bestTrial.params as P);
  const result: TuneWithCVResult<P> = {
    bestParams,
    bestValue: bestTrial.value as number,
    foldScores: ((bestTrial.userAttrs.foldScores ?? []) as StoredNumber[]).map(loadNumber),
    study,
  };
  if (metric.sharpe !== undefined) {
    let returns = best.get(bestTrial.number);
    if (returns === undefined) {
      const recorder = new ReturnsRecorder(metric.sharpe);
      await score(bestParams, recorder);
      returns = recorder.pooled();
    }
    const deflated = deflateBest(trials, returns, metric.sharpe);
    if (deflated !== undefined) result.deflatedSharpe = deflated;
  }
  return result;
}
