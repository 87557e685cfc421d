import { Random } from '../../core/random.js';
import { type BinnedData, type GrowParams, TreeGrower } from './grow.js';
import { leafOfBinned, type Tree } from './tree.js';

/** Everything a forest's trees grow from; structured-cloneable, so worker threads receive it as it is. */
export interface ForestJob {
  /** The binned training matrix. */
  data: BinnedData;
  /** Class index per row (classification) or the target (regression). */
  target: Float64Array;
  /** Number of classes; 1 for regression. */
  outputs: number;
  /** Growth settings of every tree. */
  grow: GrowParams;
  /** Draw a bootstrap sample (with replacement) per tree, else a subsample without replacement. */
  bootstrap: boolean;
  /** Rows drawn per tree. */
  samples: number;
  /** The forest's seed. */
  seed: number;
}

/**
 * The rows tree `index` is fitted on, as a weight per row (how many times it was drawn). The draws come from the
 * stream `Random(seed).fork(2 · index)` alone (its features per node from `fork(2 · index + 1)`), so any thread, in any order, draws the same sample for the tree.
 */
export function treeSample(job: ForestJob, index: number): Uint32Array {
  const rows = job.data.rows;
  const weights = new Uint32Array(rows);
  const rng = new Random(job.seed).fork(2 * index);
  if (job.bootstrap) {
    for (let i = 0; i < job.samples; i++) {
      const r = rng.int(0, rows - 1);
      weights[r] = (weights[r] as number) + 1;
    }
    return weights;
  }
  // Floyd's algorithm: `samples` distinct rows, uniformly.
  for (let j = rows - job.samples; j < rows; j++) {
    const t = rng.int(0, j);
    weights[weights[t] === 0 ? t : j] = 1;
  }
  return weights;
}

/** Grows trees of one forest, reusing its buffers from tree to tree. */
export class ForestTrainer {
  private readonly grower: TreeGrower;
  private readonly grad: Float64Array;
  private readonly hess: Float64Array;
  private readonly features: Int32Array;

  constructor(private readonly job: ForestJob) {
    this.grower = new TreeGrower(job.data, job.grow, job.outputs);
    this.grad = new Float64Array(job.data.rows * job.outputs);
    this.hess = new Float64Array(job.data.rows);
    this.features = Int32Array.from({ length: job.data.cols }, (_, f) => f);
  }

  /**
   * Tree `index`: CART on its sample with gradients −w·y and hessians w (w the row's draw count), so that leaves
   * hold weighted means (class frequencies, one output per class, for classification).
   */
  grow(index: number): Tree {
    const { job, grad, hess } = this;
    const weights = treeSample(job, index);
    let used = 0;
    for (let r = 0; r < weights.length; r++) if ((weights[r] as number) > 0) used++;
    const rows = new Uint32Array(used);
    let next = 0;
    const k = job.outputs;
    for (let r = 0; r < weights.length; r++) {
      const w = weights[r] as number;
      if (w === 0) continue;
      rows[next++] = r;
      hess[r] = w;
      const t = job.target[r] as number;
      if (k === 1) grad[r] = -w * t;
      else for (let c = 0; c < k; c++) grad[r * k + c] = c === t ? -w : 0;
    }
    return this.grower.grow(rows, grad, hess, this.features, new Random(job.seed).fork(2 * index + 1)).tree;
  }
}

/**
 * Out-of-bag predictions: for each row, the sum of the predictions of the trees that did not draw it (`outputs`
 * per row) and how many such trees there were. Trees are visited in order, so the sums do not depend on threads.
 */
export function outOfBag(
  job: ForestJob,
  trees: readonly Tree[],
): { sums: Float64Array; counts: Uint32Array } {
  const { bins, rows, cols, counts: binCounts } = job.data;
  const k = job.outputs;
  const sums = new Float64Array(rows * k);
  const counts = new Uint32Array(rows);
  trees.forEach((tree, index) => {
    const weights = treeSample(job, index);
    for (let r = 0; r < rows; r++) {
      if (weights[r] !== 0) continue;
      const leaf = leafOfBinned(tree, bins, r, cols, binCounts);
      for (let c = 0; c < k; c++)
        sums[r * k + c] = (sums[r * k + c] as number) + (tree.value[leaf * k + c] as number);
      counts[r] = (counts[r] as number) + 1;
    }
  });
  return { sums, counts };
}

/** Worker-thread entry (`trees.forest`): grows the trees whose indices are given and returns them in that order. */
export function growForestTrees(input: { job: ForestJob; indices: number[] }): Tree[] {
  const trainer = new ForestTrainer(input.job);
  return input.indices.map((index) => trainer.grow(index));
}
