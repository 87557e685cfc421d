/**
 * Cross-validation for time series without look-ahead: walk-forward (expanding, sliding), purged k-fold with
 * embargo, and combinatorial purged CV with its backtest paths.
 *
 * @module cv
 */
export { type BaselineName, type BaselineValidationOptions, validateBaselines } from './baselines.js';
export type { FoldDrawing, FoldLayout, FoldRole, FoldSegment } from './describe.js';
export {
  type CombinatorialPurgedCVOptions,
  type ExpandingCVOptions,
  type FoldEvent,
  type FoldPicture,
  type PurgedKFoldCVOptions,
  type SlidingCVOptions,
  TimeSeriesCV,
  type TimeSeriesCVEvents,
  type TimeSeriesCVOptions,
  type ValidateOptions,
} from './time-series-cv.js';
export type { CombinatorialPath, Fold, PathSegment, Size, SplitInputs } from './types.js';
export {
  type CustomMetric,
  type FoldResult,
  METRIC_NAMES,
  type MetricFunction,
  type MetricName,
  type MetricSpec,
  type ValidationResult,
} from './validate.js';
