import { z } from 'zod';
import { assertSameLength, formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { sum, toFiniteArray } from '../core/numeric.js';
import { parseOptions } from '../core/options.js';
import { chiSquareSf } from './distributions.js';

/** Options of {@link chiSquareTest}. */
export interface ChiSquareOptions {
  /**
   * Whether Yates' continuity correction is applied; as scipy, it only takes effect when `dof == 1` (two
   * categories), and moves each observed count towards its expectation by at most 1/2.
   * @defaultValue true
   */
  correction?: boolean;
  /**
   * What to do with a category whose count is zero in both samples (its expected frequency is zero). `false` throws,
   * as scipy's `chi2_contingency` does; `true` leaves the category out of the test (its `expected` entries are 0 and
   * it adds nothing to `dof`), which is what a drift check over a fixed category list usually wants.
   * @defaultValue false
   */
  dropEmpty?: boolean;
}

/** The result of {@link chiSquareTest}. */
export interface ChiSquareResult {
  /** Pearson's chi-square statistic over the 2×k table (after Yates' correction when it applies). */
  statistic: number;
  /** The upper-tail p-value of the statistic under chi-square with `dof` degrees of freedom. */
  pValue: number;
  /** Degrees of freedom: the number of categories tested minus one. */
  dof: number;
  /** The expected counts, `[referenceRow, currentRow]`, one column per input category. */
  expected: number[][];
}

const optionsSchema = z.strictObject({
  correction: z.boolean().default(true),
  dropEmpty: z.boolean().default(false),
});

function checkCounts(counts: Float64Array, name: string): void {
  for (let i = 0; i < counts.length; i++) {
    if ((counts[i] as number) < 0) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `${name} must contain only counts >= 0, but ${name}[${i}] is ${counts[i]}`,
        { details: { name, index: i } },
      );
    }
  }
}

/**
 * Chi-square test of homogeneity of two count vectors over the same categories, as `scipy.stats.chi2_contingency`
 * (scipy 1.10) on the 2×k contingency table `[reference, current]`. Expected counts are `rowTotal · columnTotal /
 * total`; the statistic is Pearson's `Σ (observed − expected)² / expected`; `dof = k − 1`. Yates' correction applies
 * only when `dof == 1` and `correction` is on. Counts may be fractional (weights), as in scipy.
 *
 * Degenerate cases, as scipy: a single category (`dof == 0`) gives statistic 0 and p-value 1. A category with zero
 * count in both samples has a zero expected frequency: it throws (naming the category) unless `dropEmpty` is set.
 *
 * @param reference - counts per category of the reference sample.
 * @param current - counts per category of the current sample, in the same category order.
 * @throws MlcycleError `INVALID_ARGUMENT` when the arrays differ in length, hold a negative or non-finite count, a
 *   category is empty in both (without `dropEmpty`), or a sample's counts are all zero; `INSUFFICIENT_DATA` when
 *   there are no categories.
 * @example
 * ```ts
 * chiSquareTest([120, 90, 40], [100, 110, 60]);
 * // statistic 7.05939393939394, pValue ≈ 0.0293137974902087, dof 2,
 * // expected [[105.769…, 96.153…, 48.076…], [114.230…, 103.846…, 51.923…]]
 * ```
 */
export function chiSquareTest(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  options: ChiSquareOptions = {},
): ChiSquareResult {
  const ref = toFiniteArray(reference, 'reference');
  const cur = toFiniteArray(current, 'current');
  assertSameLength(ref, cur, 'reference', 'current');
  const { correction, dropEmpty } = parseOptions(optionsSchema, options, 'chiSquareTest options');
  checkCounts(ref, 'reference');
  checkCounts(cur, 'current');

  const k = ref.length;
  const keep: number[] = [];
  for (let j = 0; j < k; j++) {
    if ((ref[j] as number) + (cur[j] as number) > 0) keep.push(j);
    else if (!dropEmpty) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `category ${j} has a count of 0 in both reference and current, so its expected frequency is 0; ` +
          'remove it or pass { dropEmpty: true }',
        { details: { category: j } },
      );
    }
  }
  const rowRef = sum(ref);
  const rowCur = sum(cur);
  if (rowRef === 0 || rowCur === 0) {
    const name = rowRef === 0 ? 'reference' : 'current';
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `${name} has a total count of 0, so its expected frequencies are 0; pass at least one positive count`,
      { details: { name } },
    );
  }
  const total = rowRef + rowCur;
  const expected = [new Array<number>(k).fill(0), new Array<number>(k).fill(0)];
  const rows = [ref, cur];
  const totals = [rowRef, rowCur];
  for (const j of keep) {
    const column = (ref[j] as number) + (cur[j] as number);
    for (let r = 0; r < 2; r++) (expected[r] as number[])[j] = ((totals[r] as number) * column) / total;
  }

  const dof = keep.length - 1;
  if (dof === 0) return { statistic: 0, pValue: 1, dof, expected };
  const yates = dof === 1 && correction;
  // Pearson terms in scipy's (row-major) order, summed with compensation.
  const terms = new Float64Array(2 * keep.length);
  let t = 0;
  for (let r = 0; r < 2; r++) {
    const row = rows[r] as Float64Array;
    const expectedRow = expected[r] as number[];
    for (const j of keep) {
      const e = expectedRow[j] as number;
      let o = row[j] as number;
      if (yates) {
        const diff = e - o;
        o += Math.sign(diff) * Math.min(0.5, Math.abs(diff));
      }
      terms[t++] = ((o - e) * (o - e)) / e;
    }
  }
  const statistic = sum(terms);
  return { statistic, pValue: chiSquareSf(statistic, dof), dof, expected };
}

/** Options of {@link chiSquareGoodnessOfFit}. */
export interface ChiSquareGoodnessOfFitOptions {
  /**
   * Delta degrees of freedom: the p-value uses `k − 1 − ddof` degrees of freedom (`k` categories), e.g. one per
   * parameter estimated from the data to form `expected`. A non-negative integer leaving at least 1.
   * @defaultValue 0
   */
  ddof?: number;
}

/** The result of {@link chiSquareGoodnessOfFit}. */
export interface ChiSquareGoodnessOfFitResult {
  /** Pearson's statistic `Σ (observed − expected)² / expected`. */
  statistic: number;
  /** The upper-tail p-value of the statistic under chi-square with `dof` degrees of freedom. */
  pValue: number;
  /** Degrees of freedom: `k − 1 − ddof`. */
  dof: number;
}

const goodnessOfFitSchema = z.strictObject({ ddof: z.number().int().min(0).default(0) });

/** scipy's relative tolerance between the observed and expected totals. */
const TOTAL_RTOL = 1e-8;

/**
 * Pearson's chi-square goodness-of-fit test of observed counts against expected counts over the same categories, as
 * `scipy.stats.chisquare(observed, expected, ddof)` (scipy 1.10): the statistic is `Σ (o − e)² / e`, the p-value
 * the chi-square upper tail with `k − 1 − ddof` degrees of freedom. Counts may be fractional (weights).
 *
 * Conventions: the two totals must agree to a relative tolerance of 1e-8 (scipy raises otherwise), so scale
 * `expected` to the observed total first. A category with expected 0 but observed > 0 makes the statistic
 * Infinity and the p-value 0 (the observation is impossible under the expectation). A category that is 0 in both
 * contributes 0 to the statistic — scipy gives NaN there — and still counts as a category in `dof`.
 *
 * @param observed - observed counts per category, >= 0, at least two categories, not all 0.
 * @param expected - expected counts per category, in the same order, >= 0, with the same total.
 * @throws MlcycleError `INVALID_ARGUMENT` when the arrays differ in length, hold a negative or non-finite count, the
 *   totals differ, observed is all 0, or `ddof` is not an integer in [0, k − 2]; `INSUFFICIENT_DATA` for fewer than
 *   two categories.
 * @example
 * ```ts
 * chiSquareGoodnessOfFit([16, 18, 16, 14, 12, 12], [16, 16, 16, 16, 16, 8]);
 * // { statistic: 3.5, pValue: 0.6233876277495822, dof: 5 }
 * ```
 */
export function chiSquareGoodnessOfFit(
  observed: ArrayLike<number>,
  expected: ArrayLike<number>,
  options: ChiSquareGoodnessOfFitOptions = {},
): ChiSquareGoodnessOfFitResult {
  const obs = toFiniteArray(observed, 'observed', 2);
  const exp = toFiniteArray(expected, 'expected', 2);
  assertSameLength(obs, exp, 'observed', 'expected');
  const { ddof } = parseOptions(goodnessOfFitSchema, options, 'chiSquareGoodnessOfFit options');
  checkCounts(obs, 'observed');
  checkCounts(exp, 'expected');
  const k = obs.length;
  const dof = k - 1 - ddof;
  if (dof < 1) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `ddof must leave at least 1 degree of freedom, but ddof ${ddof} with ${k} categories leaves ${dof}; ` +
        `pass ddof <= ${k - 2}`,
      { details: { ddof, categories: k } },
    );
  }
  const observedTotal = sum(obs);
  const expectedTotal = sum(exp);
  if (observedTotal === 0) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      'observed has a total count of 0; pass at least one positive count',
    );
  }
  if (Math.abs(observedTotal - expectedTotal) > TOTAL_RTOL * Math.min(observedTotal, expectedTotal)) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `observed and expected must have the same total to a relative tolerance of 1e-8, but observed sums to ` +
        `${formatNumber(observedTotal)} and expected to ${formatNumber(expectedTotal)}; scale expected to the ` +
        'observed total',
      { details: { observedTotal, expectedTotal } },
    );
  }
  const terms = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const o = obs[j] as number;
    const e = exp[j] as number;
    if (e === 0) {
      if (o > 0) return { statistic: Number.POSITIVE_INFINITY, pValue: 0, dof };
      continue; // empty in both: no evidence either way
    }
    terms[j] = ((o - e) * (o - e)) / e;
  }
  const statistic = sum(terms);
  return { statistic, pValue: chiSquareSf(statistic, dof), dof };
}
