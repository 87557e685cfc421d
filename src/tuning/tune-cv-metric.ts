/**
 * The metric of {@link tuneWithCV}: cv's metrics with the direction each improves in, the Sharpe ratio of the strategy
 * the predictions trade, and custom metrics.
 *
 * @module
 */
import { MlcycleError } from '../core/errors.js';
import {
  type CustomMetric,
  METRIC_NAMES,
  type MetricName,
  type ResolvedMetric,
  resolveMetrics,
} from '../cv/validate.js';
import { type ReturnsRecorder, type SharpeSettings, sharpeSettings } from './tune-cv-sharpe.js';
import type { StudyDirection } from './types.js';

/** Whether each built-in metric is better large or small; a new metric in cv fails to compile until listed here. */
const METRIC_DIRECTIONS = {
  mae: 'minimize',
  mse: 'minimize',
  rmse: 'minimize',
  mape: 'minimize',
  smape: 'minimize',
  r2: 'maximize',
  medianAbsoluteError: 'minimize',
  directionalAccuracy: 'maximize',
  accuracy: 'maximize',
  precision: 'maximize',
  recall: 'maximize',
  f1: 'maximize',
  balancedAccuracy: 'maximize',
  matthewsCorrcoef: 'maximize',
  rocAuc: 'maximize',
  logLoss: 'minimize',
  brierScore: 'minimize',
} as const satisfies Record<MetricName, StudyDirection>;

/** The Sharpe-ratio metric names {@link tuneWithCV} understands besides cv's `METRIC_NAMES`. */
const SHARPE_NAMES: readonly TuneMetricSpec[] = ['sharpe', 'sharpeRatio'];

/** A metric of your own for {@link tuneWithCV}: cv's {@link CustomMetric} with the direction in which it improves. */
export interface TuneMetric extends CustomMetric {
  /** Whether larger (`'maximize'`) or smaller (`'minimize'`) is better; required here or as `options.direction`. */
  direction?: StudyDirection;
}

/**
 * The score a trial optimises: a built-in metric name of `TimeSeriesCV.validate` (`'mae'`, `'rocAuc'`, …), `'sharpe'`
 * (alias `'sharpeRatio'`: the annualised Sharpe ratio of the strategy the predictions trade, set by the `sharpe`
 * option of {@link tuneWithCV}), or `{ name, fn, direction? }`.
 */
export type TuneMetricSpec = MetricName | 'sharpe' | 'sharpeRatio' | TuneMetric;

/**
 * The metric of a search: its name and direction, cv's scorer for a cv metric, and the Sharpe settings if any.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export interface SearchMetric {
  /** The key of the fold scores. */
  name: string;
  /** Given or inferred. */
  direction: StudyDirection;
  /** cv's resolved metric; undefined for the `'sharpe'` metric, which is scored from the strategy returns. */
  scorer: ResolvedMetric | undefined;
  /** Present when the best trial's Sharpe ratio is deflated. */
  sharpe: SharpeSettings | undefined;
}

function invalid(message: string): MlcycleError {
  return new MlcycleError('INVALID_ARGUMENT', message);
}

/**
 * Resolves `options.metric` of {@link tuneWithCV} with `options.direction` and `options.sharpe`: refuses an unknown
 * name, a malformed custom metric, a contradicting or missing direction.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function resolveSearchMetric(
  spec: unknown,
  direction: StudyDirection | undefined,
  sharpe: unknown,
): SearchMetric {
  const isSharpeName = (SHARPE_NAMES as readonly unknown[]).includes(spec);
  if (typeof spec === 'string' && !isSharpeName && !Object.hasOwn(METRIC_DIRECTIONS, spec)) {
    throw invalid(
      `Unknown metric ${JSON.stringify(spec)}: expected one of ${[...METRIC_NAMES, ...SHARPE_NAMES].join(', ')}, or { name, fn, direction }`,
    );
  }
  // cv checks a custom metric's shape; the Sharpe names are ours.
  const scorer = isSharpeName ? undefined : resolveMetrics([spec as CustomMetric])[0];
  const name = scorer?.name ?? (spec as string);
  const own = (spec as TuneMetric).direction;
  if (own !== undefined && own !== 'minimize' && own !== 'maximize') {
    throw invalid(`metric.direction must be 'minimize' or 'maximize', received ${JSON.stringify(own)}`);
  }
  const known = isSharpeName
    ? 'maximize'
    : typeof spec === 'string'
      ? METRIC_DIRECTIONS[spec as MetricName]
      : own;
  if (known !== undefined && direction !== undefined && known !== direction) {
    throw invalid(
      `direction '${direction}' contradicts metric ${JSON.stringify(name)}, which is ${known === 'minimize' ? 'minimized' : 'maximized'}`,
    );
  }
  const chosen = known ?? direction;
  if (chosen === undefined) {
    throw invalid(
      `tuneWithCV needs a direction for the custom metric ${JSON.stringify(name)}: set metric.direction or options.direction to 'minimize' or 'maximize'`,
    );
  }
  const deflate = isSharpeName || sharpe !== undefined;
  return { name, direction: chosen, scorer, sharpe: deflate ? sharpeSettings(sharpe) : undefined };
}

/**
 * The metric one trial scores its folds with, recording the strategy returns when the search deflates.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function trialScorer(metric: SearchMetric, recorder: ReturnsRecorder | undefined): ResolvedMetric {
  const { scorer } = metric;
  if (scorer === undefined) {
    return { name: metric.name, fn: (recorder as ReturnsRecorder).sharpe, useProbabilities: false };
  }
  if (recorder === undefined) return scorer;
  return {
    ...scorer,
    fn: (yTrue, yPred) => {
      recorder.record(yTrue, yPred);
      return scorer.fn(yTrue, yPred);
    },
  };
}
