/**
 * A tuning process for the crash test: runs a stored study whose fourth trial never finishes, prints a line when it
 * starts hanging, and waits to be killed.
 */
import { JournalStorage } from '../../src/storage/journal.js';
import { randomSampler } from '../../src/tuning/samplers/random.js';
import { HyperparameterTuner } from '../../src/tuning/tuner.js';

const dir = process.argv[2] as string;
const storage = await JournalStorage.open({ dir });
const tuner = new HyperparameterTuner({
  storage,
  studyName: 'crash',
  sampler: randomSampler({ seed: 3 }),
  heartbeatIntervalMs: 50,
});
await tuner.optimize(
  async (trial) => {
    const x = trial.suggestFloat('x', 0, 1);
    if (trial.number === 3) {
      // Parameters are written behind; give the write and a few heartbeats time to land, as a long fit would.
      await new Promise((resolve) => setTimeout(resolve, 200));
      process.stdout.write('hanging\n');
      await new Promise(() => undefined);
    }
    return x;
  },
  { nTrials: 10 },
);
