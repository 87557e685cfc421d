/**
 * A stand-in for the study engine in the sampler tests: it holds FrozenTrial records and drives a sampler through a
 * trial the way the engine does (beforeTrial, relative sampling, one suggestion at a time, afterTrial).
 */
import {
  contains,
  type ParamSpec,
  type Params,
  type ParamValue,
  type SearchSpace,
  sameSpec,
} from '../../src/tuning/space.js';
import type { FrozenTrial, Sampler, SamplerStudy, StudyDirection } from '../../src/tuning/types.js';

/** A trial record with the given fields and empty defaults for the rest. */
export function frozen(fields: Partial<FrozenTrial> & Pick<FrozenTrial, 'number'>): FrozenTrial {
  return {
    state: 'COMPLETE',
    params: {},
    distributions: {},
    intermediateValues: {},
    userAttrs: {},
    systemAttrs: {},
    ...fields,
  };
}

/** A study as samplers see it, whose trials the test controls. */
export class FakeStudy implements SamplerStudy {
  readonly records: FrozenTrial[] = [];
  stopped = 0;
  /** Whether trials keep the system attributes their sampler gives them (the engine keeps them). */
  storesAttrs = true;

  constructor(
    readonly directions: readonly StudyDirection[] = ['minimize'],
    readonly studyName = 'fake',
  ) {}

  trials(): readonly FrozenTrial[] {
    return this.records;
  }

  stop(): void {
    this.stopped++;
  }

  /** Adds a finished (or any) record, numbered next. */
  add(fields: Partial<FrozenTrial> = {}): FrozenTrial {
    const record = frozen({ ...fields, number: this.records.length });
    this.records.push(record);
    return record;
  }
}

/** A trial in progress: its record (which the fake engine updates in place) and what the sampler chose jointly. */
export interface RunningTrial {
  trial: FrozenTrial;
  space: SearchSpace;
  relative: Params;
  suggest(name: string, spec: ParamSpec): ParamValue;
}

/**
 * Starts trial number `records.length` as the engine does: `params` already set if given, `fixed` as the enqueued
 * values (the `fixed_params` attribute, used when suggested), the sampler's system attributes stored.
 */
export function start(study: FakeStudy, sampler: Sampler, params: Params = {}, fixed?: Params): RunningTrial {
  const trial = frozen({
    number: study.records.length,
    state: 'RUNNING',
    params: { ...params },
    systemAttrs: fixed === undefined ? {} : { fixed_params: { ...fixed } },
  });
  study.records.push(trial);
  sampler.beforeTrial?.(study, trial);
  if (study.storesAttrs) Object.assign(trial.systemAttrs, sampler.systemAttrsFor?.(study, trial) ?? {});
  const space = sampler.inferRelativeSearchSpace?.(study, trial) ?? {};
  const relative =
    Object.keys(space).length > 0 ? (sampler.sampleRelative?.({ study, trial }, space) ?? {}) : {};
  return {
    trial,
    space,
    relative,
    suggest(name, spec) {
      let value: ParamValue;
      const joint = space[name];
      if (name in trial.params) value = trial.params[name] as ParamValue;
      else if (fixed !== undefined && name in fixed) value = fixed[name] as ParamValue;
      else if (
        name in relative &&
        joint !== undefined &&
        sameSpec(joint, spec) &&
        contains(spec, relative[name] as ParamValue)
      )
        value = relative[name] as ParamValue;
      else value = sampler.sampleIndependent({ study, trial }, name, spec);
      trial.params[name] = value;
      trial.distributions[name] = spec;
      return value;
    },
  };
}

/** Finishes a running trial: its record is replaced by a finished one, then the sampler is told. */
export function finish(
  study: FakeStudy,
  sampler: Sampler,
  running: RunningTrial,
  outcome: { state?: FrozenTrial['state']; values?: number[]; constraints?: number[] } = {},
): FrozenTrial {
  const { state = 'COMPLETE', values, constraints } = outcome;
  const done: FrozenTrial = {
    ...running.trial,
    params: { ...running.trial.params },
    distributions: { ...running.trial.distributions },
    state,
    ...(values === undefined ? {} : { values, value: values[0] }),
    ...(constraints === undefined ? {} : { constraints }),
  };
  study.records[done.number] = done;
  sampler.afterTrial?.(study, done);
  return done;
}

/** Runs one whole trial: suggests `space`'s parameters in order, then finishes it with `objective`'s values. */
export function runTrial(
  study: FakeStudy,
  sampler: Sampler,
  space: SearchSpace,
  objective: (params: Params) => {
    values: number[];
    constraints?: number[];
    state?: FrozenTrial['state'];
  } = () => ({
    values: [0],
  }),
): FrozenTrial {
  const running = start(study, sampler);
  for (const [name, spec] of Object.entries(space)) running.suggest(name, spec);
  return finish(study, sampler, running, objective(running.trial.params));
}
