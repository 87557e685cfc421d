import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  crowdingDistance,
  type Direction,
  dominates,
  hypervolume,
  nonDominatedFronts,
  nonDominatedSort,
  paretoFront,
} from '../../src/tuning/pareto.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';
import { expectInvalid } from '../helpers.js';

type Points = number[][];
const cases = loadReferenceCases('tuning_pareto');
const byFn = (fn: string) => cases.filter((c) => c.fn === fn);

describe('multi-objective machinery against Optuna 3.1.0', () => {
  it('has reference cases from Optuna 3.1.0 over 2 to 4 objectives and 5 to 200 points', () => {
    expect(new Set(cases.map((c) => (c.expected as { optuna: string }).optuna))).toEqual(new Set(['3.1.0']));
    const sizes = byFn('nonDominatedSort').map((c) => (c.args.values as Points).length);
    expect(Math.min(...sizes)).toBe(5);
    expect(Math.max(...sizes)).toBe(200);
    const dims = byFn('hypervolume').map((c) => (c.args.reference as number[]).length);
    expect(new Set(dims)).toEqual(new Set([2, 3, 4]));
  });

  it('dominates agrees with optuna.study._multi_objective._dominates on every pair, equal points included', () => {
    const pairs = byFn('dominates');
    expect(pairs.length).toBeGreaterThan(400);
    expect(pairs.some((c) => (c.expected as { dominates: boolean }).dominates)).toBe(true);
    const mismatches = pairs.filter((c) => {
      const { a, b, directions } = c.args as { a: number[]; b: number[]; directions: Direction[] };
      return dominates(a, b, directions) !== (c.expected as { dominates: boolean }).dominates;
    });
    expect(mismatches).toEqual([]);
  });

  it.each(
    byFn('paretoFront').map(
      (c, i) =>
        [i, (c.args.values as Points).length, (c.args.directions as Direction[]).join(','), c] as const,
    ),
  )('paretoFront case %i (%i points, %s) is _get_pareto_front_trials exactly', (_i, _n, _d, c) => {
    const { values, directions } = c.args as { values: Points; directions: Direction[] };
    expect(paretoFront(values, directions)).toEqual((c.expected as { indices: number[] }).indices);
  });

  it.each(
    byFn('nonDominatedSort').map(
      (c, i) => [i, (c.args.values as Points).length, c.args.penalties ? 'constrained' : 'plain', c] as const,
    ),
  )(
    'nonDominatedSort case %i (%i points, %s) gives _fast_non_dominated_sort fronts, in order',
    (_i, _n, _k, c) => {
      const { values, directions, penalties } = c.args as {
        values: Points;
        directions: Direction[];
        penalties: Points | null;
      };
      const expected = (c.expected as { fronts: number[][] }).fronts;
      expect(nonDominatedFronts(values, directions, penalties ?? undefined)).toEqual(expected);
      const ranks = nonDominatedSort(values, directions, penalties ?? undefined);
      expected.forEach((front, rank) => {
        for (const i of front) expect(ranks[i]).toBe(rank);
      });
    },
  );

  it.each(byFn('crowdingDistance').map((c, i) => [i, (c.args.values as Points).length, c] as const))(
    'crowdingDistance case %i (%i points) agrees with _calc_crowding_distance to 1e-12',
    (_i, _n, c) => {
      const actual = crowdingDistance(c.args.values as Points);
      const expected = (c.expected as { distances: number[] }).distances;
      expect(actual.length).toBe(expected.length);
      expected.forEach((e, i) => {
        expect(close(actual[i] as number, e, 1e-12), `point ${i}: ${actual[i]} vs ${e}`).toBe(true);
      });
    },
  );

  it.each(
    [...byFn('hypervolume'), ...byFn('hypervolume2d')].map(
      (c, i) =>
        [i, c.fn, (c.args.points as Points).length, (c.args.reference as number[]).length, c] as const,
    ),
  )('hypervolume case %i (%s, %i points, %i objectives) agrees with WFG to 1e-12', (_i, _fn, _n, _m, c) => {
    const { points, reference } = c.args as { points: Points; reference: number[] };
    const expected = (c.expected as { volume: number }).volume;
    expect(
      close(hypervolume(points, reference), expected, 1e-12),
      `${hypervolume(points, reference)} vs ${expected}`,
    ).toBe(true);
  });
});

const objective = fc.integer({ min: -5, max: 5 });
const pointSets = (m: number) =>
  fc.array(fc.array(objective, { minLength: m, maxLength: m }), { minLength: 1, maxLength: 30 });

describe('Pareto dominance and sorting', () => {
  it('keeps both copies of a duplicated non-dominated point', () => {
    expect(
      paretoFront(
        [
          [1, 2],
          [1, 2],
          [2, 1],
          [2, 2],
        ],
        ['minimize', 'minimize'],
      ),
    ).toEqual([0, 1, 2]);
    expect(
      paretoFront(
        [
          [1, 2, 0],
          [1, 2, 0],
          [2, 2, 0],
        ],
        ['minimize', 'minimize', 'minimize'],
      ),
    ).toEqual([0, 1]);
  });

  it('reads maximised objectives as negated minimised ones', () => {
    expect(dominates([3, 1], [2, 1], ['maximize', 'minimize'])).toBe(true);
    expect(dominates([2, 1], [3, 1], ['maximize', 'minimize'])).toBe(false);
    expect(dominates([1, 1], [1, 1], ['maximize', 'minimize'])).toBe(false);
  });

  it('returns the rank-0 points as the Pareto front, for any number of objectives', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 4 })
          .chain((m) =>
            fc.tuple(
              pointSets(m),
              fc.array(fc.constantFrom<Direction>('minimize', 'maximize'), { minLength: m, maxLength: m }),
            ),
          ),
        ([values, directions]) => {
          const ranks = nonDominatedSort(values, directions);
          const front = ranks.flatMap((r, i) => (r === 0 ? [i] : []));
          expect(paretoFront(values, directions)).toEqual(front);
          // every point of rank r > 0 is dominated by some point of rank r − 1, and by none of its own rank
          values.forEach((v, i) => {
            const r = ranks[i] as number;
            if (r > 0)
              expect(values.some((w, j) => ranks[j] === r - 1 && dominates(w, v, directions))).toBe(true);
            expect(values.some((w, j) => ranks[j] === r && dominates(w, v, directions))).toBe(false);
          });
        },
      ),
    );
  });

  it('ranks every feasible point ahead of every infeasible one, and infeasible points by total violation', () => {
    const values = [
      [0, 0],
      [5, 5],
      [1, 1],
      [9, 9],
    ];
    const penalties = [
      [0.5, 0.5],
      [0, -1],
      [2, -3],
      [-1, 0],
    ];
    // feasible: 1 and 3 (3 is dominated by 1); infeasible: 0 (violation 1) beats 2 (violation 2)
    expect(nonDominatedSort(values, ['minimize', 'minimize'], penalties)).toEqual([2, 0, 3, 1]);
    // equal violations tie whatever the objectives say
    expect(
      nonDominatedSort(
        [
          [0, 0],
          [9, 9],
        ],
        ['minimize', 'minimize'],
        [[1], [1]],
      ),
    ).toEqual([0, 0]);
  });

  it('accepts infinite objective values', () => {
    expect(
      paretoFront(
        [
          [Number.NEGATIVE_INFINITY, 5],
          [0, 0],
          [Number.POSITIVE_INFINITY, -1],
        ],
        ['minimize', 'minimize'],
      ),
    ).toEqual([0, 1, 2]);
    // the range of objective 0 is over its finite values, 0 to 2; a neighbour at -Infinity makes an infinite gap
    const d = crowdingDistance([
      [Number.NEGATIVE_INFINITY, 1],
      [0, 2],
      [1, 3],
      [2, 4],
    ]);
    expect([d[0], d[1], d[3]]).toEqual([Infinity, Infinity, Infinity]);
    expect(d[2]).toBeCloseTo(2 / 2 + 2 / 3, 15);
  });

  it('gives 0 to every point of a constant objective and Infinity to the extremes', () => {
    expect(
      crowdingDistance([
        [1, 7],
        [2, 7],
        [4, 7],
      ]),
    ).toEqual([Infinity, 1, Infinity]);
    expect(
      crowdingDistance([
        [1, 1],
        [1, 1],
      ]),
    ).toEqual([0, 0]);
    expect(crowdingDistance([])).toEqual([]);
  });

  it('rejects malformed input with a message saying what is expected', () => {
    expectInvalid(
      () => dominates([1], [2], []),
      `directions must be a non-empty array of 'minimize' or 'maximize'`,
    );
    expectInvalid(
      () => dominates([1], [2], ['up' as Direction]),
      `directions must be a non-empty array of 'minimize' or 'maximize'`,
    );
    expectInvalid(
      () => dominates([1, 2], [2], ['minimize', 'minimize']),
      'b has 1 objectives, but directions has 2',
    );
    expectInvalid(
      () => dominates([1, Number.NaN], [2, 2], ['minimize', 'minimize']),
      'a[1] must be a number (Infinity is allowed, NaN is not), received NaN',
    );
    expectInvalid(
      () => paretoFront('x' as unknown as Points, ['minimize']),
      'values must be an array of points, each an array of numbers',
    );
    expectInvalid(
      () => paretoFront([[1, 2], [3]], ['minimize', 'minimize']),
      'values[1] has 1 objectives, but directions has 2',
    );
    expectInvalid(
      () => nonDominatedSort([[1], [2]], ['minimize'], [[1]]),
      'penalties must hold one array of constraint values per point: expected 2, received 1',
    );
    expectInvalid(
      () => nonDominatedSort([[1], [2]], ['minimize'], [[1], [1, 2]]),
      'penalties[1] must be an array of as many constraint values as penalties[0]',
    );
    expectInvalid(
      () => nonDominatedSort([[1], [2]], ['minimize'], [[1], [Number.NaN]]),
      'penalties[1][0] must be a number, received NaN',
    );
    expectInvalid(() => crowdingDistance([[1, 2], [1]]), 'values[1] has 1 objectives, but values[0] has 2');
  });
});

describe('hypervolume', () => {
  it('is the area of the union of boxes in two objectives', () => {
    // boxes to (4, 4): [1,4]x[3,4] ∪ [2,4]x[1,4] = 3 + 6 − 2 (their overlap [2,4]x[3,4])
    expect(
      hypervolume(
        [
          [1, 3],
          [2, 1],
        ],
        [4, 4],
      ),
    ).toBe(7);
    expect(hypervolume([[1, 1, 1]], [2, 3, 4])).toBe(6);
  });

  it('leaves out points that do not lie strictly below the reference', () => {
    expect(
      hypervolume(
        [
          [1, 3],
          [5, 0],
          [2, 4],
        ],
        [4, 4],
      ),
    ).toBe(3);
    expect(hypervolume([[5, 5, 5]], [4, 4, 4])).toBe(0);
    expect(hypervolume([], [1, 1])).toBe(0);
  });

  it('does not change when dominated points are added or the points are reordered', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 4 }).chain((m) => pointSets(m)),
        fc.integer({ min: 0, max: 1000 }),
        (points, seed) => {
          const m = (points[0] as number[]).length;
          const reference = new Array<number>(m).fill(6);
          const base = hypervolume(points, reference);
          const worse = points.map((p) => p.map((v, k) => Math.min(6, v + ((seed >> k) & 1))));
          const shuffled = [...points].reverse();
          expect(hypervolume([...points, ...worse], reference)).toBeCloseTo(base, 9);
          expect(hypervolume(shuffled, reference)).toBeCloseTo(base, 9);
          const front = paretoFront(points, new Array<Direction>(m).fill('minimize'));
          expect(
            hypervolume(
              front.map((i) => points[i] as number[]),
              reference,
            ),
          ).toBeCloseTo(base, 9);
        },
      ),
    );
  });

  it('rejects malformed input with a message saying what is expected', () => {
    expectInvalid(() => hypervolume([[1, 2]], []), 'reference must be a non-empty array of finite numbers');
    expectInvalid(
      () => hypervolume([[1, 2]], [1, Number.POSITIVE_INFINITY]),
      'reference[1] must be a finite number, received Infinity',
    );
    expectInvalid(
      () => hypervolume([[1, 2, 3]], [4, 4]),
      'points[0] must be an array of 2 numbers, as many as reference',
    );
    expectInvalid(
      () => hypervolume([[1, Number.NaN]], [4, 4]),
      'points[0][1] must be a finite number, received NaN',
    );
  });
});
