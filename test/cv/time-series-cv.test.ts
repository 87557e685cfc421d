import { describe, expect, it, vi } from 'vitest';
import { TimeSeriesCV } from '../../src/cv/time-series-cv.js';
import { mae } from '../../src/metrics/regression.js';
import type { Model } from '../../src/models/model.js';
import { rejection, thrown } from '../helpers.js';

/** Predicts the mean of its training targets; counts its fits. */
function meanModel(counter = { fits: 0 }): Model {
  let mean = Number.NaN;
  return {
    fit: (_X, y) => {
      counter.fits += 1;
      mean = Array.from(y).reduce((a, b) => a + b, 0) / y.length;
    },
    predict: (X) => X.map(() => mean),
    predictProba: (X) => X.map(() => 0.5),
  };
}

const n = 60;
const X = Array.from({ length: n }, (_, i) => [i]);
const y = Array.from({ length: n }, (_, i) => i % 7);

describe('TimeSeriesCV options', () => {
  it('applies the documented defaults', () => {
    expect(new TimeSeriesCV({ method: 'expanding' }).options).toEqual({ method: 'expanding', nSplits: 5 });
    expect(new TimeSeriesCV({ method: 'purged-kfold' }).options).toEqual({
      method: 'purged-kfold',
      nSplits: 5,
    });
  });

  it('refuses bad options with a message naming the option', () => {
    expect(thrown(() => new TimeSeriesCV({ method: 'expanding', nSplits: 1 })).message).toBe(
      'Invalid TimeSeriesCV options: nSplits: Too small: expected number to be >=2 (received 1)',
    );
    expect(thrown(() => new TimeSeriesCV({ method: 'shuffled' } as never)).message).toMatch(
      /^Invalid TimeSeriesCV options: method: Invalid discriminator value\. Expected 'expanding' \| 'sliding'/,
    );
    expect(thrown(() => new TimeSeriesCV({ method: 'sliding', trainSize: 10 } as never)).message).toBe(
      'Invalid TimeSeriesCV options: testSize: Invalid input (received nothing)',
    );
    expect(
      thrown(() => new TimeSeriesCV({ method: 'expanding', gap: { weeks: 1 } } as never)).message,
    ).toMatch(/^Invalid TimeSeriesCV options: gap: /);
  });

  it('refuses a bad n and labelEnd for walk-forward methods', () => {
    const cv = new TimeSeriesCV({ method: 'expanding', nSplits: 3 });
    expect(thrown(() => cv.split(0)).message).toBe(
      'n must be a positive integer (the number of observations), received 0',
    );
    expect(thrown(() => cv.split(20, { labelEnd: [] })).message).toBe(
      'labelEnd is used by the purged methods; with expanding folds, set gap to at least the label horizon instead',
    );
    expect(thrown(() => cv.paths(20)).code).toBe('UNSUPPORTED');
  });
});

describe('TimeSeriesCV.describe', () => {
  it('draws train, gap and test for expanding folds', () => {
    const cv = new TimeSeriesCV({ method: 'expanding', nSplits: 3, testSize: 4, gap: 2 });
    const { text, layout } = cv.describe(20);
    expect(text.split('\n')).toEqual([
      'fold  0 |======  ####........|',
      'fold  1 |==========  ####....|',
      'fold  2 |==============  ####|',
    ]);
    expect(layout.folds[0]?.segments).toEqual([
      { kind: 'train', start: 0, end: 6 },
      { kind: 'excluded', start: 6, end: 8 },
      { kind: 'test', start: 8, end: 12 },
      { kind: 'unused', start: 12, end: 20 },
    ]);
  });

  it('draws purge and embargo around combinatorial test groups', () => {
    const cv = new TimeSeriesCV({
      method: 'combinatorial-purged',
      nGroups: 3,
      nTestGroups: 2,
      purge: 1,
      embargo: 1,
    });
    // skfolio's rule: purge before each test block, purge + embargo after it.
    expect(cv.describe(12).text.split('\n')).toEqual([
      'fold  0 |########  ==|',
      'fold  1 |####  = ####|',
      'fold  2 |=== ########|',
    ]);
  });

  it('buckets long series into the requested width', () => {
    const cv = new TimeSeriesCV({ method: 'purged-kfold', nSplits: 4 });
    const lines = cv.describe(100_000, {}, 40).text.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines.every((line) => line.length === 'fold  0 |'.length + 40 + 1)).toBe(true);
    expect(lines[0]).toBe(`fold  0 |${'#'.repeat(10)}${'='.repeat(30)}|`);
  });
});

describe('TimeSeriesCV.validate', () => {
  it('fits a fresh model per fold, scores every fold and aligns out-of-fold predictions', async () => {
    const cv = new TimeSeriesCV({ method: 'expanding', nSplits: 4, testSize: 10 });
    const counter = { fits: 0 };
    const events = vi.fn();
    cv.on('fold', events);
    const result = await cv.validate(() => meanModel(counter), X, y, { metrics: ['mae', 'rmse'] });
    const folds = cv.split(n);
    expect(counter.fits).toBe(4);
    expect(events).toHaveBeenCalledTimes(4);
    expect(events.mock.calls[3]?.[0]).toMatchObject({ index: 3, of: 4, trainSize: 50, testSize: 10 });
    for (const [k, fold] of folds.entries()) {
      const trainMean = fold.train.reduce((a, i) => a + (y[i] as number), 0) / fold.train.length;
      const expected = mae(
        fold.test.map((i) => y[i] as number),
        fold.test.map(() => trainMean),
      );
      expect(result.folds[k]?.scores.mae).toBeCloseTo(expected, 12);
      for (const i of fold.test) expect(result.oof[i]).toBeCloseTo(trainMean, 12);
    }
    expect(result.oof.slice(0, 20).every((v) => v === null)).toBe(true);
    const maes = result.folds.map((f) => f.scores.mae as number);
    expect(result.mean.mae).toBeCloseTo(maes.reduce((a, b) => a + b) / 4, 12);
    expect(result.layout).toEqual(folds);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('refits only on every k-th fold with refitEvery', async () => {
    const cv = new TimeSeriesCV({ method: 'expanding', nSplits: 5, testSize: 5 });
    const counter = { fits: 0 };
    const result = await cv.validate(() => meanModel(counter), X, y, { metrics: ['mae'], refitEvery: 2 });
    expect(counter.fits).toBe(3);
    expect(result.folds.map((f) => f.refitted)).toEqual([true, false, true, false, true]);
    expect(result.folds[1]?.fitMs).toBe(0);
  });

  it('accepts custom metrics and probability metrics', async () => {
    const cv = new TimeSeriesCV({ method: 'purged-kfold', nSplits: 3 });
    const labels = y.map((v) => (v > 3 ? 1 : 0));
    const result = await cv.validate(meanModel, X, labels, {
      metrics: [
        'brierScore',
        { name: 'bias', fn: (t, p) => Array.from(p).reduce((a, b, i) => a + b - (t[i] as number), 0) },
      ],
    });
    expect(Object.keys(result.mean)).toEqual(['brierScore', 'bias']);
    expect(result.oof.every((v) => v !== null)).toBe(true);
  });

  it('refuses bad arguments with messages that say what is expected', async () => {
    const cv = new TimeSeriesCV({ method: 'expanding', nSplits: 3 });
    expect((await rejection(cv.validate(meanModel, X, y, { metrics: ['maee' as never] }))).message).toMatch(
      /^Unknown metric "maee": expected one of mae, mse, rmse, /,
    );
    // A name of Object.prototype is no metric either.
    expect(
      (await rejection(cv.validate(meanModel, X, y, { metrics: ['toString' as never] }))).message,
    ).toMatch(/^Unknown metric "toString": expected one of mae, mse, rmse, /);
    expect((await rejection(cv.validate(meanModel, X, y.slice(1), { metrics: ['mae'] }))).message).toBe(
      'X and y must have the same length, but X has 60 and y has 59',
    );
    expect((await rejection(cv.validate(meanModel, X, y, { metrics: [] }))).message).toBe(
      'validate needs at least one metric, e.g. { metrics: ["mae"] }',
    );
    expect((await rejection(cv.validate(meanModel, X, y, { metrics: ['mae'], refitEvery: 0 }))).message).toBe(
      'refitEvery must be a positive integer, received 0',
    );
    expect(
      (await rejection(cv.validate(() => ({ fit: () => {} }), X, y, { metrics: ['mae'] }))).message,
    ).toBe('The model factory must return an object with fit(X, y) and predict(X) methods');
    const noProba = () => ({
      fit: () => {},
      predict: (rows: readonly (readonly number[])[]) => rows.map(() => 0),
    });
    expect((await rejection(cv.validate(noProba, X, y, { metrics: ['rocAuc'] }))).message).toBe(
      'A probability metric (rocAuc, logLoss, brierScore) needs a model with predictProba(X)',
    );
    const short = () => ({ fit: () => {}, predict: () => [1] });
    expect((await rejection(cv.validate(short, X, y, { metrics: ['mae'] }))).message).toBe(
      "The model's predict returned 1 predictions for 15 rows in fold 0",
    );
  });
});
