/*
 * The O(1)-per-step rolling kernels every feature is built from. They take a checked `Float64Array`, the index of its
 * first number (`start`, after any NaN warm-up) and a window, and fill an output that is NaN until the window fills.
 *
 * @internal shared with the features module's indicator files; not part of the public surface.
 */

/**
 * Rolling mean and variance (divided by `window − ddof`) by shifted running sums: Σ(x − K) and Σ(x − K)² around a
 * shift K that is reset to the window's mean every `window` steps, when both sums are also recomputed from the
 * window itself. Keeping the sums centred avoids the cancellation of the naive Σx² − (Σx)²/n, and the periodic
 * resync stops rounding from accumulating over millions of steps; the resync costs O(window) once per window, so
 * each step stays O(1) amortised. A window of identical values gives that value and a variance of exactly 0, as
 * pandas (which also tracks runs of equal values).
 *
 * @internal shared with the features module; not part of the public surface.
 */
export function rollingMoments(
  x: Float64Array,
  start: number,
  window: number,
  ddof: number,
  mean: Float64Array | undefined,
  variance: Float64Array | undefined,
): void {
  const n = x.length;
  const first = start + window - 1; // the end of the first full window
  if (first >= n) return;
  const dof = window - ddof;
  // run: how many equal values end at t; the first full window only needs it, not the sums.
  let run = 1;
  for (let t = start + 1; t <= first; t++) run = x[t] === x[t - 1] ? run + 1 : 1;
  let shift = 0;
  let s1 = 0;
  let s2 = 0;
  let sync = first; // the next resync: on the first full window, then every `window` steps
  for (let t = first; t < n; t++) {
    const v = x[t] as number;
    if (t > first) run = v === x[t - 1] ? run + 1 : 1;
    if (t === sync) {
      sync += window;
      // Resync: a fresh shift at the window's mean, and both sums from scratch.
      let total = 0;
      for (let i = t - window + 1; i <= t; i++) total += x[i] as number;
      shift = total / window;
      s1 = 0;
      s2 = 0;
      for (let i = t - window + 1; i <= t; i++) {
        const d = (x[i] as number) - shift;
        s1 += d;
        s2 += d * d;
      }
    } else {
      const d = v - shift;
      const old = (x[t - window] as number) - shift;
      s1 += d - old;
      s2 += d * d - old * old;
    }
    const flat = run >= window;
    if (mean !== undefined) mean[t] = flat ? v : shift + s1 / window;
    if (variance !== undefined) {
      if (dof <= 0) variance[t] = Number.NaN;
      else variance[t] = flat ? 0 : Math.max(s2 - (s1 * s1) / window, 0) / dof;
    }
  }
}

/**
 * Rolling sum with the same periodic resync as {@link rollingMoments}; a window of equal values gives exactly
 * value · window (so a run of zero volumes sums to 0, not to the rounding left by adding and removing), as pandas.
 *
 * @internal shared with the features module; not part of the public surface.
 */
export function rollingSum(x: Float64Array, start: number, window: number, out: Float64Array): void {
  const n = x.length;
  let sum = 0;
  let run = 0;
  let sinceSync = window;
  for (let t = start; t < n; t++) {
    const v = x[t] as number;
    run = t > start && v === x[t - 1] ? run + 1 : 1;
    if (t - start + 1 < window) continue;
    if (sinceSync === window) {
      sinceSync = 1;
      sum = 0;
      for (let i = t - window + 1; i <= t; i++) sum += x[i] as number;
    } else {
      sinceSync++;
      sum += v - (x[t - window] as number);
    }
    out[t] = run >= window ? v * window : sum;
  }
}

/**
 * Rolling maximum (`sign` 1) or minimum (`sign` −1) by van Herk / Gil–Werman blocks: the series is cut into blocks
 * of `window` values from `start`, and a window ending inside a block is the union of a suffix of the previous block
 * and a prefix of its own, so its extreme is that of the suffix's extreme (one backward pass over the previous
 * block) and the running extreme of the prefix. About three comparisons per value whatever the window, and no
 * data-dependent branches as a monotonic deque has (van Herk 1992; Gil & Werman 1993). Ties keep the later value,
 * so of 0 and −0 the result is the one nearer the window's end, as a deque that drops older equal values.
 *
 * @internal shared with the features module; not part of the public surface.
 */
export function rollingExtreme(
  x: Float64Array,
  start: number,
  window: number,
  sign: 1 | -1,
  out: Float64Array,
): void {
  if (sign === 1) blockExtreme(x, start, window, out, true);
  else blockExtreme(x, start, window, out, false);
}

function blockExtreme(
  x: Float64Array,
  start: number,
  window: number,
  out: Float64Array,
  isMax: boolean,
): void {
  const n = x.length;
  if (start + window > n) return;
  // suffix[i]: the extreme of the previous block from its i-th value on; suffix[window] stands for "none of it".
  const suffix = new Float64Array(window + 1);
  suffix[window] = isMax ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  let run = x[start] as number;
  for (let t = start + 1; t < start + window; t++) run = better(x[t] as number, run, isMax);
  out[start + window - 1] = run;
  for (let block = start + window; block < n; block += window) {
    let tail = x[block - 1] as number;
    suffix[window - 1] = tail;
    for (let i = window - 2; i >= 0; i--) {
      tail = better(tail, x[block - window + i] as number, isMax);
      suffix[i] = tail;
    }
    const end = Math.min(block + window, n);
    run = x[block] as number;
    for (let t = block; t < end; t++) {
      if (t > block) run = better(x[t] as number, run, isMax);
      out[t] = better(run, suffix[t - block + 1] as number, isMax);
    }
  }
}

/** The more extreme of `later` and `earlier`, `later` on a tie. */
function better(later: number, earlier: number, isMax: boolean): number {
  // biome-ignore lint/complexity/useMathMinMax: Math.max and Math.min rank 0 above −0; a tie must keep `later`.
  return isMax ? (later >= earlier ? later : earlier) : later <= earlier ? later : earlier;
}

/**
 * pandas' `ewm(alpha, adjust=False, min_periods).mean()` from `start`: y = x[start], then y ← (1 − α)·y + α·x; NaN
 * until `minPeriods` values have been seen.
 *
 * @internal shared with the features module; not part of the public surface.
 */
export function exponentialMean(
  x: Float64Array,
  start: number,
  alpha: number,
  minPeriods: number,
  out: Float64Array,
): void {
  const n = x.length;
  if (start >= n) return;
  let y = x[start] as number;
  const keep = 1 - alpha;
  for (let t = start; t < n; t++) {
    if (t > start) y = keep * y + alpha * (x[t] as number);
    if (t - start + 1 >= minPeriods) out[t] = y;
  }
}
