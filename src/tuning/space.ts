import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { roundHalfEven } from '../core/numeric.js';
import type { Random } from '../core/random.js';

/**
 * A value a categorical parameter may take: the types Optuna 3.1 recommends for `CategoricalDistribution` choices.
 */
export type CategoricalChoice = string | number | boolean | null;

/**
 * One parameter's distribution, as Optuna 3.1's `FloatDistribution` (`float`), `IntDistribution` (`int`), each with
 * an optional log scale or step grid, and `CategoricalDistribution` (`categorical`). A `high` that is off its step
 * grid is lowered onto it, as Optuna does.
 */
export type ParamSpec =
  | {
      /** A real parameter. */
      type: 'float';
      /** Smallest value. */
      low: number;
      /** Largest value (included; a sampler may never draw it on a continuous range, as in Optuna). */
      high: number;
      /** Sample on a log scale (`low` > 0; no `step`). */
      log?: boolean;
      /** Grid spacing: values are `low + k·step`; `high` is lowered onto the grid. */
      step?: number;
    }
  | {
      /** An integer parameter. */
      type: 'int';
      /** Smallest value, an integer. */
      low: number;
      /** Largest value, an integer, included. */
      high: number;
      /** Sample on a log scale (`low` ≥ 1; step 1). */
      log?: boolean;
      /** Grid spacing, a positive integer; `high` is lowered onto the grid. @defaultValue 1 */
      step?: number;
    }
  | {
      /** A parameter chosen from a list. */
      type: 'categorical';
      /** The choices: at least one, no duplicates. */
      choices: readonly CategoricalChoice[];
    };

/**
 * A parameter's value: a number for `float` and `int` parameters, one of the choices for `categorical` ones.
 */
export type ParamValue = CategoricalChoice;

/**
 * A parameter set: one value per parameter name.
 */
export type Params = Record<string, ParamValue>;

/**
 * A search space: one {@link ParamSpec} per parameter name.
 */
export type SearchSpace = Record<string, ParamSpec>;

/**
 * The parameter set a declarative search space produces: `number` for `float` and `int` parameters, the union of the
 * choices for `categorical` ones. Declare the space `as const satisfies SearchSpace` so the choices keep their
 * literal types.
 *
 * @example
 * ```ts
 * const space = {
 *   lr: { type: 'float', low: 1e-4, high: 1, log: true },
 *   kind: { type: 'categorical', choices: ['a', 'b'] },
 * } as const satisfies SearchSpace;
 * type P = ParamsOf<typeof space>; // { lr: number; kind: 'a' | 'b' }
 * ```
 */
export type ParamsOf<S extends SearchSpace> = { -readonly [K in keyof S]: SpecValue<S[K]> };

/** The value type of one spec; distributes over a union of specs, so a widened `ParamSpec` gives `ParamValue`. */
export type SpecValue<P extends ParamSpec> = P extends {
  /** A categorical spec… */
  type: 'categorical';
  /** …gives the union of its choices; a numeric one gives `number`. */
  choices: readonly (infer C)[];
}
  ? C
  : number;

/**
 * A `float` or `int` spec.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export type NumericSpec = Exclude<ParamSpec, { type: 'categorical' }>;

function invalid(message: string): MlcycleError {
  return new MlcycleError('INVALID_ARGUMENT', message);
}

function whereOf(name: string | undefined): string {
  return name === undefined ? 'the parameter' : `search space parameter "${name}"`;
}

/**
 * Equality of choices as Optuna's `_categorical_choice_equal`, except that `true` and `1` differ (NaN equals NaN).
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function sameChoice(a: CategoricalChoice, b: CategoricalChoice): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/** A decimal `m · 10^e` made from a number's shortest round-trip text, as Python's `Decimal(str(x))`. */
interface Decimal {
  m: bigint;
  e: number;
}

function decimalOf(x: number): Decimal {
  const [mantissa = '0', exponent = '0'] = String(x).split('e');
  const [whole = '0', fraction = ''] = mantissa.split('.');
  return { m: BigInt(whole + fraction), e: Number(exponent) - fraction.length };
}

/** `low`, `high` and `step` as integers in units of their finest decimal place, exactly. */
function decimalGrid(spec: NumericSpec): { low: bigint; range: bigint; step: bigint; e: number } {
  const parts = [decimalOf(spec.low), decimalOf(spec.high), decimalOf(spec.step ?? 1)];
  const e = Math.min(...parts.map((d) => d.e));
  const [low, high, step] = parts.map((d) => d.m * 10n ** BigInt(d.e - e)) as [bigint, bigint, bigint];
  return { low, range: high - low, step, e };
}

function checkChoices(choices: unknown, where: string): void {
  if (!Array.isArray(choices) || choices.length === 0) throw invalid(`${where} needs at least one choice`);
  choices.forEach((choice, i) => {
    if (choice !== null && !['string', 'number', 'boolean'].includes(typeof choice)) {
      throw invalid(
        `${where} has choices[${i}] of type ${typeof choice}; choices must be strings, numbers, booleans or null`,
      );
    }
    if (choices.findIndex((other) => sameChoice(other, choice)) < i) {
      throw invalid(`${where} lists the choice ${formatNumber(choice)} more than once`);
    }
  });
}

function check(spec: ParamSpec, where: string): void {
  if (typeof spec !== 'object' || spec === null || !['float', 'int', 'categorical'].includes(spec.type)) {
    throw invalid(`${where} needs type 'float', 'int' or 'categorical'`);
  }
  if (spec.type === 'categorical') {
    checkChoices(spec.choices, where);
    return;
  }
  const { low, high, log = false, step } = spec;
  if (!Number.isFinite(low) || !Number.isFinite(high) || low > high) {
    throw invalid(
      `${where} needs finite low <= high, received low=${formatNumber(low)}, high=${formatNumber(high)}`,
    );
  }
  const isInt = spec.type === 'int';
  if (isInt && (!Number.isSafeInteger(low) || !Number.isSafeInteger(high))) {
    throw invalid(`${where} is an int parameter and needs integer bounds`);
  }
  // Optuna allows an int log range only with the default step 1, and a float log range with no step at all.
  if (log && step !== undefined && (!isInt || step !== 1))
    throw invalid(`${where} cannot have both log and step`);
  if (log && (isInt ? low < 1 : low <= 0)) {
    throw invalid(`${where} is on a log scale and needs low ${isInt ? '>= 1' : '> 0'}`);
  }
  if (
    step !== undefined &&
    (!(step > 0) || !Number.isFinite(step) || (isInt && !Number.isSafeInteger(step)))
  ) {
    throw invalid(
      `${where} needs a positive ${isInt ? 'integer' : 'finite'} step, received step=${formatNumber(step)}`,
    );
  }
}

/**
 * Throws `INVALID_ARGUMENT` unless `spec` is a valid distribution (Optuna 3.1's rules, plus finite bounds, integer
 * int bounds and steps, and distinct categorical choices). A `step` need not divide `high − low`: see
 * {@link normaliseSpec}.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function checkSpec(name: string, spec: ParamSpec): void {
  check(spec, whereOf(name));
}

function normalise(spec: ParamSpec, where: string): ParamSpec {
  check(spec, where);
  if (spec.type === 'categorical' || spec.step === undefined) return spec;
  if (spec.type === 'int') {
    const range = spec.high - spec.low;
    return range % spec.step === 0
      ? spec
      : { ...spec, high: spec.low + Math.floor(range / spec.step) * spec.step };
  }
  // Optuna's `_adjust_discrete_uniform_high` works in decimal so that e.g. [0, 1] with step 0.1 keeps high = 1.
  const { low, range, step, e } = decimalGrid(spec);
  if (range % step === 0n) return spec;
  return { ...spec, high: Number(`${(range / step) * step + low}e${e}`) };
}

/**
 * Validates `spec` ({@link checkSpec}) and returns it with `high` lowered onto its step grid
 * (`low + ⌊(high − low)/step⌋·step`, in decimal arithmetic for floats) when the step does not divide `high − low`, as
 * Optuna 3.1's distributions do on construction (it warns; we return the adjusted spec, the input is not changed).
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function normaliseSpec(name: string, spec: ParamSpec): ParamSpec {
  return normalise(spec, whereOf(name));
}

/**
 * Throws `INVALID_ARGUMENT` unless every parameter's distribution is valid and already normalised (its `high` on its
 * step grid; see {@link normaliseSpec}).
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function checkSearchSpace(space: SearchSpace): void {
  if (typeof space !== 'object' || space === null || Object.keys(space).length === 0) {
    throw invalid('the search space must name at least one parameter');
  }
  for (const [name, spec] of Object.entries(space)) {
    if (normaliseSpec(name, spec) !== spec) {
      throw invalid(
        `search space parameter "${name}" needs a positive step that divides high - low, received step=${formatNumber((spec as NumericSpec).step)}`,
      );
    }
  }
}

/**
 * Whether a (normalised) distribution has a single value: one choice, or `low === high`. Samplers return that value
 * without drawing, as Optuna's do.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function isSingleValued(spec: ParamSpec): boolean {
  return spec.type === 'categorical' ? spec.choices.length === 1 : spec.low === spec.high;
}

/**
 * Whether two distributions are the same, defaults filled in (`log` false, int `step` 1). Compare normalised specs
 * (see {@link normaliseSpec}) for Optuna's equality. Choices compare with `===` (NaN equal to NaN), in order.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function sameSpec(a: ParamSpec, b: ParamSpec): boolean {
  if (a.type === 'categorical' || b.type === 'categorical') {
    if (a.type !== 'categorical' || b.type !== 'categorical') return false;
    return (
      a.choices.length === b.choices.length &&
      a.choices.every((choice, i) => sameChoice(choice, b.choices[i] as CategoricalChoice))
    );
  }
  return (
    a.type === b.type &&
    a.low === b.low &&
    a.high === b.high &&
    (a.log ?? false) === (b.log ?? false) &&
    gridStep(a) === gridStep(b)
  );
}

/** The grid step of a numeric distribution: its step, 1 for an integer without one, undefined for a plain float. */
function gridStep(spec: NumericSpec): number | undefined {
  return spec.step ?? (spec.type === 'int' ? 1 : undefined);
}

/**
 * Throws `INVALID_ARGUMENT` unless `next`, the distribution a parameter is suggested with now, is the same (once
 * normalised) as `previous`, the one it had before: within a study a parameter name keeps one distribution. This is
 * stricter than Optuna 3.1, which lets numeric ranges change and only requires the same kind, log scale and choices.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function checkCompatible(name: string, previous: ParamSpec, next: ParamSpec): void {
  // The same fields are the same distribution once normalised too: the common case, without validating both again.
  if (sameSpec(previous, next)) return;
  const before = normaliseSpec(name, previous);
  const now = normaliseSpec(name, next);
  if (!sameSpec(before, now)) {
    throw invalid(
      `parameter "${name}" was suggested as ${describe(before)} before and as ${describe(now)} now; a parameter must keep the same distribution throughout a study`,
    );
  }
}

/**
 * The distribution in words, as messages show it: `float in [0.0001, 1] on a log scale`, `int in [1, 9] with step
 * 2`, `categorical from ["a", "b"]`.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function describe(spec: ParamSpec): string {
  if (spec.type === 'categorical') return `categorical from [${spec.choices.map(formatNumber).join(', ')}]`;
  const range = `${spec.type} in [${formatNumber(spec.low)}, ${formatNumber(spec.high)}]`;
  if (spec.log) return `${range} on a log scale`;
  return spec.step === undefined || (spec.type === 'int' && spec.step === 1)
    ? range
    : `${range} with step ${formatNumber(spec.step)}`;
}

/**
 * Whether `value` belongs to the distribution, as Optuna 3.1's `_contains` of its internal representation: within
 * `[low, high]` and, on a float grid, within 1e-8 steps of a grid point (exactly on it for ints); a categorical value
 * must be one of the choices. Non-numbers are never in a numeric range.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function contains(spec: ParamSpec, value: ParamValue): boolean {
  if (spec.type === 'categorical') return spec.choices.some((choice) => sameChoice(choice, value));
  if (typeof value !== 'number' || !(value >= spec.low && value <= spec.high)) return false;
  if (spec.type === 'int') return (value - spec.low) % (spec.step ?? 1) === 0;
  if (spec.step === undefined) return true;
  const k = (value - spec.low) / spec.step;
  return Math.abs(k - Math.round(k)) < 1e-8;
}

/**
 * A value as samplers see it, Optuna 3.1's `to_internal_repr`: numbers stay as they are (not NaN, > 0 on a log
 * scale; not checked against the range), a categorical value becomes its choice's index.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function toInternal(spec: ParamSpec, value: ParamValue): number {
  if (spec.type === 'categorical') {
    const index = spec.choices.findIndex((choice) => sameChoice(choice, value));
    if (index < 0) throw invalid(`${formatNumber(value)} is not a choice of ${describe(spec)}`);
    return index;
  }
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw invalid(`${describe(spec)} needs a number, received ${formatNumber(value)}`);
  }
  if (spec.log && value <= 0) {
    throw invalid(`${describe(spec)} needs a positive value, received ${formatNumber(value)}`);
  }
  return value;
}

/**
 * A sampler's internal value back as the parameter's value, Optuna 3.1's `to_external_repr`: floats unchanged, ints
 * truncated towards zero (Python's `int`), a categorical index (truncated) to its choice.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function fromInternal(spec: ParamSpec, x: number): ParamValue {
  if (typeof x !== 'number' || Number.isNaN(x)) {
    throw invalid(`an internal value must be a number, received ${formatNumber(x)}`);
  }
  if (spec.type === 'float') return x;
  if (spec.type === 'int') return Math.trunc(x);
  const index = Math.trunc(x);
  // Python would read a negative index from the end; an index outside the choices is a bug, so we refuse it.
  if (!(index >= 0 && index < spec.choices.length)) {
    throw invalid(`internal value ${formatNumber(x)} is not a choice index of ${describe(spec)}`);
  }
  return spec.choices[index] as CategoricalChoice;
}

function gridCount(spec: ParamSpec, where: string): number {
  const s = normalise(spec, where);
  if (s.type === 'categorical') return s.choices.length;
  if (s.type === 'int') return (s.high - s.low) / (s.step ?? 1) + 1;
  if (s.step !== undefined) {
    const { range, step } = decimalGrid(s);
    return Number(range / step) + 1;
  }
  if (s.low === s.high) return 1;
  throw invalid(
    `${where} is a continuous ${describe(s)}; grid search needs a step or an explicit list of values (a categorical parameter)`,
  );
}

/**
 * Every value of a finite distribution, in increasing order (choices in their order): what a grid search visits.
 * Float grid points are `low + k·step` computed in decimal, so [0, 1] with step 0.1 gives 0.3, not
 * 0.30000000000000004. Throws `INVALID_ARGUMENT` for a continuous float range.
 *
 * @param name - the parameter's name, for messages.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function gridPoints(spec: ParamSpec, name?: string): ParamValue[] {
  const where = whereOf(name);
  const count = gridCount(spec, where);
  const s = normalise(spec, where);
  if (s.type === 'categorical') return [...s.choices];
  if (s.type === 'int') return Array.from({ length: count }, (_, k) => s.low + k * (s.step ?? 1));
  if (s.step === undefined) return [s.low];
  const { low, step, e } = decimalGrid(s);
  return Array.from({ length: count }, (_, k) => Number(`${low + BigInt(k) * step}e${e}`));
}

/**
 * The number of points of the full grid over `space`: the product of each parameter's {@link gridPoints} count.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function gridSize(space: SearchSpace): number {
  if (typeof space !== 'object' || space === null || Object.keys(space).length === 0) {
    throw invalid('the search space must name at least one parameter');
  }
  return Object.entries(space).reduce((size, [name, spec]) => size * gridCount(spec, whereOf(name)), 1);
}

/** The largest double below `x` (numpy.nextafter(x, -inf)). */
function nextBelow(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const box = new Float64Array([x]);
  const bits = new BigInt64Array(box.buffer);
  bits[0] = (bits[0] as bigint) + (x > 0 ? -1n : 1n);
  return box[0] as number;
}

/**
 * Optuna 3.1's `_SearchSpaceTransform` bounds of a numeric parameter: on the log scale where asked, and half a step
 * beyond each end of a grid.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function transformedBounds(spec: NumericSpec): [number, number] {
  const half = spec.step !== undefined || spec.type === 'int' ? 0.5 * (spec.step ?? 1) : 0;
  if (spec.log) {
    return spec.type === 'int'
      ? [Math.log(spec.low - half), Math.log(spec.high + half)]
      : [Math.log(spec.low), Math.log(spec.high)];
  }
  return [spec.low - half, spec.high + half];
}

/**
 * A numeric value on the transformed scale of {@link transformedBounds} (its log on a log scale).
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function toTransformed(value: number, spec: NumericSpec): number {
  return spec.log ? Math.log(value) : value;
}

/**
 * Back from the transformed scale to a value in range and on the grid (Optuna 3.1's `_untransform_numerical_param`).
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function fromTransformed(x: number, spec: NumericSpec): number {
  const { low, high } = spec;
  if (spec.type === 'int' || spec.step !== undefined) {
    const v = spec.log
      ? roundHalfEven(Math.exp(x))
      : roundHalfEven((x - low) / (spec.step ?? 1)) * (spec.step ?? 1) + low;
    return Math.min(Math.max(v, low), high);
  }
  const v = spec.log ? Math.exp(x) : x;
  // A continuous range excludes `high` (as Optuna's does) unless it is a single value; `low` guards rounding in exp.
  return low === high ? low : Math.max(low, Math.min(v, nextBelow(high)));
}

/**
 * One value drawn uniformly from a parameter's range, as Optuna 3.1's `RandomSampler` draws it: uniform on the
 * transformed scale (log for log ranges, half a step past each end of a grid) and mapped back (rounded half to even
 * onto the grid, clipped into range).
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function sampleParam(spec: ParamSpec, rng: Random): ParamValue {
  if (spec.type === 'categorical')
    return spec.choices[rng.int(0, spec.choices.length - 1)] as CategoricalChoice;
  const [lo, hi] = transformedBounds(spec);
  return fromTransformed(lo + (hi - lo) * rng.float(), spec);
}
