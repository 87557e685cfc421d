import { lowerBound } from '../../core/numeric.js';
import { Random } from '../../core/random.js';
import { sortOrder } from '../../core/sort.js';

/** At most this many rows of a feature are sorted to place its bin edges (a seeded sample beyond that). */
const BINNING_SAMPLE = 200_000;

/**
 * Per-feature bin edges, fitted on training data and stored with the model. A value x of feature f falls in the
 * first bin b with x ≤ `edges[f][b]` (the last bin has no upper edge); NaN falls in the missing bin, whose index is
 * `edges[f].length + 1`, one past the real bins. A split "bin ≤ b" is therefore the split "x ≤ edges[f][b]", which is
 * how fitted trees predict on raw values without binning them.
 */
export interface Bins {
  /** Upper edges of every real bin but the last, ascending, per feature. */
  edges: Float64Array[];
  /** The number of real (non-missing) bins per feature; the missing bin's index equals it. */
  counts: Uint16Array;
}

/**
 * Places at most `maxBins` bins per feature as scikit-learn's histogram estimators do: between consecutive
 * distinct values when there are few enough (midpoints), else at the quantiles k / maxBins of the values (the
 * midpoint of the two order statistics around each), duplicates removed. NaN is ignored here; it gets its own bin.
 */
export function fitBins(data: Float64Array, rows: number, cols: number, maxBins: number, seed: number): Bins {
  const sample = rows > BINNING_SAMPLE ? sampleRows(rows, seed) : null;
  const used = sample === null ? rows : sample.length;
  const values = new Float64Array(used);
  const edges: Float64Array[] = [];
  const counts = new Uint16Array(cols);
  for (let f = 0; f < cols; f++) {
    let n = 0;
    for (let i = 0; i < used; i++) {
      const v = data[(sample === null ? i : (sample[i] as number)) * cols + f] as number;
      if (!Number.isNaN(v)) values[n++] = v;
    }
    const sorted = values.subarray(0, n).sort();
    const featureEdges = placeEdges(sorted, maxBins);
    edges.push(featureEdges);
    counts[f] = featureEdges.length + 1;
  }
  return { edges, counts };
}

function placeEdges(sorted: Float64Array, maxBins: number): Float64Array {
  const n = sorted.length;
  const distinct: number[] = [];
  for (let i = 0; i < n && distinct.length <= maxBins; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i] as number);
  }
  const edges: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 1; i < distinct.length; i++) {
      edges.push(((distinct[i - 1] as number) + (distinct[i] as number)) / 2);
    }
  } else {
    for (let k = 1; k < maxBins; k++) {
      const position = (k / maxBins) * (n - 1);
      const edge = ((sorted[Math.floor(position)] as number) + (sorted[Math.ceil(position)] as number)) / 2;
      if (edges.length === 0 || edge > (edges[edges.length - 1] as number)) edges.push(edge);
    }
  }
  return Float64Array.from(edges);
}

function sampleRows(rows: number, seed: number): Uint32Array {
  // A partial Fisher–Yates shuffle, then sorted so the sampled rows are read in memory order.
  const rng = new Random(seed);
  const order = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  for (let i = 0; i < BINNING_SAMPLE; i++) {
    const j = rng.int(i, rows - 1);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  return order.subarray(0, BINNING_SAMPLE).sort();
}

/**
 * {@link fitBins} and {@link applyBins} on the same rows in one go: each feature's values are sorted once (a radix
 * argsort), the edges placed on them, and the rows binned by walking the sorted order — no search per value.
 */
export function binTraining(
  data: Float64Array,
  rows: number,
  cols: number,
  maxBins: number,
  seed: number,
): { bins: Bins; binned: Uint8Array } {
  if (rows > BINNING_SAMPLE) {
    const bins = fitBins(data, rows, cols, maxBins, seed);
    return { bins, binned: applyBins(bins, data, rows, cols) };
  }
  const binned = new Uint8Array(rows * cols);
  const values = new Float64Array(rows);
  const ids = new Uint32Array(rows);
  const edges: Float64Array[] = [];
  const counts = new Uint16Array(cols);
  for (let f = 0; f < cols; f++) {
    let n = 0;
    for (let r = 0; r < rows; r++) {
      const v = data[r * cols + f] as number;
      if (Number.isNaN(v)) continue;
      values[n] = v;
      ids[n++] = r;
    }
    const present = values.subarray(0, n);
    const order = sortOrder(present);
    const sorted = new Float64Array(n);
    for (let k = 0; k < n; k++) sorted[k] = present[order[k] as number] as number;
    const featureEdges = placeEdges(sorted, maxBins);
    edges.push(featureEdges);
    counts[f] = featureEdges.length + 1;
    for (let r = 0; r < rows; r++)
      if (Number.isNaN(data[r * cols + f] as number)) binned[r * cols + f] = counts[f] as number;
    let b = 0;
    for (let k = 0; k < n; k++) {
      const v = sorted[k] as number;
      while (b < featureEdges.length && (featureEdges[b] as number) < v) b++;
      binned[(ids[order[k] as number] as number) * cols + f] = b;
    }
  }
  return { bins: { edges, counts }, binned };
}

/** Maps row-major values to their bins (same layout), NaN to each feature's missing bin. */
export function applyBins(bins: Bins, data: Float64Array, rows: number, cols: number): Uint8Array {
  const out = new Uint8Array(rows * cols);
  for (let f = 0; f < cols; f++) {
    const edges = bins.edges[f] as Float64Array;
    const missing = bins.counts[f] as number;
    for (let i = 0; i < rows; i++) {
      const v = data[i * cols + f] as number;
      out[i * cols + f] = Number.isNaN(v) ? missing : lowerBound(edges, v);
    }
  }
  return out;
}
