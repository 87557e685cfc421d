import { describe, expect, expectTypeOf, it } from 'vitest';
import { MlcycleError } from '../../src/core/errors.js';
import { variance } from '../../src/core/numeric.js';
import { Random } from '../../src/core/random.js';
import { TimeSeriesCV } from '../../src/cv/time-series-cv.js';
import { sharpeRatio } from '../../src/metrics/returns.js';
import { deflatedSharpeRatio } from '../../src/metrics/sharpe-inference.js';
import { persistence } from '../../src/models/baselines.js';
import type { FeatureRows, Model } from '../../src/models/model.js';
import { MemoryStorage } from '../../src/storage/memory.js';
import type { Pruner } from '../../src/tuning/pruners.js';
import { tuneWithCV } from '../../src/tuning/tune-cv.js';
import { signReturns } from '../../src/tuning/tune-cv-sharpe.js';
import type { FrozenTrial } from '../../src/tuning/types.js';
import { rejection } from '../helpers.js';

// A season of 5 with a little noise; X holds lags 1…7 of y, so persistence of lag 5 (column 4) forecasts best.
const season = [1, 3, -2, 0.5, 2];
const noise = new Random(7);
const series = Array.from({ length: 167 }, (_, t) => (season[t % 5] as number) + 0.05 * noise.normal());
const y = series.slice(7);
const X = y.map((_, i) => Array.from({ length: 7 }, (_, k) => series[i + 6 - k] as number));
const expanding = { method: 'expanding', nSplits: 5 } as const;

/** Persistence of lag 5 plus a bias: the larger the bias, the worse every fold. */
function biased(bias: number): Model {
  const base = persistence({ column: 4 });
  return {
    fit: (rows, target) => base.fit(rows, target),
    predict: (rows) => Array.from(base.predict(rows), (v) => v + bias),
  };
}

/** A pruner that never prunes but records, at each check, the steps the trial has reported so far. */
function recordingPruner(log: Map<number, number[][]>): Pruner {
  return {
    shouldPrune(view) {
      const steps = [...view.trial.intermediateValues.keys()].sort((a, b) => a - b);
      log.set(view.trial.number, [...(log.get(view.trial.number) ?? []), steps]);
      return false;
    },
  };
}

describe('tuneWithCV', () => {
  it('finds the seasonal lag of a persistence baseline and returns its fold scores', async () => {
    const result = await tuneWithCV(
      (p) => persistence({ column: p.lag - 1 }),
      { lag: { type: 'int', low: 1, high: 7 } },
      X,
      y,
      { cv: expanding, metric: 'mae', nTrials: 25, sampler: 'random', seed: 0 },
    );
    expectTypeOf(result.bestParams).toEqualTypeOf<{ lag: number }>();
    expect(result.bestParams).toEqual({ lag: 5 });
    const direct = await new TimeSeriesCV(expanding).validate(() => persistence({ column: 4 }), X, y, {
      metrics: ['mae'],
    });
    expect(result.foldScores).toEqual(direct.folds.map((f) => f.scores.mae));
    expect(result.bestValue).toBe(direct.mean.mae);
    expect(result.study.bestTrial.userAttrs.foldScores).toEqual(result.foldScores);
  });

  it('runs purged folds with the given label ends, as TimeSeriesCV.validate does', async () => {
    const purged = new TimeSeriesCV({ method: 'purged-kfold', nSplits: 4 });
    const labelEnd = y.map((_, i) => Math.min(i + 3, y.length - 1));
    const trainSizes: number[] = [];
    const result = await tuneWithCV(
      (p) => {
        const model = persistence({ column: p.lag - 1 });
        return {
          fit: (rows: FeatureRows, target: ArrayLike<number>) => {
            trainSizes.push(rows.length);
            return model.fit(rows, target);
          },
          predict: (rows: FeatureRows) => model.predict(rows),
        };
      },
      { lag: { type: 'int', low: 1, high: 7 } },
      X,
      y,
      { cv: purged, labelEnd, metric: 'mae', nTrials: 1 },
    );
    const factory = () => persistence({ column: result.bestParams.lag - 1 });
    const direct = await purged.validate(factory, X, y, { metrics: ['mae'], labelEnd });
    expect(trainSizes).toEqual(direct.folds.map((f) => f.trainSize));
    expect(result.foldScores).toEqual(direct.folds.map((f) => f.scores.mae));
    const unpurged = await purged.validate(factory, X, y, { metrics: ['mae'] });
    expect(trainSizes).not.toEqual(unpurged.folds.map((f) => f.trainSize));
  });

  it('hands the model factory what a define-by-run space returns', async () => {
    const result = await tuneWithCV(
      (p: { column: number }) => persistence(p),
      (trial) => ({ column: trial.suggestInt('lag', 1, 7) - 1 }),
      X,
      y,
      { cv: new TimeSeriesCV(expanding), metric: 'rmse', nTrials: 25, sampler: 'random', seed: 0 },
    );
    expect(result.bestParams).toEqual({ column: 4 });
    expect(result.study.bestTrial.params).toEqual({ lag: 5 });
  });

  it('reports each fold as a step, in fold order, and checks the pruner after each but the last', async () => {
    const checks = new Map<number, number[][]>();
    const result = await tuneWithCV(
      (p) => biased(p.bias),
      { bias: { type: 'float', low: 0, high: 1 } },
      X,
      y,
      { cv: expanding, metric: 'mae', nTrials: 3, pruner: recordingPruner(checks), seed: 1 },
    );
    const trials = result.study.trials as readonly FrozenTrial[];
    expect(trials.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE']);
    for (const trial of trials) {
      expect(checks.get(trial.number)).toEqual([[0], [0, 1], [0, 1, 2], [0, 1, 2, 3]]);
      expect(Object.keys(trial.intermediateValues)).toHaveLength(5);
      const reported = Object.entries(trial.intermediateValues).map(([step, v]) => [Number(step), v]);
      expect(reported).toEqual((trial.userAttrs.foldScores as number[]).map((v, i) => [i, v]));
    }
  });

  it('stops a clearly worse trial after its first fold with the default median pruner', async () => {
    let fits = 0;
    const result = await tuneWithCV(
      (p) => {
        const model = biased(p.bias);
        return {
          ...model,
          fit: (rows: FeatureRows, target: ArrayLike<number>) => {
            fits++;
            return model.fit(rows, target);
          },
        };
      },
      { bias: { type: 'categorical', choices: [0, 0.02, 0.04, 3] } },
      X,
      y,
      { cv: expanding, metric: 'mae', nTrials: 30, sampler: 'random', seed: 3 },
    );
    const trials = result.study.trials as readonly FrozenTrial[];
    const bad = trials.filter((t, i) => {
      const completedBefore = trials.slice(0, i).filter((u) => u.state === 'COMPLETE').length;
      return t.params.bias === 3 && completedBefore >= 5;
    });
    expect(bad.length).toBeGreaterThan(0);
    for (const t of bad) {
      expect(t.state).toBe('PRUNED');
      expect(Object.keys(t.intermediateValues)).toEqual(['0']);
      expect(t.userAttrs.foldScores).toHaveLength(1);
    }
    const complete = trials.filter((t) => t.state === 'COMPLETE').length;
    expect(fits).toBe(5 * complete + (trials.length - complete));
    expect(result.bestParams.bias).toBe(0);
  });

  it('prunes worse trials with the Wilcoxon pruner once four folds are shared', async () => {
    const result = await tuneWithCV(
      (p) => biased(p.bias),
      { bias: { type: 'categorical', choices: [0, 3] } },
      X,
      y,
      { cv: expanding, metric: 'mae', nTrials: 12, pruner: 'wilcoxon', sampler: 'random', seed: 2 },
    );
    const trials = result.study.trials as readonly FrozenTrial[];
    const pruned = trials.filter((t) => t.state === 'PRUNED');
    expect(pruned.length).toBeGreaterThan(0);
    for (const t of pruned) {
      expect(t.params.bias).toBe(3);
      expect(Object.keys(t.intermediateValues)).toEqual(['0', '1', '2', '3']);
    }
    expect(result.bestParams.bias).toBe(0);
  });
});

// Returns driven by two features: the first predicts them, the second is noise.
const market = new Random(11);
const features = Array.from({ length: 300 }, () => [market.normal(), market.normal()]);
const returns = features.map(([a]) => 0.002 * (a as number) + 0.01 * market.normal());

/** A linear signal w1·f1 + w2·f2 that needs no fitting. */
function signal(p: { w1: number; w2: number }): Model {
  return {
    fit: () => undefined,
    predict: (rows) => rows.map((r) => p.w1 * (r[0] as number) + p.w2 * (r[1] as number)),
  };
}

const weights = {
  w1: { type: 'float', low: -1, high: 1 },
  w2: { type: 'float', low: -1, high: 1 },
} as const;

/** The pooled out-of-sample strategy returns of `params`, from TimeSeriesCV.validate's predictions. */
async function oosReturns(cv: TimeSeriesCV, params: { w1: number; w2: number }): Promise<Float64Array> {
  const run = await cv.validate(() => signal(params), features, returns, { metrics: ['mae'] });
  const tested = run.layout.flatMap((fold) => fold.test);
  return Float64Array.from(
    signReturns(
      tested.map((i) => returns[i] as number),
      tested.map((i) => run.oof[i] as number),
    ),
  );
}

describe('tuneWithCV with a Sharpe ratio', () => {
  const cv = new TimeSeriesCV({ method: 'expanding', nSplits: 4 });

  it('deflates the best Sharpe ratio for the number of completed trials', async () => {
    let models = 0;
    const counted = (p: { w1: number; w2: number }) => {
      models++;
      return signal(p);
    };
    const result = await tuneWithCV(counted, weights, features, returns, {
      cv,
      metric: 'sharpe',
      nTrials: 12,
      pruner: 'none',
      sampler: 'random',
      seed: 5,
    });
    const trials = (result.study.trials as readonly FrozenTrial[]).filter((t) => t.state === 'COMPLETE');
    expect(trials).toHaveLength(12);
    expect(models).toBe(12 * 4); // the best trial's returns were kept, not recomputed
    const perPeriod: number[] = [];
    for (const t of trials) {
      const r = await oosReturns(cv, t.params as { w1: number; w2: number });
      perPeriod.push(sharpeRatio(r) / Math.sqrt(252));
    }
    const best = await oosReturns(cv, result.bestParams);
    const expected = deflatedSharpeRatio(best, { trials: 12, sharpeVariance: variance(perPeriod, 0) });
    const deflated = result.deflatedSharpe;
    expect(deflated?.trials).toBe(12);
    expect(deflated?.deflatedSharpe).toBeCloseTo(expected.deflatedSharpe, 12);
    expect(deflated?.expectedMaxSharpe).toBeCloseTo(expected.expectedMaxSharpe, 12);
    expect(deflated?.sharpe).toBeCloseTo(sharpeRatio(best), 12);
    // The fold scores are each fold's annualised Sharpe ratio of the same strategy.
    const folds = cv.split(features.length);
    let at = 0;
    const perFold = folds.map((f) => {
      const slice = best.subarray(at, at + f.test.length);
      at += f.test.length;
      return sharpeRatio(slice);
    });
    for (const [i, s] of result.foldScores.entries()) expect(s).toBeCloseTo(perFold[i] as number, 12);
    expect(result.bestValue).toBeCloseTo(perFold.reduce((a, b) => a + b, 0) / perFold.length, 12);
    expect(Math.max(...trials.map((t) => t.value as number))).toBe(result.bestValue);
  });

  it('continues a stored study, deflating a best trial from the earlier session by rerunning its folds', async () => {
    const storage = new MemoryStorage();
    let models = 0;
    const counted = (p: { w1: number; w2: number }) => {
      models++;
      return signal(p);
    };
    const options = {
      cv,
      metric: 'sharpe',
      pruner: 'none',
      sampler: 'random',
      storage,
      studyName: 'w',
    } as const;
    await tuneWithCV(counted, weights, features, returns, { ...options, nTrials: 6, seed: 5 });
    models = 0;
    const result = await tuneWithCV(counted, weights, features, returns, { ...options, nTrials: 2, seed: 5 });
    const trials = (result.study.trials as readonly FrozenTrial[]).filter((t) => t.state === 'COMPLETE');
    expect(trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(result.study.bestTrial.number).toBeLessThan(6); // the precondition of this test: an earlier best
    expect(models).toBe(2 * 4 + 4);
    expect(result.bestParams).toEqual(result.study.bestParams);
    const perPeriod: number[] = [];
    for (const t of trials) {
      perPeriod.push(
        sharpeRatio(await oosReturns(cv, t.params as { w1: number; w2: number })) / Math.sqrt(252),
      );
    }
    const best = await oosReturns(cv, result.bestParams);
    const expected = deflatedSharpeRatio(best, { trials: 8, sharpeVariance: variance(perPeriod, 0) });
    expect(result.deflatedSharpe?.deflatedSharpe).toBeCloseTo(expected.deflatedSharpe, 12);
  });

  it('attaches the deflated Sharpe ratio only to Sharpe-ratio searches', async () => {
    const base = { cv, nTrials: 4, pruner: 'none', sampler: 'random', seed: 1 } as const;
    const alias = await tuneWithCV(signal, weights, features, returns, { ...base, metric: 'sharpeRatio' });
    expect(alias.deflatedSharpe?.trials).toBe(4);
    const plain = await tuneWithCV(signal, weights, features, returns, { ...base, metric: 'mae' });
    expect(plain.deflatedSharpe).toBeUndefined();
    const custom = await tuneWithCV(signal, weights, features, returns, {
      ...base,
      metric: { name: 'hitRate', fn: (t, p) => signReturns(t, p).filter((r) => r > 0).length / t.length },
      direction: 'maximize',
      sharpe: { periodsPerYear: 12 },
    });
    const best = await oosReturns(cv, custom.bestParams);
    expect(custom.deflatedSharpe?.sharpe).toBeCloseTo(sharpeRatio(best, { periodsPerYear: 12 }), 12);
  });
});

describe('tuneWithCV and the study loop', () => {
  it('evaluates enqueued parameter sets first, sampling what they leave out', async () => {
    const result = await tuneWithCV(
      (p) => persistence({ column: p.lag - 1 }),
      { lag: { type: 'int', low: 1, high: 7 }, unused: { type: 'float', low: 0, high: 1 } },
      X,
      y,
      {
        cv: expanding,
        metric: 'mae',
        nTrials: 3,
        sampler: 'random',
        pruner: 'none',
        enqueue: [{ lag: 5 }, { lag: 2, unused: 0.5 }],
      },
    );
    const trials = result.study.trials;
    expect(trials.map((t) => t.params.lag)).toEqual([5, 2, trials[2]?.params.lag]);
    expect(trials[1]?.params.unused).toBe(0.5);
    expect(trials[0]?.params.unused).not.toBe(0.5);
    expect(result.bestParams.lag).toBe(5);
  });

  it('does not enqueue a parameter set again when a stored study is re-opened', async () => {
    const storage = new MemoryStorage();
    const options = {
      cv: expanding,
      metric: 'mae',
      nTrials: 2,
      sampler: 'random',
      pruner: 'none',
      storage,
      studyName: 'again',
      enqueue: [{ lag: 5 }],
    } as const;
    const space = { lag: { type: 'int', low: 1, high: 7 } } as const;
    await tuneWithCV((p) => persistence({ column: p.lag - 1 }), space, X, y, options);
    const second = await tuneWithCV((p) => persistence({ column: p.lag - 1 }), space, X, y, options);
    const enqueued = second.study.trials.filter((t) => t.systemAttrs.fixed_params !== undefined);
    expect(second.study.trials).toHaveLength(4);
    expect(enqueued.map((t) => t.number)).toEqual([0]);
  });

  it('keeps each trial’s fold scores apart when trials run concurrently', async () => {
    const slow = (p: { bias: number }): Model => {
      const model = biased(p.bias);
      return {
        fit: async (rows, target) => {
          await new Promise((resolve) => setTimeout(resolve, 1 + ((p.bias * 7) % 3)));
          return model.fit(rows, target);
        },
        predict: model.predict,
      };
    };
    const space = { bias: { type: 'float', low: 0, high: 1 } } as const;
    const options = { cv: expanding, metric: 'mae', nTrials: 8, pruner: 'none', sampler: 'random' } as const;
    const serial = await tuneWithCV(slow, space, X, y, options);
    const parallel = await tuneWithCV(slow, space, X, y, { ...options, concurrency: 4 });
    const summary = (r: typeof serial) =>
      r.study.trials.map((t) => ({ params: t.params, value: t.value, folds: t.userAttrs.foldScores }));
    expect(summary(parallel)).toEqual(summary(serial));
    expect(parallel.foldScores).toEqual(serial.foldScores);
  });

  it('calls the callbacks after each trial and stops with ABORTED when the signal fires', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const error = await rejection(
      tuneWithCV((p) => biased(p.bias), { bias: { type: 'float', low: 0, high: 1 } }, X, y, {
        cv: expanding,
        metric: 'mae',
        nTrials: 10,
        signal: controller.signal,
        callbacks: [
          (_study, trial) => {
            seen.push(trial.number);
            if (seen.length === 2) controller.abort();
          },
        ],
      }),
    );
    expect(error.code).toBe('ABORTED');
    expect(seen).toEqual([0, 1]);
  });

  it("sends the study's progress events to onProgress, with counts and an ETA", async () => {
    const events: {
      completed: number;
      total: number | undefined;
      etaMs: number | undefined;
      trial: number;
    }[] = [];
    await tuneWithCV((p) => biased(p.bias), { bias: { type: 'float', low: 0, high: 1 } }, X, y, {
      cv: expanding,
      metric: 'mae',
      nTrials: 4,
      onProgress: (p) =>
        events.push({ completed: p.completed, total: p.total, etaMs: p.etaMs, trial: p.trial.number }),
    });
    expect(events.map((e) => [e.completed, e.total, e.trial])).toEqual([
      [1, 4, 0],
      [2, 4, 1],
      [3, 4, 2],
      [4, 4, 3],
    ]);
    expect(events.every((e) => typeof e.etaMs === 'number' && e.etaMs >= 0)).toBe(true);
    expect((events.at(-1) as { etaMs: number }).etaMs).toBe(0);
  });

  it('says so when no trial completed, the model errors being caught', async () => {
    const broken = (): Model => ({ fit: () => undefined, predict: (rows) => rows.map(() => Number.NaN) });
    const error = await rejection(
      tuneWithCV(broken, { bias: { type: 'float', low: 0, high: 1 } }, X, y, {
        cv: expanding,
        metric: 'mae',
        nTrials: 3,
        catch: [MlcycleError],
      }),
    );
    expect(error.code).toBe('INSUFFICIENT_DATA');
    expect(error.message).toBe('tuneWithCV has no best trial: no trial completed (0 pruned, 3 failed)');
  });
});

describe('tuneWithCV input checks', () => {
  const space = { lag: { type: 'int', low: 1, high: 7 } } as const;
  const factory = (p: { lag: number }) => persistence({ column: p.lag - 1 });
  const ok = { cv: expanding, metric: 'mae', nTrials: 3 } as const;

  it('refuses X and y of different lengths', async () => {
    const error = await rejection(tuneWithCV(factory, space, X, y.slice(1), ok));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe('X and y must have the same length, but X has 160 and y has 159');
  });

  it('refuses an unknown metric, naming the known ones', async () => {
    const error = await rejection(tuneWithCV(factory, space, X, y, { ...ok, metric: 'maee' as 'mae' }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe(
      'Unknown metric "maee": expected one of mae, mse, rmse, mape, smape, r2, medianAbsoluteError, directionalAccuracy, accuracy, precision, recall, f1, balancedAccuracy, matthewsCorrcoef, rocAuc, logLoss, brierScore, sharpe, sharpeRatio, or { name, fn, direction }',
    );
  });

  it('refuses a name of Object.prototype as a metric', async () => {
    const error = await rejection(
      tuneWithCV(factory, space, X, y, { ...ok, metric: 'constructor' as 'mae' }),
    );
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/^Unknown metric "constructor": expected one of mae, mse, rmse, /);
  });

  it('needs a direction for a custom metric', async () => {
    const metric = {
      name: 'bias',
      fn: (t: ArrayLike<number>, p: ArrayLike<number>) => (p[0] as number) - (t[0] as number),
    };
    const error = await rejection(tuneWithCV(factory, space, X, y, { ...ok, metric }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe(
      `tuneWithCV needs a direction for the custom metric "bias": set metric.direction or options.direction to 'minimize' or 'maximize'`,
    );
  });

  it('refuses a direction that contradicts a built-in metric', async () => {
    const error = await rejection(tuneWithCV(factory, space, X, y, { ...ok, direction: 'maximize' }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe(`direction 'maximize' contradicts metric "mae", which is minimized`);
  });

  it('needs at least one trial', async () => {
    const error = await rejection(tuneWithCV(factory, space, X, y, { ...ok, nTrials: 0 }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe(
      'Invalid tuneWithCV options: nTrials: Too small: expected number to be >=1 (received 0)',
    );
  });

  it('needs onProgress to be a function', async () => {
    const error = await rejection(tuneWithCV(factory, space, X, y, { ...ok, onProgress: 'log' as never }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe(
      'Invalid tuneWithCV options: onProgress: expected a function (received "log")',
    );
  });

  it('needs a model factory and a search space', async () => {
    const noFactory = await rejection(tuneWithCV(undefined as never, space, X, y, ok));
    expect(noFactory.message).toBe('tuneWithCV needs a model factory: a function (params) => a fresh model');
    const noSpace = await rejection(tuneWithCV(factory, null as never, X, y, ok));
    expect(noSpace.message).toBe(
      'tuneWithCV needs a search space: an object of parameter specs, or a function (trial) => params',
    );
  });
});
