/**
 * Standard optimisation test functions for the tuning benchmark, each with its box, its known global minimum and
 * its known minimisers. Formulas, domains and minimisers follow the Virtual Library of Simulation Experiments
 * (Surjanovic and Bingham, https://www.sfu.ca/~ssurjano/optimization.html), with its recommended constants.
 * @module
 */
import { MlcycleError } from '../../src/core/errors.js';

/** A test function to minimise over a box. */
export interface TestFunction {
  /** A short label for benchmark tables, e.g. `Hartmann6`, `Ackley-5D`. */
  name: string;
  /** The number of coordinates of a point. */
  dimensions: number;
  /** The search box: `[low, high]` per coordinate. */
  bounds: readonly (readonly [low: number, high: number])[];
  /** The global minimum value. */
  optimum: number;
  /** Points where the global minimum is reached (to the precision the literature gives them). */
  minimisers: readonly (readonly number[])[];
  /** The function's value at `x`, which must have {@link TestFunction.dimensions} finite coordinates. */
  fn(x: ArrayLike<number>): number;
}

/** Wraps a formula with the check that a point has the right number of finite coordinates. */
function checked(name: string, dimensions: number, formula: (x: ArrayLike<number>) => number) {
  return (x: ArrayLike<number>): number => {
    if (x.length !== dimensions) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `${name} needs a point of ${dimensions} coordinates, received ${x.length}`,
      );
    }
    for (let i = 0; i < dimensions; i++) {
      if (!Number.isFinite(x[i])) {
        throw new MlcycleError(
          'INVALID_ARGUMENT',
          `${name} needs finite coordinates, received ${String(x[i])} at index ${i}`,
        );
      }
    }
    return formula(x);
  };
}

function define(
  name: string,
  bounds: readonly (readonly [number, number])[],
  optimum: number,
  minimisers: readonly (readonly number[])[],
  formula: (x: ArrayLike<number>) => number,
): TestFunction {
  return {
    name,
    dimensions: bounds.length,
    bounds,
    optimum,
    minimisers,
    fn: checked(name, bounds.length, formula),
  };
}

function repeat<T>(value: T, times: number): T[] {
  return Array.from({ length: times }, () => value);
}

/**
 * Branin (Branin–Hoo), 2-D on x1 ∈ [−5, 10], x2 ∈ [0, 15]:
 * `a (x2 − b x1² + c x1 − r)² + s (1 − t) cos(x1) + s` with a = 1, b = 5.1 / (4π²), c = 5 / π, r = 6, s = 10,
 * t = 1 / (8π). Three global minimisers, minimum 10 / (8π) ≈ 0.397887.
 */
export const branin: TestFunction = define(
  'Branin',
  [
    [-5, 10],
    [0, 15],
  ],
  10 / (8 * Math.PI),
  [
    [-Math.PI, 12.275],
    [Math.PI, 2.275],
    [9.42478, 2.475],
  ],
  (x) => {
    const x1 = x[0] as number;
    const x2 = x[1] as number;
    const b = 5.1 / (4 * Math.PI * Math.PI);
    const c = 5 / Math.PI;
    const t = 1 / (8 * Math.PI);
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
  },
);

const HARTMANN_ALPHA = [1.0, 1.2, 3.0, 3.2];

/** `−Σ_i α_i exp(−Σ_j A_ij (x_j − P_ij)²)`, the Hartmann family's form. */
function hartmann(a: readonly number[][], p: readonly number[][]) {
  return (x: ArrayLike<number>): number => {
    let sum = 0;
    for (let i = 0; i < 4; i++) {
      const ai = a[i] as number[];
      const pi = p[i] as number[];
      let inner = 0;
      for (let j = 0; j < ai.length; j++)
        inner += (ai[j] as number) * ((x[j] as number) - (pi[j] as number)) ** 2;
      sum += (HARTMANN_ALPHA[i] as number) * Math.exp(-inner);
    }
    return -sum;
  };
}

/**
 * Hartmann 3-D on [0, 1]³ with the library's A, P and α = (1, 1.2, 3, 3.2). Minimum ≈ −3.86278 at
 * (0.114614, 0.555649, 0.852547); the value here is the minimum refined with scipy's L-BFGS-B.
 */
export const hartmann3: TestFunction = define(
  'Hartmann3',
  repeat([0, 1] as const, 3),
  -3.862779787332659,
  [[0.114614, 0.555649, 0.852547]],
  hartmann(
    [
      [3, 10, 30],
      [0.1, 10, 35],
      [3, 10, 30],
      [0.1, 10, 35],
    ],
    [
      [0.3689, 0.117, 0.2673],
      [0.4699, 0.4387, 0.747],
      [0.1091, 0.8732, 0.5547],
      [0.0381, 0.5743, 0.8828],
    ],
  ),
);

/**
 * Hartmann 6-D on [0, 1]⁶ with the library's A, P and α = (1, 1.2, 3, 3.2). Minimum ≈ −3.32237 at
 * (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573); the value here is refined with scipy's L-BFGS-B.
 */
export const hartmann6: TestFunction = define(
  'Hartmann6',
  repeat([0, 1] as const, 6),
  -3.322368011415514,
  [[0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573]],
  hartmann(
    [
      [10, 3, 17, 3.5, 1.7, 8],
      [0.05, 10, 17, 0.1, 8, 14],
      [3, 3.5, 1.7, 10, 17, 8],
      [17, 8, 0.05, 10, 0.1, 14],
    ],
    [
      [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
      [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
      [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
      [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
    ],
  ),
);

/** Rosenbrock 4-D on [−5, 10]⁴: `Σ_{i<d} 100 (x_{i+1} − x_i²)² + (x_i − 1)²`, minimum 0 at (1, 1, 1, 1). */
export const rosenbrock4: TestFunction = define(
  'Rosenbrock-4D',
  repeat([-5, 10] as const, 4),
  0,
  [repeat(1, 4)],
  (x) => {
    let sum = 0;
    for (let i = 0; i + 1 < x.length; i++) {
      const xi = x[i] as number;
      sum += 100 * ((x[i + 1] as number) - xi * xi) ** 2 + (xi - 1) ** 2;
    }
    return sum;
  },
);

/**
 * Ackley 5-D on [−32.768, 32.768]⁵: `−a exp(−b √(Σ x_i² / d)) − exp(Σ cos(c x_i) / d) + a + e` with a = 20,
 * b = 0.2, c = 2π; minimum 0 at the origin.
 */
export const ackley5: TestFunction = define(
  'Ackley-5D',
  repeat([-32.768, 32.768] as const, 5),
  0,
  [repeat(0, 5)],
  (x) => {
    let squares = 0;
    let cosines = 0;
    for (let i = 0; i < x.length; i++) {
      const xi = x[i] as number;
      squares += xi * xi;
      cosines += Math.cos(2 * Math.PI * xi);
    }
    return -20 * Math.exp(-0.2 * Math.sqrt(squares / x.length)) - Math.exp(cosines / x.length) + 20 + Math.E;
  },
);

/** The root of 4x³ − 32x + 5 = 0 in [−3, −2.5], where ½ (x⁴ − 16x² + 5x) is least. */
const STYBLINSKI_TANG_ARGMIN = -2.903534027771177;

/**
 * Styblinski–Tang 5-D on [−5, 5]⁵: `½ Σ (x_i⁴ − 16 x_i² + 5 x_i)`, minimum ≈ −39.16617 · 5 with every
 * x_i ≈ −2.903534. (The library's page prints −39.16599 d; the value per coordinate at its own minimiser is
 * −39.1661657, which is what we use.)
 */
export const styblinskiTang5: TestFunction = define(
  'Styblinski-Tang-5D',
  repeat([-5, 5] as const, 5),
  5 * 0.5 * (STYBLINSKI_TANG_ARGMIN ** 4 - 16 * STYBLINSKI_TANG_ARGMIN ** 2 + 5 * STYBLINSKI_TANG_ARGMIN),
  [repeat(-2.903534, 5)],
  (x) => {
    let sum = 0;
    for (let i = 0; i < x.length; i++) {
      const xi = x[i] as number;
      sum += xi ** 4 - 16 * xi * xi + 5 * xi;
    }
    return sum / 2;
  },
);

/**
 * Levy 5-D on [−10, 10]⁵: with w_i = 1 + (x_i − 1) / 4,
 * `sin²(π w_1) + Σ_{i<d} (w_i − 1)² [1 + 10 sin²(π w_i + 1)] + (w_d − 1)² [1 + sin²(2π w_d)]`; minimum 0 at
 * (1, …, 1).
 */
export const levy5: TestFunction = define(
  'Levy-5D',
  repeat([-10, 10] as const, 5),
  0,
  [repeat(1, 5)],
  (x) => {
    const d = x.length;
    const w = (i: number) => 1 + ((x[i] as number) - 1) / 4;
    let sum = Math.sin(Math.PI * w(0)) ** 2;
    for (let i = 0; i + 1 < d; i++) {
      sum += (w(i) - 1) ** 2 * (1 + 10 * Math.sin(Math.PI * w(i) + 1) ** 2);
    }
    const last = w(d - 1);
    return sum + (last - 1) ** 2 * (1 + Math.sin(2 * Math.PI * last) ** 2);
  },
);

/** Every test function of the tuning benchmark, in the order its table prints them. */
export const testFunctions: readonly TestFunction[] = [
  branin,
  hartmann3,
  hartmann6,
  rosenbrock4,
  ackley5,
  styblinskiTang5,
  levy5,
];
