import { describe, expect, it } from 'vitest';
import { hypervolume, paretoFront } from '../../src/tuning/pareto.js';
import {
  GENERATION_ATTR,
  generationsOf,
  nsga2Memory,
  nsga2Sampler,
  parentPopulation,
} from '../../src/tuning/samplers/nsga2.js';
import { randomSampler } from '../../src/tuning/samplers/random.js';
import type { Params, SearchSpace } from '../../src/tuning/space.js';
import type { FrozenTrial, StudyDirection } from '../../src/tuning/types.js';
import { loadReferenceCases } from '../fixtures/reference.js';
import { expectInvalid } from '../helpers.js';
import { FakeStudy, finish, frozen, runTrial, start } from './sampler-study.js';

interface StudyArgs {
  populationSize: number;
  directions: StudyDirection[];
  trials: {
    number: number;
    state: FrozenTrial['state'];
    values: number[] | null;
    constraints: number[] | null;
  }[];
}

const cases = loadReferenceCases('tuning_samplers').filter((c) => c.fn === 'nsga2ParentPopulation');

function recordsOf(args: StudyArgs, generations?: number[]): FrozenTrial[] {
  return args.trials.map((t) =>
    frozen({
      number: t.number,
      state: t.state,
      ...(t.values === null ? {} : { values: t.values, value: t.values[0] }),
      ...(t.constraints === null ? {} : { constraints: t.constraints }),
      systemAttrs: generations === undefined ? {} : { [GENERATION_ATTR]: generations[t.number] as number },
    }),
  );
}

describe('NSGA-II parent population against Optuna 3.1 NSGAIISampler._collect_parent_population', () => {
  it.each(cases.map((c, i) => [i, c] as const))(
    'study %i: every trial is bred from the same parents',
    (_i, c) => {
      const args = c.args as unknown as StudyArgs;
      const expected = c.expected as { generations: number[]; parents: number[][] };
      const records = recordsOf(args);
      const memory = nsga2Memory();
      for (let m = 0; m <= records.length; m++) {
        // derived from the records alone (no generation attributes), reusing what earlier calls worked out
        const { generation, parents } = parentPopulation(
          records,
          args.directions,
          args.populationSize,
          m,
          memory,
        );
        expect(generation).toBe(expected.generations[m]);
        expect(parents.map((p) => p.trial.number)).toEqual(expected.parents[m]);
      }
      expect(generationsOf(records, args.populationSize).generations).toEqual(
        expected.generations.slice(0, -1),
      );
      // and without memory, for the whole study at once
      const { parents } = parentPopulation(records, args.directions, args.populationSize);
      expect(parents.map((p) => p.trial.number)).toEqual(expected.parents.at(-1));
    },
  );

  it.each(cases.map((c, i) => [i, c] as const))(
    'study %i: stored generation attributes give the same',
    (_i, c) => {
      const args = c.args as unknown as StudyArgs;
      const expected = c.expected as { generations: number[]; parents: number[][] };
      const records = recordsOf(args, expected.generations);
      const { parents } = parentPopulation(records, args.directions, args.populationSize);
      expect(parents.map((p) => p.trial.number)).toEqual(expected.parents.at(-1));
    },
  );

  it('keeps a stored generation even where the rule would place the trial elsewhere', () => {
    const records = [0, 1, 2, 3].map((number) => frozen({ number, values: [number] }));
    records[1] = { ...(records[1] as FrozenTrial), systemAttrs: { [GENERATION_ATTR]: 3 } };
    const { generations, next } = generationsOf(records, 2);
    expect(generations).toEqual([0, 3, 0, 1]);
    expect(next).toBe(1);
  });
});

const space: SearchSpace = {
  x: { type: 'float', low: 0, high: 1 },
  y: { type: 'float', low: 0, high: 1 },
  n: { type: 'int', low: 1, high: 64, log: true },
  kind: { type: 'categorical', choices: ['a', 'b', 'c'] },
  one: { type: 'int', low: 3, high: 3 },
};

/** ZDT1-like: two objectives to minimise, with a constraint x + y >= 0.3 (as a value <= 0 when satisfied). */
function zdt(p: Params): { values: number[]; constraints: number[] } {
  const x = p.x as number;
  const g = 1 + 9 * (p.y as number) + (p.kind === 'a' ? 0 : 0.5) + Math.abs(Math.log2(p.n as number) - 3) / 6;
  return { values: [x, g * (1 - Math.sqrt(x / g))], constraints: [0.3 - x - (p.y as number)] };
}

function runStudy(seed: number, nTrials: number, options = {}, storesAttrs = true): FakeStudy {
  const study = new FakeStudy(['minimize', 'minimize']);
  study.storesAttrs = storesAttrs;
  const sampler = nsga2Sampler({ seed, populationSize: 10, ...options });
  for (let n = 0; n < nTrials; n++) runTrial(study, sampler, space, zdt);
  return study;
}

describe('nsga2Sampler', () => {
  it('samples the first generation at random', () => {
    const study = runStudy(4, 10);
    const random = randomSampler({ seed: 4 });
    for (const t of study.records) {
      for (const [name, spec] of Object.entries(space)) {
        expect(t.params[name]).toBe(random.sampleIndependent({ study, trial: t }, name, spec));
      }
    }
  });

  it('crosses the intersection space, leaving single-valued parameters to independent sampling', () => {
    const study = runStudy(4, 10);
    const sampler = nsga2Sampler({ seed: 4, populationSize: 10 });
    const next = frozen({ number: 10, state: 'RUNNING' });
    const relative = sampler.inferRelativeSearchSpace?.(study, next) ?? {};
    expect(Object.keys(relative)).toEqual(['kind', 'n', 'x', 'y']);
    const child = sampler.sampleRelative?.({ study, trial: next }, relative) ?? {};
    expect(Object.keys(child).sort()).toEqual(['kind', 'n', 'x', 'y']);
  });

  it('is reproducible: the same seed and values give the same study, another seed another', () => {
    const a = runStudy(7, 60).records.map((t) => t.params);
    expect(runStudy(7, 60).records.map((t) => t.params)).toEqual(a);
    // whether the study keeps Optuna's generation attribute or the sampler derives it
    expect(runStudy(7, 60, {}, false).records.map((t) => t.params)).toEqual(a);
    expect(runStudy(7, 60).records.map((t) => t.systemAttrs[GENERATION_ATTR])).toEqual(
      Array.from({ length: 60 }, (_, n) => Math.floor(n / 10)),
    );
    expect(runStudy(8, 60).records.map((t) => t.params)).not.toEqual(a);
  });

  it('gives the same study when each generation runs concurrently and finishes before the next starts', () => {
    const sequential = runStudy(3, 40).records.map((t) => t.params);
    const study = new FakeStudy(['minimize', 'minimize']);
    const sampler = nsga2Sampler({ seed: 3, populationSize: 10 });
    for (let g = 0; g < 4; g++) {
      const batch = Array.from({ length: 10 }, () => start(study, sampler));
      for (const r of [...batch].reverse())
        for (const [name, spec] of Object.entries(space)) r.suggest(name, spec);
      for (const r of [...batch].reverse()) finish(study, sampler, r, zdt(r.trial.params));
    }
    expect(study.records.map((t) => t.params)).toEqual(sequential);
  });

  it('improves on random search and keeps infeasible trials out of the parents once enough are feasible', () => {
    const study = runStudy(1, 200);
    const firstGeneration = study.records.slice(0, 10);
    const { parents } = parentPopulation(study.records, study.directions, 10);
    expect(parents.every((p) => (p.trial.constraints?.[0] as number) <= 0)).toBe(true);
    const volume = (trials: readonly FrozenTrial[]) =>
      hypervolume(
        trials.filter((t) => (t.constraints?.[0] as number) <= 0).map((t) => t.values as number[]),
        [1.1, 11],
      );
    expect(volume(parents.map((p) => p.trial))).toBeGreaterThan(volume(firstGeneration) * 1.05);
    // the parents are the study's Pareto front among feasible trials, or part of it
    const feasible = study.records.filter((t) => (t.constraints?.[0] as number) <= 0);
    const front = new Set(
      paretoFront(
        feasible.map((t) => t.values as number[]),
        study.directions,
      ).map((i) => feasible[i]?.number),
    );
    expect(parents.filter((p) => front.has(p.trial.number)).length).toBeGreaterThan(0);
  });

  it('never lets an infeasible candidate win a tournament against a feasible one', () => {
    // generation 0: two feasible and two infeasible trials; with crossoverProb 1, swappingProb 1 and no mutation the
    // child copies the first tournament winner, which is infeasible only when both candidates are (probability 1/4)
    const study = new FakeStudy(['minimize', 'minimize']);
    const x: SearchSpace = { x: { type: 'float', low: 0, high: 1 } };
    const outcomes = [
      { values: [0, 1], constraints: [0] },
      { values: [1, 0], constraints: [-1] },
      { values: [0, 0], constraints: [2] },
      { values: [-1, -1], constraints: [1] },
    ];
    [0.1, 0.2, 0.3, 0.4].forEach((v, i) => {
      study.add({ params: { x: v }, distributions: x, ...outcomes[i] });
    });
    const sampler = nsga2Sampler({ populationSize: 4, crossoverProb: 1, swappingProb: 1, mutationProb: 0 });
    let infeasible = 0;
    for (let number = 4; number < 1004; number++) {
      const child = sampler.sampleRelative?.(
        { study, trial: frozen({ number, state: 'RUNNING' }) },
        x,
      ) as Params;
      if ((child.x as number) > 0.25) infeasible++;
    }
    expect(infeasible / 1000).toBeGreaterThan(0.2);
    expect(infeasible / 1000).toBeLessThan(0.3);
  });

  it('copies a parent when crossover is off and nothing mutates', () => {
    const study = runStudy(6, 10);
    const sampler = nsga2Sampler({ seed: 6, populationSize: 10, crossoverProb: 0, mutationProb: 0 });
    const { parents } = parentPopulation(study.records, study.directions, 10);
    const relative = { x: space.x, y: space.y, n: space.n, kind: space.kind } as SearchSpace;
    const copies = new Set<number>();
    for (let number = 10; number < 60; number++) {
      const child = sampler.sampleRelative?.(
        { study, trial: frozen({ number, state: 'RUNNING' }) },
        relative,
      );
      const parent = parents.find((p) =>
        Object.keys(relative).every((k) => p.trial.params[k] === child?.[k]),
      );
      expect(parent).toBeDefined();
      copies.add(parent?.trial.number as number);
    }
    expect(copies.size).toBeGreaterThan(5); // the parent copied is drawn uniformly
    // with mutationProb 1 every parameter is drawn afresh
    const mutant = nsga2Sampler({ seed: 6, populationSize: 10, crossoverProb: 0, mutationProb: 1 });
    const child = mutant.sampleRelative?.(
      { study, trial: frozen({ number: 10, state: 'RUNNING' }) },
      relative,
    );
    expect(parents.some((p) => p.trial.params.x === child?.x)).toBe(false);
  });

  it('breeds numeric parameters by SBX within their ranges and grids', () => {
    const study = runStudy(2, 40, { crossover: 'sbx' });
    for (const t of study.records.slice(10)) {
      expect(t.params.x as number).toBeGreaterThanOrEqual(0);
      expect(t.params.x as number).toBeLessThan(1);
      expect(Number.isInteger(t.params.n)).toBe(true);
      expect(t.params.n as number).toBeGreaterThanOrEqual(1);
      expect(t.params.n as number).toBeLessThanOrEqual(64);
    }
    expect(study.records.slice(10).map((t) => t.params)).not.toEqual(
      runStudy(2, 40)
        .records.slice(10)
        .map((t) => t.params),
    );
  });

  it("reports a trial's generation as Optuna's system attribute", () => {
    const study = runStudy(5, 25);
    const sampler = nsga2Sampler({ seed: 5, populationSize: 10 });
    expect(sampler.systemAttrsFor(study, frozen({ number: 9, state: 'RUNNING' }))).toEqual({
      [GENERATION_ATTR]: 0,
    });
    expect(sampler.systemAttrsFor(study, frozen({ number: 25, state: 'RUNNING' }))).toEqual({
      [GENERATION_ATTR]: 2,
    });
  });

  it('rejects completed trials with the wrong number of values or constraints', () => {
    const study = new FakeStudy(['minimize', 'minimize']);
    const x: SearchSpace = { x: { type: 'float', low: 0, high: 1 } };
    study.add({ params: { x: 0.1 }, distributions: x, values: [1] });
    study.add({ params: { x: 0.2 }, distributions: x, values: [1, 2] });
    const sampler = nsga2Sampler({ populationSize: 2 });
    const trial = frozen({ number: 2, state: 'RUNNING' });
    expectInvalid(
      () => sampler.sampleRelative?.({ study, trial }, x),
      'nsga2Sampler: trial 0 is COMPLETE with 1 objective values, but the study has 2 directions',
    );
    study.records[0] = frozen({
      number: 0,
      params: { x: 0.1 },
      distributions: x,
      values: [1, 1],
      constraints: [1],
    });
    study.records[1] = frozen({
      number: 1,
      params: { x: 0.1 },
      distributions: x,
      values: [1, 1],
      constraints: [1, 2],
    });
    expectInvalid(
      () => sampler.sampleRelative?.({ study, trial }, x),
      'nsga2Sampler: trial 1 has constraints [1, 2]; every trial needs 1 constraint values, none NaN',
    );
  });

  it('rejects invalid options with exact messages', () => {
    expectInvalid(
      () => nsga2Sampler({ populationSize: 1 }),
      'Invalid nsga2Sampler options: populationSize: Too small: expected number to be >=2 (received 1)',
    );
    expectInvalid(
      () => nsga2Sampler({ crossover: 'blx' } as never),
      'Invalid nsga2Sampler options: crossover: Invalid option: expected one of "uniform"|"sbx" (received "blx")',
    );
    expectInvalid(
      () => nsga2Sampler({ crossoverProb: 1.5, mutationProb: -0.1 }),
      'Invalid nsga2Sampler options: mutationProb: Too small: expected number to be >=0 (received -0.1); crossoverProb: Too big: expected number to be <=1 (received 1.5)',
    );
    expectInvalid(
      () => nsga2Sampler({ sbxEta: 0 }),
      'Invalid nsga2Sampler options: sbxEta: Too small: expected number to be >0 (received 0)',
    );
  });
});
