import { z } from 'zod';
import { formatNumber } from '../../core/checks.js';
import { MlcycleError } from '../../core/errors.js';
import { median } from '../../core/numeric.js';
import { parseOptions } from '../../core/options.js';
import { Random } from '../../core/random.js';
import { checkRows, checkTarget, type FeatureRows } from '../model.js';
import { applyBins } from './binning.js';
import type { GradientBoostingSettings } from './boosting.js';
import { binRows, encodeClasses, gainImportance } from './common.js';
import { type BinnedData, type GrowParams, TreeGrower } from './grow.js';
import type { HistogramTeam } from './histogram-team.js';
import { lossOf } from './objectives.js';
import { leafOfBinned, type Tree } from './tree.js';

/** The training and validation sets, binned, with targets in the loss's terms (class indices for classifiers). */
export interface BoostingData {
  data: BinnedData;
  target: Float64Array;
  classes: number[] | null;
  validation: { data: BinnedData; target: Float64Array } | null;
}

/** What boosting produced. */
export interface Boosted {
  trees: Tree[];
  base: number[];
  rounds: number;
  bestIteration: number | null;
  validationLoss: number[] | null;
  importances: number[];
}

const fitOptionsSchema = z.strictObject({
  validation: z
    .strictObject({
      X: z.custom<FeatureRows>((v) => Array.isArray(v), 'Expected an array of rows'),
      y: z.any(),
    })
    .optional(),
});

/**
 * Checks the inputs, holds out the validation rows (those passed, else the last `validationFraction` of the rows
 * when early stopping is on), encodes class labels and bins the features on the training rows.
 */
export function prepareBoosting(
  X: FeatureRows,
  y: ArrayLike<number>,
  options: unknown,
  p: GradientBoostingSettings,
  who: string,
): BoostingData {
  const { validation } = parseOptions(fitOptionsSchema, options, `${who} fit options`);
  const all = checkRows(X, who, undefined, true);
  const allTarget = checkTarget(y, all.rows, who);
  if (p.monotone !== undefined && p.monotone.length !== all.cols) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `${who}: monotone has ${p.monotone.length} entries but X has ${all.cols} features`,
    );
  }
  if (p.baseScore !== undefined && p.objective === 'softmax') {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `${who}: baseScore does not apply to the softmax objective, which starts from the log class frequencies`,
    );
  }
  if (p.monotone !== undefined && p.objective === 'softmax') {
    throw new MlcycleError(
      'UNSUPPORTED',
      `${who}: monotone constraints are not supported with the softmax objective`,
    );
  }
  let train = all;
  let target = allTarget;
  let held: { data: Float64Array; rows: number; target: Float64Array } | null = null;
  if (validation !== undefined) {
    const rows = checkRows(validation.X, `${who} validation`, all.cols, true);
    held = {
      data: rows.data,
      rows: rows.rows,
      target: checkTarget(validation.y, rows.rows, `${who} validation`),
    };
  } else if (p.earlyStoppingRounds !== undefined) {
    const count = Math.ceil(p.validationFraction * all.rows);
    const kept = all.rows - count;
    if (kept < 2) {
      throw new MlcycleError(
        'INSUFFICIENT_DATA',
        `${who}: holding out ${count} of ${all.rows} rows for early stopping leaves ${kept} to fit; pass more rows or a smaller validationFraction`,
      );
    }
    train = { rows: kept, cols: all.cols, data: all.data.subarray(0, kept * all.cols) };
    target = allTarget.subarray(0, kept);
    held = { data: all.data.subarray(kept * all.cols), rows: count, target: allTarget.subarray(kept) };
  }
  let classes: number[] | null = null;
  if (p.objective === 'logistic' || p.objective === 'softmax') {
    const encoded = encodeClasses(target, who);
    if (p.objective === 'logistic' && encoded.classes.length !== 2) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `${who}: the logistic objective needs exactly 2 classes, y has ${encoded.classes.length}; use objective 'softmax'`,
      );
    }
    classes = encoded.classes;
    target = encoded.index;
    if (held !== null) held.target = encodeHeld(held.target, classes, who);
  }
  const data = binRows(train.data, train.rows, train.cols, p.maxBins, p.seed);
  const validationSet =
    held === null
      ? null
      : {
          data: { ...data, bins: applyBins(data, held.data, held.rows, train.cols), rows: held.rows },
          target: held.target,
        };
  return { data, target, classes, validation: validationSet };
}

function encodeHeld(labels: Float64Array, classes: number[], who: string): Float64Array {
  const position = new Map(classes.map((c, i) => [c, i]));
  return labels.map((label, i) => {
    const index = position.get(label);
    if (index === undefined) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `${who}: validation label ${formatNumber(label)} (row ${i}) is not among the training classes ${classes.join(', ')}`,
      );
    }
    return index;
  });
}

/** `count` distinct indices below `n`, ascending (Floyd's algorithm). */
function sampleIndices(n: number, count: number, rng: Random): Uint32Array {
  const taken = new Uint8Array(n);
  for (let j = n - count; j < n; j++) {
    const t = rng.int(0, j);
    taken[taken[t] === 0 ? t : j] = 1;
  }
  const out = new Uint32Array(count);
  let next = 0;
  for (let i = 0; i < n; i++) if (taken[i] === 1) out[next++] = i;
  return out;
}

/**
 * The boosting loop. Round r draws its rows and features from `Random(seed).fork(2r)`, and tree t (round r, class
 * k, t = r·K + k) its per-node features from `fork(2t + 1)`.
 */
export function boost(
  set: BoostingData,
  p: GradientBoostingSettings,
  who: string,
  team: HistogramTeam | null,
): Boosted {
  const { data, target, validation } = set;
  const n = data.rows;
  const cols = data.cols;
  const loss = lossOf(p.objective, set.classes?.length ?? 1, p.huberDelta);
  const k = loss.outputs;
  const given = p.baseScore;
  if (given !== undefined && p.objective === 'logistic' && !(given > 0 && given < 1)) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `${who}: baseScore for the logistic objective is a probability in (0, 1), received ${formatNumber(given)}`,
    );
  }
  const base = loss.start(target, given);
  const margin = new Float64Array(n * k);
  for (let i = 0; i < n * k; i++) margin[i] = base[i % k] as number;
  const held = validation === null ? null : new Float64Array(validation.data.rows * k);
  if (held !== null) for (let i = 0; i < held.length; i++) held[i] = base[i % k] as number;

  const treeFeatures = Math.max(1, Math.round(p.colsampleByTree * cols));
  const grow: GrowParams = {
    maxDepth: p.maxDepth,
    maxLeaves: p.maxLeaves,
    leafwise: Number.isFinite(p.maxLeaves),
    minSamplesLeaf: p.minSamplesLeaf,
    minSamplesSplit: 2 * p.minSamplesLeaf,
    minChildWeight: p.minChildWeight,
    lambda: p.lambda,
    alpha: p.alpha,
    minSplitGain: p.gamma,
    featuresPerNode: Math.max(1, Math.round(p.colsampleByNode * treeFeatures)),
    monotone: p.monotone === undefined ? null : Int8Array.from(p.monotone),
  };
  const unitHessian = p.objective === 'squared' || p.objective === 'absolute';
  const grower = new TreeGrower(data, grow, 1, team, unitHessian);
  // With helper threads, gradients, hessians and the row order live in the memory they share.
  const grads = Array.from(
    { length: k },
    (_, c) => team?.grad.subarray(c * n, (c + 1) * n) ?? new Float64Array(n),
  );
  const hesses = Array.from(
    { length: k },
    (_, c) => team?.hess.subarray(c * n, (c + 1) * n) ?? new Float64Array(n),
  );
  const all = Uint32Array.from({ length: n }, (_, i) => i);
  const allFeatures = Int32Array.from({ length: cols }, (_, f) => f);
  const sampled = Math.max(1, Math.round(p.subsample * n));
  const rows = team?.order.subarray(0, sampled) ?? new Uint32Array(sampled);
  const trees: Tree[] = [];
  const history: number[] = [];
  let bestRound = 0;
  let rounds = 0;
  const root = new Random(p.seed);
  for (let round = 0; round < p.rounds; round++) {
    const rng = root.fork(2 * round);
    const chosen = sampled < n ? sampleIndices(n, sampled, rng) : all;
    const features =
      treeFeatures < cols ? Int32Array.from(sampleIndices(cols, treeFeatures, rng)) : allFeatures;
    for (let c = 0; c < k; c++)
      loss.gradients(target, margin, c, chosen, grads[c] as Float64Array, hesses[c] as Float64Array);
    for (let c = 0; c < k; c++) {
      rows.set(chosen);
      const { tree, leaves } = grower.grow(
        rows,
        grads[c] as Float64Array,
        hesses[c] as Float64Array,
        features,
        root.fork(2 * (round * k + c) + 1),
      );
      for (const leaf of leaves) {
        // The absolute loss's leaves take the median residual, within the leaf's monotone bounds.
        const v =
          p.objective === 'absolute'
            ? Math.min(
                leaf.upper,
                Math.max(leaf.lower, medianResidual(target, margin, rows, leaf.start, leaf.end)),
              )
            : (tree.value[leaf.node] as number);
        tree.value[leaf.node] = p.learningRate * v + 0;
      }
      if (chosen === all) {
        for (const leaf of leaves) {
          const v = tree.value[leaf.node] as number;
          for (let i = leaf.start; i < leaf.end; i++) {
            const at = (rows[i] as number) * k + c;
            margin[at] = (margin[at] as number) + v;
          }
        }
      } else addBinned(tree, data, margin, k, c);
      if (held !== null && validation !== null) addBinned(tree, validation.data, held, k, c);
      trees.push(tree);
    }
    rounds = round + 1;
    if (held !== null && validation !== null) {
      const value = loss.loss(validation.target, held);
      history.push(value);
      if (value < (history[bestRound] as number)) bestRound = round;
      if (p.earlyStoppingRounds !== undefined && round - bestRound >= p.earlyStoppingRounds) break;
    }
  }
  const stopped = held !== null && p.earlyStoppingRounds !== undefined;
  const kept = stopped ? trees.slice(0, (bestRound + 1) * k) : trees;
  return {
    trees: kept,
    base: Array.from(base),
    rounds,
    bestIteration: stopped ? bestRound : null,
    validationLoss: held === null ? null : history,
    importances: gainImportance(kept, cols, false),
  };
}

/** The median of y − margin over a leaf's rows: the absolute loss's best leaf value (the margin is one per row). */
function medianResidual(
  y: Float64Array,
  margin: Float64Array,
  rows: Uint32Array,
  start: number,
  end: number,
): number {
  const residuals = new Float64Array(end - start);
  for (let i = start; i < end; i++) {
    const r = rows[i] as number;
    residuals[i - start] = (y[r] as number) - (margin[r] as number);
  }
  return median(residuals);
}

/** Adds the tree's value for each binned row to its margin of output `c`. */
function addBinned(tree: Tree, data: BinnedData, margin: Float64Array, k: number, c: number): void {
  for (let r = 0; r < data.rows; r++) {
    const at = r * k + c;
    margin[at] =
      (margin[at] as number) +
      (tree.value[leafOfBinned(tree, data.bins, r, data.cols, data.counts)] as number);
  }
}
