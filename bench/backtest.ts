/**
 * Backtest speed, beside a vectorised NumPy implementation of the same 'close'-execution formula
 * (`bench/reference/backtest.py`, Debian's python3) run in the same process tree on the very same bars and
 * positions (raw float64 files in a temp dir). Prints medians and the ratio against the issue's targets:
 *
 * - one run over 1,000,000 bars with fees (rate 5 bps) and slippage (2 bps), positions the sign of MA(50) − MA(200)
 *   of the closes (±1, flat until both averages exist): at least 5× faster than NumPy;
 * - a moving-average crossover sweep on 5,000 bars over 1,590 (fast, slow) pairs — fast = 2..31 (30 windows) ×
 *   slow = 40, 45, …, 300 (53 windows), every fast below every slow — long while the fast average is above the slow
 *   one, flat otherwise: at least 10× NumPy's combinations per second.
 *
 * Bars are a geometric random walk whose drift switches sign at random (trending regimes, so that the crossover
 * has something to follow), from mlcycle's seeded `Random`, with valid OHLC. The program fails (exit 1) when our
 * Sharpe ratio and total return of the 1M run, or the sweep's Sharpe ratios, differ from NumPy's by more than 1e-9
 * relative: both sides must compute the same thing for the times to be comparable.
 *
 * Run: `npm run bench` (or `tsx bench/backtest.ts [--quick]`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Backtester } from '../src/backtest/backtester.js';
import { sweep as runGrid } from '../src/backtest/sweep.js';
import type { BacktestInput, Bars } from '../src/backtest/types.js';
import { Random } from '../src/core/random.js';
import { timed, timedAsync } from './lib/timing.js';

const quick = process.argv.includes('--quick');
const N = 1_000_000;
const SWEEP_BARS = 5_000;
const RUNS = quick ? 3 : 7;
const PYTHON = '/usr/bin/python3';
const FEE_RATE = 0.0005;
const SLIPPAGE_BPS = 2;
const PERIODS_PER_YEAR = 252;
const TOLERANCE = 1e-9;

const FAST = Array.from({ length: 30 }, (_, i) => 2 + i); // 2..31
const SLOW = Array.from({ length: 53 }, (_, i) => 40 + 5 * i); // 40..300 step 5
const PAIRS = FAST.flatMap((fast) => SLOW.filter((slow) => fast < slow).map((slow) => [fast, slow] as const));
if (PAIRS.length !== 1_590) throw new Error(`the sweep grid should have 1,590 pairs, has ${PAIRS.length}`);

/** Geometric random walk, σ = 1% a bar, drift ±0.03% a bar switching with probability 1/2000; OHLC valid. */
function makeBars(
  n: number,
  rng: Random,
): Record<'timestamp' | 'open' | 'high' | 'low' | 'close', Float64Array> {
  const timestamp = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const start = Date.UTC(2000, 0, 1);
  let drift = 0.0003;
  let previous = 100;
  for (let i = 0; i < n; i++) {
    if (rng.float() < 1 / 2000) drift = -drift;
    const o = previous * Math.exp(0.002 * rng.normal());
    const c = previous * Math.exp(drift + 0.01 * rng.normal());
    timestamp[i] = start + i * 86_400_000;
    open[i] = o;
    close[i] = c;
    high[i] = Math.max(o, c) * Math.exp(Math.abs(0.003 * rng.normal()));
    low[i] = Math.min(o, c) * Math.exp(-Math.abs(0.003 * rng.normal()));
    previous = c;
  }
  return { timestamp, open, high, low, close };
}

/** Rolling means by a running sum, as the reference's cumsum: mean[t] = (cs[t + 1] − cs[t + 1 − w]) / w; NaN before. */
function rollingMeans(close: ArrayLike<number>, windows: readonly number[]): Map<number, Float64Array> {
  const n = close.length;
  const cumsum = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) cumsum[i + 1] = (cumsum[i] as number) + (close[i] as number);
  const means = new Map<number, Float64Array>();
  for (const w of windows) {
    if (means.has(w)) continue;
    const m = new Float64Array(n).fill(Number.NaN);
    for (let t = w - 1; t < n; t++) m[t] = ((cumsum[t + 1] as number) - (cumsum[t + 1 - w] as number)) / w;
    means.set(w, m);
  }
  return means;
}

function relativeDifference(a: number | null | undefined, b: number | null | undefined): number {
  const x = a ?? Number.NaN;
  const y = b ?? Number.NaN;
  if (Number.isNaN(x) && Number.isNaN(y)) return 0;
  if (x === y) return 0;
  return Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y));
}

const bars = makeBars(N, new Random(2026));
const means = rollingMeans(bars.close, [50, 200]);
const fast50 = means.get(50) as Float64Array;
const slow200 = means.get(200) as Float64Array;
const positions = new Float64Array(N).map((_, t) => {
  const d = (fast50[t] as number) - (slow200[t] as number);
  return d > 0 ? 1 : d < 0 ? -1 : 0; // NaN (before the slow average exists): flat
});
let changes = 0;
for (let t = 1; t < N; t++) if (positions[t] !== positions[t - 1]) changes++;

const bt = new Backtester({
  fees: { rate: FEE_RATE },
  slippageBps: SLIPPAGE_BPS,
  execution: 'close',
  periodsPerYear: PERIODS_PER_YEAR,
});
const input: BacktestInput = { bars, positions };
const run = timed(() => bt.run(input), RUNS);
const runTyped = timed(() => bt.run(input, { series: 'typed' }), RUNS);
const runStats = timed(() => bt.run(input, { series: 'none' }), RUNS);

/**
 * The least any checked run must do, for scale: one pass over the three columns a run reads, checking that the
 * timestamps increase, the closes are positive and finite and the positions within [−1, 1] — no simulation at all.
 */
function checkedPass(timestamp: Float64Array, close: Float64Array, exposure: Float64Array): number {
  let previous = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < close.length; i++) {
    const t = timestamp[i] as number;
    const c = close[i] as number;
    const p = exposure[i] as number;
    if (!(t > previous && c > 0 && c < Number.POSITIVE_INFINITY && p >= -1 && p <= 1)) return i;
    previous = t;
  }
  return -1;
}
const floor = timed(() => checkedPass(bars.timestamp, bars.close, positions), RUNS);

const sweepBars: Bars = {
  timestamp: bars.timestamp.subarray(0, SWEEP_BARS),
  open: bars.open.subarray(0, SWEEP_BARS),
  high: bars.high.subarray(0, SWEEP_BARS),
  low: bars.low.subarray(0, SWEEP_BARS),
  close: bars.close.subarray(0, SWEEP_BARS),
};
const sweepMethod = "sweep(bars, grid, 'moving-average-crossover'), one thread";
const pairIndex = new Map(PAIRS.map(([fast, slow], i) => [`${fast}/${slow}`, i]));
async function runSweep(): Promise<number[]> {
  const result = await runGrid(sweepBars, { fast: FAST, slow: SLOW }, 'moving-average-crossover', {
    backtest: {
      fees: { rate: FEE_RATE },
      slippageBps: SLIPPAGE_BPS,
      execution: 'close',
      periodsPerYear: 252,
    },
    filter: (p) => p.fast < p.slow,
  });
  const sharpe = new Array<number>(PAIRS.length);
  for (const row of result.rows)
    sharpe[pairIndex.get(`${row.params.fast}/${row.params.slow}`) as number] = row.stats.sharpe;
  return sharpe;
}
/**
 * The least an exact crossover sweep must do, for scale: for each pair, one pass comparing the fast and slow
 * averages (computed beforehand, once per window) and writing the positions — no simulation, no statistics.
 */
const sweepMeans = rollingMeans(sweepBars.close, [...FAST, ...SLOW]);
const crossingPositions = new Float64Array(SWEEP_BARS);
function crossingPasses(): number {
  let long = 0;
  for (const [fast, slow] of PAIRS) {
    const f = sweepMeans.get(fast) as Float64Array;
    const s = sweepMeans.get(slow) as Float64Array;
    for (let t = 0; t < SWEEP_BARS; t++) crossingPositions[t] = (f[t] as number) > (s[t] as number) ? 1 : 0;
    long += crossingPositions[SWEEP_BARS - 1] as number;
  }
  return long;
}
const crossing = timed(crossingPasses, RUNS);
const sweep = await timedAsync(runSweep, RUNS);
const sweepPerSecond = PAIRS.length / (sweep.ms / 1000);

interface Reference {
  run: { ms: number; stats: Record<string, number | null> };
  sweep: { ms: number; pairs: number; perSecond: number; sharpe: (number | null)[] };
}
let reference: Reference | undefined;
let note = '';
if (existsSync(PYTHON)) {
  const dir = mkdtempSync(join(tmpdir(), 'mlcycle-bench-backtest-'));
  try {
    const { close } = bars;
    writeFileSync(join(dir, 'close.f64'), Buffer.from(close.buffer, close.byteOffset, close.byteLength));
    writeFileSync(join(dir, 'positions.f64'), Buffer.from(positions.buffer, 0, positions.byteLength));
    const script = fileURLToPath(new URL('./reference/backtest.py', import.meta.url));
    const k = FEE_RATE + SLIPPAGE_BPS / 1e4;
    const args = [dir, RUNS, k, PERIODS_PER_YEAR, SWEEP_BARS, FAST.join(','), SLOW.join(',')].map(String);
    reference = JSON.parse(
      execFileSync(PYTHON, [script, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 }),
    ) as Reference;
  } catch (error) {
    note = `reference not measured: ${(error as Error).message.split('\n')[0]}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  note = `reference not measured: ${PYTHON} not found (apt-get install python3-numpy)`;
}

const ours = run.value.stats;
console.log('Backtest benchmark');
console.log(
  `  node ${process.version} · ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'} · median of ${RUNS} runs ` +
    'after one warm-up, each side',
);
console.log(
  `  1M run: ${N.toLocaleString('en-US')} bars, execution 'close', fees.rate ${FEE_RATE}, slippage ` +
    `${SLIPPAGE_BPS} bps; positions sign(MA50 − MA200): ${changes.toLocaleString('en-US')} changes, ` +
    `${ours.trades.toLocaleString('en-US')} trades`,
);
console.log(
  `  sweep: ${SWEEP_BARS.toLocaleString('en-US')} bars, fast ${FAST[0]}..${FAST.at(-1)} (${FAST.length}) × slow ` +
    `${SLOW[0]}..${SLOW.at(-1)} step 5 (${SLOW.length}) = ${PAIRS.length.toLocaleString('en-US')} pairs, ` +
    `long/flat; ours: ${sweepMethod}`,
);
if (note) console.log(`  ${note}`);
console.log('');

interface Row {
  name: string;
  ours: string;
  reference: string;
  ratio: number | undefined;
  target: number;
}
const ms = (value: number) => `${value.toFixed(1)} ms`;
const perSecond = (value: number) => `${Math.round(value).toLocaleString('en-US')}/s`;
const rows: Row[] = [
  ...(
    [
      ['run, 1M bars, JSON series', run.ms],
      ["run, 1M bars, series: 'typed'", runTyped.ms],
      ["run, 1M bars, series: 'none'", runStats.ms],
    ] as const
  ).map(([name, time]) => ({
    name,
    ours: ms(time),
    reference: reference ? ms(reference.run.ms) : 'n/a',
    ratio: reference ? reference.run.ms / time : undefined,
    target: 5,
  })),
];
rows.push({
  name: 'MA crossover sweep, 1,590 pairs',
  ours: perSecond(sweepPerSecond),
  reference: reference ? perSecond(reference.sweep.perSecond) : 'n/a',
  ratio: reference ? sweepPerSecond / reference.sweep.perSecond : undefined,
  target: 10,
});
console.log(
  '| benchmark                               |       ours |  reference (NumPy) |  ratio | target | met |',
);
console.log(
  '|-----------------------------------------|-----------:|-------------------:|-------:|-------:|:---:|',
);
for (const row of rows) {
  const ratio = row.ratio === undefined ? 'n/a' : `${row.ratio.toFixed(2)}×`;
  const met = row.ratio === undefined ? 'n/a' : row.ratio >= row.target ? 'yes' : 'NO';
  console.log(
    `| ${row.name.padEnd(39)} | ${row.ours.padStart(10)} | ${row.reference.padStart(18)} | ${ratio.padStart(6)} | ` +
      `${`${row.target}×`.padStart(6)} | ${met.padStart(3)} |`,
  );
}
console.log(
  "  ratio: reference time / our time for a run, our combinations per second / NumPy's for the sweep",
);
console.log(
  `  for scale: one checked pass over the 1M run's timestamp, close and positions, with no simulation, takes ` +
    `${ms(floor.ms)}${reference ? ` (NumPy's run / that: ${(reference.run.ms / floor.ms).toFixed(2)}×)` : ''}`,
);
const crossingPerSecond = PAIRS.length / (crossing.ms / 1000);
console.log(
  `  for scale: one pass per pair comparing its two averages and writing the positions, with no simulation, ` +
    `runs ${perSecond(crossingPerSecond)}` +
    `${reference ? ` (that / NumPy's sweep: ${(crossingPerSecond / reference.sweep.perSecond).toFixed(2)}×)` : ''}`,
);

if (reference) {
  const failures: string[] = [];
  console.log('\n  same result as NumPy (relative difference, tolerance 1e-9):');
  for (const key of [
    'totalReturn',
    'sharpe',
    'cagr',
    'annualVolatility',
    'sortino',
    'maxDrawdown',
  ] as const) {
    const diff = relativeDifference(ours[key], reference.run.stats[key]);
    const checked = key === 'totalReturn' || key === 'sharpe';
    if (checked && !(diff <= TOLERANCE))
      failures.push(`1M run ${key}: ours ${ours[key]}, NumPy ${reference.run.stats[key]}`);
    console.log(
      `    1M run ${key.padEnd(16)} ours ${String(ours[key]).padEnd(24)} NumPy ${String(reference.run.stats[key]).padEnd(24)} ` +
        `${diff.toExponential(1)}${checked ? '' : ' (not checked)'}`,
    );
  }
  for (const [name, stats] of [
    ['typed', runTyped.value.stats],
    ['none', runStats.value.stats],
  ] as const) {
    for (const key of ['totalReturn', 'sharpe'] as const) {
      const diff = relativeDifference(stats[key], reference.run.stats[key]);
      if (!(diff <= TOLERANCE))
        failures.push(`series '${name}' ${key}: ours ${stats[key]}, NumPy ${reference.run.stats[key]}`);
      console.log(`    series '${name}' ${key.padEnd(12)} ${diff.toExponential(1)}`);
    }
  }
  let worst = 0;
  if (reference.sweep.sharpe.length !== sweep.value.length) {
    failures.push(`sweep: ${sweep.value.length} Sharpe ratios, NumPy ${reference.sweep.sharpe.length}`);
  }
  sweep.value.forEach((value, i) => {
    worst = Math.max(worst, relativeDifference(value, reference?.sweep.sharpe[i]));
  });
  if (!(worst <= TOLERANCE)) failures.push(`sweep Sharpe ratios differ by up to ${worst} relative`);
  console.log(`    sweep Sharpe, worst of ${PAIRS.length} pairs   ${worst.toExponential(1)}`);
  if (failures.length > 0) {
    console.error(`\n  MISMATCH with the NumPy reference:\n    ${failures.join('\n    ')}`);
    process.exitCode = 1;
  }
}
