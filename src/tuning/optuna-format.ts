/**
 * Optuna 3.1's representations of a distribution (`distribution_to_json` / `json_to_distribution`, legacy classes
 * included) and of a datetime (`isoformat(timespec="microseconds")` / `fromisoformat`), as the journal holds them.
 *
 * @module
 */
import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { PyFloat, pyDumps, pyLoads } from './python-json.js';
import { type CategoricalChoice, normaliseSpec, type ParamSpec } from './space.js';

/**
 * A distribution read from Optuna: our spec and the Python class it was written as (Optuna only lets a parameter
 * keep one class within a study, so `UniformDistribution` and `FloatDistribution` differ there).
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export interface OptunaDistribution {
  /** The spec, normalised as Optuna's constructor does (`high` lowered onto the step grid). */
  spec: ParamSpec;
  /** The Python class name. */
  className: string;
}

function corrupt(message: string): MlcycleError {
  return new MlcycleError('INTEGRITY', message);
}

/**
 * Optuna's `distribution_to_json`: `FloatDistribution`, `IntDistribution` or `CategoricalDistribution` with the
 * attributes in the order Python's `__dict__` keeps them.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function distributionToJson(spec: ParamSpec): string {
  if (spec.type === 'categorical') {
    return pyDumps({ name: 'CategoricalDistribution', attributes: { choices: [...spec.choices] } });
  }
  const { low, high, log = false, step } = spec;
  if (spec.type === 'int') {
    return pyDumps({ name: 'IntDistribution', attributes: { log, step: step ?? 1, low, high } });
  }
  const attributes = {
    step: step === undefined ? null : new PyFloat(step),
    low: new PyFloat(low),
    high: new PyFloat(high),
    log,
  };
  return pyDumps({ name: 'FloatDistribution', attributes });
}

type Attributes = Record<string, unknown>;
type Builder = (a: Attributes) => ParamSpec;

const numeric = (
  type: 'float' | 'int',
  low: unknown,
  high: unknown,
  log: unknown,
  step: unknown,
): ParamSpec => {
  const spec: Record<string, unknown> = { type, low, high };
  if (log !== false) spec.log = log;
  if (step !== null && step !== undefined && !(type === 'int' && step === 1)) spec.step = step;
  return spec as ParamSpec;
};

/** Each class Optuna 3.1's `json_to_distribution` knows, with its constructor's keyword arguments and defaults. */
const CLASSES: Record<string, { args: Record<string, unknown>; build: Builder }> = {
  FloatDistribution: {
    args: { low: undefined, high: undefined, log: false, step: null },
    build: (a) => numeric('float', a.low, a.high, a.log, a.step),
  },
  UniformDistribution: {
    args: { low: undefined, high: undefined },
    build: (a) => numeric('float', a.low, a.high, false, null),
  },
  LogUniformDistribution: {
    args: { low: undefined, high: undefined },
    build: (a) => numeric('float', a.low, a.high, true, null),
  },
  DiscreteUniformDistribution: {
    args: { low: undefined, high: undefined, q: undefined },
    build: (a) => numeric('float', a.low, a.high, false, a.q),
  },
  IntDistribution: {
    args: { low: undefined, high: undefined, log: false, step: 1 },
    build: (a) => numeric('int', a.low, a.high, a.log, a.step),
  },
  IntUniformDistribution: {
    args: { low: undefined, high: undefined, step: 1 },
    build: (a) => numeric('int', a.low, a.high, false, a.step),
  },
  IntLogUniformDistribution: {
    args: { low: undefined, high: undefined, step: 1 },
    build: (a) => numeric('int', a.low, a.high, true, a.step),
  },
  CategoricalDistribution: {
    args: { choices: undefined },
    build: (a) => ({ type: 'categorical', choices: a.choices as CategoricalChoice[] }),
  },
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keyword arguments as Python binds them: unknown names and missing required ones are errors. */
function bind(className: string, given: Attributes): Attributes {
  const { args } = CLASSES[className] as { args: Record<string, unknown> };
  for (const key of Object.keys(given)) {
    if (!(key in args)) throw corrupt(`${className} has no attribute "${key}"`);
  }
  const out: Attributes = {};
  for (const [key, fallback] of Object.entries(args)) {
    const v = key in given ? given[key] : fallback;
    if (v === undefined) throw corrupt(`${className} needs the attribute "${key}"`);
    out[key] = v;
  }
  return out;
}

function checked(spec: ParamSpec, className: string, name: string): ParamSpec {
  const { log, step } = spec as { log?: unknown; step?: unknown };
  const where = `${className} of parameter "${name}"`;
  if (log !== undefined && typeof log !== 'boolean') throw corrupt(`${where} needs a boolean log`);
  if (spec.type !== 'categorical' && step !== undefined && typeof step !== 'number') {
    throw corrupt(`${where} needs a numeric step, received ${formatNumber(step)}`);
  }
  try {
    return normaliseSpec(name, spec);
  } catch (error) {
    throw new MlcycleError('INTEGRITY', (error as Error).message, { cause: error });
  }
}

/**
 * Optuna 3.1's `json_to_distribution`: the `{"name", "attributes"}` form of any class, legacy ones included
 * (`UniformDistribution`, `LogUniformDistribution`, `DiscreteUniformDistribution`, `IntUniformDistribution`,
 * `IntLogUniformDistribution`), and the abbreviated `{"type": "float" | "int" | "categorical", …}` form. Throws
 * `INTEGRITY` for text Optuna would refuse, and for specs mlcycle cannot hold (non-finite bounds, repeated choices).
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function readDistribution(json: unknown, name: string): OptunaDistribution {
  if (typeof json !== 'string')
    throw corrupt(`a distribution must be a JSON string, received ${formatNumber(json)}`);
  let d: unknown;
  try {
    d = pyLoads(json);
  } catch (error) {
    throw corrupt(`the distribution ${JSON.stringify(json)} is not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(d)) throw corrupt(`the distribution ${JSON.stringify(json)} is not a JSON object`);
  if ('name' in d) {
    const className = d.name;
    if (typeof className !== 'string' || !(className in CLASSES)) {
      throw corrupt(`unknown distribution class ${formatNumber(className)}`);
    }
    if (!isObject(d.attributes)) throw corrupt(`${className} needs an attributes object`);
    const attributes = bind(className, d.attributes);
    return {
      spec: checked((CLASSES[className] as { build: Builder }).build(attributes), className, name),
      className,
    };
  }
  if (d.type === 'categorical') {
    const className = 'CategoricalDistribution';
    return {
      spec: checked({ type: 'categorical', choices: d.choices as CategoricalChoice[] }, className, name),
      className,
    };
  }
  if (d.type === 'float' || d.type === 'int') {
    const className = d.type === 'float' ? 'FloatDistribution' : 'IntDistribution';
    const spec = numeric(d.type, d.low, d.high, d.log ?? false, d.step ?? (d.type === 'int' ? 1 : null));
    return { spec: checked(spec, className, name), className };
  }
  throw corrupt(`unknown distribution type ${formatNumber(d.type)}`);
}

/** Python's `==` between two choices (`True == 1`, `1 == 1.0`), with NaN equal to NaN as Optuna's choice equality. */
function pythonEqual(a: CategoricalChoice, b: CategoricalChoice): boolean {
  const x = typeof a === 'boolean' ? Number(a) : a;
  const y = typeof b === 'boolean' ? Number(b) : b;
  return x === y || (Number.isNaN(x) && Number.isNaN(y));
}

/**
 * Optuna 3.1's `check_distribution_compatibility`: the same class, the same log scale, and for categoricals the same
 * choices. A journal operation that breaks it is ignored on replay.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function compatible(previous: OptunaDistribution, next: OptunaDistribution): boolean {
  if (previous.className !== next.className) return false;
  const [a, b] = [previous.spec, next.spec];
  if (a.type === 'categorical' || b.type === 'categorical') {
    if (a.type !== 'categorical' || b.type !== 'categorical') return false;
    return (
      a.choices.length === b.choices.length &&
      a.choices.every((c, i) => pythonEqual(c, b.choices[i] as CategoricalChoice))
    );
  }
  return (a.log ?? false) === (b.log ?? false);
}

// Extended ISO 8601 as Python 3.11's `datetime.fromisoformat` reads it: date, then optional time and UTC offset.
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2}(?:\.\d{1,6})?)?)?)?)?$/;

function offsetMs(offset: string | undefined): number {
  if (offset === undefined || offset === 'Z') return 0;
  const [, h = '0', m = '0', s = '0'] = /^[+-](\d{2}):?(\d{2})?:?(\d{2}(?:\.\d+)?)?$/.exec(offset) ?? [];
  return (offset.startsWith('-') ? -1 : 1) * ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000;
}

/**
 * Epoch milliseconds from a datetime as Optuna writes it (`2026-11-23T03:18:18.123456`) or as Python 3.11's
 * `fromisoformat` reads it in extended form (minutes, seconds and fraction optional, `Z` or `±hh:mm` offsets). A
 * datetime without an offset is read as UTC. Microseconds survive as a fraction of a millisecond. Throws `INTEGRITY`
 * for anything else.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function readDatetime(text: unknown): number {
  const m = typeof text === 'string' ? ISO.exec(text) : null;
  if (m === null) throw corrupt(`${formatNumber(text)} is not an ISO 8601 datetime`);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((v) => Number(v ?? 0)) as number[];
  const date = new Date(0);
  date.setUTCFullYear(year as number, (month as number) - 1, day);
  date.setUTCHours(hour as number, minute, second);
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== (month as number) - 1 ||
    date.getUTCDate() !== day ||
    date.getUTCHours() !== hour ||
    date.getUTCMinutes() !== minute ||
    date.getUTCSeconds() !== second ||
    year === 0
  ) {
    throw corrupt(`${formatNumber(text)} is not a valid datetime`);
  }
  const micros = Number((m[7] ?? '').slice(0, 6).padEnd(6, '0'));
  const whole = date.getTime() - offsetMs(m[8]) + Math.floor(micros / 1000);
  return whole + (micros % 1000) / 1000;
}

/**
 * Epoch milliseconds as Optuna writes a datetime, `isoformat(timespec="microseconds")` of a naive datetime. Optuna
 * writes local time; we write UTC, without an offset, so that the text is the same on every machine.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function writeDatetime(ms: number, where: string): string {
  const micros = Math.round(ms * 1000);
  const seconds = Math.floor(micros / 1e6);
  // Python's datetime holds the years 1 to 9999.
  if (!Number.isFinite(ms) || seconds < -62135596800 || seconds > 253402300799) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `${where} must be epoch milliseconds within the years 1 to 9999, received ${formatNumber(ms)}`,
    );
  }
  const iso = new Date(seconds * 1000).toISOString();
  return `${iso.slice(0, 19)}.${String(micros - seconds * 1e6).padStart(6, '0')}`;
}
