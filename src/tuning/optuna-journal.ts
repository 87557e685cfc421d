/**
 * Export and import of Optuna 3.1's journal file (`JournalStorage(JournalFileStorage(path))`): JSON lines, one
 * storage operation per line, replayed from the top to rebuild the studies. A study exported here opens in Optuna and
 * optuna-dashboard; a journal Optuna wrote warm-starts a study here.
 *
 * @module
 */
import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import type { JsonValue } from '../storage/types.js';
import { distributionToJson, writeDatetime } from './optuna-format.js';
import { CONSTRAINTS_KEY, JournalReplay, OP, STATES } from './optuna-replay.js';
import { PyFloat, pyDumps, pyLoads, setKey } from './python-json.js';
import { checkSpec, type SearchSpace, toInternal } from './space.js';
import type { FrozenTrial, StudyDirection } from './types.js';

/** A study to write with {@link toOptunaJournal}. */
export interface OptunaJournalStudyInput {
  /** The study's name, unique in the journal. */
  name: string;
  /** One direction per objective. */
  directions: readonly StudyDirection[];
  /** The trials, numbered 0, 1, 2, … in order. */
  trials: readonly FrozenTrial[];
  /** The study's user attributes (`study.user_attrs`). */
  userAttrs?: Record<string, JsonValue>;
  /** The study's system attributes (`study.system_attrs`), written before the user attributes as Optuna does. */
  systemAttrs?: Record<string, JsonValue>;
}

/** A study read by {@link fromOptunaJournal}. */
export interface OptunaJournalStudy {
  /** The study's name. */
  name: string;
  /** One direction per objective. */
  directions: StudyDirection[];
  /** The study's user attributes (`study.user_attrs`). */
  userAttrs: Record<string, JsonValue>;
  /** The study's system attributes (`study.system_attrs`). */
  systemAttrs: Record<string, JsonValue>;
  /** The study's trials in number order. */
  trials: FrozenTrial[];
}

/** The worker id our export writes on every line; Optuna compares it only with its own, which never matches. */
const WORKER_ID = 'mlcycle-export';

function invalid(message: string): MlcycleError {
  return new MlcycleError('INVALID_ARGUMENT', message);
}

function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'number');
}

/** Runs `fn`, prefixing the message of an `MlcycleError` it throws with `where`. */
function within<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (!MlcycleError.is(error)) throw error;
    throw new MlcycleError(error.code, `${where}: ${error.message}`, { cause: error });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Export: per study CREATE_STUDY, its attributes, and one CREATE_TRIAL from a template per trial (as copy_study).

function exportedValues(trial: FrozenTrial, where: string): number[] | undefined {
  const values = trial.values ?? (trial.value === undefined ? undefined : [trial.value]);
  if (values !== undefined && (!isNumberArray(values) || values.length === 0)) {
    throw invalid(`${where} needs values as a non-empty array of numbers`);
  }
  return values;
}

function sameNumbers(a: unknown, b: readonly number[]): boolean {
  return (
    isNumberArray(a) &&
    a.length === b.length &&
    a.every((x, i) => x === b[i] || (Number.isNaN(x) && Number.isNaN(b[i])))
  );
}

/** The system attributes with the constraints where Optuna keeps them (`system_attrs["constraints"]`). */
function exportedSystemAttrs(trial: FrozenTrial, where: string): Record<string, unknown> {
  const attrs: Record<string, unknown> = { ...trial.systemAttrs };
  const { constraints } = trial;
  if (constraints === undefined) return attrs;
  if (!isNumberArray(constraints)) throw invalid(`${where} needs constraints as an array of numbers`);
  if (Object.hasOwn(attrs, CONSTRAINTS_KEY) && !sameNumbers(attrs[CONSTRAINTS_KEY], constraints)) {
    throw invalid(
      `${where} has constraints that differ from its system attribute "constraints", where Optuna keeps them`,
    );
  }
  setKey(
    attrs,
    CONSTRAINTS_KEY,
    constraints.map((c) => new PyFloat(c)),
  );
  return attrs;
}

function createTrialLog(trial: FrozenTrial, studyId: number, where: string): Record<string, unknown> {
  const state = STATES.indexOf(trial.state);
  if (state < 0)
    throw invalid(`${where} has state ${formatNumber(trial.state)}; expected one of ${STATES.join(', ')}`);
  const values = exportedValues(trial, where);
  const several = values !== undefined && values.length > 1;
  const log: Record<string, unknown> = {
    op_code: OP.createTrial,
    worker_id: WORKER_ID,
    study_id: studyId,
    datetime_start:
      trial.startedAt === undefined ? null : writeDatetime(trial.startedAt, `${where} startedAt`),
    state,
    value: values === undefined || several ? null : new PyFloat(values[0] as number),
    values: several ? values.map((v) => new PyFloat(v)) : null,
  };
  if (trial.completedAt !== undefined) {
    log.datetime_complete = writeDatetime(trial.completedAt, `${where} completedAt`);
  }
  const distributions: Record<string, string> = {};
  for (const [name, spec] of Object.entries(trial.distributions)) {
    within(where, () => checkSpec(name, spec));
    setKey(distributions, name, distributionToJson(spec));
  }
  const params: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(trial.params)) {
    if (!Object.hasOwn(trial.distributions, name)) {
      throw invalid(`${where} has parameter "${name}" without a distribution`);
    }
    const spec = trial.distributions[name] as SearchSpace[string];
    const internal = within(`${where} parameter "${name}"`, () => toInternal(spec, value));
    // Optuna's internal value is a float, or a choice's index (an int) for a categorical parameter.
    setKey(params, name, spec.type === 'categorical' ? internal : new PyFloat(internal));
  }
  const intermediate = Object.entries(trial.intermediateValues).map(([step, v]) => {
    if (!/^-?\d+$/.test(step) || typeof v !== 'number') {
      throw invalid(
        `${where} has intermediate value ${formatNumber(v)} at step "${step}"; expected numbers at integer steps`,
      );
    }
    return [step, new PyFloat(v)] as const;
  });
  log.distributions = distributions;
  log.params = params;
  log.user_attrs = trial.userAttrs;
  log.system_attrs = exportedSystemAttrs(trial, where);
  log.intermediate_values = Object.fromEntries(intermediate);
  return log;
}

function attrLogs(op: number, key: string, studyId: number, attrs: Record<string, JsonValue> | undefined) {
  return Object.entries(attrs ?? {}).map(([name, value]) => {
    const attr: Record<string, unknown> = {};
    setKey(attr, name, value);
    return { op_code: op, worker_id: WORKER_ID, study_id: studyId, [key]: attr };
  });
}

/**
 * Writes studies as an Optuna 3.1 journal file (`optuna.storages.JournalFileStorage`): JSON lines as Optuna's
 * `JournalStorage` writes them, so that Optuna, `optuna-dashboard` and `optuna.load_study` open the studies.
 *
 * Each study becomes a `CREATE_STUDY` operation (study ids 0, 1, … in the given order), one operation per study
 * system attribute and user attribute, and one `CREATE_TRIAL` per trial carrying the whole trial as a template, as
 * `optuna.copy_study` writes it: state, value (one objective) or values (several), parameters in Optuna's internal
 * representation (floats, or a choice's index), `distribution_to_json` strings (`FloatDistribution`,
 * `IntDistribution`, `CategoricalDistribution`), attributes, intermediate values and datetimes. Trial ids are
 * global across studies in file order. Constraints go to the system attribute `"constraints"`, where Optuna's
 * samplers read them. Numbers are written as Python's json module writes them (`1.0`, `1e-05`, `NaN`, `Infinity`).
 *
 * Datetimes: Optuna writes naive local time; we write UTC without an offset (`2026-11-23T03:18:18.123456`), so the
 * file is the same on every machine and reads back to the same epoch milliseconds with {@link fromOptunaJournal}.
 * Every line names the worker `mlcycle-export`. JavaScript has one number type, so an integral attribute value or
 * categorical choice is written as a Python int (`1` where Optuna may have held `1.0`); parameter values, objective
 * values and intermediate values are written as floats, as Optuna holds them.
 *
 * @param studies - the studies; names must be unique and each study's trials numbered 0, 1, 2, … in order.
 * @returns the journal text, one operation per line, each line ending with `\n`.
 * @throws MlcycleError `INVALID_ARGUMENT` for a duplicate study name, a missing direction, misnumbered trials, a
 * parameter without a distribution or outside its choices, constraints that differ from the system attribute
 * `"constraints"`, or a datetime outside the years 1–9999.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { toOptunaJournal } from 'mlcycle';
 *
 * writeFileSync('journal.log', toOptunaJournal([{ name: 'lgbm', directions: ['minimize'], trials: tuner.trials }]));
 * // optuna-dashboard journal.log   (or: JournalStorage(JournalFileStorage("journal.log")) in Python)
 * ```
 */
export function toOptunaJournal(studies: readonly OptunaJournalStudyInput[]): string {
  if (!Array.isArray(studies)) throw invalid('toOptunaJournal needs an array of studies');
  const names = new Set<string>();
  const logs: Record<string, unknown>[] = [];
  studies.forEach((study, studyId) => {
    if (typeof study?.name !== 'string') throw invalid(`studies[${studyId}] needs a string name`);
    const where = `study ${JSON.stringify(study.name)}`;
    if (names.has(study.name))
      throw invalid(`${where} appears twice; study names must be unique in a journal`);
    names.add(study.name);
    const { directions, trials } = study;
    if (
      !Array.isArray(directions) ||
      directions.length === 0 ||
      directions.some((d) => !(d === 'minimize' || d === 'maximize'))
    ) {
      throw invalid(`${where} needs directions, a non-empty array of 'minimize' and 'maximize'`);
    }
    if (!Array.isArray(trials)) throw invalid(`${where} needs an array of trials`);
    logs.push({
      op_code: OP.createStudy,
      worker_id: WORKER_ID,
      study_name: study.name,
      directions: directions.map((d) => (d === 'minimize' ? 1 : 2)),
    });
    logs.push(...attrLogs(OP.studySystemAttr, 'system_attr', studyId, study.systemAttrs));
    logs.push(...attrLogs(OP.studyUserAttr, 'user_attr', studyId, study.userAttrs));
    trials.forEach((trial, i) => {
      if (trial?.number !== i) {
        throw invalid(
          `${where} has trials[${i}] numbered ${formatNumber(trial?.number)}; trials must be numbered 0, 1, 2, … in order`,
        );
      }
      logs.push(createTrialLog(trial, studyId, `${where} trial ${i}`));
    });
  });
  return logs.map((log) => `${pyDumps(log)}\n`).join('');
}

/**
 * Reads an Optuna 3.1 journal file (`optuna.storages.JournalFileStorage`) by replaying its operations as Optuna's
 * `JournalStorage` does: all ten operations; a study created twice under one name keeps the first; updates of an
 * unknown study or trial, of a finished trial, or of a parameter with a distribution of another kind are ignored; a
 * deleted study is dropped; trials are numbered per study in creation order. Legacy distributions
 * (`UniformDistribution`, `LogUniformDistribution`, `DiscreteUniformDistribution`, `IntUniformDistribution`,
 * `IntLogUniformDistribution`) and the abbreviated `{"type": …}` form are read as our float and int specs, with
 * `high` lowered onto the step grid as Optuna's constructors do. Python's `NaN`, `Infinity` and `-Infinity` tokens
 * are accepted. An incomplete last line (a writer that crashed mid-line) is ignored, as Optuna ignores it.
 *
 * Each trial comes back with `value` (its first value) and `values` whenever Optuna holds values for it (Optuna also
 * gives a pruned trial its last intermediate value); a list of numbers in the system attribute `"constraints"` (where
 * Optuna's samplers keep constraint values) becomes `constraints`; datetimes become epoch milliseconds, keeping the
 * microseconds as a fraction, and a datetime without an offset is read as UTC (Optuna writes local time).
 *
 * @param text - the journal file's text.
 * @returns the live studies in creation order.
 * @throws MlcycleError `INTEGRITY` naming the line for a line that is not JSON (other than the last) or an operation
 * Optuna would refuse (a missing field, an unknown op code, a malformed distribution or datetime), and for what
 * mlcycle cannot hold (a study direction `NOT_SET`, non-finite distribution bounds, repeated choices).
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { fromOptunaJournal } from 'mlcycle';
 *
 * const [study] = fromOptunaJournal(readFileSync('optuna-journal.log', 'utf8'));
 * await tuner.addTrials(study.trials.filter((t) => t.state === 'COMPLETE')); // warm-start from Optuna's trials
 * ```
 */
export function fromOptunaJournal(text: string): OptunaJournalStudy[] {
  if (typeof text !== 'string') {
    throw invalid(`fromOptunaJournal needs the journal's text as a string, received ${formatNumber(text)}`);
  }
  // Python decodes the first line with its byte order mark removed.
  const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split('\n');
  if (lines.at(-1) === '') lines.pop();
  const replay = new JournalReplay();
  lines.forEach((line, i) => {
    let log: unknown;
    try {
      log = pyLoads(line);
    } catch (error) {
      if (i === lines.length - 1) return;
      throw new MlcycleError(
        'INTEGRITY',
        `line ${i + 1} of the Optuna journal is not valid JSON (${(error as Error).message}); only the last line may be incomplete`,
        { details: { line: i + 1 }, cause: error },
      );
    }
    try {
      replay.apply(log);
    } catch (error) {
      if (!MlcycleError.is(error)) throw error;
      throw new MlcycleError('INTEGRITY', `line ${i + 1} of the Optuna journal: ${error.message}`, {
        details: { line: i + 1 },
        cause: error,
      });
    }
  });
  return replay.result();
}
