import { assertSortedTimestamps } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { sha256Hex } from '../core/hash.js';
import { FEATURE_KINDS } from './catalog.js';
import {
  canonicalJson,
  type PipelineDefinition,
  type ResolvedDefinition,
  resolveDefinition,
} from './definition.js';
import { type Checked, column, firstNumberAndBad, withChecked } from './input.js';

/** The bars a {@link FeaturePipeline} reads; only the columns its steps use are required (close always is). */
export interface PipelineBars {
  /** Bar times in epoch ms, strictly increasing; needed by calendar features. */
  timestamp?: ArrayLike<number>;
  /** Opening prices. */
  open?: ArrayLike<number>;
  /** Highest prices. */
  high?: ArrayLike<number>;
  /** Lowest prices. */
  low?: ArrayLike<number>;
  /** Closing prices, positive; the target is computed from them. */
  close: ArrayLike<number>;
  /** Traded volumes, non-negative. */
  volume?: ArrayLike<number>;
}

/** Why rows were dropped by {@link FeaturePipeline.build}. */
export interface DroppedRows {
  /** Leading bars dropped because some feature was still NaN (its window had not filled). */
  warmUp: number;
  /** The columns that needed the most bars, i.e. the ones that set `warmUp`. */
  warmUpBy: string[];
  /** For every column, the first bar at which it has a value. */
  firstValid: Record<string, number>;
  /** Trailing bars dropped because their target lies beyond the last bar (the target horizon). */
  tail: number;
}

/** The output of {@link FeaturePipeline.buildColumns}: the feature matrix by column. */
export interface FeatureColumns {
  /** Column names, in step order (`step` or `step.output`). */
  names: string[];
  /** One `Float64Array` per name, one value per row. */
  columns: Float64Array[];
  /** The target of each row (see {@link TargetDefinition}). */
  y: Float64Array;
  /**
   * For each row, the last row its target depends on: row + horizon, capped at the last row (a label reaching past
   * the matrix overlaps exactly the rows a label ending at the last row does). Pass it as `labelEnd` to
   * {@link TimeSeriesCV}'s purged methods.
   */
  labelEnd: Int32Array;
  /** For each row, its position in the input bars. */
  barIndex: Int32Array;
  /** Why and how many bars were dropped. */
  dropped: DroppedRows;
}

/** The output of {@link FeaturePipeline.build}: the columns and the same matrix as rows, ready for a model's `fit`. */
export interface FeatureSet extends FeatureColumns {
  /** One array of features per row, in the order of `names`. */
  X: number[][];
}

/** Every array {@link FeaturePipeline}'s compute produced or read, with what one pass over it found. */
interface Computed {
  /** Step outputs (`step` or `step.output`) and the bar columns read, by name. */
  all: Map<string, Float64Array>;
  /** For each step output, its first number and its first non-finite value after that (−1 when none). */
  scans: Map<string, { start: number; bad: number }>;
}

/**
 * The index of the first number in a feature column (its warm-up), after checking that every value from there on is
 * finite: a NaN or an infinity later on (a division by zero in a chained step) would poison every model fed with it.
 */
function checkedStart(values: Float64Array, scan: { start: number; bad: number }, name: string): number {
  const t = scan.bad;
  if (t >= 0) {
    const v = values[t] as number;
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `feature ${name} is ${v} at bar ${t}, after its warm-up; every feature must be finite once it starts`,
      { details: { column: name, index: t } },
    );
  }
  return scan.start;
}

/**
 * A named, versioned recipe of feature steps that turns bars into a feature matrix, a target and the label ends
 * that purged cross-validation needs, with every step using only bars up to and including its own. Its definition
 * (every step's function, parameters and inputs, and the target) is plain JSON with a stable SHA-256 hash, so a
 * model version can record exactly which features it was trained on.
 *
 * @example
 * ```ts
 * import { FeaturePipeline, TimeSeriesCV } from 'mlcycle';
 *
 * const pipeline = new FeaturePipeline({
 *   name: 'daily-momentum',
 *   version: '1',
 *   steps: [
 *     { name: 'ret', feature: 'logReturns' },
 *     { name: 'rsi', feature: 'rsi', params: { period: 14 } },
 *     { name: 'macd', feature: 'macd' },
 *     { name: 'retZ', feature: 'rollingZScore', inputs: { values: 'ret' }, params: { window: 20 } },
 *   ],
 *   target: { kind: 'direction', horizon: 5 },
 * });
 * const { X, y, labelEnd, dropped } = pipeline.build(bars);
 * const folds = new TimeSeriesCV({ method: 'purged-kfold', nSplits: 5 }).split(X.length, { labelEnd });
 * const hash = await pipeline.hash(); // store beside the model version
 * ```
 */
export class FeaturePipeline {
  /** The definition with every default filled in. */
  readonly definition: ResolvedDefinition;

  /** @param definition - see {@link PipelineDefinition}; validated here. */
  constructor(definition: PipelineDefinition) {
    this.definition = resolveDefinition(definition);
  }

  /** Restores a pipeline from {@link FeaturePipeline.toJSON}'s output. */
  static fromJSON(json: PipelineDefinition | string): FeaturePipeline {
    return new FeaturePipeline(typeof json === 'string' ? (JSON.parse(json) as PipelineDefinition) : json);
  }

  /** The resolved definition as plain JSON (a deep copy). */
  toJSON(): ResolvedDefinition {
    return JSON.parse(JSON.stringify(this.definition)) as ResolvedDefinition;
  }

  /** The SHA-256 (hex) of the canonical JSON of the resolved definition: equal definitions, equal hashes. */
  hash(): Promise<string> {
    return sha256Hex(canonicalJson(this.definition));
  }

  /** The feature matrix by column (no row arrays): the fast path for large inputs. */
  buildColumns(bars: PipelineBars): FeatureColumns {
    const { all, scans } = this.compute(bars);
    const n = (all.get('close') as Float64Array).length;
    const names = this.definition.steps.flatMap(
      (s) => FEATURE_KINDS[s.feature]?.outputs?.map((o) => `${s.name}.${o}`) ?? [s.name],
    );
    const firstValid: Record<string, number> = {};
    let warmUp = 0;
    for (const name of names) {
      const values = all.get(name) as Float64Array;
      const first = checkedStart(values, scans.get(name) as { start: number; bad: number }, name);
      firstValid[name] = first;
      warmUp = Math.max(warmUp, first);
    }
    const never = names.filter((name) => firstValid[name] === n);
    if (never.length > 0) {
      throw new MlcycleError(
        'INSUFFICIENT_DATA',
        `FeaturePipeline ${this.definition.name} has no complete row: ${never.join(', ')} ${never.length === 1 ? 'is' : 'are'} ` +
          `still warming up at the last of ${n} bars; give it more bars or shorter windows`,
        { details: { bars: n, warmingUp: never } },
      );
    }
    const horizon = this.definition.target.horizon;
    const rows = n - warmUp - horizon;
    if (rows < 1) {
      throw new MlcycleError(
        'INSUFFICIENT_DATA',
        `FeaturePipeline ${this.definition.name} needs at least ${warmUp + horizon + 1} bars (${warmUp} of ` +
          `warm-up, ${horizon} for the target and one row), received ${n}`,
        { details: { bars: n, warmUp, horizon } },
      );
    }
    const close = all.get('close') as Float64Array;
    const y = new Float64Array(rows);
    const labelEnd = new Int32Array(rows);
    const barIndex = new Int32Array(rows);
    const direction = this.definition.target.kind === 'direction';
    for (let i = 0; i < rows; i++) {
      const t = warmUp + i;
      const now = close[t] as number;
      const later = close[t + horizon] as number;
      y[i] = direction ? (later > now ? 1 : 0) : later / now - 1;
      labelEnd[i] = Math.min(i + horizon, rows - 1);
      barIndex[i] = t;
    }
    // Views, not copies: the rows kept are one contiguous stretch of every column.
    const columns = names.map((name) => (all.get(name) as Float64Array).subarray(warmUp, warmUp + rows));
    const warmUpBy = names.filter((name) => firstValid[name] === warmUp && warmUp > 0);
    return {
      names,
      columns,
      y,
      labelEnd,
      barIndex,
      dropped: { warmUp, warmUpBy, firstValid, tail: horizon },
    };
  }

  /** The feature matrix as rows and columns, the target and the label ends; see {@link FeatureSet}. */
  build(bars: PipelineBars): FeatureSet {
    const built = this.buildColumns(bars);
    const { columns } = built;
    const width = columns.length;
    const X = new Array<number[]>(built.y.length);
    for (let i = 0; i < X.length; i++) {
      const row = new Array<number>(width);
      for (let j = 0; j < width; j++) row[j] = (columns[j] as Float64Array)[i] as number;
      X[i] = row;
    }
    return { ...built, X };
  }

  /**
   * Every step's outputs and every bar column read, by name, over all bars. Each bar column is checked once when
   * first read and each output scanned once when computed; the steps then skip re-checking them (`withChecked`).
   * An output that is not finite after its warm-up is not vouched for, so a step reading it fails with its own
   * message, as it would alone; `buildColumns` reports it otherwise.
   */
  private compute(bars: PipelineBars): Computed {
    if (typeof bars !== 'object' || bars === null) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `bars must be an object of columns, received ${String(bars)}`,
      );
    }
    const all = new Map<string, Float64Array>();
    const scans = new Map<string, { start: number; bad: number }>();
    const known = new Map<Float64Array, Checked>();
    const read = (name: string): Float64Array => {
      const cached = all.get(name);
      if (cached) return cached;
      const raw = (bars as unknown as Record<string, ArrayLike<number> | undefined>)[name];
      if (raw === undefined) {
        throw new MlcycleError('INVALID_ARGUMENT', `bars.${name} is required by this pipeline's steps`);
      }
      if (name === 'timestamp') assertSortedTimestamps(raw, 'bars.timestamp');
      const values =
        name === 'timestamp' ? Float64Array.from(raw) : column(raw, `bars.${name}`, name !== 'volume');
      const close = all.get('close');
      if (close && values.length !== close.length) {
        throw new MlcycleError(
          'INVALID_ARGUMENT',
          `bars.${name} must have one value per bar (${close.length}), received ${values.length}`,
        );
      }
      all.set(name, values);
      known.set(values, { start: 0, floor: name === 'timestamp' ? -1 : name === 'volume' ? 0 : 1 });
      return values;
    };
    const keep = (name: string, values: Float64Array): void => {
      const scan = firstNumberAndBad(values);
      all.set(name, values);
      scans.set(name, scan);
      if (scan.bad < 0) known.set(values, { start: scan.start, floor: -1 });
    };
    read('close');
    withChecked(known, () => this.computeSteps(read, keep));
    return { all, scans };
  }

  /** Runs the steps in order, reading their inputs with `read` and handing their outputs to `keep`. */
  private computeSteps(
    read: (name: string) => Float64Array,
    keep: (name: string, values: Float64Array) => void,
  ): void {
    for (const step of this.definition.steps) {
      const kind = FEATURE_KINDS[step.feature];
      if (!kind) continue;
      const inputs: Record<string, Float64Array> = {};
      for (const [slot, source] of Object.entries(step.inputs)) inputs[slot] = read(source);
      let out: Float64Array | Record<string, Float64Array>;
      try {
        out = kind.compute(inputs, step.params as never);
      } catch (error) {
        if (!MlcycleError.is(error)) throw error;
        const message = `step ${step.name} (${step.feature}): ${error.message}`;
        throw new MlcycleError(error.code, message, { cause: error });
      }
      if (out instanceof Float64Array) keep(step.name, out);
      else for (const [key, values] of Object.entries(out)) keep(`${step.name}.${key}`, values);
    }
  }
}
