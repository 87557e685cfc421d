/**
 * A fitted decision tree as flat arrays, node 0 the root. An internal node sends a row left when its feature's value
 * is ≤ `threshold` (or, binned, its bin is ≤ `bin`) and sends missing values (NaN) the way `missingLeft` says; a leaf
 * (`feature` −1) holds `outputs` values starting at `value[node * outputs]`.
 */
export interface Tree {
  /** Values per leaf: 1 for regression and boosting, the class count for a forest's class probabilities. */
  outputs: number;
  /** The split feature per node, −1 for a leaf. */
  feature: Int32Array;
  /** The split threshold on raw values per node (the upper edge of bin `bin`). */
  threshold: Float64Array;
  /** The split threshold on bins per node: bins up to and including it go left. */
  bin: Uint8Array;
  /** 1 where missing values go left, 0 where they go right. */
  missingLeft: Uint8Array;
  /** The left child per internal node. */
  left: Int32Array;
  /** The right child per internal node: always the left child plus one. */
  right: Int32Array;
  /** The loss reduction per internal node (the impurity decrease times the node's weight, for a forest). */
  gain: Float64Array;
  /** The sum of hessians (sample weights, for a forest) that reached each node in training. */
  cover: Float64Array;
  /** Leaf values, `outputs` per node (zero for internal nodes). */
  value: Float64Array;
}

/**
 * The leaf that row `row` of row-major raw `data` (`cols` features) reaches. A node's right child is its left child
 * plus one (the grower creates siblings together), so the walk picks a child by arithmetic, without a branch the
 * processor would mispredict half the time.
 */
export function leafOf(tree: Tree, data: Float64Array, row: number, cols: number): number {
  const { feature, threshold, left, missingLeft } = tree;
  const base = row * cols;
  let node = 0;
  let f = feature[0] as number;
  while (f >= 0) {
    const x = data[base + f] as number;
    const right =
      (x > (threshold[node] as number) ? 1 : 0) | (Number.isNaN(x) ? 1 - (missingLeft[node] as number) : 0);
    node = (left[node] as number) + right;
    f = feature[node] as number;
  }
  return node;
}

/**
 * A tree laid out for walking rows in lock step: `link` holds each node's feature and left child side by side (one
 * cache line serves both), and a leaf links to itself with a threshold of +Infinity, so a finished walk stays put
 * and a walk is finished when its node links to itself.
 */
interface Walk {
  link: Int32Array;
  threshold: Float64Array;
  missingRight: Uint8Array;
  /** The tree's node index of each walk node. */
  node: Int32Array;
}

const walks = new WeakMap<Tree, Walk>();

/**
 * The walk layout of `tree`, made once per tree. Nodes are renumbered depth first, each pair of siblings placed
 * together right after their parent's subtree is entered, so that a path down the tree reads nearby memory.
 */
function walkOf(tree: Tree): Walk {
  let walk = walks.get(tree);
  if (walk !== undefined) return walk;
  const n = tree.feature.length;
  walk = {
    link: new Int32Array(2 * n),
    threshold: new Float64Array(n),
    missingRight: new Uint8Array(n),
    node: new Int32Array(n),
  };
  const placed = new Int32Array(n); // tree node → walk node
  const stack = [0];
  let next = 1;
  while (stack.length > 0) {
    const original = stack.pop() as number;
    const at = placed[original] as number;
    walk.node[at] = original;
    const f = tree.feature[original] as number;
    if (f < 0) {
      walk.link[2 * at + 1] = at;
      walk.threshold[at] = Number.POSITIVE_INFINITY;
      continue;
    }
    const left = tree.left[original] as number;
    placed[left] = next;
    placed[left + 1] = next + 1;
    walk.link[2 * at] = f;
    walk.link[2 * at + 1] = next;
    walk.threshold[at] = tree.threshold[original] as number;
    walk.missingRight[at] = 1 - (tree.missingLeft[original] as number);
    next += 2;
    stack.push(left + 1, left); // the left child's subtree first
  }
  walks.set(tree, walk);
  return walk;
}

/**
 * The leaf each of the `rows` rows of row-major raw `data` reaches, into `leaves`. Four rows walk together, so
 * that the processor overlaps their memory reads; each step is {@link leafOf}'s. Pass `missing: false` when no
 * value is NaN (see {@link hasMissing}) to skip the missing-value test.
 */
export function leavesOf(
  tree: Tree,
  data: Float64Array,
  rows: number,
  cols: number,
  leaves: Int32Array,
  missing = true,
): void {
  const { link, threshold, missingRight, node } = walkOf(tree);
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const ba = i * cols;
    const bb = ba + cols;
    const bc = bb + cols;
    const bd = bc + cols;
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    let la = link[1] as number;
    let lb = la;
    let lc = la;
    let ld = la;
    while (((la ^ a) | (lb ^ b) | (lc ^ c) | (ld ^ d)) !== 0) {
      const xa = data[ba + (link[2 * a] as number)] as number;
      const xb = data[bb + (link[2 * b] as number)] as number;
      const xc = data[bc + (link[2 * c] as number)] as number;
      const xd = data[bd + (link[2 * d] as number)] as number;
      if (missing) {
        a =
          la +
          ((xa > (threshold[a] as number) ? 1 : 0) | (Number.isNaN(xa) ? (missingRight[a] as number) : 0));
        b =
          lb +
          ((xb > (threshold[b] as number) ? 1 : 0) | (Number.isNaN(xb) ? (missingRight[b] as number) : 0));
        c =
          lc +
          ((xc > (threshold[c] as number) ? 1 : 0) | (Number.isNaN(xc) ? (missingRight[c] as number) : 0));
        d =
          ld +
          ((xd > (threshold[d] as number) ? 1 : 0) | (Number.isNaN(xd) ? (missingRight[d] as number) : 0));
      } else {
        // No missing values among the rows: one comparison per step.
        a = la + (xa > (threshold[a] as number) ? 1 : 0);
        b = lb + (xb > (threshold[b] as number) ? 1 : 0);
        c = lc + (xc > (threshold[c] as number) ? 1 : 0);
        d = ld + (xd > (threshold[d] as number) ? 1 : 0);
      }
      la = link[2 * a + 1] as number;
      lb = link[2 * b + 1] as number;
      lc = link[2 * c + 1] as number;
      ld = link[2 * d + 1] as number;
    }
    leaves[i] = node[a] as number;
    leaves[i + 1] = node[b] as number;
    leaves[i + 2] = node[c] as number;
    leaves[i + 3] = node[d] as number;
  }
  for (; i < rows; i++) leaves[i] = leafOf(tree, data, i, cols);
}

/** Whether any value is NaN. */
export function hasMissing(data: Float64Array): boolean {
  for (let i = 0; i < data.length; i++) if (Number.isNaN(data[i] as number)) return true;
  return false;
}

/** The leaf that binned row `row` reaches; `missing[f]` is feature f's missing bin. */
export function leafOfBinned(
  tree: Tree,
  bins: Uint8Array,
  row: number,
  cols: number,
  missing: Uint16Array,
): number {
  const { feature, bin, left, missingLeft } = tree;
  const base = row * cols;
  let node = 0;
  let f = feature[0] as number;
  while (f >= 0) {
    const b = bins[base + f] as number;
    const right = b === missing[f] ? 1 - (missingLeft[node] as number) : b > (bin[node] as number) ? 1 : 0;
    node = (left[node] as number) + right;
    f = feature[node] as number;
  }
  return node;
}

/** A fitted tree as plain JSON arrays, one entry per node (node 0 the root), as a model's `state.trees` holds it. */
export interface TreeJSON {
  /** Values per leaf: 1 for regression and boosting, the class count for a forest's class probabilities. */
  outputs: number;
  /** The split feature per node, −1 for a leaf. */
  feature: number[];
  /** The split threshold on raw values per node: values ≤ it go left. */
  threshold: number[];
  /** The split threshold on bins per node: bins up to and including it go left. */
  bin: number[];
  /** 1 where missing values (NaN) go left, 0 where they go right. */
  missingLeft: number[];
  /** The left child per internal node (−1 for a leaf). */
  left: number[];
  /** The right child per internal node: the left child plus one (−1 for a leaf). */
  right: number[];
  /** The loss reduction of each split (the impurity decrease times the node's weight, for a forest). */
  gain: number[];
  /** The sum of hessians (sample weights, for a forest) that reached each node in training. */
  cover: number[];
  /** Leaf values, `outputs` per node (zero for internal nodes). */
  value: number[];
}

export function treeToJSON(tree: Tree): TreeJSON {
  return {
    outputs: tree.outputs,
    feature: Array.from(tree.feature),
    threshold: Array.from(tree.threshold),
    bin: Array.from(tree.bin),
    missingLeft: Array.from(tree.missingLeft),
    left: Array.from(tree.left),
    right: Array.from(tree.right),
    gain: Array.from(tree.gain),
    cover: Array.from(tree.cover),
    value: Array.from(tree.value),
  };
}

export function treeFromJSON(json: TreeJSON): Tree {
  return {
    outputs: json.outputs,
    feature: Int32Array.from(json.feature),
    threshold: Float64Array.from(json.threshold),
    bin: Uint8Array.from(json.bin),
    missingLeft: Uint8Array.from(json.missingLeft),
    left: Int32Array.from(json.left),
    right: Int32Array.from(json.right),
    gain: Float64Array.from(json.gain),
    cover: Float64Array.from(json.cover),
    value: Float64Array.from(json.value),
  };
}
