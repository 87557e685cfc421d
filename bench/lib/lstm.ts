/**
 * The LSTM section of the models benchmark: one training epoch over the same 2,000 sequences of 30 steps × 8
 * features on TensorFlow.js's wasm backend beside its pure-JS cpu backend, in the same process. Each backend trains
 * a fresh, identically seeded network for `1 + runs` epochs; the first epoch (kernel compilation, first-use
 * allocations) is left out and the median of the rest is printed.
 */
import { Random } from '../../src/core/random.js';
import { type LstmBackendName, lstm } from '../../src/models/lstm/index.js';
import { median } from './timing.js';

const SEQUENCES = 2_000;
const STEPS = 30;
const FEATURES = 8;

/** Options of {@link lstmSection}. */
export interface LstmSectionOptions {
  /** Timed epochs per backend, after one warm-up epoch. @defaultValue 3 */
  runs?: number;
}

/** One backend's figure. */
export interface LstmSectionRow {
  /** The backend asked for. */
  requested: LstmBackendName;
  /** The backend that ran (differs when the wasm backend could not start). */
  backend: LstmBackendName | undefined;
  /** Median milliseconds per epoch. */
  ms: number;
}

/** Trains on `backend` and returns the median epoch time, leaving out the first epoch. */
async function epochMs(
  backend: LstmBackendName,
  runs: number,
  X: number[][],
  y: number[],
): Promise<LstmSectionRow> {
  const model = lstm(
    { task: 'classification', lookback: STEPS, units: 32, epochs: runs + 1, validationShare: 0, seed: 1 },
    { backend },
  );
  await model.fit(X, y);
  const times = model.history.slice(1).map((e) => e.durationMs);
  model.dispose();
  return { requested: backend, backend: model.backend, ms: median(times) };
}

/** Runs the LSTM benchmark, prints its table and returns its rows. */
export async function lstmSection(options: LstmSectionOptions = {}): Promise<LstmSectionRow[]> {
  const runs = options.runs ?? 3;
  const rng = new Random(42);
  // 2,000 windows of 30 rows need 2,029 rows; the label is whether the next feature-0 value is positive.
  const X = Array.from({ length: SEQUENCES + STEPS - 1 }, () =>
    Array.from({ length: FEATURES }, () => rng.normal()),
  );
  const y = X.map((_, t) => ((X[t + 1]?.[0] ?? 0) > 0 ? 1 : 0));
  const rows = [await epochMs('wasm', runs, X, y), await epochMs('cpu', runs, X, y)];
  const [wasm, cpu] = rows as [LstmSectionRow, LstmSectionRow];

  console.log(
    `LSTM: one epoch, ${SEQUENCES.toLocaleString('en-US')} sequences of ${STEPS}×${FEATURES}, 32 units, batch 32 · median of ${runs} epochs after a warm-up`,
  );
  console.log('');
  console.log('| backend        | ms / epoch | sequences / s |');
  console.log('|----------------|-----------:|--------------:|');
  for (const row of rows) {
    const name = row.backend === row.requested ? row.requested : `${row.requested} → ${row.backend}`;
    const rate = (SEQUENCES / row.ms) * 1000;
    console.log(
      `| ${name.padEnd(14)} | ${row.ms.toFixed(0).padStart(10)} | ${rate.toFixed(0).padStart(13)} |`,
    );
  }
  console.log(`\n  wasm vs cpu: ${(cpu.ms / wasm.ms).toFixed(2)}× (above 1: wasm faster)`);
  return rows;
}
