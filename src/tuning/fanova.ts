/**
 * The functional ANOVA decomposition of regression trees over a box (Hutter, Hoos & Leyton-Brown 2014, "An Efficient
 * Approach for Assessing Hyperparameter Importance", ICML), as Optuna 3.1's `_FanovaTree` and `_Fanova` compute it:
 * each tree is a piecewise-constant function on the box; its variance under the uniform distribution is split into
 * the variance of each parameter's main effect (the tree averaged over every other parameter).
 *
 * @module
 */
import { MlcycleError } from '../core/errors.js';

/**
 * A fitted regression tree as node arrays (node 0 the root, children after their parent): a row goes to `left[node]`
 * when its `feature[node]` value is ≤ `threshold[node]`, else to `right[node]`; a leaf has feature −1 (or any
 * negative number, as scikit-learn's −2) and predicts `value[node]`. The trees of `src/models/trees` and
 * scikit-learn's `tree_` arrays both fit.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export interface SplitTree {
  /** The split feature per node, negative for a leaf. */
  feature: ArrayLike<number>;
  /** The split threshold per internal node, in feature values. */
  threshold: ArrayLike<number>;
  /** The left child per internal node. */
  left: ArrayLike<number>;
  /** The right child per internal node. */
  right: ArrayLike<number>;
  /** The prediction per leaf. */
  value: ArrayLike<number>;
}

/** Lower and upper bound of each feature: the box the decomposition integrates over. */
export type Box = readonly (readonly [number, number])[];

/** The volume of a box stored as [low₀, high₀, low₁, high₁, …]. */
function volume(box: Float64Array): number {
  let v = 1;
  for (let f = 0; f < box.length; f += 2) v *= (box[f + 1] as number) - (box[f] as number);
  return v;
}

/** The weighted mean and variance (population) of `values`. */
function weightedMoments(
  values: readonly number[],
  weights: readonly number[],
): { mean: number; variance: number } {
  let total = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    total += weights[i] as number;
    sum += (weights[i] as number) * (values[i] as number);
  }
  const mean = sum / total;
  let squares = 0;
  for (let i = 0; i < values.length; i++)
    squares += (weights[i] as number) * ((values[i] as number) - mean) ** 2;
  return { mean, variance: squares / total };
}

/**
 * One tree's decomposition: the volume-weighted mean of every node's region, the cells its splits cut each feature
 * into, and which features each subtree splits on.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export class FanovaTree {
  /** The tree's variance over the box. */
  readonly variance: number;
  private readonly nodeMean: Float64Array;
  private readonly nodeVolume: Float64Array;
  /** Per feature, the midpoints and widths of the intervals between the box's ends and the tree's thresholds. */
  private readonly cells: { midpoints: number[]; widths: number[] }[];
  /** `splitsBelow[node * features + f]` is 1 when the subtree at node splits on feature f. */
  private readonly splitsBelow: Uint8Array;

  constructor(
    private readonly tree: SplitTree,
    private readonly box: Box,
  ) {
    const n = tree.feature.length;
    const features = box.length;
    this.nodeMean = new Float64Array(n);
    this.nodeVolume = new Float64Array(n);
    this.splitsBelow = new Uint8Array(n * features);
    const regions: (Float64Array | undefined)[] = new Array(n);
    regions[0] = Float64Array.from(box.flat());
    // Children come after their parents: regions top-down, then means bottom-up.
    for (let node = 0; node < n; node++) {
      const region = regions[node] as Float64Array;
      if (this.isLeaf(node)) {
        this.nodeMean[node] = tree.value[node] as number;
        this.nodeVolume[node] = volume(region);
        continue;
      }
      regions[tree.left[node] as number] = this.childRegion(node, region, true);
      regions[tree.right[node] as number] = this.childRegion(node, region, false);
    }
    const leafValues: number[] = [];
    const leafVolumes: number[] = [];
    for (let node = n - 1; node >= 0; node--) {
      if (this.isLeaf(node)) {
        leafValues.push(this.nodeMean[node] as number);
        leafVolumes.push(this.nodeVolume[node] as number);
        continue;
      }
      const l = tree.left[node] as number;
      const r = tree.right[node] as number;
      const vl = this.nodeVolume[l] as number;
      const vr = this.nodeVolume[r] as number;
      this.nodeVolume[node] = vl + vr;
      this.nodeMean[node] =
        ((this.nodeMean[l] as number) * vl + (this.nodeMean[r] as number) * vr) / (vl + vr);
      const f = tree.feature[node] as number;
      const row = node * features;
      this.splitsBelow[row + f] = 1;
      for (let k = 0; k < features; k++) {
        if (this.splitsBelow[l * features + k] === 1 || this.splitsBelow[r * features + k] === 1) {
          this.splitsBelow[row + k] = 1;
        }
      }
    }
    this.variance = weightedMoments(leafValues, leafVolumes).variance;
    this.cells = this.featureCells();
  }

  /**
   * The variance over the box of the tree's main effect of the given features taken together (a categorical
   * parameter's one-hot columns): the tree averaged over every other feature, as a function of these.
   */
  marginalVariance(features: readonly number[]): number {
    const point = new Float64Array(this.box.length);
    const values: number[] = [];
    const weights: number[] = [];
    // Every combination of one cell per feature: the main effect is constant on each.
    const pick = new Array<number>(features.length).fill(0);
    const slot = new Map(features.map((f, i) => [f, i]));
    const box = Float64Array.from(features.flatMap((f) => this.box[f] as [number, number]));
    for (;;) {
      let width = 1;
      features.forEach((f, i) => {
        const cell = this.cells[f] as { midpoints: number[]; widths: number[] };
        point[f] = cell.midpoints[pick[i] as number] as number;
        width *= cell.widths[pick[i] as number] as number;
      });
      const { mean, weight } = this.averageAt(point, features, slot, box);
      values.push(mean);
      weights.push(weight * width);
      let i = features.length - 1;
      while (i >= 0 && (pick[i] as number) + 1 === this.cells[features[i] as number]?.midpoints.length)
        pick[i--] = 0;
      if (i < 0) break;
      pick[i] = (pick[i] as number) + 1;
    }
    return weightedMoments(values, weights).variance;
  }

  /**
   * The tree averaged over every feature but `features`, at the values `point` gives those, with the weight Optuna's
   * `_get_marginalized_statistics` gives it: a node's volume over the volume of the box narrowed along the path to
   * it. Only the fixed features' bounds narrow (Optuna gives the others width 1), so a region holds just theirs:
   * `box` is their bounds (low, high per feature) and `slot` each one's place in it.
   */
  private averageAt(
    point: Float64Array,
    features: readonly number[],
    slot: ReadonlyMap<number, number>,
    box: Float64Array,
  ): { mean: number; weight: number } {
    const { tree } = this;
    const nodes = [0];
    const regions: Float64Array[] = [box];
    let sum = 0;
    let total = 0;
    while (nodes.length > 0) {
      const node = nodes.pop() as number;
      const region = regions.pop() as Float64Array;
      if (!this.isLeaf(node)) {
        const f = tree.feature[node] as number;
        const s = slot.get(f);
        if (s !== undefined) {
          const threshold = tree.threshold[node] as number;
          const goLeft = (point[f] as number) <= threshold;
          const child = region.slice();
          child[2 * s + (goLeft ? 1 : 0)] = threshold;
          nodes.push((goLeft ? tree.left[node] : tree.right[node]) as number);
          regions.push(child);
          continue;
        }
        if (this.splitsOnAny(node, features)) {
          nodes.push(tree.left[node] as number, tree.right[node] as number);
          regions.push(region, region);
          continue;
        }
      }
      // A leaf, or a subtree that does not depend on the fixed features: its mean over its region counts.
      const weight = (this.nodeVolume[node] as number) / volume(region);
      sum += weight * (this.nodeMean[node] as number);
      total += weight;
    }
    return { mean: sum / total, weight: total };
  }

  private splitsOnAny(node: number, features: readonly number[]): boolean {
    const row = node * this.box.length;
    return features.some((f) => this.splitsBelow[row + f] === 1);
  }

  private isLeaf(node: number): boolean {
    return (this.tree.feature[node] as number) < 0;
  }

  /** The region of a node's left (or right) child: the split's threshold becomes its upper (lower) bound. */
  private childRegion(node: number, region: Float64Array, left: boolean): Float64Array {
    const child = region.slice();
    child[2 * (this.tree.feature[node] as number) + (left ? 1 : 0)] = this.tree.threshold[node] as number;
    return child;
  }

  private featureCells(): { midpoints: number[]; widths: number[] }[] {
    const thresholds = this.box.map(() => new Set<number>());
    for (let node = 0; node < this.tree.feature.length; node++) {
      if (!this.isLeaf(node)) {
        thresholds[this.tree.feature[node] as number]?.add(this.tree.threshold[node] as number);
      }
    }
    return this.box.map(([low, high], f) => {
      const edges = [low, ...[...(thresholds[f] as Set<number>)].sort((a, b) => a - b), high];
      const midpoints: number[] = [];
      const widths: number[] = [];
      for (let i = 1; i < edges.length; i++) {
        midpoints.push(0.5 * ((edges[i] as number) + (edges[i - 1] as number)));
        widths.push((edges[i] as number) - (edges[i - 1] as number));
      }
      return { midpoints, widths };
    });
  }
}

/**
 * The fANOVA importance of each parameter over a forest, as Optuna 3.1's `_Fanova.get_importance`: per tree, the
 * variance of the parameter's main effect divided by the tree's variance, then the mean and the population standard
 * deviation of those fractions over the trees whose variance is positive. A parameter is a group of feature
 * columns (one for a number, one per choice for a one-hot categorical). Throws when no tree has any variance.
 *
 * @param trees - the forest's trees.
 * @param box - the bounds of every feature column.
 * @param groups - per parameter, its feature columns.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function fanovaImportances(
  trees: readonly SplitTree[],
  box: Box,
  groups: readonly (readonly number[])[],
): { mean: number[]; std: number[] } {
  const decomposed = trees.map((tree) => new FanovaTree(tree, box)).filter((t) => t.variance > 0);
  if (decomposed.length === 0) {
    throw new MlcycleError(
      'INSUFFICIENT_DATA',
      'fANOVA: no tree of the forest varies over the search space (every target value is the same?), so there is no variance to attribute',
    );
  }
  const mean: number[] = [];
  const std: number[] = [];
  for (const group of groups) {
    const fractions = decomposed.map((t) => Math.max(0, t.marginalVariance(group)) / t.variance);
    const m = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    mean.push(m);
    std.push(Math.sqrt(fractions.reduce((a, b) => a + (b - m) ** 2, 0) / fractions.length));
  }
  return { mean, std };
}
