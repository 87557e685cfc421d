import { describe, expect, it } from 'vitest';
import { type TestFunction, testFunctions } from '../../bench/lib/test-functions.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';
import { expectInvalid } from '../helpers.js';

interface FunctionArgs {
  name: string;
  points: number[][];
}

interface FunctionExpected {
  values: number[];
  minimum: number;
}

const cases = loadReferenceCases('tuning_functions');

function byName(name: string): TestFunction {
  const found = testFunctions.find((f) => f.name === name);
  if (found === undefined) throw new Error(`no test function named ${name}`);
  return found;
}

describe('benchmark test functions (Virtual Library of Simulation Experiments)', () => {
  it('are the seven functions of the tuning benchmark, with their boxes', () => {
    expect(testFunctions.map((f) => [f.name, f.dimensions])).toEqual([
      ['Branin', 2],
      ['Hartmann3', 3],
      ['Hartmann6', 6],
      ['Rosenbrock-4D', 4],
      ['Ackley-5D', 5],
      ['Styblinski-Tang-5D', 5],
      ['Levy-5D', 5],
    ]);
    expect(byName('Branin').bounds).toEqual([
      [-5, 10],
      [0, 15],
    ]);
    expect(byName('Ackley-5D').bounds).toEqual(Array.from({ length: 5 }, () => [-32.768, 32.768]));
    for (const f of testFunctions) expect(f.bounds).toHaveLength(f.dimensions);
  });

  it('have the literature minima', () => {
    const literature: Record<string, number> = {
      Branin: 0.397887,
      Hartmann3: -3.86278,
      Hartmann6: -3.32237,
      'Rosenbrock-4D': 0,
      'Ackley-5D': 0,
      'Styblinski-Tang-5D': -39.16617 * 5,
      'Levy-5D': 0,
    };
    for (const f of testFunctions) {
      expect(Math.abs(f.optimum - (literature[f.name] as number)), f.name).toBeLessThan(5e-5);
    }
  });

  it.each(testFunctions.map((f) => [f.name, f] as const))(
    '%s reaches its optimum to 1e-5 at each known minimiser, inside its box',
    (_name, f) => {
      expect(f.minimisers.length).toBeGreaterThan(0);
      for (const x of f.minimisers) {
        expect(
          x.every((v, i) => v >= (f.bounds[i]?.[0] as number) && v <= (f.bounds[i]?.[1] as number)),
        ).toBe(true);
        expect(Math.abs(f.fn(x) - f.optimum), `at ${x.join(', ')}`).toBeLessThan(1e-5);
      }
    },
  );

  it('has reference values for every function', () => {
    expect(cases.map((c) => (c.args as unknown as FunctionArgs).name)).toEqual(
      testFunctions.map((f) => f.name),
    );
  });

  it.each(cases.map((c) => [(c.args as unknown as FunctionArgs).name, c] as const))(
    '%s agrees with the Python formulas at 9 points, and its optimum with the scipy-refined minimum',
    (name, c) => {
      const f = byName(name);
      const args = c.args as unknown as FunctionArgs;
      const expected = c.expected as unknown as FunctionExpected;
      args.points.forEach((x, i) => {
        const actual = f.fn(x);
        const wanted = expected.values[i] as number;
        expect(
          close(actual, wanted, 1e-12, 1e-12),
          `${name}(${x.join(', ')}) = ${actual}, not ${wanted}`,
        ).toBe(true);
      });
      expect(close(f.optimum, expected.minimum, 1e-9, 1e-12), `${f.optimum} vs ${expected.minimum}`).toBe(
        true,
      );
    },
  );

  it('accepts a Float64Array point', () => {
    const f = byName('Hartmann3');
    const x = [0.2, 0.4, 0.6];
    expect(f.fn(Float64Array.from(x))).toBe(f.fn(x));
  });

  it('refuses a point of the wrong length or with a non-finite coordinate', () => {
    expectInvalid(() => byName('Branin').fn([1, 2, 3]), 'Branin needs a point of 2 coordinates, received 3');
    expectInvalid(
      () => byName('Levy-5D').fn([1, 1, Number.NaN, 1, 1]),
      'Levy-5D needs finite coordinates, received NaN at index 2',
    );
  });
});
