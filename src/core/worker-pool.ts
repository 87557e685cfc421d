import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { z } from 'zod';
import type { WorkerFailure, WorkerReply, WorkerRequest } from '../worker.js';
import { ERROR_CODES, type ErrorCode, MlcycleError } from './errors.js';
import { parseOptions } from './options.js';

/** A named export of a user module, called in a worker thread with each input. */
export interface ModuleTask {
  /** The module to import: a `file:` URL or an absolute path. */
  module: string;
  /** The name of the function export to call; it may return a promise. */
  name: string;
}

/** What the workers run: a built-in task's name (registered in `src/worker.ts`) or a user module's export. */
export type WorkerTask = string | ModuleTask;

/** Options for {@link runInWorkers}. */
export interface RunInWorkersOptions {
  /**
   * How many worker threads to start, never more than there are inputs.
   * @defaultValue `min(os.availableParallelism(), inputs.length)`
   */
  workers?: number;
  /** Cancels the run: pending jobs are dropped, the workers terminated and the promise rejects with `ABORTED`. */
  signal?: AbortSignal;
}

const optionsSchema = z.strictObject({
  workers: z.number().int().min(1).optional(),
  signal: z.instanceof(AbortSignal).optional(),
});

// In the source tree (tests) this file is TypeScript: the worker entry is ../worker.ts and needs tsx. Node 20
// ignores `--import` in a worker's execArgv, so a small bootstrap registers tsx inside the worker instead.
// Built, this code sits in a file directly under dist/, next to worker.js and worker.cjs.
const TSX_BOOTSTRAP = `const { workerData } = require('node:worker_threads');
import(workerData.tsx).then((tsx) => { tsx.register(); return import(workerData.entry); });`;

function startWorker(): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    // `require.resolve` picks tsx's CJS API; its ESM twin beside it is the one whose register() works here.
    // (import.meta.resolve would do, but esbuild empties import.meta in the CJS build and warns.)
    const tsx = pathToFileURL(createRequire(here).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
    const workerData = { tsx, entry: new URL('../worker.ts', here).href };
    return new Worker(TSX_BOOTSTRAP, { eval: true, workerData } satisfies WorkerOptions);
  }
  return new Worker(new URL(here.endsWith('.cjs') ? './worker.cjs' : './worker.js', here));
}

function normaliseTask(task: WorkerTask): WorkerTask {
  if (typeof task === 'string') return task;
  const { module, name } = task;
  if (module.startsWith('file:')) return { module, name };
  if (isAbsolute(module)) return { module: pathToFileURL(module).href, name };
  throw new MlcycleError(
    'INVALID_ARGUMENT',
    `Worker task module must be a file: URL or an absolute path, received "${module}"`,
  );
}

function fromFailure(failure: WorkerFailure, index: number): MlcycleError {
  const cause = Object.assign(new Error(failure.message), { name: failure.name });
  if (failure.stack !== undefined) cause.stack = failure.stack;
  const details = { ...failure.details, inputIndex: index };
  if ((ERROR_CODES as readonly string[]).includes(failure.code ?? '')) {
    return new MlcycleError(failure.code as ErrorCode, failure.message, { details, cause });
  }
  // Job code failed in a way mlcycle cannot classify; the original error is kept as `cause`.
  const message = `Worker job for inputs[${index}] failed: ${failure.name}: ${failure.message}`;
  return new MlcycleError('UNSUPPORTED', message, { details, cause });
}

/**
 * Runs `task` on every input in worker threads and resolves to the outputs in input order — the same array a
 * serial `inputs.map` would give. Each worker takes one job at a time from a shared queue. The first failure
 * rejects the run with an {@link MlcycleError} (keeping the job's code when it threw an `MlcycleError`, else
 * `UNSUPPORTED`, with the original error as `cause` and the failing input's index as `details.inputIndex`).
 * All workers are terminated before the promise settles. Inputs and outputs must be structured-cloneable.
 *
 * Internal: modules import it from `src/core/worker-pool.ts`; it is not part of the public API.
 *
 * @throws MlcycleError `INVALID_ARGUMENT` (synchronously) for malformed options or a relative module path.
 */
export function runInWorkers<I, O>(
  task: WorkerTask,
  inputs: readonly I[],
  options: RunInWorkersOptions = {},
): Promise<O[]> {
  const { workers, signal } = parseOptions(optionsSchema, options, 'runInWorkers options');
  const normalised = normaliseTask(task);
  const aborted = () => new MlcycleError('ABORTED', 'Worker jobs were aborted', { cause: signal?.reason });
  if (signal?.aborted) return Promise.reject(aborted());
  if (inputs.length === 0) return Promise.resolve([]);
  const count = Math.min(workers ?? availableParallelism(), inputs.length);

  return new Promise<O[]>((resolve, reject) => {
    const results = new Array<O>(inputs.length);
    const pool: Worker[] = [];
    let next = 0;
    let done = 0;
    let settled = false;
    const finish = (error?: MlcycleError): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void Promise.allSettled(pool.map((worker) => worker.terminate())).then(() =>
        error === undefined ? resolve(results) : reject(error),
      );
    };
    const onAbort = (): void => finish(aborted());
    const dispatch = (worker: Worker): void => {
      if (settled || next >= inputs.length) return;
      const id = next++;
      try {
        worker.postMessage({ id, task: normalised, input: inputs[id] } satisfies WorkerRequest);
      } catch (error) {
        const message = `inputs[${id}] cannot be sent to a worker thread: ${(error as Error).message}`;
        finish(new MlcycleError('INVALID_ARGUMENT', message, { details: { inputIndex: id }, cause: error }));
      }
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    for (let i = 0; i < count && !settled; i++) {
      const worker = startWorker();
      pool.push(worker);
      worker.on('message', (reply: WorkerReply) => {
        if (settled) return;
        if (!reply.ok) return finish(fromFailure(reply.error, reply.id));
        results[reply.id] = reply.output as O;
        if (++done === inputs.length) finish();
        else dispatch(worker);
      });
      worker.on('error', (error) => {
        finish(new MlcycleError('UNSUPPORTED', `A worker thread failed: ${error.message}`, { cause: error }));
      });
      worker.on('exit', (code) => {
        finish(
          new MlcycleError(
            'UNSUPPORTED',
            `A worker thread exited with code ${code} before its jobs were done`,
          ),
        );
      });
      dispatch(worker);
    }
  });
}
