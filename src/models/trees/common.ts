import { z } from 'zod';
import { formatNumber } from '../../core/checks.js';
import { MlcycleError } from '../../core/errors.js';
import { binTraining } from './binning.js';
import type { BinnedData } from './grow.js';
import { hasMissing, leavesOf, type Tree, type TreeJSON } from './tree.js';

/** Zod pieces shared by the tree models' parameter schemas. */
export const positiveInt = z.number().int().min(1);
/** A depth or leaf limit: a positive integer, or `Infinity` (stored as `null` in JSON) for none. */
export const limit = z
  .union([positiveInt, z.literal(Number.POSITIVE_INFINITY), z.null()])
  .transform((v) => v ?? Number.POSITIVE_INFINITY);
export const nonNegative = z
  .number()
  .refine((v) => Number.isFinite(v) && v >= 0, 'Expected a finite number >= 0');
export const fraction = z.number().refine((v) => v > 0 && v <= 1, 'Expected a number in (0, 1]');
export const maxBins = z.number().int().min(2).max(255);

/**
 * Distinct labels in ascending order and each row's class index: any finite numbers may be labels, as
 * scikit-learn's `classes_`. Throws when y holds fewer than two classes.
 */
export function encodeClasses(y: Float64Array, who: string): { classes: number[]; index: Float64Array } {
  const classes = [...new Set(y)].sort((a, b) => a - b);
  if (classes.length < 2) {
    throw new MlcycleError(
      'INSUFFICIENT_DATA',
      `${who} needs at least 2 classes in y, but every label is ${formatNumber(classes[0])}`,
    );
  }
  const position = new Map(classes.map((c, i) => [c, i]));
  return { classes, index: y.map((v) => position.get(v) as number) };
}

/** Bins fitted on the rows and the rows mapped to them. */
export function binRows(
  data: Float64Array,
  rows: number,
  cols: number,
  bins: number,
  seed: number,
): BinnedData {
  const { bins: fitted, binned } = binTraining(data, rows, cols, bins, seed);
  return {
    bins: binned,
    rows,
    cols,
    counts: fitted.counts,
    edges: fitted.edges,
  };
}

/**
 * Gain importance: the loss reduction of every split summed per feature, each tree's share normalised to sum to 1
 * when `perTree` (scikit-learn's forests), then normalised over the model. All zeros when no tree split.
 */
export function gainImportance(trees: readonly Tree[], cols: number, perTree: boolean): number[] {
  const total = new Float64Array(cols);
  const own = new Float64Array(cols);
  for (const tree of trees) {
    own.fill(0);
    tree.feature.forEach((f, node) => {
      if (f >= 0) own[f] = (own[f] as number) + (tree.gain[node] as number);
    });
    const sum = perTree ? own.reduce((a, b) => a + b, 0) : 1;
    if (sum > 0) for (let f = 0; f < cols; f++) total[f] = (total[f] as number) + (own[f] as number) / sum;
  }
  const sum = total.reduce((a, b) => a + b, 0);
  return Array.from(total, (v) => (sum > 0 ? v / sum : 0));
}

/** The mean over trees of each row's leaf values (`outputs` per row). */
export function averageTrees(
  trees: readonly Tree[],
  data: Float64Array,
  rows: number,
  cols: number,
  outputs: number,
): Float64Array {
  const out = new Float64Array(rows * outputs);
  const leaves = new Int32Array(rows);
  const missing = hasMissing(data);
  for (const tree of trees) {
    leavesOf(tree, data, rows, cols, leaves, missing);
    for (let i = 0; i < rows; i++) {
      const leaf = (leaves[i] as number) * outputs;
      for (let k = 0; k < outputs; k++) {
        out[i * outputs + k] = (out[i * outputs + k] as number) + (tree.value[leaf + k] as number);
      }
    }
  }
  const scale = 1 / trees.length;
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) * scale;
  return out;
}

/**
 * The schema of a stored tree, checked when a model is restored: equally long arrays, and siblings side by side
 * after their parent, so that every walk from the root ends at a leaf.
 */
export const treeJSON: z.ZodType<TreeJSON> = z
  .strictObject({
    outputs: positiveInt,
    feature: z.array(z.number().int().min(-1)),
    threshold: z.array(z.number()),
    bin: z.array(z.number().int().min(0).max(255)),
    missingLeft: z.array(z.number().int().min(0).max(1)),
    left: z.array(z.number().int().min(-1)),
    right: z.array(z.number().int().min(-1)),
    gain: z.array(z.number()),
    cover: z.array(z.number()),
    value: z.array(z.number()),
  })
  .superRefine((tree, context) => {
    const n = tree.feature.length;
    const lengths = [
      tree.threshold,
      tree.bin,
      tree.missingLeft,
      tree.left,
      tree.right,
      tree.gain,
      tree.cover,
    ];
    if (n === 0 || lengths.some((a) => a.length !== n) || tree.value.length !== n * tree.outputs) {
      context.addIssue({
        code: 'custom',
        message: 'Expected non-empty node arrays of one length (value: outputs per node)',
      });
      return;
    }
    for (let node = 0; node < n; node++) {
      if ((tree.feature[node] as number) < 0) continue;
      const left = tree.left[node] as number;
      if (left <= node || left + 1 >= n || tree.right[node] !== left + 1) {
        context.addIssue({
          code: 'custom',
          message: `Node ${node} needs children left, left + 1 within ${node + 1}..${n - 1}`,
        });
        return;
      }
    }
  });

/**
 * Checks restored trees against the model around them: each splits only on the model's `features` and holds
 * `outputs` values per node, so that a damaged or hand-edited state fails on restore rather than predicting wrong
 * numbers.
 */
export function checkStoredTrees(
  trees: readonly TreeJSON[],
  features: number,
  outputs: number,
  who: string,
): void {
  trees.forEach((tree, t) => {
    if (tree.outputs !== outputs) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `${who} state: trees[${t}] has ${tree.outputs} outputs per leaf, expected ${outputs}`,
      );
    }
    const f = tree.feature.find((v) => v >= features);
    if (f !== undefined) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `${who} state: trees[${t}] splits on feature ${f}, but the model has ${features} features`,
      );
    }
  });
}
