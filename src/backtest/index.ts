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
export type {
  BacktestInput,
  BacktestResult,
  BacktestStats,
  Bars,
  ExitReason,
  PerformanceStats,
  Trade,
} from './types.js';
