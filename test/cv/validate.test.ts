import { describe, expect, it } from 'vitest';
import { validateBaselines } from '../../src/cv/baselines.js';
import { historicMean, persistence, ridge, TimeSeriesCV } from '../../src/index.js';

// A random walk: persistence should beat the historic mean on it.
let level = 0;
const y = Array.from({ length: 120 }, (_, i) => {
  level += Math.sin(i * 1.7) + 0.3;
  return level;
});
const X = y.map((_, i) => [i === 0 ? 0 : (y[i - 1] as number)]); // feature 0: the previous value

describe('validateBaselines', () => {
  const cv = new TimeSeriesCV({ method: 'expanding', nSplits: 4 });

  it('runs every applicable regression baseline on the model’s folds', async () => {
    const result = await cv.validate(() => ridge(), X, y, { metrics: ['mae'] });
    const baselines = await validateBaselines(result.layout, X, y, {
      metrics: ['mae'],
      baselines: true,
      window: 5,
      season: 7,
    });
    expect(Object.keys(baselines)).toEqual([
      'persistence',
      'historicMean',
      'randomWalkWithDrift',
      'movingAverage',
      'seasonalNaive',
    ]);
    expect(baselines.historicMean?.layout).toEqual(result.layout);
    expect(baselines.persistence?.folds.map((f) => f.testSize)).toEqual(result.folds.map((f) => f.testSize));
  });

  it('runs them from validate itself with the baselines option', async () => {
    const result = await cv.validate(() => ridge(), X, y, {
      metrics: ['mae'],
      baselines: { baselines: true, window: 5 },
    });
    const separate = await validateBaselines(result.layout, X, y, {
      metrics: ['mae'],
      baselines: true,
      window: 5,
    });
    const strip = (r: typeof separate) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, { mean: v?.mean, oof: v?.oof }]));
    expect(strip(result.baselines ?? {})).toEqual(strip(separate));
    expect(Object.keys(result.baselines ?? {})).toContain('movingAverage');
    const listed = await cv.validate(() => ridge(), X, y, { metrics: ['mae'], baselines: ['persistence'] });
    expect(Object.keys(listed.baselines ?? {})).toEqual(['persistence']);
  });

  it('scores each baseline exactly as validate would', async () => {
    const options = { metrics: ['mae', 'rmse'] as const };
    const direct = await cv.validate(() => historicMean(), X, y, { metrics: [...options.metrics] });
    const baselines = await validateBaselines(direct.layout, X, y, {
      ...options,
      baselines: ['historicMean'],
    });
    expect(baselines.historicMean?.mean).toEqual(direct.mean);
    expect(baselines.historicMean?.oof).toEqual(direct.oof);
    const lag = await cv.validate(() => persistence({ column: 0 }), X, y, { metrics: ['mae'] });
    const withColumn = await validateBaselines(direct.layout, X, y, {
      metrics: ['mae'],
      baselines: ['persistence'],
      column: 0,
    });
    expect(withColumn.persistence?.mean).toEqual(lag.mean);
    expect(lag.mean.mae).toBeLessThan(direct.mean.mae as number);
  });

  it('picks the class baselines for classification metrics', async () => {
    const labels = y.map((v, i) => (i > 0 && v > (y[i - 1] as number) ? 1 : 0));
    const folds = cv.split(X.length);
    const baselines = await validateBaselines(folds, X, labels, {
      metrics: ['accuracy', 'logLoss'],
      baselines: true,
    });
    expect(Object.keys(baselines)).toEqual(['majorityClass', 'priorProbability']);
    expect(baselines.priorProbability?.mean.logLoss).toBeLessThan(
      baselines.majorityClass?.mean.logLoss as number,
    );
  });

  it('refuses unknown names and baselines missing their option', async () => {
    const folds = cv.split(X.length);
    await expect(
      validateBaselines(folds, X, y, { metrics: ['mae'], baselines: ['naive' as never] }),
    ).rejects.toThrow(
      'Unknown baseline "naive": expected one of persistence, historicMean, randomWalkWithDrift, movingAverage, seasonalNaive, majorityClass, priorProbability',
    );
    await expect(
      validateBaselines(folds, X, y, { metrics: ['mae'], baselines: ['seasonalNaive'] }),
    ).rejects.toThrow('The seasonalNaive baseline needs its season option');
  });
});
