/**
 * Ensembles on a synthetic daily series with a trend, a weekly season and persistent noise: four simple forecasters
 * defined inline, combined by equal and fitted soft voting, by stacking, and by weights that follow recent
 * performance; then how much each member moved the last forecast.
 *
 *   npx tsx examples/ensemble.ts
 */
import { mae, Random, TimeSeriesCV } from '../src/index.js';
import { VotingEnsemble } from '../src/models/ensemble.js';
import { dynamicWeights } from '../src/models/ensemble-dynamic.js';
import { StackingEnsemble } from '../src/models/ensemble-stacking.js';
import type { Model } from '../src/models/model.js';

// 1. A series: level 100, trend, weekly season, AR(1) noise. Features at t use values up to t − 1 only.
const random = new Random(7);
const series: number[] = [];
let noise = 0;
for (let t = 0; t < 730; t++) {
  noise = 0.7 * noise + random.normal(0, 1.5);
  series.push(100 + 0.03 * t + 4 * Math.sin((2 * Math.PI * t) / 7) + noise);
}
const X: number[][] = [];
const y: number[] = [];
for (let t = 14; t < series.length; t++) {
  const week = series.slice(t - 7, t);
  const at = (i: number) => series[i] as number;
  // [yesterday, same weekday last week, mean of the last 7 days, time index]
  X.push([at(t - 1), at(t - 7), week.reduce((a, b) => a + b, 0) / 7, t]);
  y.push(at(t));
}
const split = Math.floor(X.length * 0.8);
const [trainX, testX, trainY, testY] = [X.slice(0, split), X.slice(split), y.slice(0, split), y.slice(split)];

// 2. Members: plain objects with fit and predict are models.
const column = (j: number) => (): Model => ({
  fit: () => undefined,
  predict: (rows) => rows.map((r) => r[j] as number),
});
/** Seasonal naive plus the mean week-on-week change seen in training (a seasonal random walk with drift). */
const seasonalDrift = (): Model => {
  let drift = 0;
  return {
    fit: (rows, target) => {
      drift = rows.reduce((s, r, i) => s + ((target[i] as number) - (r[1] as number)), 0) / rows.length;
    },
    predict: (rows) => rows.map((r) => (r[1] as number) + drift),
  };
};
const members = [
  { name: 'yesterday', model: column(0) },
  { name: 'lastWeek', model: column(1) },
  { name: 'weekMean', model: column(2) },
  { name: 'seasonalDrift', model: seasonalDrift },
];
// Walk-forward folds for the out-of-fold predictions that fitted weights and stacking learn from. Ensembles have no
// default splitter (models sit below cv), so these two need cv; equal or fixed weights do not.
const cv = new TimeSeriesCV({ method: 'expanding', nSplits: 5 });

// 3. Fit each ensemble on the training years and score the held-out tail.
const candidates = {
  'equal weights': new VotingEnsemble({ members }),
  'weights fitted (mse)': new VotingEnsemble({ members, weights: 'fit', loss: 'mse', cv }),
  'weights fitted (mae)': new VotingEnsemble({ members, weights: 'fit', loss: 'mae', cv }),
  'stacking (least squares)': new StackingEnsemble({ members, cv }),
};
console.log('test MAE of each member and ensemble');
for (const member of members) {
  const model = member.model();
  await model.fit(trainX, trainY);
  console.log(`  ${member.name.padEnd(26)} ${mae(testY, await model.predict(testX)).toFixed(3)}`);
}
for (const [name, ensemble] of Object.entries(candidates)) {
  await ensemble.fit(trainX, trainY);
  console.log(`  ${name.padEnd(26)} ${mae(testY, await ensemble.predict(testX)).toFixed(3)}`);
}
const fitted = candidates['weights fitted (mse)'];
const round = (record: Record<string, number>) =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [k, Number(v.toFixed(3))]));
console.log('fitted weights (mse on out-of-fold predictions):', round(fitted.weights));
const meta = candidates['stacking (least squares)'].metaCoefficients;
// lastWeek and seasonalDrift differ by a constant, so least squares may split their coefficient freely.
console.log(`stacking meta-model: intercept ${meta?.intercept.toFixed(3)},`, round(meta?.coefficients ?? {}));

// 4. Contributions: how far each member moved the last forecast from the baseline.
await fitted.predict(testX.slice(-1));
const parts = fitted.contributions();
console.log(`last forecast ${parts.predictions[0]?.toFixed(2)} = baseline ${parts.baseline.toFixed(2)}`);
for (const [name, values] of Object.entries(parts.members)) {
  console.log(
    `  ${name.padEnd(14)} ${(values[0] as number) >= 0 ? '+' : ''}${(values[0] as number).toFixed(3)}`,
  );
}

// 5. Weights that follow recent performance, updated as each outcome arrives.
const fittedMembers: Model[] = [];
for (const member of members) {
  const model = member.model();
  await model.fit(trainX, trainY);
  fittedMembers.push(model);
}
const outputs = await Promise.all(fittedMembers.map(async (m) => Array.from(await m.predict(testX))));
const combiner = dynamicWeights({ members: members.map((m) => m.name), halfLife: 10, loss: 'absolute' });
const online: number[] = [];
testY.forEach((actual, i) => {
  const forecasts = outputs.map((o) => o[i] as number);
  online.push(combiner.combine(forecasts)); // forecast first, with the weights known at the time …
  combiner.update(forecasts, actual); // … then learn from the outcome
});
console.log(`dynamic weights (half-life 10): test MAE ${mae(testY, online).toFixed(3)}`);
console.log('  weights after the last outcome:', round(combiner.weights));
