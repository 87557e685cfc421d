/**
 * The log density of the TPE sampler's Parzen mixtures at a batch of candidates, in tight loops over typed arrays:
 * blocks of sorted kernels far from a candidate are skipped by a bound, terms too small to change a double are left
 * out, and the exponential comes from a table.
 *
 * @module
 */
import { LOG_SQRT_2PI, logGaussMass } from '../truncnorm.js';
import type { KernelDomain, Mixture } from './tpe-kernels.js';

/** Kernels whose log term lies this far below the largest add less than e^-40 (4e-18) each: left out of the sum. */
const NEGLIGIBLE = 40;

/**
 * The per-kernel log density (continuous) or log cell probability (grid) of kernel-space point `x`, without the
 * kernel's `coef`; `bound` gives a cheap upper bound instead of the exact grid term. The multivariate mixture sums
 * these over parameters.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function kernelTerm(
  domain: KernelDomain,
  mu: number,
  sigma: number,
  x: number,
  bound: boolean,
): number {
  const q = domain.step;
  if (q === undefined) {
    const z = (x - mu) / sigma;
    return -0.5 * z * z;
  }
  const lower = (Math.max(x - q / 2, domain.low) - mu) / sigma;
  const upper = (Math.min(x + q / 2, domain.high) - mu) / sigma;
  if (!bound) return logGaussMass(lower, upper);
  // Φ(upper) − Φ(lower) <= min(1, (upper − lower)·φ(nearest end to 0)).
  const nearest = lower > 0 ? lower : upper < 0 ? -upper : 0;
  return Math.min(0, Math.log(upper - lower) - LOG_SQRT_2PI - 0.5 * nearest * nearest);
}

/**
 * The mixture's log density (or log probability on a grid) at each kernel-space point of `xs`, written to `out`.
 * Terms more than e^50 below the largest are skipped, which changes nothing at double precision: on a continuous
 * range whole blocks of sorted kernels are skipped by a bound, on a grid a cheap bound decides which kernels need
 * the exact (costly) cell mass. The observation kernels must be sorted by centre (the prior, if any, last).
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function mixtureLogPdf(domain: KernelDomain, mix: Mixture, xs: Float64Array, out: Float64Array): void {
  if (domain.step === undefined) continuousLogPdf(mix, xs, out);
  else gridLogPdf(domain, mix, xs, out);
}

// exp on [−NEGLIGIBLE, 0] by table: 2^(j/64)·2^e·p(r) with |r| <= ln2/128 and a degree-5 Taylor polynomial (error
// below 1e-16 relative; Tang, "Table-driven implementation of the exponential function", ACM TOMS 1989).
const LN2_HI_64 = 6.9314718036912382e-1 / 64;
const LN2_LO_64 = 1.9082149292705877e-10 / 64;
const STEPS_PER_LN2 = 64 / Math.LN2;
const TWO_POW_J = Float64Array.from({ length: 64 }, (_, j) => 2 ** (j / 64));
const TWO_POW_MINUS = Float64Array.from({ length: 1076 }, (_, e) => 2 ** -e);

/**
 * e^x for x <= 0 (in the sums: [−NEGLIGIBLE, 0]), cheaper than Math.exp; 0 below −745.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function expNegative(x: number): number {
  if (x < -745) return 0;
  // Round to nearest by truncating x·64/ln2 − 1/2 towards zero (x <= 0): cheaper than Math.round.
  const n = (x * STEPS_PER_LN2 - 0.5) | 0;
  const r = x - n * LN2_HI_64 - n * LN2_LO_64;
  const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r / 120))));
  return (TWO_POW_J[n & 63] as number) * (TWO_POW_MINUS[-(n >> 6)] as number) * p;
}

/** Kernels per block in {@link continuousLogPdf}. */
const BLOCK = 32;

function continuousLogPdf(mix: Mixture, xs: Float64Array, out: Float64Array): void {
  const { size, mus, sigmas, coef } = mix;
  const m = mix.prior ? size - 1 : size;
  const inverse = new Float64Array(size);
  for (let k = 0; k < size; k++) inverse[k] = 1 / (sigmas[k] as number);
  // Per block of sorted kernels: its span of centres, its smallest 1/σ and its largest coefficient bound every term.
  const blocks = Math.ceil(m / BLOCK);
  const lo = new Float64Array(blocks);
  const hi = new Float64Array(blocks);
  const flattest = new Float64Array(blocks).fill(Number.POSITIVE_INFINITY);
  const top = new Float64Array(blocks).fill(Number.NEGATIVE_INFINITY);
  for (let b = 0; b < blocks; b++) {
    const end = Math.min(m, (b + 1) * BLOCK);
    lo[b] = mus[b * BLOCK] as number;
    hi[b] = mus[end - 1] as number;
    for (let k = b * BLOCK; k < end; k++) {
      if ((inverse[k] as number) < (flattest[b] as number)) flattest[b] = inverse[k] as number;
      if ((coef[k] as number) > (top[b] as number)) top[b] = coef[k] as number;
    }
  }
  const visited = new Uint8Array(blocks);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    // One pass, ln Σ e^t kept as max + ln(sum) and rescaled when a larger term appears: the prior and the blocks
    // around x come first, so that rescaling is rare and far blocks can be skipped by their bound.
    let max = Number.NEGATIVE_INFINITY;
    let sum = 0;
    if (mix.prior) {
      const z = (x - (mus[m] as number)) * (inverse[m] as number);
      max = (coef[m] as number) - 0.5 * z * z;
      sum = 1;
    }
    visited.fill(0);
    let near = 0;
    while (near + 1 < blocks && (lo[near + 1] as number) <= x) near++;
    for (let pass = 0; pass < 2; pass++) {
      for (let b = pass === 0 ? near - 1 : 0; b < (pass === 0 ? near + 2 : blocks); b++) {
        if (b < 0 || b >= blocks || visited[b] === 1) continue;
        if (pass === 1) {
          const gap =
            x < (lo[b] as number) ? (lo[b] as number) - x : x > (hi[b] as number) ? x - (hi[b] as number) : 0;
          const z = gap * (flattest[b] as number);
          if ((top[b] as number) - 0.5 * z * z < max - NEGLIGIBLE) continue;
        }
        visited[b] = 1;
        const end = Math.min(m, (b + 1) * BLOCK);
        for (let k = b * BLOCK; k < end; k++) {
          const z = (x - (mus[k] as number)) * (inverse[k] as number);
          const t = (coef[k] as number) - 0.5 * z * z;
          if (t > max) {
            sum = max === Number.NEGATIVE_INFINITY ? 1 : sum * expNegative(max - t) + 1;
            max = t;
          } else if (t > max - NEGLIGIBLE) sum += expNegative(t - max);
        }
      }
    }
    out[i] = max === Number.NEGATIVE_INFINITY ? max : max + Math.log(sum);
  }
}

function gridLogPdf(domain: KernelDomain, mix: Mixture, xs: Float64Array, out: Float64Array): void {
  const { size, mus, sigmas, coef } = mix;
  const bounds = new Float64Array(size);
  const terms = new Float64Array(size);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    let top = 0;
    for (let k = 0; k < size; k++) {
      bounds[k] = (coef[k] as number) + kernelTerm(domain, mus[k] as number, sigmas[k] as number, x, true);
      if ((bounds[k] as number) > (bounds[top] as number)) top = k;
    }
    const floor =
      (coef[top] as number) +
      kernelTerm(domain, mus[top] as number, sigmas[top] as number, x, false) -
      NEGLIGIBLE;
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < size; k++) {
      const t =
        (bounds[k] as number) < floor
          ? Number.NEGATIVE_INFINITY
          : (coef[k] as number) + kernelTerm(domain, mus[k] as number, sigmas[k] as number, x, false);
      terms[k] = t;
      if (t > max) max = t;
    }
    if (max === Number.NEGATIVE_INFINITY) {
      out[i] = max;
      continue;
    }
    let sum = 0;
    for (let k = 0; k < size; k++) {
      const t = terms[k] as number;
      if (t > max - NEGLIGIBLE) sum += expNegative(t - max);
    }
    out[i] = max + Math.log(sum);
  }
}
