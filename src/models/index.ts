/**
 * Models: the contract every model meets, the JSON registry that restores them, baselines, linear models, tree
 * ensembles (random forest, gradient boosting), and permutation importance and feature selection.
 *
 * @module models
 */
export {
  type ClassPriorState,
  historicMean,
  type MeanState,
  type MovingAverageParams,
  majorityClass,
  movingAverage,
  type PersistenceParams,
  type PersistenceState,
  persistence,
  priorProbability,
  type RandomWalkDriftState,
  randomWalkWithDrift,
  type SeasonalNaiveParams,
  type SeasonalNaiveState,
  seasonalNaive,
} from './baselines.js';
export { VotingEnsemble, type VotingEnsembleOptions } from './ensemble.js';
export {
  type DynamicLoss,
  DynamicWeights,
  type DynamicWeightsJSON,
  type DynamicWeightsOptions,
  dynamicWeights,
} from './ensemble-dynamic.js';
export type {
  EnsembleRestoreOptions,
  LinearMetaState,
  MemberRestorer,
  MetaCoefficients,
  StackingEnsembleParams,
  StackingEnsembleState,
  VotingEnsembleParams,
  VotingEnsembleState,
} from './ensemble-json.js';
export type { Contributions, EnsembleMember, EnsembleTask, OutOfFoldSplitter } from './ensemble-members.js';
export { StackingEnsemble, type StackingEnsembleOptions } from './ensemble-stacking.js';
export {
  type BlendLoss,
  type BlendLossName,
  type BlendWeights,
  type CustomBlendLoss,
  type FitBlendWeightsOptions,
  fitBlendWeights,
} from './ensemble-weights.js';
export { type FeatureTest, fStatistic, type LearningTask, mutualInformation } from './feature-scores.js';
export {
  type FeatureImportance,
  type FeatureSelection,
  featureImportance,
  type ImportanceMetric,
  type ImportanceOptions,
  type SelectFeaturesOptions,
  selectFeatures,
} from './importance.js';
export { type LinearModel, type LinearState, type RidgeParams, ridge } from './linear.js';
export {
  type LogisticRegressionModel,
  type LogisticRegressionParams,
  type LogisticState,
  logisticRegression,
} from './logistic.js';
export type { FeatureRows, Model, ModelFactory, ModelJSON, SerializableModel, SyncModel } from './model.js';
export { type ModelRestorer, modelFromJSON, registeredModelKinds, registerModel } from './registry.js';
export {
  type BoostingFitAsyncOptions,
  type BoostingFitOptions,
  type BoostingObjective,
  type BoostingValidation,
  type ForestFitOptions,
  GradientBoosting,
  type GradientBoostingParams,
  type GradientBoostingSettings,
  type GradientBoostingState,
  type MaxFeatures,
  type ParallelOptions,
  RandomForest,
  type RandomForestParams,
  type RandomForestSettings,
  type RandomForestState,
  type TreeJSON,
} from './trees/index.js';
