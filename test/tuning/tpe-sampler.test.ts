import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { ks2Sample } from '../../src/stats/ks.js';
import { defaultGamma, defaultWeights } from '../../src/tuning/parzen.js';
import { type TpeSamplerOptions, tpeSampler } from '../../src/tuning/samplers/tpe.js';
import { mixtureLogPdf } from '../../src/tuning/samplers/tpe-density.js';
import { kernelDomain, type Mixture, univariateMixture } from '../../src/tuning/samplers/tpe-kernels.js';
import { hypervolumeWeights } from '../../src/tuning/samplers/tpe-multi-objective.js';
import { type Joint, jointCache, jointMixtures } from '../../src/tuning/samplers/tpe-multivariate.js';
import { ObservationStore } from '../../src/tuning/samplers/tpe-observations.js';
import { type TpeStep, UnivariateColumn } from '../../src/tuning/samplers/tpe-univariate.js';
import { type ParamSpec, type Params, type SearchSpace, sampleParam } from '../../src/tuning/space.js';
import { logGaussMass } from '../../src/tuning/truncnorm.js';
import {
  type FrozenTrial,
  type Sampler,
  type SamplerStudy,
  type StudyDirection,
  trialRandom,
} from '../../src/tuning/types.js';
import { close, loadReferenceCases, type ReferenceCase } from '../fixtures/reference.js';
import { expectInvalid } from '../helpers.js';

const cases = loadReferenceCases('tuning_tpe_sampler');
const byFn = (fn: string): ReferenceCase[] => cases.filter((c) => c.fn === fn);

interface StudyArgs {
  name: string;
  directions: StudyDirection[];
  trials: FrozenTrial[];
  constantLiar: boolean;
}

function studyOf(directions: StudyDirection[], trials: FrozenTrial[]): SamplerStudy {
  return { studyName: 'test', directions, trials: () => trials, stop: () => undefined };
}

function running(number: number): FrozenTrial {
  return {
    number,
    state: 'RUNNING',
    params: {},
    distributions: {},
    intermediateValues: {},
    userAttrs: {},
    systemAttrs: {},
  };
}

function complete(number: number, params: Params, space: SearchSpace, values: number[]): FrozenTrial {
  const distributions: SearchSpace = {};
  for (const name of Object.keys(params)) distributions[name] = space[name] as ParamSpec;
  return { ...running(number), state: 'COMPLETE', params, distributions, values, value: values[0] as number };
}

/** What the sampler builds for one TPE step, without drawing (the store split and the weights). */
function stepOf(
  args: StudyArgs,
  rng = new Random(0),
  multivariateBandwidth: 'neighbours' | 'scott' = 'scott',
): TpeStep {
  const store = new ObservationStore(args.directions);
  store.update(args.trials, args.constantLiar);
  const below = store.below(defaultGamma(store.count));
  let belowWeights: Map<number, number> | undefined;
  if (args.directions.length > 1) {
    const members = store.observed.filter((o) => below.includes(o.number));
    const w = hypervolumeWeights(members, store.constrained);
    belowWeights = new Map(members.map((m, i) => [m.number, w[i] as number]));
  }
  const kernel = {
    considerPrior: true,
    priorWeight: 1,
    considerMagicClip: true,
    considerEndpoints: false,
    bandwidthTerm: false,
    multivariateBandwidth,
  };
  return { store, below, belowWeights, weights: defaultWeights, kernel, candidates: 24, rng };
}

function expectAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  what: string,
  rtol = 1e-9,
): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    expect(close(a, e, rtol, 1e-12), `${what}[${i}]: ${a} vs ${e}`).toBe(true);
  }
}

describe('the below/above split against Optuna 3.1', () => {
  it.each(byFn('split').map((c) => [(c.args as unknown as StudyArgs).name, c] as const))('%s', (_, c) => {
    const args = c.args as unknown as StudyArgs;
    const expected = c.expected as {
      n: number;
      below: number[];
      above: number[];
      belowWeights?: Record<string, number>;
    };
    const step = stepOf(args);
    expect(step.store.count).toBe(expected.n);
    expect(step.below).toEqual(expected.below);
    const above = [...step.store.observed.map((o) => o.number), ...step.store.running.map((t) => t.number)]
      .filter((n) => !step.below.includes(n))
      .sort((a, b) => a - b);
    expect(above).toEqual(expected.above);
    if (expected.belowWeights !== undefined) {
      const numbers = Object.keys(expected.belowWeights).map(Number);
      expectAllClose(
        numbers.map((n) => step.belowWeights?.get(n) as number),
        numbers.map((n) => expected.belowWeights?.[n] as number),
        'below weights',
      );
    }
  });
});

interface EstimatorExpected {
  numbers: number[];
  weights: number[];
  [param: string]: unknown;
}

/** Optuna's kernels (observation order, prior last) as (mu, sigma, weight) sorted by mu, prior last. */
function sortedKernels(e: EstimatorExpected, param: string): number[][] {
  const { mus, sigmas } = e[param] as { mus: number[]; sigmas: number[] };
  const m = e.numbers.length;
  const rows = e.numbers.map((_, i) => [mus[i] as number, sigmas[i] as number, e.weights[i] as number]);
  rows.sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));
  return [...rows, [mus[m] as number, sigmas[m] as number, e.weights[m] as number]];
}

function ourKernels(mix: Mixture): number[][] {
  const rows = Array.from({ length: mix.size }, (_, k) => [
    mix.mus[k] as number,
    mix.sigmas[k] as number,
    mix.weights[k] as number,
  ]);
  const prior = rows.pop() as number[];
  rows.sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));
  return [...rows, prior];
}

describe('the multi-objective split with infinite objective values', () => {
  it('puts the dominating trial in the good group when both share an infinite first objective', () => {
    const space: SearchSpace = { x: { type: 'float', low: 0, high: 1 } };
    const trials = [complete(0, { x: 0.2 }, space, [Number.POSITIVE_INFINITY, 1])];
    trials.push(complete(1, { x: 0.7 }, space, [Number.POSITIVE_INFINITY, 0]));
    for (let i = 2; i < 10; i++)
      trials.push(complete(i, { x: i / 10 }, space, [Number.POSITIVE_INFINITY, 5 + i]));
    const step = stepOf({
      name: 'infinite',
      directions: ['minimize', 'minimize'],
      trials,
      constantLiar: false,
    });
    // gamma(10) = 1: trial 1 alone is nondominated (∞ = ∞, 0 < every other second value).
    expect(step.below).toEqual([1]);
  });
});

describe('the Parzen estimators the sampler builds, against Optuna 3.1', () => {
  const univariate = byFn('estimator').filter((c) => !(c.args as { multivariate: boolean }).multivariate);
  it.each(univariate.map((c) => [(c.args as unknown as StudyArgs).name, c] as const))('%s', (_, c) => {
    const args = c.args as unknown as StudyArgs & { params: string[] };
    const expected = c.expected as { below: EstimatorExpected; above: EstimatorExpected };
    const param = args.params[0] as string;
    const spec = args.trials.find((t) => param in t.distributions)?.distributions[param] as ParamSpec;
    const column = new UnivariateColumn(param, spec);
    const step = stepOf(args);
    if (spec.type === 'categorical') {
      const { below, above } = column.probabilities(step);
      const probabilities = (g: EstimatorExpected) => (g[param] as { probabilities: number[] }).probabilities;
      expectAllClose(below, probabilities(expected.below), 'below probabilities');
      expectAllClose(above, probabilities(expected.above), 'above probabilities');
      return;
    }
    const { below, above } = column.mixtures(step);
    for (const [group, mix] of [
      ['below', below],
      ['above', above],
    ] as const) {
      const theirs = sortedKernels(expected[group], param);
      const ours = ourKernels(mix);
      expectAllClose(ours.flat(), theirs.flat(), `${group} (mu, sigma, weight)`);
    }
  });
});

describe('the distribution of the next value, against Optuna 3.1 draws', () => {
  it.each(
    byFn('draws').map((c) => {
      const a = c.args as { name: string; density: boolean };
      return [`${a.name}${a.density ? ' (with −ln σ)' : ' (Optuna 3.1 density)'}`, c] as const;
    }),
  )('%s: KS test p > 0.001 over 2,000 seeds', (_, c) => {
    const args = c.args as { name: string; trials: FrozenTrial[]; density: boolean };
    const theirs = (c.expected as { draws: number[] }).draws;
    const spec = (args.trials[0] as FrozenTrial).distributions[args.name] as ParamSpec;
    const trials = [...args.trials, running(args.trials.length)];
    const study = studyOf(['minimize'], trials);
    const ours = theirs.map(
      (_, seed) =>
        tpeSampler({ seed, optuna31Density: !args.density }).sampleIndependent(
          { study, trial: trials.at(-1) as FrozenTrial },
          args.name,
          spec,
        ) as number,
    );
    const result = ks2Sample(ours, theirs);
    expect(result.pValue, `KS D = ${result.statistic}`).toBeGreaterThan(0.001);
  });
});

/** Optuna's multi-objective good group comes in rank order; ours is in trial order (the prior stays last). */
function inTrialOrder(e: EstimatorExpected): EstimatorExpected {
  const order = e.numbers
    .map((_, i) => i)
    .sort((i, j) => (e.numbers[i] as number) - (e.numbers[j] as number));
  const permute = <T>(a: T[]): T[] => [...order.map((i) => a[i] as T), ...a.slice(order.length)];
  const out: EstimatorExpected = { numbers: permute(e.numbers), weights: permute(e.weights) };
  for (const [key, value] of Object.entries(e)) {
    if (key === 'numbers' || key === 'weights') continue;
    const v = value as { mus?: number[]; sigmas?: number[]; kernels?: number[][] };
    out[key] =
      v.kernels === undefined
        ? { mus: permute(v.mus ?? []), sigmas: permute(v.sigmas ?? []) }
        : { kernels: permute(v.kernels) };
  }
  return out;
}

describe('the joint (multivariate) estimators, against Optuna 3.1', () => {
  const joint = byFn('estimator').filter((c) => (c.args as { multivariate: boolean }).multivariate);
  it.each(joint.map((c) => [(c.args as unknown as StudyArgs).name, c] as const))('%s', (_, c) => {
    const args = c.args as unknown as StudyArgs & { params: string[] };
    const expected = c.expected as { below: EstimatorExpected; above: EstimatorExpected };
    const space: SearchSpace = {};
    for (const p of args.params) {
      space[p] = args.trials.find((t) => p in t.distributions)?.distributions[p] as ParamSpec;
    }
    const mixtures = jointMixtures(space, stepOf(args));
    for (const group of ['below', 'above'] as const) {
      const ours: Joint = mixtures[group];
      const theirs = inTrialOrder(expected[group]);
      expectAllClose(ours.weights, theirs.weights, `${group} weights`);
      ours.parts.forEach((part) => {
        const reference = theirs[part.name] as { mus: number[]; sigmas: number[]; kernels: number[][] };
        if ('numeric' in part) {
          expectAllClose(part.numeric.mix.mus, reference.mus, `${group} ${part.name} mus`);
          expectAllClose(part.numeric.mix.sigmas, reference.sigmas, `${group} ${part.name} sigmas`);
        } else {
          const { observed, hit, miss, choices } = part.categorical;
          const rows = Array.from(observed, (own) =>
            choices.map((_, c) => (own < 0 ? 1 / choices.length : c === own ? hit : miss)),
          );
          expectAllClose(rows.flat(), reference.kernels.flat(), `${group} ${part.name} kernels`);
        }
      });
    }
  });
});

const SPACE: SearchSpace = {
  x: { type: 'float', low: -5, high: 10 },
  n: { type: 'int', low: 1, high: 1000, log: true },
  q: { type: 'float', low: 0, high: 1, step: 0.1 },
  k: { type: 'categorical', choices: ['a', 'b', 'c'] },
};

function objective(p: Params): number {
  return ((p.x as number) - 2) ** 2 + Math.log(p.n as number) + (p.q as number) + (p.k === 'b' ? 0 : 1);
}

/** Runs `count` sequential trials of `objective` over `space` with `sampler`; returns the study's trials. */
function run(
  sampler: Sampler,
  count: number,
  space: SearchSpace = SPACE,
  f: (p: Params) => number | number[] = objective,
  directions: StudyDirection[] = ['minimize'],
): FrozenTrial[] {
  const trials: FrozenTrial[] = [];
  const study = studyOf(directions, trials);
  for (let i = 0; i < count; i++) suggestAll(sampler, study, trials, space, f);
  return trials;
}

function suggestAll(
  sampler: Sampler,
  study: SamplerStudy,
  trials: FrozenTrial[],
  space: SearchSpace,
  f?: (p: Params) => number | number[],
  order: string[] = Object.keys(space),
): FrozenTrial {
  const trial = running(trials.length);
  trials.push(trial);
  const relative = sampler.inferRelativeSearchSpace?.(study, trial) ?? {};
  const joint = sampler.sampleRelative?.({ study, trial }, relative) ?? {};
  for (const name of order) {
    const spec = space[name] as ParamSpec;
    trial.params[name] =
      name in joint ? (joint[name] as number) : sampler.sampleIndependent({ study, trial }, name, spec);
    trial.distributions[name] = spec;
  }
  if (f !== undefined) {
    const value = f(trial.params);
    trial.values = Array.isArray(value) ? value : [value];
    trial.value = trial.values[0] as number;
    trial.state = 'COMPLETE';
  }
  return trial;
}

describe('tpeSampler', () => {
  it('samples at random, as sampleParam with the trial stream, until nStartupTrials trials have finished', () => {
    const trials = run(tpeSampler({ seed: 3, nStartupTrials: 5 }), 8);
    for (const t of trials.slice(0, 5)) {
      for (const [name, spec] of Object.entries(SPACE)) {
        expect(t.params[name]).toBe(sampleParam(spec, trialRandom(3, t.number, name)));
      }
    }
    const tpeTrials = trials.slice(5);
    expect(
      tpeTrials.some((t) => t.params.x !== sampleParam(SPACE.x as ParamSpec, trialRandom(3, t.number, 'x'))),
    ).toBe(true);
  });

  it('counts pruned trials towards the startup, as Optuna does, but not running or failed ones', () => {
    const sampler = tpeSampler({ seed: 1, nStartupTrials: 3 });
    const trials = run(sampler, 2);
    trials.push({ ...running(2), state: 'FAIL' }, { ...running(3) });
    const study = studyOf(['minimize'], trials);
    const random = (t: FrozenTrial) => sampleParam(SPACE.x as ParamSpec, trialRandom(1, t.number, 'x'));
    const probe = running(4);
    trials.push(probe);
    expect(sampler.sampleIndependent({ study, trial: probe }, 'x', SPACE.x as ParamSpec)).toBe(random(probe));
    trials[3] = { ...running(3), state: 'PRUNED', intermediateValues: { 0: 1 } };
    expect(sampler.sampleIndependent({ study, trial: probe }, 'x', SPACE.x as ParamSpec)).not.toBe(
      random(probe),
    );
  });

  it('returns values inside every distribution, on the grid and among the choices', () => {
    for (const multivariate of [false, true]) {
      const trials = run(tpeSampler({ seed: 5, multivariate }), 40);
      for (const t of trials) {
        expect(t.params.x as number).toBeGreaterThanOrEqual(-5);
        expect(t.params.x as number).toBeLessThanOrEqual(10);
        expect(Number.isInteger(t.params.n)).toBe(true);
        expect(t.params.n as number).toBeGreaterThanOrEqual(1);
        expect(t.params.n as number).toBeLessThanOrEqual(1000);
        expect(Math.abs((t.params.q as number) * 10 - Math.round((t.params.q as number) * 10))).toBeLessThan(
          1e-9,
        );
        expect(['a', 'b', 'c']).toContain(t.params.k);
      }
    }
  });

  it('finds better values than its random startup on a smooth objective', () => {
    const trials = run(
      tpeSampler({ seed: 0 }),
      60,
      { x: SPACE.x as ParamSpec },
      (p) => ((p.x as number) - 2) ** 2,
    );
    const startup = Math.min(...trials.slice(0, 10).map((t) => t.value as number));
    const later = trials.slice(30).map((t) => t.value as number);
    expect(Math.min(...later)).toBeLessThan(startup);
    // At random, 2 in 15 values would land within 1 of the minimiser; TPE concentrates there.
    expect(later.filter((v) => v < 1).length).toBeGreaterThan(later.length / 3);
  });

  it('gives the same values for the same seed, history and trial number, whatever was sampled before', () => {
    const history = run(tpeSampler({ seed: 9 }), 30);
    const warm = tpeSampler({ seed: 9 });
    const trials: FrozenTrial[] = [];
    const study = studyOf(['minimize'], trials);
    // The warm sampler sees the history grow trial by trial; the cold one sees it only at trial 30.
    for (const t of history) {
      trials.push(t);
      suggestAll(warm, study, [...trials], SPACE);
    }
    const next = suggestAll(warm, study, trials, SPACE);
    const coldTrials = [...history];
    const cold = suggestAll(tpeSampler({ seed: 9 }), studyOf(['minimize'], coldTrials), coldTrials, SPACE);
    const reversedTrials = [...history];
    const reversed = suggestAll(
      tpeSampler({ seed: 9 }),
      studyOf(['minimize'], reversedTrials),
      reversedTrials,
      SPACE,
      undefined,
      Object.keys(SPACE).reverse(),
    );
    expect(cold.params).toEqual(next.params);
    expect(reversed.params).toEqual(next.params);
    const otherSeed = suggestAll(
      tpeSampler({ seed: 10 }),
      studyOf(['minimize'], [...history]),
      [...history],
      SPACE,
    );
    expect(otherSeed.params).not.toEqual(next.params);
  });

  it('does not depend on the order in which trials finished (its caches give what a fresh sampler gives)', () => {
    const history = run(tpeSampler({ seed: 2 }), 40);
    const probe = running(40);
    const sample = (sampler: Sampler, study: SamplerStudy) =>
      Object.entries(SPACE).map(([name, spec]) =>
        sampler.sampleIndependent({ study, trial: probe }, name, spec),
      );
    // One study whose trials finish out of order: every third trial is still running at the first look.
    const trials = [
      ...history.map((t) => (t.number % 3 === 0 ? { ...running(t.number), params: t.params } : t)),
      probe,
    ];
    const study = studyOf(['minimize'], trials);
    const cached = tpeSampler({ seed: 2 });
    sample(cached, study);
    trials.splice(0, trials.length, ...history, probe);
    const fresh = tpeSampler({ seed: 2 });
    expect(sample(cached, study)).toEqual(sample(fresh, studyOf(['minimize'], [...history, probe])));
  });

  it('builds, from its incremental caches, exactly the mixtures a fresh column builds', () => {
    const history = run(tpeSampler({ seed: 7 }), 60);
    const args = (trials: FrozenTrial[]): StudyArgs => ({
      name: '',
      directions: ['minimize'],
      trials,
      constantLiar: true,
    });
    for (const name of ['x', 'n', 'q']) {
      const cached = new UnivariateColumn(name, SPACE[name] as ParamSpec);
      // The cached column first sees trials 0–29 finished and 30–39 running, then the whole history.
      const partial = history
        .slice(0, 40)
        .map((t) =>
          t.number >= 30 ? { ...running(t.number), params: t.params, distributions: t.distributions } : t,
        );
      cached.mixtures(stepOf(args(partial)));
      cached.mixtures(stepOf(args(history.slice(0, 50))));
      const ours = cached.mixtures(stepOf(args(history)));
      const fresh = new UnivariateColumn(name, SPACE[name] as ParamSpec).mixtures(stepOf(args(history)));
      expect(ours.above).toEqual(fresh.above);
      expect(ours.below).toEqual(fresh.below);
    }
  });

  it('samples the parameters every finished trial shares jointly when multivariate', () => {
    const sampler = tpeSampler({ seed: 4, multivariate: true, nStartupTrials: 5 });
    const trials = run(sampler, 12);
    trials.push({
      ...running(12),
      state: 'COMPLETE',
      values: [1],
      value: 1,
      params: { x: 1, only: 2 },
      distributions: { x: SPACE.x as ParamSpec, only: { type: 'float', low: 0, high: 3 } },
    });
    const study = studyOf(['minimize'], trials);
    const probe = running(13);
    trials.push(probe);
    const space = sampler.inferRelativeSearchSpace?.(study, probe) ?? {};
    expect(Object.keys(space)).toEqual(['x']);
    const joint = sampler.sampleRelative?.({ study, trial: probe }, space) ?? {};
    expect(Object.keys(joint)).toEqual(['x']);
    const before = tpeSampler({ seed: 4, multivariate: true, nStartupTrials: 50 });
    expect(before.sampleRelative?.({ study, trial: probe }, space)).toEqual({});
  });

  it("keeps the good trials' combinations when multivariate (l(x) is joint), unlike independent sampling", () => {
    // Good trials sit near (0.2, 0.2) and (0.8, 0.8); the off-diagonal corners are bad.
    const space: SearchSpace = {
      x: { type: 'float', low: 0, high: 1 },
      y: { type: 'float', low: 0, high: 1 },
    };
    const rng = new Random(11);
    const history: FrozenTrial[] = [];
    for (let i = 0; i < 60; i++) {
      const x = rng.float();
      const y = rng.float();
      const value = Math.min((x - 0.2) ** 2 + (y - 0.2) ** 2, (x - 0.8) ** 2 + (y - 0.8) ** 2);
      history.push(complete(i, { x, y }, space, [value]));
    }
    const diagonal = (multivariate: boolean): number => {
      let near = 0;
      for (let seed = 0; seed < 150; seed++) {
        const trials = [...history];
        const p = suggestAll(
          tpeSampler({ seed, multivariate }),
          studyOf(['minimize'], trials),
          trials,
          space,
        );
        if (Math.abs((p.params.x as number) - (p.params.y as number)) < 0.25) near++;
      }
      return near;
    };
    expect(diagonal(true)).toBeGreaterThan(diagonal(false) + 15);
  });

  it("gives each joint kernel its parameter's univariate bandwidth by default, Scott's rule on request", () => {
    const space: SearchSpace = { x: SPACE.x as ParamSpec, n: SPACE.n as ParamSpec, q: SPACE.q as ParamSpec };
    const rng = new Random(12);
    const trials = Array.from({ length: 40 }, (_, i) => {
      const params = Object.fromEntries(
        Object.entries(space).map(([name, spec]) => [name, sampleParam(spec, rng)]),
      );
      return complete(i, params, space, [objective({ ...params, k: 'b' })]);
    });
    const args: StudyArgs = { name: 'bandwidths', directions: ['minimize'], trials, constantLiar: false };
    const joint = jointMixtures(space, stepOf(args, new Random(0), 'neighbours'));
    const scott = jointMixtures(space, stepOf(args, new Random(0), 'scott'));
    for (const name of Object.keys(space)) {
      const column = new UnivariateColumn(name, space[name] as ParamSpec).mixtures(stepOf(args));
      for (const group of ['below', 'above'] as const) {
        const part = joint[group].parts.find((p) => p.name === name);
        if (part === undefined || !('numeric' in part)) throw new Error(`no numeric part ${name}`);
        // The univariate kernels (checked against Optuna 3.1 above) come sorted by centre; the joint ones in trial order.
        expect(ourKernels(part.numeric.mix).map(([mu, sigma]) => [mu, sigma])).toEqual(
          ourKernels(column[group]).map(([mu, sigma]) => [mu, sigma]),
        );
        if (group === 'above') {
          const widths = new Set(part.numeric.mix.sigmas.slice(0, -1));
          expect(widths.size, `${name}: kernels of different widths`).toBeGreaterThan(1);
        }
        const scottPart = scott[group].parts.find((p) => p.name === name);
        if (scottPart === undefined || !('numeric' in scottPart)) throw new Error(`no numeric part ${name}`);
        expect(new Set(scottPart.numeric.mix.sigmas.slice(0, -1)).size, `${group} ${name}: one width`).toBe(
          1,
        );
      }
    }
  });

  it('builds the same joint mixtures from its cache as afresh, with running trials and after the space changes', () => {
    const space: SearchSpace = { x: SPACE.x as ParamSpec, n: SPACE.n as ParamSpec, k: SPACE.k as ParamSpec };
    const rng = new Random(13);
    const draw = (): Params =>
      Object.fromEntries(Object.entries(space).map(([name, spec]) => [name, sampleParam(spec, rng)]));
    const trials = Array.from({ length: 30 }, (_, i) => {
      const params = draw();
      return complete(i, params, space, [objective({ ...params, q: 0 })]);
    });
    // Ties: two trials share x with an earlier one.
    (trials[7] as FrozenTrial).params.x = (trials[3] as FrozenTrial).params.x as number;
    (trials[9] as FrozenTrial).params.x = (trials[3] as FrozenTrial).params.x as number;
    const cache = jointCache();
    const kernels = (joint: Joint) =>
      joint.parts.map((part) =>
        'numeric' in part
          ? [...part.numeric.mix.mus, ...part.numeric.mix.sigmas, ...part.numeric.constant]
          : [...part.categorical.observed],
      );
    const check = (args: StudyArgs, within: SearchSpace) => {
      const fresh = jointMixtures(within, stepOf(args, new Random(0), 'neighbours'));
      const kept = jointMixtures(within, stepOf(args, new Random(0), 'neighbours'), cache);
      for (const group of ['below', 'above'] as const) {
        expect(kernels(kept[group])).toEqual(kernels(fresh[group]));
      }
    };
    for (const n of [12, 20, 30]) {
      check(
        { name: 'cache', directions: ['minimize'], trials: trials.slice(0, n), constantLiar: false },
        space,
      );
    }
    const runningTrial = { ...running(30), params: draw(), distributions: space };
    check(
      { name: 'liar', directions: ['minimize'], trials: [...trials, runningTrial], constantLiar: true },
      space,
    );
    const { k: _k, ...smaller } = space;
    check({ name: 'space', directions: ['minimize'], trials, constantLiar: false }, smaller);
    expect(cache.space).toBe(JSON.stringify(smaller));
  });

  it('samples jointly by default, and one parameter at a time with multivariate: false', () => {
    const trials = run(tpeSampler({ seed: 2, nStartupTrials: 3 }), 4);
    const probe = running(4);
    trials.push(probe);
    const study = studyOf(['minimize'], trials);
    expect(Object.keys(tpeSampler().inferRelativeSearchSpace?.(study, probe) ?? {})).toEqual([
      'k',
      'n',
      'q',
      'x',
    ]);
    expect(tpeSampler({ multivariate: false }).inferRelativeSearchSpace?.(study, probe)).toEqual({});
  });

  it('runs multi-objective TPE with maximised objectives and returns values in range', () => {
    const trials = run(
      tpeSampler({ seed: 6 }),
      30,
      { x: SPACE.x as ParamSpec, k: SPACE.k as ParamSpec },
      (p) => [((p.x as number) - 1) ** 2, -(((p.x as number) + 2) ** 2) + (p.k === 'a' ? 1 : 0)],
      ['minimize', 'maximize'],
    );
    expect(trials.slice(10).every((t) => (t.params.x as number) >= -5 && (t.params.x as number) <= 10)).toBe(
      true,
    );
  });

  it('samples a conditional parameter from the trials that have it, and single-valued ones directly', () => {
    const sampler = tpeSampler({ seed: 8, nStartupTrials: 4 });
    const trials: FrozenTrial[] = [];
    const study = studyOf(['minimize'], trials);
    for (let i = 0; i < 20; i++) {
      const space: SearchSpace =
        i % 2 === 0
          ? { x: SPACE.x as ParamSpec, y: { type: 'float', low: 0, high: 1 } }
          : { x: SPACE.x as ParamSpec };
      suggestAll(
        sampler,
        study,
        trials,
        space,
        (p) => (p.x as number) ** 2 + ((p.y as number | undefined) ?? 0),
      );
    }
    const probe = running(20);
    trials.push(probe);
    const y = sampler.sampleIndependent({ study, trial: probe }, 'y', {
      type: 'float',
      low: 0,
      high: 1,
    }) as number;
    expect(y).toBeGreaterThanOrEqual(0);
    expect(y).toBeLessThanOrEqual(1);
    expect(sampler.sampleIndependent({ study, trial: probe }, 'z', { type: 'int', low: 4, high: 4 })).toBe(4);
    expect(
      sampler.sampleIndependent({ study, trial: probe }, 'c', { type: 'categorical', choices: ['only'] }),
    ).toBe('only');
  });

  it('spreads parallel trials with the constant liar: a running trial counts as a bad observation', () => {
    const space = { x: SPACE.x as ParamSpec };
    const history = run(tpeSampler({ seed: 0 }), 30, space, (p) => ((p.x as number) - 2) ** 2);
    const liar = stepOf({
      name: '',
      directions: ['minimize'],
      trials: [...history, { ...running(30), params: { x: 2 }, distributions: space }],
      constantLiar: true,
    });
    const plain = stepOf({
      name: '',
      directions: ['minimize'],
      trials: [...history, { ...running(30), params: { x: 2 }, distributions: space }],
      constantLiar: false,
    });
    const column = new UnivariateColumn('x', SPACE.x as ParamSpec);
    expect(column.mixtures(liar).above.size).toBe(column.mixtures(plain).above.size + 1);
    expect(liar.below).toEqual(plain.below);
  });

  it('validates its options', () => {
    expectInvalid(
      () => tpeSampler({ nEiCandidates: 0 }),
      'Invalid tpeSampler options: nEiCandidates: Too small: expected number to be >=1 (received 0)',
    );
    expectInvalid(
      () => tpeSampler({ seed: -1 }),
      'Invalid tpeSampler options: seed: Too small: expected number to be >=0 (received -1)',
    );
    expectInvalid(
      () => tpeSampler({ gamma: 3 } as unknown as TpeSamplerOptions),
      'Invalid tpeSampler options: gamma: expected a function (received 3)',
    );
    expectInvalid(
      () => tpeSampler({ priorWeight: 0 }),
      'Invalid tpeSampler options: priorWeight: Too small: expected number to be >0 (received 0)',
    );
    expectInvalid(
      () => tpeSampler({ foo: 1 } as unknown as TpeSamplerOptions),
      'Invalid tpeSampler options: Unrecognized key: "foo"',
    );
  });

  it('checks what its gamma and weights functions return', () => {
    const history = run(tpeSampler(), 12, { x: SPACE.x as ParamSpec }, (p) => p.x as number);
    const probe = running(12);
    const trials = [...history, probe];
    const sample = (options: TpeSamplerOptions) => () =>
      tpeSampler(options).sampleIndependent(
        { study: studyOf(['minimize'], trials), trial: probe },
        'x',
        SPACE.x as ParamSpec,
      );
    expectInvalid(sample({ gamma: () => 1.5 }), 'TPE gamma(12) must return an integer >= 0, received 1.5');
    expectInvalid(
      sample({ weights: (n) => new Array(n).fill(0) }),
      'TPE weights(10) must not return all zeros',
    );
    expectInvalid(
      sample({ weights: (n) => new Array(n).fill(-1) }),
      'TPE weights(10) must return 10 finite numbers >= 0, but entry 0 is -1',
    );
  });
});

describe('the batch log density of large mixtures (skipped blocks, table exp)', () => {
  it.each([
    ['a continuous range', { type: 'float', low: -5, high: 10 }],
    ['a log range', { type: 'float', low: 1e-4, high: 1, log: true }],
    ['an integer grid', { type: 'int', low: 0, high: 50 }],
  ] as const)('agrees with the plain sum over every kernel on %s', (_, spec) => {
    const domain = kernelDomain(spec);
    const rng = new Random(3);
    const span = domain.high - domain.low;
    // 1,000 observations, most clustered (as TPE's history is), with uneven weights.
    const draw = () =>
      rng.float() < 0.7 ? domain.low + span * (0.4 + 0.05 * rng.normal()) : domain.low + span * rng.float();
    const raw = Float64Array.from({ length: 1000 }, () => {
      const t = Math.min(Math.max(draw(), domain.low), domain.high);
      return spec.type === 'int' ? Math.min(Math.max(Math.round(t), spec.low), spec.high) : t;
    }).sort();
    for (const bandwidthTerm of [false, true]) {
      const options = {
        considerPrior: true,
        priorWeight: 1,
        considerMagicClip: true,
        considerEndpoints: false,
        bandwidthTerm,
        multivariateBandwidth: 'neighbours' as const,
      };
      const mix = univariateMixture(
        domain,
        raw,
        Float64Array.from(raw, (__, i) => 0.1 + (i % 7)),
        options,
      );
      const xs = Float64Array.from({ length: 24 }, () => raw[Math.floor(rng.float() * raw.length)] as number);
      xs[0] = domain.low + 1e-9;
      const out = new Float64Array(xs.length);
      mixtureLogPdf(domain, mix, xs, out);
      xs.forEach((x, i) => {
        const terms = Array.from(mix.mus, (mu, k) => {
          const sigma = mix.sigmas[k] as number;
          if (domain.step === undefined) return (mix.coef[k] as number) - 0.5 * ((x - mu) / sigma) ** 2;
          const cell = logGaussMass(
            (Math.max(x - 0.5, domain.low) - mu) / sigma,
            (Math.min(x + 0.5, domain.high) - mu) / sigma,
          );
          return (mix.coef[k] as number) + cell;
        });
        const max = Math.max(...terms);
        const expected = max + Math.log(terms.reduce((sum, t) => sum + Math.exp(t - max), 0));
        expect(close(out[i] as number, expected, 1e-13, 1e-13), `${out[i]} vs ${expected}`).toBe(true);
      });
    }
  });
});
