import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import type { JsonValue } from '../storage/types.js';
import type { CategoricalChoice, ParamSpec, Params, ParamsOf, ParamValue, SearchSpace } from './space.js';

/** Options of {@link Trial.suggestFloat} and {@link Trial.suggestInt}. */
export interface SuggestOptions {
  /** Sample on a log scale (`low` > 0; not with `step`). @defaultValue false */
  log?: boolean;
  /** Grid spacing: values are `low + k·step` (a positive integer for ints). */
  step?: number;
}

/**
 * Thrown by an objective to end its trial as `PRUNED` (Optuna's `TrialPruned`), usually after
 * {@link Trial.shouldPrune} said so.
 */
export class TrialPruned extends Error {
  constructor(message = 'the trial was pruned') {
    super(message);
    this.name = 'TrialPruned';
  }
}

/** What a {@link Trial} asks of its study. @internal used by the tuning module; not part of the public surface. */
export interface TrialHost {
  suggest(number: number, name: string, spec: ParamSpec): ParamValue;
  report(number: number, value: number, step: number): void;
  shouldPrune(number: number): boolean;
  setUserAttr(number: number, key: string, value: JsonValue): void;
  params(number: number): Params;
}

/**
 * One evaluation of the objective, handed to it by the study (Optuna's `Trial`): it suggests parameter values
 * define-by-run, so that which parameters exist may depend on earlier choices, reports intermediate values, and asks
 * whether the pruner wants it stopped.
 *
 * @typeParam P - the parameters' type when the tuner has a declarative `searchSpace`.
 * @example
 * ```ts
 * const tuner = new HyperparameterTuner({ direction: 'minimize' });
 * await tuner.optimize((trial) => {
 *   const kind = trial.suggestCategorical('kind', ['linear', 'tree']);
 *   const depth = kind === 'tree' ? trial.suggestInt('depth', 2, 8) : 0; // a conditional parameter
 *   return (depth - 5) ** 2 + trial.suggestFloat('lr', 1e-4, 1, { log: true });
 * }, { nTrials: 20 });
 * ```
 */
export class Trial<P extends Params = Params> {
  /** @internal */
  constructor(
    private readonly host: TrialHost,
    /** The trial's number in its study, from 0. */
    readonly number: number,
    /** Aborted when the study's `optimize` is aborted: pass it on to long-running work. */
    readonly signal: AbortSignal,
  ) {}

  /** The parameters suggested so far (all of them, before the objective runs, with a declarative search space). */
  get params(): Partial<P> & Params {
    return this.host.params(this.number) as Partial<P> & Params;
  }

  /**
   * A real value in [low, high] (Optuna's `suggest_float`): uniform, on a log scale with `log`, or on the grid
   * `low + k·step` with `step`. Suggesting the same name again in this trial returns the same value.
   */
  suggestFloat(name: string, low: number, high: number, options: SuggestOptions = {}): number {
    return this.host.suggest(this.number, name, numericSpec('float', name, low, high, options)) as number;
  }

  /** An integer in [low, high], both included (Optuna's `suggest_int`), optionally on a log scale or a step grid. */
  suggestInt(name: string, low: number, high: number, options: SuggestOptions = {}): number {
    return this.host.suggest(this.number, name, numericSpec('int', name, low, high, options)) as number;
  }

  /** One of `choices` (Optuna's `suggest_categorical`): strings, numbers, booleans or null. */
  suggestCategorical<const C extends CategoricalChoice>(name: string, choices: readonly C[]): C {
    if (!Array.isArray(choices)) {
      throw new MlcycleError('INVALID_ARGUMENT', `parameter "${name}" needs an array of choices`);
    }
    return this.host.suggest(this.number, name, { type: 'categorical', choices }) as C;
  }

  /** Every parameter of a declarative search space at once, typed from the space. */
  suggest<const S extends SearchSpace>(space: S): ParamsOf<S> {
    const out: Params = {};
    for (const [name, spec] of Object.entries(space)) out[name] = this.host.suggest(this.number, name, spec);
    return out as ParamsOf<S>;
  }

  /** Records an intermediate objective value at `step` (an integer >= 0), e.g. a fold's or an epoch's score. */
  report(value: number, step: number): void {
    this.host.report(this.number, value, step);
  }

  /** Whether the study's pruner wants this trial stopped, judging by its reports so far. */
  shouldPrune(): boolean {
    return this.host.shouldPrune(this.number);
  }

  /** Attaches a JSON value to the trial (kept in `userAttrs`, stored with the study). */
  setUserAttr(key: string, value: JsonValue): void {
    this.host.setUserAttr(this.number, key, value);
  }
}

function numericSpec(
  type: 'float' | 'int',
  name: string,
  low: number,
  high: number,
  options: SuggestOptions,
): ParamSpec {
  if (typeof options !== 'object' || options === null) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `parameter "${name}" options must be an object like { log, step }, received ${formatNumber(options as never)}`,
    );
  }
  const unknown = Object.keys(options).filter((k) => k !== 'log' && k !== 'step');
  if (unknown.length > 0) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `parameter "${name}" has unknown option "${unknown[0]}"; expected log or step`,
    );
  }
  return {
    type,
    low,
    high,
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(options.step === undefined ? {} : { step: options.step }),
  };
}
