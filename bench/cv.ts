/**
 * Cross-validation speed on 1,000,000 observations: purged k-fold with 5-bar label ends and a 1% embargo, CPCV, and
 * expanding walk-forward folds, beside scikit-learn's `TimeSeriesSplit` producing the same expanding folds on the
 * same n (timed by `bench/reference/cv.py` under Debian's python3) in the same run. Prints medians.
 *
 * Run: `npm run bench` (or `tsx bench/cv.ts [--quick]`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { TimeSeriesCV } from '../src/cv/time-series-cv.js';
import { timed } from './lib/timing.js';

const quick = process.argv.includes('--quick');
const N = 1_000_000;
const RUNS = quick ? 3 : 7;
const PYTHON = '/usr/bin/python3';
const labelEnd = Int32Array.from({ length: N }, (_, i) => Math.min(N - 1, i + 5));

const expanding = new TimeSeriesCV({ method: 'expanding', nSplits: 5 });
const purged = new TimeSeriesCV({ method: 'purged-kfold', nSplits: 5, embargo: 0.01 });
const cpcv = new TimeSeriesCV({
  method: 'combinatorial-purged',
  nGroups: 6,
  nTestGroups: 2,
  purge: 5,
  embargo: 100,
});
const rows = [
  { name: 'expanding, 5 folds', ms: timed(() => expanding.split(N), RUNS).ms },
  {
    name: 'purged k-fold, 5 folds, labelEnd + embargo 1%',
    ms: timed(() => purged.split(N, { labelEnd }), RUNS).ms,
  },
  {
    name: 'CPCV N=6 k=2 (15 splits), purge 5, embargo 100',
    ms: timed(() => cpcv.split(N, { labelEnd }), RUNS).ms,
  },
];

let reference: { ms: number; folds: number; testTotal: number } | undefined;
let note = '';
if (existsSync(PYTHON)) {
  try {
    const script = fileURLToPath(new URL('./reference/cv.py', import.meta.url));
    reference = JSON.parse(
      execFileSync(PYTHON, [script, String(N), '5', String(RUNS)], { encoding: 'utf8' }),
    );
  } catch (error) {
    note = `reference not measured: ${(error as Error).message.split('\n')[0]}`;
  }
} else {
  note = `reference not measured: ${PYTHON} not found (apt-get install python3-sklearn)`;
}
const ours = expanding.split(N);
const sameFolds =
  reference &&
  reference.folds === ours.length &&
  reference.testTotal === ours.reduce((a, f) => a + f.test.length, 0);

console.log('Cross-validation benchmark');
console.log(
  `  node ${process.version} · ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'} · n = ${N.toLocaleString('en-US')} · median of ${RUNS} runs`,
);
if (note) console.log(`  ${note}`);
console.log('');
console.log('| split                                           |     ms |');
console.log('|-------------------------------------------------|-------:|');
for (const row of rows) console.log(`| ${row.name.padEnd(47)} | ${row.ms.toFixed(1).padStart(6)} |`);
if (reference) {
  console.log(
    `| ${'sklearn TimeSeriesSplit(5), same n (reference)'.padEnd(47)} | ${reference.ms.toFixed(1).padStart(6)} |`,
  );
  console.log(
    `\n  expanding vs TimeSeriesSplit: ${(reference.ms / (rows[0]?.ms ?? 1)).toFixed(2)}× (above 1: faster); same folds: ${sameFolds ? 'yes' : 'NO'}`,
  );
}
