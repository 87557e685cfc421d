import { describe, expect, it } from 'vitest';
import {
  importancePlot,
  intermediateValuesPlot,
  optimizationHistory,
  parallelCoordinates,
  paretoFrontPlot,
} from '../../src/tuning/plots.js';
import type { SearchSpace } from '../../src/tuning/space.js';
import type { FrozenTrial, StudyDirection } from '../../src/tuning/types.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';
import { expectInvalid } from '../helpers.js';

function trial(
  number: number,
  state: FrozenTrial['state'],
  values?: number[],
  extra: Partial<FrozenTrial> = {},
): FrozenTrial {
  return {
    number,
    state,
    params: {},
    distributions: {},
    ...(values === undefined ? {} : { value: values[0], values }),
    intermediateValues: {},
    userAttrs: {},
    systemAttrs: {},
    ...extra,
  };
}

describe('optimizationHistory (Optuna 3.1 _get_optimization_history_info_list)', () => {
  // Given out of order, with trials that did not complete.
  const trials = [
    trial(3, 'COMPLETE', [3]),
    trial(0, 'COMPLETE', [5]),
    trial(1, 'FAIL'),
    trial(2, 'COMPLETE', [7]),
    trial(4, 'PRUNED'),
    trial(5, 'COMPLETE', [4]),
    trial(6, 'RUNNING'),
  ];

  it('keeps the COMPLETE trials in number order with the running minimum', () => {
    expect(optimizationHistory(trials, { directions: ['minimize'] })).toEqual({
      direction: 'minimize',
      points: [
        { number: 0, value: 5, best: 5 },
        { number: 2, value: 7, best: 5 },
        { number: 3, value: 3, best: 3 },
        { number: 5, value: 4, best: 3 },
      ],
    });
  });

  it('tracks the running maximum when maximising', () => {
    expect(optimizationHistory(trials, { directions: ['maximize'] }).points.map((p) => p.best)).toEqual([
      5, 7, 7, 7,
    ]);
  });

  it('plots the objective asked for in a multi-objective study, with its own direction', () => {
    const multi = [
      trial(0, 'COMPLETE', [1, 10]),
      trial(1, 'COMPLETE', [0, 12]),
      trial(2, 'COMPLETE', [2, 11]),
    ];
    const plot = optimizationHistory(multi, { directions: ['minimize', 'maximize'], objective: 1 });
    expect(plot.direction).toBe('maximize');
    expect(plot.points.map((p) => [p.value, p.best])).toEqual([
      [10, 10],
      [12, 12],
      [11, 12],
    ]);
    expectInvalid(
      () => optimizationHistory(multi, { directions: ['minimize', 'maximize'] }),
      'optimizationHistory: the study has 2 objectives; pass objective (an index)',
    );
    expectInvalid(
      () => optimizationHistory(multi, { directions: ['minimize', 'maximize'], objective: 2 }),
      'optimizationHistory: objective 2 is out of range; the study has 2',
    );
  });

  it('returns no points for a study without COMPLETE trials, and refuses a COMPLETE trial without values', () => {
    expect(optimizationHistory([trial(0, 'FAIL')], { directions: ['minimize'] }).points).toEqual([]);
    expectInvalid(
      () => optimizationHistory([trial(7, 'COMPLETE')], { directions: ['minimize'] }),
      'optimizationHistory: COMPLETE trial 7 has no value for objective 0',
    );
  });
});

describe('parallelCoordinates (Optuna 3.1 _get_parallel_coordinate_info)', () => {
  const space: SearchSpace = {
    lr: { type: 'float', low: 1e-4, high: 1, log: true },
    booster: { type: 'categorical', choices: ['linear', 'gbtree', 'dart'] },
    layers: { type: 'categorical', choices: [8, 4, 2] },
  };
  const { booster: _unused, ...noBooster } = space;
  const trials = [
    trial(0, 'COMPLETE', [1], { params: { lr: 0.01, booster: 'gbtree', layers: 4 }, distributions: space }),
    trial(1, 'COMPLETE', [2], { params: { lr: 0.1, booster: 'dart', layers: 8 }, distributions: space }),
    trial(2, 'COMPLETE', [Number.POSITIVE_INFINITY], {
      params: { lr: 0.001, booster: 'gbtree', layers: 2 },
      distributions: space,
    }),
    trial(3, 'COMPLETE', [0.5], { params: { lr: 0.05, booster: 'linear', layers: 2 }, distributions: space }),
    trial(4, 'COMPLETE', [0.7], { params: { lr: 0.02, layers: 4 }, distributions: noBooster }),
    trial(5, 'FAIL', undefined, { params: { lr: 0.3, booster: 'dart', layers: 8 }, distributions: space }),
  ];

  it('draws a line per complete, finite trial holding every parameter, categorical values as indices', () => {
    expect(parallelCoordinates(trials)).toEqual({
      numbers: [0, 1, 3],
      objective: { name: 'Objective Value', values: [1, 2, 0.5], range: [0.5, 2] },
      dimensions: [
        // Strings: the choices seen, in order of first appearance.
        {
          name: 'booster',
          type: 'categorical',
          values: [0, 1, 2],
          range: [0, 2],
          choices: ['gbtree', 'dart', 'linear'],
        },
        // Numbers: the choices seen, sorted.
        { name: 'layers', type: 'categorical', values: [1, 2, 0], range: [0, 2], choices: [2, 4, 8] },
        { name: 'lr', type: 'numeric', log: true, values: [0.01, 0.1, 0.05], range: [0.01, 0.1] },
      ],
    });
  });

  it('keeps the trials that hold the parameters asked for', () => {
    const plot = parallelCoordinates(trials, { params: ['lr'] });
    expect(plot.numbers).toEqual([0, 1, 3, 4]);
    expect(plot.dimensions).toEqual([
      { name: 'lr', type: 'numeric', log: true, values: [0.01, 0.1, 0.05, 0.02], range: [0.01, 0.1] },
    ]);
    expectInvalid(
      () => parallelCoordinates(trials, { params: ['depth'] }),
      'parallelCoordinates: parameter depth does not exist in the COMPLETE trials',
    );
  });

  it('plots objective k of several as "Objective k", and nothing for an empty study', () => {
    const multi = [
      trial(0, 'COMPLETE', [1, 5], {
        params: { x: 1 },
        distributions: { x: { type: 'int', low: 0, high: 3 } },
      }),
      trial(1, 'COMPLETE', [2, 4], {
        params: { x: 3 },
        distributions: { x: { type: 'int', low: 0, high: 3 } },
      }),
    ];
    const plot = parallelCoordinates(multi, { objective: 1 });
    expect(plot.objective).toEqual({ name: 'Objective 1', values: [5, 4], range: [4, 5] });
    expect(plot.dimensions).toEqual([{ name: 'x', type: 'numeric', values: [1, 3], range: [1, 3] }]);
    expectInvalid(
      () => parallelCoordinates(multi),
      'parallelCoordinates: the study has 2 objectives; pass objective (an index)',
    );
    expect(parallelCoordinates([])).toEqual({
      numbers: [],
      objective: { name: 'Objective Value', values: [], range: [0, 0] },
      dimensions: [],
    });
  });
});

describe('paretoFrontPlot (Optuna 3.1 _get_pareto_front_info)', () => {
  const directions = ['minimize', 'maximize'] as const;
  const trials = [
    trial(0, 'COMPLETE', [1, 1]),
    trial(1, 'COMPLETE', [2, 3]),
    trial(2, 'COMPLETE', [1, 0]), // dominated by 0
    trial(3, 'COMPLETE', [3, 3]), // dominated by 1
    trial(4, 'COMPLETE', [0.5, 0.5]),
    trial(5, 'COMPLETE', [0, 5], { constraints: [1, -1] }), // would dominate all, but infeasible
    trial(6, 'COMPLETE', [2, 3], { constraints: [0, -2] }), // equal to 1: both on the front
    trial(7, 'PRUNED'),
  ];

  it('splits the COMPLETE trials into front, dominated and infeasible', () => {
    const plot = paretoFrontPlot(trials, { directions: [...directions] });
    expect(plot.names).toEqual(['Objective 0', 'Objective 1']);
    expect(plot.directions).toEqual(['minimize', 'maximize']);
    expect(plot.front).toEqual([
      { number: 0, values: [1, 1] },
      { number: 1, values: [2, 3] },
      { number: 4, values: [0.5, 0.5] },
      { number: 6, values: [2, 3] },
    ]);
    expect(plot.dominated.map((p) => p.number)).toEqual([2, 3]);
    expect(plot.infeasible).toEqual([{ number: 5, values: [0, 5] }]);
  });

  it('moves the front with the directions', () => {
    const plot = paretoFrontPlot(trials, {
      directions: ['maximize', 'maximize'],
      names: ['sharpe', 'calmar'],
    });
    expect(plot.names).toEqual(['sharpe', 'calmar']);
    expect(plot.front.map((p) => p.number)).toEqual([3]);
  });

  it('checks the names and each trial against the directions', () => {
    expectInvalid(
      () => paretoFrontPlot(trials, { directions: [...directions], names: ['a'] }),
      'paretoFrontPlot: names has 1 entries, but there are 2 directions',
    );
    expectInvalid(
      () => paretoFrontPlot([trial(9, 'COMPLETE', [1])], { directions: [...directions] }),
      'paretoFrontPlot: trial 9 has 1 objective values, expected 2',
    );
  });
});

describe('intermediateValuesPlot (Optuna 3.1 _get_intermediate_plot_info)', () => {
  it('keeps COMPLETE, PRUNED and RUNNING trials that reported, steps ascending', () => {
    const trials = [
      trial(4, 'RUNNING', undefined, { intermediateValues: { 1: 0.3 } }),
      trial(0, 'COMPLETE', [0.4], { intermediateValues: { 10: 0.4, 0: 0.6, 2: 0.5 } }),
      trial(1, 'PRUNED', undefined, { intermediateValues: { 0: 0.9 } }),
      trial(2, 'FAIL', undefined, { intermediateValues: { 0: 1 } }),
      trial(3, 'RUNNING'),
      trial(5, 'WAITING'),
    ];
    expect(intermediateValuesPlot(trials)).toEqual([
      { number: 0, state: 'COMPLETE', steps: [0, 2, 10], values: [0.6, 0.5, 0.4] },
      { number: 1, state: 'PRUNED', steps: [0], values: [0.9] },
      { number: 4, state: 'RUNNING', steps: [1], values: [0.3] },
    ]);
  });
});

describe('importancePlot (Optuna 3.1 _get_importances_info)', () => {
  it('labels bars with two decimals, or <0.01, most important first', () => {
    expect(importancePlot({ c: 0.005, a: 0.695, b: 0.3 })).toEqual([
      { name: 'a', importance: 0.695, label: '0.69' },
      { name: 'b', importance: 0.3, label: '0.30' },
      { name: 'c', importance: 0.005, label: '<0.01' },
    ]);
  });

  it('refuses an importance that is not a number >= 0', () => {
    expectInvalid(
      () => importancePlot({ a: Number.NaN }),
      'importancePlot: the importance of a must be a number >= 0, received NaN',
    );
  });
});

interface ReferenceTrial {
  number: number;
  state: FrozenTrial['state'];
  params: FrozenTrial['params'];
  distributions: SearchSpace;
  intermediateValues: Record<string, number>;
  values?: number[];
  constraints?: number[];
}

const referenceCases = loadReferenceCases('tuning_importance');
const toFrozen = (trials: ReferenceTrial[]): FrozenTrial[] =>
  trials.map((t) =>
    trial(t.number, t.state, t.values, {
      params: t.params,
      distributions: t.distributions,
      intermediateValues: t.intermediateValues,
      ...(t.constraints === undefined ? {} : { constraints: t.constraints }),
    }),
  );

describe('plots against Optuna 3.1 on 40 to 60 random trials of every state', () => {
  interface PlotsExpected {
    history: { numbers: number[]; values: number[]; best: number[] };
    parallel: Record<
      string,
      {
        objective: number[];
        dimensions: { label: string; values: number[]; isLog: boolean; isCat: boolean; ticktext: string[] }[];
      }
    >;
    intermediate: { number: number; steps: number[]; values: number[] }[];
  }
  const plotCases = referenceCases.filter((c) => c.fn === 'plots');

  it.each(plotCases.map((c) => [(c.args.directions as string[])[0], c] as const))(
    'optimizationHistory and intermediateValuesPlot gather what Optuna gathers (%s)',
    (_direction, c) => {
      const trials = toFrozen(c.args.trials as ReferenceTrial[]);
      const expected = c.expected as PlotsExpected;
      const { points } = optimizationHistory(trials, { directions: c.args.directions as StudyDirection[] });
      expect(points.map((p) => p.number)).toEqual(expected.history.numbers);
      expect(points.map((p) => p.value)).toEqual(expected.history.values);
      expect(points.map((p) => p.best)).toEqual(expected.history.best);
      expect(
        intermediateValuesPlot(trials).map(({ number, steps, values }) => ({ number, steps, values })),
      ).toEqual(expected.intermediate);
    },
  );

  it.each(plotCases.map((c) => [(c.args.directions as string[])[0], c] as const))(
    'parallelCoordinates draws the lines and axes Optuna draws (%s), up to line order and log10',
    (_direction, c) => {
      const trials = toFrozen(c.args.trials as ReferenceTrial[]);
      for (const [key, expected] of Object.entries((c.expected as PlotsExpected).parallel)) {
        const plot = parallelCoordinates(trials, key === '' ? {} : { params: key.split(',') });
        expect(plot.dimensions.map((d) => [d.name, d.log === true, d.type === 'categorical'])).toEqual(
          expected.dimensions.map((d) => [d.label, d.isLog, d.isCat]),
        );
        // Optuna reorders the lines by numeric categorical values and draws log10 of log-scaled values.
        const ours = plot.numbers.map((_, i) => [
          plot.objective.values[i] as number,
          ...plot.dimensions.map((d) => {
            const v = d.values[i] as number;
            if (d.type === 'categorical') return String((d.choices as unknown[])[v]);
            return d.log ? Math.log10(v) : v;
          }),
        ]);
        const theirs = expected.objective.map((o, i) => [
          o,
          ...expected.dimensions.map((d) =>
            d.isCat ? (d.ticktext[d.values[i] as number] as string) : d.values[i],
          ),
        ]);
        const byText = (a: (string | number | undefined)[], b: (string | number | undefined)[]) =>
          JSON.stringify(a).localeCompare(JSON.stringify(b));
        ours.sort(byText);
        theirs.sort(byText);
        expect(ours.length).toBe(theirs.length);
        ours.forEach((row, i) => {
          row.forEach((v, k) => {
            const want = (theirs[i] as (string | number)[])[k];
            if (typeof v === 'number') expect(close(v, want as number, 1e-12)).toBe(true);
            else expect(v).toBe(want);
          });
        });
        plot.dimensions.forEach((d, k) => {
          if (d.type === 'categorical')
            expect(d.choices?.map(String)).toEqual(expected.dimensions[k]?.ticktext);
        });
      }
    },
  );

  it.each(
    referenceCases
      .filter((c) => c.fn === 'paretoFrontPlot')
      .map((c) => [(c.args.directions as string[]).join(','), c] as const),
  )('paretoFrontPlot splits the trials as _get_pareto_front_info with constraints (%s)', (_d, c) => {
    const plot = paretoFrontPlot(toFrozen(c.args.trials as ReferenceTrial[]), {
      directions: c.args.directions as StudyDirection[],
    });
    const expected = c.expected as {
      front: number[];
      dominated: number[];
      infeasible: number[];
      names: string[];
    };
    expect(plot.front.map((p) => p.number)).toEqual(expected.front);
    expect(plot.dominated.map((p) => p.number)).toEqual(expected.dominated);
    expect(plot.infeasible.map((p) => p.number)).toEqual(expected.infeasible);
    expect(plot.names).toEqual(expected.names);
    expect(plot.front.length).toBeGreaterThan(1);
    expect(plot.infeasible.length).toBeGreaterThan(0);
  });
});
