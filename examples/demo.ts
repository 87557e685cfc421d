/**
 * The mlcycle lifecycle, end to end, on real data and with nothing but an embedded store — no network.
 *
 *   npm run demo
 *
 * 1. loads 20 years of daily S&P 500 bars (shipped in the `vega-datasets` package) and checks their quality;
 * 2. builds lagged-return features without look-ahead and a next-day-return target;
 * 3. fits two baselines (persistence, training mean) and a ridge regression on a chronological split;
 * 4. prints the out-of-sample metrics side by side;
 * 5. records the run — parameters, metrics and a digest of the data — in a durable JournalStorage under `.mlcycle/`.
 *
 * The demo grows as mlcycle does: cross-validation, tuning, backtesting, drift, monitoring and the registry join it
 * as those modules land.
 */
import { Matrix, solve } from 'ml-matrix';
import {
  checkQuality,
  directionalAccuracy,
  JournalStorage,
  loadSp500,
  mae,
  mse,
  rmse,
  sha256Hex,
  toColumns,
} from '../src/index.js';

const STORE_DIR = process.env.MLCYCLE_DEMO_DIR ?? '.mlcycle';
const LAGS = 5;
const RIDGE_ALPHA = 10;
const TEST_FRACTION = 0.2;

// 1. Real data, checked before it is trusted.
const rows = await loadSp500();
const quality = checkQuality(rows, { minRows: 1000, maxAbsChange: { close: 0.5 } });
if (!quality.ok)
  throw new Error(`S&P 500 data failed its quality checks:\n${JSON.stringify(quality.issues, null, 2)}`);
const { timestamp, columns } = toColumns(rows, ['open', 'high', 'low', 'close']);
const close = columns.close;
const n = close.length;

// 2. Features at day t use bars up to and including t; the target is the return from t to t+1.
const logReturn = new Float64Array(n).fill(Number.NaN);
for (let t = 1; t < n; t++) logReturn[t] = Math.log((close[t] as number) / (close[t - 1] as number));

const featureNames = [...Array.from({ length: LAGS }, (_, k) => `ret_lag${k}`), 'mom_20', 'vol_20', 'range'];
const X: number[][] = [];
const y: number[] = [];
const rowTime: number[] = [];
const WARM_UP = 21;
for (let t = WARM_UP; t < n - 1; t++) {
  const lags = Array.from({ length: LAGS }, (_, k) => logReturn[t - k] as number);
  let sum = 0;
  let sumSq = 0;
  for (let k = 0; k < 20; k++) {
    const r = logReturn[t - k] as number;
    sum += r;
    sumSq += r * r;
  }
  const vol = Math.sqrt(Math.max(0, (sumSq - (sum * sum) / 20) / 19));
  const range = ((columns.high[t] as number) - (columns.low[t] as number)) / (close[t] as number);
  X.push([...lags, sum, vol, range]);
  y.push(logReturn[t + 1] as number);
  rowTime.push(timestamp[t] as number);
}

// 3. Chronological split: the test period comes strictly after the training period.
const split = Math.floor(X.length * (1 - TEST_FRACTION));
const trainX = X.slice(0, split);
const trainY = y.slice(0, split);
const testX = X.slice(split);
const testY = y.slice(split);

/** Baselines: persistence (tomorrow's return is today's) and the training mean. */
const persistence = testX.map((features) => features[0] as number);

/** Ridge regression on standardised features (closed form, intercept unpenalised). */
function fitRidge(features: number[][], target: number[], alpha: number) {
  const p = (features[0] as number[]).length;
  const mean = new Array<number>(p).fill(0);
  const scale = new Array<number>(p).fill(0);
  for (const row of features) {
    for (let j = 0; j < p; j++) mean[j] = (mean[j] as number) + (row[j] as number) / features.length;
  }
  for (const row of features) {
    for (let j = 0; j < p; j++)
      scale[j] = (scale[j] as number) + ((row[j] as number) - (mean[j] as number)) ** 2 / features.length;
  }
  for (let j = 0; j < p; j++) scale[j] = Math.sqrt(scale[j] as number) || 1;
  const yMean = target.reduce((a, b) => a + b, 0) / target.length;
  const Z = new Matrix(
    features.map((row) => row.map((v, j) => (v - (mean[j] as number)) / (scale[j] as number))),
  );
  const gram = Z.transpose().mmul(Z).add(Matrix.eye(p, p).mul(alpha));
  const rhs = Z.transpose().mmul(Matrix.columnVector(target.map((v) => v - yMean)));
  const beta = solve(gram, rhs).getColumn(0);
  return {
    coefficients: beta.map((b, j) => b / (scale[j] as number)),
    predict: (row: number[]) =>
      yMean +
      row.reduce(
        (acc, v, j) => acc + ((v - (mean[j] as number)) / (scale[j] as number)) * (beta[j] as number),
        0,
      ),
  };
}
const ridge = fitRidge(trainX, trainY, RIDGE_ALPHA);
const ridgePredictions = testX.map(ridge.predict);
const trainMean = trainY.reduce((a, b) => a + b, 0) / trainY.length;

// 4. Out-of-sample metrics.
function score(predictions: number[], actual: number[]) {
  const baseline = actual.map(() => trainMean);
  return {
    mae: mae(actual, predictions),
    rmse: rmse(actual, predictions),
    // Out-of-sample R² against the training mean (Campbell and Thompson 2008), not against the test mean.
    r2OutOfSample: 1 - mse(actual, predictions) / mse(actual, baseline),
    directionalAccuracy: directionalAccuracy(actual, predictions),
  };
}
const results = {
  persistence: score(persistence, testY),
  'train mean': score(
    testY.map(() => trainMean),
    testY,
  ),
  ridge: score(ridgePredictions, testY),
};

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
console.log(
  `mlcycle demo: daily S&P 500, ${iso(timestamp[0] as number)} to ${iso(timestamp[n - 1] as number)}`,
);
console.log(
  `data quality: ${quality.rows} rows, ${quality.issues.length} issue(s)${quality.issues.length ? ` (${quality.issues.map((i) => i.check).join(', ')})` : ''}`,
);
console.log(
  `train ${iso(rowTime[0] as number)}..${iso(rowTime[split - 1] as number)} (${trainX.length} days), ` +
    `test ${iso(rowTime[split] as number)}..${iso(rowTime[rowTime.length - 1] as number)} (${testX.length} days), target: next-day log return\n`,
);
const fmt = (v: number, pct = false) => (pct ? `${(100 * v).toFixed(2)}%` : v.toFixed(6));
console.log('model         MAE        RMSE       R² (oos)   direction');
for (const [name, m] of Object.entries(results)) {
  console.log(
    `${name.padEnd(12)}  ${fmt(m.mae)}  ${fmt(m.rmse)}  ${m.r2OutOfSample.toFixed(4).padStart(9)}  ${fmt(m.directionalAccuracy, true).padStart(9)}`,
  );
}

console.log(
  '\nDaily index returns are close to unpredictable: a model earns its place only by beating the baselines out of sample.',
);

// 5. Persist the run durably: parameters, metrics and what data it saw.
const storage = await JournalStorage.open({ dir: STORE_DIR });
try {
  const dataDigest = await sha256Hex(JSON.stringify(rows));
  const runId = `run-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const run = {
    runId,
    dataset: {
      name: 'sp500-2000 (vega-datasets)',
      rows: rows.length,
      from: timestamp[0],
      to: timestamp[n - 1],
      sha256: dataDigest,
    },
    features: featureNames,
    target: 'next-day log return',
    split: {
      method: 'chronological',
      testFraction: TEST_FRACTION,
      trainRows: trainX.length,
      testRows: testX.length,
    },
    models: {
      persistence: { params: {}, metrics: results.persistence },
      trainMean: { params: { value: trainMean }, metrics: results['train mean'] },
      ridge: {
        params: { alpha: RIDGE_ALPHA },
        coefficients: Object.fromEntries(featureNames.map((f, j) => [f, ridge.coefficients[j] as number])),
        metrics: results.ridge,
      },
    },
  };
  await storage.put('runs', runId, run);
  const entry = await storage.append('run-log', {
    runId,
    ridgeMae: results.ridge.mae,
    persistenceMae: results.persistence.mae,
  });
  console.log(
    `\nrecorded ${runId} in ${STORE_DIR}/ (run #${entry.offset + 1}; data sha256 ${dataDigest.slice(0, 12)}…)`,
  );
} finally {
  await storage.close();
}
