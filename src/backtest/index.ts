/**
 * Backtesting: what a model's signals would have earned after fees, slippage and spread, without look-ahead —
 * equity curves, trades and statistics, parameter sweeps and walk-forward studies.
 *
 * @module backtest
 */
export { Backtester } from './backtester.js';
export type { BacktestOptions, Fees } from './options.js';
export {
  type KellyFractionOptions,
  kellyFraction,
  type PredictionSignalOptions,
  predictionSignal,
  type SizeByConfidenceOptions,
  sizeByConfidence,
  type ThresholdSignalOptions,
  thresholdSignal,
} from './signals.js';
export { type MovingAverageCrossoverParams, movingAverageCrossover } from './strategies.js';
export {
  type ParameterGrid,
  type SweepDeflatedSharpe,
  type SweepOptions,
  type SweepResult,
  type SweepRow,
  sweep,
} from './sweep.js';
export type { BuiltInStrategy, Strategy, StrategyModule, SweepStrategy } from './sweep-job.js';
export type {
  BacktestInput,
  BacktestResult,
  BacktestSeries,
  BacktestStats,
  BacktestSummary,
  Bars,
  ExitReason,
  PerformanceStats,
  RunOptions,
  SeriesFormat,
  Trade,
  TypedBacktestResult,
} from './types.js';
export {
  type FoldSplitter,
  type WalkForwardFold,
  type WalkForwardOptions,
  type WalkForwardResult,
  walkForward,
} from './walk-forward.js';
