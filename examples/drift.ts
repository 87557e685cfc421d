/**
 * Drift detection on synthetic market features: which inputs moved, how far, whether the data stayed clean, and
 * when a model's error level changed.
 *
 *   npx tsx examples/drift.ts
 */
import { ADWIN, DriftDetector, PageHinkley, profileReference, Random } from '../src/index.js';

const random = new Random(42);
const DAY = 86_400_000;

/** A day of features: a return, a volatility, a volume, the market regime and the sector traded. */
function day(t: number, calm: boolean) {
  const vol = calm ? 0.01 : 0.025;
  return {
    timestamp: Date.UTC(2024, 0, 1) + t * DAY,
    ret: random.normal(0, vol),
    vol: vol * (1 + 0.1 * random.normal()),
    volume: Math.round(1e6 * Math.exp(random.normal(calm ? 0 : 0.3, 0.2))),
    regime: calm ? 'calm' : random.float() < 0.7 ? 'stressed' : 'calm',
    sector: ['tech', 'energy', 'health'][random.int(0, 2)] ?? 'tech',
  };
}

const reference = Array.from({ length: 2000 }, (_, t) => day(t, true));
// The first 300 days are like the reference; then volatility doubles and volumes rise.
const current = Array.from({ length: 600 }, (_, t) => day(2000 + t, t < 300));

// 1. Batch detection: one test per column, chosen as Evidently chooses it.
const detector = new DriftDetector({ reference, exclude: ['timestamp'] });
detector.on('drift', (f) => console.log(`drift event: ${f.column} (${f.test} = ${f.statistic.toFixed(3)})`));
const report = await detector.detect(current.slice(300));
console.log(`\n${report.toText()}\n`);

// 2. The days before the change, with p-value tests for the numbers and a minimum effect size, so that neither
// chance nor a tiny shift is called drift.
const strict = new DriftDetector({
  profile: detector.profile,
  tests: { ret: 'ks', vol: 'ks', volume: 'ks' },
  minEffectSize: 0.1,
});
const early = await strict.detect(current.slice(0, 300));
console.log(
  `before the change: drifted ${early.driftedColumns.join(', ') || 'none'}, score ${early.score.toFixed(3)}`,
);

// 3. Drift over time: 100-day windows of the current stream. A distance's noise grows as the window shrinks (the
// Wasserstein distance of 100 rows from their own distribution is about 0.1σ), so small windows get p-value tests,
// corrected for the three numeric columns.
const windowed = new DriftDetector({
  profile: detector.profile,
  tests: { ret: 'ks', vol: 'ks', volume: 'ks' },
  correction: 'holm',
});
const windows = await windowed.detectWindows(current, { durationMs: 100 * DAY });
for (const w of windows) {
  const from = new Date(w.startTime).toISOString().slice(0, 10);
  console.log(
    `${from}  score ${w.report.score.toFixed(3)}  drifted: ${w.report.driftedColumns.join(', ') || '-'}`,
  );
}

// 4. The reference as a JSON profile: store it, restore it, merge shards of it.
const profile = profileReference(reference.slice(0, 1000), { exclude: ['timestamp'] });
const restored = new DriftDetector({ profile: JSON.parse(JSON.stringify(profile)) });
console.log(`\nrestored profile: ${Object.keys(restored.profile.columns).join(', ')}`);

// 5. Concept drift: a model's absolute error jumps when the regime changes; ADWIN and Page–Hinkley notice.
// ADWIN's bound is for values in [0, 1]: the error is fed as a share of a 5% move, capped at 1.
const adwin = new ADWIN();
const pageHinkley = new PageHinkley();
for (let t = 0; t < 4000; t++) {
  const error = Math.min(1, Math.abs(random.normal(0, t < 2000 ? 0.01 : 0.02)) / 0.05);
  if (adwin.update(error).drift) console.log(`ADWIN: the error level changed at update ${t}`);
  if (pageHinkley.update(error).drift) console.log(`Page–Hinkley: the error level changed at update ${t}`);
}
