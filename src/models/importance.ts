import { z } from 'zod';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { Random } from '../core/random.js';
import { brierScore, logLoss } from '../metrics/calibration.js';
import { accuracy, balancedAccuracy, f1 } from '../metrics/classification.js';
import { mae, mse, r2, rmse } from '../metrics/regression.js';
import { rocAuc } from '../metrics/roc-auc.js';
import { fStatistic, type LearningTask, mutualInformation } from './feature-scores.js';
import { checkRows, checkTarget, type FeatureRows, type Model } from './model.js';

/** A score for permutation importance: a built-in name, or your own function with its direction. */
export type ImportanceMetric =
  | 'r2'
  | 'mae'
  | 'mse'
  | 'rmse'
  | 'accuracy'
  | 'balancedAccuracy'
  | 'f1'
  | 'rocAuc'
  | 'logLoss'
  | 'brierScore'
  | {
      /** Scores the true targets against predictions (or probabilities). */
      fn: (yTrue: ArrayLike<number>, yPred: ArrayLike<number>) => number;
      /** Whether larger scores are better (R², accuracy) rather than worse (errors, losses). */
      greaterIsBetter: boolean;
      /** Pass `predictProba`'s probabilities instead of `predict`'s output. @defaultValue false */
      useProbabilities?: boolean;
    };

interface Scorer {
  fn: (yTrue: ArrayLike<number>, yPred: ArrayLike<number>) => number;
  greaterIsBetter: boolean;
  useProbabilities: boolean;
}

const BUILT_IN: Record<Exclude<ImportanceMetric, object>, Scorer> = {
  r2: { fn: r2, greaterIsBetter: true, useProbabilities: false },
  mae: { fn: mae, greaterIsBetter: false, useProbabilities: false },
  mse: { fn: mse, greaterIsBetter: false, useProbabilities: false },
  rmse: { fn: rmse, greaterIsBetter: false, useProbabilities: false },
  accuracy: { fn: accuracy, greaterIsBetter: true, useProbabilities: false },
  balancedAccuracy: { fn: (t, p) => balancedAccuracy(t, p), greaterIsBetter: true, useProbabilities: false },
  f1: { fn: (t, p) => f1(t, p), greaterIsBetter: true, useProbabilities: false },
  rocAuc: { fn: rocAuc, greaterIsBetter: true, useProbabilities: true },
  logLoss: { fn: (t, p) => logLoss(t, p), greaterIsBetter: false, useProbabilities: true },
  brierScore: { fn: brierScore, greaterIsBetter: false, useProbabilities: true },
};

/** Options for {@link featureImportance}. */
export interface ImportanceOptions {
  /** The score whose drop measures importance. @defaultValue 'r2' (use 'accuracy' or 'rocAuc' for classifiers) */
  metric?: ImportanceMetric;
  /** How many times each feature is shuffled, as scikit-learn's `n_repeats`. @defaultValue 5 */
  repeats?: number;
  /** Seed of the shuffles; feature j uses the stream `new Random(seed).fork(j)`. @defaultValue 0 */
  seed?: number;
}

/** What {@link featureImportance} returns: plain JSON, laid out as scikit-learn's `permutation_importance`. */
export interface FeatureImportance {
  /** The score of the model on the unshuffled data. */
  baseline: number;
  /** The mean drop in score per feature (positive: shuffling the feature hurts). */
  mean: number[];
  /** The population standard deviation (ddof = 0, as scikit-learn) of the drops per feature. */
  std: number[];
  /** Every drop: `drops[feature][repeat]`. */
  drops: number[][];
}

const scorerSchema = z.union([
  z.enum(Object.keys(BUILT_IN) as [keyof typeof BUILT_IN, ...(keyof typeof BUILT_IN)[]]),
  z.strictObject({
    fn: z.custom<Scorer['fn']>((f) => typeof f === 'function', 'Expected a function'),
    greaterIsBetter: z.boolean(),
    useProbabilities: z.boolean().optional(),
  }),
]);
const importanceSchema = z.strictObject({
  metric: scorerSchema.default('r2'),
  repeats: z.number().int().min(1).default(5),
  seed: z.number().int().min(0).default(0),
});

function toScorer(metric: z.output<typeof scorerSchema>): Scorer {
  if (typeof metric === 'string') return BUILT_IN[metric];
  return {
    fn: metric.fn,
    greaterIsBetter: metric.greaterIsBetter,
    useProbabilities: metric.useProbabilities === true,
  };
}

async function score(model: Model, X: FeatureRows, y: Float64Array, scorer: Scorer): Promise<number> {
  if (scorer.useProbabilities && typeof model.predictProba !== 'function') {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      'featureImportance: this metric needs a model with predictProba(X)',
    );
  }
  const output = scorer.useProbabilities
    ? await (model.predictProba as NonNullable<Model['predictProba']>)(X)
    : await model.predict(X);
  return scorer.fn(y, output);
}

/**
 * Permutation importance (Breiman 2001; scikit-learn's `permutation_importance`): how much a fitted model's score
 * drops when one feature's values are shuffled across rows, breaking its link to the target. Measure it on data the
 * model was not fitted on. Shuffles are seeded per feature, so the result depends only on the seed; the generator
 * is mlcycle's `Random`, not numpy's, so the individual drops differ from scikit-learn's for the same seed.
 *
 * @param model - a fitted model; any object with `predict` (and `predictProba` for probability metrics).
 * @example
 * ```ts
 * import { featureImportance, ridge } from 'mlcycle';
 *
 * const model = ridge().fit(Xtrain, yTrain);
 * const { mean, std } = await featureImportance(model, Xtest, yTest, { metric: 'mse', repeats: 10, seed: 1 });
 * ```
 */
export async function featureImportance(
  model: Model,
  X: FeatureRows,
  y: ArrayLike<number>,
  options: ImportanceOptions = {},
): Promise<FeatureImportance> {
  if (typeof model !== 'object' || model === null || typeof model.predict !== 'function') {
    throw new MlcycleError('INVALID_ARGUMENT', 'featureImportance needs a fitted model with predict(X)');
  }
  const o = parseOptions(importanceSchema, options, 'featureImportance options');
  const rows = checkRows(X, 'featureImportance');
  const target = checkTarget(y, rows.rows, 'featureImportance');
  const scorer = toScorer(o.metric);
  const sign = scorer.greaterIsBetter ? 1 : -1;
  const baseline = await score(model, X, target, scorer);
  const root = new Random(o.seed);
  const drops: number[][] = [];
  const shuffled = X.map((row) => Array.from(row));
  for (let j = 0; j < rows.cols; j++) {
    const rng = root.fork(j);
    const order = Array.from({ length: rows.rows }, (_, i) => i);
    const feature: number[] = [];
    for (let r = 0; r < o.repeats; r++) {
      for (let i = order.length - 1; i > 0; i--) {
        const k = rng.int(0, i); // Fisher–Yates
        [order[i], order[k]] = [order[k] as number, order[i] as number];
      }
      order.forEach((from, i) => {
        (shuffled[i] as number[])[j] = rows.data[from * rows.cols + j] as number;
      });
      feature.push(sign * (baseline - (await score(model, shuffled, target, scorer))));
    }
    shuffled.forEach((row, i) => {
      row[j] = rows.data[i * rows.cols + j] as number;
    });
    drops.push(feature);
  }
  const mean = drops.map((d) => d.reduce((a, b) => a + b, 0) / d.length);
  const std = drops.map((d, j) =>
    Math.sqrt(d.reduce((a, b) => a + (b - (mean[j] as number)) ** 2, 0) / d.length),
  );
  return { baseline, mean, std, drops };
}

/** Options for {@link selectFeatures}. */
export interface SelectFeaturesOptions {
  /** How many features to keep. */
  k: number;
  /** How features are ranked. @defaultValue 'f-statistic' */
  by?: 'importance' | 'f-statistic' | 'mutual-information';
  /** Regression or classification target, for the F-test and mutual information. @defaultValue 'regression' */
  task?: LearningTask;
  /** For `by: 'importance'`: makes the model, which is fitted on all of `X`, `y` and scored on it. */
  model?: () => Model;
  /** For `by: 'importance'`: see {@link ImportanceOptions}. */
  metric?: ImportanceMetric;
  /** For `by: 'importance'`: see {@link ImportanceOptions}. @defaultValue 5 */
  repeats?: number;
  /** For `by: 'importance'`: see {@link ImportanceOptions}. @defaultValue 0 */
  seed?: number;
  /** For `by: 'mutual-information'`: the k of the nearest-neighbour estimator. @defaultValue 3 */
  neighbors?: number;
}

/** What {@link selectFeatures} returns. */
export interface FeatureSelection {
  /** The indices of the `k` best features, best first (ties: lower index first). */
  selected: number[];
  /** Every feature's score (NaN ranks last). */
  scores: number[];
  /** Only the columns in `selected`, in that order. */
  X: number[][];
}

const selectSchema = z.strictObject({
  k: z.number().int().min(1),
  by: z.enum(['importance', 'f-statistic', 'mutual-information']).default('f-statistic'),
  task: z.enum(['regression', 'classification']).default('regression'),
  model: z.custom<() => Model>((f) => typeof f === 'function', 'Expected a function').optional(),
  metric: scorerSchema.optional(),
  repeats: z.number().int().min(1).optional(),
  seed: z.number().int().min(0).optional(),
  neighbors: z.number().int().min(1).default(3),
});

/**
 * Keeps the `k` features that score best: by univariate F-test ({@link fStatistic}, as scikit-learn's
 * `SelectKBest(f_regression)`), by mutual information ({@link mutualInformation}), or by permutation importance of
 * a model fitted on the data ({@link featureImportance}). Run it on training data only, before tuning, so the choice
 * does not peek at the test folds.
 *
 * @example
 * ```ts
 * import { selectFeatures } from 'mlcycle';
 *
 * const { selected, X: reduced } = await selectFeatures(X, y, { k: 5, by: 'mutual-information' });
 * ```
 */
export async function selectFeatures(
  X: FeatureRows,
  y: ArrayLike<number>,
  options: SelectFeaturesOptions,
): Promise<FeatureSelection> {
  const o = parseOptions(selectSchema, options, 'selectFeatures options');
  const rows = checkRows(X, 'selectFeatures');
  if (o.k > rows.cols) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `selectFeatures: k is ${o.k} but X has only ${rows.cols} features`,
    );
  }
  let scores: number[];
  if (o.by === 'f-statistic') scores = fStatistic(X, y, o.task).scores;
  else if (o.by === 'mutual-information') scores = mutualInformation(X, y, o.task, o.neighbors);
  else {
    if (o.model === undefined) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        "selectFeatures by 'importance' needs a model factory: { model: () => Model }",
      );
    }
    const model = o.model();
    await model.fit(X, y);
    const importance: ImportanceOptions = { repeats: o.repeats ?? 5, seed: o.seed ?? 0 };
    if (o.metric !== undefined) importance.metric = o.metric as ImportanceMetric;
    scores = (await featureImportance(model, X, y, importance)).mean;
  }
  const rank = (v: number) => (Number.isNaN(v) ? Number.NEGATIVE_INFINITY : v);
  const selected = scores
    .map((_, j) => j)
    .sort((a, b) => rank(scores[b] as number) - rank(scores[a] as number) || a - b)
    .slice(0, o.k);
  return { selected, scores, X: X.map((row) => selected.map((j) => row[j] as number)) };
}
