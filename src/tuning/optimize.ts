import { z } from 'zod';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { type Trial, TrialPruned } from './trial.js';
import type { HyperparameterTuner, TunerProgress } from './tuner.js';
import type { TellResult } from './tuner-checks.js';
import type { FrozenTrial } from './types.js';

/** An error class (or a test) naming objective errors that fail their trial without stopping the study. */
export type CatchRule = (abstract new (...args: never[]) => unknown) | ((error: unknown) => boolean);

/** Options of {@link HyperparameterTuner.optimize}. */
export interface OptimizeOptions<T = HyperparameterTuner> {
  /** How many trials to run in this call (not counting earlier ones); without it, until another limit stops it. */
  nTrials?: number;
  /** Start no new trial after this many milliseconds; running trials finish. */
  timeoutMs?: number;
  /** How many trials run at once (their objectives interleave on this thread at each `await`). @defaultValue 1 */
  concurrency?: number;
  /**
   * Errors that only fail their trial: error classes (`instanceof`) or tests. Any other error fails its trial and
   * is rethrown once running trials finish.
   */
  catch?: readonly CatchRule[];
  /** Called after each finished trial, in order, with the tuner and the trial's record. */
  callbacks?: readonly ((tuner: T, trial: FrozenTrial) => void | Promise<void>)[];
  /**
   * Stops the study: no new trial starts, running trials' `trial.signal` aborts, and `optimize` rejects with
   * `ABORTED` once they have finished (each is stored with the state its objective reached).
   */
  signal?: AbortSignal;
}

const schema = z.strictObject({
  nTrials: z.number().int().positive().optional(),
  timeoutMs: z.number().positive().optional(),
  concurrency: z.number().int().positive().default(1),
  catch: z
    .array(z.custom<CatchRule>((v) => typeof v === 'function', 'expected a class or a function'))
    .default([]),
  callbacks: z
    .array(z.custom<(t: unknown, trial: FrozenTrial) => void>((v) => typeof v === 'function'))
    .default([]),
  signal: z.instanceof(AbortSignal).optional(),
});

/** What the loop needs from the tuner beyond its public methods. */
export interface OptimizeHooks {
  ask(signal: AbortSignal): Promise<Trial>;
  /** Records why a trial's objective failed, before it is told `FAIL`. */
  failed(trial: Trial, error: unknown): void;
  stopped(): boolean;
  bestValue(): number | undefined;
}

function caught(rules: readonly CatchRule[], error: unknown): boolean {
  return rules.some((rule) => {
    // A class's prototype is not writable; an arrow function has none and a plain function's is writable.
    const isClass = Object.getOwnPropertyDescriptor(rule, 'prototype')?.writable === false;
    return isClass
      ? error instanceof (rule as abstract new (...args: never[]) => unknown)
      : (rule as (e: unknown) => boolean)(error);
  });
}

/** The loop of {@link HyperparameterTuner.optimize}. */
export async function runOptimize(
  tuner: HyperparameterTuner,
  objective: (trial: Trial) => number | readonly number[] | Promise<number | readonly number[]>,
  options: OptimizeOptions<HyperparameterTuner>,
  hooks: OptimizeHooks,
): Promise<void> {
  if (typeof objective !== 'function') {
    throw new MlcycleError('INVALID_ARGUMENT', 'optimize needs an objective function (trial) => value');
  }
  const o = parseOptions(schema, options, 'optimize options');
  const clock = tuner.options.clock;
  const started = clock.now();
  const controller = new AbortController();
  const abort = () => controller.abort(o.signal?.reason);
  o.signal?.addEventListener('abort', abort, { once: true });
  if (o.signal?.aborted) abort();
  let launched = 0;
  let completed = 0;
  let failure: { error: unknown } | undefined;

  const more = (): boolean =>
    failure === undefined &&
    !controller.signal.aborted &&
    !hooks.stopped() &&
    (o.nTrials === undefined || launched < o.nTrials) &&
    (o.timeoutMs === undefined || clock.now() - started < o.timeoutMs);

  const runOne = async (): Promise<void> => {
    const trial = await hooks.ask(controller.signal);
    let result: TellResult;
    let thrown: { error: unknown } | undefined;
    try {
      result = await objective(trial);
    } catch (error) {
      result = error instanceof TrialPruned ? 'PRUNED' : 'FAIL';
      if (result === 'FAIL') thrown = { error };
    }
    if (thrown !== undefined) hooks.failed(trial, thrown.error);
    // A failing tell ends this run; the worker records its error.
    const record = await tuner.tell(trial, result);
    if (thrown !== undefined && !caught(o.catch, thrown.error)) failure ??= thrown;
    completed++;
    for (const callback of o.callbacks) await callback(tuner, record);
    // The progress payload looks up the best trial: build it only for listeners.
    if (tuner.listenerCount('progress') > 0) tuner.emit('progress', progress(record));
  };

  const progress = (trial: FrozenTrial): TunerProgress => {
    const elapsedMs = clock.now() - started;
    const byCount =
      o.nTrials === undefined ? undefined : (elapsedMs / completed) * Math.max(0, o.nTrials - completed);
    const byTime = o.timeoutMs === undefined ? undefined : Math.max(0, o.timeoutMs - elapsedMs);
    const etaMs = byCount === undefined ? byTime : byTime === undefined ? byCount : Math.min(byCount, byTime);
    const bestValue = hooks.bestValue();
    return {
      completed,
      ...(o.nTrials === undefined ? {} : { total: o.nTrials }),
      elapsedMs,
      ...(etaMs === undefined ? {} : { etaMs }),
      ...(bestValue === undefined ? {} : { bestValue }),
      trial,
    };
  };

  const worker = async (): Promise<void> => {
    while (more()) {
      launched++;
      try {
        await runOne();
      } catch (error) {
        failure ??= { error };
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: o.concurrency }, worker));
  } finally {
    o.signal?.removeEventListener('abort', abort);
  }
  if (failure !== undefined) throw failure.error;
  if (controller.signal.aborted) {
    throw new MlcycleError('ABORTED', `optimize was aborted after ${completed} trials`, {
      cause: o.signal?.reason,
    });
  }
}
