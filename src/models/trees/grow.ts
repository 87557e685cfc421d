import type { Random } from '../../core/random.js';
import { accumulate } from './histogram.js';
import { type Split, SplitFinder, soft } from './split-search.js';
import type { Tree } from './tree.js';

/** The binned training matrix every tree of a model grows on. */
export interface BinnedData {
  /** Row-major bins: feature f of row i at `i * cols + f`. */
  bins: Uint8Array;
  /** Number of rows. */
  rows: number;
  /** Number of features. */
  cols: number;
  /** Real bins per feature; a feature's missing bin has this index. */
  counts: Uint16Array;
  /** Upper bin edges per feature (see `Bins`), for the raw-value thresholds of splits. */
  edges: Float64Array[];
}

/** How a tree grows; every field is set (the models fill in their defaults). */
export interface GrowParams {
  /** Deepest level a node may reach (the root is at depth 0); `Infinity` for no limit. */
  maxDepth: number;
  /** Most leaves per tree; `Infinity` for no limit. */
  maxLeaves: number;
  /** Split the open leaf with the largest gain first (LightGBM) instead of level by level. */
  leafwise: boolean;
  /** Fewest rows in each child of a split. */
  minSamplesLeaf: number;
  /** Fewest rows in a node for it to be split. */
  minSamplesSplit: number;
  /** Smallest sum of hessians (sample weights) in each child of a split. */
  minChildWeight: number;
  /** L2 penalty on leaf values (XGBoost's `lambda`). */
  lambda: number;
  /** L1 penalty on leaf values (XGBoost's `alpha`). */
  alpha: number;
  /** Smallest loss reduction for a split to be made (XGBoost's `gamma`, LightGBM's `min_gain_to_split`). */
  minSplitGain: number;
  /** Features (that are not constant in the node) to try per node, drawn at random when fewer than the tree has. */
  featuresPerNode: number;
  /** Per feature: +1 for a non-decreasing, −1 for a non-increasing relation, 0 for none; null for no constraints. */
  monotone: Int8Array | null;
}

/**
 * Threads that build part of each histogram while the grower builds the rest. Histograms they fill must live in
 * memory they share, which `allocate` hands out (null when it has none left: that histogram is built here alone).
 */
export interface HistogramHelper {
  /** A zeroed histogram of `size` entries in shared memory, or null when there is no room left. */
  allocate(size: number): Float64Array | null;
  /**
   * Starts the helpers on `rows[start..end)` into `hist` for their share of `features` and returns how many of the
   * leading features this thread keeps (all of them when `hist` or the arrays are not shared).
   */
  begin(
    rows: Uint32Array,
    start: number,
    end: number,
    hist: Float64Array,
    features: Int32Array,
    grad: Float64Array,
    hess: Float64Array,
  ): number;
  /** Blocks until the helpers started by the last `begin` are done. */
  wait(): void;
}

/** Rows a leaf holds after growth: `rows[start..end)` of the array passed to {@link TreeGrower.grow}. */
export interface LeafRows {
  /** The leaf's node index. */
  node: number;
  /** First position in the rows array. */
  start: number;
  /** One past the last position. */
  end: number;
  /** The smallest value the leaf may hold under monotone constraints (−Infinity without). */
  lower: number;
  /** The largest value the leaf may hold under monotone constraints (Infinity without). */
  upper: number;
}

interface Open {
  node: number;
  start: number;
  end: number;
  depth: number;
  sums: Float64Array;
  hist: Float64Array | null;
  split: Split | null;
  lower: number;
  upper: number;
}

/**
 * Grows histogram trees on one binned matrix, reusing its buffers from tree to tree. Gradients and hessians come per
 * row; a split maximises Σₖ T(Gₖ,L)²/(H_L+λ) + Σₖ T(Gₖ,R)²/(H_R+λ) − Σₖ T(Gₖ)²/(H+λ), with T the L1 soft threshold
 * (Chen and Guestrin, "XGBoost", KDD 2016), and a leaf's value is −T(Gₖ)/(H+λ). With gradients −w·y, hessians w and
 * no penalty this is the variance (for one-hot outputs, the Gini) reduction of CART, and the leaf value the weighted
 * mean, which is how the forest uses it.
 *
 * Large nodes build a histogram of every feature (the larger child of a split takes its parent's histogram minus
 * its sibling's, LightGBM's subtraction trick); nodes with fewer rows than bins accumulate only the bins their rows
 * touch, so fully grown trees cost O(rows · depth) rather than O(bins) per node.
 */
export class TreeGrower {
  private readonly stride: number;
  private readonly width: number;
  private readonly histSize: number;
  private readonly pool: Float64Array[] = [];
  private readonly finder: SplitFinder;
  private features: Int32Array = new Int32Array(0);
  private grad: Float64Array = new Float64Array(0);
  private hess: Float64Array = new Float64Array(0);
  private spillBuffer = new Uint32Array(0);
  // The tree being grown, as growable arrays.
  private feature: number[] = [];
  private threshold: number[] = [];
  private bin: number[] = [];
  private missingLeft: number[] = [];
  private left: number[] = [];
  private right: number[] = [];
  private gain: number[] = [];
  private cover: number[] = [];
  private value: number[] = [];

  constructor(
    private readonly data: BinnedData,
    private readonly params: GrowParams,
    private readonly outputs: number,
    private readonly helper: HistogramHelper | null = null,
    private readonly unitHessian = false,
  ) {
    let most = 0;
    for (const count of data.counts) most = Math.max(most, count);
    this.stride = most + 1;
    // Sums per bin: gradients, hessian, row count; with unit hessians the count is the hessian sum.
    this.width = unitHessian ? outputs + 1 : outputs + 2;
    this.histSize = data.cols * this.stride * this.width;
    this.finder = new SplitFinder(data, params, outputs, unitHessian, this.stride, this.width);
  }

  /**
   * Grows one tree on `rows` (row indices, reordered in place so that each leaf's rows are contiguous) with
   * per-row gradients `grad` (`outputs` per row, at `row * outputs + k`) and hessians `hess`, splitting on
   * `features` only. `rng` draws the features tried per node when that is fewer than all.
   */
  grow(
    rows: Uint32Array,
    grad: Float64Array,
    hess: Float64Array,
    features: Int32Array,
    rng: Random,
  ): { tree: Tree; leaves: LeafRows[] } {
    this.features = features;
    this.grad = grad;
    this.hess = hess;
    this.finder.reset(grad, hess, features, rng);
    this.resetTree();
    const { params } = this;
    const leaves: LeafRows[] = [];
    const rootSums = this.sumRows(rows, 0, rows.length);
    const root = this.openNode(rows, 0, rows.length, 0, rootSums, null, -Infinity, Infinity);
    const open: Open[] = [];
    let leafCount = 1;
    if (root.split === null) this.closeLeaf(root, leaves);
    else open.push(root);
    let next = 0;
    while (next < open.length) {
      const current = params.leafwise ? takeBest(open, next) : (open[next] as Open);
      next++;
      const split = current.split as Split;
      if (leafCount >= params.maxLeaves) {
        this.closeLeaf(current, leaves);
        continue;
      }
      leafCount++;
      for (const child of this.splitNode(rows, current, split)) {
        if (child.split === null) this.closeLeaf(child, leaves);
        else open.push(child);
      }
    }
    return { tree: this.finishTree(), leaves };
  }

  private resetTree(): void {
    this.feature = [];
    this.threshold = [];
    this.bin = [];
    this.missingLeft = [];
    this.left = [];
    this.right = [];
    this.gain = [];
    this.cover = [];
    this.value = [];
  }

  private newNode(sums: Float64Array): number {
    const id = this.feature.length;
    this.feature.push(-1);
    this.threshold.push(0);
    this.bin.push(0);
    this.missingLeft.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.gain.push(0);
    this.cover.push(sums[this.outputs] as number);
    for (let k = 0; k < this.outputs; k++) this.value.push(0);
    return id;
  }

  private finishTree(): Tree {
    return {
      outputs: this.outputs,
      feature: Int32Array.from(this.feature),
      threshold: Float64Array.from(this.threshold),
      bin: Uint8Array.from(this.bin),
      missingLeft: Uint8Array.from(this.missingLeft),
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      gain: Float64Array.from(this.gain),
      cover: Float64Array.from(this.cover),
      value: Float64Array.from(this.value),
    };
  }

  private sumRows(rows: Uint32Array, start: number, end: number): Float64Array {
    const { outputs, grad, hess } = this;
    const sums = new Float64Array(this.width);
    for (let i = start; i < end; i++) {
      const r = rows[i] as number;
      for (let k = 0; k < outputs; k++) sums[k] = (sums[k] as number) + (grad[r * outputs + k] as number);
      sums[outputs] = (sums[outputs] as number) + (hess[r] as number);
    }
    sums[this.width - 1] = end - start;
    return sums;
  }

  /** A node made ready to split: its histogram (if it is large and has none yet) and its best split. */
  private openNode(
    rows: Uint32Array,
    start: number,
    end: number,
    depth: number,
    sums: Float64Array,
    hist: Float64Array | null,
    lower: number,
    upper: number,
  ): Open {
    const node = this.newNode(sums);
    const count = end - start;
    const open: Open = { node, start, end, depth, sums, hist, split: null, lower, upper };
    if (!this.splittable(depth, count)) return open;
    if (open.hist === null && this.isLarge(count)) open.hist = this.buildHistogram(rows, start, end);
    open.split = this.finder.find(rows, open);
    return open;
  }

  /** Whether a node at `depth` with `count` rows may be split at all. */
  private splittable(depth: number, count: number): boolean {
    const p = this.params;
    return depth < p.maxDepth && count >= p.minSamplesSplit && count >= 2 * p.minSamplesLeaf;
  }

  private isLarge(count: number): boolean {
    return count >= this.stride;
  }

  private closeLeaf(open: Open, leaves: LeafRows[]): void {
    if (open.hist !== null) this.pool.push(open.hist);
    open.hist = null;
    const { outputs } = this;
    const h = (open.sums[outputs] as number) + this.params.lambda;
    for (let k = 0; k < outputs; k++) {
      const v = -soft(open.sums[k] as number, this.params.alpha) / h;
      this.value[open.node * outputs + k] = Math.min(open.upper, Math.max(open.lower, v)) + 0; // + 0: no −0, which JSON would not keep
    }
    leaves.push({ node: open.node, start: open.start, end: open.end, lower: open.lower, upper: open.upper });
  }

  private takeHist(): Float64Array {
    const hist = this.pool.pop() ?? this.helper?.allocate(this.histSize) ?? new Float64Array(this.histSize);
    hist.fill(0);
    return hist;
  }

  private buildHistogram(rows: Uint32Array, start: number, end: number): Float64Array {
    const hist = this.takeHist();
    const { features, helper } = this;
    const input = {
      ...this.data,
      grad: this.grad,
      hess: this.hess,
      outputs: this.outputs,
      stride: this.stride,
      unitHessian: this.unitHessian,
    };
    // With helper threads, they take the features after this thread's share, at the same time.
    const own = helper?.begin(rows, start, end, hist, features, this.grad, this.hess) ?? features.length;
    accumulate(input, rows, start, end, features, own, hist);
    helper?.wait();
    return hist;
  }

  /** `from` minus `minus`, in place in `from`, over the tree's features. */
  private subtract(from: Float64Array, minus: Float64Array): void {
    const block = this.stride * this.width;
    for (const f of this.features) {
      const o = f * block;
      for (let i = o; i < o + block; i++) from[i] = (from[i] as number) - (minus[i] as number);
    }
  }

  /** A scratch buffer of at least `size` row indices. */
  private spill(size: number): Uint32Array {
    if (this.spillBuffer.length < size) this.spillBuffer = new Uint32Array(size);
    return this.spillBuffer;
  }

  /** Splits `open` by `split`: partitions its rows, records the split and opens both children. */
  private splitNode(rows: Uint32Array, open: Open, split: Split): [Open, Open] {
    const { counts, edges, rows: rowCount } = this.data;
    const f = split.feature;
    const column = f * rowCount;
    const bins = this.finder.columns;
    const t = split.bin;
    const missingBin = counts[f] as number;
    const missingLeft = split.missingLeft ? 1 : 0;
    // A stable, branch-free partition: rows stay in ascending order within every node, so that later passes read
    // the bins and gradients front to back.
    const spill = this.spill(open.end - open.start);
    let mid = open.start;
    let spilled = 0;
    for (let i = open.start; i < open.end; i++) {
      const r = rows[i] as number;
      const b = bins[column + r] as number;
      const goLeft = (((t - b) >>> 31) ^ 1) | (missingLeft & (((b ^ missingBin) - 1) >>> 31));
      rows[mid] = r;
      spill[spilled] = r;
      mid += goLeft;
      spilled += goLeft ^ 1;
    }
    rows.set(spill.subarray(0, spilled), mid);
    const node = open.node;
    const featureEdges = edges[f] as Float64Array;
    this.feature[node] = f;
    this.threshold[node] = t < featureEdges.length ? (featureEdges[t] as number) : Number.MAX_VALUE;
    this.bin[node] = t;
    this.missingLeft[node] = missingLeft;
    this.gain[node] = split.gain;

    const leftSums = split.left;
    const rightSums = new Float64Array(this.width);
    for (let k = 0; k < this.width; k++) rightSums[k] = (open.sums[k] as number) - (leftSums[k] as number);
    rightSums[this.width - 1] = open.end - mid;

    // Histograms: the smaller child is built, the larger one is the parent's minus the smaller's — when the larger
    // child may be split at all (if it may not, neither may the smaller: the last level builds none).
    let leftHist: Float64Array | null = null;
    let rightHist: Float64Array | null = null;
    const parentHist = open.hist;
    open.hist = null;
    if (parentHist !== null) {
      const leftSmaller = mid - open.start <= open.end - mid;
      const largeCount = leftSmaller ? open.end - mid : mid - open.start;
      if (this.isLarge(largeCount) && this.splittable(open.depth + 1, largeCount)) {
        const small = leftSmaller
          ? this.buildHistogram(rows, open.start, mid)
          : this.buildHistogram(rows, mid, open.end);
        this.subtract(parentHist, small);
        const smallCount = open.end - open.start - largeCount;
        const smallKept =
          this.isLarge(smallCount) && this.splittable(open.depth + 1, smallCount) ? small : null;
        if (smallKept === null) this.pool.push(small);
        leftHist = leftSmaller ? smallKept : parentHist;
        rightHist = leftSmaller ? parentHist : smallKept;
      } else this.pool.push(parentHist);
    }

    let leftLower = open.lower;
    let leftUpper = open.upper;
    let rightLower = open.lower;
    let rightUpper = open.upper;
    const constraint = this.params.monotone?.[f] ?? 0;
    if (constraint !== 0) {
      const middle = (this.finder.leafValue(leftSums, open) + this.finder.leafValue(rightSums, open)) / 2;
      if (constraint > 0) {
        leftUpper = middle;
        rightLower = middle;
      } else {
        leftLower = middle;
        rightUpper = middle;
      }
    }
    const depth = open.depth + 1;
    const leftChild = this.openNode(rows, open.start, mid, depth, leftSums, leftHist, leftLower, leftUpper);
    const rightChild = this.openNode(
      rows,
      mid,
      open.end,
      depth,
      rightSums,
      rightHist,
      rightLower,
      rightUpper,
    );
    this.left[node] = leftChild.node;
    this.right[node] = rightChild.node;
    return [leftChild, rightChild];
  }
}

/** Moves the open node with the largest gain among `open[from..]` to position `from` and returns it. */
function takeBest(open: Open[], from: number): Open {
  let best = from;
  for (let i = from + 1; i < open.length; i++) {
    if (((open[i] as Open).split as Split).gain > ((open[best] as Open).split as Split).gain) best = i;
  }
  const chosen = open[best] as Open;
  open[best] = open[from] as Open;
  open[from] = chosen;
  return chosen;
}
