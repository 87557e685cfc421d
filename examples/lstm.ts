/**
 * A small LSTM on 20 years of daily S&P 500 bars: it reads the last 20 days of returns, ranges and volume changes
 * and predicts whether the next day closes up. Trained on the first 80% of the days with early stopping on the most
 * recent part of those, then scored on the last 20%, beside always predicting the majority class.
 *
 *   npx tsx examples/lstm.ts
 */
import { loadSp500, toColumns } from '../src/index.js';
import { LstmModel, lstm } from '../src/models/lstm/index.js';

const LOOKBACK = 20;
const rows = await loadSp500();
const { columns } = toColumns(rows, ['high', 'low', 'close', 'volume']);
const { high, low, close, volume } = columns;

// Features at day t use bars up to and including t; the label is whether day t + 1 closes above day t.
const X: number[][] = [];
const y: number[] = [];
for (let t = 1; t < close.length - 1; t++) {
  const c = close[t] as number;
  X.push([
    Math.log(c / (close[t - 1] as number)),
    Math.log((high[t] as number) / (low[t] as number)),
    Math.log((volume[t] as number) / (volume[t - 1] as number)),
  ]);
  y.push((close[t + 1] as number) > c ? 1 : 0);
}

const split = Math.floor(X.length * 0.8);
const model = lstm(
  {
    task: 'classification',
    lookback: LOOKBACK,
    units: 16,
    epochs: 15,
    patience: 3,
    learningRate: 0.003,
    seed: 7,
  },
  { logger: { warn: (_facts, message) => console.warn(message) } },
);
await model.fit(X.slice(0, split), y.slice(0, split));
console.log(`backend: ${model.backend}${model.backendReason ? ` (${model.backendReason})` : ''}`);
console.log(`kept epoch ${model.bestEpoch} of ${model.history.length}`);
for (const e of model.history) {
  console.log(
    `  epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, validation log loss ${e.validationLoss?.toFixed(4)}`,
  );
}

// The first test day needs the 19 days before it as its window: pass them along and drop their (NaN) predictions.
const context = X.slice(split - LOOKBACK + 1);
const predicted = (await model.predict(context)).slice(LOOKBACK - 1);
const actual = y.slice(split);
const hits = actual.filter((label, i) => predicted[i] === label).length;
const upShare = y.slice(0, split).reduce((a, b) => a + b, 0) / split;
const majority = upShare >= 0.5 ? 1 : 0;
const baseline = actual.filter((label) => label === majority).length;
console.log(`test days: ${actual.length}`);
console.log(`LSTM accuracy:           ${(hits / actual.length).toFixed(3)}`);
console.log(`majority-class accuracy: ${(baseline / actual.length).toFixed(3)}`);

// The fitted model round-trips through JSON with its weights.
const restored = LstmModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
const again = (await restored.predict(context)).slice(LOOKBACK - 1);
console.log(`restored from JSON predicts the same: ${again.every((v, i) => v === predicted[i])}`);
