/**
 * Hyperparameter tuning with Optuna's vocabulary: define-by-run trials, TPE and other samplers, pruners, several
 * objectives with constraints, studies kept in any `Storage` (crash-safe, shared between processes), Optuna journal
 * import and export, tuning over time-series CV folds, and parameter importance and plot data.
 *
 * @module tuning
 */

export { type ParameterImportanceOptions, parameterImportance } from './importance.js';
export type { CatchRule, OptimizeOptions } from './optimize.js';
export {
  fromOptunaJournal,
  type OptunaJournalStudy,
  type OptunaJournalStudyInput,
  toOptunaJournal,
} from './optuna-journal.js';
export {
  type HistoryPoint,
  type ImportanceBar,
  type IntermediateCurve,
  importancePlot,
  intermediateValuesPlot,
  type OptimizationHistoryOptions,
  type OptimizationHistoryPlot,
  optimizationHistory,
  type ParallelCoordinatesOptions,
  type ParallelCoordinatesPlot,
  type ParallelDimension,
  type ParetoFrontPlot,
  type ParetoFrontPlotOptions,
  type ParetoPoint,
  parallelCoordinates,
  paretoFrontPlot,
} from './plots.js';
export {
  medianPruner,
  type PatientPrunerOptions,
  type PercentilePrunerOptions,
  type Pruner,
  type PrunerTrial,
  type PrunerView,
  patientPruner,
  percentilePruner,
  type ThresholdPrunerOptions,
  type TrialState,
  thresholdPruner,
} from './pruners.js';
export {
  type HyperbandPrunerOptions,
  hyperbandPruner,
  type SuccessiveHalvingPrunerOptions,
  successiveHalvingPruner,
} from './pruners-halving.js';
export { type WilcoxonPrunerOptions, wilcoxonPruner } from './pruners-wilcoxon.js';
export { type GridSampler, type GridSamplerOptions, gridSampler } from './samplers/grid.js';
export { type Nsga2Sampler, type Nsga2SamplerOptions, nsga2Sampler } from './samplers/nsga2.js';
export { type RandomSamplerOptions, randomSampler } from './samplers/random.js';
export { type SobolSamplerOptions, sobolSampler } from './samplers/sobol.js';
export { type TpeSamplerOptions, tpeSampler } from './samplers/tpe.js';
export type {
  CategoricalChoice,
  ParamSpec,
  Params,
  ParamsOf,
  ParamValue,
  SearchSpace,
  SpecValue,
} from './space.js';
export { type SuggestOptions, Trial, TrialPruned } from './trial.js';
export {
  type CVDeflatedSharpe,
  type SharpeOptions,
  signReturns,
  type TuneMetric,
  type TuneMetricSpec,
  type TuneWithCVOptions,
  type TuneWithCVResult,
  tuneWithCV,
} from './tune-cv.js';
export { HyperparameterTuner, type TunerEvents, type TunerProgress } from './tuner.js';
export type { TellResult } from './tuner-checks.js';
export type { HyperparameterTunerOptions, PrunerName, SamplerName } from './tuner-options.js';
export {
  type FrozenTrial,
  intersectionSearchSpace,
  type SampleContext,
  type Sampler,
  type SamplerStudy,
  type StudyDirection,
  trialRandom,
} from './types.js';
