/**
 * The program each worker thread of `runInWorkers` (src/core/worker-pool.ts) runs. It answers
 * `{ id, task, input }` messages one at a time with `{ id, ok: true, output }` or `{ id, ok: false, error }`.
 *
 * @module
 */
import { parentPort } from 'node:worker_threads';
import { MlcycleError } from './core/errors.js';
import type { WorkerTask } from './core/worker-pool.js';

/** A job's failure as a worker reports it (an `Error` flattened for `postMessage`). */
export interface WorkerFailure {
  /** The error's `name`. */
  name: string;
  /** The error's `message`. */
  message: string;
  /** The `MlcycleError` code, when the job threw an `MlcycleError`. */
  code?: string;
  /** The `MlcycleError` details, when it had any. */
  details?: Record<string, unknown>;
  /** The stack trace inside the worker. */
  stack?: string;
}

/** A message from the pool to a worker: run `task` on `input` and reply with the same `id`. */
export interface WorkerRequest {
  /** The input's index, echoed in the reply. */
  id: number;
  /** The task to run. */
  task: WorkerTask;
  /** The job's input. */
  input: unknown;
}

/** A worker's reply to a {@link WorkerRequest}. */
export type WorkerReply = WorkerSuccess | WorkerError;

/** A worker's reply when the job succeeded. */
export interface WorkerSuccess {
  /** The request's `id`. */
  id: number;
  /** Always `true`. */
  ok: true;
  /** What the job returned (awaited). */
  output: unknown;
}

/** A worker's reply when the job failed. */
export interface WorkerError {
  /** The request's `id`. */
  id: number;
  /** Always `false`. */
  ok: false;
  /** The job's error, flattened. */
  error: WorkerFailure;
}

/** One job's work: takes an input, returns (or resolves to) a structured-cloneable output. */
type JobFunction = (input: unknown) => unknown;

/** Built-in tasks by name. Each entry imports its module lazily, so a worker loads only the tasks it runs. */
const builtInTasks: Readonly<Record<string, () => Promise<JobFunction>>> = {
  'backtest.sweep': () => import('./backtest/sweep-job.js').then((m) => m.runSweepJob as JobFunction),
  'drift.columns': () => import('./drift/column-job.js').then((m) => m.measureColumns as JobFunction),
  'trees.histograms': () =>
    import('./models/trees/histogram-team.js').then((m) => m.serveHistograms as JobFunction),
  'trees.forest': () =>
    import('./models/trees/forest-train.js').then((m) => m.growForestTrees as JobFunction),
};

const loaded = new Map<string, Promise<JobFunction>>();

async function loadExport(task: Exclude<WorkerTask, string>): Promise<JobFunction> {
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(task.module)) as Record<string, unknown>;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new MlcycleError('NOT_FOUND', `Worker task module ${task.module} was not found`, { cause: error });
  }
  const job = namespace[task.name];
  if (typeof job !== 'function') {
    throw new MlcycleError(
      'NOT_FOUND',
      `Worker task module ${task.module} has no function export named "${task.name}"`,
    );
  }
  return job as JobFunction;
}

function loadTask(task: WorkerTask): Promise<JobFunction> {
  const key = typeof task === 'string' ? task : `${task.module}#${task.name}`;
  let job = loaded.get(key);
  if (job === undefined) {
    if (typeof task !== 'string') job = loadExport(task);
    else {
      const load = Object.hasOwn(builtInTasks, task) ? builtInTasks[task] : undefined;
      job =
        load?.() ??
        Promise.reject(
          new MlcycleError('NOT_FOUND', `Unknown built-in worker task "${task}"`, {
            details: { known: Object.keys(builtInTasks) },
          }),
        );
    }
    loaded.set(key, job);
  }
  return job;
}

function toFailure(error: unknown): WorkerFailure {
  if (typeof error !== 'object' || error === null) return { name: 'Error', message: String(error) };
  const { name, message, stack } = error as { name?: unknown; message?: unknown; stack?: unknown };
  const failure: WorkerFailure = {
    name: typeof name === 'string' ? name : 'Error',
    message: typeof message === 'string' ? message : String(error),
  };
  if (typeof stack === 'string') failure.stack = stack;
  if (MlcycleError.is(error)) {
    failure.code = error.code;
    if (error.details !== undefined) failure.details = error.details;
  }
  return failure;
}

function send(reply: WorkerReply): void {
  try {
    parentPort?.postMessage(reply);
  } catch (error) {
    // The output (or the error's details) could not be structured-cloned: report that instead.
    const failure = toFailure(
      new MlcycleError(
        'UNSUPPORTED',
        `Worker job result cannot be sent back to the main thread: ${toFailure(error).message}`,
      ),
    );
    parentPort?.postMessage({ id: reply.id, ok: false, error: failure } satisfies WorkerReply);
  }
}

parentPort?.on('message', async ({ id, task, input }: WorkerRequest) => {
  try {
    const job = await loadTask(task);
    send({ id, ok: true, output: await job(input) });
  } catch (error) {
    send({ id, ok: false, error: toFailure(error) });
  }
});
