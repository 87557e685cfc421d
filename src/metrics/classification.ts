/**
 * Classification metrics on predicted labels: accuracy, precision, recall, F-scores, the confusion matrix, balanced
 * accuracy and the Matthews correlation coefficient, each equal to the scikit-learn 1.2 function named in its TSDoc.
 *
 * Labels are numbers (integers), strings or booleans, as scikit-learn's `type_of_target` accepts them for
 * classification: a non-integer number is a continuous target and is rejected, strings may not be mixed with numbers
 * or booleans, and booleans mixed with numbers count as 1 and 0 (numpy's coercion). Classes are ordered as
 * `np.unique` orders them: numbers ascending, strings by code point, `false` before `true`.
 *
 * @module
 */
import { z } from 'zod';
import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import {
  countMatrix,
  encodeLabels,
  external,
  internal,
  type Kind,
  type Label,
  type Labels,
} from './labels.js';

/**
 * Fraction of samples whose predicted label equals the true label — scikit-learn's `accuracy_score` (normalised,
 * unweighted).
 *
 * @throws `INVALID_ARGUMENT` when a value is not a class label, strings are mixed with other labels or the lengths
 * differ; `INSUFFICIENT_DATA` when the arrays are empty.
 * @example
 * ```ts
 * accuracy([0, 1, 2, 3], [0, 2, 1, 3]); // 0.5
 * accuracy(['cat', 'dog'], ['cat', 'cat']); // 0.5
 * ```
 */
export function accuracy(yTrue: Labels, yPred: Labels): number {
  const { trueCodes, predCodes } = encodeLabels(yTrue, yPred);
  let correct = 0;
  for (let i = 0; i < trueCodes.length; i++) if (trueCodes[i] === predCodes[i]) correct++;
  return correct / trueCodes.length;
}

/** Options for {@link precision}, {@link recall}, {@link f1} and {@link fbeta}. */
export interface PrecisionRecallOptions {
  /**
   * How per-class scores are combined, as scikit-learn's `average`: `'binary'` scores `positiveLabel` alone (and
   * needs at most two classes), `'macro'` is the unweighted mean over classes, `'weighted'` weights each class by its
   * support (true count), `'micro'` pools the counts of all classes.
   * @defaultValue 'binary'
   */
  average?: 'binary' | 'macro' | 'weighted' | 'micro';
  /**
   * The class scored when `average` is `'binary'` (scikit-learn's `pos_label`); `true` and `1` name the same class.
   * @defaultValue 1
   */
  positiveLabel?: Label;
  /**
   * The score of an ill-defined ratio (no predicted samples for precision, no true samples for recall):
   * 0 (scikit-learn's default `'warn'`, without the warning), 1, or `'nan'` (scikit-learn ≥ 1.3's `np.nan`: the
   * class is left out of the average, and the result is NaN when every class is).
   * @defaultValue 0
   */
  zeroDivision?: 0 | 1 | 'nan';
}

/** Options for {@link fbeta}: those of {@link precision} plus the weight of recall. */
export interface FbetaOptions extends PrecisionRecallOptions {
  /** How many times more recall counts than precision (β ≥ 0; 0 gives precision). */
  beta: number;
}

const labelSchema = z.union([z.number(), z.string(), z.boolean()]);

const prfShape = {
  average: z.enum(['binary', 'macro', 'weighted', 'micro']).default('binary'),
  positiveLabel: labelSchema.default(1),
  zeroDivision: z.union([z.literal(0), z.literal(1), z.literal('nan')]).default(0),
};
const prfSchema = z.strictObject(prfShape);
const fbetaSchema = z.strictObject({ ...prfShape, beta: z.number().min(0) });

type Metric = 'precision' | 'recall' | 'fbeta';

/** Per-class ratio with scikit-learn's `_prf_divide` rule: a zero denominator gives the zero-division value. */
function ratio(numerator: number, denominator: number, zeroDivision: 0 | 1 | 'nan'): number {
  if (denominator !== 0) return numerator / denominator;
  return zeroDivision === 'nan' ? Number.NaN : zeroDivision;
}

/** scikit-learn's `precision_recall_fscore_support` for one metric, averaged as asked. */
function scoreLabels(
  yTrue: Labels,
  yPred: Labels,
  metric: Metric,
  options: z.output<typeof prfSchema>,
  beta: number,
): number {
  const encoded = encodeLabels(yTrue, yPred);
  const { kind, classes, trueCodes, predCodes } = encoded;
  const k = classes.length;
  const tp = new Float64Array(k);
  const trueSum = new Float64Array(k);
  const predSum = new Float64Array(k);
  for (let i = 0; i < trueCodes.length; i++) {
    const t = trueCodes[i] as number;
    const p = predCodes[i] as number;
    trueSum[t] = (trueSum[t] as number) + 1;
    predSum[p] = (predSum[p] as number) + 1;
    if (t === p) tp[t] = (tp[t] as number) + 1;
  }
  const zd = options.zeroDivision;
  let selected: number[];
  if (options.average === 'binary') {
    const where = describeClasses(kind, classes);
    if (k > 2) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `average 'binary' needs at most two classes, but yTrue and yPred hold ${k} (${where}); ` +
          "choose average 'macro', 'weighted' or 'micro'",
      );
    }
    const positive = positiveCode(options.positiveLabel, kind, classes);
    if (positive < 0 && k === 2) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `positiveLabel ${formatNumber(options.positiveLabel)} is not a class of yTrue or yPred; it should be one of ${where}`,
      );
    }
    if (positive < 0) return perClass(metric, 0, 0, 0, zd, beta);
    selected = [positive];
  } else if (options.average === 'micro') {
    let tpAll = 0;
    for (let c = 0; c < k; c++) tpAll += tp[c] as number;
    const n = trueCodes.length;
    return perClass(metric, tpAll, n, n, zd, beta);
  } else {
    selected = Array.from({ length: k }, (_, c) => c);
  }
  let weighted = 0;
  let weights = 0;
  let plain = 0;
  let defined = 0;
  for (const c of selected) {
    const score = perClass(metric, tp[c] as number, predSum[c] as number, trueSum[c] as number, zd, beta);
    if (Number.isNaN(score)) continue;
    const w = trueSum[c] as number;
    weighted += score * w;
    weights += w;
    plain += score;
    defined++;
  }
  if (defined === 0) return Number.NaN;
  if (options.average === 'weighted' && weights > 0) return weighted / weights;
  return plain / defined;
}

function describeClasses(kind: Kind, classes: (number | string)[]): string {
  return classes.map((c) => formatNumber(external(kind, c))).join(', ');
}

/** Index of the positive label among `classes`, or −1; `true`/`1` and `false`/`0` are the same class (numpy). */
function positiveCode(label: Label, kind: Kind, classes: (number | string)[]): number {
  if ((typeof label === 'string') !== (kind === 'string')) return -1;
  return classes.indexOf(internal(label));
}

/** Precision, recall or F-beta of one class (or of pooled counts), with scikit-learn 1.2's formulas. */
function perClass(
  metric: Metric,
  tp: number,
  predSum: number,
  trueSum: number,
  zd: 0 | 1 | 'nan',
  beta: number,
): number {
  const p = ratio(tp, predSum, zd);
  if (metric === 'precision') return p;
  const r = ratio(tp, trueSum, zd);
  if (metric === 'recall') return r;
  if (Number.isNaN(p) || Number.isNaN(r)) {
    // scikit-learn ≥ 1.3: F is (1 + β²)·tp / (β²·trueSum + predSum), ill-defined only when both sums are 0.
    return Number.isNaN(p) && Number.isNaN(r) ? Number.NaN : 0;
  }
  const beta2 = beta * beta;
  const denominator = beta2 * p + r;
  return ((1 + beta2) * p * r) / (denominator === 0 ? 1 : denominator);
}

/**
 * Precision tp / (tp + fp) — scikit-learn's `precision_score` with the same `average`, `pos_label` and
 * `zero_division` rules (see {@link PrecisionRecallOptions}).
 *
 * @throws `INVALID_ARGUMENT` for bad labels or options, more than two classes with `average: 'binary'`, or a
 * `positiveLabel` that is not one of two present classes; `INSUFFICIENT_DATA` when the arrays are empty.
 * @example
 * ```ts
 * precision([0, 1, 1, 0], [1, 1, 0, 0]); // 0.5 (class 1)
 * precision(['a', 'b', 'c', 'a'], ['a', 'c', 'c', 'b'], { average: 'macro' }); // (1 + 0 + 0.5) / 3
 * ```
 */
export function precision(yTrue: Labels, yPred: Labels, options: PrecisionRecallOptions = {}): number {
  return scoreLabels(yTrue, yPred, 'precision', parseOptions(prfSchema, options, 'precision options'), 1);
}

/**
 * Recall tp / (tp + fn) — scikit-learn's `recall_score` with the same `average`, `pos_label` and `zero_division`
 * rules (see {@link PrecisionRecallOptions}).
 *
 * @throws as {@link precision}.
 * @example
 * ```ts
 * recall([0, 1, 1, 0], [1, 1, 0, 0]); // 0.5
 * ```
 */
export function recall(yTrue: Labels, yPred: Labels, options: PrecisionRecallOptions = {}): number {
  return scoreLabels(yTrue, yPred, 'recall', parseOptions(prfSchema, options, 'recall options'), 1);
}

/**
 * F-beta score (1 + β²)·P·R / (β²·P + R) — scikit-learn 1.2's `fbeta_score`, computed from the per-class precision
 * and recall after the zero-division rule (a zero denominator gives 0), then averaged.
 *
 * @throws as {@link precision}, and `INVALID_ARGUMENT` when `beta` is missing or negative.
 * @example
 * ```ts
 * fbeta([0, 1, 1, 0], [1, 1, 1, 0], { beta: 2 }); // 5·(2/3)·1 / (4·(2/3) + 1) = 10/11
 * ```
 */
export function fbeta(yTrue: Labels, yPred: Labels, options: FbetaOptions): number {
  const parsed = parseOptions(fbetaSchema, options, 'fbeta options');
  return scoreLabels(yTrue, yPred, 'fbeta', parsed, parsed.beta);
}

/**
 * F1 score, the harmonic mean of precision and recall — scikit-learn's `f1_score` ({@link fbeta} with β = 1).
 *
 * @throws as {@link precision}.
 * @example
 * ```ts
 * f1([0, 1, 1, 0], [1, 1, 0, 0]); // 0.5
 * f1(['a', 'b', 'b'], ['a', 'b', 'a'], { average: 'weighted' });
 * ```
 */
export function f1(yTrue: Labels, yPred: Labels, options: PrecisionRecallOptions = {}): number {
  return scoreLabels(yTrue, yPred, 'fbeta', parseOptions(prfSchema, options, 'f1 options'), 1);
}

/** Options for {@link confusionMatrix}. */
export interface ConfusionMatrixOptions {
  /**
   * The classes to show, in this order; samples whose true or predicted label is not listed are left out. At least
   * one listed class must occur in `yTrue`.
   * @defaultValue every class of yTrue and yPred, sorted as `np.unique`
   */
  labels?: readonly Label[];
  /**
   * Divide counts by row sums (`'true'`), column sums (`'pred'`) or the total (`'all'`); an empty row or column
   * gives 0, as scikit-learn's `nan_to_num`.
   * @defaultValue no normalisation
   */
  normalize?: 'true' | 'pred' | 'all';
}

/** A confusion matrix and the class of each row and column. */
export interface ConfusionMatrix {
  /** The class of each row (true) and column (predicted). */
  labels: Label[];
  /** `matrix[i][j]`: how many samples of class `labels[i]` were predicted as `labels[j]`. */
  matrix: number[][];
}

const confusionSchema = z.strictObject({
  labels: z.array(labelSchema).readonly().optional(),
  normalize: z.enum(['true', 'pred', 'all']).optional(),
});

/**
 * Confusion matrix with rows the true class and columns the predicted class — scikit-learn's `confusion_matrix`.
 *
 * @throws `INVALID_ARGUMENT` for bad labels; for `options.labels` that is empty, repeats a class or names no class
 * of `yTrue`; `INSUFFICIENT_DATA` when the arrays are empty.
 * @example
 * ```ts
 * confusionMatrix(['cat', 'ant', 'cat', 'cat', 'ant', 'bird'], ['ant', 'ant', 'cat', 'cat', 'ant', 'cat']);
 * // { labels: ['ant', 'bird', 'cat'], matrix: [[2, 0, 0], [0, 0, 1], [1, 0, 2]] }
 * ```
 */
export function confusionMatrix(
  yTrue: Labels,
  yPred: Labels,
  options: ConfusionMatrixOptions = {},
): ConfusionMatrix {
  const parsed = parseOptions(confusionSchema, options, 'confusionMatrix options');
  const encoded = encodeLabels(yTrue, yPred, parsed.labels ?? []);
  const { kind, classes } = encoded;
  const k = classes.length;
  const counts = countMatrix(encoded);
  let order: number[];
  if (parsed.labels === undefined) {
    order = Array.from({ length: k }, (_, c) => c);
  } else {
    if (parsed.labels.length === 0) {
      throw new MlcycleError('INVALID_ARGUMENT', 'options.labels must list at least one class');
    }
    const wanted = parsed.labels.map((label) => internal(label));
    if (new Set(wanted).size !== wanted.length) {
      throw new MlcycleError('INVALID_ARGUMENT', 'options.labels must not repeat a class');
    }
    order = wanted.map((label) => classes.indexOf(label));
    const present = new Set(encoded.trueCodes);
    if (!order.some((c) => present.has(c))) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        'options.labels must include at least one class that occurs in yTrue',
      );
    }
  }
  const matrix = order.map((r) => order.map((c) => (r < 0 || c < 0 ? 0 : (counts[r * k + c] as number))));
  if (parsed.normalize !== undefined) normalizeMatrix(matrix, parsed.normalize);
  const labels =
    parsed.labels === undefined ? classes.map((c) => external(kind, c)) : parsed.labels.map((l) => l);
  return { labels, matrix };
}

function normalizeMatrix(matrix: number[][], how: 'true' | 'pred' | 'all'): void {
  const m = matrix.length;
  const rowSums = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const colSums = matrix.map((_, j) => matrix.reduce((a, row) => a + (row[j] as number), 0));
  const total = rowSums.reduce((a, b) => a + b, 0);
  for (let i = 0; i < m; i++) {
    const row = matrix[i] as number[];
    for (let j = 0; j < m; j++) {
      const d = how === 'true' ? (rowSums[i] as number) : how === 'pred' ? (colSums[j] as number) : total;
      row[j] = d === 0 ? 0 : (row[j] as number) / d;
    }
  }
}

/** Options for {@link balancedAccuracy}. */
export interface BalancedAccuracyOptions {
  /**
   * Rescale so that chance scores 0 and perfect scores 1: (score − 1/K) / (1 − 1/K), K the number of classes in
   * `yTrue` (scikit-learn's `adjusted`).
   * @defaultValue false
   */
  adjusted?: boolean;
}

const balancedSchema = z.strictObject({ adjusted: z.boolean().default(false) });

/**
 * Balanced accuracy, the mean recall over the classes present in `yTrue` — scikit-learn's
 * `balanced_accuracy_score`. Classes that occur only in `yPred` are left out (scikit-learn warns and does the same).
 * With `adjusted` and a single class in `yTrue` the rescaling divides by zero: NaN for a perfect score, −Infinity
 * otherwise, as scikit-learn.
 *
 * @throws as {@link accuracy}, and `INVALID_ARGUMENT` for bad options.
 * @example
 * ```ts
 * balancedAccuracy([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1]); // (0.75 + 0.5) / 2 = 0.625
 * ```
 */
export function balancedAccuracy(
  yTrue: Labels,
  yPred: Labels,
  options: BalancedAccuracyOptions = {},
): number {
  const { adjusted } = parseOptions(balancedSchema, options, 'balancedAccuracy options');
  const encoded = encodeLabels(yTrue, yPred);
  const k = encoded.classes.length;
  const counts = countMatrix(encoded);
  let total = 0;
  let present = 0;
  for (let r = 0; r < k; r++) {
    let rowSum = 0;
    for (let c = 0; c < k; c++) rowSum += counts[r * k + c] as number;
    if (rowSum === 0) continue;
    total += (counts[r * k + r] as number) / rowSum;
    present++;
  }
  let score = total / present;
  if (adjusted) {
    const chance = 1 / present;
    score = (score - chance) / (1 - chance);
  }
  return score;
}

/**
 * Matthews correlation coefficient, with scikit-learn's multiclass generalisation (Gorodkin 2004):
 * (c·s − Σ t_k·p_k) / √((s² − Σ t_k²)(s² − Σ p_k²)), c correct predictions, s samples, t_k and p_k the true and
 * predicted counts of class k — scikit-learn's `matthews_corrcoef`. When either variance term is 0 (one class in
 * `yTrue` or in `yPred`) the result is 0, as scikit-learn.
 *
 * @throws as {@link accuracy}.
 * @example
 * ```ts
 * matthewsCorrcoef([1, 1, 1, 0], [1, 0, 1, 1]); // -0.3333333333333333
 * ```
 */
export function matthewsCorrcoef(yTrue: Labels, yPred: Labels): number {
  const encoded = encodeLabels(yTrue, yPred);
  const k = encoded.classes.length;
  const counts = countMatrix(encoded);
  const t = new Float64Array(k);
  const p = new Float64Array(k);
  let correct = 0;
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) {
      const v = counts[r * k + c] as number;
      t[r] = (t[r] as number) + v;
      p[c] = (p[c] as number) + v;
    }
    correct += counts[r * k + r] as number;
  }
  const s = encoded.trueCodes.length;
  let tp = 0;
  let pp = 0;
  let tt = 0;
  for (let c = 0; c < k; c++) {
    tp += (t[c] as number) * (p[c] as number);
    pp += (p[c] as number) * (p[c] as number);
    tt += (t[c] as number) * (t[c] as number);
  }
  const covTruePred = correct * s - tp;
  const covPredPred = s * s - pp;
  const covTrueTrue = s * s - tt;
  if (covPredPred * covTrueTrue === 0) return 0;
  return covTruePred / Math.sqrt(covTrueTrue * covPredPred);
}
