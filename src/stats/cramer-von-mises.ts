import { z } from 'zod';
import { toFiniteArray } from '../core/numeric.js';
import { parseOptions } from '../core/options.js';
import { radixSort } from '../core/sort.js';

/** How {@link cramerVonMises2Sample} computes its p-value. */
export type CramerVonMisesMethod = 'auto' | 'exact' | 'asymptotic';

/** Options of {@link cramerVonMises2Sample}. */
export interface CramerVonMisesOptions {
  /**
   * `'exact'` enumerates the null distribution of the statistic (Xiao, Gordon and Yakovlev 2006; its cost grows
   * quickly with the sizes, meant for small samples), `'asymptotic'` uses the limiting distribution of the
   * normalised statistic, `'auto'` is exact when both samples have at most 20 values, as scipy.
   * @defaultValue 'auto'
   */
  method?: CramerVonMisesMethod;
}

/** The result of {@link cramerVonMises2Sample}. */
export interface CramerVonMisesResult {
  /** The statistic T of Anderson (1962), eq. 9, from midranks of the pooled sample. */
  statistic: number;
  /** The p-value. */
  pValue: number;
}

const optionsSchema = z.strictObject({
  method: z.enum(['auto', 'exact', 'asymptotic']).default('auto'),
});

/** Samples larger than this get the asymptotic p-value under `method: 'auto'` (scipy 1.10). */
const MAX_EXACT_N = 20;

/** Γ(3/4) and Γ(5/4), for Temme's series of K_{1/4}. */
const GAMMA_3_4 = 1.2254167024651776;
const GAMMA_5_4 = 0.9064024770554771;
const MU = 0.25;

/**
 * e^{−x}·K_{1/4}(x), the modified Bessel function of the second kind times e^{−x}, to about machine precision:
 * Temme's series for x < 2 and Steed's continued fraction CF2 above (Numerical Recipes §6.7, `bessik`).
 */
function besselK14Scaled(x: number): number {
  const eps = 1e-16;
  if (x < 2) {
    const half = 0.5 * x;
    const piMu = Math.PI * MU;
    const d = -Math.log(half);
    const sigma = MU * d;
    const fact = piMu / Math.sin(piMu);
    const fact2 = sigma === 0 ? 1 : Math.sinh(sigma) / sigma;
    const gam1 = (1 / GAMMA_3_4 - 1 / GAMMA_5_4) / (2 * MU);
    const gam2 = (1 / GAMMA_3_4 + 1 / GAMMA_5_4) / 2;
    let f = fact * (gam1 * Math.cosh(sigma) + gam2 * fact2 * d);
    let sum = f;
    const e = Math.exp(sigma);
    let p = 0.5 * e * GAMMA_5_4;
    let q = (0.5 / e) * GAMMA_3_4;
    let c = 1;
    const dd = half * half;
    for (let i = 1; i < 500; i++) {
      f = (i * f + p + q) / (i * i - MU * MU);
      c *= dd / i;
      p /= i - MU;
      q /= i + MU;
      const term = c * f;
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * eps) break;
    }
    return sum * Math.exp(-x);
  }
  let b = 2 * (1 + x);
  let d = 1 / b;
  let delh = d;
  let q1 = 0;
  let q2 = 1;
  const a1 = 0.25 - MU * MU;
  let q = a1;
  let c = a1;
  let a = -a1;
  let s = 1 + q * delh;
  for (let i = 1; i < 10_000; i++) {
    a -= 2 * i;
    c = (-a * c) / (i + 1);
    const qNew = (q1 - b * q2) / a;
    q1 = q2;
    q2 = qNew;
    q += c * qNew;
    b += 2;
    d = 1 / (b + a * d);
    delh = (b * d - 1) * delh;
    const dels = q * delh;
    s += dels;
    if (Math.abs(dels / s) < eps) break;
  }
  return (Math.sqrt(Math.PI / (2 * x)) * Math.exp(-2 * x)) / s;
}

/**
 * The limiting cdf of the one-sample Cramér–von Mises statistic (Csörgő and Faraway 1996, eq. 1.2, second line of
 * 1.3), summed until a term falls below 1e-7 — scipy's `_cdf_cvm_inf`, whose truncation we keep to agree with it.
 */
function cvmLimitCdf(x: number): number {
  let total = 0;
  let gammaRatio = Math.sqrt(Math.PI); // Γ(k + 1/2)/Γ(k + 1)
  const scale = Math.PI ** 1.5 * Math.sqrt(x);
  for (let k = 0; ; k++) {
    if (k > 0) gammaRatio *= (k - 0.5) / k;
    const y = 4 * k + 1;
    const q = (y * y) / (16 * x);
    const term = (gammaRatio / scale) * Math.sqrt(y) * besselK14Scaled(q);
    total += term;
    if (!(Math.abs(term) >= 1e-7)) return total;
  }
}

/** Python's float floor division `a // b` (numpy's `floor_divide`), which the exact threshold is defined by. */
function floorDivide(a: number, b: number): number {
  let mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && b < 0 !== mod < 0) {
    mod += b;
    div -= 1;
  }
  if (div === 0) return 0;
  const floor = Math.floor(div);
  return div - floor > 0.5 ? floor + 1 : floor;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** binom(n, k), exact below 2^53: every intermediate is itself a binomial coefficient. */
function binom(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/** A discrete distribution as ascending distinct values with their counts. */
interface Frequencies {
  values: Float64Array;
  counts: Float64Array;
}

const EMPTY: Frequencies = { values: new Float64Array(0), counts: new Float64Array(0) };

/** The union of two frequency tables (counts of equal values added), every value shifted by `shift`. */
function mergeShifted(x: Frequencies, y: Frequencies, shift: number): Frequencies {
  const values = new Float64Array(x.values.length + y.values.length);
  const counts = new Float64Array(values.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < x.values.length || j < y.values.length) {
    const vx = i < x.values.length ? (x.values[i] as number) : Number.POSITIVE_INFINITY;
    const vy = j < y.values.length ? (y.values[j] as number) : Number.POSITIVE_INFINITY;
    const v = Math.min(vx, vy);
    let count = 0;
    if (vx === v) count += x.counts[i++] as number;
    if (vy === v) count += y.counts[j++] as number;
    values[k] = v + shift;
    counts[k++] = count;
  }
  return { values: values.subarray(0, k), counts: counts.subarray(0, k) };
}

/**
 * P(U >= u) under the null for sample sizes m and n: the frequencies of Σ (a·v − b·u)² over the lattice paths from
 * (0, 0) to (n, m), built point by point (Xiao, Gordon and Yakovlev 2006, Algorithm 1), compared against the
 * threshold ζ from Anderson (1962), eq. 9, as scipy computes it.
 */
function exactPValue(u: number, m: number, n: number): number {
  const lcm = (m / gcd(m, n)) * n;
  const a = lcm / m;
  const b = lcm / n;
  const mn = m * n;
  const zeta = floorDivide(lcm * lcm * (m + n) * (6 * u - mn * (4 * mn - 1)), 6 * mn * mn);
  // row[v] holds the table of lattice point (current u, v); the virtual row before u = 0 starts every path at 0.
  let row: Frequencies[] = [{ values: new Float64Array([0]), counts: new Float64Array([1]) }];
  for (let v = 1; v <= m; v++) row.push(EMPTY);
  for (let i = 0; i <= n; i++) {
    const next: Frequencies[] = [];
    let left = EMPTY;
    for (let v = 0; v <= m; v++) {
      const step = a * v - b * i;
      left = mergeShifted(left, row[v] as Frequencies, step * step);
      next.push(left);
    }
    row = next;
  }
  const last = row[m] as Frequencies;
  let above = 0;
  for (let k = 0; k < last.values.length; k++)
    if ((last.values[k] as number) >= zeta) above += last.counts[k] as number;
  return above / binom(m + n, m);
}

/**
 * Two-sample Cramér–von Mises test, as `scipy.stats.cramervonmises_2samp` (scipy 1.10): the statistic is Anderson's
 * (1962) T = U/(mn(m + n)) − (4mn − 1)/(6(m + n)) with U = m·Σ(r_i − i)² + n·Σ(s_j − j)², where r and s are the
 * midranks of the sorted samples in the pooled data (ties share their mean rank). The exact p-value counts lattice
 * paths (Xiao, Gordon and Yakovlev 2006); it treats U as if there were no ties, which makes it conservative for
 * discrete data. The asymptotic p-value normalises T by its mean and variance (Anderson 1962, eqs. 11, 14, 15) and
 * takes 1 − cdf of the limiting one-sample distribution (Csörgő and Faraway 1996), that series truncated as scipy
 * does; below a normalised 0.003 the p-value is 1. `'auto'` is exact when both samples have at most 20 values.
 *
 * @param a - the first sample, at least two finite values.
 * @param b - the second sample, at least two finite values.
 * @throws MlcycleError `INSUFFICIENT_DATA` when a sample has fewer than two values, `INVALID_ARGUMENT` when a value
 *   is not finite or an option is invalid.
 * @example
 * ```ts
 * cramerVonMises2Sample([0.1, 0.4, 0.7, 0.9, 1.1], [0.5, 0.8, 1.2, 1.5, 1.9, 2.2]);
 * // { statistic: 0.38787878787878793, pValue: 0.08225108225108226 } (exact)
 * ```
 */
export function cramerVonMises2Sample(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: CramerVonMisesOptions = {},
): CramerVonMisesResult {
  const x = toFiniteArray(a, 'a', 2);
  const y = toFiniteArray(b, 'b', 2);
  const { method } = parseOptions(optionsSchema, options, 'cramerVonMises2Sample options');
  return cramerVonMisesSorted(radixSort(x), radixSort(y), method);
}

/**
 * {@link cramerVonMises2Sample} on samples that are already sorted ascending: the same result, without the copy,
 * the checks and the sort. The statistic takes one O(m + n) merge; the asymptotic p-value is O(1).
 *
 * @internal shared with the drift module; not part of the public surface.
 * @param x - the first sample, ascending, finite, at least two values (not checked).
 * @param y - the second sample, ascending, finite, at least two values (not checked).
 * @param method - as {@link CramerVonMisesOptions.method}. @defaultValue 'auto'
 */
export function cramerVonMisesSorted(
  x: Float64Array,
  y: Float64Array,
  method: CramerVonMisesMethod = 'auto',
): CramerVonMisesResult {
  const nx = x.length;
  const ny = y.length;
  // Σ(rank − position)² per sample over the pooled ties groups, with Neumaier compensation: the terms reach N².
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
    const rank = i0 + j0 + (i - i0 + j - j0 + 1) / 2;
    for (let k = i0; k < i; k++) {
      const d = rank - (k + 1);
      const term = d * d;
      const t = sumX + term;
      compX += sumX >= term ? sumX - t + term : term - t + sumX;
      sumX = t;
    }
    for (let k = j0; k < j; k++) {
      const d = rank - (k + 1);
      const term = d * d;
      const t = sumY + term;
      compY += sumY >= term ? sumY - t + term : term - t + sumY;
      sumY = t;
    }
  }
  const u = nx * (sumX + compX) + ny * (sumY + compY);
  const k = nx * ny;
  const n = nx + ny;
  const statistic = u / (k * n) - (4 * k - 1) / (6 * n);
  const exact = method === 'exact' || (method === 'auto' && Math.max(nx, ny) <= MAX_EXACT_N);
  if (exact) return { statistic, pValue: exactPValue(u, nx, ny) };
  const mean = (1 + 1 / n) / 6;
  const variance = ((n + 1) * (4 * k * n - 3 * (nx * nx + ny * ny) - 2 * k)) / (45 * n * n * 4 * k);
  const normalised = 1 / 6 + (statistic - mean) / Math.sqrt(45 * variance);
  // scipy: the limiting cdf is below 1.3e-18 there.
  if (normalised < 0.003) return { statistic, pValue: 1 };
  return { statistic, pValue: Math.max(0, 1 - cvmLimitCdf(normalised)) };
}
