import { describe, expect, it } from 'vitest';
import { Random } from '../../../src/core/random.js';
import { binRows } from '../../../src/models/trees/common.js';
import {
  type BinnedData,
  type GrowParams,
  type LeafRows,
  TreeGrower,
} from '../../../src/models/trees/grow.js';
import { hasMissing, leafOf, leafOfBinned, leavesOf, type Tree } from '../../../src/models/trees/tree.js';

/** Rows of `cols` features drawn from `draw`, row-major, with their binned form. */
function makeData(rows: number, cols: number, draw: (rng: Random, f: number) => number, seed = 1) {
  const rng = new Random(seed);
  const raw = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let f = 0; f < cols; f++) raw[i * cols + f] = draw(rng, f);
  return { raw, binned: binRows(raw, rows, cols, 255, 0) };
}

function params(cols: number, overrides: Partial<GrowParams> = {}): GrowParams {
  return {
    maxDepth: Number.POSITIVE_INFINITY,
    maxLeaves: Number.POSITIVE_INFINITY,
    leafwise: false,
    minSamplesLeaf: 1,
    minSamplesSplit: 2,
    minChildWeight: 0,
    lambda: 0,
    alpha: 0,
    minSplitGain: 0,
    featuresPerNode: cols,
    monotone: null,
    ...overrides,
  };
}

/**
 * Grows one tree on every row with gradients −h·y and hessians h (1 unless given): without penalties its leaves
 * hold the (weighted) mean target, as a forest's regression trees do.
 */
function growRegression(data: BinnedData, y: ArrayLike<number>, p: GrowParams, hess?: Float64Array) {
  const h = hess ?? new Float64Array(data.rows).fill(1);
  const grad = Float64Array.from({ length: data.rows }, (_, r) => -(h[r] as number) * (y[r] as number));
  return growWith(data, grad, h, p);
}

function growWith(data: BinnedData, grad: Float64Array, hess: Float64Array, p: GrowParams) {
  const rows = Uint32Array.from({ length: data.rows }, (_, r) => r);
  const features = Int32Array.from({ length: data.cols }, (_, f) => f);
  const grown = new TreeGrower(data, p, 1).grow(rows, grad, hess, features, new Random(3));
  return { ...grown, rows };
}

const isLeaf = (tree: Tree, node: number) => (tree.feature[node] as number) < 0;

/** Depth of the deepest leaf (the root is at depth 0). */
function depthOf(tree: Tree, node = 0): number {
  if (isLeaf(tree, node)) return 0;
  return 1 + Math.max(depthOf(tree, tree.left[node] as number), depthOf(tree, tree.right[node] as number));
}

function leafCount(tree: Tree): number {
  return Array.from(tree.feature).filter((f) => f < 0).length;
}

/** The rows each leaf holds, as a map from leaf node to row indices. */
function rowsByLeaf(leaves: LeafRows[], rows: Uint32Array): Map<number, number[]> {
  return new Map(leaves.map((l) => [l.node, Array.from(rows.subarray(l.start, l.end))]));
}

const uniform = (rng: Random) => rng.float();
/** The noiseless Friedman #1 target of row i (features 0–4 of a matrix with `cols` ≥ 5 columns). */
const friedman = (x: Float64Array, i: number, cols: number) => {
  const v = (f: number) => x[i * cols + f] as number;
  return 10 * Math.sin(Math.PI * v(0) * v(1)) + 20 * (v(2) - 0.5) ** 2 + 10 * v(3) + 5 * v(4);
};

describe('TreeGrower', () => {
  it('grown fully on rows with distinct features, reproduces every training target', () => {
    const { raw, binned } = makeData(200, 3, uniform);
    const rng = new Random(5);
    const y = Float64Array.from({ length: 200 }, () => rng.normal(0, 10));
    const { tree, leaves } = growRegression(binned, y, params(3));
    expect(leaves).toHaveLength(200);
    // Up to rounding: the children's gradient sums are the parent's minus the sibling's.
    for (let r = 0; r < 200; r++) expect(tree.value[leafOf(tree, raw, r, 3)]).toBeCloseTo(y[r] as number, 9);
  });

  it('does the same on 600 rows, where large nodes split from histograms and their subtraction', () => {
    const { raw, binned } = makeData(600, 3, uniform, 2);
    // 600 values per feature share 255 quantile bins; the rows stay distinct as triples of bins.
    const keys = new Set(
      Array.from({ length: 600 }, (_, r) => Array.from(binned.bins.subarray(r * 3, r * 3 + 3)).join()),
    );
    expect(keys.size).toBe(600);
    const rng = new Random(3);
    const target = Float64Array.from({ length: 600 }, () => rng.normal(0, 10));
    const { tree, leaves } = growRegression(binned, target, params(3));
    expect(leaves).toHaveLength(600);
    for (let r = 0; r < 600; r++)
      expect(tree.value[leafOf(tree, raw, r, 3)]).toBeCloseTo(target[r] as number, 9);
  });

  it('leaves partition the rows, and raw and binned routing send each row to its own leaf', () => {
    const { raw, binned } = makeData(500, 5, (rng, f) =>
      f === 1 && rng.float() < 0.2 ? Number.NaN : rng.float(),
    );
    const y = Float64Array.from({ length: 500 }, (_, r) => friedman(raw, r, 5));
    const { tree, leaves, rows } = growRegression(binned, y, params(5, { minSamplesLeaf: 3, maxDepth: 8 }));
    const seen = new Array<number>(500).fill(0);
    for (const [node, members] of rowsByLeaf(leaves, rows)) {
      expect(isLeaf(tree, node)).toBe(true);
      for (const r of members) {
        seen[r] = (seen[r] as number) + 1;
        expect(leafOf(tree, raw, r, 5)).toBe(node);
        expect(leafOfBinned(tree, binned.bins, r, 5, binned.counts)).toBe(node);
      }
    }
    expect(seen.every((count) => count === 1)).toBe(true);
    expect(leaves).toHaveLength(leafCount(tree));
    // Walking rows four at a time reaches the same leaves, NaN included, and so do the 1–3 rows left over.
    for (const count of [500, 499, 3]) {
      const walked = new Int32Array(count);
      leavesOf(tree, raw, count, 5, walked);
      for (let r = 0; r < count; r++) expect(walked[r]).toBe(leafOf(tree, raw, r, 5));
    }
    // Without missing values the walk may skip the NaN test: same leaves.
    const complete = raw.map((v) => (Number.isNaN(v) ? 0.5 : v));
    expect(hasMissing(raw)).toBe(true);
    expect(hasMissing(complete)).toBe(false);
    const walked = new Int32Array(499);
    leavesOf(tree, complete, 499, 5, walked, false);
    for (let r = 0; r < 499; r++) expect(walked[r]).toBe(leafOf(tree, complete, r, 5));
  });

  describe('limits', () => {
    const { raw, binned } = makeData(400, 5, uniform, 4);
    const y = Float64Array.from({ length: 400 }, (_, r) => friedman(raw, r, 5));

    it.each([1, 3, 6])('grows no deeper than maxDepth %i', (maxDepth) => {
      const { tree } = growRegression(binned, y, params(5, { maxDepth }));
      expect(depthOf(tree)).toBe(maxDepth);
    });

    it.each([
      [2, false],
      [7, false],
      [7, true],
      [31, true],
    ])('makes at most maxLeaves %i leaves (leafwise %s)', (maxLeaves, leafwise) => {
      const { tree } = growRegression(binned, y, params(5, { maxLeaves, leafwise }));
      expect(leafCount(tree)).toBe(maxLeaves);
    });

    it('splits leafwise the open leaf whose best split gains most', () => {
      const p = params(5, { maxLeaves: 8, leafwise: true });
      const { tree, leaves, rows } = growRegression(binned, y, p);
      // One more leaf adds one split; the trees agree on the first 7 and number their nodes alike.
      const { tree: bigger } = growRegression(binned, y, { ...p, maxLeaves: 9 });
      const added = Array.from(bigger.feature.subarray(0, tree.feature.length)).findIndex(
        (f, node) => f >= 0 && isLeaf(tree, node),
      );
      expect(added).toBeGreaterThanOrEqual(0);
      // Each leaf's best split is the split of a stump grown on that leaf's rows alone.
      const stumps = [...rowsByLeaf(leaves, rows)].map(([node, members]) => {
        const stump = new TreeGrower(binned, { ...p, maxDepth: 1 }, 1).grow(
          Uint32Array.from(members),
          Float64Array.from(y, (v) => -v),
          new Float64Array(400).fill(1),
          Int32Array.from([0, 1, 2, 3, 4]),
          new Random(3),
        ).tree;
        return { node, gain: isLeaf(stump, 0) ? 0 : (stump.gain[0] as number) };
      });
      const best = stumps.reduce((a, b) => (b.gain > a.gain ? b : a));
      expect(added).toBe(best.node);
      expect(bigger.gain[added]).toBeCloseTo(best.gain, 6);
    });

    it.each([1, 10, 37])('keeps at least minSamplesLeaf %i rows in every leaf', (minSamplesLeaf) => {
      const { tree, leaves } = growRegression(binned, y, params(5, { minSamplesLeaf }));
      const sizes = leaves.map((l) => l.end - l.start);
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(minSamplesLeaf);
      // The limit binds: unlimited, the tree grows down to single rows.
      const free = growRegression(binned, y, params(5)).leaves.map((l) => l.end - l.start);
      expect(Math.min(...free)).toBe(1);
      for (const l of leaves) expect(tree.cover[l.node]).toBe(l.end - l.start);
    });

    it('does not split a node with fewer than minSamplesSplit rows', () => {
      const { tree, leaves } = growRegression(binned, y, params(5, { minSamplesSplit: 40 }));
      const sizes = new Map(leaves.map((l) => [l.node, l.end - l.start]));
      tree.feature.forEach((f, node) => {
        if (f >= 0) expect(tree.cover[node]).toBeGreaterThanOrEqual(40);
      });
      // A node of 40 rows or more splits while any split gains, which continuous targets always allow.
      expect(Math.max(...sizes.values())).toBeLessThan(40);
    });
  });

  it('with lambda and alpha, gives each leaf −T(G)/(H+λ) of its own rows', () => {
    const { binned } = makeData(300, 3, uniform, 6);
    const rng = new Random(7);
    const grad = Float64Array.from({ length: 300 }, () => rng.normal(0, 1));
    const hess = Float64Array.from({ length: 300 }, () => 0.1 + rng.float());
    for (const [lambda, alpha] of [
      [2.5, 0],
      [1, 0.3],
    ] as const) {
      const { tree, leaves, rows } = growWith(binned, grad, hess, params(3, { lambda, alpha, maxDepth: 4 }));
      for (const [node, members] of rowsByLeaf(leaves, rows)) {
        const g = members.reduce((s, r) => s + (grad[r] as number), 0);
        const h = members.reduce((s, r) => s + (hess[r] as number), 0);
        const soft = Math.sign(g) * Math.max(Math.abs(g) - alpha, 0);
        expect(tree.value[node]).toBeCloseTo(-soft / (h + lambda), 12);
      }
    }
  });

  describe('missing values', () => {
    // Feature 0 decides the target (a step at 0.5); a fifth of its values are missing, and the missing rows share
    // the target of one side of the step.
    const rows = 200;
    const { raw, binned } = makeData(
      rows,
      2,
      (rng, f) => (f === 0 && rng.float() < 0.2 ? Number.NaN : rng.float()),
      8,
    );
    const x0 = (r: number) => raw[r * 2] as number;

    it.each([
      ['high', (x: number) => Number.isNaN(x) || x > 0.5, 0],
      ['low', (x: number) => Number.isNaN(x) || x <= 0.5, 1],
    ] as const)(
      'sends missing values the way they were learned (with the %s side)',
      (_, high, missingLeft) => {
        const y = Float64Array.from({ length: rows }, (_, r) => (high(x0(r)) ? 1 : 0));
        const { tree } = growRegression(binned, y, params(2, { maxDepth: 1 }));
        expect(tree.feature[0]).toBe(0);
        expect(Math.abs((tree.threshold[0] as number) - 0.5)).toBeLessThan(0.02);
        expect(tree.missingLeft[0]).toBe(missingLeft);
        // The stump is perfect: a new row with a missing value lands in the leaf holding 1.
        const probe = Float64Array.from([Number.NaN, 0.3]);
        expect(tree.value[leafOf(tree, probe, 0, 2)]).toBe(1);
        expect(tree.value[leafOf(tree, Float64Array.from([0.25, 0.3]), 0, 2)]).toBe(
          missingLeft === 1 ? 1 : 0,
        );
      },
    );

    it('sends unseen missing values to the child that saw more rows', () => {
      const { raw: full, binned: complete } = makeData(300, 3, uniform, 9);
      const y = Float64Array.from(
        { length: 300 },
        (_, r) => (full[r * 3] as number) * 3 + (full[r * 3 + 1] as number),
      );
      const { tree } = growRegression(complete, y, params(3, { maxDepth: 5 }));
      let internal = 0;
      tree.feature.forEach((f, node) => {
        if (f < 0) return;
        internal++;
        const leftCover = tree.cover[tree.left[node] as number] as number;
        const rightCover = tree.cover[tree.right[node] as number] as number;
        expect(tree.missingLeft[node]).toBe(leftCover >= rightCover ? 1 : 0);
      });
      expect(internal).toBeGreaterThan(10);
    });
  });

  describe('monotone constraints', () => {
    // Rising overall in feature 0 but with wiggles, plus noise: an unconstrained tree follows the wiggles.
    const rows = 800;
    const { raw, binned } = makeData(rows, 2, uniform, 10);
    const rng = new Random(12);
    const y = Float64Array.from(
      { length: rows },
      (_, r) =>
        2 * (raw[r * 2] as number) +
        Math.sin(12 * (raw[r * 2] as number)) +
        (raw[r * 2 + 1] as number) +
        rng.normal(0, 0.3),
    );
    /** Predictions along a grid of feature 0 with feature 1 held at `other`. */
    const sweep = (tree: Tree, other: number) =>
      Array.from(
        { length: 201 },
        (_, i) => tree.value[leafOf(tree, Float64Array.from([i / 200, other]), 0, 2)] as number,
      );
    const drops = (values: number[], sign: number) =>
      values.slice(1).filter((v, i) => sign * (v - (values[i] as number)) < 0).length;

    it.each([1, -1])('makes predictions monotone (%i) in the constrained feature', (sign) => {
      const target = y.map((v, r) => (sign > 0 ? v : v - 4 * (raw[r * 2] as number)));
      const monotone = Int8Array.from([sign, 0]);
      const free = growRegression(binned, target, params(2, { maxDepth: 6, minSamplesLeaf: 5 })).tree;
      const constrained = growRegression(
        binned,
        target,
        params(2, { maxDepth: 6, minSamplesLeaf: 5, monotone }),
      ).tree;
      for (const other of [0.1, 0.5, 0.9]) {
        expect(drops(sweep(free, other), sign)).toBeGreaterThan(0);
        expect(drops(sweep(constrained, other), sign)).toBe(0);
      }
      // The constraint still leaves a tree that splits on the feature.
      expect(Array.from(constrained.feature).filter((f) => f === 0).length).toBeGreaterThan(3);
    });
  });
});
