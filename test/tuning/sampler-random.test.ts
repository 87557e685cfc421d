import { describe, expect, it } from 'vitest';
import { chiSquareGoodnessOfFit } from '../../src/stats/chi-square.js';
import { ks2Sample } from '../../src/stats/ks.js';
import { randomSampler } from '../../src/tuning/samplers/random.js';
import type { ParamSpec, ParamValue } from '../../src/tuning/space.js';
import type { Sampler } from '../../src/tuning/types.js';
import { expectInvalid } from '../helpers.js';
import { FakeStudy, frozen } from './sampler-study.js';

const N = 2000;

/** `n` draws of one parameter, one per trial number 0..n−1, as a study of `n` trials would draw it. */
function draws(sampler: Sampler, spec: ParamSpec, n = N, name = 'p'): ParamValue[] {
  const study = new FakeStudy();
  return Array.from({ length: n }, (_, number) =>
    sampler.sampleIndependent({ study, trial: frozen({ number, state: 'RUNNING' }) }, name, spec),
  );
}

/** `n` evenly spread quantiles of the uniform distribution on [lo, hi]: a reference sample with no noise. */
function uniformQuantiles(lo: number, hi: number, n = N): number[] {
  return Array.from({ length: n }, (_, i) => lo + ((i + 0.5) / n) * (hi - lo));
}

function counts(values: readonly ParamValue[], support: readonly ParamValue[]): number[] {
  return support.map((s) => values.filter((v) => v === s).length);
}

/** The chi-square goodness-of-fit p-value of counts against equal frequencies. */
function uniformity(observed: number[]): number {
  const total = observed.reduce((a, b) => a + b, 0);
  return chiSquareGoodnessOfFit(
    observed,
    observed.map(() => total / observed.length),
  ).pValue;
}

describe('randomSampler', () => {
  const sampler = randomSampler({ seed: 11 });

  it('draws a float uniformly over its range (KS test against uniform quantiles)', () => {
    const x = draws(sampler, { type: 'float', low: -5, high: 10 }) as number[];
    expect(Math.min(...x)).toBeGreaterThanOrEqual(-5);
    expect(Math.max(...x)).toBeLessThan(10);
    expect(ks2Sample(x, uniformQuantiles(-5, 10)).pValue).toBeGreaterThan(0.01);
  });

  it('draws a log-range float log-uniformly, which a plain uniform test rejects', () => {
    const x = draws(sampler, { type: 'float', low: 1e-3, high: 10, log: true }) as number[];
    expect(Math.min(...x)).toBeGreaterThanOrEqual(1e-3);
    expect(Math.max(...x)).toBeLessThan(10);
    expect(ks2Sample(x.map(Math.log), uniformQuantiles(Math.log(1e-3), Math.log(10))).pValue).toBeGreaterThan(
      0.01,
    );
    expect(ks2Sample(x, uniformQuantiles(1e-3, 10)).pValue).toBeLessThan(1e-6);
  });

  it('puts a stepped float on its grid with equal frequencies (chi-square)', () => {
    const grid = [0, 0.25, 0.5, 0.75, 1];
    const x = draws(sampler, { type: 'float', low: 0, high: 1, step: 0.25 });
    expect(x.every((v) => grid.includes(v as number))).toBe(true);
    expect(uniformity(counts(x, grid))).toBeGreaterThan(0.01);
  });

  it('draws a stepped int uniformly over its grid', () => {
    const grid = [1, 3, 5, 7, 9];
    const x = draws(sampler, { type: 'int', low: 1, high: 9, step: 2 });
    const observed = counts(x, grid);
    expect(observed.reduce((a, b) => a + b, 0)).toBe(N);
    expect(uniformity(observed)).toBeGreaterThan(0.01);
  });

  it('draws a log-range int with probability proportional to log((k + ½)/(k − ½)), as Optuna rounds it', () => {
    const support = Array.from({ length: 20 }, (_, i) => i + 1);
    const x = draws(sampler, { type: 'int', low: 1, high: 20, log: true }, 4000);
    const width = Math.log(20.5) - Math.log(0.5);
    const expected = support.map((k) => ((Math.log(k + 0.5) - Math.log(k - 0.5)) / width) * 4000);
    const observed = counts(x, support);
    expect(observed.reduce((a, b) => a + b, 0)).toBe(4000);
    expect(chiSquareGoodnessOfFit(observed, expected).pValue).toBeGreaterThan(0.01);
    // ...which is far from uniform: 1 is drawn about 24 times as often as 20
    expect(
      chiSquareGoodnessOfFit(
        observed,
        support.map(() => 200),
      ).pValue,
    ).toBeLessThan(1e-6);
  });

  it('picks categorical choices with equal frequencies (chi-square)', () => {
    const choices = ['a', 'b', 3, true, null];
    const x = draws(sampler, { type: 'categorical', choices });
    const observed = counts(x, choices);
    expect(observed.reduce((a, b) => a + b, 0)).toBe(N);
    expect(
      chiSquareGoodnessOfFit(
        observed,
        choices.map(() => N / 5),
      ).pValue,
    ).toBeGreaterThan(0.01);
  });

  it('depends only on the seed, the trial number and the parameter name', () => {
    const study = new FakeStudy();
    const spec: ParamSpec = { type: 'float', low: 0, high: 1 };
    const at = (s: Sampler, number: number, name: string) =>
      s.sampleIndependent({ study, trial: frozen({ number, state: 'RUNNING' }) }, name, spec);
    const again = randomSampler({ seed: 11 });
    // the same value whatever else was drawn before, and in whatever order
    const y = at(again, 7, 'y');
    const x = at(again, 7, 'x');
    expect(at(sampler, 7, 'x')).toBe(x);
    expect(at(sampler, 7, 'y')).toBe(y);
    expect(x).not.toBe(y);
    expect(at(sampler, 8, 'x')).not.toBe(x);
    expect(at(randomSampler({ seed: 12 }), 7, 'x')).not.toBe(x);
    expect(at(randomSampler(), 7, 'x')).toBe(at(randomSampler({ seed: 0 }), 7, 'x'));
  });

  it('names itself and samples nothing jointly', () => {
    expect(sampler.name).toBe('random');
    expect(sampler.sampleRelative).toBeUndefined();
  });

  it('rejects invalid options with exact messages', () => {
    expectInvalid(
      () => randomSampler({ seed: -1 }),
      'Invalid randomSampler options: seed: Too small: expected number to be >=0 (received -1)',
    );
    expectInvalid(
      () => randomSampler({ seed: 1.5 }),
      'Invalid randomSampler options: seed: Invalid input: expected int, received number (received 1.5)',
    );
    expectInvalid(
      () => randomSampler({ seed: 1, foo: 2 } as never),
      'Invalid randomSampler options: Unrecognized key: "foo"',
    );
  });
});
