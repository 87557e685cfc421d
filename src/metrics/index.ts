/**
 * Metrics: every number a model is judged by — regression and forecast errors, classification and calibration
 * scores, and trading-return ratios — each agreeing with the scikit-learn or empyrical function it names.
 *
 * @module metrics
 */
export {
  brierScore,
  expectedCalibrationError,
  type LogLossOptions,
  logLoss,
  type ReliabilityCurve,
  type ReliabilityOptions,
  reliabilityCurve,
} from './calibration.js';
export {
  accuracy,
  type BalancedAccuracyOptions,
  balancedAccuracy,
  type ConfusionMatrix,
  type ConfusionMatrixOptions,
  confusionMatrix,
  type FbetaOptions,
  f1,
  fbeta,
  matthewsCorrcoef,
  type PrecisionRecallOptions,
  precision,
  recall,
} from './classification.js';
export { drawdownSeries, type MaxDrawdownResult, maxDrawdown } from './drawdown.js';
export {
  type BootstrapInterval,
  type BootstrapIntervalOptions,
  bootstrapInterval,
  type NormalInterval,
  type NormalIntervalOptions,
  normalInterval,
} from './intervals.js';
export type { Label, Labels } from './labels.js';
export {
  type DirectionalAccuracyOptions,
  directionalAccuracy,
  type MaseOptions,
  mae,
  mape,
  mase,
  medianAbsoluteError,
  mse,
  r2,
  rmse,
  smape,
} from './regression.js';
export {
  type AlphaBetaResult,
  type AnnualisationOptions,
  alphaBeta,
  annualVolatility,
  cagr,
  calmarRatio,
  type OmegaOptions,
  omegaRatio,
  profitFactor,
  type RiskFreeOptions,
  type SortinoOptions,
  sharpeRatio,
  sortinoRatio,
  stabilityOfTimeseries,
  totalReturn,
  winRate,
} from './returns.js';
export { rocAuc } from './roc-auc.js';
export {
  type DeflatedSharpeOptions,
  type DeflatedSharpeResult,
  deflatedSharpeRatio,
  expectedMaxSharpe,
  type ProbabilisticSharpeOptions,
  probabilisticSharpeRatio,
  probabilisticSharpeRatioFromMoments,
  type SharpeMoments,
} from './sharpe-inference.js';
export {
  type ConditionalValueAtRiskOptions,
  conditionalValueAtRisk,
  tailRatio,
  type ValueAtRiskOptions,
  valueAtRisk,
} from './tail-risk.js';
