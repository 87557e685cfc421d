import { formatNumber } from '../core/checks.js';
import { errorMessage, MlcycleError } from '../core/errors.js';
import { TypedEmitter } from '../core/events.js';
import type { JsonValue } from '../storage/types.js';
import { toJson } from '../storage/validate.js';
import { type OptimizeOptions, runOptimize } from './optimize.js';
import { type Direction, directionSign, hypervolume, paretoFront } from './pareto.js';
import {
  checkCompatible,
  contains,
  describe,
  isSingleValued,
  normaliseSpec,
  type ParamSpec,
  type Params,
  type ParamsOf,
  type ParamValue,
  type SearchSpace,
  sameChoice,
  sameSpec,
} from './space.js';
import { StudyJournal } from './study-journal.js';
import { storeNumber, type TrialTemplate, templateOf } from './study-state.js';
import { Trial, type TrialHost } from './trial.js';
import { checkTrialToAdd, type TellResult, tellOutcome } from './tuner-checks.js';
import {
  type HyperparameterTunerOptions,
  type ResolvedTunerOptions,
  resolveTunerOptions,
} from './tuner-options.js';

export type { HyperparameterTunerOptions } from './tuner-options.js';

import { type FrozenTrial, isFeasible, type SamplerStudy, type StudyDirection } from './types.js';

/** Where a study stands, sent with each `progress` event of {@link HyperparameterTuner.optimize}. */
export interface TunerProgress {
  /** Trials finished so far in this `optimize` call. */
  completed: number;
  /** `nTrials` of this call, when given. */
  total?: number;
  /** Milliseconds since this call started. */
  elapsedMs: number;
  /** Estimated milliseconds to go (from `nTrials` or `timeoutMs`), when either was given. */
  etaMs?: number;
  /** The best value so far of a single-objective study, once a trial has completed. */
  bestValue?: number;
  /** The trial that just finished. */
  trial: FrozenTrial;
}

/** The events of a {@link HyperparameterTuner}. */
export interface TunerEvents {
  /** A trial finished (any final state); a copy of its record. */
  trial: FrozenTrial;
  /** After each trial of `optimize`: counts, timings and an ETA for progress bars. */
  progress: TunerProgress;
}

/** Sampled jointly for a trial before its objective ran. */
interface Relative {
  space: SearchSpace;
  params: Params;
}

/**
 * A hyperparameter study with Optuna's vocabulary: define-by-run trials, samplers (TPE by default), pruners,
 * several objectives, constraints, warm starts, ask-and-tell, and persistence in any `Storage`, where a study
 * re-opened by name continues after a crash and can be shared by several processes.
 *
 * @typeParam S - the declarative search space, when given; it types `trial.params` and `bestParams`.
 * @example
 * ```ts
 * const tuner = new HyperparameterTuner({ direction: 'minimize', sampler: 'tpe', seed: 0 });
 * const study = await tuner.optimize(async (trial) => {
 *   const x = trial.suggestFloat('x', -5, 10);
 *   return (x - 2) ** 2;
 * }, { nTrials: 50 });
 * study.bestValue; study.bestParams.x; study.trials.length; // 50
 * ```
 */
export class HyperparameterTuner<
  const S extends SearchSpace = SearchSpace,
> extends TypedEmitter<TunerEvents> {
  /** @internal */
  readonly options: ResolvedTunerOptions;
  private journal: StudyJournal | undefined;
  private opening: Promise<StudyJournal> | undefined;
  private readonly relative = new Map<number, Relative>();
  private readonly view: SamplerStudy;
  private readonly host: TrialHost;
  private stopRequested = false;

  constructor(options: HyperparameterTunerOptions<S> = {}) {
    super();
    this.options = resolveTunerOptions(options);
    const state = () => this.opened.state;
    this.view = {
      studyName: this.options.studyName,
      directions: this.options.directions,
      trials: () => state().trials,
      stop: () => this.stop(),
    };
    this.host = {
      suggest: (number, name, spec) => this.suggest(number, name, spec),
      report: (number, value, step) => this.report(number, value, step),
      shouldPrune: (number) => this.shouldPrune(number),
      setUserAttr: (number, key, value) => this.setAttr(number, false, key, value),
      params: (number) => ({ ...this.running(number, 'read the parameters of').params }),
    };
  }

  /** The study's name. */
  get studyName(): string {
    return this.options.studyName;
  }

  /** One direction per objective. */
  get directions(): readonly StudyDirection[] {
    return this.options.directions;
  }

  /**
   * Opens the study: creates it, or loads it from `storage` and replays what other processes wrote. `optimize`,
   * `ask` and the other async methods call it; call it yourself before reading `trials` of a stored study.
   */
  async load(): Promise<this> {
    if (this.journal === undefined) {
      this.opening ??= this.open();
      this.journal = await this.opening;
    } else {
      await this.journal.sync();
    }
    return this;
  }

  /** Every trial so far, in number order (copies). */
  get trials(): FrozenTrial[] {
    return this.opened.state.trials.map(copyTrial);
  }

  /** The best `COMPLETE` (and feasible) trial of a single-objective study; the earliest of equals. */
  get bestTrial(): FrozenTrial {
    if (this.directions.length > 1) {
      throw new MlcycleError('INVALID_ARGUMENT', 'bestTrial is for single-objective studies; use bestTrials');
    }
    const best = this.findBest();
    if (best === undefined) {
      throw new MlcycleError('NOT_FOUND', `study "${this.studyName}" has no completed feasible trial yet`);
    }
    return copyTrial(best);
  }

  /** The best trial's record (not a copy) of a single-objective study, if any trial completed feasibly. */
  private findBest(): FrozenTrial | undefined {
    const sign = directionSign(this.directions[0] as StudyDirection);
    let best: FrozenTrial | undefined;
    for (const t of this.opened.state.trials) {
      if (t.state !== 'COMPLETE' || !isFeasible(t)) continue;
      if (best === undefined || sign * (t.value as number) < sign * (best.value as number)) best = t;
    }
    return best;
  }

  /** The objective value of {@link HyperparameterTuner.bestTrial}. */
  get bestValue(): number {
    return this.bestTrial.value as number;
  }

  /** The parameters of {@link HyperparameterTuner.bestTrial}. */
  get bestParams(): ParamsOf<S> {
    return this.bestTrial.params as ParamsOf<S>;
  }

  /** The `COMPLETE` feasible trials no other such trial dominates (the Pareto front), in number order. */
  get bestTrials(): FrozenTrial[] {
    const done = this.opened.state.trials.filter((t) => t.state === 'COMPLETE' && isFeasible(t));
    const front = paretoFront(
      done.map((t) => t.values as number[]),
      this.directions as Direction[],
    );
    return front.map((i) => copyTrial(done[i] as FrozenTrial));
  }

  /**
   * The hypervolume the Pareto front dominates up to `reference` (one value per objective, worse than every front
   * point), in the objectives' own directions.
   */
  hypervolume(reference: readonly number[]): number {
    if (!Array.isArray(reference) || reference.length !== this.directions.length) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `reference needs one value per objective (${this.directions.length}), received ${formatNumber(reference as never)}`,
      );
    }
    const signs = this.directions.map(directionSign);
    const points = this.bestTrials.map((t) => (t.values as number[]).map((v, k) => v * (signs[k] as number)));
    return hypervolume(
      points,
      reference.map((r, k) => r * (signs[k] as number)),
    );
  }

  /** Asks `optimize` to start no more trials; those running finish. */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * Adds a trial to run next with the given parameter values (Optuna's `enqueue_trial`), e.g. the current
   * production settings; parameters it does not name are sampled as usual. With `skipIfExists`, nothing is added
   * when a trial of the study (in any state) already has exactly these values, so that a script re-opening a stored
   * study does not enqueue its starting points again. Resolves whether a trial was added.
   */
  async enqueueTrial(
    params: Params,
    options: { userAttrs?: Record<string, JsonValue>; skipIfExists?: boolean } = {},
  ): Promise<boolean> {
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw new MlcycleError('INVALID_ARGUMENT', 'enqueueTrial needs an object of parameter values');
    }
    const journal = await this.ready();
    if (options.skipIfExists === true && journal.state.trials.some((t) => sameValues(valuesOf(t), params))) {
      return false;
    }
    const template = waitingTemplate({ fixed_params: { ...params } }, { ...options.userAttrs });
    await journal.commit({
      op: 'create',
      worker: journal.worker,
      at: this.options.clock.now(),
      state: 'WAITING',
      template,
    });
    return true;
  }

  /** Adds finished (or `WAITING`) trials, e.g. from an earlier study or Optuna's journal, to warm-start this one. */
  async addTrials(trials: readonly FrozenTrial[]): Promise<void> {
    const journal = await this.ready();
    if (!Array.isArray(trials))
      throw new MlcycleError('INVALID_ARGUMENT', 'addTrials needs an array of trials');
    trials.forEach((t, i) => {
      checkTrialToAdd(t, i, this.directions, journal.state.distributions);
    });
    for (const trial of trials) {
      await journal.commit({
        op: 'create',
        worker: journal.worker,
        at: this.options.clock.now(),
        state: 'WAITING',
        template: templateOf(trial),
      });
    }
  }

  /**
   * Starts a trial for an objective run by you (ask-and-tell): the next enqueued trial, or a new one. With
   * `searchSpace` (or the tuner's declarative space) its parameters are suggested at once.
   */
  async ask(searchSpace?: SearchSpace): Promise<Trial<ParamsOf<S>>> {
    return this.askWith(new AbortController().signal, searchSpace);
  }

  /**
   * Finishes a trial started by {@link HyperparameterTuner.ask}: with its objective value (one per direction), or
   * as `'PRUNED'` or `'FAIL'`. A NaN value marks the trial `FAIL`. Resolves with the trial's final record.
   */
  async tell(trial: Trial | number, result: TellResult): Promise<FrozenTrial> {
    const journal = await this.ready();
    const number = typeof trial === 'number' ? trial : trial.number;
    const record = this.running(number, 'tell');
    const outcome = tellOutcome(record, result, this.directions);
    let constraints: number[] | undefined;
    let error: unknown;
    if (outcome.state !== 'FAIL' && this.options.constraints !== undefined) {
      try {
        constraints = checkConstraints(
          this.options.constraints({ ...copyTrial(record), ...outcome.preview }),
        );
      } catch (e) {
        error = e;
      }
    }
    const failReason =
      error !== undefined ? `constraints failed: ${errorMessage(error)}` : outcome.failReason;
    if (failReason !== undefined) this.setAttr(number, true, 'fail_reason', failReason);
    await journal.commit({
      op: 'finish',
      worker: journal.worker,
      at: this.options.clock.now(),
      trial: number,
      state: error === undefined ? outcome.state : 'FAIL',
      ...(error === undefined && outcome.values !== undefined
        ? { values: outcome.values.map(storeNumber) }
        : {}),
      ...(constraints === undefined ? {} : { constraints }),
    });
    journal.stopHeartbeat(number);
    this.relative.delete(number);
    const final = journal.state.trials[number] as FrozenTrial;
    this.options.sampler.afterTrial?.(this.view, final);
    const copy = copyTrial(final);
    if (this.listenerCount('trial') > 0) this.emit('trial', copyTrial(final));
    if (error !== undefined) throw error;
    if (outcome.error !== undefined) throw outcome.error;
    return copy;
  }

  /**
   * Runs the objective on `nTrials` trials (or until `timeoutMs`, `signal` or {@link HyperparameterTuner.stop}),
   * `concurrency` at a time, and resolves with this tuner. A trial whose objective throws is marked `FAIL` and the
   * error is rethrown once running trials finish, unless `catch` accepts it; `TrialPruned` marks it `PRUNED`.
   */
  async optimize(
    objective: (
      trial: Trial<ParamsOf<S>>,
    ) => number | readonly number[] | Promise<number | readonly number[]>,
    options: OptimizeOptions<this> = {},
  ): Promise<this> {
    await this.load();
    this.stopRequested = false;
    await runOptimize(this, objective as never, options as OptimizeOptions, {
      ask: (signal) => this.askWith(signal),
      failed: (trial, error) => this.setAttr(trial.number, true, 'fail_reason', errorMessage(error)),
      stopped: () => this.stopRequested,
      bestValue: () => this.bestValueOrUndefined(),
    });
    return this;
  }

  /** Waits for pending writes and stops heartbeats; the storage itself stays open. */
  async close(): Promise<void> {
    await this.journal?.close();
  }

  private get opened(): StudyJournal {
    if (this.journal === undefined) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `study "${this.studyName}" is not loaded yet; await tuner.load() (optimize and ask load it)`,
      );
    }
    return this.journal;
  }

  private async ready(): Promise<StudyJournal> {
    await this.load();
    return this.opened;
  }

  private async open(): Promise<StudyJournal> {
    const o = this.options;
    if (o.storage === undefined) return StudyJournal.local(o.studyName, o.directions, o.clock);
    return StudyJournal.open(o.storage, o.studyName, o.directions, {
      clock: o.clock,
      heartbeatMs: o.heartbeatIntervalMs,
      loadIfExists: o.loadIfExists,
    });
  }

  private bestValueOrUndefined(): number | undefined {
    return this.directions.length > 1 ? undefined : this.findBest()?.value;
  }

  private async askWith(signal: AbortSignal, space = this.options.searchSpace): Promise<Trial<ParamsOf<S>>> {
    const journal = await this.ready();
    await this.failStaleTrials(journal);
    const number = await this.claimOrCreate(journal);
    await journal.startHeartbeat(number);
    const { sampler } = this.options;
    const record = journal.state.trials[number] as FrozenTrial;
    sampler.beforeTrial?.(this.view, record);
    for (const [key, value] of Object.entries(sampler.systemAttrsFor?.(this.view, record) ?? {})) {
      this.setAttr(number, true, key, value);
    }
    const relativeSpace = sampler.inferRelativeSearchSpace?.(this.view, record) ?? {};
    if (Object.keys(relativeSpace).length > 0 && sampler.sampleRelative !== undefined) {
      const params = sampler.sampleRelative({ study: this.view, trial: record }, relativeSpace);
      this.relative.set(number, { space: relativeSpace, params });
    }
    const trial = new Trial<ParamsOf<S>>(this.host, number, signal);
    if (space !== undefined) trial.suggest(space);
    return trial;
  }

  private async claimOrCreate(journal: StudyJournal): Promise<number> {
    const at = this.options.clock.now();
    for (const t of journal.state.trials) {
      if (t.state !== 'WAITING') continue;
      const claim = await journal.commit({ op: 'claim', worker: journal.worker, at, trial: t.number });
      if (claim.applied) return claim.number;
    }
    return (await journal.commit({ op: 'create', worker: journal.worker, at, state: 'RUNNING' })).number;
  }

  /** Marks `FAIL` the running trials of other processes whose heartbeat stopped, and enqueues retries. */
  private async failStaleTrials(journal: StudyJournal): Promise<void> {
    const o = this.options;
    if (!journal.persistent || o.heartbeatIntervalMs === 0) return;
    const at = o.clock.now();
    for (const number of await journal.staleTrials(at, o.gracePeriodMs)) {
      const worker = journal.worker;
      const reason = `no heartbeat for more than ${o.gracePeriodMs} ms; its process is taken as dead`;
      await journal.commit({
        op: 'attr',
        worker,
        trial: number,
        system: true,
        key: 'fail_reason',
        value: reason,
      });
      const fail = await journal.commit({ op: 'finish', worker, at, trial: number, state: 'FAIL' });
      const failed = journal.state.trials[number] as FrozenTrial;
      const history = (failed.systemAttrs.retry_history as number[] | undefined) ?? [];
      if (!fail.applied || history.length >= o.retryFailedTrials) continue;
      const template = waitingTemplate({
        fixed_params: { ...failed.params },
        failed_trial: (failed.systemAttrs.failed_trial as number | undefined) ?? number,
        retry_history: [...history, number],
      });
      await journal.commit({ op: 'create', worker, at, state: 'WAITING', template });
    }
  }

  private running(number: number, action: string): FrozenTrial {
    const trial = this.opened.state.trials[number];
    if (trial === undefined)
      throw new MlcycleError('NOT_FOUND', `study "${this.studyName}" has no trial ${number}`);
    if (trial.state !== 'RUNNING') {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `cannot ${action} trial ${number}: it is ${trial.state}, not RUNNING`,
      );
    }
    return trial;
  }

  private suggest(number: number, name: string, given: ParamSpec): ParamValue {
    const journal = this.opened;
    const trial = this.running(number, `suggest "${name}" in`);
    const spec = normaliseSpec(name, given);
    const previous = trial.distributions[name];
    if (previous !== undefined) {
      checkCompatible(name, previous, spec);
      return trial.params[name] as ParamValue;
    }
    const studyWide = journal.state.distributions.get(name);
    if (studyWide !== undefined) checkCompatible(name, studyWide, spec);
    const value = this.choose(trial, name, spec);
    journal.write({ op: 'param', worker: journal.worker, trial: number, name, value, spec });
    return value;
  }

  private choose(trial: FrozenTrial, name: string, spec: ParamSpec): ParamValue {
    if (isSingleValued(spec)) {
      return spec.type === 'categorical' ? (spec.choices[0] as ParamValue) : spec.low;
    }
    const fixed = trial.systemAttrs.fixed_params as Params | undefined;
    if (fixed !== undefined && Object.hasOwn(fixed, name)) {
      const value = fixed[name] as ParamValue;
      if (!contains(spec, value)) {
        throw new MlcycleError(
          'INVALID_ARGUMENT',
          `trial ${trial.number} was enqueued with ${name}=${formatNumber(value)}, which is not in ${describe(spec)}`,
        );
      }
      return value;
    }
    const relative = this.relative.get(trial.number);
    const joint = relative?.space[name];
    if (joint !== undefined && sameSpec(joint, spec) && Object.hasOwn(relative?.params ?? {}, name)) {
      return relative?.params[name] as ParamValue;
    }
    return this.options.sampler.sampleIndependent({ study: this.view, trial }, name, spec);
  }

  private report(number: number, value: number, step: number): void {
    const journal = this.opened;
    const trial = this.running(number, 'report for');
    if (this.directions.length > 1) {
      throw new MlcycleError('UNSUPPORTED', 'trial.report is not available in multi-objective studies');
    }
    if (typeof value !== 'number') {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `trial.report needs a number value, received ${formatNumber(value)}`,
      );
    }
    if (!Number.isSafeInteger(step) || step < 0) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `trial.report needs an integer step >= 0, received ${formatNumber(step)}`,
      );
    }
    // As Optuna: a second report for the same step is ignored.
    if (Object.hasOwn(trial.intermediateValues, step)) return;
    journal.write({ op: 'report', worker: journal.worker, trial: number, step, value: storeNumber(value) });
  }

  private shouldPrune(number: number): boolean {
    const journal = this.opened;
    this.running(number, 'check pruning of');
    if (this.directions.length > 1) {
      throw new MlcycleError('UNSUPPORTED', 'trial.shouldPrune is not available in multi-objective studies');
    }
    const pruner = this.options.pruner;
    if (pruner === undefined) return false;
    return pruner.shouldPrune({
      trial: journal.state.prunerTrial(number),
      trials: journal.state.prunerTrials(),
      direction: this.directions[0] as StudyDirection,
      studyName: this.studyName,
      recordRung: (rung, value) => this.setAttr(number, true, `completed_rung_${rung}`, value),
    });
  }

  private setAttr(number: number, system: boolean, key: string, value: JsonValue): void {
    const journal = this.opened;
    this.running(number, 'set an attribute of');
    if (typeof key !== 'string' || key.length === 0) {
      throw new MlcycleError('INVALID_ARGUMENT', 'an attribute needs a non-empty string key');
    }
    journal.write({
      op: 'attr',
      worker: journal.worker,
      trial: number,
      system,
      key,
      value: jsonCopy(key, value),
    });
  }
}

function jsonCopy(key: string, value: JsonValue): JsonValue {
  return JSON.parse(toJson(value, `attribute "${key}"`)) as JsonValue;
}

/**
 * A trial to run later (`WAITING`): nothing suggested or reported yet; `systemAttrs.fixed_params` holds its
 * parameters.
 */
function waitingTemplate(
  systemAttrs: TrialTemplate['systemAttrs'],
  userAttrs: TrialTemplate['userAttrs'] = {},
): TrialTemplate {
  return { state: 'WAITING', params: {}, distributions: {}, intermediateValues: [], userAttrs, systemAttrs };
}

/** A trial's values as enqueued (its fixed parameters) or, without them, as suggested (Optuna's rule). */
function valuesOf(trial: FrozenTrial): Params {
  return (trial.systemAttrs.fixed_params as Params | undefined) ?? trial.params;
}

/** Whether two parameter sets name the same parameters with the same values (NaN equal to NaN). */
function sameValues(a: Params, b: Params): boolean {
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((k) => Object.hasOwn(b, k) && sameChoice(a[k] as ParamValue, b[k] as ParamValue))
  );
}

function checkConstraints(values: readonly number[]): number[] {
  if (!Array.isArray(values) || values.some((v) => typeof v !== 'number' || Number.isNaN(v))) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `constraints must return an array of numbers (no NaN), received ${formatNumber(values as never)}`,
    );
  }
  return [...values];
}

/** A deep copy of a trial record. */
function copyTrial(trial: FrozenTrial): FrozenTrial {
  return structuredClone(trial);
}
