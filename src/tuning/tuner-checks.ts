import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { checkCompatible, contains, describe, normaliseSpec, type ParamSpec, sameSpec } from './space.js';
import type { FrozenTrial, StudyDirection } from './types.js';

/** What {@link HyperparameterTuner.tell} accepts: the objective value(s), or a state. */
export type TellResult = number | readonly number[] | 'PRUNED' | 'FAIL';

/** How a trial ends, decided from what the objective returned. */
export interface TellOutcome {
  state: 'COMPLETE' | 'PRUNED' | 'FAIL';
  values?: number[];
  /** Why the trial failed, kept in its system attributes. */
  failReason?: string;
  /** An error to throw once the trial is stored (the objective returned something that is not a value). */
  error?: MlcycleError;
  /** State and values as the constraints function should see them. */
  preview: Pick<FrozenTrial, 'state'> & Partial<Pick<FrozenTrial, 'value' | 'values'>>;
}

/** Decides a running trial's final state and values from `result` (Optuna's `_tell_with_warning`). */
export function tellOutcome(
  trial: FrozenTrial,
  result: TellResult,
  directions: readonly StudyDirection[],
): TellOutcome {
  if (result === 'FAIL') return { state: 'FAIL', preview: { state: 'FAIL' } };
  if (result === 'PRUNED') {
    // As Optuna: a pruned trial keeps its last intermediate value as its value, unless that is NaN.
    const steps = Object.keys(trial.intermediateValues).map(Number);
    const last =
      steps.length === 0 ? undefined : trial.intermediateValues[steps.reduce((a, b) => Math.max(a, b))];
    const values = last === undefined || Number.isNaN(last) ? undefined : [last];
    return {
      state: 'PRUNED',
      ...(values === undefined ? {} : { values }),
      preview: { state: 'PRUNED', ...(values === undefined ? {} : { value: values[0], values }) },
    };
  }
  const values = typeof result === 'number' ? [result] : Array.isArray(result) ? [...result] : undefined;
  if (
    values === undefined ||
    values.length !== directions.length ||
    values.some((v) => typeof v !== 'number')
  ) {
    const expected = directions.length === 1 ? 'a number' : `an array of ${directions.length} numbers`;
    const failReason = `the objective returned ${formatNumber(result as never)}; expected ${expected}, one per direction`;
    return {
      state: 'FAIL',
      failReason,
      error: new MlcycleError('INVALID_ARGUMENT', `trial ${trial.number}: ${failReason}`),
      preview: { state: 'FAIL' },
    };
  }
  if (values.some(Number.isNaN)) {
    return { state: 'FAIL', failReason: 'the objective returned NaN', preview: { state: 'FAIL' } };
  }
  return { state: 'COMPLETE', values, preview: { state: 'COMPLETE', value: values[0], values } };
}

/**
 * Throws `INVALID_ARGUMENT` unless `trial` can be added to a study with `directions` whose parameters so far have
 * `known` distributions: a finished or `WAITING` state, one value per direction for `COMPLETE` (no NaN), and
 * parameters inside valid distributions that agree with the study's.
 */
export function checkTrialToAdd(
  trial: FrozenTrial,
  index: number,
  directions: readonly StudyDirection[],
  known: ReadonlyMap<string, ParamSpec>,
): void {
  const where = `trials[${index}]`;
  const fail = (message: string): never => {
    throw new MlcycleError('INVALID_ARGUMENT', `${where} ${message}`);
  };
  if (typeof trial !== 'object' || trial === null) fail('must be a trial record');
  if (!['COMPLETE', 'PRUNED', 'FAIL', 'WAITING'].includes(trial.state)) {
    fail(`has state ${String(trial.state)}; addTrials takes COMPLETE, PRUNED, FAIL or WAITING trials`);
  }
  if (trial.state === 'COMPLETE') {
    const values = trial.values;
    if (!Array.isArray(values) || values.length !== directions.length) {
      fail(`is COMPLETE and needs values with one number per direction (${directions.length})`);
    }
    if (values?.some((v) => typeof v !== 'number' || Number.isNaN(v)))
      fail('has a value that is not a number');
  }
  const params = trial.params ?? {};
  const distributions = trial.distributions ?? {};
  for (const name of Object.keys(params)) {
    const spec = distributions[name];
    if (spec === undefined) fail(`has parameter "${name}" without a distribution`);
    const normal = normaliseSpec(name, spec as ParamSpec);
    if (!sameSpec(normal, spec as ParamSpec)) fail(`has parameter "${name}" whose high is off its step grid`);
    if (!contains(normal, params[name] ?? null)) {
      fail(`has ${name}=${formatNumber(params[name] as never)}, which is not in ${describe(normal)}`);
    }
    const before = known.get(name);
    if (before !== undefined) checkCompatible(name, before, normal);
  }
  for (const name of Object.keys(distributions)) {
    if (!Object.hasOwn(params, name)) fail(`has a distribution for "${name}" but no value`);
  }
  for (const [step, value] of Object.entries(trial.intermediateValues ?? {})) {
    if (!/^\d+$/.test(step) || typeof value !== 'number') {
      fail(
        `has intermediate value ${formatNumber(value as never)} at step ${step}; expected numbers at integer steps >= 0`,
      );
    }
  }
}
