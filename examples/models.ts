/**
 * Models on 20 years of real S&P 500 data: baselines against ridge regression in walk-forward CV, logistic
 * regression for the next day's direction, permutation importance and feature selection, and a model stored as JSON
 * and restored bit for bit.
 *
 *   npx tsx examples/models.ts
 */
import {
  featureImportance,
  historicMean,
  loadSp500,
  logisticRegression,
  type Model,
  modelFromJSON,
  movingAverage,
  persistence,
  priorProbability,
  randomWalkWithDrift,
  ridge,
  selectFeatures,
  TimeSeriesCV,
  toColumns,
} from '../src/index.js';

// Features at day t use closes up to t: the last five daily log returns and 20-day momentum; the target is the
// return from t to t + 1.
const { columns } = toColumns(await loadSp500(), ['close']);
const close = columns.close;
const ret = (t: number) => Math.log((close[t] as number) / (close[t - 1] as number));
const names = ['ret_lag0', 'ret_lag1', 'ret_lag2', 'ret_lag3', 'ret_lag4', 'mom_20'];
const X: number[][] = [];
const y: number[] = [];
for (let t = 21; t < close.length - 1; t++) {
  X.push([
    ret(t),
    ret(t - 1),
    ret(t - 2),
    ret(t - 3),
    ret(t - 4),
    Math.log((close[t] as number) / (close[t - 20] as number)),
  ]);
  y.push(ret(t + 1));
}
console.log(`${X.length} days, ${names.length} features\n`);

// 1. Every model on the same walk-forward folds; persistence reads the latest return from feature 0.
const cv = new TimeSeriesCV({ method: 'expanding', nSplits: 5, gap: 1 });
const candidates: Record<string, () => Model> = {
  'persistence (lag 0)': () => persistence({ column: 0 }),
  'historic mean': () => historicMean(),
  'moving average (20)': () => movingAverage({ window: 20 }),
  'random walk + drift': () => randomWalkWithDrift(),
  'ridge (alpha 10)': () => ridge({ alpha: 10 }),
};
console.log('model                   mean MAE    mean RMSE   directional accuracy');
for (const [name, factory] of Object.entries(candidates)) {
  const r = await cv.validate(factory, X, y, { metrics: ['mae', 'rmse', 'directionalAccuracy'] });
  console.log(
    `${name.padEnd(22)}  ${(r.mean.mae as number).toFixed(6)}    ${(r.mean.rmse as number).toFixed(6)}    ${(r.mean.directionalAccuracy as number).toFixed(3)}`,
  );
}

// 2. Direction as classification: logistic regression against the prior-probability baseline.
const up = y.map((v) => (v > 0 ? 1 : 0));
console.log('\nmodel                   log loss    ROC AUC');
for (const [name, factory] of Object.entries({
  'prior probability': () => priorProbability(),
  'logistic (C 0.1)': () => logisticRegression({ C: 0.1 }),
})) {
  const r = await cv.validate(factory, X, up, { metrics: ['logLoss', 'rocAuc'] });
  console.log(
    `${name.padEnd(22)}  ${(r.mean.logLoss as number).toFixed(5)}     ${(r.mean.rocAuc as number).toFixed(4)}`,
  );
}

// 3. Which features matter? Permutation importance on the last 1,000 days, for a ridge fitted before them.
const split = X.length - 1000;
const model = ridge({ alpha: 10 }).fit(X.slice(0, split), y.slice(0, split));
const importance = await featureImportance(model, X.slice(split), y.slice(split), {
  metric: 'mse',
  repeats: 10,
  seed: 1,
});
console.log('\npermutation importance (increase in MSE, mean ± std over 10 shuffles):');
names.forEach((name, j) => {
  console.log(
    `  ${name.padEnd(9)} ${(importance.mean[j] as number).toExponential(2)} ± ${(importance.std[j] as number).toExponential(1)}`,
  );
});

// 4. Feature selection on the training part only, by F-test and by mutual information.
for (const by of ['f-statistic', 'mutual-information'] as const) {
  const { selected } = await selectFeatures(X.slice(split - 2000, split), y.slice(split - 2000, split), {
    k: 3,
    by,
  });
  console.log(`top 3 by ${by}: ${selected.map((j) => names[j]).join(', ')}`);
}

// 5. Store the fitted model as JSON and restore it: the predictions are identical.
const stored = JSON.stringify(model.toJSON());
const restored = modelFromJSON(JSON.parse(stored));
const same = (restored.predict(X.slice(split)) as Float64Array).every(
  (v, i) => v === model.predict(X.slice(split))[i],
);
console.log(`\nridge stored as ${stored.length} bytes of JSON; restored predictions identical: ${same}`);
