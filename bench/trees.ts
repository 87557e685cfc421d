/**
 * Tree models' speed and accuracy, beside scikit-learn and XGBoost (`bench/reference/trees.py`, Debian's python3)
 * run in the same process tree on the very same rows (raw float64 files in a temp dir). Targets from the issue:
 *
 * - {@link RandomForest}, 5,000 × 20 regression, 100 trees, every feature at each split: fit in at most 1.5× the time
 *   of scikit-learn's `RandomForestRegressor(n_jobs=1)`, and predict 5,000 rows faster than it does;
 * - {@link GradientBoosting}, 100,000 × 20 regression, 200 rounds, depth 6, 256 bins (our 255 + 1 for missing
 *   values, as XGBoost's `max_bin=256`), learning rate 0.3: fit in at most 2× the time of XGBoost's
 *   `tree_method='hist'` with `nthread=1`, with a holdout RMSE within 1% of XGBoost's;
 * - the same figures with 2 threads (ours `fitAsync(X, y, { workers: 2 })`, theirs `n_jobs`/`nthread` = 2).
 *
 * Data: Friedman #1 (Friedman 1991; scikit-learn's `make_friedman1`) on 20 uniform features of which only the first
 * 5 matter, y = 10 sin(π x0 x1) + 20 (x2 − 0.5)² + 10 x3 + 5 x4 + N(0, 1), from mlcycle's seeded `Random`; the forest
 * is scored on 5,000 holdout rows, the boosting on 20,000. A fit takes seconds, so each is timed once per run after a
 * single warm-up fit on a small subset (to compile the hot code, not to time it): median of 3 fits (1 with
 * `--quick`); prediction is the median of 7 after a warm-up. The program fails (exit 1) when our forest's holdout R²
 * is more than 0.02 below scikit-learn's or our boosting RMSE more than 1% above XGBoost's; a missed speed target is
 * printed, not failed.
 *
 * Run: `npm run bench` (or `tsx bench/trees.ts [--quick] [forest|boost]` for one part).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Random } from '../src/core/random.js';
import type { FeatureRows } from '../src/models/model.js';
import { GradientBoosting } from '../src/models/trees/boosting.js';
import { RandomForest } from '../src/models/trees/forest.js';
import { median, timed } from './lib/timing.js';

const quick = process.argv.includes('--quick');
const parts = (['forest', 'boost'] as const).filter((part) => process.argv.includes(part));
const selected = parts.length > 0 ? parts : (['forest', 'boost'] as const);
const RUNS = quick ? 1 : 3;
const PREDICT_RUNS = 7;
const PYTHON = '/usr/bin/python3';
const FEATURES = 20;
const THREADS = [1, 2] as const;
const R2_TOLERANCE = 0.02;
const RMSE_TOLERANCE = 0.01;

/** Friedman #1 regression rows, as `number[][]` for our models and flat row-major for the reference. */
interface Data {
  rows: number[][];
  flat: Float64Array;
  y: Float64Array;
}

function friedman1(n: number, rng: Random): Data {
  const rows: number[][] = [];
  const flat = new Float64Array(n * FEATURES);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = Array.from({ length: FEATURES }, () => rng.float());
    const [x0, x1, x2, x3, x4] = x as [number, number, number, number, number];
    y[i] = 10 * Math.sin(Math.PI * x0 * x1) + 20 * (x2 - 0.5) ** 2 + 10 * x3 + 5 * x4 + rng.normal();
    rows.push(x);
    flat.set(x, i * FEATURES);
  }
  return { rows, flat, y };
}

function r2(actual: Float64Array, predicted: Float64Array): number {
  let mean = 0;
  for (const v of actual) mean += v / actual.length;
  let residual = 0;
  let total = 0;
  actual.forEach((v, i) => {
    residual += (v - (predicted[i] as number)) ** 2;
    total += (v - mean) ** 2;
  });
  return 1 - residual / total;
}

function rmse(actual: Float64Array, predicted: Float64Array): number {
  let sum = 0;
  actual.forEach((v, i) => {
    sum += (v - (predicted[i] as number)) ** 2;
  });
  return Math.sqrt(sum / actual.length);
}

/** Median time of `runs` awaited calls, with no warm-up of its own (the caller warms up on a subset). */
async function fitTimes<T>(fn: () => Promise<T> | T, runs: number): Promise<{ ms: number; value: T }> {
  const times: number[] = [];
  let value: T | undefined;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    value = await fn();
    times.push(performance.now() - start);
  }
  return { ms: median(times), value: value as T };
}

/** Fits `model` on this thread (`threads` 1) or with `fitAsync` on `threads` workers. */
function fitOn<M extends RandomForest | GradientBoosting>(
  model: M,
  X: FeatureRows,
  y: Float64Array,
  threads: number,
): M | Promise<M> {
  if (threads !== 1) return model.fitAsync(X, y, { workers: threads }).then(() => model);
  model.fit(X, y);
  return model;
}

interface ReferenceResult {
  forest?: { fitMs: number; predictMs: number; r2: number };
  boost?: { fitMs: number; rmse: number };
  versions: Record<string, string>;
}

/** Runs the reference on `files` for each thread count; its JSON output per thread count, or why not. */
function runReference(
  files: Record<string, Float64Array>,
  part: string,
): Map<number, ReferenceResult> | string {
  if (!existsSync(PYTHON))
    return `reference not measured: ${PYTHON} not found (apt-get install python3-sklearn; pip install xgboost)`;
  const dir = mkdtempSync(join(tmpdir(), 'mlcycle-bench-trees-'));
  try {
    for (const [name, values] of Object.entries(files))
      writeFileSync(
        join(dir, `${name}.f64`),
        Buffer.from(values.buffer, values.byteOffset, values.byteLength),
      );
    const script = fileURLToPath(new URL('./reference/trees.py', import.meta.url));
    const results = new Map<number, ReferenceResult>();
    for (const threads of THREADS) {
      const output = execFileSync(PYTHON, [script, dir, String(RUNS), String(threads), part], {
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      });
      results.set(threads, JSON.parse(output) as ReferenceResult);
    }
    return results;
  } catch (error) {
    return `reference not measured: ${(error as Error).message.split('\n')[0]}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line of the table; `ratio` is reference time / our time (above 1: we are faster). */
interface Row {
  name: string;
  ours: number;
  reference: number | undefined;
  /**
   * The smallest ratio that meets the issue's target, and whether it must be exceeded rather than reached; the
   * issue sets targets for one thread only, so rows with two have none.
   */
  target?: number;
  strict?: boolean;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

/** Prints the rows as the other benchmark programs do and returns the lines for the targets missed. */
function printTable(referenceName: string, rows: readonly Row[]): string[] {
  const head = `reference (${referenceName})`;
  const missed: string[] = [];
  console.log(
    `| ${'benchmark'.padEnd(40)} | ${'ours'.padStart(10)} | ${head.padStart(head.length)} |  ratio |  target | met |`,
  );
  console.log(
    `|${'-'.repeat(42)}|${'-'.repeat(11)}:|${'-'.repeat(head.length + 1)}:|-------:|--------:|:---:|`,
  );
  for (const row of rows) {
    const ratio = row.reference === undefined ? undefined : row.reference / row.ours;
    const goal = row.target;
    const met =
      ratio === undefined || goal === undefined ? undefined : row.strict ? ratio > goal : ratio >= goal;
    const target = goal === undefined ? '—' : `${row.strict ? '>' : '≥'}${goal.toFixed(2)}×`;
    if (met === false) missed.push(`${row.name}: ${ratio?.toFixed(2)}×, target ${target}`);
    console.log(
      `| ${row.name.padEnd(40)} | ${ms(row.ours).padStart(10)} | ` +
        `${(row.reference === undefined ? 'n/a' : ms(row.reference)).padStart(head.length)} | ` +
        `${(ratio === undefined ? 'n/a' : `${ratio.toFixed(2)}×`).padStart(6)} | ${target.padStart(7)} | ` +
        `${(met === undefined ? (goal === undefined ? '—' : 'n/a') : met ? 'yes' : 'NO').padStart(3)} |`,
    );
  }
  return missed;
}

/** The outcome of a section: speed targets missed (printed) and accuracy failures (exit 1). */
interface Outcome {
  missed: string[];
  failures: string[];
}

async function forestSection(): Promise<Outcome> {
  const rng = new Random(1991);
  const train = friedman1(5_000, rng);
  const test = friedman1(5_000, rng);
  const params = { trees: 100, maxFeatures: 'all', seed: 0 } as const;
  const subset: FeatureRows = train.rows.slice(0, 500);
  const subsetY = train.y.subarray(0, 500);

  const ours = new Map<number, { fitMs: number; predictMs: number; r2: number; prediction: Float64Array }>();
  for (const threads of THREADS) {
    await fitOn(new RandomForest({ ...params, trees: 10 }), subset, subsetY, threads);
    const fit = await fitTimes(() => fitOn(new RandomForest(params), train.rows, train.y, threads), RUNS);
    const predict = timed(() => fit.value.predict(test.rows), PREDICT_RUNS);
    ours.set(threads, {
      fitMs: fit.ms,
      predictMs: predict.ms,
      r2: r2(test.y, predict.value),
      prediction: predict.value,
    });
  }
  const reference = runReference(
    { forest_X: train.flat, forest_y: train.y, forest_Xt: test.flat, forest_yt: test.y },
    'forest',
  );

  console.log('Random forest');
  console.log(
    `  Friedman #1, 5,000 × ${FEATURES} train, 5,000 test rows; 100 trees, maxFeatures 'all' ` +
      "(scikit-learn's max_features=1.0), bootstrap; prediction of the 5,000 test rows is on one thread for us",
  );
  if (typeof reference === 'string') console.log(`  ${reference}`);
  else console.log(`  scikit-learn ${reference.get(1)?.versions.sklearn}`);
  console.log('');
  const theirs = (threads: number) =>
    typeof reference === 'string' ? undefined : reference.get(threads)?.forest;
  const rows: Row[] = THREADS.flatMap((threads) => {
    const mine = ours.get(threads)!;
    const label = threads === 1 ? '1 thread' : `${threads} threads`;
    return [
      {
        name: `fit, ${label}`,
        ours: mine.fitMs,
        reference: theirs(threads)?.fitMs,
        ...(threads === 1 ? { target: 1 / 1.5 } : {}),
      },
      {
        name: `predict 5,000 rows, ${label}`,
        ours: mine.predictMs,
        reference: theirs(threads)?.predictMs,
        ...(threads === 1 ? { target: 1, strict: true } : {}),
      },
    ];
  });
  const missed = printTable('scikit-learn', rows);
  console.log(
    "  ratio: scikit-learn's time / ours (above 1: we are faster); targets: fit in at most 1.5× scikit-learn's " +
      'time, predict faster',
  );

  const same = ours.get(1)!.prediction.every((v, i) => v === ours.get(2)!.prediction[i]);
  console.log(
    `\n  fitAsync with 2 workers grew the same forest as fit (identical predictions): ${same ? 'yes' : 'NO'}`,
  );
  const failures: string[] = [];
  console.log(`  holdout R² (ours may be at most ${R2_TOLERANCE} below scikit-learn's):`);
  for (const threads of THREADS) {
    const mine = ours.get(threads)!.r2;
    const other = theirs(threads)?.r2;
    const ok = other === undefined || mine >= other - R2_TOLERANCE;
    if (!ok)
      failures.push(`forest R² ${mine.toFixed(4)}, scikit-learn ${other?.toFixed(4)} (${threads} thread(s))`);
    console.log(
      `    ${threads} thread(s): ours ${mine.toFixed(4)}, scikit-learn ${other === undefined ? 'n/a' : other.toFixed(4)}` +
        `${other === undefined ? '' : `, difference ${(mine - other).toFixed(4)} — ${ok ? 'ok' : 'FAIL'}`}`,
    );
  }
  return { missed, failures };
}

async function boostSection(): Promise<Outcome> {
  const rng = new Random(2001);
  const train = friedman1(100_000, rng);
  const test = friedman1(20_000, rng);
  const params = {
    objective: 'squared',
    rounds: 200,
    maxDepth: 6,
    learningRate: 0.3,
    maxBins: 255,
    seed: 0,
  } as const;
  const subset: FeatureRows = train.rows.slice(0, 5_000);
  const subsetY = train.y.subarray(0, 5_000);

  const ours = new Map<number, { fitMs: number; rmse: number }>();
  for (const threads of THREADS) {
    await fitOn(new GradientBoosting({ ...params, rounds: 10 }), subset, subsetY, threads);
    const fit = await fitTimes(() => fitOn(new GradientBoosting(params), train.rows, train.y, threads), RUNS);
    ours.set(threads, { fitMs: fit.ms, rmse: rmse(test.y, fit.value.predict(test.rows)) });
  }
  const reference = runReference(
    { boost_X: train.flat, boost_y: train.y, boost_Xt: test.flat, boost_yt: test.y },
    'boost',
  );

  console.log('Gradient boosting');
  console.log(
    `  Friedman #1, 100,000 × ${FEATURES} train, 20,000 test rows; 200 rounds, depth 6, learning rate 0.3, ` +
      "squared error, 255 bins + 1 for missing values (XGBoost's tree_method='hist', max_bin=256)",
  );
  if (typeof reference === 'string') console.log(`  ${reference}`);
  else console.log(`  XGBoost ${reference.get(1)?.versions.xgboost}`);
  console.log('');
  const theirs = (threads: number) =>
    typeof reference === 'string' ? undefined : reference.get(threads)?.boost;
  const missed = printTable(
    'XGBoost',
    THREADS.map((threads) => ({
      name: `fit, ${threads === 1 ? '1 thread' : `${threads} threads`}`,
      ours: ours.get(threads)!.fitMs,
      reference: theirs(threads)?.fitMs,
      ...(threads === 1 ? { target: 0.5 } : {}),
    })),
  );
  console.log(
    "  ratio: XGBoost's time / ours (above 1: we are faster); target: fit in at most 2× XGBoost's time",
  );

  const failures: string[] = [];
  console.log(`\n  holdout RMSE (ours may be at most ${RMSE_TOLERANCE * 100}% above XGBoost's):`);
  for (const threads of THREADS) {
    const mine = ours.get(threads)!.rmse;
    const other = theirs(threads)?.rmse;
    const ok = other === undefined || mine <= other * (1 + RMSE_TOLERANCE);
    if (!ok)
      failures.push(`boosting RMSE ${mine.toFixed(4)}, XGBoost ${other?.toFixed(4)} (${threads} thread(s))`);
    console.log(
      `    ${threads} thread(s): ours ${mine.toFixed(4)}, XGBoost ${other === undefined ? 'n/a' : other.toFixed(4)}` +
        `${other === undefined ? '' : `, ours ${(100 * Math.abs(mine / other - 1)).toFixed(2)}% ${mine >= other ? 'above' : 'below'} — ${ok ? 'ok' : 'FAIL'}`}`,
    );
  }
  return { missed, failures };
}

console.log('Tree models benchmark');
console.log(
  `  node ${process.version} · ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'} · fits: median of ${RUNS} ` +
    `after one warm-up fit on a subset; prediction: median of ${PREDICT_RUNS} after one warm-up\n`,
);
const missed: string[] = [];
const failures: string[] = [];
for (const [i, part] of selected.entries()) {
  if (i > 0) console.log('');
  const outcome = await (part === 'forest' ? forestSection() : boostSection());
  missed.push(...outcome.missed);
  failures.push(...outcome.failures);
}
if (missed.length > 0) console.log(`\n  target missed:\n    ${missed.join('\n    ')}`);
if (failures.length > 0) {
  console.error(`\n  ACCURACY below the reference's:\n    ${failures.join('\n    ')}`);
  process.exitCode = 1;
}
