/**
 * Histogram tree ensembles: a random forest and gradient-boosted trees, on quantile-binned features with a bin for
 * missing values.
 *
 * @module models/trees
 */
export {
  type BoostingFitAsyncOptions,
  type BoostingFitOptions,
  type BoostingValidation,
  GradientBoosting,
  type GradientBoostingParams,
  type GradientBoostingSettings,
  type GradientBoostingState,
} from './boosting.js';
export {
  type ForestFitOptions,
  type MaxFeatures,
  RandomForest,
  type RandomForestParams,
  type RandomForestSettings,
  type RandomForestState,
} from './forest.js';
export type { BoostingObjective } from './objectives.js';
export type { TreeJSON } from './tree.js';
export type { ParallelOptions } from './workers.js';
