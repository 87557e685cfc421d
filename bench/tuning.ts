/**
 * The tuner's search quality and its sampler's cost per trial, beside Optuna 3.1 (`bench/reference/tuning.py`,
 * Debian's python3) run in the same process tree. Targets from the issue:
 *
 * - quality: on Branin, Hartmann3, Hartmann6, Rosenbrock-4D, Ackley-5D, Styblinski–Tang-5D and Levy-5D (their
 *   standard boxes, `bench/lib/test-functions.ts`), seeds 0–9, 100 trials, the median best value of our default TPE
 *   is at most Optuna's default `TPESampler(seed)`'s on at least 5 of the 7 functions, and at most Optuna's
 *   `RandomSampler(seed)`'s on all of them. Our random sampler is printed beside them. Both sides minimise with one
 *   `suggestFloat` / `suggest_float` per coordinate (`x0`, `x1`, …); before the runs count, the program checks that
 *   the reference computes the same functions over the same boxes (at the known minimisers and at random points);
 * - speed: the wall time of a trial (ask, 5 floats on [−5, 5], a log-int on [1, 1000], a categorical of 4, a
 *   trivial objective, tell) with the TPE sampler, median over trials 950–1,049 of one study of 1,050 trials: ours
 *   at most 1/20 of Optuna's `TPESampler` measured the same way in the same run. Medians around trials 100 and 500
 *   are printed too, to show how the cost grows.
 *
 * The program fails (exit 1) when the two sides' functions disagree; a missed quality or speed target is printed, as
 * the other benchmarks print theirs. Optuna's side of the quality runs (two to four minutes) runs while ours does, as
 * nothing is timed there; the speed runs take turns.
 *
 * Run: `npm run bench` (or `tsx bench/tuning.ts [--quick] [quality|overhead]` for one part). Environment variables
 * to cut or stretch the runs:
 *
 * - `TUNING_BENCH_QUICK=1` (same as `--quick`): seeds 0–2 and a 550-trial speed study (target row at trials
 *   450–549);
 * - `TUNING_BENCH_SEEDS=n`: seeds 0…n−1 for the quality table (default 10, quick 3);
 * - `TUNING_BENCH_TRIALS=n`: trials per quality study (default 100);
 * - `TUNING_BENCH_OVERHEAD_TRIALS=n`: trials of the speed study (default 1,050, quick 550);
 * - `TUNING_BENCH_OPTUNA31=1`: one more quality column, our TPE with Optuna 3.1's settings
 *   (`{ multivariate: false, optuna31Density: true }`), to compare with our defaults.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Random } from '../src/core/random.js';
import { HyperparameterTuner, type Sampler, tpeSampler } from '../src/tuning/index.js';
import { type TestFunction, testFunctions } from './lib/test-functions.js';
import { median } from './lib/timing.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./reference/tuning.py', import.meta.url));

/** A positive integer from the environment, or `fallback` when the variable is unset. */
function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer, received ${JSON.stringify(raw)}`);
  }
  return value;
}

const quick = process.argv.includes('--quick') || process.env.TUNING_BENCH_QUICK === '1';
const parts = (['quality', 'overhead'] as const).filter((part) => process.argv.includes(part));
const selected = parts.length > 0 ? parts : (['quality', 'overhead'] as const);
const SEEDS = envInt('TUNING_BENCH_SEEDS', quick ? 3 : 10);
const TRIALS = envInt('TUNING_BENCH_TRIALS', 100);
const OVERHEAD_TRIALS = envInt('TUNING_BENCH_OVERHEAD_TRIALS', quick ? 550 : 1_050);
const WITH_OPTUNA31 = process.env.TUNING_BENCH_OPTUNA31 === '1';
/** Functions on which our TPE must be at least as good as Optuna's, as the issue asks. */
const QUALITY_TARGET = 5;
/** Optuna's time per trial over ours that the issue asks for around trial 1,000. */
const SPEED_TARGET = 20;
/** How closely the two sides' formulas must agree at a point (relative, or absolute near 0). */
const AGREEMENT = 1e-12;
/** Random points per function at which the formulas are compared, besides the known minimisers. */
const CHECK_POINTS = 8;

/** Runs the reference with `args`; its JSON output, or why it could not be had. Does not block the event loop. */
function runReference<T>(args: string[]): Promise<T | string> {
  if (!existsSync(PYTHON)) {
    return Promise.resolve(`reference not measured: ${PYTHON} not found (apt-get install python3-optuna)`);
  }
  return new Promise((resolve) => {
    const child = spawn(PYTHON, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', (error) => resolve(`reference not measured: ${error.message}`));
    child.once('close', (code) => {
      if (code !== 0) {
        const last = stderr.trim().split('\n').at(-1) ?? '';
        resolve(`reference not measured: ${PYTHON} exited with ${code}: ${last}`);
        return;
      }
      try {
        resolve(JSON.parse(stdout) as T);
      } catch (error) {
        resolve(`reference not measured: ${(error as Error).message}`);
      }
    });
  });
}

interface Versions {
  optuna: string;
  numpy: string;
  python: string;
}

interface QualityReference {
  functions: Record<
    string,
    { bounds: [number, number][]; tpe: number[]; random: number[]; values: number[] }
  >;
  versions: Versions;
}

interface OverheadReference {
  msPerTrial: number[];
  cpuMsPerTrial: number[];
  best: number;
  versions: Versions;
}

/** Prints a markdown table with the first column left-aligned and the others right-aligned. */
function printTable(head: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] as string).length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number))).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

/** A value with 4 significant digits (1 decimal from 1,000 on), as the issue quotes them. */
const format = (value: number | undefined): string =>
  value === undefined ? 'n/a' : Math.abs(value) >= 1_000 ? value.toFixed(1) : value.toPrecision(4);

/** The minimisers of each function and {@link CHECK_POINTS} seeded points of its box. */
function checkPoints(): Record<string, number[][]> {
  const rng = new Random(2026);
  const points: Record<string, number[][]> = {};
  for (const f of testFunctions) {
    const random = Array.from({ length: CHECK_POINTS }, () =>
      f.bounds.map(([low, high]) => low + (high - low) * rng.float()),
    );
    points[f.name] = [...f.minimisers.map((x) => [...x]), ...random];
  }
  return points;
}

/** Where our functions and boxes differ from the reference's; empty when they agree. */
function disagreements(points: Record<string, number[][]>, reference: QualityReference): string[] {
  const problems: string[] = [];
  for (const f of testFunctions) {
    const theirs = reference.functions[f.name];
    if (theirs === undefined) {
      problems.push(`${f.name}: missing from the reference`);
      continue;
    }
    if (JSON.stringify(theirs.bounds) !== JSON.stringify(f.bounds)) {
      problems.push(
        `${f.name}: box ${JSON.stringify(theirs.bounds)} in the reference, ours ${JSON.stringify(f.bounds)}`,
      );
    }
    (points[f.name] ?? []).forEach((x, i) => {
      const mine = f.fn(x);
      const other = theirs.values[i];
      if (other === undefined || Math.abs(mine - other) > AGREEMENT * Math.max(1, Math.abs(mine))) {
        problems.push(`${f.name} at (${x.join(', ')}): ours ${mine}, reference ${other}`);
      }
    });
  }
  return problems;
}

/** The best value our tuner finds on `f` in {@link TRIALS} trials with `sampler` and `seed`. */
async function ourBest(f: TestFunction, sampler: 'tpe' | 'random' | Sampler, seed: number): Promise<number> {
  const tuner = new HyperparameterTuner({ direction: 'minimize', sampler, seed });
  await tuner.optimize(
    (trial) => f.fn(f.bounds.map(([low, high], i) => trial.suggestFloat(`x${i}`, low, high))),
    {
      nTrials: TRIALS,
    },
  );
  return tuner.bestValue;
}

/** The quality table; returns the reasons to fail. */
async function qualitySection(): Promise<string[]> {
  const points = checkPoints();
  const dir = mkdtempSync(join(tmpdir(), 'mlcycle-bench-tuning-'));
  const file = join(dir, 'points.json');
  writeFileSync(file, JSON.stringify(points));
  // Optuna's studies run in their own process meanwhile: nothing in this section is timed.
  const pending = runReference<QualityReference>(['quality', String(SEEDS), String(TRIALS), file]);
  const started = performance.now();
  const ours = new Map<string, { tpe: number; random: number; optuna31?: number }>();
  for (const f of testFunctions) {
    const tpe: number[] = [];
    const random: number[] = [];
    const optuna31: number[] = [];
    for (let seed = 0; seed < SEEDS; seed++) {
      tpe.push(await ourBest(f, 'tpe', seed));
      random.push(await ourBest(f, 'random', seed));
      if (WITH_OPTUNA31)
        optuna31.push(
          await ourBest(f, tpeSampler({ seed, multivariate: false, optuna31Density: true }), seed),
        );
    }
    ours.set(f.name, {
      tpe: median(tpe),
      random: median(random),
      ...(WITH_OPTUNA31 ? { optuna31: median(optuna31) } : {}),
    });
  }
  const oursMs = performance.now() - started;
  const reference = await pending;
  rmSync(dir, { recursive: true, force: true });

  console.log('Search quality');
  console.log(
    `  median best value over seeds 0–${SEEDS - 1}, ${TRIALS} trials, minimising; ours: HyperparameterTuner ` +
      `sampler 'tpe' (defaults) and 'random'; Optuna: TPESampler(seed) (defaults) and RandomSampler(seed)`,
  );
  const failures: string[] = [];
  if (typeof reference === 'string') {
    console.log(`  ${reference}`);
  } else {
    console.log(
      `  Optuna ${reference.versions.optuna} (python ${reference.versions.python}, numpy ${reference.versions.numpy})`,
    );
    const problems = disagreements(points, reference);
    const checked = Object.values(points).reduce((sum, list) => sum + list.length, 0);
    console.log(
      `  the reference computes the same functions over the same boxes (${checked} points, to ${AGREEMENT}): ` +
        `${problems.length === 0 ? 'yes' : 'NO'}`,
    );
    for (const problem of problems) console.log(`    ${problem}`);
    failures.push(...problems.map((problem) => `function mismatch: ${problem}`));
  }
  console.log('');

  let asGood = 0;
  let neverWorse = true;
  const rows = testFunctions.map((f) => {
    const mine = ours.get(f.name)!;
    const theirs = typeof reference === 'string' ? undefined : reference.functions[f.name];
    const tpe = theirs && median(theirs.tpe);
    const random = theirs && median(theirs.random);
    const beatsTpe = tpe === undefined ? undefined : mine.tpe <= tpe;
    const beatsRandom = random === undefined ? undefined : mine.tpe <= random;
    if (beatsTpe) asGood++;
    if (beatsRandom === false) neverWorse = false;
    const verdict = (ok: boolean | undefined) => (ok === undefined ? 'n/a' : ok ? 'yes' : 'no');
    return [
      f.name,
      format(f.optimum),
      format(mine.tpe),
      format(mine.random),
      ...(WITH_OPTUNA31 ? [format(mine.optuna31)] : []),
      format(tpe),
      format(random),
      verdict(beatsTpe),
      verdict(beatsRandom),
    ];
  });
  printTable(
    [
      'function',
      'optimum',
      'ours TPE',
      'ours random',
      ...(WITH_OPTUNA31 ? ['ours TPE, Optuna 3.1 settings'] : []),
      'Optuna TPE',
      'Optuna random',
      'our TPE ≤ Optuna TPE',
      'our TPE ≤ Optuna random',
    ],
    rows,
  );
  console.log(
    `  our ${SEEDS * testFunctions.length * (WITH_OPTUNA31 ? 3 : 2)} studies took ${(oursMs / 1000).toFixed(1)} s`,
  );
  if (typeof reference !== 'string') {
    console.log(
      `\n  at least as good as Optuna TPE on ${asGood}/${testFunctions.length} (target ≥ ${QUALITY_TARGET}); ` +
        `never worse than random: ${neverWorse ? 'yes' : 'no'}`,
    );
    if (asGood < QUALITY_TARGET) {
      missed.push(
        `TPE at least as good as Optuna's on ${asGood}/${testFunctions.length} functions, target ${QUALITY_TARGET}`,
      );
    }
    if (!neverWorse) missed.push("TPE worse than Optuna's random sampler on some function");
  }
  return failures;
}

const CHOICES = ['a', 'b', 'c', 'd'] as const;

/** Per-trial times in milliseconds: wall clock, and this process's CPU time over the same span. */
interface TrialTimes {
  wall: number[];
  cpu: number[];
}

/** The times of each trial of one TPE study on the mixed space, through ask and tell. */
async function ourTrialTimes(trials: number): Promise<TrialTimes> {
  const tuner = new HyperparameterTuner({ direction: 'minimize', sampler: 'tpe', seed: 0 });
  const times: TrialTimes = { wall: [], cpu: [] };
  for (let t = 0; t < trials; t++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    const trial = await tuner.ask();
    let squares = 0;
    for (let i = 0; i < 5; i++) squares += trial.suggestFloat(`x${i}`, -5, 5) ** 2;
    const n = trial.suggestInt('n', 1, 1000, { log: true });
    const k = trial.suggestCategorical('k', CHOICES);
    await tuner.tell(trial, squares + (Math.log10(n) - 1) ** 2 + CHOICES.indexOf(k));
    const cpu = process.cpuUsage(startCpu);
    times.wall.push(performance.now() - start);
    times.cpu.push((cpu.user + cpu.system) / 1000);
  }
  return times;
}

/**
 * Trial windows `[from, to)` of 100 trials around trials 100, 500 and 1,000 that the study reached, and the last 100
 * trials if they are not one of them; the target applies to the window at 1,000, or the last one in a shorter study.
 */
function windows(trials: number): { spans: [number, number][]; targeted: number } {
  const spans = [100, 500, 1_000]
    .filter((center) => center + 50 <= trials)
    .map((center): [number, number] => [center - 50, center + 50]);
  if (spans.at(-1)?.[1] !== trials) spans.push([Math.max(0, trials - 100), trials]);
  const at1000 = spans.findIndex(([from]) => from === 950);
  return { spans, targeted: at1000 >= 0 ? at1000 : spans.length - 1 };
}

const load = () =>
  loadavg()
    .map((v) => v.toFixed(1))
    .join(' ');

/** The speed table; returns the line for a missed target, if any. */
async function overheadSection(): Promise<string | undefined> {
  const loadBefore = load();
  const ours = await ourTrialTimes(OVERHEAD_TRIALS);
  const reference = await runReference<OverheadReference>(['overhead', String(OVERHEAD_TRIALS)]);

  console.log('Sampler overhead');
  console.log(
    `  one TPE study (seed 0) of ${OVERHEAD_TRIALS.toLocaleString('en-US')} trials over 5 floats on [−5, 5], an ` +
      'int on [1, 1000] (log) and a categorical of 4, objective Σx² + (log10 n − 1)² + index(k); the time of a ' +
      'trial, ask to tell, median over the window: wall clock (the target), and CPU time of the process (which ' +
      'other processes competing for the cores inflate less)',
  );
  if (typeof reference === 'string') console.log(`  ${reference}`);
  else console.log(`  Optuna ${reference.versions.optuna} TPESampler(seed=0), defaults`);
  console.log(`  load average (1, 5, 15 min) before ${loadBefore}, after ${load()}\n`);
  const { spans, targeted: targetRow } = windows(OVERHEAD_TRIALS);
  let missed: string | undefined;
  const ms = (value: number | undefined, digits: number) =>
    value === undefined ? 'n/a' : `${value.toFixed(digits)} ms`;
  const times = (ratio: number | undefined) => (ratio === undefined ? 'n/a' : `${ratio.toFixed(1)}×`);
  const rows = spans.map(([from, to], i) => {
    const mine = median(ours.wall.slice(from, to));
    const mineCpu = median(ours.cpu.slice(from, to));
    const theirs = typeof reference === 'string' ? undefined : median(reference.msPerTrial.slice(from, to));
    const theirsCpu =
      typeof reference === 'string' ? undefined : median(reference.cpuMsPerTrial.slice(from, to));
    const ratio = theirs === undefined ? undefined : theirs / mine;
    const targeted = i === targetRow;
    const met = ratio === undefined ? undefined : ratio >= SPEED_TARGET;
    const label = `trials ${from.toLocaleString('en-US')}–${(to - 1).toLocaleString('en-US')}`;
    if (targeted && met === false) missed = `${label}: ${ratio?.toFixed(1)}×, target ≥ ${SPEED_TARGET}×`;
    return [
      label,
      ms(mine, 3),
      ms(theirs, 2),
      times(ratio),
      ms(mineCpu, 3),
      ms(theirsCpu, 2),
      times(theirsCpu === undefined ? undefined : theirsCpu / mineCpu),
      targeted ? `≥ ${SPEED_TARGET}×` : '—',
      targeted ? (met === undefined ? 'n/a' : met ? 'yes' : 'NO') : '—',
    ];
  });
  printTable(
    ['window', 'ours', 'Optuna TPE', 'ratio', 'ours CPU', 'Optuna CPU', 'CPU ratio', 'target', 'met'],
    rows,
  );
  console.log(
    "  ratio: Optuna's time per trial / ours (above 1: we are faster); the target is on wall-clock time",
  );
  return missed;
}

console.log('Tuning benchmark');
console.log(`  node ${process.version} · ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}\n`);
const failures: string[] = [];
const missed: string[] = [];
for (const [i, part] of selected.entries()) {
  if (i > 0) console.log('');
  if (part === 'quality') failures.push(...(await qualitySection()));
  else {
    const line = await overheadSection();
    if (line !== undefined) missed.push(line);
  }
}
if (missed.length > 0) console.log(`\n  target missed:\n    ${missed.join('\n    ')}`);
if (failures.length > 0) {
  console.error(`\n  FAILED:\n    ${failures.join('\n    ')}`);
  process.exitCode = 1;
}
