import { threadId } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { runInWorkers } from '../../src/core/worker-pool.js';
import { expectInvalid, rejection } from '../helpers.js';
import * as jobs from './fixtures/jobs.js';

const fixture = new URL('./fixtures/jobs.ts', import.meta.url);
const job = (name: keyof typeof jobs) => ({ module: fixture.href, name });

/** Handles that a worker thread adds to the process while it runs. */
function workerResources(): number {
  return process.getActiveResourcesInfo().filter((name) => /Worker|MessagePort/.test(name)).length;
}

const baseline = workerResources();
afterEach(() => {
  expect(workerResources()).toBe(baseline);
});

describe('runInWorkers', () => {
  const inputs = Array.from({ length: 23 }, (_, i) => i);

  it.each([1, 2, 4])(
    'returns outputs in input order, equal to the serial results, with %i worker(s)',
    async (workers) => {
      const serial = await Promise.all(inputs.map((x) => jobs.slowSummary(x)));
      const parallel = await runInWorkers(job('slowSummary'), inputs, { workers });
      expect(parallel).toEqual(serial);
      expect(parallel[7]).toEqual({ x: 7, root: Math.sqrt(7), label: '#7' });
    },
  );

  it('calls synchronous exports and accepts an absolute path as well as a file: URL', async () => {
    const squares = await runInWorkers<number, number>(
      { module: fixture.pathname, name: 'square' },
      [3, -2, 0.5],
    );
    expect(squares).toEqual([9, 4, 0.25]);
  });

  it('spreads jobs over exactly the requested number of threads, none of them the main thread', async () => {
    const out = await runInWorkers<number, { x: number; threadId: number }>(
      job('whichThread'),
      inputs.slice(0, 8),
      {
        workers: 4,
      },
    );
    expect(out.map((o) => o.x)).toEqual(inputs.slice(0, 8));
    const threads = new Set(out.map((o) => o.threadId));
    expect(threads.size).toBe(4);
    expect(threads.has(threadId)).toBe(false);
  });

  it('starts no more threads than there are inputs', async () => {
    const out = await runInWorkers<number, { threadId: number }>(job('whichThread'), [1, 2], { workers: 8 });
    expect(new Set(out.map((o) => o.threadId)).size).toBe(2);
  });

  it('returns [] for no inputs without starting a thread', async () => {
    const pending = runInWorkers(job('square'), []);
    expect(workerResources()).toBe(baseline);
    expect(await pending).toEqual([]);
  });

  it('holds worker handles while running and releases every one when done', async () => {
    const pending = runInWorkers(job('wait'), [50, 50, 50], { workers: 3 });
    expect(workerResources()).toBeGreaterThan(baseline);
    expect(await pending).toEqual([50, 50, 50]);
    expect(workerResources()).toBe(baseline);
  });

  it('rejects with the job’s MlcycleError code, message and details, and the input index', async () => {
    const error = await rejection(runInWorkers(job('failOnThree'), [1, 2, 3, 4, 5], { workers: 2 }));
    expect(error.code).toBe('INSUFFICIENT_DATA');
    expect(error.message).toBe('need at least 4 rows, received 3');
    expect(error.details).toEqual({ rows: 3, inputIndex: 2 });
    expect((error.cause as Error).name).toBe('MlcycleError');
  });

  it('wraps a plain error as UNSUPPORTED, keeping its name and message and the original as cause', async () => {
    const error = await rejection(runInWorkers(job('rejectNegative'), [4, 1, -2, 8]));
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toBe(
      'Worker job for inputs[2] failed: TypeError: expected a non-negative number, received -2',
    );
    expect(error.details).toEqual({ inputIndex: 2 });
    expect(error.cause).toBeInstanceOf(Error);
    expect((error.cause as Error).name).toBe('TypeError');
    expect((error.cause as Error).stack).toContain('jobs.ts');
  });

  it('reports a missing module or export as NOT_FOUND', async () => {
    const missing = new URL('./fixtures/absent.ts', import.meta.url).href;
    const noModule = await rejection(runInWorkers({ module: missing, name: 'square' }, [1]));
    expect(noModule.code).toBe('NOT_FOUND');
    expect(noModule.message).toBe(`Worker task module ${missing} was not found`);
    const noExport = await rejection(runInWorkers(job('notAFunction'), [1]));
    expect(noExport.code).toBe('NOT_FOUND');
    expect(noExport.message).toBe(
      `Worker task module ${fixture.href} has no function export named "notAFunction"`,
    );
    const noTask = await rejection(runInWorkers('no.such.task', [1]));
    expect(noTask.code).toBe('NOT_FOUND');
    expect(noTask.message).toBe('Unknown built-in worker task "no.such.task"');
  });

  it('rejects when an output cannot be sent back, or an input cannot be sent', async () => {
    const output = await rejection(runInWorkers(job('returnFunction'), [1]));
    expect(output.code).toBe('UNSUPPORTED');
    expect(output.message).toMatch(
      /^Worker job result cannot be sent back to the main thread: .*could not be cloned/,
    );
    const input = await rejection(runInWorkers(job('square'), [1, () => 2]));
    expect(input.code).toBe('INVALID_ARGUMENT');
    expect(input.message).toMatch(/^inputs\[1\] cannot be sent to a worker thread: .*could not be cloned/);
  });

  it('rejects when a worker thread exits in the middle of a job', async () => {
    const error = await rejection(runInWorkers(job('exitThread'), [1, 2], { workers: 1 }));
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toBe('A worker thread exited with code 7 before its jobs were done');
  });

  it('rejects with ABORTED and stops the workers when the signal fires', async () => {
    const controller = new AbortController();
    const pending = runInWorkers(job('wait'), [10_000, 10_000], { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user cancelled')), 50);
    const started = Date.now();
    const error = await rejection(pending);
    expect(error.code).toBe('ABORTED');
    expect((error.cause as Error).message).toBe('user cancelled');
    expect(Date.now() - started).toBeLessThan(5_000);
    const early = await rejection(runInWorkers(job('square'), [1], { signal: AbortSignal.abort() }));
    expect(early.code).toBe('ABORTED');
  });

  it('rejects malformed options and relative module paths with exact messages', () => {
    expectInvalid(
      () => runInWorkers(job('square'), [1], { workers: 0 }),
      'Invalid runInWorkers options: workers: Too small: expected number to be >=1 (received 0)',
    );
    expectInvalid(
      () => runInWorkers(job('square'), [1], { workers: 1.5 }),
      'Invalid runInWorkers options: workers: Invalid input: expected int, received number (received 1.5)',
    );
    expectInvalid(
      () => runInWorkers(job('square'), [1], { threads: 2 } as never),
      'Invalid runInWorkers options: Unrecognized key: "threads"',
    );
    expectInvalid(
      () => runInWorkers({ module: './fixtures/jobs.ts', name: 'square' }, [1]),
      'Worker task module must be a file: URL or an absolute path, received "./fixtures/jobs.ts"',
    );
  });
});
