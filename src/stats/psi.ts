import { z } from 'zod';
import { quantileSorted, sortedCopy, toFiniteArray, upperBound } from '../core/numeric.js';
import { parseOptions } from '../core/options.js';

/** Options of {@link psi}. */
export interface PsiOptions {
  /**
   * How many quantile bins to fit on the reference, an integer from 1 to 10,000 (fewer remain when the reference has
   * ties at the quantiles).
   * @defaultValue 10
   */
  bins?: number;
  /**
   * The share used in place of 0 for a bin that one of the samples leaves empty, so that the logarithm stays
   * finite; 1e-4 is Evidently's replacement for an empty bin. A number in (0, 1].
   * @defaultValue 1e-4
   */
  epsilon?: number;
}

/** The result of {@link psi}. */
export interface PsiResult {
  /** The Population Stability Index, `Σ (c_i − r_i) · ln(c_i / r_i)`; 0 when the shares agree in every bin. */
  value: number;
  /**
   * The bin edges: `-Infinity`, the distinct inner quantiles of the reference, `Infinity`. Bin `i` holds the
   * values `x` with `edges[i] <= x < edges[i + 1]`.
   */
  edges: number[];
  /** The share of the reference in each bin, empty bins replaced by `epsilon`. */
  referenceShares: number[];
  /** The share of the current sample in each bin, empty bins replaced by `epsilon`. */
  currentShares: number[];
}

const psiOptionsSchema = z
  .strictObject({
    bins: z.number().int().min(1).max(10_000).default(10),
    epsilon: z.number().positive().max(1).default(1e-4),
  })
  .default({ bins: 10, epsilon: 1e-4 });

function shares(values: Float64Array, inner: Float64Array, epsilon: number): number[] {
  const counts = new Float64Array(inner.length + 1);
  for (let i = 0; i < values.length; i++) {
    // The bin of a value: the number of inner edges at or below it.
    const k = upperBound(inner, values[i] as number);
    counts[k] = (counts[k] as number) + 1;
  }
  return Array.from(counts, (c) => (c === 0 ? epsilon : c / values.length));
}

/**
 * The Population Stability Index of `current` against `reference`, a drift score for one numeric feature:
 * `PSI = Σ (c_i − r_i) · ln(c_i / r_i)` over bins fitted on the reference (Siddiqi, *Credit Risk Scorecards*, 2006;
 * the usual reading: below 0.1 stable, 0.1–0.25 some shift, above 0.25 a major shift).
 *
 * Conventions: the edges are the reference's `k / bins` quantiles for k = 0…bins, computed as `numpy.quantile`
 * does by default (linear interpolation between order statistics); equal edges, where the reference has ties, are
 * merged, so fewer bins may remain; the outer edges are replaced by `-Infinity` and `Infinity` so that every
 * current value falls in some bin. Bins are closed on the left, open on the right. Shares are counts divided by the
 * sample size, and an empty bin's share is replaced by `epsilon` (default `1e-4`, Evidently's value) without
 * renormalising. (Evidently's own PSI bins differently, on the pooled sample, so its numbers differ from these.)
 *
 * Degenerate cases: a constant reference leaves a single bin and PSI 0, whatever `current` holds; identical
 * samples give 0. The edges hold `±Infinity`, which `JSON.stringify` writes as `null`.
 *
 * @param reference - the sample the bins are fitted on (training data), finite values, at least one.
 * @param current - the sample to compare (production data), finite values, at least one.
 * @throws `INSUFFICIENT_DATA` for an empty sample; `INVALID_ARGUMENT` for non-finite values or bad options.
 *
 * @example
 * ```ts
 * import { psi } from 'mlcycle';
 *
 * const reference = Array.from({ length: 1000 }, (_, i) => i / 1000);
 * const shifted = reference.map((x) => x + 0.1);
 * psi(reference, reference).value; // 0
 * const result = psi(reference, shifted, { bins: 10 });
 * result.value; // 0.759…: a major shift
 * result.edges; // [-Infinity, 0.0999, 0.1998, …, Infinity]
 * ```
 */
export function psi(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  options?: PsiOptions,
): PsiResult {
  const { bins, epsilon } = parseOptions(psiOptionsSchema, options, 'psi options');
  const ref = toFiniteArray(reference, 'reference');
  const cur = toFiniteArray(current, 'current');
  const sorted = sortedCopy(ref);
  // Inner edges: the quantiles k / bins for 0 < k < bins, deduplicated, and only those above the minimum (a
  // quantile equal to the minimum would merge with the open lower edge) and below the maximum.
  const lowest = sorted[0] as number;
  const highest = sorted[sorted.length - 1] as number;
  const inner: number[] = [];
  for (let k = 1; k < bins; k++) {
    const edge = quantileSorted(sorted, k / bins);
    if (
      edge > lowest &&
      edge < highest &&
      (inner.length === 0 || edge > (inner[inner.length - 1] as number))
    ) {
      inner.push(edge);
    }
  }
  const innerEdges = Float64Array.from(inner);
  const referenceShares = shares(ref, innerEdges, epsilon);
  const currentShares = shares(cur, innerEdges, epsilon);
  let value = 0;
  for (let i = 0; i < referenceShares.length; i++) {
    const r = referenceShares[i] as number;
    const c = currentShares[i] as number;
    value += (c - r) * Math.log(c / r);
  }
  return {
    value,
    edges: [Number.NEGATIVE_INFINITY, ...inner, Number.POSITIVE_INFINITY],
    referenceShares,
    currentShares,
  };
}
