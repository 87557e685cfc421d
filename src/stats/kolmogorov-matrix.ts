/**
 * The exact two-sided Kolmogorov–Smirnov CDF P(D_n <= d) for small d: Durbin's matrix method (Marsaglia, Tsang &
 * Wang 2003) and Pomeranz's recursion, as scipy 1.10.
 *
 * @module
 */
import { clip01 } from './kolmogorov-smirnov-sum.js';

const TWO_128 = 2 ** 128;
const TWO_M128 = 2 ** -128;

// ---------------------------------------------------------------------------------------------------------------
// Exact two-sided CDF for small d: Durbin's matrix (Marsaglia, Tsang & Wang 2003) and Pomeranz's recursion

/** C = A·A for a persymmetric m×m matrix A (row-major); the result is persymmetric, so half of it is computed. */
function squarePersymmetric(a: Float64Array, out: Float64Array, m: number): void {
  out.fill(0);
  for (let i = 0; i < m; i++) {
    const jEnd = m - i; // j <= m − 1 − i
    const rowOut = i * m;
    for (let k = 0; k < m; k++) {
      const aik = a[rowOut + k] as number;
      if (aik === 0) continue;
      const rowK = k * m;
      for (let j = 0; j < jEnd; j++)
        out[rowOut + j] = (out[rowOut + j] as number) + aik * (a[rowK + j] as number);
    }
  }
  for (let i = 0; i < m; i++) {
    for (let j = m - i; j < m; j++) out[i * m + j] = out[(m - 1 - j) * m + (m - 1 - i)] as number;
  }
}

/**
 * P(D_n <= d) by the k-th diagonal entry of (n!/nⁿ)·Hⁿ (Durbin 1968; Marsaglia, Tsang & Wang 2003).
 *
 * @internal used by `kolmogorov.ts`; not part of the public surface.
 */
export function durbinMatrixCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  let H = new Float64Array(m * m);
  const v = new Float64Array(m);
  const w = new Float64Array(m); // w[j] = 1/j!
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  for (let c = 1; c < m; c++) {
    for (let r = c - 1; r < m; r++) H[r * m + c] = w[r - c + 1] as number;
  }
  for (let r = 0; r < m; r++) H[r * m] = v[r] as number;
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c] as number;

  // Row k−1 of Hⁿ, accumulated as a vector; powers of H commute, so the order of the factors is free.
  let row = new Float64Array(m);
  let nextRow = new Float64Array(m);
  row[k - 1] = 1;
  let square = new Float64Array(m * m);
  let expnt = 0;
  let hExpnt = 0;
  let rest = n;
  while (rest > 0) {
    if (rest % 2 === 1) {
      nextRow.fill(0);
      for (let i = 0; i < m; i++) {
        const ri = row[i] as number;
        if (ri === 0) continue;
        const base = i * m;
        for (let j = 0; j < m; j++) nextRow[j] = (nextRow[j] as number) + ri * (H[base + j] as number);
      }
      [row, nextRow] = [nextRow, row];
      expnt += hExpnt;
      let largest = 0;
      for (let j = 0; j < m; j++) largest = Math.max(largest, Math.abs(row[j] as number));
      if (largest > TWO_128) {
        for (let j = 0; j < m; j++) row[j] = (row[j] as number) * TWO_M128;
        expnt += 128;
      }
    }
    rest = Math.floor(rest / 2);
    if (rest === 0) break;
    squarePersymmetric(H, square, m);
    [H, square] = [square, H];
    hExpnt *= 2;
    if (Math.abs(H[(k - 1) * m + (k - 1)] as number) > TWO_128) {
      for (let i = 0; i < m * m; i++) H[i] = (H[i] as number) * TWO_M128;
      hExpnt += 128;
    }
  }
  let p = row[k - 1] as number;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < TWO_M128) {
      p *= TWO_128;
      expnt -= 128;
    }
  }
  if (expnt !== 0) p *= 2 ** expnt;
  return clip01(p);
}

/** Bounds [j1, j2] of the non-zero entries of row i in Pomeranz's recursion. */
function pomeranzBounds(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = half - 1 - ll - roundf - 1;
        j2 = half + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/**
 * P(D_n <= d) by Pomeranz's (1974) recursion: 2n + 1 banded convolutions with Poisson-like weights.
 *
 * @internal used by `kolmogorov.ts`; not part of the public surface.
 */
export function pomeranzCdf(n: number, d: number): number {
  const t = n * d;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const size = 2 * (ll + 1);
  const gPower = new Float64Array(size); // (g/n)^m/m!
  const twoGPower = new Float64Array(size); // (2g/n)^m/m!
  const oneMinusTwoGPower = new Float64Array(size); // ((1−2g)/n)^m/m!
  gPower[0] = 1;
  twoGPower[0] = 1;
  oneMinusTwoGPower[0] = 1;
  const a = g / n;
  const b = (2 * g) / n;
  const c = (1 - 2 * g) / n;
  for (let m = 1; m < size; m++) {
    gPower[m] = ((gPower[m - 1] as number) * a) / m;
    twoGPower[m] = ((twoGPower[m - 1] as number) * b) / m;
    oneMinusTwoGPower[m] = ((oneMinusTwoGPower[m - 1] as number) * c) / m;
  }
  let v0 = new Float64Array(size);
  let v1 = new Float64Array(size);
  v1[0] = 1;
  let v0Start = 0;
  let v1Start = 0;
  let expnt = 0;
  let [j1, j2] = pomeranzBounds(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [v0, v1] = [v1, v0];
    [v0Start, v1Start] = [v1Start, v0Start];
    v1.fill(0);
    [j1, j2] = pomeranzBounds(i, n, ll, ceilf, roundf);
    const powers = i === 1 || i === 2 * n + 1 ? gPower : i % 2 === 1 ? twoGPower : oneMinusTwoGPower;
    const width = j2 - k1 + 1;
    if (width > 0) {
      const offset = k1 - v0Start;
      const available = Math.min(width, size - offset); // length of the slice of v0
      const powersLength = Math.min(width, size);
      const convStart = j1 - k1;
      const convLength = j2 - j1 + 1;
      let largest = 0;
      for (let r = 0; r < convLength; r++) {
        const kk = convStart + r; // index into the full convolution of v0[offset..] and powers
        let s = 0;
        const lo = Math.max(0, kk - powersLength + 1);
        const hi = Math.min(kk, available - 1);
        for (let q = lo; q <= hi; q++) s += (v0[offset + q] as number) * (powers[kk - q] as number);
        v1[r] = s;
        if (s > largest) largest = s;
      }
      if (largest > 0 && largest < TWO_M128) {
        for (let r = 0; r < size; r++) v1[r] = (v1[r] as number) * TWO_128;
        expnt -= 128;
      }
      v1Start = v0Start + j1 - k1;
    }
  }
  let ans = v1[n - v1Start] as number;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > TWO_128) {
      ans *= TWO_M128;
      expnt += 128;
    }
    ans *= m;
  }
  if (expnt !== 0) ans *= 2 ** expnt;
  return clip01(ans);
}
