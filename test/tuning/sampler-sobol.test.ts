import { describe, expect, it, vi } from 'vitest';
import { roundHalfEven } from '../../src/core/numeric.js';
import { randomSampler } from '../../src/tuning/samplers/random.js';
import { sobolSampler } from '../../src/tuning/samplers/sobol.js';
import { Sobol } from '../../src/tuning/sobol.js';
import type { ParamSpec, SearchSpace } from '../../src/tuning/space.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';
import { expectInvalid } from '../helpers.js';
import { FakeStudy, frozen, runTrial, start } from './sampler-study.js';

const mixed: SearchSpace = {
  a: { type: 'float', low: -5, high: 10 },
  b: { type: 'float', low: 1e-3, high: 1, log: true },
  c: { type: 'int', low: 1, high: 9, step: 2 },
  d: { type: 'int', low: 1, high: 100, log: true },
  e: { type: 'categorical', choices: ['u', 'v', 'w'] },
  f: { type: 'float', low: 0, high: 1, step: 0.25 },
};

/** A coordinate u in [0, 1) mapped by hand onto each parameter of `mixed`, as Optuna's transform maps it. */
function mapMixed(u: Float64Array): Record<string, unknown> {
  const clip = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  const [a, b, c, d, e, f] = Array.from(u) as [number, number, number, number, number, number];
  return {
    a: -5 + 15 * a,
    b: Math.exp(Math.log(1e-3) + b * -Math.log(1e-3)),
    c: clip(roundHalfEven((10 * c - 1) / 2) * 2 + 1, 1, 9), // range [0, 10]: half a step past each end
    d: clip(roundHalfEven(Math.exp(Math.log(0.5) + d * (Math.log(100.5) - Math.log(0.5)))), 1, 100),
    e: ['u', 'v', 'w'][Math.floor(3 * e)],
    f: clip(roundHalfEven((-0.125 + 1.25 * f) / 0.25) * 0.25, 0, 1),
  };
}

describe('sobolSampler', () => {
  it('suggests what Optuna 3.1 QMCSampler(scramble=False) suggests from trial 1 on', () => {
    const reference = loadReferenceCases('tuning_sobol').find((c) => c.fn === 'optunaQmcSampler');
    if (reference === undefined) throw new Error('no optunaQmcSampler reference case');
    const { bounds } = reference.args as { bounds: [number, number][] };
    const { params } = reference.expected as { params: number[][] };
    const space: SearchSpace = Object.fromEntries(
      ['x', 'y', 'z'].map((name, i) => {
        const [low, high] = bounds[i] as [number, number];
        return [name, { type: 'float', low, high } satisfies ParamSpec];
      }),
    );
    const study = new FakeStudy();
    const sampler = sobolSampler({ scramble: false, seed: 3 });
    for (let n = 0; n < params.length; n++) runTrial(study, sampler, space);
    for (let n = 1; n < params.length; n++) {
      const got = ['x', 'y', 'z'].map((name) => study.records[n]?.params[name] as number);
      expect(got.every((v, j) => close(v, (params[n] as number[])[j] as number, 1e-12))).toBe(true);
    }
  });

  it("maps the scrambled generator's point n − 1 onto log, stepped, int and categorical parameters", () => {
    const study = new FakeStudy();
    const sampler = sobolSampler({ seed: 9, warnIndependentSampling: false });
    for (let n = 0; n < 40; n++) runTrial(study, sampler, mixed);
    const engine = new Sobol(6, { seed: 9, scramble: true });
    for (let n = 1; n < 40; n++) {
      const expected = mapMixed(engine.next());
      const got = study.records[n]?.params as Record<string, unknown>;
      expect(Object.keys(got).sort()).toEqual(Object.keys(expected));
      for (const [name, value] of Object.entries(expected)) {
        if (typeof value === 'number') expect(close(got[name] as number, value, 1e-12)).toBe(true);
        else expect(got[name]).toBe(value);
      }
    }
  });

  it('stratifies: the first 64 points put one value in each 1/64 of a range, and categories evenly', () => {
    const study = new FakeStudy();
    const sampler = sobolSampler({ seed: 4 });
    const space: SearchSpace = {
      x: { type: 'float', low: 0, high: 1 },
      k: { type: 'categorical', choices: ['a', 'b', 'c', 'd'] },
    };
    for (let n = 0; n <= 64; n++) runTrial(study, sampler, space);
    const later = study.records.slice(1);
    const cells = later.map((t) => Math.floor((t.params.x as number) * 64)).sort((p, q) => p - q);
    expect(cells).toEqual(Array.from({ length: 64 }, (_, i) => i));
    for (const k of ['a', 'b', 'c', 'd']) expect(later.filter((t) => t.params.k === k).length).toBe(16);
  });

  it('fixes the search space from the first completed or pruned trial and counts points from it', () => {
    const study = new FakeStudy();
    const sampler = sobolSampler({ scramble: false });
    const x: SearchSpace = { x: { type: 'float', low: 2, high: 4 } };
    runTrial(study, sampler, x, () => ({ values: [], state: 'FAIL' }));
    expect(sampler.inferRelativeSearchSpace?.(study, frozen({ number: 1, state: 'RUNNING' }))).toEqual({});
    runTrial(study, sampler, { ...x, y: { type: 'int', low: 0, high: 8 } }, () => ({
      values: [],
      state: 'PRUNED',
    }));
    const second = runTrial(study, sampler, { ...x, y: { type: 'int', low: 0, high: 8 } });
    const third = runTrial(study, sampler, { ...x, y: { type: 'int', low: 0, high: 8 } });
    expect(second.params).toEqual({ x: 2, y: 0 }); // point 0 of the unscrambled sequence: the lower bounds
    expect(third.params).toEqual({ x: 3, y: 4 }); // point 1: the middle
  });

  it('gives trial n the same point on a fresh sampler (no state carried between trials)', () => {
    const study = new FakeStudy();
    const sampler = sobolSampler({ seed: 2 });
    for (let n = 0; n < 6; n++) runTrial(study, sampler, mixed);
    const last = study.records.pop();
    const fresh = start(study, sobolSampler({ seed: 2 }));
    expect(fresh.relative).toEqual(last?.params);
  });

  it('samples parameters outside the space at random, and warns once per parameter', () => {
    const study = new FakeStudy();
    const messages: string[] = [];
    const sampler = sobolSampler({ seed: 5, warnIndependentSampling: (m) => messages.push(m) });
    const x: SearchSpace = { x: { type: 'float', low: 0, high: 1 } };
    const y: ParamSpec = { type: 'float', low: -1, high: 1 };
    runTrial(study, sampler, x);
    expect(messages).toEqual([]); // trial 0 is random by design, not a fallback
    const one = runTrial(study, sampler, { ...x, y });
    runTrial(study, sampler, { ...x, y });
    const random = randomSampler({ seed: 5 });
    expect(one.params.y).toBe(random.sampleIndependent({ study, trial: one }, 'y', y));
    expect(messages).toEqual([
      `sobolSampler: parameter "y" of trial 1 is sampled at random, not from the Sobol' sequence, because it is not in the search space fixed by trial 0 (or beyond its first 40 parameters); pass warnIndependentSampling: false if intended`,
    ]);
  });

  it('emits a Node warning by default, and nothing when told not to', () => {
    const emit = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const x: SearchSpace = { x: { type: 'float', low: 0, high: 1 } };
      const z: ParamSpec = { type: 'int', low: 0, high: 3 };
      const run = (options: Parameters<typeof sobolSampler>[0]) => {
        emit.mockClear();
        const study = new FakeStudy();
        const sampler = sobolSampler(options);
        runTrial(study, sampler, x);
        runTrial(study, sampler, { ...x, z });
        return emit.mock.calls;
      };
      const calls = run({});
      expect(calls.length).toBe(1);
      expect(calls[0]?.[0]).toMatch(/^sobolSampler: parameter "z" of trial 1 is sampled at random/);
      expect(calls[0]?.[1]).toBe('MlcycleWarning');
      expect(run({ warnIndependentSampling: false }).length).toBe(0);
    } finally {
      emit.mockRestore();
    }
  });

  it('rejects invalid options with exact messages', () => {
    expectInvalid(
      () => sobolSampler({ scramble: 1 } as never),
      'Invalid sobolSampler options: scramble: Invalid input: expected boolean, received number (received 1)',
    );
    expectInvalid(
      () => sobolSampler({ warnIndependentSampling: 'yes' } as never),
      'Invalid sobolSampler options: warnIndependentSampling: expected a boolean or a function (received "yes")',
    );
    expectInvalid(
      () => sobolSampler({ seed: 0.5 }),
      'Invalid sobolSampler options: seed: Invalid input: expected int, received number (received 0.5)',
    );
  });
});
