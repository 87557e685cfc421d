import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SOBOL_MAX_DIMENSIONS, Sobol } from '../../src/tuning/sobol.js';
import { SOBOL_DIRECTIONS } from '../../src/tuning/sobol-directions.js';
import { close, loadReferenceCases, type ReferenceCase } from '../fixtures/reference.js';
import { expectInvalid } from '../helpers.js';

const cases = loadReferenceCases('tuning_sobol');

/** The one reference case of kind `fn` (and `dimensions`, if given). */
function referenceCase(fn: string, dimensions?: number): ReferenceCase {
  const found = cases.find(
    (c) =>
      c.fn === fn &&
      (dimensions === undefined || (c.args as { dimensions?: number }).dimensions === dimensions),
  );
  if (found === undefined) throw new Error(`no reference case ${fn} ${dimensions ?? ''}`);
  return found;
}
const TWO_POW_30 = 2 ** 30;

interface UnscrambledArgs {
  dimensions: number;
  n: number;
  indices: number[];
}

/** The first `n` points of an engine, each coordinate as its numerator over 2^30 (exact for Sobol' points). */
function numerators(engine: Sobol, n: number): number[][] {
  return Array.from({ length: n }, () => Array.from(engine.next(), (x) => x * TWO_POW_30));
}

function pick<T>(rows: T[], indices: number[]): T[] {
  return indices.map((i) => rows[i] as T);
}

describe('Sobol against scipy.stats.qmc.Sobol (scramble=False)', () => {
  const unscrambled = cases.filter((c) => c.fn === 'sobolUnscrambled');

  it('carries the first 40 rows of scipy 1.10 direction numbers (new-joe-kuo-6.21201)', () => {
    const reference = referenceCase('directionTable');
    expect(SOBOL_MAX_DIMENSIONS).toBe(40);
    expect(SOBOL_DIRECTIONS.map(([poly, initial]) => [poly, [...initial]])).toEqual(
      (reference.expected as { table: unknown }).table,
    );
  });

  it('has reference points for d = 1, 2, 5, 13 and 40', () => {
    expect(unscrambled.map((c) => (c.args as unknown as UnscrambledArgs).dimensions)).toEqual([
      1, 2, 5, 13, 40,
    ]);
  });

  it.each(unscrambled.map((c) => [(c.args as unknown as UnscrambledArgs).dimensions, c] as const))(
    'equals scipy bit for bit in %i dimensions over 1024 points',
    (_d, c) => {
      const args = c.args as unknown as UnscrambledArgs;
      const points = numerators(new Sobol(args.dimensions, { scramble: false }), args.n);
      expect(pick(points, args.indices)).toEqual((c.expected as { numerators: number[][] }).numerators);
    },
  );

  it('equals the first d coordinates of scipy’s 40-dimensional points for every d from 1 to 40', () => {
    const c = referenceCase('sobolUnscrambled', 40);
    const args = c.args as unknown as UnscrambledArgs;
    const expected = (c.expected as { numerators: number[][] }).numerators;
    for (let d = 1; d <= 40; d++) {
      const points = pick(numerators(new Sobol(d, { scramble: false }), args.n), args.indices);
      expect(points, `d = ${d}`).toEqual(expected.map((row) => row.slice(0, d)));
    }
  });

  it.each(
    cases
      .filter((c) => c.fn === 'sobolSkip')
      .map((c) => {
        const a = c.args as { dimensions: number; before: number; skip: number; draw: number };
        return [a.dimensions, a.before, a.skip, a.draw, c] as const;
      }),
  )('skips like scipy’s fast_forward (d = %i, %i drawn, skip %i, draw %i)', (d, before, skip, draw, c) => {
    const engine = new Sobol(d, { scramble: false });
    numerators(engine, before);
    engine.skip(skip);
    expect(engine.index).toBe(before + skip);
    expect(numerators(engine, draw)).toEqual((c.expected as { numerators: number[][] }).numerators);
  });

  it('reproduces the parameters Optuna 3.1’s QMCSampler suggests from trial 1 on, starting at the lower bounds', () => {
    const c = referenceCase('optunaQmcSampler');
    const bounds = (c.args as { bounds: [number, number][] }).bounds;
    const expected = c.expected as { optuna: string; params: number[][] };
    expect(expected.optuna).toBe('3.1.0');
    expect(expected.params[1]).toEqual(bounds.map(([low]) => low));
    // Trial 0 comes from Optuna's independent sampler; trial k >= 1 is point k - 1 of a fresh, skipped engine.
    for (let trial = 1; trial < expected.params.length; trial++) {
      const engine = new Sobol(bounds.length, { scramble: false });
      engine.skip(trial - 1);
      const u = engine.next();
      const params = bounds.map(([low, high], j) => low + (u[j] as number) * (high - low));
      params.forEach((p, j) => {
        expect(close(p, expected.params[trial]?.[j] as number, 1e-15), `trial ${trial}`).toBe(true);
      });
    }
  });
});

describe('Sobol unscrambled behaviour', () => {
  it('starts at the all-zero point, then the centre', () => {
    const engine = new Sobol(3, { scramble: false });
    expect(engine.index).toBe(0);
    expect([...engine.next()]).toEqual([0, 0, 0]);
    expect([...engine.next()]).toEqual([0.5, 0.5, 0.5]);
    expect(engine.index).toBe(2);
  });

  it('ignores the seed when not scrambling', () => {
    expect(numerators(new Sobol(4, { scramble: false, seed: 9 }), 64)).toEqual(
      numerators(new Sobol(4, { scramble: false }), 64),
    );
  });

  it('lands after skip(n) where n further draws would have left it, scrambled or not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 300 }),
        fc.boolean(),
        (d, before, skip, scramble) => {
          const drawn = new Sobol(d, { scramble, seed: 5 });
          numerators(drawn, before + skip);
          const skipped = new Sobol(d, { scramble, seed: 5 });
          numerators(skipped, before);
          skipped.skip(skip);
          expect(numerators(skipped, 3)).toEqual(numerators(drawn, 3));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('draws the last of its 2^30 points and then refuses to go on', () => {
    const engine = new Sobol(2, { scramble: false });
    engine.skip(TWO_POW_30 - 1);
    const last = engine.next();
    expect(last.every((x) => x >= 0 && x < 1)).toBe(true);
    expectInvalid(
      () => engine.next(),
      'Sobol sequence is exhausted: at most 2^30 = 1073741824 points can be drawn',
    );
  });
});

/** How many of the first 2^k values of `column` fall in each interval of width 2^-k. */
function strataCounts(column: number[], k: number): number[] {
  const counts = new Array<number>(2 ** k).fill(0);
  for (const x of column.slice(0, 2 ** k)) {
    const stratum = Math.floor(x * 2 ** k);
    counts[stratum] = (counts[stratum] as number) + 1;
  }
  return counts;
}

function points(d: number, n: number, seed: number): Float64Array[] {
  const engine = new Sobol(d, { scramble: true, seed });
  return Array.from({ length: n }, () => engine.next());
}

describe('Sobol scrambled (linear matrix scramble + digital shift)', () => {
  it('scrambles by default with seed 0', () => {
    const byDefault = new Sobol(3);
    expect(byDefault.scrambled).toBe(true);
    expect(Array.from({ length: 16 }, () => byDefault.next())).toEqual(points(3, 16, 0));
  });

  it('gives the same points for the same seed and different points for different seeds', () => {
    expect(points(6, 128, 42)).toEqual(points(6, 128, 42));
    const a = points(6, 128, 42);
    const b = points(6, 128, 43);
    for (let j = 0; j < 6; j++) expect(a.map((p) => p[j])).not.toEqual(b.map((p) => p[j]));
  });

  it('does not start at the all-zero point', () => {
    expect([...(points(5, 1, 1)[0] as Float64Array)].some((x) => x !== 0)).toBe(true);
  });

  it('scrambles each coordinate independently of how many dimensions there are', () => {
    const five = points(5, 256, 7);
    const forty = points(40, 256, 7);
    expect(forty.map((p) => [...p.slice(0, 5)])).toEqual(five.map((p) => [...p]));
  });

  it('keeps exactly one of the first 2^k points in each interval of width 2^-k, k = 0..10, every coordinate', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 40 }), (seed) => {
        const pts = points(SOBOL_MAX_DIMENSIONS, 1024, seed);
        for (let j = 0; j < SOBOL_MAX_DIMENSIONS; j++) {
          const column = pts.map((p) => p[j] as number);
          for (let k = 0; k <= 10; k++) {
            expect(
              strataCounts(column, k).every((count) => count === 1),
              `seed ${seed}, j ${j}, k ${k}`,
            ).toBe(true);
          }
        }
      }),
      { numRuns: 5 },
    );
  });

  it('has coordinate means within 1e-3 of 0.5 over 2^14 points', () => {
    const pts = points(10, 2 ** 14, 2026);
    for (let j = 0; j < 10; j++) {
      const mean = pts.reduce((sum, p) => sum + (p[j] as number), 0) / pts.length;
      expect(Math.abs(mean - 0.5)).toBeLessThan(1e-3);
    }
  });

  it('stays in [0, 1)', () => {
    expect(points(40, 4096, 3).every((p) => p.every((x) => x >= 0 && x < 1))).toBe(true);
  });
});

describe('Sobol validation', () => {
  it('refuses more dimensions than its direction numbers hold, and fewer than one', () => {
    const message = (received: string) =>
      `Sobol dimensions must be an integer from 1 to 40 (the direction numbers held), received ${received}`;
    expectInvalid(() => new Sobol(41), message('41'));
    expectInvalid(() => new Sobol(0), message('0'));
    expectInvalid(() => new Sobol(2.5), message('2.5'));
    expectInvalid(() => new Sobol(Number.NaN), message('NaN'));
  });

  it('validates its options', () => {
    expectInvalid(
      () => new Sobol(2, { seed: -1 }),
      'Invalid Sobol options: seed: Too small: expected number to be >=0 (received -1)',
    );
    expectInvalid(
      () => new Sobol(2, { scrambled: true } as never),
      'Invalid Sobol options: Unrecognized key: "scrambled"',
    );
  });

  it('refuses a negative, fractional or too large skip', () => {
    const engine = new Sobol(2, { scramble: false });
    engine.next();
    const message = (received: string) =>
      `Sobol.skip needs an integer from 0 to 1073741823 (2^30 points less the 1 already drawn or skipped), received ${received}`;
    expectInvalid(() => engine.skip(-1), message('-1'));
    expectInvalid(() => engine.skip(0.5), message('0.5'));
    expectInvalid(() => engine.skip(TWO_POW_30), message('1073741824'));
    expect(engine.index).toBe(1);
  });
});
