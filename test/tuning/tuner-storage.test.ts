import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { JournalStorage } from '../../src/storage/journal.js';
import { MemoryStorage } from '../../src/storage/memory.js';
import { randomSampler } from '../../src/tuning/samplers/random.js';
import { HyperparameterTuner } from '../../src/tuning/tuner.js';
import { rejection } from '../helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./tuner-crash-child.ts', import.meta.url));
const dirs: string[] = [];

afterEach(async () => {
  for (const dir of dirs.splice(0)) await fs.rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mlcycle-tuning-'));
  dirs.push(dir);
  return dir;
}

/** Runs the crash child until it prints that its fourth trial hangs, then kills it with SIGKILL. */
async function runAndKill(dir: string): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const safety = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const hung = await new Promise<boolean>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('hanging')) resolve(true);
    });
    child.on('close', () => resolve(false));
  });
  child.kill('SIGKILL');
  await new Promise((resolve) => child.on('close', resolve));
  clearTimeout(safety);
  expect(hung, `the child exited before hanging: ${stderr}`).toBe(true);
}

describe('HyperparameterTuner in a Storage', () => {
  it('continues a study re-opened by name, numbering trials after the stored ones', async () => {
    const storage = new MemoryStorage();
    const first = new HyperparameterTuner({ storage, studyName: 's', sampler: randomSampler() });
    await first.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 4 });
    const second = new HyperparameterTuner({ storage, studyName: 's', sampler: randomSampler() });
    await second.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 3 });
    expect(second.trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(second.trials.slice(0, 4)).toEqual(first.trials);
    // The same seed and trial numbers give the same values as one tuner running all seven trials.
    const alone = new HyperparameterTuner({ sampler: randomSampler() });
    await alone.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 7 });
    expect(second.trials.map((t) => t.params)).toEqual(alone.trials.map((t) => t.params));
  });

  it('refuses to continue a study with other directions, or at all without loadIfExists', async () => {
    const storage = new MemoryStorage();
    await new HyperparameterTuner({ storage, studyName: 's' }).load();
    expect(
      (await rejection(new HyperparameterTuner({ storage, studyName: 's', direction: 'maximize' }).load()))
        .message,
    ).toBe('study "s" was created with directions [minimize], not [maximize]');
    const strict = await rejection(
      new HyperparameterTuner({ storage, studyName: 's', loadIfExists: false }).load(),
    );
    expect(strict.code).toBe('CONFLICT');
    expect(strict.message).toBe(
      'study "s" already exists in the storage; pass loadIfExists: true to continue it or choose another studyName',
    );
  });

  it('shares one study between tuners working at the same time, each trial number used once', async () => {
    const storage = new MemoryStorage();
    const tuners = [0, 1, 2].map(
      () => new HyperparameterTuner({ storage, studyName: 'shared', sampler: randomSampler() }),
    );
    await Promise.all(
      tuners.map((tuner) =>
        tuner.optimize(
          async (t) => {
            await new Promise((r) => setTimeout(r, 1));
            return t.suggestFloat('x', 0, 1);
          },
          { nTrials: 5 },
        ),
      ),
    );
    const reader = await new HyperparameterTuner({ storage, studyName: 'shared' }).load();
    expect(reader.trials.map((t) => t.number)).toEqual([...Array(15).keys()]);
    expect(reader.trials.every((t) => t.state === 'COMPLETE')).toBe(true);
    for (const tuner of tuners) await tuner.load();
    expect(tuners[0]?.trials).toEqual(reader.trials);
  });

  it('claims each enqueued trial once when several tuners start together', async () => {
    const storage = new MemoryStorage();
    const owner = new HyperparameterTuner({ storage, studyName: 'q', sampler: randomSampler() });
    for (let i = 0; i < 4; i++) await owner.enqueueTrial({ x: i / 10 });
    const tuners = [0, 1].map(
      () => new HyperparameterTuner({ storage, studyName: 'q', sampler: randomSampler() }),
    );
    await Promise.all(
      tuners.map((t) => t.optimize((trial) => trial.suggestFloat('x', 0, 1), { nTrials: 2 })),
    );
    await owner.load();
    expect(owner.trials.map((t) => t.params.x)).toEqual([0, 0.1, 0.2, 0.3]);
  });

  it('marks FAIL a running trial whose heartbeat stopped, and retries it when asked to', async () => {
    const storage = new MemoryStorage();
    const clock = new ManualClock(1_000);
    const options = { storage, studyName: 'hb', sampler: randomSampler(), clock, heartbeatIntervalMs: 100 };
    const dead = new HyperparameterTuner(options);
    const orphan = await dead.ask();
    orphan.suggestFloat('x', 0, 1);
    await dead.close();
    const alive = new HyperparameterTuner({ ...options, retryFailedTrials: 1 });
    clock.advance(150);
    await alive.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 1 });
    expect(alive.trials.map((t) => t.state)).toEqual(['RUNNING', 'COMPLETE']);
    clock.advance(100);
    await alive.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 1 });
    const [failed, , retry] = alive.trials;
    expect(failed?.state).toBe('FAIL');
    expect(failed?.systemAttrs.fail_reason).toBe(
      'no heartbeat for more than 200 ms; its process is taken as dead',
    );
    expect(retry?.params).toEqual(failed?.params);
    expect(retry?.systemAttrs.failed_trial).toBe(0);
    expect(retry?.systemAttrs.retry_history).toEqual([0]);
  });

  it('after its process is killed mid-trial, the study continues and the dead trial is failed and retried', async () => {
    const dir = await tempDir();
    await runAndKill(dir);
    const storage = await JournalStorage.open({ dir });
    try {
      const tuner = new HyperparameterTuner({
        storage,
        studyName: 'crash',
        sampler: randomSampler({ seed: 3 }),
        heartbeatIntervalMs: 50,
        retryFailedTrials: 1,
      });
      await tuner.load();
      expect(tuner.trials.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE', 'RUNNING']);
      await new Promise((r) => setTimeout(r, 250));
      await tuner.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 2 });
      const trials = tuner.trials;
      expect(trials.map((t) => t.state)).toEqual([
        'COMPLETE',
        'COMPLETE',
        'COMPLETE',
        'FAIL',
        'COMPLETE',
        'COMPLETE',
      ]);
      expect(trials[4]?.params).toEqual(trials[3]?.params);
      await tuner.close();
    } finally {
      await storage.close();
    }
  });
});
