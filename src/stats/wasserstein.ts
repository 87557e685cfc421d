import { z } from 'zod';
import { assertSameLength, formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { toFiniteArray } from '../core/numeric.js';
import { parseOptions } from '../core/options.js';
import { radixSort, sortOrder } from '../core/sort.js';

/** Options of {@link wasserstein}. */
export interface WassersteinOptions {
  /** Non-negative weights of the values of `a`, one each, with a positive sum. Every value weighs 1 when omitted. */
  aWeights?: ArrayLike<number>;
  /** Non-negative weights of the values of `b`, one each, with a positive sum. Every value weighs 1 when omitted. */
  bWeights?: ArrayLike<number>;
}

const arrayLike = z.custom<ArrayLike<number>>(
  (v) => typeof v === 'object' && v !== null && typeof (v as { length?: unknown }).length === 'number',
  'expected an array of numbers',
);

const wassersteinOptionsSchema = z
  .strictObject({ aWeights: arrayLike.optional(), bWeights: arrayLike.optional() })
  .optional();

/** A sample sorted ascending, with its cumulative weights in the same order (undefined when unweighted). */
interface SortedSample {
  values: Float64Array;
  cumulative: Float64Array | undefined;
  total: number;
}

function toWeights(
  weights: ArrayLike<number>,
  values: Float64Array,
  name: string,
  valuesName: string,
): Float64Array {
  const out = toFiniteArray(weights, name, 0);
  assertSameLength(values, out, valuesName, name);
  let total = 0;
  for (let i = 0; i < out.length; i++) {
    const w = out[i] as number;
    if (w < 0) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `${name} must contain only non-negative numbers, but ${name}[${i}] is ${formatNumber(w)}`,
        { details: { name, index: i } },
      );
    }
    total += w;
  }
  if (!(total > 0)) {
    throw new MlcycleError('INVALID_ARGUMENT', `${name} must have a positive sum, but its entries sum to 0`, {
      details: { name },
    });
  }
  return out;
}

/** Sorts a sample once: in place when unweighted, through a sorting permutation when its weights must follow. */
function sortSample(values: Float64Array, weights: Float64Array | undefined): SortedSample {
  const n = values.length;
  if (weights === undefined) return { values: radixSort(values), cumulative: undefined, total: n };
  const order = sortOrder(values);
  const sorted = new Float64Array(n);
  const cumulative = new Float64Array(n);
  let running = 0;
  for (let i = 0; i < n; i++) {
    const k = order[i] as number;
    sorted[i] = values[k] as number;
    running += weights[k] as number;
    cumulative[i] = running;
  }
  return { values: sorted, cumulative, total: running };
}

/**
 * The first Wasserstein distance (earth mover's distance) between two one-dimensional empirical distributions:
 * `∫ |F_a(x) − F_b(x)| dx` over the real line, where `F_a` and `F_b` are the (weighted) empirical CDFs. Matches
 * `scipy.stats.wasserstein_distance(a, b, aWeights, bWeights)`.
 *
 * Conventions (scipy's): the integral is taken exactly between consecutive values of the pooled sample; weights
 * need not sum to 1 (each sample's are divided by their own total); ties are allowed. The two samples may differ in
 * size. Identical samples give 0; the result is in the units of the values.
 *
 * Cost: each sample is copied into a `Float64Array` and sorted once, then one merge pass walks the pooled values —
 * O((n + m) log(n + m)) time, O(n + m) memory.
 *
 * @param a - the first sample, finite values, at least one.
 * @param b - the second sample, finite values, at least one.
 * @throws `INSUFFICIENT_DATA` for an empty sample; `INVALID_ARGUMENT` for non-finite values, weights of the wrong
 *   length, negative weights or weights summing to 0.
 *
 * @example
 * ```ts
 * import { wasserstein } from 'mlcycle';
 *
 * wasserstein([0, 1, 3], [5, 6, 8]); // 5
 * wasserstein([0, 1], [0, 1], { aWeights: [3, 1], bWeights: [1, 3] }); // 0.5
 * ```
 */
export function wasserstein(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options?: WassersteinOptions,
): number {
  const parsed = parseOptions(wassersteinOptionsSchema, options, 'wasserstein options');
  const aValues = toFiniteArray(a, 'a');
  const bValues = toFiniteArray(b, 'b');
  const aWeights =
    parsed?.aWeights === undefined ? undefined : toWeights(parsed.aWeights, aValues, 'aWeights', 'a');
  const bWeights =
    parsed?.bWeights === undefined ? undefined : toWeights(parsed.bWeights, bValues, 'bWeights', 'b');
  if (aWeights === undefined && bWeights === undefined) {
    return wassersteinSorted(radixSort(aValues), radixSort(bValues));
  }
  return cdfDistance(sortSample(aValues, aWeights), sortSample(bValues, bWeights));
}

/**
 * {@link wasserstein} without weights on samples that are already sorted ascending: the same number, without the
 * copy, the checks and the sort, in one O(n + m) merge.
 *
 * @internal shared with the drift module; not part of the public surface.
 * @param a - the first sample, ascending, finite, at least one value (not checked).
 * @param b - the second sample, ascending, finite, at least one value (not checked).
 */
export function wassersteinSorted(a: Float64Array, b: Float64Array): number {
  return cdfDistance(
    { values: a, cumulative: undefined, total: a.length },
    { values: b, cumulative: undefined, total: b.length },
  );
}

/** ∫|F_a − F_b| by one merge pass over two sorted samples; the CDFs are right-continuous step functions. */
function cdfDistance(sa: SortedSample, sb: SortedSample): number {
  const av = sa.values;
  const bv = sb.values;
  const ac = sa.cumulative;
  const bc = sb.cumulative;
  const n = av.length;
  const m = bv.length;
  let i = 0;
  let j = 0;
  // Start at the smallest pooled value; both CDFs are 0 to its left.
  let previous = Math.min(av[0] as number, bv[0] as number);
  let total = 0;
  let compensation = 0;
  while (i < n || j < m) {
    const x =
      j >= m || (i < n && (av[i] as number) <= (bv[j] as number)) ? (av[i] as number) : (bv[j] as number);
    const delta = x - previous;
    if (delta > 0) {
      // F evaluated just left of x: the share of each sample strictly below x, i.e. through index i − 1 / j − 1.
      const fa = i === 0 ? 0 : (ac === undefined ? i : (ac[i - 1] as number)) / sa.total;
      const fb = j === 0 ? 0 : (bc === undefined ? j : (bc[j - 1] as number)) / sb.total;
      const term = Math.abs(fa - fb) * delta;
      // Neumaier's compensated sum: a million positive terms keep their last digits.
      const t = total + term;
      compensation += total >= term ? total - t + term : term - t + total;
      total = t;
    }
    // Consume every pooled value equal to x so that the CDFs jump once per distinct value.
    while (i < n && (av[i] as number) === x) i++;
    while (j < m && (bv[j] as number) === x) j++;
    previous = x;
  }
  return total + compensation;
}
