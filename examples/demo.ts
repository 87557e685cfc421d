/**
 * The mlcycle lifecycle, end to end, on real data and with nothing but an embedded store — no network.
 *
 *   npm run demo
 *
 * 1. loads 20 years of daily S&P 500 bars (shipped in the `vega-datasets` package) and checks their quality;
 * 2. builds returns, lags, momentum, volatility and RSI features without look-ahead with a hashed
 *    FeaturePipeline, and a next-day-return target;
 * 3. validates a ridge regression, gradient-boosted trees, a logistic regression of the direction, a small LSTM and
 *    the baselines (persistence, historic mean) walk-forward: expanding training windows, each tested on the following block of
 *    days, with per-fold scores;
 * 4. prints the folds, the ridge's per-fold scores and every model's mean and spread;
 * 5. tunes the best of the models with hyperparameters with TPE over the same folds, each fold a step that the
 *    median pruner judges, printing a line per trial, and keeps the study in the journal;
 * 6. keeps the model that called the direction best and backtests its out-of-sample predictions as a long/flat
 *    strategy after fees and slippage, against buying and holding the same bars;
 * 7. compares the features of the first and the last year with a DriftDetector and prints the drift table, then
 *    runs ADWIN over the best model's rolling out-of-sample error to date the changes in its error level;
 * 8. records the run — parameters, metrics, backtest statistics, drift and a digest of the data — in a durable
 *    JournalStorage under `.mlcycle/`.
 *
 * The demo grows as mlcycle does: monitoring and the registry join it as those modules land.
 */
import {
  ADWIN,
  Backtester,
  type BacktestStats,
  checkQuality,
  DriftDetector,
  FeaturePipeline,
  GradientBoosting,
  type GradientBoostingParams,
  JournalStorage,
  loadSp500,
  logisticRegression,
  type Model,
  predictionSignal,
  ridge,
  sha256Hex,
  TimeSeriesCV,
  type Trial,
  toColumns,
  tuneWithCV,
  type ValidationResult,
} from '../src/index.js';
import { lstm } from '../src/models/lstm/index.js';

const STORE_DIR = process.env.MLCYCLE_DEMO_DIR ?? '.mlcycle';
const RIDGE_ALPHA = 10;
/**
 * Small, slow-learning boosted trees: daily returns are mostly noise, so shallow trees, leaves of at least 50 days,
 * and early stopping on the most recent 10% of each fold's training days.
 */
const BOOSTING: GradientBoostingParams = {
  rounds: 200,
  learningRate: 0.05,
  maxDepth: 3,
  minSamplesLeaf: 50,
  subsample: 0.8,
  earlyStoppingRounds: 20,
  seed: 1,
};
const FOLDS = 5;

// 1. Real data, checked before it is trusted.
const rows = await loadSp500();
const quality = checkQuality(rows, { minRows: 1000, maxAbsChange: { close: 0.5 } });
if (!quality.ok)
  throw new Error(`S&P 500 data failed its quality checks:\n${JSON.stringify(quality.issues, null, 2)}`);
const { timestamp, columns } = toColumns(rows, ['open', 'high', 'low', 'close']);
const close = columns.close;
const n = close.length;

// 2. Features at day t use bars up to and including t, built by a FeaturePipeline whose definition is hashed and
// stored with the run; the target is the return from t to t + 1.
const pipeline = new FeaturePipeline({
  name: 'sp500-daily',
  version: '2',
  steps: [
    { name: 'ret', feature: 'logReturns' },
    ...[1, 2, 3, 4].map((k) => ({
      name: `ret_lag${k}`,
      feature: 'lag' as const,
      inputs: { values: 'ret' },
      params: { periods: k },
    })),
    { name: 'mom_20', feature: 'momentum', params: { period: 20 } },
    { name: 'vol_20', feature: 'realizedVolatility', params: { window: 20 } },
    { name: 'rsi_14', feature: 'rsi', params: { period: 14 } },
  ],
  target: { kind: 'forwardReturn', horizon: 1 },
});
const features = pipeline.build({
  timestamp,
  open: columns.open,
  high: columns.high,
  low: columns.low,
  close,
});
const { X, names: featureNames } = features;
const y = Array.from(features.y);
const rowBar = features.barIndex; // row j of X is bar rowBar[j]
const rowTime = Array.from(rowBar, (t) => timestamp[t] as number);
const direction = y.map((r) => (r > 0 ? 1 : 0));

// 3. Models: ridge and logistic regression, gradient-boosted trees, a small LSTM, and the baselines every model must beat. Each is judged by
// the share of days whose direction it called right, on the same walk-forward folds.
// 4. Walk-forward validation: expanding training windows, each tested on the next block of days. The target at
// row t is the return from t to t + 1, so a gap of one row keeps every training label out of the test block.
const cv = new TimeSeriesCV({ method: 'expanding', nSplits: FOLDS, gap: 1 });
const LOOKBACK = 10;
/**
 * The LSTM reads windows of the last LOOKBACK rows; a test block's first rows get their window's earlier rows from
 * the end of the training rows (the past, so no look-ahead; the one-row gap is skipped over).
 */
function lstmWithContext(): Model {
  const model = lstm({ task: 'regression', lookback: LOOKBACK, units: 8, epochs: 4, batchSize: 64, seed: 1 });
  let context: readonly (readonly number[])[] = [];
  return {
    fit: async (rows, target) => {
      context = rows.slice(-(LOOKBACK - 1));
      await model.fit(rows, target);
    },
    predict: async (rows) => Array.from(await model.predict([...context, ...rows])).slice(context.length),
  };
}
const regression = ['mae', 'rmse', 'r2', 'directionalAccuracy'] as const;
const results: Record<string, ValidationResult> = {};
const ridgeResult = await cv.validate(() => ridge({ alpha: RIDGE_ALPHA }), X, y, {
  metrics: regression,
  baselines: { baselines: ['persistence', 'historicMean'], column: 0 },
});
results.ridge = ridgeResult;
for (const [name, result] of Object.entries(ridgeResult.baselines ?? {})) if (result) results[name] = result;
results.boosting = await cv.validate(() => new GradientBoosting(BOOSTING), X, y, { metrics: regression });
// The LSTM is fitted on the first fold's training days and reused on the later folds (refitEvery), to keep the demo
// quick; the others are refitted on every fold.
results.lstm = await cv.validate(lstmWithContext, X, y, { metrics: regression, refitEvery: FOLDS });
const logistic = await cv.validate(() => logisticRegression({ C: 0.1 }), X, direction, {
  metrics: ['accuracy'],
});
/** Each model's share of days called in the right direction, fold by fold, and its out-of-fold signal. */
const directional: Record<string, { mean: number; std: number; signal: (number | null)[] }> = {
  logistic: {
    mean: logistic.mean.accuracy as number,
    std: logistic.std.accuracy as number,
    signal: logistic.oof.map((p) => (p === null ? null : p - 0.5)),
  },
};
for (const [name, result] of Object.entries(results)) {
  directional[name] = {
    mean: result.mean.directionalAccuracy as number,
    std: result.std.directionalAccuracy as number,
    signal: result.oof,
  };
}
const folds = cv.split(X.length);

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
console.log(
  `mlcycle demo: daily S&P 500, ${iso(timestamp[0] as number)} to ${iso(timestamp[n - 1] as number)}`,
);
console.log(
  `data quality: ${quality.rows} rows, ${quality.issues.length} issue(s)${quality.issues.length ? ` (${quality.issues.map((i) => i.check).join(', ')})` : ''}`,
);
console.log(
  `features: ${featureNames.join(', ')} (pipeline ${pipeline.toJSON().name} v${pipeline.toJSON().version}, ` +
    `${features.dropped.warmUp} warm-up days dropped, set by ${features.dropped.warmUpBy.join(', ')})`,
);
console.log(`target: next-day return; walk-forward validation, ${FOLDS} expanding folds, gap 1 day\n`);
console.log(cv.describe(X.length, {}, 60).text);

const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
console.log('\nridge, fold by fold');
console.log('fold  test period               train days   MAE       direction');
for (const [k, fold] of (results.ridge as ValidationResult).folds.entries()) {
  const test = folds[k]?.test ?? [];
  const period = `${iso(rowTime[test[0] as number] as number)}..${iso(rowTime[test[test.length - 1] as number] as number)}`;
  console.log(
    `${String(k).padStart(4)}  ${period}  ${String(fold.trainSize).padStart(10)}   ${(fold.scores.mae as number).toFixed(6)}  ${pct(fold.scores.directionalAccuracy as number).padStart(9)}`,
  );
}

console.log('\nmean over folds (± standard deviation)');
console.log('model           MAE                    R²                  direction');
for (const [name, { mean, std }] of Object.entries(directional)) {
  const result = results[name];
  const cell = (metric: string, format: (v: number) => string) =>
    result ? `${format(result.mean[metric] as number)} ± ${format(result.std[metric] as number)}` : '-';
  console.log(
    `${name.padEnd(14)}  ${cell('mae', (v) => v.toFixed(6)).padEnd(21)}  ${cell('r2', (v) => v.toFixed(4)).padEnd(18)}  ${pct(mean)} ± ${pct(std)}`,
  );
}

console.log(
  '\nDaily index returns are close to unpredictable: a model earns its place only by beating the baselines out of sample.',
);

// 5. Tune the best of the models that have hyperparameters, over the same walk-forward folds. TPE proposes the
// parameters; each trial runs the folds in order and reports each fold's score as a step, so the median pruner stops
// a trial that falls behind the earlier trials after a fold instead of fitting every fold. The study is kept in the
// journal under .mlcycle/, where it can be re-opened by name, continued, or exported for optuna-dashboard.
interface Tunable {
  /** What the model learns: the next-day return, or its direction (1 up, 0 down) for the classifier. */
  target: number[];
  metric: 'accuracy' | 'directionalAccuracy';
  /** The settings validated above: the search tries them first, so that it can only improve on them. */
  current: Record<string, number>;
  suggest: (trial: Trial) => Record<string, number>;
  factory: (params: Record<string, number>) => Model;
}
const TUNABLE: Record<string, Tunable> = {
  logistic: {
    target: direction,
    metric: 'accuracy',
    current: { C: 0.1 },
    suggest: (trial) => ({ C: trial.suggestFloat('C', 1e-4, 100, { log: true }) }),
    factory: (params) => logisticRegression(params),
  },
  ridge: {
    target: y,
    metric: 'directionalAccuracy',
    current: { alpha: RIDGE_ALPHA },
    suggest: (trial) => ({ alpha: trial.suggestFloat('alpha', 1e-2, 1e5, { log: true }) }),
    factory: (params) => ridge(params),
  },
  boosting: {
    target: y,
    metric: 'directionalAccuracy',
    current: {
      learningRate: BOOSTING.learningRate as number,
      maxDepth: BOOSTING.maxDepth as number,
      minSamplesLeaf: BOOSTING.minSamplesLeaf as number,
      subsample: BOOSTING.subsample as number,
    },
    suggest: (trial) => ({
      learningRate: trial.suggestFloat('learningRate', 0.01, 0.3, { log: true }),
      maxDepth: trial.suggestInt('maxDepth', 2, 5),
      minSamplesLeaf: trial.suggestInt('minSamplesLeaf', 10, 300, { log: true }),
      subsample: trial.suggestFloat('subsample', 0.5, 1),
    }),
    factory: (params) => new GradientBoosting({ ...BOOSTING, ...params }),
  },
};
const tunedName = Object.keys(TUNABLE).reduce((a, b) =>
  (directional[b]?.mean as number) > (directional[a]?.mean as number) ? b : a,
);
const tunable = TUNABLE[tunedName] as Tunable;
const storage = await JournalStorage.open({ dir: STORE_DIR });
const runId = `run-${new Date().toISOString().replace(/[:.]/g, '-')}`;
const TUNING_TRIALS = 20;
console.log(
  `\ntuning ${tunedName}, the best model with hyperparameters: ${TUNING_TRIALS} TPE trials over the ${FOLDS} folds, median pruning`,
);
const shown = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(3));
const tuningStarted = Date.now();
const tuning = await tuneWithCV(tunable.factory, tunable.suggest, X, tunable.target, {
  cv,
  metric: tunable.metric,
  nTrials: TUNING_TRIALS,
  enqueue: [tunable.current],
  seed: 1,
  storage,
  studyName: `${tunedName}-${runId}`,
  callbacks: [
    (study, trial) => {
      const done = trial.number + 1;
      const eta = ((Date.now() - tuningStarted) / 1000 / done) * (TUNING_TRIALS - done);
      const folds = Object.keys(trial.intermediateValues).length;
      const score =
        trial.state === 'COMPLETE' ? pct(trial.value as number) : `stopped after ${folds} fold(s)`;
      const best = study.trials.some((t) => t.state === 'COMPLETE') ? pct(study.bestValue) : '-';
      const params = Object.entries(trial.params).map(([k, v]) => `${k} ${shown(v as number)}`);
      console.log(
        `  trial ${String(done).padStart(2)}/${TUNING_TRIALS}  ${trial.state.padEnd(8)} ${score.padEnd(23)} ` +
          `best ${best}  ${params.join(', ')}  (eta ${eta.toFixed(0)} s)`,
      );
    },
  ],
});
const tuningTrials = tuning.study.trials;
const prunedTrials = tuningTrials.filter((t) => t.state === 'PRUNED').length;
console.log(
  `best: ${pct(tuning.bestValue)} of days in the right direction (folds ${tuning.foldScores.map(pct).join(', ')}), ` +
    `${Object.entries(tuning.bestParams)
      .map(([k, v]) => `${k} ${shown(v)}`)
      .join(', ')}; ` +
    `${prunedTrials} of ${tuningTrials.length} trials pruned`,
);
const tunedLabel = `${tunedName}, tuned`;
const tuned = await cv.validate(() => tunable.factory(tuning.bestParams), X, tunable.target, {
  metrics: [tunable.metric],
});
directional[tunedLabel] = {
  mean: tuned.mean[tunable.metric] as number,
  std: tuned.std[tunable.metric] as number,
  signal: tunable.metric === 'accuracy' ? tuned.oof.map((p) => (p === null ? null : p - 0.5)) : tuned.oof,
};
console.log(
  `${tunedLabel}: ${pct(directional[tunedLabel].mean)} ± ${pct(directional[tunedLabel].std)}; tuned on the same ` +
    'folds that score it, it is flattered by the search, which the other models are not.',
);

// 6. Backtest the out-of-sample predictions. Row j of X is bar rowBar[j], and its prediction is of the return from
// that bar to the next, made with bars up to its close: it is the decision at that bar, filled at the next bar's open
// (the Backtester's default 'next-open' execution). The model that called the direction best is kept, since only the
// sign of its prediction is traded: long when it predicts a rise, flat otherwise (no shorts against an index that
// drifted up over these 20 years). Choosing the model on the same out-of-sample folds it is then backtested on
// flatters it a little; with a handful of candidates, little.
const [bestName, best] = Object.entries(directional).reduce((a, b) => (b[1].mean > a[1].mean ? b : a));
const firstRow = best.signal.findIndex((v) => v !== null);
const start = rowBar[firstRow] as number; // the first out-of-sample decision
const predicted = best.signal.slice(firstRow).map((v) => v ?? 0); // a row no fold tested (none here): flat
const decisions = predictionSignal(predicted, { shortExposure: 0 });
// Bars start..n − 1: the last row (bar n − 2) is filled at bar n − 1's open; bar n − 1's own decision is ignored.
const positions = [...decisions, 0];
const span = (column: Float64Array) => column.subarray(start);
const bars = {
  timestamp: span(timestamp),
  open: span(columns.open),
  close: span(columns.close),
};
const backtester = new Backtester({ fees: { rate: 0.0005 }, slippageBps: 2 });
const strategy = backtester.run({ bars, positions }, { series: 'none' });
// Buy-and-hold through the same backtester, so that it pays the same costs on its one entry; and the strategy
// without costs, to show what they take.
const holding = backtester.run({ bars, positions: positions.map(() => 1) }, { series: 'none' });
const gross = new Backtester().run({ bars, positions }, { series: 'none' });

console.log(
  `\nbacktest of ${bestName} (best direction), ${iso(timestamp[start] as number)} to ${iso(timestamp[n - 1] as number)}: ` +
    'long when the predicted next-day return is positive, flat otherwise;\n' +
    'decided at the close, filled at the next open, fees 5 bps + slippage 2 bps per side, 10,000 initial capital',
);
const statRows: [string, (s: BacktestStats) => string][] = [
  ['total return', (s) => pct(s.totalReturn)],
  ['CAGR', (s) => pct(s.cagr)],
  ['Sharpe', (s) => s.sharpe.toFixed(3)],
  ['Sortino', (s) => s.sortino.toFixed(3)],
  ['max drawdown', (s) => pct(s.maxDrawdown)],
  ['trades', (s) => String(s.trades)],
  ['win rate', (s) => (Number.isNaN(s.winRate) ? '-' : pct(s.winRate))],
  ['exposure', (s) => pct(s.exposure)],
  ['costs', (s) => s.totalCosts.toFixed(2)],
];
const columnsShown = [
  [bestName, strategy.stats],
  ['buy and hold', holding.stats],
  [`${bestName}, no costs`, gross.stats],
] as const;
console.log(`${''.padEnd(14)}${columnsShown.map(([name]) => name.padStart(26)).join('')}`);
for (const [label, format] of statRows) {
  console.log(`${label.padEnd(14)}${columnsShown.map(([, stats]) => format(stats).padStart(26)).join('')}`);
}
/** The stored figures, non-finite ones (a profit factor without a losing trade) as null: storage keeps plain JSON. */
const STORED = 'totalReturn cagr sharpe sortino maxDrawdown trades winRate exposure totalCosts'.split(' ');
const storedStats = (s: BacktestStats) =>
  Object.fromEntries(
    STORED.map((key) => {
      const value = s[key as keyof BacktestStats];
      return [key, Number.isFinite(value) ? value : null];
    }),
  );

// 7. Drift: the features of the first year against those of the last, one test per column (the default choice:
// more than 1,000 reference rows would switch to distances; a year of days is tested for significance). Then the
// model's error as a stream: ADWIN watches the absolute out-of-sample error and dates each change in its level.
// ADWIN's cut bound is for values in [0, 1], so the error is fed as a share of a 5% daily move, capped at 1.
const YEAR = 252;
const table = (from: number, to: number) =>
  Object.fromEntries(featureNames.map((name, k) => [name, X.slice(from, to).map((row) => row[k] as number)]));
const drift = await new DriftDetector({ reference: table(0, YEAR), correction: 'holm' }).detect(
  table(X.length - YEAR, X.length),
);
console.log(
  `\nfeature drift, ${iso(rowTime[0] as number)}..${iso(rowTime[YEAR - 1] as number)} against ` +
    `${iso(rowTime[X.length - YEAR] as number)}..${iso(rowTime[X.length - 1] as number)} (Holm-corrected):`,
);
console.log(drift.toText());
const adwin = new ADWIN();
const errorChanges: string[] = [];
ridgeResult.oof.forEach((prediction, row) => {
  if (prediction === null) return;
  const error = Math.min(1, Math.abs(prediction - (y[row] as number)) / 0.05);
  if (adwin.update(error).drift) errorChanges.push(iso(rowTime[row] as number));
});
console.log(
  `ADWIN over the ridge's absolute out-of-sample error: ${errorChanges.length} change(s) in its level` +
    (errorChanges.length ? ` (${errorChanges.join(', ')})` : ''),
);

// 8. Persist the run durably: parameters, metrics, the backtest, the drift and what data it saw.
const modelParams: Record<string, unknown> = { ridge: { alpha: RIDGE_ALPHA }, boosting: BOOSTING };
try {
  const dataDigest = await sha256Hex(JSON.stringify(rows));
  const run = {
    runId,
    dataset: {
      name: 'sp500-2000 (vega-datasets)',
      rows: rows.length,
      from: timestamp[0],
      to: timestamp[n - 1],
      sha256: dataDigest,
    },
    features: { names: featureNames, definition: pipeline.toJSON(), sha256: await pipeline.hash() },
    target: 'next-day log return',
    validation: { method: 'expanding', folds: FOLDS, gap: 1, rows: X.length },
    tuning: {
      study: tuning.study.studyName,
      model: tunedName,
      metric: tunable.metric,
      trials: tuningTrials.length,
      pruned: prunedTrials,
      bestParams: tuning.bestParams,
      bestValue: tuning.bestValue,
      foldScores: tuning.foldScores,
    },
    backtest: {
      model: bestName,
      signal: 'long when the predicted next-day return is positive, flat otherwise',
      from: timestamp[start],
      to: timestamp[n - 1],
      options: { fees: { rate: 0.0005 }, slippageBps: 2, execution: 'next-open' },
      strategy: storedStats(strategy.stats),
      buyAndHold: storedStats(holding.stats),
    },
    drift: {
      firstYearVsLastYear: { drifted: drift.drifted, share: drift.share, score: drift.score },
      driftedFeatures: drift.driftedColumns,
      errorLevelChanges: errorChanges,
    },
    models: Object.fromEntries(
      Object.entries(results).map(([name, result]) => [
        name,
        {
          params: modelParams[name] ?? {},
          mean: result.mean,
          std: result.std,
          folds: result.folds.map((f) => ({
            index: f.index,
            trainSize: f.trainSize,
            testSize: f.testSize,
            scores: f.scores,
          })),
        },
      ]),
    ),
  };
  await storage.put('runs', runId, run);
  const entry = await storage.append('run-log', {
    runId,
    ridgeMae: results.ridge?.mean.mae,
    persistenceMae: results.persistence?.mean.mae,
  });
  console.log(
    `\nrecorded ${runId} in ${STORE_DIR}/ (run #${entry.offset + 1}; data sha256 ${dataDigest.slice(0, 12)}…)`,
  );
} finally {
  await storage.close();
}
