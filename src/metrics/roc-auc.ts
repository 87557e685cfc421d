/**
 * Area under the ROC curve for binary scores.
 *
 * @module
 */
import { assertSameLength } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { toFiniteArray } from '../core/numeric.js';
import { radixSort } from '../core/sort.js';
import { toBinaryTargets } from './labels.js';

/**
 * Area under the receiver operating characteristic curve of a binary classifier's scores — scikit-learn's
 * `roc_auc_score` for binary targets. The larger of the two classes in `yTrue` is the positive class (`true` for
 * booleans), as scikit-learn's `label_binarize`; a higher score means "more positive".
 *
 * Ties are handled as scikit-learn: its trapezoid over distinct thresholds equals the Mann–Whitney statistic with
 * average ranks, U / (n₊·n₋), where a positive scored equal to a negative counts one half. The result is computed
 * exactly from integer counts (2U and 2·n₊·n₋ are exact in double precision), then divided once. Positives and
 * negatives are sorted separately as `Float64Array`s (a radix sort on the IEEE-754 bits: linear time, no comparator,
 * no per-element allocation) and merged in one pass.
 *
 * @throws `INVALID_ARGUMENT` when `yTrue` holds anything but integer or boolean labels, more than two classes or only
 * one class (ROC AUC is undefined then, as in scikit-learn), when a score is not finite, or the lengths differ;
 * `INSUFFICIENT_DATA` when the arrays are empty.
 * @example
 * ```ts
 * rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75
 * rocAuc([true, false, true], [0.5, 0.5, 0.9]); // 0.75 (the tie counts one half)
 * ```
 */
export function rocAuc(yTrue: ArrayLike<number | boolean>, scores: ArrayLike<number>): number {
  const { values, classes } = toBinaryTargets(yTrue, 'yTrue');
  const s = toFiniteArray(scores, 'scores');
  assertSameLength(values, s, 'yTrue', 'scores');
  if (classes.length < 2) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `yTrue holds only one class (${classes[0]}); ROC AUC is not defined unless both classes are present`,
    );
  }
  const positiveClass = classes[1] as number;
  const n = values.length;
  let nPositive = 0;
  for (let i = 0; i < n; i++) if (values[i] === positiveClass) nPositive++;
  const positives = new Float64Array(nPositive);
  const negatives = new Float64Array(n - nPositive);
  let ip = 0;
  let ineg = 0;
  for (let i = 0; i < n; i++) {
    if (values[i] === positiveClass) positives[ip++] = s[i] as number;
    else negatives[ineg++] = s[i] as number;
  }
  radixSort(positives);
  radixSort(negatives);
  const nNegative = negatives.length;
  // twiceU = Σ over positives of 2·(negatives below) + (negatives tied): an integer, exact below 2^53.
  let twiceU = 0;
  let below = 0;
  let i = 0;
  while (i < nPositive) {
    const v = positives[i] as number;
    while (below < nNegative && (negatives[below] as number) < v) below++;
    let tiedEnd = below;
    while (tiedEnd < nNegative && negatives[tiedEnd] === v) tiedEnd++;
    let groupEnd = i + 1;
    while (groupEnd < nPositive && positives[groupEnd] === v) groupEnd++;
    twiceU += (groupEnd - i) * (2 * below + (tiedEnd - below));
    below = tiedEnd;
    i = groupEnd;
  }
  return twiceU / (2 * nPositive * nNegative);
}
