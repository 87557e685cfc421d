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
  let shift = 0;
  let s1 = 0;
  let s2 = 0;
  let run = 0;
  let sinceSync = window; // steps since the last resync; resync on the first full window
  for (let t = start; t < n; t++) {
    const v = x[t] as number;
    run = t > start && v === x[t - 1] ? run + 1 : 1;
    if (t - start + 1 < window) continue;
    if (sinceSync === window) {
      sinceSync = 1;
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
      sinceSync++;
      const d = v - shift;
      const old = (x[t - window] as number) - shift;
      s1 += d - old;
      s2 += d * d - old * old;
    }
    if (run >= window) {
      if (mean) mean[t] = v;
      if (variance) variance[t] = window - ddof > 0 ? 0 : Number.NaN;
      continue;
    }
    if (mean) mean[t] = shift + s1 / window;
    if (variance) {
      const ss = s2 - (s1 * s1) / window;
      variance[t] = window - ddof > 0 ? Math.max(ss, 0) / (window - ddof) : Number.NaN;
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
 * Rolling maximum (`sign` 1) or minimum (`sign` −1) with a monotonic deque of indices: each index enters and leaves
 * once, so a step is O(1) amortised (Lemire, "Streaming maximum-minimum filter", 2006).
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
  const n = x.length;
  // A ring of indices whose capacity is a power of two above the window, so wrapping is a mask, not a division.
  let capacity = 1;
  while (capacity <= window) capacity *= 2;
  const mask = capacity - 1;
  const deque = new Int32Array(capacity);
  const isMax = sign === 1;
  let head = 0;
  let tail = 0; // one past the newest; the deque holds tail − head indices
  for (let t = start; t < n; t++) {
    const v = x[t] as number;
    // Drop the values the new one dominates: they can never be the extreme again.
    if (isMax) while (tail > head && (x[deque[(tail - 1) & mask] as number] as number) <= v) tail--;
    else while (tail > head && (x[deque[(tail - 1) & mask] as number] as number) >= v) tail--;
    deque[tail & mask] = t;
    tail++;
    if ((deque[head & mask] as number) <= t - window) head++;
    if (t - start + 1 >= window) out[t] = x[deque[head & mask] as number] as number;
  }
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
