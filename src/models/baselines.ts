import { z } from 'zod';
import { MlcycleError } from '../core/errors.js';
import { mean } from '../core/numeric.js';
import { parseOptions } from '../core/options.js';
import {
  asJSON,
  type CheckedRows,
  checkRows,
  checkTarget,
  type FeatureRows,
  type ModelJSON,
  notFitted,
  readModelJSON,
  type SyncModel,
} from './model.js';

/** How one baseline learns and forecasts; the shared class below does the checking and the JSON. */
interface BaselineSpec<P, S> {
  kind: string;
  params: z.ZodType<P>;
  state: z.ZodType<S>;
  /** Labels must be 0/1 and the model gets `predictProba`. */
  classification?: boolean;
  learn(y: Float64Array, params: P): S;
  /** Prediction for the `h`-th test row (0-based, counted from the end of training) with features `X`. */
  forecast(state: S, h: number, X: CheckedRows, row: number, params: P): number;
  probability?(state: S): number;
}

const VERSION = 1;

/** What {@link persistence} learned. */
export interface PersistenceState {
  /** The last training target. */
  last: number;
}

/** What {@link seasonalNaive} learned. */
export interface SeasonalNaiveState {
  /** The last `season` training targets, oldest first. */
  lastSeason: number[];
}

/** What {@link movingAverage} and {@link historicMean} learned. */
export interface MeanState {
  /** The mean they forecast. */
  mean: number;
}

/** What {@link randomWalkWithDrift} learned. */
export interface RandomWalkDriftState {
  /** The last training target. */
  last: number;
  /** The average change per row over training. */
  slope: number;
}

class Baseline<P, S> implements SyncModel<P, S> {
  readonly params: P;
  readonly predictProba?: (X: FeatureRows) => Float64Array;
  private state: S | undefined;

  constructor(
    private readonly spec: BaselineSpec<P, S>,
    params: P,
    state?: S,
  ) {
    this.params = params;
    this.state = state;
    const probability = spec.probability;
    if (probability !== undefined) {
      this.predictProba = (X) => {
        const rows = checkRows(X, spec.kind);
        return new Float64Array(rows.rows).fill(probability(this.fitted('predictProba')));
      };
    }
  }

  fit(X: FeatureRows, y: ArrayLike<number>): this {
    const rows = checkRows(X, this.spec.kind);
    const target = checkTarget(y, rows.rows, this.spec.kind, this.spec.classification === true);
    this.state = asJSON(this.spec.learn(target, this.params));
    return this;
  }

  predict(X: FeatureRows): Float64Array {
    const state = this.fitted('predict');
    const rows = checkRows(X, this.spec.kind);
    const out = new Float64Array(rows.rows);
    for (let i = 0; i < rows.rows; i++) out[i] = this.spec.forecast(state, i, rows, i, this.params);
    return out;
  }

  toJSON(): ModelJSON<P, S> {
    // A copy, so that editing the JSON cannot change the model.
    return asJSON({
      kind: this.spec.kind,
      version: VERSION,
      params: this.params,
      state: this.fitted('toJSON'),
    });
  }

  private fitted(method: string): S {
    if (this.state === undefined) throw notFitted(this.spec.kind, method);
    return this.state;
  }
}

function make<P, S>(spec: BaselineSpec<P, S>, params: unknown): Baseline<P, S> {
  return new Baseline(spec, parseOptions(spec.params, params ?? {}, `${spec.kind} params`) as P);
}

function restorer<P, S>(spec: BaselineSpec<P, S>) {
  return (json: ModelJSON): Baseline<P, S> => {
    const parts = readModelJSON(json, spec.kind, VERSION, spec.params, spec.state);
    return new Baseline(spec, parts.params as P, parts.state as S);
  };
}

function needs(y: Float64Array, min: number, kind: string, what: string): void {
  if (y.length < min) {
    throw new MlcycleError(
      'INSUFFICIENT_DATA',
      `${kind} needs at least ${min} training values (${what}), received ${y.length}`,
    );
  }
}

const finite = z.number().refine(Number.isFinite, 'Expected a finite number');
const positiveInt = z.number().int().min(1);

/** Parameters of {@link persistence}. */
export interface PersistenceParams {
  /**
   * The feature column that holds each row's latest observed value of the target (e.g. a lag-0 return): the
   * forecast for a row is that feature. Without it, every row gets the last training target.
   */
  column?: number;
}

const persistenceSpec: BaselineSpec<PersistenceParams, PersistenceState> = {
  kind: 'persistence',
  params: z.strictObject({ column: z.number().int().min(0).optional() }) as z.ZodType<PersistenceParams>,
  state: z.strictObject({ last: finite }),
  learn: (y) => ({ last: y[y.length - 1] as number }),
  forecast: (state, _h, X, row, params) => {
    if (params.column === undefined) return state.last;
    if (params.column >= X.cols) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `persistence: column ${params.column} does not exist; X has ${X.cols} features`,
      );
    }
    return X.data[row * X.cols + params.column] as number;
  },
};

/**
 * The persistence (naive, random-walk) forecast: tomorrow looks like today. With `column`, each row's prediction is
 * that feature (the latest value known at the row's time, so a one-step forecast for every row); without it, every
 * row gets the last training target (the multi-step naive forecast from the end of training, Hyndman and
 * Athanasopoulos, *Forecasting: Principles and Practice*, §5.2).
 *
 * @example
 * ```ts
 * import { persistence } from 'mlcycle';
 *
 * const model = persistence({ column: 0 }); // feature 0 holds the latest observed value
 * model.fit(X, y);
 * model.predict(Xtest); // Xtest[i][0] for every row
 * ```
 */
export function persistence(params: PersistenceParams = {}): SyncModel<PersistenceParams, PersistenceState> {
  return make(persistenceSpec, params);
}

/** Parameters of {@link seasonalNaive}. */
export interface SeasonalNaiveParams {
  /** The season length in rows (e.g. 5 for a trading week of daily bars, 12 for months of a year). */
  season: number;
}

const seasonalSpec: BaselineSpec<SeasonalNaiveParams, SeasonalNaiveState> = {
  kind: 'seasonal-naive',
  params: z.strictObject({ season: positiveInt }),
  state: z.strictObject({ lastSeason: z.array(finite).min(1) }),
  learn: (y, params) => {
    needs(y, params.season, 'seasonal-naive', 'one season');
    return { lastSeason: Array.from(y.subarray(y.length - params.season)) };
  },
  forecast: (state, h) => state.lastSeason[h % state.lastSeason.length] as number,
};

/**
 * The seasonal naive forecast: the value one season earlier. The `h`-th test row (0-based) gets the training target
 * at position `n − season + (h mod season)`, as ŷ(T+h) = y(T+h−m(k+1)) in Hyndman and Athanasopoulos, §5.2. It
 * assumes test rows follow the training rows directly (no gap).
 */
export function seasonalNaive(
  params: SeasonalNaiveParams,
): SyncModel<SeasonalNaiveParams, SeasonalNaiveState> {
  return make(seasonalSpec, params);
}

/** Parameters of {@link movingAverage}. */
export interface MovingAverageParams {
  /** How many of the last training targets to average. */
  window: number;
}

const movingAverageSpec: BaselineSpec<MovingAverageParams, MeanState> = {
  kind: 'moving-average',
  params: z.strictObject({ window: positiveInt }),
  state: z.strictObject({ mean: finite }),
  learn: (y, params) => {
    needs(y, params.window, 'moving-average', 'one window');
    return { mean: mean(y.subarray(y.length - params.window)) };
  },
  forecast: (state) => state.mean,
};

/** The mean of the last `window` training targets, for every test row. */
export function movingAverage(params: MovingAverageParams): SyncModel<MovingAverageParams, MeanState> {
  return make(movingAverageSpec, params);
}

const noParams = z.strictObject({}) as z.ZodType<Record<string, never>>;

const driftSpec: BaselineSpec<Record<string, never>, RandomWalkDriftState> = {
  kind: 'random-walk-drift',
  params: noParams,
  state: z.strictObject({ last: finite, slope: finite }),
  learn: (y) => {
    needs(y, 2, 'random-walk-drift', 'two points to draw a line through');
    const last = y[y.length - 1] as number;
    return { last, slope: (last - (y[0] as number)) / (y.length - 1) };
  },
  forecast: (state, h) => state.last + (h + 1) * state.slope,
};

/**
 * The random walk with drift: the last training target plus `h + 1` times the average change over training,
 * (y(T) − y(1)) / (T − 1), for the `h`-th test row (Hyndman and Athanasopoulos, §5.2).
 */
export function randomWalkWithDrift(): SyncModel<Record<string, never>, RandomWalkDriftState> {
  return make(driftSpec, {});
}

const historicMeanSpec: BaselineSpec<Record<string, never>, MeanState> = {
  kind: 'historic-mean',
  params: noParams,
  state: z.strictObject({ mean: finite }),
  learn: (y) => ({ mean: mean(y) }),
  forecast: (state) => state.mean,
};

/** The mean of all training targets, for every test row (scikit-learn's `DummyRegressor(strategy="mean")`). */
export function historicMean(): SyncModel<Record<string, never>, MeanState> {
  return make(historicMeanSpec, {});
}

/** The state of the classification baselines: the majority label and the share of 1s in training. */
export interface ClassPriorState {
  /** The most frequent training label (0 on a tie, as scikit-learn). */
  label: number;
  /** The fraction of training labels that are 1. */
  positiveRate: number;
}

function classPrior(y: Float64Array): ClassPriorState {
  let ones = 0;
  for (const v of y) ones += v;
  return { label: ones * 2 > y.length ? 1 : 0, positiveRate: ones / y.length };
}

const classState = z.strictObject({ label: z.union([z.literal(0), z.literal(1)]), positiveRate: finite });

const majorityClassSpec: BaselineSpec<Record<string, never>, ClassPriorState> = {
  kind: 'majority-class',
  params: noParams,
  state: classState,
  classification: true,
  learn: classPrior,
  forecast: (state) => state.label,
  probability: (state) => state.label,
};

/**
 * Predicts the most frequent training label (0/1; 0 on a tie); `predictProba` is 1 for that class, as
 * scikit-learn's `DummyClassifier(strategy="most_frequent")`.
 */
export function majorityClass(): SyncModel<Record<string, never>, ClassPriorState> {
  return make(majorityClassSpec, {});
}

const priorSpec: BaselineSpec<Record<string, never>, ClassPriorState> = {
  ...majorityClassSpec,
  kind: 'prior-probability',
  probability: (state) => state.positiveRate,
};

/**
 * Predicts the most frequent training label; `predictProba` is the training share of 1s, as scikit-learn's
 * `DummyClassifier(strategy="prior")`: the reference for log loss, Brier score and calibration.
 */
export function priorProbability(): SyncModel<Record<string, never>, ClassPriorState> {
  return make(priorSpec, {});
}

/**
 * The restorers of the baselines, by kind.
 *
 * @internal shared with registry.ts; not part of the public surface.
 */
export const BASELINE_RESTORERS = {
  persistence: restorer(persistenceSpec),
  'seasonal-naive': restorer(seasonalSpec),
  'moving-average': restorer(movingAverageSpec),
  'random-walk-drift': restorer(driftSpec),
  'historic-mean': restorer(historicMeanSpec),
  'majority-class': restorer(majorityClassSpec),
  'prior-probability': restorer(priorSpec),
};
