import { z } from 'zod';
import { MlcycleError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';
import { type CheckedRows, type FeatureRows, type ModelJSON, readModelJSON } from '../model.js';
import { type Boosted, type BoostingData, boost, prepareBoosting } from './boosting-train.js';
import { fraction, limit, maxBins, nonNegative, positiveInt, treeJSON } from './common.js';
import { HistogramTeam } from './histogram-team.js';
import { type BoostingObjective, sigmoid, softmaxRow } from './objectives.js';
import { hasMissing, leavesOf, type TreeJSON } from './tree.js';
import { type FittedTrees, TreeModel, type TreeModelState } from './tree-model.js';
import { type ParallelOptions, parseParallel, throwIfAborted } from './workers.js';

/** Parameters of {@link GradientBoosting}; names follow XGBoost's (see the table in docs/trees.md). */
export interface GradientBoostingParams {
  /**
   * The loss: `'squared'` error, `'absolute'` error (leaves refitted to the median residual), pseudo-`'huber'`,
   * `'logistic'` (two classes) or `'softmax'` (two or more classes, one tree per class per round).
   * @defaultValue 'squared'
   */
  objective?: BoostingObjective;
  /** Boosting rounds (`n_estimators`). @defaultValue 100 */
  rounds?: number;
  /** Shrinkage of every tree (`learning_rate`, `eta`). @defaultValue 0.3 */
  learningRate?: number;
  /** Deepest level of a tree (`max_depth`); `Infinity` for none (then set `maxLeaves`). @defaultValue 6 */
  maxDepth?: number;
  /** Most leaves per tree (`max_leaves`); when set, trees grow leaf-wise, best gain first, as LightGBM. @defaultValue Infinity */
  maxLeaves?: number;
  /** Smallest hessian sum in a child (`min_child_weight`). @defaultValue 1 */
  minChildWeight?: number;
  /** Fewest rows in a child (LightGBM's `min_data_in_leaf`). @defaultValue 1 */
  minSamplesLeaf?: number;
  /** L2 penalty on leaf values (`reg_lambda`). @defaultValue 1 */
  lambda?: number;
  /** L1 penalty on leaf values (`reg_alpha`). @defaultValue 0 */
  alpha?: number;
  /** Smallest loss reduction to split (`gamma`, `min_split_loss`). @defaultValue 0 */
  gamma?: number;
  /** Fraction of rows each round fits on, drawn without replacement (`subsample`). @defaultValue 1 */
  subsample?: number;
  /** Fraction of features each tree may split on (`colsample_bytree`). @defaultValue 1 */
  colsampleByTree?: number;
  /** Fraction of the tree's features each node tries (`colsample_bynode`). @defaultValue 1 */
  colsampleByNode?: number;
  /** Bins per feature, at most 255 (a 256th holds missing values; XGBoost's `max_bin` 256). @defaultValue 255 */
  maxBins?: number;
  /** The pseudo-Huber slope δ (`huber_slope`). @defaultValue 1 */
  huberDelta?: number;
  /**
   * The starting prediction (`base_score`): a target value, or for `'logistic'` a probability; not for `'softmax'`,
   * which starts from the log class frequencies. By default the loss's best constant (the mean for squared error,
   * the median for absolute and pseudo-Huber, the log-odds of the class frequency for logistic).
   */
  baseScore?: number;
  /** Stop when the validation loss has not improved for this many rounds (`early_stopping_rounds`). */
  earlyStoppingRounds?: number;
  /**
   * With early stopping and no `validation` passed to fit: the fraction of rows, taken from the end (the most
   * recent, for time series), held out to watch. @defaultValue 0.1
   */
  validationFraction?: number;
  /** Per feature +1 (prediction non-decreasing in it), −1 (non-increasing) or 0 (`monotone_constraints`). */
  monotone?: number[];
  /** Seed of the row and feature samples (`random_state`). @defaultValue 0 */
  seed?: number;
}

/** The parameters of a {@link GradientBoosting}, with defaults applied. */
export type GradientBoostingSettings = Required<
  Omit<GradientBoostingParams, 'baseScore' | 'earlyStoppingRounds' | 'monotone'>
> &
  Pick<GradientBoostingParams, 'baseScore' | 'earlyStoppingRounds' | 'monotone'>;

/** Rows that early stopping watches. */
export interface BoostingValidation {
  /** Feature rows, as many features as the training rows. */
  X: FeatureRows;
  /** Their targets (labels, for classifiers: among the training labels). */
  y: ArrayLike<number>;
}

/** Options of {@link GradientBoosting.fit}. */
export interface BoostingFitOptions {
  /** Rows to watch for early stopping, instead of holding out the last `validationFraction` of the training rows. */
  validation?: BoostingValidation;
}

/** Options of {@link GradientBoosting.fitAsync}. */
export interface BoostingFitAsyncOptions extends BoostingFitOptions, ParallelOptions {}

/** What fitting a {@link GradientBoosting} learned. */
export interface GradientBoostingState extends TreeModelState {
  /** The starting margins, one per output. */
  base: number[];
  /** The trees, round by round (for softmax, one per class within a round), up to the best round when early stopping. */
  trees: TreeJSON[];
  /** Rounds grown. */
  rounds: number;
  /** The round (0-based) with the lowest validation loss, when early stopping ran (`best_iteration`). */
  bestIteration: number | null;
  /** The validation loss per round, when early stopping ran. */
  validationLoss: number[] | null;
}

const finite = z.number().refine(Number.isFinite, 'Expected a finite number');
const paramsSchema = z.strictObject({
  objective: z.enum(['squared', 'absolute', 'huber', 'logistic', 'softmax']).default('squared'),
  rounds: positiveInt.default(100),
  learningRate: finite.refine((v) => v > 0, 'Expected a number > 0').default(0.3),
  maxDepth: limit.default(6),
  maxLeaves: limit.default(Number.POSITIVE_INFINITY),
  minChildWeight: nonNegative.default(1),
  minSamplesLeaf: positiveInt.default(1),
  lambda: nonNegative.default(1),
  alpha: nonNegative.default(0),
  gamma: nonNegative.default(0),
  subsample: fraction.default(1),
  colsampleByTree: fraction.default(1),
  colsampleByNode: fraction.default(1),
  maxBins: maxBins.default(255),
  huberDelta: finite.refine((v) => v > 0, 'Expected a number > 0').default(1),
  baseScore: finite.optional(),
  earlyStoppingRounds: positiveInt.optional(),
  validationFraction: z
    .number()
    .refine((v) => v > 0 && v < 1, 'Expected a number in (0, 1)')
    .default(0.1),
  monotone: z.array(z.union([z.literal(-1), z.literal(0), z.literal(1)])).optional(),
  seed: z.number().int().min(0).default(0),
});
type Params = GradientBoostingSettings;

const stateSchema = z.strictObject({
  features: positiveInt,
  classes: z.array(z.number()).nullable(),
  base: z.array(z.number()).min(1),
  trees: z.array(treeJSON),
  rounds: z.number().int().min(0),
  bestIteration: z.number().int().min(0).nullable(),
  validationLoss: z.array(z.number()).nullable(),
  importances: z.array(z.number()),
  binEdges: z.array(z.array(z.number())),
});
const KIND = 'gradient-boosting';
const VERSION = 1;
const WHO = 'GradientBoosting';

/**
 * Gradient-boosted trees with second-order (Newton) steps, as XGBoost's `hist` method and LightGBM: each round fits
 * a histogram tree to the loss's gradients and hessians at the current predictions, with leaf values
 * −G/(H + λ) shrunk by the learning rate (Friedman 2001; Chen and Guestrin 2016). Features are binned into at most
 * 255 quantile bins fitted on the training rows; missing values (NaN) get their own bin and each split learns where
 * they go. Losses: squared, absolute (leaves refitted to the median residual), pseudo-Huber, logistic and softmax.
 *
 * Early stopping watches a validation set — passed to `fit`, or by default the last `validationFraction` of the
 * rows, which for time series is the most recent data — and keeps the trees up to the best round.
 *
 * @example
 * ```ts
 * import { GradientBoosting } from 'mlcycle';
 *
 * const model = new GradientBoosting({ rounds: 500, learningRate: 0.05, maxDepth: 4, earlyStoppingRounds: 20 });
 * model.fit(Xtrain, yTrain);            // watches the last 10% of the rows
 * model.state.bestIteration;            // the round it kept
 * model.predict(Xtest);
 *
 * const direction = new GradientBoosting({ objective: 'logistic', subsample: 0.8, seed: 7 });
 * direction.fit(Xtrain, upOrDown);      // labels: any two values
 * direction.predictProba(Xtest);        // P(larger label)
 * ```
 */
export class GradientBoosting extends TreeModel<Params, GradientBoostingState> {
  constructor(params: GradientBoostingParams = {}) {
    super(parseOptions(paramsSchema, params, 'GradientBoosting params') as Params, KIND, VERSION, WHO);
  }

  /** Restores a model from {@link GradientBoosting.toJSON}'s output. */
  static fromJSON(json: ModelJSON): GradientBoosting {
    const parts = readModelJSON(json, KIND, VERSION, paramsSchema, stateSchema);
    const state = parts.state as GradientBoostingState;
    const { trees, ...summary } = state;
    const k = summary.base.length;
    const expected =
      summary.classes === null || summary.classes.length === 2 ? [1, 2] : [summary.classes.length];
    if (!expected.includes(k) || (summary.classes === null && k !== 1) || trees.length % k !== 0) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `${WHO} state: ${k} starting margins and ${trees.length} trees do not fit ${summary.classes?.length ?? 'no'} classes`,
      );
    }
    return new GradientBoosting().restore(parts.params as Params, state, 1);
  }

  /** Fits the model on this thread. */
  fit(X: FeatureRows, y: ArrayLike<number>, options: BoostingFitOptions = {}): this {
    const set = prepareBoosting(X, y, options, this.params, WHO);
    this.fitted = this.finish(set, boost(set, this.params, WHO, null));
    return this;
  }

  /**
   * Fits the same model as {@link GradientBoosting.fit}, to the bit, building each node's histogram
   * feature-parallel on `workers` threads: boosting rounds depend on each other, so the histograms are what threads
   * can share. Helper threads block on shared memory between nodes rather than exchange messages. Where threads are
   * unavailable it fits on this thread. The signal is checked before the fit starts.
   */
  async fitAsync(X: FeatureRows, y: ArrayLike<number>, options: BoostingFitAsyncOptions = {}): Promise<this> {
    const { validation, ...parallel } = options;
    const { workers, signal } = parseParallel(parallel);
    const set = prepareBoosting(X, y, validation === undefined ? {} : { validation }, this.params, WHO);
    const team = await HistogramTeam.start(set, this.params, workers);
    try {
      throwIfAborted(signal);
      this.fitted = this.finish(set, boost(set, this.params, WHO, team));
    } finally {
      await team?.stop();
    }
    return this;
  }

  private finish(set: BoostingData, { trees, ...result }: Boosted): FittedTrees<GradientBoostingState> {
    const summary = {
      features: set.data.cols,
      classes: set.classes,
      ...result,
      binEdges: set.data.edges.map((e) => Array.from(e)),
    };
    return { summary, trees };
  }

  /**
   * The margins (the base score plus every tree's leaf value) as predictions, or turned into class probabilities:
   * the logistic function for two classes, softmax for more.
   * @internal
   */
  protected output({ summary, trees }: FittedTrees<GradientBoostingState>, rows: CheckedRows): Float64Array {
    const k = summary.base.length;
    const margin = new Float64Array(rows.rows * k);
    for (let i = 0; i < rows.rows; i++)
      for (let c = 0; c < k; c++) margin[i * k + c] = summary.base[c] as number;
    const leaves = new Int32Array(rows.rows);
    const missing = hasMissing(rows.data);
    trees.forEach((tree, t) => {
      const c = t % k;
      leavesOf(tree, rows.data, rows.rows, rows.cols, leaves, missing);
      for (let i = 0; i < rows.rows; i++) {
        margin[i * k + c] = (margin[i * k + c] as number) + (tree.value[leaves[i] as number] as number);
      }
    });
    if (summary.classes === null) return margin;
    if (k === 1) {
      const both = new Float64Array(2 * rows.rows);
      for (let i = 0; i < rows.rows; i++) {
        const p = sigmoid(margin[i] as number);
        both[2 * i] = 1 - p;
        both[2 * i + 1] = p;
      }
      return both;
    }
    const p = new Float64Array(k);
    for (let i = 0; i < rows.rows; i++) {
      softmaxRow(margin, i, k, p);
      margin.set(p, i * k);
    }
    return margin;
  }
}
