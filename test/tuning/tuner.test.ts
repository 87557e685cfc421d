import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { MlcycleError } from '../../src/core/errors.js';
import { medianPruner } from '../../src/tuning/pruners.js';
import { randomSampler } from '../../src/tuning/samplers/random.js';
import { type Trial, TrialPruned } from '../../src/tuning/trial.js';
import { HyperparameterTuner, type TunerProgress } from '../../src/tuning/tuner.js';
import type { FrozenTrial } from '../../src/tuning/types.js';
import { rejection, thrown } from '../helpers.js';

const quadratic = (trial: Trial): number => {
  const x = trial.suggestFloat('x', -5, 5);
  const y = trial.suggestInt('y', 0, 10);
  return x * x + (y - 3) ** 2;
};

function randomTuner(
  options: ConstructorParameters<typeof HyperparameterTuner>[0] = {},
): HyperparameterTuner {
  return new HyperparameterTuner({ sampler: randomSampler({ seed: 7 }), ...options });
}

describe('HyperparameterTuner: define-by-run trials', () => {
  it('suggests values inside their ranges, on log scales and step grids, and from choices', async () => {
    const tuner = randomTuner();
    await tuner.optimize(
      (trial) => {
        const lr = trial.suggestFloat('lr', 1e-4, 1, { log: true });
        const frac = trial.suggestFloat('frac', 0, 1, { step: 0.25 });
        const n = trial.suggestInt('n', 2, 20, { step: 3 });
        const kind = trial.suggestCategorical('kind', ['a', 'b', null]);
        expect(lr).toBeGreaterThanOrEqual(1e-4);
        expect(lr).toBeLessThanOrEqual(1);
        expect([0, 0.25, 0.5, 0.75, 1]).toContain(frac);
        expect([2, 5, 8, 11, 14, 17, 20]).toContain(n);
        expect(['a', 'b', null]).toContain(kind);
        return lr;
      },
      { nTrials: 30 },
    );
    expect(tuner.trials).toHaveLength(30);
    expect(new Set(tuner.trials.map((t) => t.params.kind)).size).toBe(3);
    expect(tuner.trials[0]?.distributions.n).toEqual({ type: 'int', low: 2, high: 20, step: 3 });
  });

  it('keeps conditional parameters to the trials whose branch suggested them', async () => {
    const tuner = randomTuner();
    await tuner.optimize(
      (trial) => {
        const kind = trial.suggestCategorical('kind', ['linear', 'tree']);
        return kind === 'tree' ? trial.suggestInt('depth', 1, 8) : trial.suggestFloat('alpha', 0, 1);
      },
      { nTrials: 20 },
    );
    for (const t of tuner.trials) {
      expect(Object.keys(t.params).sort()).toEqual(
        t.params.kind === 'tree' ? ['depth', 'kind'] : ['alpha', 'kind'],
      );
    }
  });

  it('returns the same value when a trial suggests a name again with the same range', async () => {
    const tuner = randomTuner();
    const trial = await tuner.ask();
    expect(trial.suggestFloat('x', 0, 1)).toBe(trial.suggestFloat('x', 0, 1));
  });

  it('rejects an invalid range, log with low <= 0, log with step, and a name re-suggested with another range', async () => {
    const tuner = randomTuner();
    const trial = await tuner.ask();
    expect(thrown(() => trial.suggestFloat('x', 2, 1)).message).toBe(
      'search space parameter "x" needs finite low <= high, received low=2, high=1',
    );
    expect(thrown(() => trial.suggestFloat('lr', 0, 1, { log: true })).message).toBe(
      'search space parameter "lr" is on a log scale and needs low > 0',
    );
    expect(thrown(() => trial.suggestFloat('lr', 0.1, 1, { log: true, step: 0.1 })).message).toBe(
      'search space parameter "lr" cannot have both log and step',
    );
    expect(thrown(() => trial.suggestInt('n', 1.5, 4)).message).toBe(
      'search space parameter "n" is an int parameter and needs integer bounds',
    );
    trial.suggestFloat('x', 0, 1);
    expect(thrown(() => trial.suggestFloat('x', 0, 2)).message).toBe(
      'parameter "x" was suggested as float in [0, 1] before and as float in [0, 2] now; a parameter must keep the same distribution throughout a study',
    );
    await tuner.tell(trial, 1);
    const next = await tuner.ask();
    expect(thrown(() => next.suggestCategorical('x', ['a'])).message).toBe(
      'parameter "x" was suggested as float in [0, 1] before and as categorical from ["a"] now; a parameter must keep the same distribution throughout a study',
    );
    expect(thrown(() => next.suggestFloat('y', 0, 1, { lg: true } as never)).message).toBe(
      'parameter "y" has unknown option "lg"; expected log or step',
    );
  });

  it('suggests a declarative search space before the objective runs, typed', async () => {
    const space = {
      lr: { type: 'float', low: 0.001, high: 0.1, log: true },
      model: { type: 'categorical', choices: ['ridge', 'lasso'] },
    } as const;
    const tuner = new HyperparameterTuner({ searchSpace: space, sampler: randomSampler({ seed: 1 }) });
    await tuner.optimize(
      (trial) => {
        expect(Object.keys(trial.params).sort()).toEqual(['lr', 'model']);
        return (trial.params.lr as number) * (trial.params.model === 'ridge' ? 1 : 2);
      },
      { nTrials: 10 },
    );
    const best: { lr: number; model: 'ridge' | 'lasso' } = tuner.bestParams;
    expect(best.lr).toBeGreaterThan(0);
  });
});

describe('HyperparameterTuner: trial states', () => {
  it('marks COMPLETE, PRUNED (keeping the last reported value), and FAIL for NaN without throwing', async () => {
    const tuner = randomTuner();
    let n = 0;
    await tuner.optimize(
      (trial) => {
        trial.suggestFloat('x', 0, 1);
        n++;
        if (n === 2) {
          trial.report(0.5, 0);
          trial.report(0.7, 3);
          throw new TrialPruned();
        }
        return n === 3 ? Number.NaN : n;
      },
      { nTrials: 3 },
    );
    const [a, b, c] = tuner.trials as [FrozenTrial, FrozenTrial, FrozenTrial];
    expect([a.state, b.state, c.state]).toEqual(['COMPLETE', 'PRUNED', 'FAIL']);
    expect(a.value).toBe(1);
    expect(b.value).toBe(0.7);
    expect(b.intermediateValues).toEqual({ 0: 0.5, 3: 0.7 });
    expect(c.value).toBeUndefined();
    expect(c.systemAttrs.fail_reason).toBe('the objective returned NaN');
  });

  it('fails the trial and rethrows an objective error, unless catch lists it', async () => {
    const tuner = randomTuner();
    const boom = new RangeError('boom');
    await expect(
      tuner.optimize(
        () => {
          throw boom;
        },
        { nTrials: 5 },
      ),
    ).rejects.toBe(boom);
    expect(tuner.trials.map((t) => t.state)).toEqual(['FAIL']);
    expect(tuner.trials[0]?.systemAttrs.fail_reason).toBe('boom');

    await tuner.optimize(
      (trial) => {
        if (trial.number % 2 === 0) throw new RangeError('odd');
        return 1;
      },
      { nTrials: 4, catch: [RangeError] },
    );
    expect(tuner.trials.map((t) => t.state)).toEqual(['FAIL', 'COMPLETE', 'FAIL', 'COMPLETE', 'FAIL']);
    await tuner.optimize(
      () => {
        throw new Error('skip me');
      },
      { nTrials: 2, catch: [(e) => e instanceof Error && e.message === 'skip me'] },
    );
    expect(tuner.trials).toHaveLength(7);
  });

  it('runs enqueued trials first with their values (WAITING, then RUNNING, then COMPLETE)', async () => {
    const tuner = randomTuner();
    await tuner.enqueueTrial({ x: 0.25, y: 3 });
    await tuner.enqueueTrial({ x: 4 });
    expect(tuner.trials.map((t) => t.state)).toEqual(['WAITING', 'WAITING']);
    await tuner.optimize(quadratic, { nTrials: 3 });
    const trials = tuner.trials;
    expect(trials.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE']);
    expect(trials[0]?.params).toEqual({ x: 0.25, y: 3 });
    expect(trials[1]?.params.x).toBe(4);
    expect(tuner.bestParams).toEqual({ x: 0.25, y: 3 });
    expect(tuner.bestValue).toBe(0.0625);

    await tuner.enqueueTrial({ x: 9 });
    const error = await rejection(tuner.optimize(quadratic, { nTrials: 1 }));
    expect(error.message).toBe('trial 3 was enqueued with x=9, which is not in float in [-5, 5]');
    expect(tuner.trials[3]?.state).toBe('FAIL');
  });

  it('skips an enqueued parameter set the study already holds, when asked to', async () => {
    const tuner = randomTuner();
    expect(await tuner.enqueueTrial({ x: 1, y: 2 }, { skipIfExists: true })).toBe(true);
    expect(await tuner.enqueueTrial({ x: 1, y: 2 }, { skipIfExists: true })).toBe(false);
    await tuner.optimize(quadratic, { nTrials: 2 });
    expect(await tuner.enqueueTrial({ y: 2, x: 1 }, { skipIfExists: true })).toBe(false);
    const suggested = tuner.trials[1]?.params as { x: number; y: number };
    expect(await tuner.enqueueTrial(suggested, { skipIfExists: true })).toBe(false);
    expect(await tuner.enqueueTrial({ x: 1 }, { skipIfExists: true })).toBe(true);
    expect(await tuner.enqueueTrial({ x: 1, y: 2 })).toBe(true);
    expect(tuner.trials).toHaveLength(4);
  });

  it('asks and tells, and refuses to tell a finished trial or a wrong number of values', async () => {
    const tuner = new HyperparameterTuner({ directions: ['maximize', 'minimize'], sampler: randomSampler() });
    const trial = await tuner.ask();
    const x = trial.suggestFloat('x', 0, 1);
    const record = await tuner.tell(trial, [x, 1 - x]);
    expect(record.values).toEqual([x, 1 - x]);
    expect((await rejection(tuner.tell(trial, [1, 2]))).message).toBe(
      'cannot tell trial 0: it is COMPLETE, not RUNNING',
    );
    const bad = await tuner.ask();
    expect((await rejection(tuner.tell(bad, 3))).message).toBe(
      'trial 1: the objective returned 3; expected an array of 2 numbers, one per direction',
    );
    expect(tuner.trials[1]?.state).toBe('FAIL');
    expect(thrown(() => tuner.bestTrial).message).toBe(
      'bestTrial is for single-objective studies; use bestTrials',
    );
  });

  it('warm-starts from added trials and checks them', async () => {
    const source = randomTuner();
    await source.optimize(quadratic, { nTrials: 5 });
    const tuner = randomTuner();
    await tuner.addTrials(source.trials);
    expect(tuner.trials.map((t) => t.value)).toEqual(source.trials.map((t) => t.value));
    expect(tuner.bestValue).toBe(source.bestValue);
    const running = { ...(source.trials[0] as FrozenTrial), state: 'RUNNING' as const };
    expect((await rejection(tuner.addTrials([running]))).message).toBe(
      'trials[0] has state RUNNING; addTrials takes COMPLETE, PRUNED, FAIL or WAITING trials',
    );
    const outside = { ...(source.trials[0] as FrozenTrial), params: { x: 7, y: 1 } };
    expect((await rejection(tuner.addTrials([outside]))).message).toBe(
      'trials[0] has x=7, which is not in float in [-5, 5]',
    );
    expect(tuner.trials).toHaveLength(5);
  });
});

describe('HyperparameterTuner: best trials, constraints and objectives', () => {
  it('finds the best trial for either direction, the earliest among equals', async () => {
    for (const direction of ['minimize', 'maximize'] as const) {
      const tuner = randomTuner({ direction });
      await tuner.optimize((trial) => Math.round(trial.suggestFloat('x', 0, 4)), { nTrials: 30 });
      const values = tuner.trials.map((t) => t.value as number);
      const best = direction === 'minimize' ? Math.min(...values) : Math.max(...values);
      expect(tuner.bestValue).toBe(best);
      expect(tuner.bestTrial.number).toBe(values.indexOf(best));
    }
  });

  it('keeps constraint values and takes the best feasible trial', async () => {
    const tuner = randomTuner({ constraints: (t) => [(t.params.x as number) - 0.5] });
    await tuner.optimize((trial) => -trial.suggestFloat('x', 0, 1), { nTrials: 40 });
    const feasible = tuner.trials.filter((t) => (t.constraints?.[0] as number) <= 0);
    expect(feasible.length).toBeGreaterThan(5);
    expect(feasible.length).toBeLessThan(40);
    expect(tuner.bestValue).toBe(Math.min(...feasible.map((t) => t.value as number)));
    expect(tuner.bestParams.x as number).toBeLessThanOrEqual(0.5);
  });

  it('returns the Pareto front of a multi-objective study and its hypervolume', async () => {
    const tuner = new HyperparameterTuner({ directions: ['maximize', 'minimize'], sampler: randomSampler() });
    await tuner.addTrials(
      [
        [1, 1],
        [2, 2],
        [2, 3],
        [0.5, 2],
      ].map(
        (values, number): FrozenTrial => ({
          number,
          state: 'COMPLETE',
          values,
          params: {},
          distributions: {},
          intermediateValues: {},
          userAttrs: {},
          systemAttrs: {},
        }),
      ),
    );
    expect(tuner.bestTrials.map((t) => t.number)).toEqual([0, 1]);
    // Maximising the first and minimising the second, up to (0, 4): boxes [0,1]×[1,4] ∪ [0,2]×[2,4] = 3 + 2 = 5.
    expect(tuner.hypervolume([0, 4])).toBe(5);
  });
});

describe('HyperparameterTuner: optimize loop', () => {
  it('emits a trial event per trial and a progress event with an ETA', async () => {
    const clock = new ManualClock(0);
    const tuner = randomTuner({ clock });
    const trials: number[] = [];
    const progress: TunerProgress[] = [];
    tuner.on('trial', (t) => trials.push(t.number));
    tuner.on('progress', (p) => progress.push(p));
    await tuner.optimize(
      (trial) => {
        clock.advance(100);
        return trial.suggestFloat('x', 0, 1);
      },
      { nTrials: 4 },
    );
    expect(trials).toEqual([0, 1, 2, 3]);
    expect(progress.map((p) => [p.completed, p.total, p.elapsedMs, p.etaMs])).toEqual([
      [1, 4, 100, 300],
      [2, 4, 200, 200],
      [3, 4, 300, 100],
      [4, 4, 400, 0],
    ]);
    expect(progress[3]?.bestValue).toBe(tuner.bestValue);
  });

  it('stops starting trials at the timeout, on stop(), and on abort (rejecting with ABORTED)', async () => {
    const clock = new ManualClock(0);
    const tuner = randomTuner({ clock });
    await tuner.optimize(
      (trial) => {
        clock.advance(40);
        return trial.suggestFloat('x', 0, 1);
      },
      { timeoutMs: 100 },
    );
    expect(tuner.trials).toHaveLength(3);

    await tuner.optimize(
      (trial) => {
        if (trial.number === 4) tuner.stop();
        return 1;
      },
      { nTrials: 10 },
    );
    expect(tuner.trials).toHaveLength(5);

    const controller = new AbortController();
    const seen: boolean[] = [];
    const error = await rejection(
      tuner.optimize(
        async (trial) => {
          if (trial.number === 6) controller.abort();
          seen.push(trial.signal.aborted);
          return 1;
        },
        { nTrials: 10, signal: controller.signal, concurrency: 1 },
      ),
    );
    expect(error.code).toBe('ABORTED');
    expect(error.message).toBe('optimize was aborted after 2 trials');
    expect(seen).toEqual([false, true]);
    expect(tuner.trials).toHaveLength(7);

    const early = await rejection(tuner.optimize(() => 1, { nTrials: 3, signal: AbortSignal.abort() }));
    expect(early.message).toBe('optimize was aborted after 0 trials');
    expect(tuner.trials).toHaveLength(7);
  });

  it('runs trials concurrently, with the same parameters per trial number as one at a time', async () => {
    const run = async (concurrency: number) => {
      const tuner = randomTuner();
      let running = 0;
      let peak = 0;
      await tuner.optimize(
        async (trial) => {
          running++;
          peak = Math.max(peak, running);
          const x = trial.suggestFloat('x', -1, 1);
          await new Promise((r) => setTimeout(r, 1));
          running--;
          return x * x;
        },
        { nTrials: 12, concurrency },
      );
      return { params: tuner.trials.map((t) => t.params), peak };
    };
    const one = await run(1);
    const four = await run(4);
    expect(one.peak).toBe(1);
    expect(four.peak).toBe(4);
    expect(four.params).toEqual(one.params);
  });

  it('prunes with the median pruner once earlier trials have reported', async () => {
    const tuner = randomTuner({ pruner: medianPruner({ startupTrials: 2, warmupSteps: 0 }) });
    await tuner.optimize(
      (trial) => {
        const bad = trial.number >= 3;
        for (let step = 0; step < 5; step++) {
          trial.report(bad ? 10 + step : step, step);
          if (trial.shouldPrune()) throw new TrialPruned();
        }
        return bad ? 20 : 1;
      },
      { nTrials: 5 },
    );
    const states = tuner.trials.map((t) => t.state);
    expect(states).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE', 'PRUNED', 'PRUNED']);
    expect(Object.keys(tuner.trials[3]?.intermediateValues ?? {})).toEqual(['0']);
  });

  it('rejects bad options with clear messages', () => {
    expect(thrown(() => new HyperparameterTuner({ direction: 'max' as never })).code).toBe(
      'INVALID_ARGUMENT',
    );
    expect(
      thrown(() => new HyperparameterTuner({ direction: 'minimize', directions: ['minimize'] })).message,
    ).toContain('give either direction or directions, not both');
    expect(thrown(() => new HyperparameterTuner({ sampler: 'grid' })).message).toBe(
      "sampler 'grid' needs the searchSpace option (or pass gridSampler({ searchSpace }) as the sampler)",
    );
    expect(thrown(() => randomTuner().bestTrial)).toBeInstanceOf(MlcycleError);
  });
});
