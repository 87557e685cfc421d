import { z } from 'zod';
import { MlcycleError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';

/** Options of the tree models' multi-threaded fits. */
export interface ParallelOptions {
  /** Worker threads to use; 1 fits on this thread. @defaultValue the number of CPUs (`os.availableParallelism()`) */
  workers?: number;
  /** Cancels the fit: it rejects with `ABORTED` and the model keeps its previous state. */
  signal?: AbortSignal;
}

const schema = z.strictObject({
  workers: z.number().int().min(1).optional(),
  signal: z.instanceof(AbortSignal).optional(),
});

/** Checks the options of a multi-threaded fit and throws `ABORTED` when its signal has already fired. */
export function parseParallel(options: ParallelOptions): z.output<typeof schema> {
  const o = parseOptions(schema, options, 'fitAsync options');
  throwIfAborted(o.signal);
  return o;
}

/** Throws `ABORTED` when `signal` has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new MlcycleError('ABORTED', 'The fit was aborted', { cause: signal.reason });
}

type Pool = typeof import('../../core/worker-pool.js');

/** The worker pool, or null where `worker_threads` cannot be loaded (browsers); imported only when needed. */
export async function loadPool(): Promise<{ pool: Pool; cpus: number } | null> {
  try {
    const [pool, os] = await Promise.all([import('../../core/worker-pool.js'), import('node:os')]);
    return { pool, cpus: os.availableParallelism() };
  } catch {
    return null;
  }
}

/**
 * Runs `local` over `items` split into chunks on worker threads (the built-in task `task`, which must compute what
 * `local` does) and returns the outputs in item order; on this thread when one worker is asked for or threads are
 * unavailable. Items are dealt round-robin to 4 chunks per worker, which evens out items of unequal cost.
 */
export async function inWorkers<I, O>(
  task: string,
  items: readonly number[],
  input: (chunk: number[]) => I,
  local: (input: I) => O[],
  options: ParallelOptions,
): Promise<O[]> {
  const o = parseParallel(options);
  const loaded = o.workers === 1 ? null : await loadPool();
  const workers = Math.min(o.workers ?? loaded?.cpus ?? 1, items.length);
  if (loaded === null || workers <= 1) return local(input([...items]));
  const chunkCount = Math.min(items.length, workers * 4);
  const chunks = Array.from({ length: chunkCount }, (_, c) => items.filter((_, i) => i % chunkCount === c));
  const runOptions = o.signal === undefined ? { workers } : { workers, signal: o.signal };
  const results = await loaded.pool.runInWorkers<I, O[]>(task, chunks.map(input), runOptions);
  const out = new Array<O>(items.length);
  results.forEach((chunk, c) => {
    chunk.forEach((value, j) => {
      out[j * chunkCount + c] = value;
    });
  });
  return out;
}

/** A copy of `array` in shared memory, so that worker threads read it without each receiving a copy. */
export function shared(array: Uint8Array): Uint8Array {
  if (typeof SharedArrayBuffer === 'undefined') return array;
  const copy = new Uint8Array(new SharedArrayBuffer(array.length));
  copy.set(array);
  return copy;
}
