import { assertFiniteArray, assertMinLength, formatNumber } from './checks.js';
import { MlcycleError } from './errors.js';
import { radixSort } from './sort.js';

/**
 * Copies `values` into a new `Float64Array` after checking that every element is a finite number and that there are
 * at least `minLength` of them. The single entry point through which numeric functions accept `ArrayLike<number>`.
 *
 * @param name - the argument's name in error messages.
 * @param minLength - the fewest values accepted. @defaultValue 1
 */
export function toFiniteArray(values: ArrayLike<number>, name: string, minLength = 1): Float64Array {
  assertFiniteArray(values, name);
  assertMinLength(values, minLength, name);
  return Float64Array.from(values);
}

/** Sum with Neumaier's compensation, so long or ill-conditioned sums stay accurate to the last digits. */
export function sum(values: ArrayLike<number>): number {
  let total = 0;
  let compensation = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const t = total + v;
    if (!Number.isFinite(t)) {
      // Overflowed (or met a non-finite value): the compensation would turn Infinity into NaN; numpy gives ±Infinity.
      total = t;
      compensation = 0;
      continue;
    }
    compensation += Math.abs(total) >= Math.abs(v) ? total - t + v : v - t + total;
    total = t;
  }
  return total + compensation;
}

/** Arithmetic mean (compensated sum); NaN for an empty array. */
export function mean(values: ArrayLike<number>): number {
  return values.length === 0 ? Number.NaN : sum(values) / values.length;
}

/**
 * Variance with `ddof` delta degrees of freedom (numpy's convention: divide by n − ddof), computed in two passes for
 * accuracy. NaN when n − ddof <= 0, as numpy.
 */
export function variance(values: ArrayLike<number>, ddof = 0): number {
  const n = values.length;
  if (n - ddof <= 0) return Number.NaN;
  const m = mean(values);
  let squares = 0;
  let correction = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - m;
    squares += d * d;
    correction += d;
  }
  // Squared deviations overflowed: numpy reports Infinity, and the correction below would make it NaN.
  if (!Number.isFinite(squares)) return squares / (n - ddof);
  // The correction term removes the rounding left in the mean (Björck's corrected two-pass algorithm).
  return (squares - (correction * correction) / n) / (n - ddof);
}

/** Standard deviation with `ddof` delta degrees of freedom (numpy's convention). */
export function standardDeviation(values: ArrayLike<number>, ddof = 0): number {
  return Math.sqrt(variance(values, ddof));
}

/** An ascending sorted copy as a `Float64Array` (radix sort for large arrays; −0 before +0). */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return radixSort(Float64Array.from(values));
}

/**
 * The `q`-quantile of ascending `sorted` values by linear interpolation between order statistics — numpy's default
 * (`method='linear'`, Hyndman and Fan type 7). NaN for an empty array.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) {
    throw new MlcycleError('INVALID_ARGUMENT', `quantile q must be in [0, 1], received ${formatNumber(q)}`);
  }
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const position = q * (n - 1);
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, n - 1);
  const fraction = position - lower;
  const a = sorted[lower] as number;
  const b = sorted[upper] as number;
  if (fraction === 0) return a;
  // numpy's _lerp: interpolate from the nearer end, which keeps the result within [a, b] and bit-identical to numpy.
  const diff = b - a;
  return fraction >= 0.5 ? b - diff * (1 - fraction) : a + diff * fraction;
}

/** The median as numpy's `median`: the middle value, or the mean of the two middle values. NaN when empty. */
export function median(values: ArrayLike<number>): number {
  const sorted = sortedCopy(values);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Ranks from 1 with ties given their average rank (scipy's `rankdata(method='average')`), plus the tie-group sizes
 * that rank-based tests need for their tie corrections.
 */
export function rankAverage(values: ArrayLike<number>): {
  /** The rank of each value, in input order. */
  ranks: Float64Array;
  /** The size of every group of two or more tied values. */
  tieSizes: number[];
} {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (values[a] as number) - (values[b] as number),
  );
  const ranks = new Float64Array(n);
  const tieSizes: number[] = [];
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && values[order[j] as number] === values[order[i] as number]) j++;
    const rank = (i + j + 1) / 2; // average of ranks i+1 … j
    for (let k = i; k < j; k++) ranks[order[k] as number] = rank;
    if (j - i > 1) tieSizes.push(j - i);
    i = j;
  }
  return { ranks, tieSizes };
}

/** Rounds half to even, as numpy's `round` (2.5 → 2, 3.5 → 4, −2.5 → −2). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The first index i of ascending `sorted` with `sorted[i] >= value` (`sorted.length` when there is none); O(log n). */
export function lowerBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index i of ascending `sorted` with `sorted[i] > value` (`sorted.length` when there is none); O(log n). */
export function upperBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
