import { z } from 'zod';
import { roundHalfEven, toFiniteArray } from '../core/numeric.js';
import { parseOptions } from '../core/options.js';
import { radixSort } from '../core/sort.js';
import { kstwoSf } from './kolmogorov.js';

/** The alternative hypothesis of a two-sample test. */
export type Alternative = 'two-sided' | 'less' | 'greater';

/** Options of {@link ks2Sample}. */
export interface Ks2SampleOptions {
  /**
   * How the p-value is computed: `'exact'` counts lattice paths, `'asymp'` uses the Kolmogorov distribution
   * (two-sided) or Hodges' approximation (one-sided), `'auto'` is exact when the larger sample has at most 10,000
   * values.
   * @defaultValue 'auto'
   */
  method?: 'auto' | 'exact' | 'asymp';
  /**
   * `'two-sided'`: the distributions differ; `'less'`: the CDF of `a` lies below that of `b` somewhere (statistic
   * `max(F_b − F_a)`); `'greater'`: the CDF of `a` lies above that of `b` somewhere (statistic `max(F_a − F_b)`).
   * @defaultValue 'two-sided'
   */
  alternative?: Alternative;
}

/** The result of {@link ks2Sample}. */
export interface Ks2SampleResult {
  /** The KS statistic: the largest (signed, for one-sided tests) distance between the two empirical CDFs. */
  statistic: number;
  /** The p-value, clipped to [0, 1]. */
  pValue: number;
  /** The method that produced the p-value (`'asymp'` when an exact computation was impossible). */
  method: 'exact' | 'asymp';
  /** The data value at which the statistic is attained. */
  statisticLocation: number;
  /** +1 when the statistic is `F_a − F_b`, −1 when it is `F_b − F_a`. */
  statisticSign: 1 | -1;
}

const optionsSchema = z.strictObject({
  method: z.enum(['auto', 'exact', 'asymp']).default('auto'),
  alternative: z.enum(['two-sided', 'less', 'greater']).default('two-sided'),
});

/** Larger samples than this get the asymptotic p-value under `method: 'auto'` (scipy's MAX_AUTO_N). */
const MAX_AUTO_N = 10_000;
const INT32_MAX = 2_147_483_647;

function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/**
 * Two-sided p for equal sizes: P(D_{n,n} >= h/n) from the alternating binomial series, evaluated Horner-style as
 * ratios to binom(2n, n) to avoid cancellation (Hodges 1958).
 */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let term = 1;
    for (let j = 0; j < h; j++) term = ((n - k * h - j) * term) / (n + k * h + j + 1);
    p = term * (1 - p);
  }
  return 2 * p;
}

/**
 * Two-sided p for unequal sizes: the share of lattice paths from (0,0) to (m,n) that leave the band
 * |x/m − y/n| < h/lcm, computed column by column as a probability (Viehmann 2021, arXiv:2102.08037).
 */
function probOutsideBand(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const a = new Float64Array(lenA).fill(1);
  a.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = ((a[jj + minj - lastminj] as number) * i + val * j) / (i + j);
      a[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) a.fill(1, curlen, Math.min(curlen + (lastlen - curlen), lenA));
  }
  return a[maxj - minj - 1] as number;
}

/** binom(n, k) in floating point by the multiplicative formula, rescaled to avoid intermediate overflow. */
function binom(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  const kk = Math.min(k, n - k);
  let num = 1;
  let den = 1;
  for (let i = 1; i <= kk; i++) {
    num *= n - kk + i;
    den *= i;
    if (num > 1e50) {
      num /= den;
      den = 1;
    }
  }
  return num / den;
}

/**
 * One-sided count for unequal sizes: the number of lattice paths from (0,0) to (m,n) that reach the line
 * m·y <= n·x − h·g (Hodges 1958, first-passage decomposition).
 */
function countPathsOutside(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  const lxj = n + Math.floor((mg - h) / mg);
  if (lxj <= 0) return binom(m + n, n);
  const xj = new Float64Array(lxj);
  for (let j = 0; j < lxj; j++) xj[j] = Math.floor((h + mg * j + ng - 1) / ng);
  const b = new Float64Array(lxj);
  b[0] = 1;
  for (let j = 1; j < lxj; j++) {
    const xjj = xj[j] as number;
    let bj = binom(xjj + j, j);
    for (let i = 0; i < j; i++) bj -= binom(xjj - (xj[i] as number) + j - i, j - i) * (b[i] as number);
    b[j] = bj;
  }
  let paths = 0;
  for (let j = 0; j < lxj; j++) paths += (b[j] as number) * binom(m - (xj[j] as number) + (n - j), n - j);
  return paths;
}

/** The exact p-value, or NaN when it cannot be computed in floating point (the caller then falls back). */
function exactPValue(n1: number, n2: number, g: number, h: number, alternative: Alternative): number {
  if (h === 0) return 1;
  let p: number;
  if (alternative === 'two-sided') {
    p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
  } else if (n1 === n2) {
    p = 1;
    for (let j = 0; j < h; j++) p *= (n1 - j) / (n1 + j + 1);
  } else {
    const total = binom(n1 + n2, n1);
    if (!Number.isFinite(total)) return Number.NaN;
    const paths = countPathsOutside(n1, n2, g, h);
    if (!(paths <= total)) return Number.NaN;
    p = paths / total;
  }
  return p >= 0 && p <= 1 ? p : Number.NaN;
}

function asymptoticPValue(n1: number, n2: number, d: number, alternative: Alternative): number {
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  if (alternative === 'two-sided') {
    // n1 = n2 = 1 rounds the effective size to 0, where the distribution is undefined (scipy returns NaN).
    const effective = roundHalfEven(en);
    return effective < 1 ? Number.NaN : kstwoSf(d, effective);
  }
  // Hodges (1958) eq. 5.3; m must be the larger size.
  const z = Math.sqrt(en) * d;
  return Math.exp(-2 * (z * z) - (2 * z * (m + 2 * n)) / Math.sqrt(m * n * (m + n)) / 3);
}

/**
 * Two-sample Kolmogorov–Smirnov test, as `scipy.stats.ks_2samp` (scipy 1.10): the statistic is the largest
 * distance between the right-continuous empirical CDFs of `a` and `b` (ties handled by counting every value
 * `<= x`). The exact p-value counts lattice paths (Hodges 1958; Viehmann 2021 for the two-sided unequal-size case);
 * with `method: 'auto'` it is used when `max(n1, n2) <= 10,000`. When the exact computation would overflow (or, for
 * an explicit `'exact'`, when `lcm(n1, n2)` exceeds the int32 range) the asymptotic p-value is returned instead and
 * `method` says so. In exact mode the statistic is reported as `round(D·lcm)/lcm`, as scipy does. The asymptotic
 * two-sided p-value is `kstwo.sf(D, round(n1·n2/(n1+n2)))`, the one-sided one Hodges' approximation (eq. 5.3).
 * Runs in O(n log n): both samples are sorted once and merged.
 *
 * Degenerate cases: identical samples (including constant ones) give statistic 0 and p-value 1.
 *
 * @param a - the first sample (at least one finite value).
 * @param b - the second sample (at least one finite value).
 * @throws MlcycleError `INSUFFICIENT_DATA` when a sample is empty, `INVALID_ARGUMENT` when a value is not finite or
 *   an option is invalid.
 * @example
 * ```ts
 * const { statistic, pValue } = ks2Sample([0.1, 0.4, 0.7, 0.9], [0.5, 0.8, 1.2, 1.5, 1.9]);
 * // statistic 0.6, pValue 0.2857142857142857, method 'exact', statisticLocation 0.9, statisticSign 1
 * ```
 */
export function ks2Sample(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: Ks2SampleOptions = {},
): Ks2SampleResult {
  const x = toFiniteArray(a, 'a');
  const y = toFiniteArray(b, 'b');
  const parsed = parseOptions(optionsSchema, options, 'ks2Sample options');
  return ks2SampleSorted(radixSort(x), radixSort(y), parsed);
}

/**
 * {@link ks2Sample} on samples that are already sorted ascending: the same result, without the copy, the checks and
 * the sort, in one O(n1 + n2) merge plus the p-value.
 *
 * @internal shared with the drift module; not part of the public surface.
 * @param x - the first sample, ascending, finite, at least one value (not checked).
 * @param y - the second sample, ascending, finite, at least one value (not checked).
 * @param options - as {@link ks2Sample}'s, not validated.
 */
export function ks2SampleSorted(
  x: Float64Array,
  y: Float64Array,
  options: Ks2SampleOptions = {},
): Ks2SampleResult {
  const method = options.method ?? 'auto';
  const alternative = options.alternative ?? 'two-sided';
  const n1 = x.length;
  const n2 = y.length;

  // Walk the pooled distinct values; the ECDF difference F_a(v) − F_b(v) is compared separately over values of `a`
  // and of `b`, because scipy reports the first attaining value in the concatenation [sorted a, sorted b].
  let maxA = Number.NEGATIVE_INFINITY;
  let maxB = Number.NEGATIVE_INFINITY;
  let minA = Number.POSITIVE_INFINITY;
  let minB = Number.POSITIVE_INFINITY;
  let locMaxA = 0;
  let locMaxB = 0;
  let locMinA = 0;
  let locMinB = 0;
  let i = 0;
  let j = 0;
  while (i < n1 || j < n2) {
    let v: number;
    let inA = false;
    let inB = false;
    if (j >= n2) {
      v = x[i] as number;
      inA = true;
    } else if (i >= n1) {
      v = y[j] as number;
      inB = true;
    } else {
      const xi = x[i] as number;
      const yj = y[j] as number;
      v = Math.min(xi, yj);
      inA = xi === v;
      inB = yj === v;
    }
    if (inA) {
      do i++;
      while (i < n1 && x[i] === v);
    }
    if (inB) {
      do j++;
      while (j < n2 && y[j] === v);
    }
    const diff = i / n1 - j / n2;
    if (inA) {
      if (diff > maxA) {
        maxA = diff;
        locMaxA = v;
      }
      if (diff < minA) {
        minA = diff;
        locMinA = v;
      }
    }
    if (inB) {
      if (diff > maxB) {
        maxB = diff;
        locMaxB = v;
      }
      if (diff < minB) {
        minB = diff;
        locMinB = v;
      }
    }
  }
  const maxS = Math.max(maxA, maxB);
  const locMax = maxA >= maxB ? locMaxA : locMaxB;
  const minDiff = Math.min(minA, minB);
  const locMin = minA <= minB ? locMinA : locMinB;
  const minS = Math.min(Math.max(-minDiff, 0), 1);

  let d: number;
  let statisticLocation: number;
  let statisticSign: 1 | -1;
  if (alternative === 'less' || (alternative === 'two-sided' && minS > maxS)) {
    d = minS;
    statisticLocation = locMin;
    statisticSign = -1;
  } else {
    d = maxS;
    statisticLocation = locMax;
    statisticSign = 1;
  }

  const g = gcd(n1, n2);
  const n1g = n1 / g;
  const n2g = n2 / g;
  let mode: 'exact' | 'asymp';
  if (method === 'auto') mode = Math.max(n1, n2) <= MAX_AUTO_N ? 'exact' : 'asymp';
  else if (method === 'exact') mode = n1g >= INT32_MAX / n2g ? 'asymp' : 'exact';
  else mode = 'asymp';

  let p = Number.NaN;
  if (mode === 'exact') {
    const lcm = n1g * n2;
    const h = roundHalfEven(d * lcm);
    d = h / lcm;
    p = exactPValue(n1, n2, g, h, alternative);
    if (Number.isNaN(p)) mode = 'asymp';
  }
  if (mode === 'asymp') p = asymptoticPValue(n1, n2, d, alternative);
  return {
    statistic: d,
    pValue: Math.min(Math.max(p, 0), 1),
    method: mode,
    statisticLocation,
    statisticSign,
  };
}
