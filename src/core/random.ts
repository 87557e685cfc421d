import { MlcycleError } from './errors.js';

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** SplitMix32 step (Vigna): turns any 32-bit state into a well-mixed output, used here for seeding only. */
function splitmix32(state: number): [next: number, output: number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [next, (z ^ (z >>> 16)) >>> 0];
}

/** MurmurHash3's 32-bit finaliser: a bijective avalanche of a 32-bit word. */
function fmix32(h: number): number {
  let z = h;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function assertSeed(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `${what} must be a non-negative safe integer, received ${String(value)}`,
    );
  }
}

/** Folds a non-negative safe integer (up to 2^53) into 32 bits without losing its high part. */
function fold53(value: number): number {
  const low = value >>> 0;
  const high = Math.floor(value / TWO_POW_32) >>> 0;
  return fmix32(low ^ fmix32(high + 0x6a09e667));
}

/**
 * A seeded pseudo-random generator: xoshiro128** 1.1 (Blackman and Vigna, https://prng.di.unimi.it/), a small,
 * fast 32-bit generator with a 2^128 − 1 period, seeded through SplitMix32. The same seed gives the same sequence on
 * every runtime.
 *
 * For parallel or per-item work, derive streams with {@link Random.fork}: `fork(i)` depends only on the seed and
 * `i`, never on how many numbers the parent has drawn, so results do not depend on scheduling.
 *
 * @example
 * ```ts
 * import { Random } from 'mlcycle';
 *
 * const rng = new Random(42);
 * rng.float();          // uniform in [0, 1)
 * rng.int(1, 6);        // a die roll, 1..6 inclusive
 * rng.normal();         // standard normal
 * const perTree = Array.from({ length: 100 }, (_, i) => rng.fork(i)); // independent of draw order
 * ```
 */
export class Random {
  /** The seed this generator was created from. */
  readonly seed: number;
  private readonly state: Uint32Array;
  private spareNormal: number | undefined;

  /** @param seed - a non-negative safe integer. @defaultValue 0 */
  constructor(seed = 0) {
    assertSeed(seed, 'Random seed');
    this.seed = seed;
    this.state = Random.expand(fold53(seed));
  }

  /**
   * A generator that starts from the exact 128-bit xoshiro128** state given (four 32-bit words, not all zero).
   * Meant for checking against the reference implementation; use the constructor for everyday seeding.
   */
  static fromState(words: readonly [number, number, number, number]): Random {
    if (words.length !== 4 || words.some((w) => !Number.isInteger(w) || w < 0 || w >= TWO_POW_32)) {
      throw new MlcycleError('INVALID_ARGUMENT', 'Random.fromState needs four unsigned 32-bit integers');
    }
    if (words.every((w) => w === 0)) {
      throw new MlcycleError('INVALID_ARGUMENT', 'Random.fromState needs a state that is not all zero');
    }
    const rng = new Random(0);
    rng.state.set(words);
    return rng;
  }

  private static expand(seed32: number): Uint32Array {
    const state = new Uint32Array(4);
    let s = seed32;
    for (let i = 0; i < 4; i++) {
      const [next, output] = splitmix32(s);
      s = next;
      state[i] = output;
    }
    // SplitMix32 outputs are a bijection of distinct inputs, so four zeros cannot occur; guard anyway.
    if (state[0] === 0 && state[1] === 0 && state[2] === 0 && state[3] === 0) state[0] = 1;
    return state;
  }

  /**
   * An independent generator derived from this generator's seed and `index` (a non-negative safe integer).
   * It does not advance this generator and does not depend on its current position.
   */
  fork(index: number): Random {
    assertSeed(index, 'Random.fork index');
    const child = new Random(0);
    (child as { seed: number }).seed = this.seed;
    child.state.set(Random.expand(fmix32(fold53(this.seed) ^ fmix32(fold53(index) + 0x3c6ef372))));
    return child;
  }

  /** The next raw 32-bit unsigned integer. */
  uint32(): number {
    const s = this.state;
    const s0 = s[0] as number;
    const s1 = s[1] as number;
    const s2 = s[2] as number;
    const s3 = s[3] as number;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    s[1] = s1 ^ n2;
    s[0] = s0 ^ n3;
    s[2] = n2 ^ t;
    s[3] = (n3 << 11) | (n3 >>> 21);
    return result;
  }

  /** A uniform float in [0, 1) with 53 bits of precision (two 32-bit draws). */
  float(): number {
    const high = this.uint32() >>> 5; // 27 bits
    const low = this.uint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / TWO_POW_53;
  }

  /** A uniform integer in [lo, hi], both ends included; unbiased (rejection sampling). */
  int(lo: number, hi: number): number {
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi < lo) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `Random.int needs safe integers with lo <= hi, received lo=${String(lo)}, hi=${String(hi)}`,
      );
    }
    const range = hi - lo + 1;
    if (range > TWO_POW_32) {
      // Wide ranges: uniform 53-bit float scaled; exact for ranges up to 2^53 in expectation of rejection.
      const limit = Math.floor(TWO_POW_53 / range) * range;
      for (;;) {
        const x = this.float() * TWO_POW_53;
        if (x < limit) return lo + (x % range);
      }
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % range);
    for (;;) {
      const x = this.uint32();
      if (x < limit) return lo + (x % range);
    }
  }

  /** A normal variate with the given mean and standard deviation (Marsaglia's polar method). */
  normal(mean = 0, sd = 1): number {
    if (!Number.isFinite(mean) || !Number.isFinite(sd) || sd < 0) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `Random.normal needs a finite mean and a finite sd >= 0, received mean=${mean}, sd=${sd}`,
      );
    }
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return mean + sd * spare;
    }
    for (;;) {
      const u = 2 * this.float() - 1;
      const v = 2 * this.float() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const factor = Math.sqrt((-2 * Math.log(s)) / s);
        this.spareNormal = v * factor;
        return mean + sd * u * factor;
      }
    }
  }

  /**
   * A gamma variate with shape `k` and the given scale (Marsaglia and Tsang 2000; for k < 1 the boost
   * Gamma(k) = Gamma(k + 1) · U^(1/k)).
   */
  gamma(k: number, scale = 1): number {
    if (!Number.isFinite(k) || k <= 0 || !Number.isFinite(scale) || scale <= 0) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `Random.gamma needs a finite shape k > 0 and a finite scale > 0, received k=${k}, scale=${scale}`,
      );
    }
    if (k < 1) {
      const u = 1 - this.float(); // (0, 1]
      return this.gamma(k + 1, scale) * u ** (1 / k);
    }
    const d = k - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - this.float();
      if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v * scale;
      }
    }
  }

  /** Shuffles `items` (an array or a typed array) in place (Fisher–Yates) and returns it. */
  shuffle<
    A extends
      | unknown[]
      | Float64Array
      | Float32Array
      | Int32Array
      | Uint32Array
      | Int16Array
      | Uint16Array
      | Int8Array
      | Uint8Array
      | Uint8ClampedArray,
  >(items: A): A {
    const a = items as unknown[];
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
    return items;
  }

  /** One element of `items`, chosen uniformly. Throws `INVALID_ARGUMENT` for an empty array. */
  choice<T>(items: ArrayLike<T>): T {
    if (items.length === 0) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        'Random.choice needs at least one item, received an empty array',
      );
    }
    return items[this.int(0, items.length - 1)] as T;
  }
}
