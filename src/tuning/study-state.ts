/**
 * A study's trials as the replay of a sequence of operations. The same operations are applied in process and, for
 * a study kept in a `Storage`, appended to the study's log, so that any process that replays the log in order sees
 * the same trials with the same numbers.
 *
 * @module
 */
import type { JsonValue } from '../storage/types.js';
import type { PrunerTrial, TrialState } from './pruners.js';
import type { ParamSpec, Params, ParamValue } from './space.js';
import { type FrozenTrial, isFinished } from './types.js';

/** A number as stored: JSON has no NaN or ±Infinity, so those travel as strings. */
export type StoredNumber = number | 'NaN' | 'Infinity' | '-Infinity';

/** A trial created whole (from `addTrials`): a FrozenTrial without its number, numbers encoded. */
export interface TrialTemplate {
  /** The state. */
  state: TrialState;
  /** The parameters. */
  params: Params;
  /** Their distributions. */
  distributions: Record<string, ParamSpec>;
  /** The objective values. */
  values?: StoredNumber[];
  /** Intermediate values as [step, value] pairs. */
  intermediateValues: [number, StoredNumber][];
  /** Constraint values. */
  constraints?: number[];
  /** User attributes. */
  userAttrs: Record<string, JsonValue>;
  /** System attributes. */
  systemAttrs: Record<string, JsonValue>;
  /** Start time, epoch ms. */
  startedAt?: number;
  /** Completion time, epoch ms. */
  completedAt?: number;
}

/**
 * One change to a study. `worker` names the tuner instance that wrote it; the trial's owner is the worker that
 * created or claimed it while running.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export type StudyOp =
  | { op: 'create'; worker: string; at: number; state: 'RUNNING' | 'WAITING'; template?: TrialTemplate }
  | { op: 'claim'; worker: string; at: number; trial: number }
  | { op: 'param'; worker: string; trial: number; name: string; value: ParamValue; spec: ParamSpec }
  | { op: 'report'; worker: string; trial: number; step: number; value: StoredNumber }
  | { op: 'attr'; worker: string; trial: number; system: boolean; key: string; value: JsonValue }
  | {
      op: 'finish';
      worker: string;
      at: number;
      trial: number;
      state: 'COMPLETE' | 'PRUNED' | 'FAIL';
      values?: StoredNumber[];
      constraints?: number[];
    };

/** Encodes a number for JSON storage. */
export function storeNumber(x: number): StoredNumber {
  if (Number.isFinite(x)) return x;
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

/** Decodes a number stored by {@link storeNumber}. */
export function loadNumber(x: StoredNumber): number {
  return typeof x === 'number' ? x : Number(x);
}

/** The template that recreates `trial` (its number aside). */
export function templateOf(trial: FrozenTrial): TrialTemplate {
  return {
    state: trial.state,
    params: { ...trial.params },
    distributions: { ...trial.distributions },
    ...(trial.values === undefined ? {} : { values: trial.values.map(storeNumber) }),
    intermediateValues: Object.entries(trial.intermediateValues).map(([s, v]) => [Number(s), storeNumber(v)]),
    ...(trial.constraints === undefined ? {} : { constraints: [...trial.constraints] }),
    userAttrs: structuredClone(trial.userAttrs),
    systemAttrs: structuredClone(trial.systemAttrs),
    ...(trial.startedAt === undefined ? {} : { startedAt: trial.startedAt }),
    ...(trial.completedAt === undefined ? {} : { completedAt: trial.completedAt }),
  };
}

/** A trial's pruner view: kept beside its record so pruners need not rebuild maps on every check. */
interface PrunerRecord extends PrunerTrial {
  intermediateValues: Map<number, number>;
  rungValues: Map<number, number>;
}

const RUNG_PREFIX = 'completed_rung_';

/** The rung of a halving pruner's `completed_rung_<k>` system attribute holding a number, else undefined. */
function rungOf(key: string, value: JsonValue): number | undefined {
  return key.startsWith(RUNG_PREFIX) && typeof value === 'number'
    ? Number(key.slice(RUNG_PREFIX.length))
    : undefined;
}

/**
 * The trials of one study, built by applying {@link StudyOp}s in order. Operations that lost a race (a second claim
 * of a waiting trial, a second finish) change nothing, so every replay of the same log gives the same trials.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export class StudyState {
  /** The trials, by number. Records of running trials change in place; finished ones never change. */
  readonly trials: FrozenTrial[] = [];
  /** The worker that owns each trial while it runs. */
  readonly owners: (string | undefined)[] = [];
  private readonly pruning: PrunerRecord[] = [];
  /** Every parameter's distribution, as first suggested in the study. */
  readonly distributions = new Map<string, ParamSpec>();

  /** Whether the last {@link StudyState.apply} changed anything (a lost claim or a second finish does not). */
  lastApplied = false;

  /** Applies one operation; returns the number of the trial it concerns. */
  apply(op: StudyOp): number {
    this.lastApplied = true;
    if (op.op === 'create') return this.create(op);
    const trial = this.trials[op.trial];
    // An operation on a trial that does not exist (yet) or has finished changes nothing.
    const stale = trial === undefined || (isFinished(trial) && op.op !== 'claim');
    if (stale || (op.op === 'claim' && trial.state !== 'WAITING')) {
      this.lastApplied = false;
      return op.trial;
    }
    switch (op.op) {
      case 'claim':
        trial.state = 'RUNNING';
        trial.startedAt = op.at;
        this.owners[op.trial] = op.worker;
        this.syncState(op.trial);
        break;
      case 'param':
        if (trial.state === 'RUNNING') {
          trial.params[op.name] = op.value;
          trial.distributions[op.name] = op.spec;
          if (!this.distributions.has(op.name)) this.distributions.set(op.name, op.spec);
        }
        break;
      case 'report': {
        const value = loadNumber(op.value);
        trial.intermediateValues[op.step] = value;
        this.pruning[op.trial]?.intermediateValues.set(op.step, value);
        break;
      }
      case 'attr':
        if (op.system) {
          trial.systemAttrs[op.key] = op.value;
          const rung = rungOf(op.key, op.value);
          if (rung !== undefined) this.pruning[op.trial]?.rungValues.set(rung, op.value as number);
        } else {
          trial.userAttrs[op.key] = op.value;
        }
        break;
      case 'finish':
        this.finish(trial, op);
        break;
    }
    return op.trial;
  }

  /** The pruner's view of trial `number`. */
  prunerTrial(number: number): PrunerTrial {
    return this.pruning[number] as PrunerRecord;
  }

  /** The pruner's view of every trial. */
  prunerTrials(): readonly PrunerTrial[] {
    return this.pruning;
  }

  private create(op: Extract<StudyOp, { op: 'create' }>): number {
    const number = this.trials.length;
    const t = op.template;
    const trial: FrozenTrial = {
      number,
      state: t?.state ?? op.state,
      params: { ...t?.params },
      distributions: { ...t?.distributions },
      intermediateValues: {},
      userAttrs: { ...t?.userAttrs },
      systemAttrs: { ...t?.systemAttrs },
    };
    for (const [step, value] of t?.intermediateValues ?? [])
      trial.intermediateValues[step] = loadNumber(value);
    if (t?.values !== undefined) {
      trial.values = t.values.map(loadNumber);
      trial.value = trial.values[0] as number;
    }
    if (t?.constraints !== undefined) trial.constraints = [...t.constraints];
    const startedAt = t === undefined ? (op.state === 'RUNNING' ? op.at : undefined) : t.startedAt;
    if (startedAt !== undefined) trial.startedAt = startedAt;
    if (t?.completedAt !== undefined) {
      trial.completedAt = t.completedAt;
      if (startedAt !== undefined) trial.durationMs = t.completedAt - startedAt;
    }
    this.trials.push(trial);
    this.owners.push(trial.state === 'RUNNING' ? op.worker : undefined);
    const rungs = new Map<number, number>();
    for (const [key, value] of Object.entries(trial.systemAttrs)) {
      const rung = rungOf(key, value);
      if (rung !== undefined) rungs.set(rung, value as number);
    }
    this.pruning.push({
      number,
      state: trial.state,
      intermediateValues: new Map(Object.entries(trial.intermediateValues).map(([s, v]) => [Number(s), v])),
      rungValues: rungs,
      ...(trial.value === undefined ? {} : { value: trial.value }),
    });
    for (const [name, spec] of Object.entries(trial.distributions)) {
      if (!this.distributions.has(name)) this.distributions.set(name, spec);
    }
    return number;
  }

  private finish(trial: FrozenTrial, op: Extract<StudyOp, { op: 'finish' }>): void {
    trial.state = op.state;
    if (op.values !== undefined) {
      trial.values = op.values.map(loadNumber);
      trial.value = trial.values[0] as number;
    }
    if (op.constraints !== undefined) trial.constraints = [...op.constraints];
    trial.completedAt = op.at;
    if (trial.startedAt !== undefined) trial.durationMs = op.at - trial.startedAt;
    this.owners[trial.number] = undefined;
    this.syncState(trial.number);
  }

  private syncState(number: number): void {
    const record = this.pruning[number] as PrunerRecord;
    const trial = this.trials[number] as FrozenTrial;
    record.state = trial.state;
    if (trial.value !== undefined) record.value = trial.value;
  }
}
