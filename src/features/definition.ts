import { z } from 'zod';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { FEATURE_KINDS } from './catalog.js';

/** The name of a bar column a step can read directly. */
export type BarColumn = 'timestamp' | 'open' | 'high' | 'low' | 'close' | 'volume';

/**
 * The bar columns a step can read directly.
 *
 * @internal shared with the features module's pipeline; not part of the public surface.
 */
export const BAR_COLUMNS: readonly BarColumn[] = ['timestamp', 'open', 'high', 'low', 'close', 'volume'];

/** The names of the features a step can compute: the feature functions of this module. */
export type FeatureName =
  | 'returns'
  | 'logReturns'
  | 'lag'
  | 'momentum'
  | 'rollingMean'
  | 'rollingStd'
  | 'rollingMin'
  | 'rollingMax'
  | 'rollingZScore'
  | 'sma'
  | 'ema'
  | 'rsi'
  | 'macd'
  | 'bollinger'
  | 'atr'
  | 'adx'
  | 'stochastic'
  | 'williamsR'
  | 'obv'
  | 'vwap'
  | 'realizedVolatility'
  | 'dayOfWeek'
  | 'month'
  | 'quarter';

/** One named step of a {@link FeaturePipeline}. */
export interface FeatureStep {
  /** The step's name: its column name (or the prefix `name.output` for features with several outputs). */
  name: string;
  /** Which feature function computes it. */
  feature: FeatureName;
  /** The function's parameters (`{ period: 14 }`); omitted ones take the function's defaults. */
  params?: Record<string, number | undefined>;
  /**
   * Where each input slot reads from: a bar column (`'close'`), an earlier step (`'ret'`) or one output of an
   * earlier step (`'macd.signal'`). Single-series features have the slot `values` (default `'close'`); the range
   * and volume indicators `high`, `low`, `close`, `volume`; calendar features `timestamps` (default `'timestamp'`).
   */
  inputs?: Record<string, string>;
}

/** What the pipeline predicts for each row. */
export interface TargetDefinition {
  /**
   * `direction`: 1 when the close `horizon` bars ahead is above the current close, else 0. `forwardReturn`:
   * close[t + horizon] / close[t] − 1.
   */
  kind: 'direction' | 'forwardReturn';
  /** Bars ahead, at least 1. @defaultValue 1 */
  horizon?: number;
}

/** The definition of a {@link FeaturePipeline}: what a model version records to say which features it used. */
export interface PipelineDefinition {
  /** The pipeline's name. */
  name: string;
  /** Its version, chosen by the user; bump it when the meaning of a step changes. */
  version: string;
  /** The steps, in order; a step may read the outputs of earlier steps only. */
  steps: FeatureStep[];
  /** The target. @defaultValue `{ kind: 'direction', horizon: 1 }` */
  target?: TargetDefinition;
}

/** A definition with every default filled in: every parameter, every input and the target spelled out. */
export interface ResolvedDefinition {
  /** The pipeline's name. */
  name: string;
  /** Its version. */
  version: string;
  /** The steps with their full parameters and inputs. */
  steps: ResolvedStep[];
  /** The target with its horizon. */
  target: ResolvedTarget;
}

/** A {@link FeatureStep} with every parameter and input spelled out. */
export interface ResolvedStep {
  /** The step's name. */
  name: string;
  /** The feature function. */
  feature: FeatureName;
  /** Every parameter, defaults included. */
  params: Record<string, number>;
  /** Every input slot and what it reads. */
  inputs: Record<string, string>;
}

/** A {@link TargetDefinition} with its horizon spelled out. */
export interface ResolvedTarget {
  /** `direction` or `forwardReturn`. */
  kind: 'direction' | 'forwardReturn';
  /** Bars ahead. */
  horizon: number;
}

const schema = z.strictObject({
  name: z.string().min(1),
  version: z.union([z.string().min(1), z.number().transform(String)]),
  steps: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        feature: z.enum(Object.keys(FEATURE_KINDS) as [FeatureName, ...FeatureName[]]),
        params: z.record(z.string(), z.number().optional()).optional(),
        inputs: z.record(z.string(), z.string()).optional(),
      }),
    )
    .min(1),
  target: z
    .strictObject({
      kind: z.enum(['direction', 'forwardReturn']),
      horizon: z.number().int().min(1).default(1),
    })
    .default({ kind: 'direction', horizon: 1 }),
});

function invalid(message: string): MlcycleError {
  return new MlcycleError('INVALID_ARGUMENT', `Invalid FeaturePipeline definition: ${message}`);
}

/**
 * Validates a definition and fills in every default, checking that step names are unique, that every input slot
 * exists and that every input names a bar column or an earlier step's output.
 *
 * @internal shared with the features module's pipeline; not part of the public surface.
 */
export function resolveDefinition(definition: PipelineDefinition): ResolvedDefinition {
  const parsed = parseOptions(schema, definition, 'FeaturePipeline definition');
  const available = new Set<string>(BAR_COLUMNS);
  const steps: ResolvedDefinition['steps'] = [];
  for (const [index, step] of parsed.steps.entries()) {
    const kind = FEATURE_KINDS[step.feature];
    if (kind === undefined) throw invalid(`steps[${index}].feature ${step.feature} is unknown`);
    if (step.name.includes('.')) {
      throw invalid(
        `steps[${index}].name "${step.name}" must not contain a dot (it separates a step's outputs)`,
      );
    }
    if (available.has(step.name)) {
      throw invalid(`steps[${index}].name "${step.name}" is already a bar column or an earlier step's name`);
    }
    const params = parseOptions(kind.params, step.params ?? {}, `step ${step.name} (${step.feature}) params`);
    const inputs: Record<string, string> = { ...kind.defaults };
    for (const [slot, source] of Object.entries(step.inputs ?? {})) {
      if (!(slot in kind.defaults)) {
        const slots = Object.keys(kind.defaults).join(', ');
        throw invalid(`steps[${index}] (${step.feature}) has no input "${slot}"; its inputs are ${slots}`);
      }
      inputs[slot] = source;
    }
    for (const [slot, source] of Object.entries(inputs)) {
      if (!available.has(source)) {
        throw invalid(
          `steps[${index}].inputs.${slot} reads "${source}", which is neither a bar column nor an earlier step's output`,
        );
      }
    }
    const outputs = kind.outputs?.map((o) => `${step.name}.${o}`) ?? [step.name];
    for (const output of outputs) available.add(output);
    steps.push({ name: step.name, feature: step.feature, params: params as Record<string, number>, inputs });
  }
  return { name: parsed.name, version: parsed.version, steps, target: parsed.target };
}

/**
 * JSON with object keys sorted at every level, so equal definitions always serialise to the same bytes.
 *
 * @internal shared with the features module's pipeline; not part of the public surface.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
