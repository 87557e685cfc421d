import { MlcycleError } from '../core/errors.js';
import { mean, standardDeviation } from '../core/numeric.js';
import { brierScore, logLoss } from '../metrics/calibration.js';
import {
  accuracy,
  balancedAccuracy,
  f1,
  matthewsCorrcoef,
  precision,
  recall,
} from '../metrics/classification.js';
import {
  directionalAccuracy,
  mae,
  mape,
  medianAbsoluteError,
  mse,
  r2,
  rmse,
  smape,
} from '../metrics/regression.js';
import { rocAuc } from '../metrics/roc-auc.js';
import type { Model } from '../models/model.js';
import type { Fold } from './types.js';

/** A metric computed from the true targets and the model's predictions (or positive-class probabilities). */
export type MetricFunction = (yTrue: ArrayLike<number>, yPred: ArrayLike<number>) => number;

/** Metrics computed from `predict`. */
const PREDICTION_METRICS = {
  mae,
  mse,
  rmse,
  mape,
  smape,
  r2,
  medianAbsoluteError,
  directionalAccuracy: (yTrue: ArrayLike<number>, yPred: ArrayLike<number>) =>
    directionalAccuracy(yTrue, yPred),
  accuracy,
  precision: (yTrue: ArrayLike<number>, yPred: ArrayLike<number>) => precision(yTrue, yPred),
  recall: (yTrue: ArrayLike<number>, yPred: ArrayLike<number>) => recall(yTrue, yPred),
  f1: (yTrue: ArrayLike<number>, yPred: ArrayLike<number>) => f1(yTrue, yPred),
  balancedAccuracy: (yTrue: ArrayLike<number>, yPred: ArrayLike<number>) => balancedAccuracy(yTrue, yPred),
  matthewsCorrcoef,
} satisfies Record<Exclude<MetricName, 'rocAuc' | 'logLoss' | 'brierScore'>, MetricFunction>;

/** Metrics computed from `predictProba` (the positive-class probability). */
const PROBABILITY_METRICS = {
  rocAuc,
  logLoss: (yTrue: ArrayLike<number>, p: ArrayLike<number>) => logLoss(yTrue, p),
  brierScore,
} satisfies Record<'rocAuc' | 'logLoss' | 'brierScore', MetricFunction>;

/** The name of a built-in metric that `validate` can compute (the last three need `predictProba`). */
export type MetricName =
  | 'mae'
  | 'mse'
  | 'rmse'
  | 'mape'
  | 'smape'
  | 'r2'
  | 'medianAbsoluteError'
  | 'directionalAccuracy'
  | 'accuracy'
  | 'precision'
  | 'recall'
  | 'f1'
  | 'balancedAccuracy'
  | 'matthewsCorrcoef'
  | 'rocAuc'
  | 'logLoss'
  | 'brierScore';

/** Every built-in metric name, those that need `predictProba` last. */
export const METRIC_NAMES = [
  ...Object.keys(PREDICTION_METRICS),
  ...Object.keys(PROBABILITY_METRICS),
] as readonly MetricName[];

/** A metric of your own for {@link MetricSpec}. */
export interface CustomMetric {
  /** The key of its scores in the results. */
  name: string;
  /** Computes the metric from the fold's true targets and predictions. */
  fn: MetricFunction;
  /** Pass `predictProba`'s probabilities instead of `predict`'s predictions. @defaultValue false */
  useProbabilities?: boolean;
}

/** A metric to compute: a built-in name, or a named function of (yTrue, yPred). */
export type MetricSpec = MetricName | CustomMetric;

/** The scores, timings and sizes of one fold. */
export interface FoldResult {
  /** The fold's index. */
  index: number;
  /** Training observations. */
  trainSize: number;
  /** Test observations. */
  testSize: number;
  /** Each requested metric on the fold's test set. */
  scores: Record<string, number>;
  /** Time spent fitting, in milliseconds (0 when the model from an earlier fold was reused). */
  fitMs: number;
  /** Time spent predicting, in milliseconds. */
  predictMs: number;
  /** Whether a fresh model was fitted for this fold (see `refitEvery`). */
  refitted: boolean;
}

/** What {@link TimeSeriesCV.validate} returns: plain JSON. */
export interface ValidationResult {
  /** Per-fold results, in fold order. */
  folds: FoldResult[];
  /** The mean of each metric over the folds (NaN scores included, so a NaN fold makes the mean NaN). */
  mean: Record<string, number>;
  /** The sample standard deviation (ddof = 1) of each metric over the folds; NaN with a single fold. */
  std: Record<string, number>;
  /**
   * Out-of-fold predictions aligned with the rows of `X`: the prediction of the last fold that tested each row, or
   * `null` for rows no fold tested (training-only history).
   */
  oof: (number | null)[];
  /** The folds used, with their train and test indices. */
  layout: Fold[];
  /** With the `baselines` option: each baseline's results on the same folds. */
  baselines?: Partial<Record<string, ValidationResult>>;
}

/** A metric ready to score: its name, its function, and whether it reads probabilities. */
export interface ResolvedMetric {
  name: string;
  fn: MetricFunction;
  useProbabilities: boolean;
}

/** Resolves metric names and functions, refusing unknown names with the list of known ones. */
export function resolveMetrics(specs: readonly MetricSpec[]): ResolvedMetric[] {
  if (specs.length === 0) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      'validate needs at least one metric, e.g. { metrics: ["mae"] }',
    );
  }
  const seen = new Set<string>();
  return specs.map((spec) => {
    let resolved: ResolvedMetric;
    if (typeof spec === 'string') {
      if (Object.hasOwn(PREDICTION_METRICS, spec)) {
        resolved = {
          name: spec,
          fn: PREDICTION_METRICS[spec as keyof typeof PREDICTION_METRICS],
          useProbabilities: false,
        };
      } else if (Object.hasOwn(PROBABILITY_METRICS, spec)) {
        resolved = {
          name: spec,
          fn: PROBABILITY_METRICS[spec as keyof typeof PROBABILITY_METRICS],
          useProbabilities: true,
        };
      } else {
        throw new MlcycleError(
          'INVALID_ARGUMENT',
          `Unknown metric ${JSON.stringify(spec)}: expected one of ${METRIC_NAMES.join(', ')}, or { name, fn }`,
        );
      }
    } else if (
      typeof spec === 'object' &&
      spec !== null &&
      typeof spec.name === 'string' &&
      typeof spec.fn === 'function'
    ) {
      resolved = { name: spec.name, fn: spec.fn, useProbabilities: spec.useProbabilities === true };
    } else {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        'A custom metric must be { name: string, fn: (yTrue, yPred) => number }',
      );
    }
    if (seen.has(resolved.name)) {
      throw new MlcycleError('INVALID_ARGUMENT', `Metric ${JSON.stringify(resolved.name)} is listed twice`);
    }
    seen.add(resolved.name);
    return resolved;
  });
}

/** Summarises per-fold scores: mean and sample standard deviation per metric. */
function summarise(folds: readonly FoldResult[], names: readonly string[]) {
  const meanOf: Record<string, number> = {};
  const stdOf: Record<string, number> = {};
  for (const name of names) {
    const values = folds.map((f) => f.scores[name] as number);
    meanOf[name] = mean(values);
    stdOf[name] = standardDeviation(values, 1);
  }
  return { mean: meanOf, std: stdOf };
}

/** Checks that a model built by the factory has `fit` and `predict` (and `predictProba` when needed). */
export function assertModel(model: unknown, needsProbabilities: boolean): asserts model is Model {
  const candidate = model as Partial<Model> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.fit !== 'function' ||
    typeof candidate.predict !== 'function'
  ) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      'The model factory must return an object with fit(X, y) and predict(X) methods',
    );
  }
  if (needsProbabilities && typeof candidate.predictProba !== 'function') {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      'A probability metric (rocAuc, logLoss, brierScore) needs a model with predictProba(X)',
    );
  }
}

/**
 * Fits a fresh model from `factory` on every fold's training rows (on every `refitEvery`-th fold, reusing the last
 * one in between), predicts its test rows and scores them: the loop behind `TimeSeriesCV.validate` and
 * `validateBaselines`. Calls `onFold` after each fold.
 */
export async function runFolds(
  factory: () => unknown,
  folds: readonly Fold[],
  X: readonly (readonly number[])[],
  y: ArrayLike<number>,
  metrics: readonly ResolvedMetric[],
  refitEvery: number,
  onFold?: (result: FoldResult) => void,
): Promise<ValidationResult> {
  const needsProbabilities = metrics.some((m) => m.useProbabilities);
  const oof: (number | null)[] = new Array(X.length).fill(null);
  const results: FoldResult[] = [];
  let model: unknown;
  for (const fold of folds) {
    const refit = model === undefined || fold.index % refitEvery === 0;
    let fitMs = 0;
    if (refit) {
      model = factory();
      assertModel(model, needsProbabilities);
      const started = performance.now();
      await model.fit(
        fold.train.map((i) => X[i] as readonly number[]),
        fold.train.map((i) => y[i] as number),
      );
      fitMs = performance.now() - started;
    }
    assertModel(model, needsProbabilities);
    const testX = fold.test.map((i) => X[i] as readonly number[]);
    const testY = fold.test.map((i) => y[i] as number);
    const started = performance.now();
    const predictions = Array.from(await model.predict(testX));
    const probabilities = needsProbabilities
      ? Array.from(await (model.predictProba as NonNullable<Model['predictProba']>)(testX))
      : [];
    const predictMs = performance.now() - started;
    if (predictions.length !== testX.length) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `The model's predict returned ${predictions.length} predictions for ${testX.length} rows in fold ${fold.index}`,
      );
    }
    const scores: Record<string, number> = {};
    for (const metric of metrics) {
      scores[metric.name] = metric.fn(testY, metric.useProbabilities ? probabilities : predictions);
    }
    fold.test.forEach((i, k) => {
      oof[i] = predictions[k] as number;
    });
    const result: FoldResult = {
      index: fold.index,
      trainSize: fold.train.length,
      testSize: fold.test.length,
      scores,
      fitMs,
      predictMs,
      refitted: refit,
    };
    results.push(result);
    onFold?.(result);
  }
  const { mean, std } = summarise(
    results,
    metrics.map((m) => m.name),
  );
  return { folds: results, mean, std, oof, layout: [...folds] };
}
