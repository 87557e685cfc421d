/**
 * The replay of an Optuna 3.1 journal, operation by operation, as `JournalStorageReplayResult.apply_logs` does it:
 * the same operations take effect, the same ones are ignored, and the same malformed ones are refused.
 *
 * @module
 */
import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import type { JsonValue } from '../storage/types.js';
import { compatible, type OptunaDistribution, readDatetime, readDistribution } from './optuna-format.js';
import type { OptunaJournalStudy } from './optuna-journal.js';
import type { TrialState } from './pruners.js';
import { setKey } from './python-json.js';
import { fromInternal, type Params, type ParamValue, type SearchSpace } from './space.js';
import { type FrozenTrial, isFinished, type StudyDirection } from './types.js';

/**
 * Optuna's `JournalOperation` codes.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export const OP = {
  createStudy: 0,
  deleteStudy: 1,
  studyUserAttr: 2,
  studySystemAttr: 3,
  createTrial: 4,
  trialParam: 5,
  trialStateValues: 6,
  trialIntermediateValue: 7,
  trialUserAttr: 8,
  trialSystemAttr: 9,
} as const;

/**
 * Optuna's `TrialState` values, by code.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export const STATES: readonly TrialState[] = ['RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING'];

/**
 * The system attribute in which Optuna 3.1's samplers keep a trial's constraint values.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export const CONSTRAINTS_KEY = 'constraints';

const DIRECTIONS: Record<number, StudyDirection> = { 1: 'minimize', 2: 'maximize' };

interface Trial {
  studyId: number;
  number: number;
  state: TrialState;
  params: Params;
  distributions: Record<string, OptunaDistribution>;
  values?: number[];
  intermediateValues: Record<number, number>;
  userAttrs: Record<string, JsonValue>;
  systemAttrs: Record<string, JsonValue>;
  startedAt?: number;
  completedAt?: number;
}

interface Study {
  name: string;
  directions: StudyDirection[];
  userAttrs: Record<string, JsonValue>;
  systemAttrs: Record<string, JsonValue>;
}

type Log = Record<string, unknown>;

function corrupt(message: string): MlcycleError {
  return new MlcycleError('INTEGRITY', message);
}

/** `log[key]`, which Python reads without a default: a missing key is an error. */
function need(log: Log, key: string): unknown {
  if (!Object.hasOwn(log, key)) throw corrupt(`the operation has no "${key}"`);
  return log[key];
}

/** An object-valued field; Python calls `.items()` on it. */
function objectField(value: unknown, key: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw corrupt(`"${key}" must be a JSON object, received ${formatNumber(value)}`);
  }
  return value as Record<string, unknown>;
}

function numberField(value: unknown, key: string): number {
  if (typeof value !== 'number') throw corrupt(`"${key}" must be a number, received ${formatNumber(value)}`);
  return value;
}

function numbersField(value: unknown, key: string): number[] {
  if (!Array.isArray(value))
    throw corrupt(`"${key}" must be a list of numbers, received ${formatNumber(value)}`);
  return value.map((v) => numberField(v, key));
}

function stateField(value: unknown): TrialState {
  const state = typeof value === 'number' && Number.isInteger(value) ? STATES[value] : undefined;
  if (state === undefined)
    throw corrupt(`"state" must be a trial state 0 to 4, received ${formatNumber(value)}`);
  return state;
}

/** A `{key: value}` attribute update; Optuna asserts it holds exactly one key. */
function attrField(log: Log, key: string): Record<string, JsonValue> {
  const attr = objectField(need(log, key), key);
  if (Object.keys(attr).length !== 1) throw corrupt(`"${key}" must hold exactly one attribute`);
  return attr as Record<string, JsonValue>;
}

/** An id: Python looks it up in a dict, so anything but an integer is simply not found. */
function idField(log: Log, key: string): number | undefined {
  const id = need(log, key);
  return typeof id === 'number' && Number.isInteger(id) ? id : undefined;
}

/** Optuna's `to_external_repr` of a stored internal value. */
function external(distribution: OptunaDistribution, internal: unknown, name: string): ParamValue {
  if (typeof internal !== 'number' || (distribution.spec.type !== 'float' && !Number.isFinite(internal))) {
    throw corrupt(`parameter "${name}" has the internal value ${formatNumber(internal)}; expected a number`);
  }
  try {
    return fromInternal(distribution.spec, internal);
  } catch (error) {
    throw new MlcycleError('INTEGRITY', `parameter "${name}": ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The state of a journal replay: the live studies (deleted ones removed), every trial by its global id, and each
 * study's trial ids (kept after a deletion, as Optuna keeps them).
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export class JournalReplay {
  private readonly studies = new Map<number, Study>();
  private readonly trialIds = new Map<number, number[]>();
  private readonly trials: Trial[] = [];
  private nextStudyId = 0;

  /** Applies one operation; throws `INTEGRITY` where Optuna's replay would raise. */
  apply(log: unknown): void {
    if (typeof log !== 'object' || log === null || Array.isArray(log)) {
      throw corrupt(`an operation must be a JSON object, received ${formatNumber(log)}`);
    }
    const op = need(log as Log, 'op_code');
    const apply = this.handlers[op as number];
    if (typeof op !== 'number' || apply === undefined) {
      throw corrupt(`op_code ${formatNumber(op)} is not one of Optuna 3.1's operations 0 to 9`);
    }
    apply(log as Log);
  }

  /** The live studies in creation order, with their trials as {@link FrozenTrial} records. */
  result(): OptunaJournalStudy[] {
    return [...this.studies].map(([id, study]) => ({
      ...study,
      trials: (this.trialIds.get(id) ?? []).map((trialId) => frozen(this.trials[trialId] as Trial)),
    }));
  }

  private readonly handlers: Record<number, (log: Log) => void> = {
    [OP.createStudy]: (log) => {
      const name = need(log, 'study_name');
      if (typeof name !== 'string')
        throw corrupt(`"study_name" must be a string, received ${formatNumber(name)}`);
      const directions = need(log, 'directions');
      if (!Array.isArray(directions))
        throw corrupt(`"directions" must be a list, received ${formatNumber(directions)}`);
      const parsed = directions.map((d) => {
        const direction = DIRECTIONS[d as number];
        if (typeof d !== 'number' || direction === undefined) {
          throw corrupt(`direction ${formatNumber(d)} is not 1 (minimize) or 2 (maximize)`);
        }
        return direction;
      });
      // A second study of the same name (another worker lost the race) is ignored.
      if ([...this.studies.values()].some((s) => s.name === name)) return;
      const id = this.nextStudyId++;
      this.studies.set(id, { name, directions: parsed, userAttrs: {}, systemAttrs: {} });
      this.trialIds.set(id, []);
    },
    [OP.deleteStudy]: (log) => {
      this.studies.delete(idField(log, 'study_id') as number);
    },
    [OP.studyUserAttr]: (log) => {
      const study = this.studies.get(idField(log, 'study_id') as number);
      if (study !== undefined) study.userAttrs = { ...study.userAttrs, ...attrField(log, 'user_attr') };
    },
    [OP.studySystemAttr]: (log) => {
      const study = this.studies.get(idField(log, 'study_id') as number);
      if (study !== undefined) study.systemAttrs = { ...study.systemAttrs, ...attrField(log, 'system_attr') };
    },
    [OP.createTrial]: (log) => this.createTrial(log),
    [OP.trialParam]: (log) => this.setParam(log),
    [OP.trialStateValues]: (log) => {
      const trial = this.updatable(log);
      if (trial === undefined) return;
      const state = stateField(need(log, 'state'));
      // Two workers that popped the same waiting trial: the second RUNNING changes nothing (Optuna's owner check).
      if (state === 'RUNNING' && trial.state === 'RUNNING') return;
      if (state === 'RUNNING') trial.startedAt = readDatetime(need(log, 'datetime_start'));
      if (isFinished({ state })) trial.completedAt = readDatetime(need(log, 'datetime_complete'));
      trial.state = state;
      const values = need(log, 'values');
      if (values !== null) trial.values = numbersField(values, 'values');
    },
    [OP.trialIntermediateValue]: (log) => {
      const trial = this.updatable(log);
      if (trial === undefined) return;
      const step = need(log, 'step');
      if (!Number.isInteger(step)) throw corrupt(`"step" must be an integer, received ${formatNumber(step)}`);
      setKey(
        trial.intermediateValues,
        String(step),
        numberField(need(log, 'intermediate_value'), 'intermediate_value'),
      );
    },
    [OP.trialUserAttr]: (log) => {
      const trial = this.updatable(log);
      if (trial !== undefined) trial.userAttrs = { ...trial.userAttrs, ...attrField(log, 'user_attr') };
    },
    [OP.trialSystemAttr]: (log) => {
      const trial = this.updatable(log);
      if (trial !== undefined) trial.systemAttrs = { ...trial.systemAttrs, ...attrField(log, 'system_attr') };
    },
  };

  /** The trial an update names, unless it does not exist or has finished (Optuna then ignores the update). */
  private updatable(log: Log): Trial | undefined {
    const trial = this.trials[idField(log, 'trial_id') ?? -1];
    return trial === undefined || isFinished(trial) ? undefined : trial;
  }

  private createTrial(log: Log): void {
    const studyId = idField(log, 'study_id') as number;
    const ids = this.trialIds.get(studyId);
    if (!this.studies.has(studyId) || ids === undefined) return;
    const distributions: Record<string, OptunaDistribution> = {};
    const has = (key: string) => Object.hasOwn(log, key);
    if (has('distributions')) {
      for (const [name, json] of Object.entries(objectField(log.distributions, 'distributions'))) {
        setKey(distributions, name, readDistribution(json, name));
      }
    }
    const params: Params = {};
    if (has('params')) {
      for (const [name, internal] of Object.entries(objectField(log.params, 'params'))) {
        const distribution = Object.hasOwn(distributions, name) ? distributions[name] : undefined;
        if (distribution === undefined) throw corrupt(`parameter "${name}" has no distribution`);
        setKey(params, name, external(distribution, internal, name));
      }
    }
    const start = need(log, 'datetime_start');
    const value = log.value ?? null;
    const values = log.values ?? null;
    if (value !== null && values !== null) throw corrupt('a trial cannot have both "value" and "values"');
    const intermediateValues: Record<number, number> = {};
    for (const [step, v] of Object.entries(
      has('intermediate_values') ? objectField(log.intermediate_values, 'intermediate_values') : {},
    )) {
      // Python's int(step): surrounding blanks and a sign are allowed.
      if (!/^\s*[+-]?\d+\s*$/.test(step))
        throw corrupt(`intermediate value step "${step}" is not an integer`);
      setKey(intermediateValues, String(Number(step)), numberField(v, 'intermediate_values'));
    }
    const trial: Trial = {
      studyId,
      number: ids.length,
      state: has('state') ? stateField(log.state) : 'RUNNING',
      params,
      distributions,
      intermediateValues,
      userAttrs: (has('user_attrs') ? objectField(log.user_attrs, 'user_attrs') : {}) as Record<
        string,
        JsonValue
      >,
      systemAttrs: (has('system_attrs') ? objectField(log.system_attrs, 'system_attrs') : {}) as Record<
        string,
        JsonValue
      >,
    };
    if (value !== null) trial.values = [numberField(value, 'value')];
    else if (values !== null) trial.values = numbersField(values, 'values');
    if (start !== null) trial.startedAt = readDatetime(start);
    if (has('datetime_complete')) trial.completedAt = readDatetime(log.datetime_complete);
    ids.push(this.trials.length);
    this.trials.push(trial);
  }

  private setParam(log: Log): void {
    const trial = this.updatable(log);
    if (trial === undefined) return;
    const name = need(log, 'param_name');
    if (typeof name !== 'string')
      throw corrupt(`"param_name" must be a string, received ${formatNumber(name)}`);
    const internal = need(log, 'param_value_internal');
    const distribution = readDistribution(need(log, 'distribution'), name);
    // Optuna compares with the first trial of the study that has the parameter and ignores an incompatible update.
    for (const id of this.trialIds.get(trial.studyId) ?? []) {
      const previous = this.trials[id] as Trial;
      if (!Object.hasOwn(previous.params, name)) continue;
      if (!compatible(previous.distributions[name] as OptunaDistribution, distribution)) return;
      break;
    }
    setKey(trial.params, name, external(distribution, internal, name));
    setKey(trial.distributions, name, distribution);
  }
}

/** Our record of a replayed trial; a list of numbers under system attribute "constraints" becomes `constraints`. */
function frozen(t: Trial): FrozenTrial {
  const systemAttrs = { ...t.systemAttrs };
  const constraints = Object.hasOwn(systemAttrs, CONSTRAINTS_KEY) ? systemAttrs[CONSTRAINTS_KEY] : undefined;
  const numeric = Array.isArray(constraints) && constraints.every((c) => typeof c === 'number');
  if (numeric) delete systemAttrs[CONSTRAINTS_KEY];
  const distributions: SearchSpace = {};
  for (const [name, d] of Object.entries(t.distributions)) setKey(distributions, name, d.spec);
  const trial: FrozenTrial = {
    number: t.number,
    state: t.state,
    params: { ...t.params },
    distributions,
    intermediateValues: { ...t.intermediateValues },
    userAttrs: t.userAttrs,
    systemAttrs,
  };
  if (t.values !== undefined) {
    if (t.values.length > 0) trial.value = t.values[0] as number;
    trial.values = [...t.values];
  }
  if (numeric) trial.constraints = [...(constraints as number[])];
  if (t.startedAt !== undefined) trial.startedAt = t.startedAt;
  if (t.completedAt !== undefined) trial.completedAt = t.completedAt;
  if (t.startedAt !== undefined && t.completedAt !== undefined)
    trial.durationMs = t.completedAt - t.startedAt;
  return trial;
}
