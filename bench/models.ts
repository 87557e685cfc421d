/**
 * Features and models speed, each section beside a reference measured in the same run on the same data.
 *
 * Features: a {@link FeaturePipeline} with every indicator of `docs/features.md` over 1,000,000 bars, beside the
 * same features in pandas (`bench/reference/features.py`, Debian's python3, the bars passed as raw float64 files in
 * a temp dir): one DataFrame with the warm-up and the target-less last row dropped and a next-bar direction target.
 * Target: faster than pandas. The program fails (exit 1) when a sampled value differs from pandas' by more than
 * 1e-6 relative (pandas' online rolling std drifts by up to ~3e-7 relative; everything else agrees to ~1e-12) or
 * when the warm-up or row count differ: both sides must compute the same thing for the times to be comparable.
 *
 * Then the LSTM (`bench/lib/lstm.ts`): one training epoch over the same 2,000 sequences of 30 × 8 on TensorFlow.js's
 * wasm backend beside its cpu backend.
 *
 * Run: `npm run bench` (or `tsx bench/models.ts [--quick]`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Random } from '../src/core/random.js';
import { FeaturePipeline, type FeatureStep } from '../src/features/index.js';
import { lstmSection } from './lib/lstm.js';
import { timed } from './lib/timing.js';

const quick = process.argv.includes('--quick');
const RUNS = quick ? 3 : 5;
const PYTHON = '/usr/bin/python3';

/** One line of a benchmark table: our figure, the reference's, and how far apart they are against the target. */
interface Row {
  name: string;
  ours: string;
  reference: string;
  /** Reference time / our time (above 1: we are faster); undefined when the reference was not measured. */
  ratio: number | undefined;
  /** The ratio the issue asks for. */
  target: number;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

/** Prints rows as the other benchmark programs do: ours, the reference, the ratio and whether it meets its target. */
function printTable(referenceName: string, rows: readonly Row[]): void {
  const head = `reference (${referenceName})`;
  const width = Math.max(18, head.length);
  console.log(
    `| ${'benchmark'.padEnd(44)} | ${'ours'.padStart(10)} | ${head.padStart(width)} |  ratio | target | met |`,
  );
  console.log(`|${'-'.repeat(46)}|${'-'.repeat(11)}:|${'-'.repeat(width + 1)}:|-------:|-------:|:---:|`);
  for (const row of rows) {
    const ratio = row.ratio === undefined ? 'n/a' : `${row.ratio.toFixed(2)}×`;
    const met = row.ratio === undefined ? 'n/a' : row.ratio >= row.target ? 'yes' : 'NO';
    console.log(
      `| ${row.name.padEnd(44)} | ${row.ours.padStart(10)} | ${row.reference.padStart(width)} | ${ratio.padStart(6)} | ` +
        `${`${row.target}×`.padStart(6)} | ${met.padStart(3)} |`,
    );
  }
}

/** Runs a reference script with raw float64 files of `columns` in a temp dir; its JSON output, or why not. */
function runReference<T>(script: string, columns: Record<string, Float64Array>, args: string[]): T | string {
  if (!existsSync(PYTHON))
    return `reference not measured: ${PYTHON} not found (apt-get install python3-pandas)`;
  const dir = mkdtempSync(join(tmpdir(), 'mlcycle-bench-models-'));
  try {
    for (const [name, values] of Object.entries(columns)) {
      writeFileSync(
        join(dir, `${name}.f64`),
        Buffer.from(values.buffer, values.byteOffset, values.byteLength),
      );
    }
    const path = fileURLToPath(new URL(`./reference/${script}`, import.meta.url));
    return JSON.parse(
      execFileSync(PYTHON, [path, dir, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 }),
    ) as T;
  } catch (error) {
    return `reference not measured: ${(error as Error).message.split('\n')[0]}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Hourly OHLCV bars (a million hours end in 2114, inside pandas' datetime range): a geometric random walk rounded to cents (ties, and some flat bars), lognormal volumes. */
function makeBars(
  n: number,
  rng: Random,
): Record<'timestamp' | 'open' | 'high' | 'low' | 'close' | 'volume', Float64Array> {
  const bars = {
    timestamp: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  const cents = (x: number) => Math.round(x * 100) / 100;
  let previous = 100;
  for (let i = 0; i < n; i++) {
    const o = cents(previous * Math.exp(0.002 * rng.normal()));
    const c = cents(previous * Math.exp(0.01 * rng.normal()));
    bars.timestamp[i] = Date.UTC(2000, 0, 1) + i * 3_600_000;
    bars.open[i] = o;
    bars.close[i] = c;
    bars.high[i] = cents(Math.max(o, c) * Math.exp(Math.abs(0.003 * rng.normal())));
    bars.low[i] = cents(Math.min(o, c) * Math.exp(-Math.abs(0.003 * rng.normal())));
    bars.volume[i] = rng.float() < 0.01 ? 0 : Math.round(Math.exp(10 + 0.5 * rng.normal()));
    // Keep the walk in a band so that cents stay meaningful over a million bars.
    previous = c > 1000 ? c / 2 : c < 10 ? c * 2 : c;
  }
  return bars;
}

/** Every indicator, named as in the pandas reference. */
const FEATURE_STEPS: FeatureStep[] = [
  { name: 'ret', feature: 'returns' },
  { name: 'logRet', feature: 'logReturns' },
  { name: 'lag1', feature: 'lag', params: { periods: 1 } },
  { name: 'mom10', feature: 'momentum', params: { period: 10 } },
  { name: 'mean20', feature: 'rollingMean', params: { window: 20 } },
  { name: 'std20', feature: 'rollingStd', params: { window: 20 } },
  { name: 'min20', feature: 'rollingMin', params: { window: 20 } },
  { name: 'max20', feature: 'rollingMax', params: { window: 20 } },
  { name: 'z20', feature: 'rollingZScore', params: { window: 20 } },
  { name: 'sma50', feature: 'sma', params: { period: 50 } },
  { name: 'ema20', feature: 'ema', params: { period: 20 } },
  { name: 'rsi14', feature: 'rsi', params: { period: 14 } },
  { name: 'macd', feature: 'macd' },
  { name: 'bb', feature: 'bollinger' },
  { name: 'atr14', feature: 'atr' },
  { name: 'adx', feature: 'adx' },
  { name: 'stoch', feature: 'stochastic' },
  { name: 'williamsR', feature: 'williamsR' },
  { name: 'obv', feature: 'obv' },
  { name: 'vwap', feature: 'vwap' },
  { name: 'vwap20', feature: 'vwap', params: { window: 20 } },
  { name: 'rv20', feature: 'realizedVolatility', params: { window: 20 } },
  { name: 'dow', feature: 'dayOfWeek' },
  { name: 'month', feature: 'month' },
  { name: 'quarter', feature: 'quarter' },
];

interface FeaturesReference {
  ms: number;
  rows: number;
  warmUp: number;
  names: string[];
  sample: { rows: number[]; y: number[]; columns: Record<string, (number | null)[]> };
}

/** |a − b| relative to the larger magnitude, absolute below 1 (z-scores and oscillators cross 0). */
function relativeDifference(a: number, b: number | null | undefined): number {
  const y = b ?? Number.NaN;
  if (Number.isNaN(a) && Number.isNaN(y)) return 0;
  if (a === y) return 0;
  return Math.abs(a - y) / Math.max(Math.abs(a), Math.abs(y), 1);
}

/** The feature pipeline over 1M bars beside pandas; returns the failures of the same-result check. */
function featuresSection(): string[] {
  const n = quick ? 200_000 : 1_000_000;
  const bars = makeBars(n, new Random(7));
  const pipeline = new FeaturePipeline({ name: 'bench', version: '1', steps: FEATURE_STEPS });
  const columnsOnly = timed(() => pipeline.buildColumns(bars), RUNS);
  const withRows = timed(() => pipeline.build(bars), quick ? 1 : 3);
  const reference = runReference<FeaturesReference>('features.py', bars, [String(RUNS)]);
  const built = columnsOnly.value;

  console.log('Features');
  console.log(
    `  ${n.toLocaleString('en-US')} bars, ${FEATURE_STEPS.length} steps → ${built.names.length} columns, ` +
      `${built.y.length.toLocaleString('en-US')} rows after ${built.dropped.warmUp} warm-up rows ` +
      `(${built.dropped.warmUpBy.join(', ')}) and ${built.dropped.tail} tail row`,
  );
  if (typeof reference === 'string') console.log(`  ${reference}`);
  console.log('');
  const pandasMs = typeof reference === 'string' ? undefined : reference.ms;
  const row = (name: string, time: number): Row => ({
    name,
    ours: ms(time),
    reference: pandasMs === undefined ? 'n/a' : ms(pandasMs),
    ratio: pandasMs === undefined ? undefined : pandasMs / time,
    target: 1,
  });
  printTable('pandas', [
    row('pipeline, all indicators, columns', columnsOnly.ms),
    row('pipeline, all indicators, + X as number[][]', withRows.ms),
  ]);
  console.log('  ratio: pandas time / our time; pandas builds one DataFrame (by column)');
  if (typeof reference === 'string') return [];

  const failures: string[] = [];
  if (reference.warmUp !== built.dropped.warmUp)
    failures.push(`warm-up ${built.dropped.warmUp}, pandas ${reference.warmUp}`);
  if (reference.rows !== built.y.length) failures.push(`${built.y.length} rows, pandas ${reference.rows}`);
  if (reference.names.join() !== built.names.join()) failures.push('the column names differ from pandas');
  let worst = 0;
  let worstName = '';
  for (const [j, name] of built.names.entries()) {
    const column = built.columns[j] as Float64Array;
    reference.sample.rows.forEach((r, i) => {
      const diff = relativeDifference(column[r] as number, reference.sample.columns[name]?.[i]);
      if (diff > worst) [worst, worstName] = [diff, name];
    });
  }
  reference.sample.rows.forEach((r, i) => {
    if (built.y[r] !== reference.sample.y[i]) failures.push(`target of row ${r} differs`);
  });
  console.log(
    `\n  same result as pandas on ${reference.sample.rows.length} sampled rows: worst difference (relative, absolute below 1) ` +
      `${worst.toExponential(1)}${worstName ? ` (${worstName})` : ''}, tolerance 1e-6`,
  );
  if (!(worst <= 1e-6)) failures.push(`${worstName} differs by ${worst} relative`);
  return failures;
}

console.log('Features and models benchmark');
console.log(
  `  node ${process.version} · ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'} · median of ${RUNS} runs ` +
    'after one warm-up, each side\n',
);
const failures = featuresSection();
console.log('');
// The LSTM section prints its own table: one epoch on the wasm backend beside the cpu backend.
await lstmSection(quick ? { runs: 1 } : {});
if (failures.length > 0) {
  console.error(`\n  MISMATCH with the reference:\n    ${failures.join('\n    ')}`);
  process.exitCode = 1;
}
