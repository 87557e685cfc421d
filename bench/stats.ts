/**
 * Statistics speed: `ks2Sample` and `wasserstein` on two samples of 1,000,000 normals and `rocAuc` on 1,000,000
 * scored labels, beside scipy.stats.ks_2samp, scipy.stats.wasserstein_distance and sklearn's roc_auc_score run on
 * the very same numbers (written to a temp file and timed by `bench/reference/stats.py` under Debian's python3) in
 * the same run. Prints medians and the ratio reference / ours (above 1: we are faster), and checks that both sides
 * computed the same value.
 *
 * Run: `npm run bench` (or `tsx bench/stats.ts [--quick]`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Random } from '../src/core/random.js';
import { rocAuc } from '../src/metrics/roc-auc.js';
import { ks2Sample } from '../src/stats/ks.js';
import { wasserstein } from '../src/stats/wasserstein.js';
import { timed } from './lib/timing.js';

const quick = process.argv.includes('--quick');
const N = 1_000_000;
const RUNS = quick ? 3 : 7;
const PYTHON = '/usr/bin/python3';

const rng = new Random(2026);
const a = new Float64Array(N).map(() => rng.normal());
const b = new Float64Array(N).map(() => rng.normal(0.01, 1.02));
const labels = new Float64Array(N).map(() => (rng.float() < 0.3 ? 1 : 0));
// Scores rounded to 3 decimals, so that ties are plentiful as they are with real model outputs.
const scores = labels.map((y) => Math.round((rng.normal(y * 0.8) + 5) * 1000) / 1000);

const ours = {
  ks2Sample: timed(() => ks2Sample(a, b), RUNS),
  rocAuc: timed(() => rocAuc(labels, scores), RUNS),
  wasserstein: timed(() => wasserstein(a, b), RUNS),
};

let reference: Record<string, { ms: number; value: number; pValue?: number }> | undefined;
let referenceNote = '';
if (existsSync(PYTHON)) {
  const dir = mkdtempSync(join(tmpdir(), 'mlcycle-bench-stats-'));
  try {
    for (const [name, data] of Object.entries({ a, b, labels, scores })) {
      writeFileSync(join(dir, `${name}.f64`), Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    }
    const script = fileURLToPath(new URL('./reference/stats.py', import.meta.url));
    reference = JSON.parse(execFileSync(PYTHON, [script, dir, String(RUNS)], { encoding: 'utf8' }));
  } catch (error) {
    referenceNote = `reference not measured: ${(error as Error).message.split('\n')[0]}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  referenceNote = `reference not measured: ${PYTHON} not found (apt-get install python3-scipy python3-sklearn)`;
}

console.log('Statistics benchmark');
console.log(
  `  node ${process.version} · ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'} · n = ${N.toLocaleString('en-US')}`,
);
console.log(
  `  median of ${RUNS} runs after one warm-up; ratio = reference time / our time (above 1: faster)`,
);
if (referenceNote) console.log(`  ${referenceNote}`);
console.log('');
console.log(
  '| function    | reference                        | reference ms | ours ms | ratio  | same value |',
);
console.log(
  '|-------------|----------------------------------|-------------:|--------:|-------:|:----------:|',
);
const names = {
  ks2Sample: 'scipy.stats.ks_2samp',
  rocAuc: 'sklearn roc_auc_score',
  wasserstein: 'scipy.stats.wasserstein_distance',
} as const;
for (const [key, label] of Object.entries(names) as [keyof typeof names, string][]) {
  const mine = ours[key];
  const value = typeof mine.value === 'number' ? mine.value : mine.value.statistic;
  const ref = reference?.[key];
  const same =
    ref === undefined
      ? 'n/a'
      : Math.abs(ref.value - value) <= 1e-9 * Math.max(1, Math.abs(ref.value))
        ? 'yes'
        : `NO (${ref.value})`;
  console.log(
    `| ${key.padEnd(11)} | ${label.padEnd(32)} | ${(ref ? ref.ms.toFixed(1) : 'n/a').padStart(12)} | ${mine.ms.toFixed(1).padStart(7)} | ${(ref ? `${(ref.ms / mine.ms).toFixed(2)}×` : 'n/a').padStart(6)} | ${same.padStart(10)} |`,
  );
}
if (reference?.ks2Sample?.pValue !== undefined) {
  console.log(
    `\n  ks2Sample p-value: ours ${ours.ks2Sample.value.pValue}, scipy ${reference.ks2Sample.pValue}`,
  );
}
