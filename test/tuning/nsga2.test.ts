import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import {
  crossover,
  type Individual,
  mutate,
  rankAndCrowding,
  selectParents,
  selectSurvivors,
} from '../../src/tuning/nsga2.js';
import { type Direction, dominates } from '../../src/tuning/pareto.js';
import { type Params, type ParamValue, type SearchSpace, sampleParam } from '../../src/tuning/space.js';
import { loadReferenceCases } from '../fixtures/reference.js';
import { expectInvalid } from '../helpers.js';

const space: SearchSpace = {
  x: { type: 'float', low: -2, high: 3 },
  lr: { type: 'float', low: 1e-4, high: 1, log: true },
  q: { type: 'float', low: 0, high: 1, step: 0.25 },
  n: { type: 'int', low: 1, high: 9, step: 2 },
  width: { type: 'int', low: 1, high: 1000, log: true },
  kind: { type: 'categorical', choices: ['a', 'b', 'c'] },
};

/** Whether `value` lies in the range of `name` and on its grid. */
function inRange(name: string, value: ParamValue): boolean {
  const spec = space[name];
  if (spec === undefined) return false;
  if (spec.type === 'categorical') return spec.choices.includes(value);
  if (typeof value !== 'number' || value < spec.low || value > spec.high) return false;
  if (spec.type === 'float' && spec.step === undefined) return value < spec.high;
  const k = (value - spec.low) / (spec.step ?? 1);
  return Math.abs(k - Math.round(k)) < 1e-12;
}

const mum: Params = { x: -1.5, lr: 0.001, q: 0.25, n: 3, width: 10, kind: 'a' };
const dad: Params = { x: 2.5, lr: 0.5, q: 1, n: 9, width: 700, kind: 'c' };

describe('selectSurvivors against Optuna 3.1.0 _select_elite_population', () => {
  const cases = loadReferenceCases('tuning_pareto').filter((c) => c.fn === 'selectSurvivors');

  it.each(
    cases.map((c, i) => [i, c.args.size as number, c.args.penalties ? 'constrained' : 'plain', c] as const),
  )('case %i (size %i, %s) keeps the same individuals in the same order', (_i, size, _k, c) => {
    const args = c.args as {
      parents: number[][];
      offspring: number[][];
      directions: Direction[];
      penalties: number[][] | null;
    };
    // Optuna pools the offspring first, then the parents; the constraints are listed in that order.
    const withConstraints = (values: number[], i: number): Individual =>
      args.penalties ? { values, constraints: args.penalties[i] as number[] } : { values };
    const offspring = args.offspring.map((v, i) => withConstraints(v, i));
    const parents = args.parents.map((v, i) => withConstraints(v, i + offspring.length));
    const pooled = [...offspring, ...parents];
    const survivors = selectSurvivors(parents, offspring, args.directions, size);
    expect(survivors.map((s) => pooled.indexOf(s))).toEqual((c.expected as { indices: number[] }).indices);
  });
});

describe('selectSurvivors', () => {
  it('keeps the best by rank, then by crowding distance within the last front it cuts', () => {
    const points = fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })), {
      minLength: 4,
      maxLength: 40,
    });
    fc.assert(
      fc.property(points, fc.integer({ min: 1, max: 20 }), (raw, wanted) => {
        const all: Individual[] = raw.map((v) => ({ values: v }));
        const half = Math.floor(all.length / 2);
        const size = Math.min(wanted, all.length);
        const survivors = selectSurvivors(
          all.slice(0, half),
          all.slice(half),
          ['minimize', 'maximize'],
          size,
        );
        expect(survivors.length).toBe(size);
        expect(new Set(survivors).size).toBe(size);
        // ranks and crowding over the pool in Optuna's order (offspring first)
        const pool = [...all.slice(half), ...all.slice(0, half)];
        const { ranks } = rankAndCrowding(pool, ['minimize', 'maximize']);
        const rank = (x: Individual) => ranks[pool.indexOf(x)] as number;
        const worstKept = Math.max(...survivors.map(rank));
        for (const x of pool) if (rank(x) < worstKept) expect(survivors).toContain(x);
      }),
    );
  });

  it('rejects mixed constrained and unconstrained individuals and a bad size', () => {
    const a = { values: [1, 2], constraints: [0] };
    const b = { values: [2, 1] };
    expectInvalid(
      () => selectSurvivors([a], [b], ['minimize', 'minimize']),
      'either every individual has constraints or none has',
    );
    expectInvalid(
      () => selectSurvivors([b], [b], ['minimize', 'minimize'], 0),
      'size must be a positive integer, received 0',
    );
  });
});

describe('selectParents (binary tournament)', () => {
  const draw = (population: { ranks: number[]; crowding: number[] }, seed: number, n: number) => {
    const rng = new Random(seed);
    return Array.from({ length: n }, () => selectParents(population, rng, { count: 1 })[0] as number);
  };

  it('prefers the lower rank: of two individuals the better wins 3/4 of tournaments', () => {
    const wins = draw({ ranks: [1, 0], crowding: [0, 0] }, 1, 20_000).filter((i) => i === 1).length / 20_000;
    expect(Math.abs(wins - 0.75)).toBeLessThan(0.015);
  });

  it('prefers the larger crowding distance between equal ranks', () => {
    const wins =
      draw({ ranks: [0, 0], crowding: [Infinity, 0.5] }, 2, 20_000).filter((i) => i === 0).length / 20_000;
    expect(Math.abs(wins - 0.75)).toBeLessThan(0.015);
  });

  it('picks distinct parents and repeats itself for a seed', () => {
    const population = { ranks: [0, 0, 1, 2, 1], crowding: [1, 2, 0, 0, 3] };
    for (let seed = 0; seed < 200; seed++) {
      const parents = selectParents(population, new Random(seed), { count: 3 });
      expect(new Set(parents).size).toBe(3);
      expect(selectParents(population, new Random(seed), { count: 3 })).toEqual(parents);
    }
  });

  it("reproduces Optuna 3.1's domination-only comparison when asked", () => {
    const values = [
      [0, 5],
      [5, 0],
      [6, 6],
    ];
    const better = (a: number, b: number) =>
      dominates(values[a] as number[], values[b] as number[], ['minimize', 'minimize']);
    const rng = new Random(3);
    const picks = Array.from(
      { length: 9000 },
      () => selectParents({ ranks: [0, 0, 1], crowding: [0, 0, 0] }, rng, { count: 1, better })[0],
    );
    // 2 wins only against itself (1/9); 0 and 1 share the rest equally
    expect(Math.abs(picks.filter((i) => i === 2).length / 9000 - 1 / 9)).toBeLessThan(0.015);
  });

  it('rejects a population too small for the parents asked for', () => {
    expectInvalid(
      () => selectParents({ ranks: [0], crowding: [0] }, new Random(0)),
      'count must be an integer from 1 to the population size 1, received 2',
    );
    expectInvalid(
      () => selectParents({ ranks: [0, 1], crowding: [0] }, new Random(0)),
      'population.ranks and population.crowding must be arrays of the same length',
    );
  });
});

describe('crossover', () => {
  it('uniform: takes each parameter from one parent, each about half the time', () => {
    const rng = new Random(7);
    let fromMum = 0;
    const draws = 4000;
    for (let t = 0; t < draws; t++) {
      const child = crossover([mum, dad], space, rng);
      for (const name of Object.keys(space)) {
        expect(child[name] === mum[name] || child[name] === dad[name]).toBe(true);
        if (child[name] === mum[name]) fromMum++;
      }
    }
    expect(Math.abs(fromMum / (draws * 6) - 0.5)).toBeLessThan(0.01);
    expect(crossover([mum, dad], space, new Random(1), { swappingProb: 1 })).toEqual(mum);
    expect(crossover([mum, dad], space, new Random(1), { swappingProb: 0 })).toEqual(dad);
  });

  it('sbx: children stay in range and on the grids, centred between the parents, repeatable for a seed', () => {
    const rng = new Random(11);
    let sum = 0;
    const draws = 4000;
    for (let t = 0; t < draws; t++) {
      const child = crossover([mum, dad], space, rng, { method: 'sbx' });
      for (const [name, value] of Object.entries(child))
        expect(inRange(name, value), `${name} = ${value}`).toBe(true);
      expect(child.kind === 'a' || child.kind === 'c').toBe(true);
      sum += child.x as number;
    }
    expect(Math.abs(sum / draws - 0.5)).toBeLessThan(0.1); // symmetric about the midpoint of −1.5 and 2.5
    expect(crossover([mum, dad], space, new Random(5), { method: 'sbx', eta: 2 })).toEqual(
      crossover([mum, dad], space, new Random(5), { method: 'sbx', eta: 2 }),
    );
  });

  it('rejects bad options and parents missing a parameter', () => {
    expectInvalid(
      () => crossover([mum, dad], space, new Random(0), { swappingProb: 2 }),
      'swappingProb must be in [0, 1], received 2',
    );
    expectInvalid(
      () => crossover([mum, dad], space, new Random(0), { method: 'blx' as 'sbx' }),
      `method must be 'uniform' or 'sbx', received "blx"`,
    );
    expectInvalid(
      () => crossover([mum, dad], space, new Random(0), { eta: 0 }),
      'eta must be a positive finite number, received 0',
    );
    expectInvalid(
      () => crossover([mum, { x: 1 }], space, new Random(0)),
      'parents[1] has no value for parameter "lr"',
    );
  });
});

describe('mutate and sampleParam', () => {
  it('re-draws each parameter with probability 1 / (number of parameters) by default', () => {
    const rng = new Random(13);
    const continuous: SearchSpace = {
      a: space.x as SearchSpace[string],
      b: space.lr as SearchSpace[string],
      c: space.x as SearchSpace[string],
      d: space.x as SearchSpace[string],
    };
    const child = { a: 0.5, b: 0.01, c: 0.5, d: 0.5 };
    let changed = 0;
    for (let t = 0; t < 5000; t++) {
      const out = mutate(child, continuous, rng);
      changed += Object.keys(child).filter((k) => out[k] !== child[k as keyof typeof child]).length;
    }
    expect(Math.abs(changed / 20_000 - 0.25)).toBeLessThan(0.01);
    expect(mutate(mum, space, new Random(1), 0)).toEqual(mum);
  });

  it('draws every value inside its range and on its grid, the ends of int ranges included', () => {
    const rng = new Random(17);
    const seen = new Set<number | string>();
    for (let t = 0; t < 3000; t++) {
      const out = mutate(mum, space, rng, 1);
      for (const [name, value] of Object.entries(out))
        expect(inRange(name, value), `${name} = ${value}`).toBe(true);
      seen.add(out.n as number);
    }
    expect([...seen].sort()).toEqual([1, 3, 5, 7, 9]);
  });

  it('draws log ranges uniformly on the log scale', () => {
    const rng = new Random(19);
    const logs = Array.from({ length: 20_000 }, () =>
      Math.log10(sampleParam({ type: 'float', low: 1e-4, high: 1, log: true }, rng) as number),
    );
    const below = logs.filter((v) => v < -2).length / logs.length;
    expect(Math.abs(below - 0.5)).toBeLessThan(0.015);
  });

  it('rejects an invalid search space with the rule it breaks', () => {
    expectInvalid(
      () => mutate({ x: 1 }, { x: { type: 'float', low: 2, high: 1 } }, new Random(0)),
      'search space parameter "x" needs finite low <= high, received low=2, high=1',
    );
    expectInvalid(
      () => mutate({ x: 1 }, { x: { type: 'float', low: 0, high: 1, log: true } }, new Random(0)),
      'search space parameter "x" is on a log scale and needs low > 0',
    );
    expectInvalid(
      () => mutate({ x: 1 }, { x: { type: 'float', low: 1, high: 2, log: true, step: 0.5 } }, new Random(0)),
      'search space parameter "x" cannot have both log and step',
    );
    expectInvalid(
      () => mutate({ x: 1 }, { x: { type: 'int', low: 0, high: 5, step: 2 } }, new Random(0)),
      'search space parameter "x" needs a positive step that divides high - low, received step=2',
    );
    expectInvalid(
      () => mutate({ x: 1 }, { x: { type: 'int', low: 0.5, high: 5 } }, new Random(0)),
      'search space parameter "x" is an int parameter and needs integer bounds',
    );
    expectInvalid(
      () => mutate({ x: 1 }, { x: { type: 'categorical', choices: [] } }, new Random(0)),
      'search space parameter "x" needs at least one choice',
    );
    expectInvalid(
      () => mutate({ x: 1 }, {}, new Random(0)),
      'the search space must name at least one parameter',
    );
    expectInvalid(() => mutate({ x: 1 }, space, new Random(0), 1.5), 'child has no value for parameter "lr"');
    expectInvalid(
      () => mutate(mum, space, new Random(0), 1.5),
      'mutationProb must be in [0, 1], received 1.5',
    );
  });
});
