/**
 * Tree ensembles on a time series: a random forest and gradient-boosted trees forecast tomorrow's value of a
 * seeded synthetic demand series from lagged values, the weekday and a temperature forecast with gaps, compared with
 * ridge regression and persistence walk-forward; then out-of-bag score, importances, early stopping, threads and a
 * model stored as JSON and restored bit for bit.
 *
 *   npx tsx examples/trees.ts
 */
import {
  GradientBoosting,
  type Model,
  modelFromJSON,
  persistence,
  Random,
  RandomForest,
  r2,
  ridge,
  TimeSeriesCV,
} from '../src/index.js';

// A series a straight line cannot capture: it reverts slowly after a rise and quickly after a fall, dips on
// weekends, and grows with the temperature only above 20 °C (air conditioning). About 3% of the temperature forecasts
// are missing (NaN).
const rng = new Random(42);
const days = 3000;
const temperature = Array.from(
  { length: days },
  (_, t) => 15 + 10 * Math.sin((2 * Math.PI * t) / 365) + rng.normal(0, 3),
);
const series: number[] = [0];
for (let t = 1; t < days; t++) {
  const last = series[t - 1] as number;
  const weekend = t % 7 >= 5 ? -1.5 : 0;
  const cooling = 0.4 * Math.max(0, (temperature[t] as number) - 20);
  series.push((last > 0 ? 0.8 : 0.2) * last + weekend + cooling + rng.normal(0, 1));
}
const forecast = temperature.map((v) => (rng.float() < 0.03 ? Number.NaN : v));

// Row t: values up to day t (lags 0–6), tomorrow's weekday and tomorrow's temperature forecast; target: day t + 1.
const LAGS = 7;
const names = [...Array.from({ length: LAGS }, (_, k) => `lag${k}`), 'weekday', 'temperature'];
const X: number[][] = [];
const y: number[] = [];
for (let t = LAGS - 1; t < days - 1; t++) {
  const lags = Array.from({ length: LAGS }, (_, k) => series[t - k] as number);
  X.push([...lags, (t + 1) % 7, forecast[t + 1] as number]);
  y.push(series[t + 1] as number);
}
// Ridge and persistence refuse NaN: they get the last forecast that arrived (no look-ahead); the trees take the
// gaps as they are and learn which way they go.
const filled = X.map((row, i) => {
  if (!Number.isNaN(row[LAGS + 1])) return row;
  const previous = X.slice(0, i).findLast((r) => !Number.isNaN(r[LAGS + 1]));
  return [...row.slice(0, LAGS + 1), previous?.[LAGS + 1] ?? 15];
});
console.log(`${X.length} days, ${names.length} features: ${names.join(', ')}\n`);

// 1. Walk-forward: expanding windows, never shuffled. Inside each fold the boosting model watches the last 10% of its
// training rows — the most recent days — for early stopping.
const cv = new TimeSeriesCV({ method: 'expanding', nSplits: 5, gap: 1 });
const forestParams = { trees: 100, minSamplesLeaf: 5, maxFeatures: 0.5, seed: 1 };
const boostingParams = {
  rounds: 500,
  learningRate: 0.05,
  maxDepth: 4,
  subsample: 0.8,
  earlyStoppingRounds: 30,
  seed: 1,
};
const candidates: [string, () => Model, number[][]][] = [
  ['persistence', () => persistence({ column: 0 }), filled],
  ['ridge (alpha 1)', () => ridge({ alpha: 1 }), filled],
  ['random forest', () => new RandomForest(forestParams), X],
  ['gradient boosting', () => new GradientBoosting(boostingParams), X],
];
console.log('model               mean MAE   mean RMSE   mean R²    fit ms/fold');
for (const [name, factory, rows] of candidates) {
  const r = await cv.validate(factory, rows, y, { metrics: ['mae', 'rmse', 'r2'] });
  const fitMs = r.folds.reduce((total, fold) => total + fold.fitMs, 0) / r.folds.length;
  console.log(
    `${name.padEnd(18)}  ${(r.mean.mae as number).toFixed(4)}     ${(r.mean.rmse as number).toFixed(4)}      ${(r.mean.r2 as number).toFixed(4)}     ${fitMs.toFixed(0).padStart(6)}`,
  );
}

// 2. One fit on all but the last year, scored on the last year.
const split = X.length - 365;
const [Xtrain, ytrain, Xtest, ytest] = [X.slice(0, split), y.slice(0, split), X.slice(split), y.slice(split)];
const forest = new RandomForest({ ...forestParams, oobScore: true }).fit(Xtrain, ytrain);
const boosting = new GradientBoosting(boostingParams).fit(Xtrain, ytrain);
const show = (values: readonly number[]) =>
  names.map((name, j) => `${name} ${(values[j] as number).toFixed(3)}`).join(', ');
const holdoutR2 = (model: RandomForest | GradientBoosting) => r2(ytest, model.predict(Xtest)).toFixed(4);
console.log(
  `\nrandom forest: out-of-bag R² ${(forest.state.oobScore as number).toFixed(4)} (rows drawn regardless of time), ` +
    `R² on the last year ${holdoutR2(forest)}`,
);
console.log(`  impurity importance: ${show(forest.featureImportances)}`);
// Permutation importance (featureImportance) checks that every feature is finite: score on the filled rows.
const permutation = await forest.permutationImportance(filled.slice(split), ytest, { repeats: 3, seed: 1 });
console.log(`  permutation importance (R² drop, last year): ${show(permutation.mean)}`);
const { bestIteration, rounds, validationLoss, trees } = boosting.state;
const bestLoss = validationLoss?.[bestIteration ?? rounds - 1] ?? Number.NaN;
console.log(
  `gradient boosting: ${rounds} rounds grown, best round ${bestIteration} ` +
    `(validation RMSE ${bestLoss.toFixed(4)}), ${trees.length} trees kept; R² on the last year ${holdoutR2(boosting)}`,
);
console.log(`  gain importance: ${show(boosting.featureImportances)}`);

// 3. Threads: the same forest grown on two worker threads (on this thread where threads are unavailable).
const threaded = await new RandomForest({ ...forestParams, oobScore: true }).fitAsync(Xtrain, ytrain, {
  workers: 2,
});
const same = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).every((v, i) => v === b[i]);
console.log(
  `\nfitAsync on 2 threads grows the identical forest: ${same(threaded.predict(Xtest), forest.predict(Xtest))}`,
);

// 4. Store as JSON text, restore, and predict bit for bit what the original predicted.
const text = JSON.stringify(boosting.toJSON());
const restored = modelFromJSON(JSON.parse(text));
const original = boosting.predict(Xtest);
const again = await restored.predict(Xtest);
console.log(
  `gradient boosting as JSON: ${(text.length / 1024).toFixed(0)} KiB; restored predictions identical: ${same(again, original)}`,
);
// A missing forecast goes down the side each split learned for the gaps in training.
const row = Xtest[0] as number[];
const withGap = [row.slice(0, LAGS + 1).concat(Number.NaN)];
console.log(
  `first test day, temperature forecast ${(row[LAGS + 1] as number).toFixed(1)} °C: forest ` +
    `${(forest.predict([row])[0] as number).toFixed(3)}, boosting ${(original[0] as number).toFixed(3)}; ` +
    `forecast missing: forest ${(forest.predict(withGap)[0] as number).toFixed(3)}, ` +
    `boosting ${(boosting.predict(withGap)[0] as number).toFixed(3)}`,
);
