import type { Random } from '../../core/random.js';
import type { BinnedData, GrowParams } from './grow.js';

/** The best split found for a node. */
export interface Split {
  /** Loss reduction. */
  gain: number;
  /** The feature split on. */
  feature: number;
  /** Bins up to and including this one go left. */
  bin: number;
  /** Whether missing values go left. */
  missingLeft: boolean;
  /** Sums of the left child: gradients (one per output), hessian, row count. */
  left: Float64Array;
}

/** What the search needs of a node: its rows, its sums, its histogram if it has one and its monotone bounds. */
export interface SearchNode {
  /** First position of the node's rows in the rows array. */
  start: number;
  /** One past the last. */
  end: number;
  /** Gradient sums, hessian sum and row count of the node. */
  sums: Float64Array;
  /** The node's histogram, or null for a small node (scanned from its rows). */
  hist: Float64Array | null;
  /** Smallest leaf value allowed (monotone constraints). */
  lower: number;
  /** Largest leaf value allowed. */
  upper: number;
}

/**
 * Finds each node's best split, from its histogram or — for nodes with fewer rows than bins — from its rows,
 * touching only the bins they fall in. Histogram entries are (gradient sums, hessian sum, row count), or with unit
 * hessians (gradient sums, row count): the count is always the last of `width` entries.
 */
export class SplitFinder {
  /** The bins feature by feature (feature f of row r at `f · rows + r`): a node's rows read one feature close together. */
  readonly columns: Uint8Array;
  private readonly scratch: Float64Array;
  private readonly touched: Uint8Array;
  private readonly order: Uint8Array;
  private readonly running: Float64Array;
  private readonly candidate: Float64Array;
  private readonly rest: Float64Array;
  private features: Int32Array = new Int32Array(0);
  private grad: Float64Array = new Float64Array(0);
  private hess: Float64Array = new Float64Array(0);
  private rng: Random | null = null;

  constructor(
    private readonly data: BinnedData,
    private readonly params: GrowParams,
    private readonly outputs: number,
    private readonly unitHessian: boolean,
    private readonly stride: number,
    private readonly width: number,
  ) {
    this.scratch = new Float64Array(stride * width);
    this.touched = new Uint8Array(stride + 1); // + 1: the branch-free scan writes one past the last bin
    this.order = new Uint8Array(stride);
    this.running = new Float64Array(width);
    this.candidate = new Float64Array(width);
    this.rest = new Float64Array(width);
    const { bins, rows, cols } = data;
    this.columns = new Uint8Array(rows * cols);
    for (let r = 0; r < rows; r++)
      for (let f = 0; f < cols; f++) this.columns[f * rows + r] = bins[r * cols + f] as number;
  }

  /** Sets the tree being grown: its gradients, hessians, features and the stream drawing features per node. */
  reset(grad: Float64Array, hess: Float64Array, features: Int32Array, rng: Random): void {
    this.grad = grad;
    this.hess = hess;
    this.features = features;
    this.rng = rng;
  }

  /** The single-output leaf value of `sums`, within the node's monotone bounds. */
  leafValue(sums: Float64Array, open: SearchNode): number {
    const v = -soft(sums[0] as number, this.params.alpha) / ((sums[1] as number) + this.params.lambda);
    return Math.min(open.upper, Math.max(open.lower, v));
  }

  /**
   * What a node with `sums` contributes to the objective's reduction: Σₖ T(Gₖ)²/(H+λ), or, under monotone
   * constraints, −(2·T(G)·w + (H+λ)·w²) at the bounded leaf value w (which equals the former when w is not bounded).
   */
  private score(sums: Float64Array, open: SearchNode): number {
    const { outputs, params } = this;
    const h = (sums[outputs] as number) + params.lambda;
    if (params.monotone !== null) {
      const w = this.leafValue(sums, open);
      const t = soft(sums[0] as number, params.alpha);
      return -(2 * t * w + h * w * w);
    }
    let total = 0;
    for (let k = 0; k < outputs; k++) {
      const t = soft(sums[k] as number, params.alpha);
      total += (t * t) / h;
    }
    return total;
  }

  /** The best split of `open` over the features tried there, or null when no split gains enough. */
  find(rows: Uint32Array, open: SearchNode): Split | null {
    const { features, params } = this;
    const nf = features.length;
    const sample = params.featuresPerNode < nf;
    const tried = sample ? Int32Array.from(features) : features;
    const best: Split = {
      gain: params.minSplitGain,
      feature: -1,
      bin: 0,
      missingLeft: false,
      left: new Float64Array(this.width),
    };
    let visited = 0;
    for (let i = 0; i < nf && visited < params.featuresPerNode; i++) {
      if (sample) {
        const j = (this.rng as Random).int(i, nf - 1);
        const t = tried[i] as number;
        tried[i] = tried[j] as number;
        tried[j] = t;
      }
      const f = tried[i] as number;
      const varies =
        open.hist === null ? this.scanSparse(rows, open, f, best) : this.scanDense(open, f, best);
      if (varies) visited++;
    }
    return best.feature < 0 ? null : best;
  }

  /** Scans feature `f` of a node with a histogram; false when every row is in one bin. */
  private scanDense(open: SearchNode, f: number, best: Split): boolean {
    const hist = open.hist as Float64Array;
    const { width, order } = this;
    const base = f * this.stride * width;
    const missingBin = this.data.counts[f] as number;
    let n = 0;
    for (let b = 0; b < missingBin; b++)
      if ((hist[base + b * width + width - 1] as number) > 0) order[n++] = b;
    const missingRows = hist[base + missingBin * width + width - 1] as number;
    if (n + (missingRows > 0 ? 1 : 0) <= 1) return false;
    this.scan(hist, base, n, missingBin, open, f, best);
    return true;
  }

  /** Scans feature `f` of a small node from its rows, touching only the bins they fall in. */
  private scanSparse(rows: Uint32Array, open: SearchNode, f: number, best: Split): boolean {
    const { scratch, touched, order, grad, hess, outputs, width, columns } = this;
    const missingBin = this.data.counts[f] as number;
    const column = f * this.data.rows;
    let n = 0;
    if (outputs === 1 && !this.unitHessian) {
      for (let i = open.start; i < open.end; i++) {
        const r = rows[i] as number;
        const b = columns[column + r] as number;
        const o = b * 3;
        const c = scratch[o + 2] as number;
        touched[n] = b;
        n += c === 0 ? 1 : 0;
        scratch[o] = (scratch[o] as number) + (grad[r] as number);
        scratch[o + 1] = (scratch[o + 1] as number) + (hess[r] as number);
        scratch[o + 2] = c + 1;
      }
    } else {
      for (let i = open.start; i < open.end; i++) {
        const r = rows[i] as number;
        const b = columns[column + r] as number;
        const o = b * width;
        if (scratch[o + width - 1] === 0) touched[n++] = b;
        for (let k = 0; k < outputs; k++)
          scratch[o + k] = (scratch[o + k] as number) + (grad[r * outputs + k] as number);
        if (!this.unitHessian) scratch[o + outputs] = (scratch[o + outputs] as number) + (hess[r] as number);
        scratch[o + width - 1] = (scratch[o + width - 1] as number) + 1;
      }
    }
    const varies = n > 1;
    if (varies) {
      // The occupied bins in ascending order: sorted when few, else read off the bins in order.
      let real = 0;
      if (n * n < 4 * missingBin) {
        sortSmall(touched, n);
        for (let i = 0; i < n; i++)
          if ((touched[i] as number) !== missingBin) order[real++] = touched[i] as number;
      } else {
        for (let b = 0; b < missingBin; b++)
          if ((scratch[b * width + width - 1] as number) > 0) order[real++] = b;
      }
      this.scan(scratch, 0, real, missingBin, open, f, best);
    }
    for (let i = 0; i < n; i++) {
      const o = (touched[i] as number) * width;
      for (let k = 0; k < width; k++) scratch[o + k] = 0;
    }
    return varies;
  }

  /**
   * Tries every threshold between the `n` occupied real bins listed in `this.order` (ascending), with the missing
   * rows on either side, and keeps the best in `best`. Entries of bin b are at `hist[base + b * width ..]`.
   */
  private scan(
    hist: Float64Array,
    base: number,
    n: number,
    missingBin: number,
    open: SearchNode,
    f: number,
    best: Split,
  ): void {
    if (this.outputs === 1 && this.params.monotone === null) {
      this.scanOne(hist, base, n, missingBin, open, f, best);
      return;
    }
    const { outputs, width, order, running, candidate, rest, params } = this;
    const sums = open.sums;
    const m = base + missingBin * width;
    const missingRows = hist[m + width - 1] as number;
    const constraint = params.monotone?.[f] ?? 0;
    const parentScore = this.score(sums, open);
    running.fill(0);
    for (let i = 0; i < n; i++) {
      const o = base + (order[i] as number) * width;
      for (let k = 0; k < width; k++) running[k] = (running[k] as number) + (hist[o + k] as number);
      const lastReal = i === n - 1;
      if (lastReal && missingRows === 0) break;
      // Missing rows right of the threshold; then, when there are any and real rows remain right, left of it.
      for (let side = 0; side < (missingRows > 0 && !lastReal ? 2 : 1); side++) {
        for (let k = 0; k < width; k++) {
          candidate[k] = (running[k] as number) + (side === 1 ? (hist[m + k] as number) : 0);
          rest[k] = (sums[k] as number) - (candidate[k] as number);
        }
        if (!this.allowed(candidate[width - 1] as number, candidate[outputs] as number, sums)) continue;
        if (constraint !== 0) {
          const lv = this.leafValue(candidate, open);
          const rv = this.leafValue(rest, open);
          if ((constraint > 0 && lv > rv) || (constraint < 0 && lv < rv)) continue;
        }
        const gain = this.score(candidate, open) + this.score(rest, open) - parentScore;
        if (gain > best.gain)
          this.record(best, gain, f, order[i] as number, missingRows, side === 1, candidate, rest);
      }
    }
  }

  /** {@link SplitFinder.scan} for one output without constraints, the hot path, in scalars. */
  private scanOne(
    hist: Float64Array,
    base: number,
    n: number,
    missingBin: number,
    open: SearchNode,
    f: number,
    best: Split,
  ): void {
    const { order, params, candidate, rest, width } = this;
    const { lambda, alpha } = params;
    const sums = open.sums;
    const total = sums[0] as number;
    const totalHess = sums[1] as number;
    // Entries are (gradient, hessian, count), or (gradient, count) with unit hessians: the count is at width − 1.
    const last = width - 1;
    const m = base + missingBin * width;
    const missingGrad = hist[m] as number;
    const missingHess = hist[m + 1] as number;
    const missingRows = hist[m + last] as number;
    const t = soft(total, alpha);
    const parentScore = (t * t) / (totalHess + lambda);
    let g = 0;
    let h = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const o = base + (order[i] as number) * width;
      g += hist[o] as number;
      h += hist[o + 1] as number;
      c += hist[o + last] as number;
      const lastReal = i === n - 1;
      if (lastReal && missingRows === 0) break;
      for (let side = 0; side < (missingRows > 0 && !lastReal ? 2 : 1); side++) {
        const gl = side === 1 ? g + missingGrad : g;
        const hl = side === 1 ? h + missingHess : h;
        const cl = side === 1 ? c + missingRows : c;
        if (!this.allowed(cl, hl, sums)) continue;
        const tl = soft(gl, alpha);
        const tr = soft(total - gl, alpha);
        const gain = (tl * tl) / (hl + lambda) + (tr * tr) / (totalHess - hl + lambda) - parentScore;
        if (gain > best.gain) {
          candidate[0] = gl;
          candidate[1] = hl;
          candidate[last] = cl;
          rest[1] = totalHess - hl;
          this.record(best, gain, f, order[i] as number, missingRows, side === 1, candidate, rest);
        }
      }
    }
  }

  /** Whether a left child of `rows` rows and hessian sum `hess` leaves both children big enough. */
  private allowed(rows: number, hess: number, sums: Float64Array): boolean {
    const { outputs, params } = this;
    const rightRows = (sums[this.width - 1] as number) - rows;
    const rightHess = (sums[outputs] as number) - hess;
    return (
      rows >= params.minSamplesLeaf &&
      rightRows >= params.minSamplesLeaf &&
      hess >= params.minChildWeight &&
      rightHess >= params.minChildWeight
    );
  }

  private record(
    best: Split,
    gain: number,
    f: number,
    bin: number,
    missingRows: number,
    missingLeft: boolean,
    left: Float64Array,
    right: Float64Array,
  ): void {
    best.gain = gain;
    best.feature = f;
    best.bin = bin;
    // With no missing rows in the node, unseen missing values follow the heavier child.
    const outputs = this.outputs;
    best.missingLeft =
      missingRows > 0 ? missingLeft : (left[outputs] as number) >= (right[outputs] as number);
    best.left.set(left);
  }
}

/** The L1 soft threshold of a gradient sum: sign(g) · max(|g| − α, 0). */
export function soft(g: number, alpha: number): number {
  if (alpha === 0) return g;
  return g > alpha ? g - alpha : g < -alpha ? g + alpha : 0;
}

/** Sorts the first `n` entries ascending by insertion: for the few bins of a small node. */
function sortSmall(values: Uint8Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const v = values[i] as number;
    let j = i - 1;
    while (j >= 0 && (values[j] as number) > v) {
      values[j + 1] = values[j] as number;
      j--;
    }
    values[j + 1] = v;
  }
}
