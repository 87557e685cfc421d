import { z } from 'zod';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { Random } from '../core/random.js';
import { SOBOL_DIRECTIONS } from './sobol-directions.js';

/** Bits per coordinate, as scipy.stats.qmc.Sobol's default: points are multiples of 2^-30. */
const BITS = 30;
const SCALE = 2 ** -BITS;
const MAX_POINTS = 2 ** BITS;
const ALL_BITS = MAX_POINTS - 1;

/**
 * The most dimensions {@link Sobol} supports: the rows of the direction-number table it carries.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export const SOBOL_MAX_DIMENSIONS: number = SOBOL_DIRECTIONS.length;

/**
 * Options of {@link Sobol}.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export interface SobolOptions {
  /**
   * Whether to randomise the sequence with a linear matrix scramble and a digital shift (LMS + shift). The default
   * follows scipy.stats.qmc.Sobol; Optuna's QMCSampler defaults to `false`.
   * @defaultValue true
   */
  scramble?: boolean;
  /**
   * The seed of the scrambling, a non-negative safe integer; ignored when `scramble` is `false`.
   * @defaultValue 0
   */
  seed?: number;
}

const sobolOptionsSchema = z
  .strictObject({
    scramble: z.boolean().default(true),
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  })
  .default({ scramble: true, seed: 0 });

/**
 * The 30 direction numbers of one dimension, each scaled to a 30-bit integer: v_j = m_j · 2^(30 − j) for
 * j = 1..30, the m_j beyond the initial ones from the recurrence of the primitive polynomial (Bratley and Fox 1988,
 * Algorithm 659; Joe and Kuo 2008). The first dimension has every m_j = 1.
 */
function directionNumbers(dimension: number): Uint32Array {
  const [poly, initial] = SOBOL_DIRECTIONS[dimension] as readonly [number, readonly number[]];
  const degree = initial.length;
  const m = new Uint32Array(BITS);
  for (let j = 0; j < BITS; j++) {
    if (dimension === 0) m[j] = 1;
    else if (j < degree) m[j] = initial[j] as number;
    else {
      // m_j = 2 a_1 m_(j−1) ⊕ 4 a_2 m_(j−2) ⊕ … ⊕ 2^s m_(j−s) ⊕ m_(j−s), a_k the inner coefficients of poly.
      let next = (m[j - degree] as number) ^ ((m[j - degree] as number) << degree);
      for (let k = 1; k < degree; k++) {
        if ((poly >>> (degree - k)) & 1) next ^= (m[j - k] as number) << k;
      }
      m[j] = next;
    }
  }
  for (let j = 0; j < BITS; j++) m[j] = (m[j] as number) << (BITS - 1 - j);
  return m;
}

/** The parity of the set bits of a 32-bit word. */
function parity(word: number): number {
  let x = word ^ (word >>> 16);
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}

/**
 * Applies a random lower-triangular binary matrix with a unit diagonal to each direction number (Matoušek 1998;
 * Owen 2003): output digit r (counted from the most significant) is input digit r plus a random choice of the more
 * significant input digits. The first k output digits are then an invertible function of the first k input digits,
 * so every stratification of the unscrambled sequence survives. Returns the random digital shift.
 */
function scramble(directions: Uint32Array, rng: Random): number {
  const rows = new Uint32Array(BITS);
  for (let r = 0; r < BITS; r++) {
    const bit = 1 << (BITS - 1 - r);
    const moreSignificant = ALL_BITS & ~(2 * bit - 1);
    rows[r] = bit | (rng.uint32() & moreSignificant);
  }
  for (let j = 0; j < BITS; j++) {
    let scrambled = 0;
    for (let r = 0; r < BITS; r++) {
      if (parity((directions[j] as number) & (rows[r] as number))) scrambled |= 1 << (BITS - 1 - r);
    }
    directions[j] = scrambled;
  }
  return rng.uint32() & ALL_BITS;
}

/**
 * A Sobol' low-discrepancy sequence in [0, 1)^d (Sobol' 1967) with Joe and Kuo's "new-joe-kuo-6.21201"
 * direction numbers, in Gray-code order (Antonov and Saleev 1979), 30 bits per coordinate: the construction of
 * scipy.stats.qmc.Sobol (scipy 1.10). Without scrambling the points equal scipy's `Sobol(d, scramble=False)` bit
 * for bit, including the first point, which is all zeros.
 *
 * Scrambling is of the same kind as scipy's (a random linear matrix scramble plus a digital shift, "LMS + shift")
 * but drawn from mlcycle's {@link Random}, so scrambled points differ from scipy's. Dimension `j` is scrambled with
 * `new Random(seed).fork(j)`: the first k coordinates of a scrambled d-dimensional sequence do not depend on d.
 * Scrambling keeps the (0, m, 1)-net property of every coordinate: among the first 2^k points, exactly one falls
 * in each interval [i·2^-k, (i + 1)·2^-k).
 *
 * About the all-zero first point: Optuna 3.1's QMCSampler does not skip it. It samples trial 0 with its independent
 * sampler (the search space is unknown until one trial has run); after that a counter of QMC draws kept in the
 * study's storage gives, in a sequential study, trial k ≥ 1 the point at index k − 1 of a fresh engine
 * fast-forwarded by k − 1, so trial 1 of an unscrambled study puts every parameter at its lower
 * bound. The tuner's QMC sampler is to do the same (a fresh engine, `skip(k − 1)`, then `next()`), so that its
 * unscrambled trials agree with Optuna's; with scrambling (the default here) the first point is as random as any.
 *
 * At most 2^30 points can be drawn, and at most {@link SOBOL_MAX_DIMENSIONS} dimensions are available.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 *
 * @example
 * ```ts
 * const sobol = new Sobol(2, { scramble: false });
 * sobol.next(); // Float64Array [0, 0]
 * sobol.next(); // Float64Array [0.5, 0.5]
 * sobol.skip(2);
 * sobol.next(); // Float64Array [0.375, 0.375], the point at index 4
 * ```
 */
export class Sobol {
  /** The number of coordinates of each point. */
  readonly dimensions: number;
  /** Whether the sequence is scrambled. */
  readonly scrambled: boolean;
  private readonly directions: Uint32Array[];
  private readonly shift: Uint32Array;
  /** The integer coordinates (numerators over 2^30) of the point at {@link Sobol.index}. */
  private readonly current: Uint32Array;
  private position = 0;

  /**
   * @param dimensions - an integer from 1 to {@link SOBOL_MAX_DIMENSIONS}.
   * @param options - see {@link SobolOptions}.
   */
  constructor(dimensions: number, options: SobolOptions = {}) {
    if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > SOBOL_MAX_DIMENSIONS) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `Sobol dimensions must be an integer from 1 to ${SOBOL_MAX_DIMENSIONS} (the direction numbers held), ` +
          `received ${String(dimensions)}`,
      );
    }
    const { scramble: scrambled, seed } = parseOptions(sobolOptionsSchema, options, 'Sobol options');
    this.dimensions = dimensions;
    this.scrambled = scrambled;
    this.directions = [];
    this.shift = new Uint32Array(dimensions);
    const root = new Random(seed);
    for (let j = 0; j < dimensions; j++) {
      const v = directionNumbers(j);
      if (scrambled) this.shift[j] = scramble(v, root.fork(j));
      this.directions.push(v);
    }
    this.current = this.shift.slice();
  }

  /** The index of the next point to be drawn: how many points have been drawn or skipped. */
  get index(): number {
    return this.position;
  }

  /** The next point, a fresh `Float64Array` of {@link Sobol.dimensions} coordinates in [0, 1). */
  next(): Float64Array {
    const i = this.position;
    if (i >= MAX_POINTS) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `Sobol sequence is exhausted: at most 2^${BITS} = ${MAX_POINTS} points can be drawn`,
      );
    }
    const point = new Float64Array(this.dimensions);
    for (let j = 0; j < this.dimensions; j++) point[j] = (this.current[j] as number) * SCALE;
    // Gray-code order: point i + 1 differs from point i by the direction number of the lowest set bit of i + 1.
    const low = 31 - Math.clz32((i + 1) & -(i + 1));
    if (low < BITS) {
      for (let j = 0; j < this.dimensions; j++) {
        this.current[j] = (this.current[j] as number) ^ ((this.directions[j] as Uint32Array)[low] as number);
      }
    }
    this.position = i + 1;
    return point;
  }

  /**
   * Skips `n` points (a non-negative integer) without drawing them, in constant time per dimension: the point at
   * index i is the shift XOR the direction numbers picked by the bits of the Gray code i ⊕ (i >> 1). `skip(0)` is
   * allowed and does nothing. Like scipy's `fast_forward`.
   */
  skip(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0 || n > MAX_POINTS - this.position) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `Sobol.skip needs an integer from 0 to ${MAX_POINTS - this.position} (2^${BITS} points less the ` +
          `${this.position} already drawn or skipped), received ${String(n)}`,
      );
    }
    this.position += n;
    const gray = this.position ^ (this.position >>> 1);
    for (let j = 0; j < this.dimensions; j++) {
      let x = this.shift[j] as number;
      const v = this.directions[j] as Uint32Array;
      for (let b = 0; b < BITS; b++) if ((gray >>> b) & 1) x ^= v[b] as number;
      this.current[j] = x;
    }
  }
}
