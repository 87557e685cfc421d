import { z } from 'zod';
import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { toFiniteArray } from '../core/numeric.js';
import { parseOptions } from '../core/options.js';
import { radixSort } from '../core/sort.js';

/** Options of {@link andersonKSample}. */
export interface AndersonKSampleOptions {
  /**
   * `true`: the midrank version of the statistic (Scholz and Stephens 1987, eq. 7), for continuous and discrete
   * data; `false`: the right-continuous empirical CDF version (eq. 6).
   * @defaultValue true
   */
  midrank?: boolean;
}

/** The result of {@link andersonKSample}. */
export interface AndersonKSampleResult {
  /** The normalised k-sample Anderson–Darling statistic `(A²kN − (k − 1)) / σ`. */
  statistic: number;
  /** The critical values for significance levels 25%, 10%, 5%, 2.5%, 1%, 0.5% and 0.1%, in that order. */
  criticalValues: number[];
  /**
   * The approximate p-value (scipy's `significance_level`): interpolated between the critical values, and exactly
   * 0.25 below the smallest and 0.001 above the largest (so `pValue >= 0.25` means "0.25 or more").
   */
  pValue: number;
}

const optionsSchema = z.strictObject({ midrank: z.boolean().default(true) });

// Scholz and Stephens (1987), Table 2: critical value = b0 + b1/√m + b2/m for m = k − 1.
const B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
const B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
const B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];
const LEVELS = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001];

/** Adds `term` to a Neumaier-compensated sum held as [sum, compensation]. */
function accumulate(acc: Float64Array, index: number, term: number): void {
  const s = acc[2 * index] as number;
  const t = s + term;
  acc[2 * index + 1] =
    (acc[2 * index + 1] as number) + (Math.abs(s) >= Math.abs(term) ? s - t + term : term - t + s);
  acc[2 * index] = t;
}

/** A²kN (midrank: eq. 7, else eq. 6) by one k-way merge over the pooled distinct values, each sample's terms summed. */
function andersonSum(samples: Float64Array[], total: number, midrank: boolean): number {
  const k = samples.length;
  const position = new Int32Array(k);
  const below = new Int32Array(k); // values of sample i strictly below the current distinct value
  const equal = new Int32Array(k);
  const sums = new Float64Array(2 * k);
  let pooledBelow = 0;
  while (pooledBelow < total) {
    let v = Number.POSITIVE_INFINITY;
    for (let i = 0; i < k; i++) {
      const s = samples[i] as Float64Array;
      const p = position[i] as number;
      if (p < s.length && (s[p] as number) < v) v = s[p] as number;
    }
    let ties = 0;
    for (let i = 0; i < k; i++) {
      const s = samples[i] as Float64Array;
      let p = position[i] as number;
      below[i] = p;
      while (p < s.length && s[p] === v) p++;
      equal[i] = p - (below[i] as number);
      position[i] = p;
      ties += equal[i] as number;
    }
    if (midrank) {
      const b = pooledBelow + ties / 2;
      const denominator = b * (total - b) - (total * ties) / 4;
      for (let i = 0; i < k; i++) {
        const m = (below[i] as number) + (equal[i] as number) / 2;
        const d = total * m - b * (samples[i] as Float64Array).length;
        accumulate(sums, i, ((ties / total) * d * d) / denominator);
      }
    } else if (pooledBelow + ties < total) {
      // Eq. 6 runs over every distinct value but the largest.
      const b = pooledBelow + ties;
      for (let i = 0; i < k; i++) {
        const m = (below[i] as number) + (equal[i] as number);
        const d = total * m - b * (samples[i] as Float64Array).length;
        accumulate(sums, i, ((ties / total) * d * d) / (b * (total - b)));
      }
    }
    pooledBelow += ties;
  }
  let a2 = 0;
  for (let i = 0; i < k; i++) {
    a2 += ((sums[2 * i] as number) + (sums[2 * i + 1] as number)) / (samples[i] as Float64Array).length;
  }
  return midrank ? (a2 * (total - 1)) / total : a2;
}

/** {@link andersonSum} for two samples with scalar state and one division per distinct value: the drift hot path. */
function andersonSumTwo(x: Float64Array, y: Float64Array, total: number, midrank: boolean): number {
  const nx = x.length;
  const ny = y.length;
  let sumX = 0;
  let compX = 0;
  let sumY = 0;
  let compY = 0;
  let i = 0;
  let j = 0;
  while (i < nx || j < ny) {
    const v =
      j >= ny || (i < nx && (x[i] as number) <= (y[j] as number)) ? (x[i] as number) : (y[j] as number);
    const i0 = i;
    const j0 = j;
    while (i < nx && x[i] === v) i++;
    while (j < ny && y[j] === v) j++;
    const ties = i - i0 + (j - j0);
    let termX: number;
    let termY: number;
    if (midrank) {
      const b = i0 + j0 + ties / 2;
      const denominator = b * (total - b) - (total * ties) / 4;
      const dx = total * (i0 + (i - i0) / 2) - b * nx;
      const dy = total * (j0 + (j - j0) / 2) - b * ny;
      const weight = ties / total / denominator;
      termX = weight * dx * dx;
      termY = weight * dy * dy;
    } else {
      if (i + j === total) break; // eq. 6 leaves out the largest distinct value
      const b = i + j;
      const dx = total * i - b * nx;
      const dy = total * j - b * ny;
      const weight = ties / total / (b * (total - b));
      termX = weight * dx * dx;
      termY = weight * dy * dy;
    }
    let t = sumX + termX;
    compX += Math.abs(sumX) >= Math.abs(termX) ? sumX - t + termX : termX - t + sumX;
    sumX = t;
    t = sumY + termY;
    compY += Math.abs(sumY) >= Math.abs(termY) ? sumY - t + termY : termY - t + sumY;
    sumY = t;
  }
  const a2 = (sumX + compX) / nx + (sumY + compY) / ny;
  return midrank ? (a2 * (total - 1)) / total : a2;
}

/** The variance of A²kN under the null (Scholz and Stephens 1987, eq. 4), from the harmonic sums h and g. */
function nullVariance(samples: Float64Array[], total: number): number {
  const k = samples.length;
  let inverseSizes = 0;
  for (const s of samples) inverseSizes += 1 / s.length;
  // h = Σ_{i<N} 1/i; g = Σ_{i<N−1} Σ_{i<j<N} 1/((N − i)·j), both by running sums in O(N).
  let tail = 0;
  let g = 0;
  for (let j = 0; j < total - 2; j++) {
    tail += 1 / (total - 1 - j);
    g += tail / (j + 2);
  }
  const h = tail + 1;
  const a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * inverseSizes;
  const b = (2 * g - 4) * k * k + 8 * h * k + (2 * g - 14 * h - 4) * inverseSizes - 8 * h + 4 * g - 6;
  const c = (6 * h + 2 * g - 2) * k * k + (4 * h - 4 * g + 6) * k + (2 * h - 6) * inverseSizes + 4 * h;
  const d = (2 * h + 6) * k * k - 4 * h * k;
  return (a * total ** 3 + b * total ** 2 + c * total + d) / ((total - 1) * (total - 2) * (total - 3));
}

/**
 * exp of the least-squares quadratic in the critical values through ln(level), at `statistic` (scipy's
 * `polyfit(critical, log(sig), 2)`), solved by modified Gram–Schmidt on the column-scaled Vandermonde matrix.
 */
function interpolatePValue(critical: number[], statistic: number): number {
  const rows = critical.length;
  const columns = [critical.map((c) => c * c), critical.slice(), critical.map(() => 1)];
  const scales = columns.map((col) => Math.sqrt(col.reduce((s, v) => s + v * v, 0)));
  const q = columns.map((col, j) => col.map((v) => v / (scales[j] as number)));
  let rhs = LEVELS.map(Math.log);
  const r = [new Float64Array(3), new Float64Array(3), new Float64Array(3)];
  const qty = new Float64Array(3);
  for (let j = 0; j < 3; j++) {
    const qj = q[j] as number[];
    for (let p = 0; p < j; p++) {
      const qp = q[p] as number[];
      let dot = 0;
      for (let t = 0; t < rows; t++) dot += (qp[t] as number) * (qj[t] as number);
      (r[p] as Float64Array)[j] = dot;
      for (let t = 0; t < rows; t++) qj[t] = (qj[t] as number) - dot * (qp[t] as number);
    }
    const norm = Math.sqrt(qj.reduce((s, v) => s + v * v, 0));
    (r[j] as Float64Array)[j] = norm;
    for (let t = 0; t < rows; t++) qj[t] = (qj[t] as number) / norm;
    // Project the right-hand side as one more column, which keeps the solve as stable as the factorisation.
    let dot = 0;
    for (let t = 0; t < rows; t++) dot += (qj[t] as number) * (rhs[t] as number);
    qty[j] = dot;
    rhs = rhs.map((v, t) => v - dot * (qj[t] as number));
  }
  const coef = new Float64Array(3);
  for (let j = 2; j >= 0; j--) {
    let s = qty[j] as number;
    for (let p = j + 1; p < 3; p++) s -= ((r[j] as Float64Array)[p] as number) * (coef[p] as number);
    coef[j] = s / ((r[j] as Float64Array)[j] as number);
  }
  const c0 = (coef[0] as number) / (scales[0] as number);
  const c1 = (coef[1] as number) / (scales[1] as number);
  const c2 = (coef[2] as number) / (scales[2] as number);
  return Math.exp((c0 * statistic + c1) * statistic + c2);
}

/** The test on sorted samples; every public and internal entry point ends here. */
function andersonSorted(samples: Float64Array[], midrank: boolean): AndersonKSampleResult {
  const k = samples.length;
  let total = 0;
  let smallest = Number.POSITIVE_INFINITY;
  let largest = Number.NEGATIVE_INFINITY;
  for (const s of samples) {
    total += s.length;
    smallest = Math.min(smallest, s[0] as number);
    largest = Math.max(largest, s[s.length - 1] as number);
  }
  if (total < 4) {
    throw new MlcycleError(
      'INSUFFICIENT_DATA',
      `andersonKSample needs at least 4 values over all samples (its variance divides by (N − 1)(N − 2)(N − 3)), received ${total}`,
      { details: { total } },
    );
  }
  if (smallest === largest) {
    throw new MlcycleError(
      'INSUFFICIENT_DATA',
      `andersonKSample needs at least two distinct values, but every value is ${formatNumber(smallest)}; ` +
        'pass samples that are not all identical',
    );
  }
  const m = k - 1;
  const a2 =
    k === 2
      ? andersonSumTwo(samples[0] as Float64Array, samples[1] as Float64Array, total, midrank)
      : andersonSum(samples, total, midrank);
  const statistic = (a2 - m) / Math.sqrt(nullVariance(samples, total));
  const criticalValues = B0.map((b0, i) => b0 + (B1[i] as number) / Math.sqrt(m) + (B2[i] as number) / m);
  let pValue: number;
  if (statistic < Math.min(...criticalValues)) pValue = 0.25;
  else if (statistic > Math.max(...criticalValues)) pValue = 0.001;
  else pValue = interpolatePValue(criticalValues, statistic);
  return { statistic, criticalValues, pValue };
}

/**
 * The k-sample Anderson–Darling test, as `scipy.stats.anderson_ksamp` (scipy 1.10), of the hypothesis that all
 * samples come from one (unspecified) distribution (Scholz and Stephens 1987). The statistic is A²kN from the
 * midrank empirical CDF (eq. 7, default; valid with ties) or the right-continuous one (eq. 6), normalised as
 * `(A²kN − (k − 1))/σ` with σ² its null variance (eq. 4). The critical values are those of Table 2 for k − 1; the
 * p-value is scipy's `significance_level`: exp of a quadratic fitted to ln(level) over the critical values, and
 * capped at 0.25 below the smallest / floored at 0.001 above the largest critical value (scipy warns there; here
 * the cap is silent, so read `pValue === 0.25` as "at least 0.25" and `0.001` as "at most 0.001").
 * Cost: each sample is sorted once, then one merge over the pooled distinct values — O(N log N + k·D).
 *
 * @param samples - two or more samples, each with at least one finite value; at least 4 values in all.
 * @throws MlcycleError `INSUFFICIENT_DATA` for fewer than two samples, an empty sample, fewer than 4 values in all
 *   (scipy returns NaN there) or no two distinct values (scipy raises); `INVALID_ARGUMENT` for a non-finite value or
 *   an invalid option.
 * @example
 * ```ts
 * andersonKSample([[0.1, 0.4, 0.7, 0.9, 1.1], [0.5, 0.8, 1.2, 1.5, 1.9, 2.2]]);
 * // { statistic: 1.641591801496012, criticalValues: [0.325, 1.226, 1.961, 2.718, 3.752, 4.592, 6.546],
 * //   pValue: 0.06830132679635023 }
 * ```
 */
export function andersonKSample(
  samples: ArrayLike<number>[],
  options: AndersonKSampleOptions = {},
): AndersonKSampleResult {
  if (!Array.isArray(samples)) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `samples must be an array of samples, received ${typeof samples}`,
    );
  }
  if (samples.length < 2) {
    throw new MlcycleError(
      'INSUFFICIENT_DATA',
      `andersonKSample needs at least 2 samples to compare, received ${samples.length}`,
      { details: { samples: samples.length } },
    );
  }
  const sorted = samples.map((s, i) => toFiniteArray(s, `samples[${i}]`));
  const { midrank } = parseOptions(optionsSchema, options, 'andersonKSample options');
  return andersonSorted(
    sorted.map((s) => radixSort(s)),
    midrank,
  );
}

/**
 * {@link andersonKSample} of two samples that are already sorted ascending: the same result, without the copies,
 * the checks and the sorts, in one O(n + m) merge plus the O(n + m) null variance.
 *
 * @internal shared with the drift module; not part of the public surface.
 * @param a - the first sample, ascending, finite, at least one value (not checked).
 * @param b - the second sample, ascending, finite, at least one value (not checked).
 * @param midrank - as {@link AndersonKSampleOptions.midrank}. @defaultValue true
 * @throws MlcycleError `INSUFFICIENT_DATA` when there are fewer than 4 values or no two distinct ones.
 */
export function andersonTwoSorted(a: Float64Array, b: Float64Array, midrank = true): AndersonKSampleResult {
  return andersonSorted([a, b], midrank);
}
