import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { chiSquareSf, normalCdf } from '../../src/stats/distributions.js';
import {
  CategoricalParzenEstimator,
  chooseByExpectedImprovement,
  defaultGamma,
  defaultWeights,
  type ParzenDomain,
  ParzenEstimator,
  type ParzenOptions,
  splitTrials,
} from '../../src/tuning/parzen.js';
import { close, loadReferenceCases, type ReferenceCase } from '../fixtures/reference.js';
import { expectInvalid } from '../helpers.js';

interface FixtureDomain {
  type: 'float' | 'int' | 'categorical';
  low: number;
  high: number;
  log: boolean;
  step: number | null;
  choices: number;
}

interface EstimatorArgs {
  domain: FixtureDomain;
  observations: number[];
  options: ParzenOptions;
  points: number[];
}

const cases = loadReferenceCases('tuning_tpe');
const byFn = (fn: string): ReferenceCase[] => cases.filter((c) => c.fn === fn);

function toDomain(d: FixtureDomain): ParzenDomain {
  const domain: ParzenDomain = { type: d.type as 'float' | 'int', low: d.low, high: d.high, log: d.log };
  return d.step === null ? domain : { ...domain, step: d.step };
}

function build(d: FixtureDomain, observations: number[], options?: ParzenOptions) {
  return d.type === 'categorical'
    ? new CategoricalParzenEstimator(observations, d.choices, options)
    : new ParzenEstimator(observations, toDomain(d), options);
}

function expectClose(actual: ArrayLike<number>, expected: number[], what: string, rtol = 1e-9): void {
  expect(actual.length, what).toBe(expected.length);
  expected.forEach((e, i) => {
    const a = actual[i] as number;
    expect(close(a, e, rtol, 1e-12), `${what}[${i}]: ${a} vs ${e}`).toBe(true);
  });
}

describe('defaultGamma and defaultWeights against Optuna 3.1', () => {
  it.each(byFn('defaultGamma').map((c) => [(c.args as { n: number }).n, c.expected as number]))(
    'defaultGamma(%i) = %i',
    (n, expected) => expect(defaultGamma(n)).toBe(expected),
  );

  it.each(byFn('defaultWeights').map((c) => [(c.args as { n: number }).n, c.expected as number[]]))(
    'defaultWeights(%i)',
    (n, expected) => expectClose(defaultWeights(n), expected, 'weights', 1e-15),
  );

  it('rejects a count that is not a non-negative integer', () => {
    expectInvalid(() => defaultGamma(-1), 'n must be an integer >= 0, received -1');
    expectInvalid(() => defaultWeights(2.5), 'n must be an integer >= 0, received 2.5');
  });
});

describe('ParzenEstimator against Optuna 3.1 _ParzenEstimator', () => {
  const numeric = byFn('parzen');
  it('covers every numeric domain kind, 0 to 80 observations and the non-default flags', () => {
    expect(numeric.length).toBeGreaterThanOrEqual(50);
    const sizes = new Set(numeric.map((c) => (c.args as unknown as EstimatorArgs).observations.length));
    for (const n of [0, 1, 5, 30, 80]) expect(sizes.has(n)).toBe(true);
    expect((numeric[0] as ReferenceCase).expected).toHaveProperty('optuna');
    expect((numeric[0]?.expected as { optuna?: string } | undefined)?.optuna).toBe('3.1.0');
  });

  it.each(numeric.map((c, i) => [i, c] as const))(
    'case %i: weights, mus, sigmas, bounds and logPdf',
    (_i, c) => {
      const args = c.args as unknown as EstimatorArgs;
      const expected = c.expected as {
        weights: number[];
        mus: number[];
        sigmas: number[];
        low: number;
        high: number;
        step: number | null;
        logPdf: number[];
      };
      const pe = new ParzenEstimator(args.observations, toDomain(args.domain), args.options);
      expectClose(pe.weights, expected.weights, 'weights');
      expectClose(pe.mus, expected.mus, 'mus');
      expectClose(pe.sigmas, expected.sigmas, 'sigmas');
      expect(close(pe.low, expected.low, 1e-15)).toBe(true);
      expect(close(pe.high, expected.high, 1e-15)).toBe(true);
      expect(pe.step ?? null).toBe(expected.step ?? null);
      expectClose(
        args.points.map((x) => pe.logPdf(x)),
        expected.logPdf,
        'logPdf',
      );
    },
  );
});

describe('CategoricalParzenEstimator against Optuna 3.1 _ParzenEstimator', () => {
  const categorical = byFn('categoricalParzen');
  it.each(categorical.map((c, i) => [i, c] as const))('case %i: weights, kernels and logPdf', (_i, c) => {
    const args = c.args as unknown as EstimatorArgs;
    const expected = c.expected as { weights: number[]; choiceWeights: number[][]; logPdf: number[] };
    const pe = new CategoricalParzenEstimator(args.observations, args.domain.choices, args.options);
    expectClose(pe.weights, expected.weights, 'weights');
    expect(pe.kernels.length).toBe(expected.choiceWeights.length);
    pe.kernels.forEach((row, k) => {
      expectClose(row, expected.choiceWeights[k] as number[], `kernel ${k}`);
    });
    expectClose(
      args.points.map((x) => pe.logPdf(x)),
      expected.logPdf,
      'logPdf',
    );
  });

  it('gives −∞ to anything that is not a choice index', () => {
    const pe = new CategoricalParzenEstimator([0, 2], 3);
    expect(pe.logPdf(3)).toBe(Number.NEGATIVE_INFINITY);
    expect(pe.logPdf(0.5)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('splitTrials against Optuna 3.1 _split_observation_pairs', () => {
  it.each(byFn('splitTrials').map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    const { values, nBelow } = c.args as { values: number[]; nBelow: number };
    expect(splitTrials(values, nBelow)).toEqual(c.expected);
  });

  it('breaks ties by trial order', () => {
    expect(splitTrials([2, 1, 1, 1, 0], 2)).toEqual({ below: [1, 4], above: [0, 2, 3] });
  });

  it('rejects NaN values and an out-of-range group size', () => {
    expectInvalid(() => splitTrials([1, Number.NaN], 1), 'values must not contain NaN, but values[1] is NaN');
    expectInvalid(() => splitTrials([1, 2], 3), 'nBelow must be an integer in [0, 2], received 3');
    expectInvalid(() => splitTrials([1, 2], 0.5), 'nBelow must be an integer in [0, 2], received 0.5');
  });
});

describe('chooseByExpectedImprovement against Optuna 3.1 TPESampler._compare', () => {
  interface CompareArgs {
    domain: FixtureDomain;
    below: number[];
    above: number[];
    candidates: number[];
  }
  it.each(byFn('chooseByExpectedImprovement').map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    const args = c.args as unknown as CompareArgs;
    const expected = c.expected as { logL: number[]; logG: number[]; best: number };
    const below = build(args.domain, args.below);
    const above = build(args.domain, args.above);
    expectClose(
      args.candidates.map((x) => below.logPdf(x)),
      expected.logL,
      'logL',
    );
    expectClose(
      args.candidates.map((x) => above.logPdf(x)),
      expected.logG,
      'logG',
    );
    expect(chooseByExpectedImprovement(args.candidates, below, above)).toBe(expected.best);
  });

  it('keeps the first candidate on ties and rejects an empty list', () => {
    const flat = { logPdf: () => 0 };
    expect(chooseByExpectedImprovement([3, 1, 2], flat, flat)).toBe(3);
    expectInvalid(
      () => chooseByExpectedImprovement([], flat, flat),
      'candidates must be a non-empty array of numbers',
    );
  });
});

/** The mixture's cdf at t (transformed space), from the estimator's own kernels. */
function mixtureCdf(pe: ParzenEstimator, t: number): number {
  let total = 0;
  pe.weights.forEach((w, k) => {
    const mu = pe.mus[k] as number;
    const sigma = pe.sigmas[k] as number;
    const lo = normalCdf(pe.low, mu, sigma);
    const at = normalCdf(Math.min(Math.max(t, pe.low), pe.high), mu, sigma);
    total += (w * (at - lo)) / (normalCdf(pe.high, mu, sigma) - lo);
  });
  return total;
}

/** The largest gap between the empirical cdf of `draws` and `cdf` (the Kolmogorov–Smirnov distance). */
function ksDistance(draws: number[], cdf: (x: number) => number): number {
  const sorted = [...draws].sort((a, b) => a - b);
  let d = 0;
  sorted.forEach((x, i) => {
    const f = cdf(x);
    d = Math.max(d, (i + 1) / sorted.length - f, f - i / sorted.length);
  });
  return d;
}

/** The chi-square goodness-of-fit p-value of `draws` against the probabilities of `support`. */
function chiSquarePValue(draws: number[], support: number[], probability: (v: number) => number): number {
  const counts = new Map(support.map((v) => [v, 0]));
  for (const x of draws) counts.set(x, (counts.get(x) ?? Number.NaN) + 1);
  let statistic = 0;
  for (const v of support) {
    const expected = draws.length * probability(v);
    statistic += ((counts.get(v) as number) - expected) ** 2 / expected;
  }
  return chiSquareSf(statistic, support.length - 1);
}

const DRAWS = 20_000;
// The 0.001 critical value of the one-sample KS distance, 1.949/√n.
const KS_CRITICAL = 1.949 / Math.sqrt(DRAWS);

describe('ParzenEstimator.sample', () => {
  it('draws a continuous mixture whose KS distance from its cdf is within the 0.001 critical value', () => {
    const pe = new ParzenEstimator([-4.5, 0.1, 0.3, 7, 9.9], { type: 'float', low: -5, high: 10 });
    const draws = pe.sample(new Random(1), DRAWS);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(-5);
    expect(Math.max(...draws)).toBeLessThanOrEqual(10);
    expect(ksDistance(draws, (x) => mixtureCdf(pe, x))).toBeLessThan(KS_CRITICAL);
    // A shifted target is far away: the check has power.
    expect(ksDistance(draws, (x) => mixtureCdf(pe, x - 0.5))).toBeGreaterThan(2 * KS_CRITICAL);
  });

  it('draws a log domain that is a truncated mixture in ln x', () => {
    const pe = new ParzenEstimator([1e-4, 0.003, 0.02, 0.5], {
      type: 'float',
      low: 1e-4,
      high: 1,
      log: true,
    });
    const draws = pe.sample(new Random(2), DRAWS);
    expect(draws.every((x) => x >= 1e-4 && x <= 1)).toBe(true);
    expect(ksDistance(draws, (x) => mixtureCdf(pe, Math.log(x)))).toBeLessThan(KS_CRITICAL);
  });

  it('draws a stepped integer domain on its grid with the cell probabilities of logPdf', () => {
    const pe = new ParzenEstimator([1, 4, 4, 31], { type: 'int', low: 1, high: 31, step: 3 });
    const grid = Array.from({ length: 11 }, (_, i) => 1 + 3 * i);
    const mass = grid.reduce((s, v) => s + Math.exp(pe.logPdf(v)), 0);
    expect(mass).toBeCloseTo(1, 12);
    const draws = pe.sample(new Random(3), DRAWS);
    expect(draws.every((x) => grid.includes(x))).toBe(true);
    expect(chiSquarePValue(draws, grid, (v) => Math.exp(pe.logPdf(v)))).toBeGreaterThan(1e-3);
  });

  it('draws a stepped float domain on its grid', () => {
    const pe = new ParzenEstimator([-1, 0.5, 2], { type: 'float', low: -1, high: 2, step: 0.25 });
    const grid = Array.from({ length: 13 }, (_, i) => -1 + 0.25 * i);
    const draws = pe.sample(new Random(4), DRAWS);
    expect(draws.every((x) => grid.includes(x))).toBe(true);
    expect(chiSquarePValue(draws, grid, (v) => Math.exp(pe.logPdf(v)))).toBeGreaterThan(1e-3);
  });

  it('draws a log integer domain as rounded exp of the ln-space mixture', () => {
    const pe = new ParzenEstimator([1, 2, 3, 40], { type: 'int', low: 1, high: 50, log: true });
    const support = Array.from({ length: 50 }, (_, i) => i + 1);
    const probability = (v: number) => mixtureCdf(pe, Math.log(v + 0.5)) - mixtureCdf(pe, Math.log(v - 0.5));
    const draws = pe.sample(new Random(5), DRAWS);
    expect(draws.every((x) => Number.isInteger(x) && x >= 1 && x <= 50)).toBe(true);
    expect(chiSquarePValue(draws, support, probability)).toBeGreaterThan(1e-3);
  });

  it('is reproducible for a seed', () => {
    const pe = new ParzenEstimator([0.2, 0.4], { type: 'float', low: 0, high: 1 });
    expect(pe.sample(new Random(9), 50)).toEqual(pe.sample(new Random(9), 50));
    expect(pe.sample(new Random(9), 50)).not.toEqual(pe.sample(new Random(10), 50));
    expect(pe.sample(new Random(9), 0)).toEqual([]);
  });

  it('stays inside any domain and on its grid (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -50, max: 50 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 40 }),
        fc.nat(1000),
        (low, cells, step, fractions, seed) => {
          const high = low + cells * step;
          const observations = fractions.map((f) => low + step * Math.round(f * cells));
          const pe = new ParzenEstimator(observations, { type: 'int', low, high, step });
          for (const x of pe.sample(new Random(seed), 30)) {
            expect(Number.isInteger((x - low) / step) && x >= low && x <= high).toBe(true);
            expect(Number.isFinite(pe.logPdf(x))).toBe(true);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('CategoricalParzenEstimator.sample', () => {
  it('draws choices with the mixture probabilities', () => {
    const pe = new CategoricalParzenEstimator([0, 3, 3, 1], 5);
    const draws = pe.sample(new Random(6), DRAWS);
    const p = (c: number) => Math.exp(pe.logPdf(c));
    expect([0, 1, 2, 3, 4].reduce((s, c) => s + p(c), 0)).toBeCloseTo(1, 14);
    expect(chiSquarePValue(draws, [0, 1, 2, 3, 4], p)).toBeGreaterThan(1e-3);
  });
});

describe('Parzen estimator validation', () => {
  const unit: ParzenDomain = { type: 'float', low: 0, high: 1 };

  it('rejects malformed domains', () => {
    expectInvalid(
      () => new ParzenEstimator([], { type: 'float', low: 1, high: 1 }),
      'domain must have low < high (low <= high when stepped), received [1, 1]',
    );
    expectInvalid(
      () => new ParzenEstimator([], { type: 'float', low: 1, high: 2, log: true, step: 0.5 }),
      'domain cannot be both log and stepped, as in Optuna',
    );
    expectInvalid(
      () => new ParzenEstimator([], { type: 'float', low: 0, high: 2, log: true }),
      'a log domain needs low > 0 (>= 1 for integers), received [0, 2]',
    );
    expectInvalid(
      () => new ParzenEstimator([], { type: 'int', low: 0, high: 2.5 }),
      'an int domain needs integer low, high and step, received [0, 2.5] step 1',
    );
    expectInvalid(
      () => new ParzenEstimator([], { type: 'float', low: 0, high: 1, step: 0 }),
      'Invalid ParzenEstimator domain: step: Too small: expected number to be >0 (received 0)',
    );
  });

  it('rejects observations outside the domain and bad options', () => {
    expectInvalid(
      () => new ParzenEstimator([0.5, 1.5], unit),
      'observations must lie in [0, 1], but observations[1] is 1.5',
    );
    expectInvalid(
      () => new ParzenEstimator([0.5, Number.NaN], unit),
      'observations must contain only finite numbers, but observations[1] is NaN',
    );
    expectInvalid(
      () => new ParzenEstimator([0.5], unit, { priorWeight: -1 }),
      'Invalid ParzenEstimator options: priorWeight: Too small: expected number to be >0 (received -1)',
    );
    expectInvalid(
      () => new ParzenEstimator([0.5], unit, { weights: [1, 1] }),
      'weights must have one entry per observation (1), received 2',
    );
    expectInvalid(() => new ParzenEstimator([0.5], unit, { weights: [0] }), 'weights must not all be zero');
  });

  it('rejects bad categorical input, counts and points', () => {
    expectInvalid(() => new CategoricalParzenEstimator([], 0), 'choices must be an integer >= 1, received 0');
    expectInvalid(
      () => new CategoricalParzenEstimator([0, 3], 3),
      'observations must be choice indices in [0, 2], but observations[1] is 3',
    );
    const pe = new ParzenEstimator([0.5], unit);
    expectInvalid(() => pe.sample(new Random(1), -1), 'count must be an integer >= 0, received -1');
    expectInvalid(() => pe.logPdf(Number.NaN), 'x must be a number, received NaN');
  });

  it('gives −∞ outside the truncation range', () => {
    const pe = new ParzenEstimator([0.5], unit);
    expect(pe.logPdf(1.5)).toBe(Number.NEGATIVE_INFINITY);
    const stepped = new ParzenEstimator([2], { type: 'int', low: 0, high: 4 });
    expect(stepped.logPdf(9)).toBe(Number.NEGATIVE_INFINITY);
  });
});
