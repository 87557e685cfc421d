/**
 * Class labels for the classification metrics: how labels of numbers, strings and booleans are checked, ordered as
 * scikit-learn orders them (`np.unique`), and encoded as class indices.
 *
 * @module
 */
import { assertMinLength, assertSameLength, formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { compareCodePoints } from '../core/sort.js';

/** A class label: an integer, a string or a boolean. */
export type Label = number | string | boolean;

/** An array of class labels. */
export type Labels = ArrayLike<Label>;

/** @internal */
export type Kind = 'number' | 'string' | 'boolean';

/**
 * Labels of both arrays encoded as class indices into `classes` (sorted as `np.unique`).
 *
 * @internal
 */
export interface EncodedLabels {
  kind: Kind;
  /** Sorted distinct labels in their internal form (booleans as 0 and 1). */
  classes: (number | string)[];
  trueCodes: Int32Array;
  predCodes: Int32Array;
}

/** @internal */
export function assertLabelArray(values: unknown, name: string): asserts values is Labels {
  const length = (values as { length?: unknown } | null)?.length;
  if (typeof values !== 'object' || values === null || typeof length !== 'number') {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `${name} must be an array of class labels (integers, strings or booleans), received ${typeof values}`,
    );
  }
}

/**
 * Records which kinds of label `values` holds, throwing on anything that is not a class label.
 *
 * @internal
 */
export function scanKinds(values: Labels, name: string, seen: Set<Kind>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'string') seen.add('string');
    else if (typeof v === 'boolean') seen.add('boolean');
    else if (typeof v === 'number' && Number.isInteger(v)) seen.add('number');
    else {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `${name} must contain class labels (integers, strings or booleans), but ${name}[${i}] is ${formatNumber(v)}`,
        { details: { name, index: i } },
      );
    }
  }
}

/** @internal */
export function internal(v: Label): number | string {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

/** @internal */
export function compareLabels(a: number | string, b: number | string): number {
  return typeof a === 'number' ? a - (b as number) : compareCodePoints(a, b as string);
}

/**
 * The label as the user sees it: booleans come back as booleans when every label was a boolean.
 *
 * @internal
 */
export function external(kind: Kind, v: number | string): Label {
  return kind === 'boolean' ? v === 1 : v;
}

/**
 * Validates `yTrue` and `yPred` (class labels, same length, at least one) and encodes them as indices into their
 * sorted union of classes.
 *
 * @internal
 */
export function encodeLabels(yTrue: Labels, yPred: Labels, extra: readonly Label[] = []): EncodedLabels {
  assertLabelArray(yTrue, 'yTrue');
  assertLabelArray(yPred, 'yPred');
  assertSameLength(yTrue, yPred, 'yTrue', 'yPred');
  assertMinLength(yTrue, 1, 'yTrue');
  const kinds = new Set<Kind>();
  scanKinds(yTrue, 'yTrue', kinds);
  scanKinds(yPred, 'yPred', kinds);
  scanKinds(extra, 'options.labels', kinds);
  if (kinds.has('string') && kinds.size > 1) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      'yTrue and yPred mix string labels with numeric or boolean labels; use one type of label',
    );
  }
  const kind: Kind = kinds.has('string') ? 'string' : kinds.has('number') ? 'number' : 'boolean';
  const index = new Map<number | string, number>();
  for (const values of [yTrue, yPred]) {
    for (let i = 0; i < values.length; i++) index.set(internal(values[i] as Label), 0);
  }
  const classes = [...index.keys()].sort(compareLabels);
  for (let c = 0; c < classes.length; c++) index.set(classes[c] as number | string, c);
  const n = yTrue.length;
  const trueCodes = new Int32Array(n);
  const predCodes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    trueCodes[i] = index.get(internal(yTrue[i] as Label)) as number;
    predCodes[i] = index.get(internal(yPred[i] as Label)) as number;
  }
  return { kind, classes, trueCodes, predCodes };
}

/**
 * Row-major k × k counts: rows are true classes, columns predicted classes.
 *
 * @internal
 */
export function countMatrix(encoded: EncodedLabels): Float64Array {
  const k = encoded.classes.length;
  const counts = new Float64Array(k * k);
  const { trueCodes, predCodes } = encoded;
  for (let i = 0; i < trueCodes.length; i++) {
    const cell = (trueCodes[i] as number) * k + (predCodes[i] as number);
    counts[cell] = (counts[cell] as number) + 1;
  }
  return counts;
}

/**
 * Binary targets as numbers (booleans as 0 and 1) with their sorted distinct classes (at most three are collected).
 * Shared by the ROC AUC and calibration metrics.
 *
 * @internal
 */
export function toBinaryTargets(
  yTrue: ArrayLike<number | boolean>,
  name: string,
): { values: Float64Array; classes: number[] } {
  assertLabelArray(yTrue, name);
  assertMinLength(yTrue, 1, name);
  const values = new Float64Array(yTrue.length);
  const classes: number[] = [];
  for (let i = 0; i < yTrue.length; i++) {
    const v = yTrue[i] as unknown;
    let x: number;
    if (typeof v === 'boolean') x = v ? 1 : 0;
    else if (typeof v === 'number' && Number.isInteger(v)) x = v;
    else {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `${name} must contain binary class labels (integers or booleans), but ${name}[${i}] is ${formatNumber(v)}`,
        { details: { name, index: i } },
      );
    }
    values[i] = x;
    if (classes.length < 3 && !classes.includes(x)) classes.push(x);
  }
  classes.sort((a, b) => a - b);
  if (classes.length > 2) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `${name} must hold at most two classes for a binary metric, but it holds ${classes.join(', ')}, …`,
    );
  }
  return { values, classes };
}
