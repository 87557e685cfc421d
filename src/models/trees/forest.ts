import { z } from 'zod';
import { MlcycleError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';
import {
  type CheckedRows,
  checkRows,
  checkTarget,
  type FeatureRows,
  type ModelJSON,
  readModelJSON,
} from '../model.js';
import {
  averageTrees,
  binRows,
  encodeClasses,
  fraction,
  gainImportance,
  limit,
  maxBins,
  positiveInt,
  treeJSON,
} from './common.js';
import { type ForestJob, ForestTrainer, growForestTrees, outOfBag } from './forest-train.js';
import type { GrowParams } from './grow.js';
import type { Tree } from './tree.js';
import { type FittedTrees, TreeModel, type TreeModelState } from './tree-model.js';
import { inWorkers, type ParallelOptions, shared } from './workers.js';

/** How many features a forest's split tries, as scikit-learn's `max_features`. */
export type MaxFeatures = 'all' | 'sqrt' | 'log2' | number;

/** Parameters of a {@link RandomForest}; names follow scikit-learn's `RandomForestRegressor`/`Classifier`. */
export interface RandomForestParams {
  /** `'regression'` (mean of the leaf targets) or `'classification'` (class frequencies). @defaultValue 'regression' */
  task?: 'regression' | 'classification';
  /** Number of trees (`n_estimators`). @defaultValue 100 */
  trees?: number;
  /**
   * Features tried per split (`max_features`): `'all'`, `'sqrt'`, `'log2'`, an integer count, or a fraction in (0, 1)
   * of the features. Features that are constant within a node do not count, as in scikit-learn.
   * @defaultValue 'all' for regression, 'sqrt' for classification
   */
  maxFeatures?: MaxFeatures;
  /** Deepest level of a tree (`max_depth`); `Infinity` grows until leaves are pure. @defaultValue Infinity */
  maxDepth?: number;
  /** Most leaves per tree (`max_leaf_nodes`), splitting the best-gaining leaf first. @defaultValue Infinity */
  maxLeaves?: number;
  /** Fewest rows in a leaf (`min_samples_leaf`). @defaultValue 1 */
  minSamplesLeaf?: number;
  /** Fewest rows in a node for it to be split (`min_samples_split`). @defaultValue 2 */
  minSamplesSplit?: number;
  /** Draw each tree's rows with replacement (`bootstrap`); else each tree takes a subsample without. @defaultValue true */
  bootstrap?: boolean;
  /** Rows drawn per tree as a fraction of all rows (`max_samples`). @defaultValue 1 */
  maxSamples?: number;
  /** Compute the out-of-bag score (R² or accuracy) while fitting (`oob_score`). @defaultValue false */
  oobScore?: boolean;
  /** Bins per feature, at most 255 (a 256th holds missing values). @defaultValue 255 */
  maxBins?: number;
  /** Seed of the row samples and feature draws (`random_state`). @defaultValue 0 */
  seed?: number;
}

/** What fitting a {@link RandomForest} learned. */
export interface RandomForestState extends TreeModelState {
  /** The out-of-bag R² or accuracy, when `oobScore` was set (`oob_score_`). */
  oobScore: number | null;
}

/** Options of {@link RandomForest.fitAsync}. */
export interface ForestFitOptions extends ParallelOptions {}

const paramsSchema = z.strictObject({
  task: z.enum(['regression', 'classification']).default('regression'),
  trees: positiveInt.default(100),
  maxFeatures: z
    .union([
      z.enum(['all', 'sqrt', 'log2']),
      positiveInt,
      z.number().refine((v) => v > 0 && v < 1, 'Expected an integer >= 1 or a fraction in (0, 1)'),
    ])
    .optional(),
  maxDepth: limit.default(Number.POSITIVE_INFINITY),
  maxLeaves: limit.default(Number.POSITIVE_INFINITY),
  minSamplesLeaf: positiveInt.default(1),
  minSamplesSplit: z.number().int().min(2).default(2),
  bootstrap: z.boolean().default(true),
  maxSamples: fraction.default(1),
  oobScore: z.boolean().default(false),
  maxBins: maxBins.default(255),
  seed: z.number().int().min(0).default(0),
});
/** The parameters of a {@link RandomForest}, with defaults applied (`maxFeatures` stays unset for the task's default). */
export type RandomForestSettings = Required<Omit<RandomForestParams, 'maxFeatures'>> &
  Pick<RandomForestParams, 'maxFeatures'>;
type Params = RandomForestSettings;

const stateSchema = z.strictObject({
  features: positiveInt,
  classes: z.array(z.number()).nullable(),
  trees: z.array(treeJSON).min(1),
  importances: z.array(z.number()),
  oobScore: z.number().nullable(),
  binEdges: z.array(z.array(z.number())),
});
const KIND = 'random-forest';
const VERSION = 1;
const WHO = 'RandomForest';

interface Prepared {
  job: ForestJob;
  classes: number[] | null;
}

/** How many features a split tries, from `maxFeatures` and the feature count. */
function featuresPerNode(maxFeatures: MaxFeatures, cols: number): number {
  if (maxFeatures === 'all') return cols;
  if (maxFeatures === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(cols)));
  if (maxFeatures === 'log2') return Math.max(1, Math.floor(Math.log2(cols)));
  if (Number.isInteger(maxFeatures)) return Math.min(cols, maxFeatures);
  return Math.max(1, Math.floor(maxFeatures * cols));
}

/**
 * A random forest (Breiman 2001) of histogram trees: each tree grows on a bootstrap sample of the rows, trying a
 * random subset of the features at each split, and the forest averages the trees (leaf means for regression, class
 * frequencies for classification). It follows scikit-learn's `RandomForestRegressor`/`RandomForestClassifier`
 * (variance or Gini reduction, the same `max_features` rule) but splits on at most 255 quantile bins per feature,
 * fitted on the training data, and accepts missing values (NaN): they get their own bin and each split learns which
 * side they go to.
 *
 * Each tree draws its rows and features from its own streams forked from `Random(seed)` by the tree's index, so a fit gives the same
 * forest on one thread or many ({@link RandomForest.fitAsync}).
 *
 * @example
 * ```ts
 * import { RandomForest } from 'mlcycle';
 *
 * const forest = new RandomForest({ trees: 200, minSamplesLeaf: 5, oobScore: true, seed: 1 });
 * forest.fit(Xtrain, yTrain);
 * forest.predict(Xtest);
 * forest.state.oobScore;          // out-of-bag R²
 * forest.featureImportances;      // impurity importance per feature
 * await forest.fitAsync(Xtrain, yTrain, { workers: 4 }); // the same forest, grown on 4 threads
 * ```
 */
export class RandomForest extends TreeModel<Params, RandomForestState> {
  constructor(params: RandomForestParams = {}) {
    super(parseOptions(paramsSchema, params, 'RandomForest params') as Params, KIND, VERSION, WHO);
  }

  /** Restores a forest from {@link RandomForest.toJSON}'s output. */
  static fromJSON(json: ModelJSON): RandomForest {
    const parts = readModelJSON(json, KIND, VERSION, paramsSchema, stateSchema);
    const state = parts.state as RandomForestState;
    return new RandomForest().restore(parts.params as Params, state, state.classes?.length ?? 1);
  }

  /** Fits the forest on this thread. */
  fit(X: FeatureRows, y: ArrayLike<number>): this {
    const prepared = this.prepare(X, y);
    const trainer = new ForestTrainer(prepared.job);
    this.fitted = this.finish(
      prepared,
      Array.from({ length: this.params.trees }, (_, t) => trainer.grow(t)),
    );
    return this;
  }

  /**
   * Fits the same forest as {@link RandomForest.fit}, growing the trees on `workers` threads (`worker_threads`);
   * where threads are unavailable (browsers, some runtimes) it fits on this thread.
   */
  async fitAsync(X: FeatureRows, y: ArrayLike<number>, options: ForestFitOptions = {}): Promise<this> {
    const prepared = this.prepare(X, y);
    const job = { ...prepared.job, data: { ...prepared.job.data, bins: shared(prepared.job.data.bins) } };
    const indices = Array.from({ length: this.params.trees }, (_, t) => t);
    const trees = await inWorkers(
      'trees.forest',
      indices,
      (chunk) => ({ job, indices: chunk }),
      growForestTrees,
      options,
    );
    this.fitted = this.finish(prepared, trees);
    return this;
  }

  /** The mean of the trees' leaf values: predictions, or class frequencies `classes.length` per row. @internal */
  protected output({ summary, trees }: FittedTrees<RandomForestState>, rows: CheckedRows): Float64Array {
    return averageTrees(trees, rows.data, rows.rows, rows.cols, summary.classes?.length ?? 1);
  }

  private prepare(X: FeatureRows, y: ArrayLike<number>): Prepared {
    const p = this.params;
    const rows = checkRows(X, WHO, undefined, true);
    const target = checkTarget(y, rows.rows, WHO);
    const classification = p.task === 'classification';
    const encoded = classification ? encodeClasses(target, WHO) : null;
    const grow: GrowParams = {
      maxDepth: p.maxDepth,
      maxLeaves: p.maxLeaves,
      leafwise: Number.isFinite(p.maxLeaves),
      minSamplesLeaf: p.minSamplesLeaf,
      minSamplesSplit: p.minSamplesSplit,
      minChildWeight: 0,
      lambda: 0,
      alpha: 0,
      minSplitGain: 0,
      featuresPerNode: featuresPerNode(p.maxFeatures ?? (classification ? 'sqrt' : 'all'), rows.cols),
      monotone: null,
    };
    const job: ForestJob = {
      data: binRows(rows.data, rows.rows, rows.cols, p.maxBins, p.seed),
      target: encoded?.index ?? target,
      outputs: encoded?.classes.length ?? 1,
      grow,
      bootstrap: p.bootstrap,
      samples: Math.max(1, Math.round(p.maxSamples * rows.rows)),
      seed: p.seed,
    };
    return { job, classes: encoded?.classes ?? null };
  }

  private finish({ job, classes }: Prepared, trees: Tree[]): FittedTrees<RandomForestState> {
    const cols = job.data.cols;
    const summary = {
      features: cols,
      classes,
      importances: gainImportance(trees, cols, true),
      oobScore: this.params.oobScore ? oobScore(job, trees) : null,
      binEdges: job.data.edges.map((e) => Array.from(e)),
    };
    return { summary, trees };
  }
}

/** R² (regression) or accuracy (classification) of the out-of-bag predictions, over rows some tree left out. */
function oobScore(job: ForestJob, trees: readonly Tree[]): number {
  const { sums, counts } = outOfBag(job, trees);
  const k = job.outputs;
  let n = 0;
  let mean = 0;
  for (let r = 0; r < counts.length; r++) {
    if (counts[r] === 0) continue;
    n++;
    mean += ((job.target[r] as number) - mean) / n;
  }
  if (n === 0)
    throw new MlcycleError(
      'INSUFFICIENT_DATA',
      'RandomForest: every tree was fitted on every row, so there is no out-of-bag score; set bootstrap: true or maxSamples < 1',
    );
  let residual = 0;
  let total = 0;
  let correct = 0;
  for (let r = 0; r < counts.length; r++) {
    const c = counts[r] as number;
    if (c === 0) continue;
    const t = job.target[r] as number;
    if (k === 1) {
      residual += (t - (sums[r] as number) / c) ** 2;
      total += (t - mean) ** 2;
    } else {
      let best = 0;
      for (let j = 1; j < k; j++) if ((sums[r * k + j] as number) > (sums[r * k + best] as number)) best = j;
      if (best === t) correct++;
    }
  }
  return k === 1 ? 1 - residual / total : correct / n;
}
