/**
 * The exact one-sided Smirnov distribution P(D_n^+ >= x) (`scipy.special.smirnov`) for the two-sided
 * Kolmogorov–Smirnov tail: Birnbaum & Tingey's sum term by term, or as an integral by the trapezoidal rule for
 * large n.
 *
 * @module
 */

/**
 * ln 2π.
 *
 * @internal shared with `kolmogorov.ts`; not part of the public surface.
 */
export const LOG_2PI = Math.log(2 * Math.PI);
/** cephes MINLOG: exp() of anything below underflows. */
const MIN_LOG = -745.1332191019412;
const SPLITTER = 134217729; // 2^27 + 1, Dekker's splitting constant
/** scipy computes the one-sided Smirnov sum exactly up to this n and approximates beyond. */
const SMIRNOV_MAX_COMPUTE_N = 1_000_000;
/** From this n on, the Smirnov sum is evaluated as an integral (see {@link smirnovSumByQuadrature}). */
const SMIRNOV_QUADRATURE_MIN_N = 1000;

/**
 * p clipped to [0, 1].
 *
 * @internal shared with `kolmogorov.ts` and `kolmogorov-matrix.ts`; not part of the public surface.
 */
export function clip01(p: number): number {
  return Math.min(Math.max(p, 0), 1);
}

// ---------------------------------------------------------------------------------------------------------------
// One-sided Smirnov distribution P(D_n^+ >= x), needed for 2·smirnov, the two-sided tail where the events cannot
// overlap (x >= 0.5) or overlap negligibly.

/**
 * Stirling's remainder ln Γ(x + 1) − [(x + ½)ln x − x + ½ln 2π] for x > 0: its asymptotic series from 16 on, and
 * below by the recurrence from x + k >= 16 (the few digits lost there are absolute, which is what the callers need).
 */
function stirlingRemainder(x: number): number {
  if (x >= 16) {
    const r = 1 / x;
    const r2 = r * r;
    return r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 * (1 / 1680 - r2 / 1188))));
  }
  let y = x;
  let product = 1;
  while (y < 16) {
    product *= y;
    y += 1;
  }
  // ln Γ(x + 1) = ln Γ(y + 1) − ln((x + 1)(x + 2)⋯y)
  return (
    stirlingRemainder(y) +
    (y + 0.5) * Math.log(y) -
    (x + 0.5) * Math.log(x) -
    (y - x) -
    Math.log((product / x) * y)
  );
}

/** bd0(k, np) = k·ln(k/np) + np − k, by its series where the two terms would cancel (Loader 2000). */
function bd0(k: number, np: number): number {
  const diff = k - np;
  if (Math.abs(diff) < 0.1 * (k + np)) {
    const v = diff / (k + np);
    const v2 = v * v;
    let s = diff * v;
    let ej = 2 * k * v;
    for (let j = 1; j < 1000; j++) {
      ej *= v2;
      const next = s + ej / (2 * j + 1);
      if (next === s) return s;
      s = next;
    }
    return s;
  }
  return k * Math.log(k / np) + np - k;
}

/**
 * ln of the Smirnov summand C(n,v)·p^{v−1}·q^{n−v} with p = (v + nx)/n, q = 1 − p, for real 0 < v < n − nx, in
 * Loader's saddle-point form: the Stirling remainders and deviances are all O(1), so nothing large cancels.
 */
function logSmirnovTerm(n: number, nx: number, v: number): number {
  const np = v + nx;
  const nq = n - v - nx;
  const logBinomialPmf =
    stirlingRemainder(n) -
    stirlingRemainder(v) -
    stirlingRemainder(n - v) -
    bd0(v, np) -
    bd0(n - v, nq) -
    0.5 * (LOG_2PI + Math.log(v) + Math.log1p(-v / n));
  return logBinomialPmf - Math.log(np / n);
}

/** The exact split of n·x into floor and fraction (error-free product, Dekker 1971). */
function splitProduct(n: number, x: number): { floor: number; alpha: number } {
  const hi = n * x;
  const cx = SPLITTER * x;
  const xh = cx - (cx - x);
  const xl = x - xh;
  const cn = SPLITTER * n;
  const nh = cn - (cn - n);
  const nl = n - nh;
  const lo = nh * xh - hi + nh * xl + nl * xh + nl * xl;
  let floor = Math.floor(hi);
  let alpha = hi - floor + lo;
  if (alpha < 0) {
    floor -= 1;
    alpha += 1;
  }
  if (alpha >= 1) {
    floor += 1;
    alpha = 0;
  }
  return { floor, alpha };
}

/**
 * Σ_{v=0}^{last} C(n,v)(x + v/n)^{v−1}(1 − x − v/n)^{n−v} term by term (Birnbaum & Tingey 1951), stopping once the
 * remaining terms cannot reach the last bit, as scipy's `smirnov`.
 */
function smirnovSumDirect(n: number, x: number, floor: number, alpha: number): number {
  const nx = floor + alpha;
  const last = n - floor - 1;
  let sum = Math.exp(n * Math.log1p(-x)) / x; // v = 0
  for (let v = 1; v <= last; v++) {
    const term = Math.exp(logSmirnovTerm(n, nx, v));
    sum += term;
    if (term > 0 && 4 * (last - v + 1) * term < Number.EPSILON * sum && v !== last) break;
  }
  return sum;
}

/**
 * The same sum for n >= 1000 by the trapezoidal rule in u = logit(p) (p = x + v/n). The summand is smooth on the
 * integer scale (its singularities lie at distance >= n·x >= 47 from the terms that matter), so the sum equals the
 * integral far below double precision (Poisson summation); in u the integrand behaves like exp(−n x²(1 + cosh u)),
 * entire and doubly-exponentially decaying, so a step of min(0.1, 0.3/√(n x²)) leaves an error far below the last
 * bit (Trefethen & Weideman 2014). Checked against the term-by-term sum to 3e-13 for n from 500 to 1,000,000 and
 * n·x² from 2.2 to the underflow limit. A few dozen evaluations replace up to n terms.
 */
function smirnovSumByQuadrature(n: number, x: number): number {
  const nx = n * x;
  const h = Math.min(0.1, 0.3 / Math.sqrt(nx * x));
  const logIntegrand = (u: number): number => {
    const p = 1 / (1 + Math.exp(-u));
    const q = 1 / (1 + Math.exp(u));
    const v = n * p - nx;
    if (!(v > 0 && v < n - nx)) return Number.NEGATIVE_INFINITY;
    return logSmirnovTerm(n, nx, v) + Math.log(n * p * q);
  };
  // The mode sits near p = 1/2 (u = 0); walk outwards until the integrand is e^{−60} below the largest value,
  // summing relative to the value at u = 0 and rescaling whenever a larger one turns up.
  let reference = logIntegrand(0);
  let sum = 1;
  for (const direction of [1, -1]) {
    for (let j = 1; j < 100_000; j++) {
      const g = logIntegrand(direction * j * h);
      if (!(g > reference - 60)) break;
      if (g > reference) {
        sum *= Math.exp(reference - g);
        reference = g;
      }
      sum += Math.exp(g - reference);
    }
  }
  return Math.exp(reference + Math.log(sum * h));
}

/**
 * P(D_n^+ >= x), the exact one-sided Smirnov survival function as `scipy.special.smirnov(n, x)` for 1/n < x < 1
 * (the only range the two-sided distribution asks for).
 *
 * @internal used by `kolmogorov.ts`; not part of the public surface.
 */
export function smirnovSf(n: number, x: number): number {
  if (n === 1) return 1 - x;
  const { floor, alpha } = splitProduct(n, x);
  if (floor === 0 || (floor === 1 && alpha === 0)) {
    return clip01(1 - x * Math.exp((n - 1) * Math.log1p(x)));
  }
  if (-2 * n * x * x < MIN_LOG) return 0;
  if (floor >= n - 1) return Math.exp(n * Math.log1p(-x));
  if (n > SMIRNOV_MAX_COMPUTE_N) {
    // scipy's approximation p ≈ exp(−(6nx + 1)²/(18n)).
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    return logp < -Math.LN2 ? Math.exp(logp) : 1 - -Math.expm1(logp);
  }
  const sum =
    n >= SMIRNOV_QUADRATURE_MIN_N && x <= 0.4
      ? smirnovSumByQuadrature(n, x)
      : smirnovSumDirect(n, x, floor, alpha);
  return clip01(x * sum);
}
