import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gridSampler, MAX_GRID_POINTS } from '../../src/tuning/samplers/grid.js';
import type { Params, SearchSpace } from '../../src/tuning/space.js';
import { expectInvalid } from '../helpers.js';
import { FakeStudy, finish, runTrial, start } from './sampler-study.js';

/** The distributions the objective suggests: wide enough to contain every grid value. */
const objectiveSpace: SearchSpace = {
  x: { type: 'int', low: 0, high: 10 },
  k: { type: 'categorical', choices: ['a', 'b', 'c'] },
};
const values = { x: [1, 2, 3, 4], k: ['a', 'b', 'c'] };

const key = (p: Params): string => `${p.x}/${p.k}`;

/** Runs trials one at a time until the sampler stops the study (or `limit` trials). */
function runToStop(seed: number, limit = 50): { study: FakeStudy; points: string[]; stoppedAfter: number } {
  const study = new FakeStudy();
  const sampler = gridSampler({ searchSpace: values, seed });
  let stoppedAfter = -1;
  while (study.stopped === 0 && study.records.length < limit) {
    runTrial(study, sampler, objectiveSpace);
    if (study.stopped > 0) stoppedAfter = study.records.length;
  }
  return { study, points: study.records.map((t) => key(t.params)), stoppedAfter };
}

describe('gridSampler', () => {
  it('visits every combination exactly once, then stops the study', () => {
    const { points, stoppedAfter, study } = runToStop(3);
    expect(stoppedAfter).toBe(12); // when the last trial took the last point, and again when it finished
    expect(study.stopped).toBe(2);
    expect(new Set(points).size).toBe(12);
    expect([...points].sort()).toEqual(values.x.flatMap((x) => values.k.map((k) => `${x}/${k}`)).sort());
  });

  it('visits the points in a shuffled order that the seed fixes', () => {
    const first = runToStop(3).points;
    expect(runToStop(3).points).toEqual(first);
    const other = runToStop(4).points;
    expect(other).not.toEqual(first);
    expect([...other].sort()).toEqual([...first].sort());
    // not the plain product order
    expect(first).not.toEqual(values.x.flatMap((x) => values.k.map((k) => `${x}/${k}`)));
  });

  it('gives trial n the same point whatever the concurrency and suggestion order', () => {
    const sequential = runToStop(5).points;
    const study = new FakeStudy();
    const sampler = gridSampler({ searchSpace: values, seed: 5 });
    // four trials start before any suggests anything, then suggest in reverse order, k before x
    const running = [0, 1, 2, 3].map(() => start(study, sampler));
    for (const r of [...running].reverse()) {
      r.suggest('k', objectiveSpace.k as SearchSpace[string]);
      r.suggest('x', objectiveSpace.x as SearchSpace[string]);
    }
    for (const r of running) finish(study, sampler, r, { values: [0] });
    // a fresh sampler (as after a restart) derives the points of earlier trials from their positions
    const fresh = gridSampler({ searchSpace: values, seed: 5 });
    const late = start(study, fresh);
    late.suggest('x', objectiveSpace.x as SearchSpace[string]);
    late.suggest('k', objectiveSpace.k as SearchSpace[string]);
    expect(study.records.map((t) => key(t.params))).toEqual(sequential.slice(0, 5));
  });

  it('never evaluates a point twice, and gives trial n the same point, with any concurrency and interleaving', () => {
    const op = fc.record({ startFirst: fc.boolean(), pick: fc.nat(), suggestK: fc.boolean() });
    fc.assert(
      fc.property(
        fc.nat(1000),
        fc.integer({ min: 1, max: 5 }),
        fc.array(op, { maxLength: 200 }),
        fc.boolean(),
        (seed, c, ops, stores) => {
          const study = new FakeStudy();
          study.storesAttrs = stores; // with and without the engine keeping grid_id records
          const sampler = gridSampler({ searchSpace: values, seed });
          const running: ReturnType<typeof start>[] = [];
          const step = (o: { startFirst: boolean; pick: number; suggestK: boolean }) => {
            if (study.stopped === 0 && running.length < c && (o.startFirst || running.length === 0)) {
              running.push(start(study, sampler));
              return;
            }
            const r = running[o.pick % running.length];
            if (r === undefined) return;
            const next = o.suggestK && !('k' in r.trial.params) ? 'k' : 'x' in r.trial.params ? 'k' : 'x';
            if (next in r.trial.params) {
              running.splice(running.indexOf(r), 1);
              finish(study, sampler, r, { values: [0] });
            } else r.suggest(next, objectiveSpace[next] as SearchSpace[string]);
          };
          for (const o of ops) step(o);
          // drain: keep going until the study stops and every trial has finished
          for (let i = 0; study.stopped === 0 || running.length > 0; i++)
            step({ startFirst: i % 3 === 0, pick: i, suggestK: i % 2 === 0 });
          const points = study.records.map((t) => key(t.params));
          expect(points.length).toBe(12);
          expect(new Set(points).size).toBe(12);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('derives the points of running trials it did not sample from their positions', () => {
    const sequential = runToStop(6).points;
    const study = new FakeStudy();
    study.storesAttrs = false; // no grid_id records: the second worker must derive the points
    const first = gridSampler({ searchSpace: values, seed: 6 });
    const running = [0, 1, 2].map(() => start(study, first)); // nothing suggested yet
    const second = gridSampler({ searchSpace: values, seed: 6 }); // another worker
    const late = start(study, second);
    late.suggest('x', objectiveSpace.x as SearchSpace[string]);
    late.suggest('k', objectiveSpace.k as SearchSpace[string]);
    for (const r of running) {
      r.suggest('x', objectiveSpace.x as SearchSpace[string]);
      r.suggest('k', objectiveSpace.k as SearchSpace[string]);
    }
    expect(study.records.map((t) => key(t.params))).toEqual(sequential.slice(0, 4));
  });

  it('skips points already taken by warm-started, enqueued or recorded trials', () => {
    const study = new FakeStudy();
    study.add({ params: { x: 2, k: 'b' }, values: [1] }); // a finished trial from elsewhere
    study.add({ params: { x: 9, k: 'a' }, values: [1] }); // off the grid: takes no point
    study.add({ state: 'WAITING', params: { x: 4, k: 'c' } }); // not started: takes no point
    // Optuna's record of grid id 0: names sorted (k, x), the last varying fastest, so k = 'a', x = 1
    study.add({ systemAttrs: { grid_id: 0, search_space: values }, values: [1] });
    const sampler = gridSampler({ searchSpace: values, seed: 1 });
    const enqueued = start(study, sampler, { x: 3 }); // partly enqueued: gets a free point with x = 3
    enqueued.suggest('k', objectiveSpace.k as SearchSpace[string]);
    expect(enqueued.suggest('x', objectiveSpace.x as SearchSpace[string])).toBe(3);
    finish(study, sampler, enqueued, { values: [0] });
    while (study.stopped === 0 && study.records.length < 40) runTrial(study, sampler, objectiveSpace);
    const fresh = study.records.slice(4).map((t) => key(t.params));
    const taken = ['2/b', '1/a', ...fresh];
    expect(fresh.length).toBe(10); // the enqueued trial and nine more
    expect(new Set(taken).size).toBe(12);
    expect(fresh).toContain('4/c');
  });

  it('gives an enqueued trial (fixed_params) a point agreeing with its values, which later trials skip', () => {
    const study = new FakeStudy();
    const sampler = gridSampler({ searchSpace: values, seed: 8 });
    const full = start(study, sampler, {}, { x: 2, k: 'c' });
    const partial = start(study, sampler, {}, { x: 4 });
    for (const r of [full, partial]) {
      r.suggest('x', objectiveSpace.x as SearchSpace[string]);
      r.suggest('k', objectiveSpace.k as SearchSpace[string]);
      finish(study, sampler, r, { values: [0] });
    }
    expect(key(full.trial.params)).toBe('2/c');
    expect(partial.trial.params.x).toBe(4);
    expect(full.trial.systemAttrs.grid_id).toBe(2 * 4 + 1); // k = 'c' is index 2, x = 2 is index 1
    while (study.stopped === 0 && study.records.length < 40) runTrial(study, sampler, objectiveSpace);
    const points = study.records.map((t) => key(t.params));
    expect(points.length).toBe(12);
    expect(new Set(points).size).toBe(12);
  });

  it('numbers grid points as Optuna does and reports them as system attributes', () => {
    const sampler = gridSampler({ searchSpace: { x: [10, 20], k: ['a', 'b', 'c'] } });
    expect(sampler.size).toBe(6);
    expect(sampler.searchSpace).toEqual({ k: ['a', 'b', 'c'], x: [10, 20] });
    const study = new FakeStudy();
    const running = start(study, sampler);
    const k = running.suggest('k', objectiveSpace.k as SearchSpace[string]);
    const x = running.suggest('x', { type: 'int', low: 0, high: 30 });
    const id = ['a', 'b', 'c'].indexOf(k as string) * 2 + [10, 20].indexOf(x as number);
    expect(sampler.systemAttrsFor(study, running.trial)).toEqual({
      grid_id: id,
      search_space: { k: ['a', 'b', 'c'], x: [10, 20] },
    });
  });

  it('expands distributions into their grid points', () => {
    const sampler = gridSampler({
      searchSpace: {
        n: { type: 'int', low: 1, high: 6, step: 2 },
        q: { type: 'float', low: 0, high: 0.3, step: 0.1 },
        kind: { type: 'categorical', choices: ['a', 'b'] },
        fixed: [7],
      },
    });
    expect(sampler.size).toBe(3 * 4 * 2);
    expect(sampler.searchSpace).toEqual({
      fixed: [7],
      kind: ['a', 'b'],
      n: [1, 3, 5],
      q: [0, 0.1, 0.2, 0.3],
    });
  });

  it('re-evaluates a point still running once every point is taken', () => {
    const study = new FakeStudy();
    const sampler = gridSampler({ searchSpace: { x: [1, 2] } });
    const spec = { type: 'int', low: 0, high: 5 } as const;
    const a = start(study, sampler);
    a.suggest('x', spec);
    expect(study.stopped).toBe(0);
    const b = start(study, sampler);
    expect(study.stopped).toBe(1); // both points are taken: no new trial should start
    b.suggest('x', spec);
    finish(study, sampler, a, { values: [0] });
    const extra = start(study, sampler);
    expect(extra.suggest('x', spec)).toBe(b.trial.params.x);
  });

  it('rejects a parameter that is not in the grid, or a grid value outside the distribution', () => {
    const study = new FakeStudy();
    const sampler = gridSampler({ searchSpace: { x: [1, 2.5] }, seed: 2 });
    const running = start(study, sampler);
    expectInvalid(
      () => running.suggest('y', { type: 'float', low: 0, high: 1 }),
      'gridSampler: parameter "y" is not in the grid; the grid has "x"',
    );
    const other = gridSampler({ searchSpace: { x: [2.5], z: ['u'] } });
    expectInvalid(
      () => start(new FakeStudy(), other).suggest('x', { type: 'int', low: 0, high: 5 }),
      'gridSampler: the grid value 2.5 of parameter "x" is outside its distribution, int in [0, 5]',
    );
    expectInvalid(
      () => start(new FakeStudy(), other).suggest('z', { type: 'categorical', choices: ['v', 'w'] }),
      'gridSampler: the grid value "u" of parameter "z" is outside its distribution, categorical from ["v", "w"]',
    );
  });

  it('rejects invalid search spaces and options with exact messages', () => {
    expectInvalid(
      () => gridSampler({ searchSpace: {} }),
      'Invalid gridSampler options: searchSpace: must name at least one parameter (received an object)',
    );
    expectInvalid(
      () => gridSampler({ searchSpace: { x: [] } }),
      'gridSampler: searchSpace.x needs at least one value',
    );
    expectInvalid(
      () => gridSampler({ searchSpace: { x: [1, 2, 1] } }),
      'gridSampler: searchSpace.x lists the value 1 more than once',
    );
    expectInvalid(
      () => gridSampler({ searchSpace: { x: [1, Number.NaN] } }),
      'Invalid gridSampler options: searchSpace.x: expected an array of values (strings, finite numbers, booleans or null) or a distribution (received an array of 2)',
    );
    expectInvalid(
      () => gridSampler({ searchSpace: { x: { type: 'float', low: 0, high: 1 } } }),
      'search space parameter "x" is a continuous float in [0, 1]; grid search needs a step or an explicit list of values (a categorical parameter)',
    );
    expectInvalid(
      () =>
        gridSampler({
          searchSpace: { x: { type: 'int', low: 0, high: 9999 }, y: { type: 'int', low: 0, high: 9999 } },
        }),
      `gridSampler: the grid has 100000000 points; at most ${MAX_GRID_POINTS} are supported`,
    );
    expectInvalid(
      () => gridSampler({ searchSpace: { x: [1] }, seed: -2 }),
      'Invalid gridSampler options: seed: Too small: expected number to be >=0 (received -2)',
    );
  });
});
