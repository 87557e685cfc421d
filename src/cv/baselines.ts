/**
 * The baselines a model's cross-validated scores are read against, scored on the same folds.
 *
 * @module
 */
import { MlcycleError } from '../core/errors.js';
import {
  historicMean,
  majorityClass,
  movingAverage,
  persistence,
  priorProbability,
  randomWalkWithDrift,
  seasonalNaive,
} from '../models/baselines.js';
import type { Model } from '../models/model.js';
import type { Fold } from './types.js';
import { type MetricSpec, resolveMetrics, runFolds, type ValidationResult } from './validate.js';

/** The name of a baseline that {@link validateBaselines} can run: the factory's name in `mlcycle`. */
export type BaselineName =
  | 'persistence'
  | 'historicMean'
  | 'randomWalkWithDrift'
  | 'movingAverage'
  | 'seasonalNaive'
  | 'majorityClass'
  | 'priorProbability';

/** Options for {@link validateBaselines}. */
export interface BaselineValidationOptions {
  /** The metrics to compute, as for `validate`; they also decide whether the task is classification. */
  metrics: readonly MetricSpec[];
  /**
   * Which baselines: `true` for every applicable one (classification metrics: majorityClass and priorProbability;
   * otherwise persistence, historicMean, randomWalkWithDrift, plus movingAverage and seasonalNaive when `window`
   * and `season` are given), or a list of names.
   */
  baselines: true | readonly BaselineName[];
  /** The feature column holding the latest observed target, for a one-step persistence forecast (see `persistence`). */
  column?: number;
  /** The moving-average window, in rows. */
  window?: number;
  /** The seasonal-naive season length, in rows. */
  season?: number;
}

const CLASSIFICATION_METRICS = new Set<string>([
  'accuracy',
  'precision',
  'recall',
  'f1',
  'balancedAccuracy',
  'matthewsCorrcoef',
  'rocAuc',
  'logLoss',
  'brierScore',
]);

function baselineFactories(options: BaselineValidationOptions): [BaselineName, () => Model][] {
  const all: Record<BaselineName, (() => Model) | undefined> = {
    persistence: () => persistence(options.column === undefined ? {} : { column: options.column }),
    historicMean,
    randomWalkWithDrift,
    movingAverage:
      options.window === undefined ? undefined : () => movingAverage({ window: options.window as number }),
    seasonalNaive:
      options.season === undefined ? undefined : () => seasonalNaive({ season: options.season as number }),
    majorityClass,
    priorProbability,
  };
  let names: readonly BaselineName[];
  if (options.baselines === true) {
    const classification = options.metrics.some(
      (m) => typeof m === 'string' && CLASSIFICATION_METRICS.has(m),
    );
    names = classification
      ? ['majorityClass', 'priorProbability']
      : (
          ['persistence', 'historicMean', 'randomWalkWithDrift', 'movingAverage', 'seasonalNaive'] as const
        ).filter((name) => all[name] !== undefined);
  } else {
    names = options.baselines;
  }
  return names.map((name) => {
    if (!Object.hasOwn(all, name)) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `Unknown baseline ${JSON.stringify(name)}: expected one of ${Object.keys(all).join(', ')}`,
      );
    }
    const factory = all[name];
    if (factory === undefined) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `The ${name} baseline needs its ${name === 'movingAverage' ? 'window' : 'season'} option`,
      );
    }
    return [name, factory];
  });
}

/**
 * Scores the baselines (see `persistence`, `historicMean`, … in the models module) on the same folds a model was
 * validated on, so that its scores can be read against what a naive forecast achieves. Pass the `layout` of the
 * model's {@link ValidationResult}; every baseline is refitted on each fold.
 *
 * @example
 * ```ts
 * const result = await cv.validate(() => ridge(), X, y, { metrics: ['mae'] });
 * const baselines = await validateBaselines(result.layout, X, y, { metrics: ['mae'], baselines: true });
 * baselines.persistence.mean.mae; // to compare with result.mean.mae
 * ```
 */
export async function validateBaselines(
  folds: readonly Fold[],
  X: readonly (readonly number[])[],
  y: ArrayLike<number>,
  options: BaselineValidationOptions,
): Promise<Partial<Record<BaselineName, ValidationResult>>> {
  const metrics = resolveMetrics(options.metrics);
  const out: Partial<Record<BaselineName, ValidationResult>> = {};
  for (const [name, factory] of baselineFactories(options)) {
    out[name] = await runFolds(factory, folds, X, y, metrics, 1);
  }
  return out;
}
