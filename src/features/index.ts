/**
 * Features: technical indicators, lags, rolling statistics and calendar features as pure functions over typed
 * arrays that never look past the bar they describe, and the {@link FeaturePipeline} that assembles them into a
 * versioned, hashable feature matrix with a target and label ends for purged cross-validation.
 *
 * @module features
 */
export { dayOfWeek, month, quarter } from './calendar.js';
export type {
  BarColumn,
  FeatureName,
  FeatureStep,
  PipelineDefinition,
  ResolvedDefinition,
  ResolvedStep,
  ResolvedTarget,
  TargetDefinition,
} from './definition.js';
export {
  type DroppedRows,
  type FeatureColumns,
  FeaturePipeline,
  type FeatureSet,
  type PipelineBars,
} from './pipeline.js';
export {
  type BollingerBands,
  type BollingerOptions,
  bollinger,
  type HighLowClose,
  type Stochastic,
  type StochasticOptions,
  stochastic,
  williamsR,
} from './ranges.js';
export { rollingMax, rollingMean, rollingMin, rollingStd, rollingZScore, sma } from './rolling.js';
export { lag, logReturns, momentum, returns } from './transforms.js';
export { ema, type Macd, type MacdOptions, macd, rsi } from './trend.js';
export { type Adx, adx, atr, type RealizedVolatilityOptions, realizedVolatility } from './volatility.js';
export { type HighLowCloseVolume, obv, type VwapOptions, vwap } from './volume.js';
