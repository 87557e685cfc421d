/**
 * Hyperparameter tuning on 20 years of daily S&P 500 bars: gradient-boosted trees tuned over walk-forward folds with
 * pruning (one progress line per trial), the best parameters with their fold scores and deflated Sharpe ratio,
 * parameter importance, a two-objective study (Sharpe ratio against drawdown) with its Pareto front, and a study
 * kept in a JournalStorage, re-opened by name and exported as an Optuna journal.
 *
 *   npx tsx examples/tuning.ts
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  type FrozenTrial,
  fromOptunaJournal,
  GradientBoosting,
  HyperparameterTuner,
  importancePlot,
  JournalStorage,
  loadSp500,
  maxDrawdown,
  nsga2Sampler,
  parameterImportance,
  ridge,
  type SearchSpace,
  sharpeRatio,
  type Trial,
  toColumns,
  toOptunaJournal,
  tuneWithCV,
} from '../src/index.js';

// Features at day t use closes up to t: the last five daily returns, 20-day momentum and volatility. The target is
// the return from t to t + 1, so a model's prediction is a position taken at t's close.
const { columns } = toColumns(await loadSp500(), ['close']);
const close = columns.close;
const ret = close.map((c, t) => (t === 0 ? 0 : c / (close[t - 1] as number) - 1));
const X: number[][] = [];
const y: number[] = [];
for (let t = 21; t < close.length - 1; t++) {
  const window = ret.slice(t - 19, t + 1);
  const mean = window.reduce((a, b) => a + b, 0) / window.length;
  const vol = Math.sqrt(window.reduce((a, b) => a + (b - mean) ** 2, 0) / (window.length - 1));
  X.push([
    ...[0, 1, 2, 3, 4].map((k) => ret[t - k] as number),
    (close[t] as number) / (close[t - 20] as number) - 1,
    vol,
  ]);
  y.push(ret[t + 1] as number);
}
console.log(`${X.length} days, 7 features (5 lagged returns, 20-day momentum, 20-day volatility)\n`);

// 1. Tune gradient boosting: every trial runs 8 expanding walk-forward folds in time order and reports each fold's
// Sharpe ratio (long when the predicted return is positive, short when negative) as a step. The Wilcoxon pruner
// stops a trial once its folds are significantly worse (p < 0.1) than the best trial's on the same folds. The best
// trial's Sharpe ratio is then deflated for the number of trials tried.
const space = {
  learningRate: { type: 'float', low: 0.01, high: 0.3, log: true },
  maxDepth: { type: 'int', low: 1, high: 4 },
  minSamplesLeaf: { type: 'int', low: 20, high: 400, log: true },
  subsample: { type: 'float', low: 0.5, high: 1, step: 0.1 },
} as const satisfies SearchSpace;
const fmt = (v: number | undefined, digits = 3) => (v === undefined ? '-' : v.toFixed(digits));
const describe = (params: Record<string, unknown>) =>
  Object.entries(params)
    .map(([k, v]) => `${k} ${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : v}`)
    .join(', ');
const started = Date.now();
const result = await tuneWithCV((p) => new GradientBoosting({ ...p, rounds: 40, seed: 1 }), space, X, y, {
  cv: { method: 'expanding', nSplits: 8, gap: 1 },
  metric: 'sharpe',
  pruner: 'wilcoxon',
  nTrials: 24,
  seed: 0,
  // Trial 0 evaluates the hand-picked settings of the demo, so the search's best cannot be worse on these folds.
  enqueue: [{ learningRate: 0.05, maxDepth: 3, minSamplesLeaf: 50, subsample: 0.8 }],
  callbacks: [
    (_study, trial: FrozenTrial) => {
      // A pruned trial's value is its last fold's score (as in Optuna), a complete one's the mean of its folds.
      const folds = Object.keys(trial.intermediateValues).length;
      const value = `${trial.state === 'PRUNED' ? 'last fold' : 'mean'.padStart(9)} ${fmt(trial.value).padStart(6)}`;
      console.log(
        `trial ${String(trial.number).padStart(2)}  ${trial.state.padEnd(8)}  ${folds}/8 folds  ` +
          `Sharpe ${value}  ${describe(trial.params)}`,
      );
    },
  ],
});
const states = result.study.trials.map((t) => t.state);
console.log(
  `\n${states.length} trials in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
    `${states.filter((s) => s === 'COMPLETE').length} complete, ${states.filter((s) => s === 'PRUNED').length} pruned`,
);
console.log(`best: ${describe(result.bestParams)}; mean fold Sharpe ${fmt(result.bestValue)}`);
console.log(`  fold Sharpe ratios: ${result.foldScores.map((s) => fmt(s, 2)).join(', ')}`);
const dsr = result.deflatedSharpe;
if (dsr !== undefined) {
  console.log(
    `  deflated Sharpe ratio ${fmt(dsr.deflatedSharpe)} (pooled Sharpe ${fmt(dsr.sharpe, 2)}, best of ${dsr.trials} ` +
      `trials; luck alone would give ${fmt(dsr.expectedMaxSharpe * Math.sqrt(252), 2)} annualised)`,
  );
  console.log(
    dsr.deflatedSharpe > 0.95
      ? '  → unlikely to be an artefact of the search'
      : '  → most likely the luckiest of the parameter sets tried, not an edge: expect it to shrink',
  );
}

// 2. Which parameters mattered: fANOVA on a random forest fitted to the completed trials (Optuna's default).
const bars = importancePlot(parameterImportance(result.study.trials));
console.log(`\nparameter importance: ${bars.map((b) => `${b.name} ${b.label}`).join(', ')}`);

// 3. Two objectives: a ridge regression on the last k lags, traded long when its prediction is above a threshold
// and flat otherwise, on the last five years after training on the fifteen before. A higher threshold is in the
// market less: a smaller drawdown, usually a lower Sharpe ratio. NSGA-II searches the trade-off.
const split = X.length - 5 * 252;
const study = new HyperparameterTuner({
  directions: ['maximize', 'minimize'],
  sampler: nsga2Sampler({ populationSize: 16, seed: 0 }),
});
await study.optimize(
  (trial) => {
    const lags = trial.suggestInt('lags', 1, 7);
    const alpha = trial.suggestFloat('alpha', 1e-4, 10, { log: true });
    const threshold = trial.suggestFloat('threshold', -0.001, 0.001);
    const rows = X.map((row) => row.slice(0, lags));
    const model = ridge({ alpha }).fit(rows.slice(0, split), y.slice(0, split));
    const predicted = model.predict(rows.slice(split));
    const strategy = y.slice(split).map((r, i) => ((predicted[i] as number) > threshold ? r : 0));
    if (strategy.every((r) => r === 0)) return [0, 0];
    return [sharpeRatio(strategy), -maxDrawdown(strategy).maxDrawdown];
  },
  { nTrials: 80 },
);
// Trials with equal values are all on the front (none dominates another): show each point once, with a count.
const front = new Map<string, FrozenTrial[]>();
for (const t of study.bestTrials) {
  const key = (t.values as number[]).join();
  front.set(key, [...(front.get(key) ?? []), t]);
}
const points = [...front.values()].sort(
  (a, b) => (a[0]?.values?.[1] as number) - (b[0]?.values?.[1] as number),
);
console.log(`\nSharpe ratio against maximum drawdown, ${study.trials.length} trials; the Pareto front:`);
console.log('  drawdown  Sharpe  lags  threshold  trials');
for (const same of points) {
  const t = same[0] as FrozenTrial;
  const [sharpe, drawdown] = t.values as number[];
  console.log(
    `  ${(100 * (drawdown as number)).toFixed(1).padStart(7)}%  ${fmt(sharpe, 2).padStart(6)}  ` +
      `${String(t.params.lags).padStart(4)}  ${(t.params.threshold as number).toFixed(5).padStart(9)}  ${String(same.length).padStart(6)}`,
  );
}
console.log(`  hypervolume up to (Sharpe 0, drawdown 60%): ${fmt(study.hypervolume([0, 0.6]))}`);

// 4. A study kept in a durable JournalStorage: run 12 trials, close the store as a process does on exit (a crashed
// process would leave a trial RUNNING, failed by heartbeat later), re-open the study by name and continue it; then
// write it as an Optuna journal for optuna-dashboard. The strategy is long when the ridge predicts a rise, else flat.
const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mlcycle-tuning-'));
const objective = (trial: Trial) => {
  const alpha = trial.suggestFloat('alpha', 1e-4, 100, { log: true });
  const model = ridge({ alpha }).fit(X.slice(0, split), y.slice(0, split));
  const predicted = model.predict(X.slice(split));
  return sharpeRatio(y.slice(split).map((r, i) => ((predicted[i] as number) > 0 ? r : 0)));
};
try {
  let storage = await JournalStorage.open({ dir });
  const first = new HyperparameterTuner({
    storage,
    studyName: 'ridge-alpha',
    direction: 'maximize',
    seed: 0,
  });
  await first.optimize(objective, { nTrials: 12 });
  await first.close();
  await storage.close();

  storage = await JournalStorage.open({ dir });
  const again = new HyperparameterTuner({
    storage,
    studyName: 'ridge-alpha',
    direction: 'maximize',
    seed: 0,
  });
  await again.load();
  console.log(`\nstored study "ridge-alpha" re-opened from ${dir}: ${again.trials.length} trials found`);
  await again.optimize(objective, { nTrials: 8 });
  console.log(
    `continued to ${again.trials.length} trials (numbers ${again.trials[0]?.number}..${again.trials.at(-1)?.number}); ` +
      `best alpha ${(again.bestParams.alpha as number).toExponential(2)}, Sharpe ${fmt(again.bestValue, 2)}`,
  );
  const file = path.join(os.tmpdir(), 'mlcycle-ridge-alpha.log'); // kept after the example ends
  await fs.writeFile(
    file,
    toOptunaJournal([{ name: again.studyName, directions: again.directions, trials: again.trials }]),
  );
  const [back] = fromOptunaJournal(await fs.readFile(file, 'utf8'));
  console.log(
    `Optuna journal written (${back?.trials.length} trials read back); open it with: optuna-dashboard ${file}`,
  );
  await again.close();
  await storage.close();
} finally {
  await fs.rm(dir, { recursive: true, force: true });
}
