import { z } from 'zod';
import { MlcycleError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';
import { Random } from '../../core/random.js';
import {
  checkRows,
  checkTarget,
  type FeatureRows,
  type ModelJSON,
  notFitted,
  readModelJSON,
  type SerializableModel,
} from '../model.js';
import { type BackendChoice, type Tf, useBackend } from './backend.js';
import {
  buildNetwork,
  decodeWeights,
  type EncodedWeights,
  encodeWeights,
  forward,
  initialWeights,
  type Network,
  readWeights,
  setWeights,
  type WeightArray,
  weightShapes,
} from './network.js';
import {
  type LstmBackendName,
  type LstmParams,
  type LstmRuntimeOptions,
  paramsSchema,
  type ResolvedLstmParams,
  runtimeSchema,
} from './params.js';
import { type LstmEpoch, train } from './training.js';
import { applyScaler, cutWindows, fitScaler, type Scaler, windowEnds } from './windows.js';

/** What fitting an {@link LstmModel} learned, as stored in `toJSON()`. */
export interface LstmState {
  /** Features per row the model was fitted on. */
  features: number;
  /** The feature scaler (mean 0, scale 1 without standardisation). */
  scaler: Scaler;
  /** The target's centre and scale for regression (0 and 1 for classification or without standardisation). */
  target: {
    /** Added to the network's output after scaling. */
    mean: number;
    /** Multiplies the network's output. */
    scale: number;
  };
  /** The network's weights in TensorFlow.js's order. */
  weights: EncodedWeights[];
  /** The epoch whose weights the model kept, from 1. */
  bestEpoch: number;
  /** Every epoch trained. */
  history: LstmEpoch[];
}

const KIND = 'lstm';
const VERSION = 1;
const finite = z.number().refine(Number.isFinite, 'Expected a finite number');
const stateSchema = z.strictObject({
  features: z.number().int().min(1),
  scaler: z.strictObject({
    mean: z.array(finite),
    scale: z.array(finite.refine((s) => s > 0, 'Expected > 0')),
  }),
  target: z.strictObject({ mean: finite, scale: finite.refine((s) => s > 0, 'Expected > 0') }),
  weights: z.array(z.strictObject({ shape: z.array(z.number().int().min(1)), values: z.base64() })),
  bestEpoch: z.number().int().min(1),
  history: z.array(
    z.strictObject({
      epoch: z.number().int().min(1),
      loss: z.number(),
      validationLoss: z.number().nullable(),
      durationMs: z.number(),
    }),
  ),
});

/** The fitted state, with the weights decoded. */
interface Fitted {
  state: Omit<LstmState, 'weights'>;
  weights: WeightArray[];
}

/**
 * A long short-term memory network (Hochreiter and Schmidhuber 1997) on TensorFlow.js, for one target per time step:
 * the prediction for row t reads the `lookback` rows ending at t and nothing after it. The first `lookback − 1` rows
 * of any matrix passed to `predict` have no full window and are predicted as `NaN`; pass earlier rows along to get a
 * prediction for every row you need. Build it with {@link lstm}.
 *
 * Training shuffles the sequences (seeded), holds the most recent `validationShare` of them out, and stops early
 * when their loss stops improving, keeping the best epoch's weights. The initial weights, the shuffling and the
 * dropout masks all come from `seed`, so two fits with the same seed on the same backend give the same network.
 * TensorFlow.js computes in 32-bit floats.
 */
export class LstmModel implements SerializableModel<ResolvedLstmParams, LstmState> {
  /** The hyperparameters, with defaults applied. */
  readonly params: ResolvedLstmParams;
  /**
   * For classification only: P(y = 1) for each row of `X` (`NaN` for the first `lookback − 1` rows). Regression
   * models do not have this method.
   */
  readonly predictProba?: (X: FeatureRows) => Promise<Float64Array>;
  readonly #runtime: z.output<typeof runtimeSchema>;
  #fitted: Fitted | undefined;
  #network: { tf: Tf; network: Network } | undefined;
  #choice: BackendChoice | undefined;

  /**
   * @param params - the hyperparameters; see {@link LstmParams} for the defaults.
   * @param options - how to run: the backend, where the wasm files are, a logger.
   */
  constructor(params: LstmParams = {}, options: LstmRuntimeOptions = {}) {
    this.params = parseOptions(paramsSchema, params, 'lstm params');
    this.#runtime = parseOptions(runtimeSchema, options, 'lstm options');
    if (this.params.task === 'classification') this.predictProba = (X) => this.#run(X, 'predictProba');
  }

  /** The TensorFlow.js backend the model runs on, once `fit` or a prediction has chosen it. */
  get backend(): LstmBackendName | undefined {
    return this.#choice?.backend;
  }

  /** Why the model does not run on the backend it preferred (wasm unless told otherwise); undefined when it does. */
  get backendReason(): string | undefined {
    return this.#choice?.reason;
  }

  /** Every epoch of the last fit (or of the fit the JSON was made from). */
  get history(): LstmEpoch[] {
    return this.#state('reading history').history.map((e) => ({ ...e }));
  }

  /** The epoch whose weights the model kept, from 1. */
  get bestEpoch(): number {
    return this.#state('reading bestEpoch').bestEpoch;
  }

  /**
   * Trains on rows `X` (oldest first) and targets `y`, where `y[t]` is what the window ending at row t should
   * predict; rows before the first full window only serve as inputs.
   */
  async fit(X: FeatureRows, y: ArrayLike<number>): Promise<this> {
    const p = this.params;
    const rows = checkRows(X, KIND);
    const target = checkTarget(y, rows.rows, KIND, p.task === 'classification');
    const ends = windowEnds(rows.rows, p.lookback);
    const validationCount =
      p.validationShare > 0 ? Math.max(1, Math.floor(p.validationShare * ends.length)) : 0;
    const trainCount = ends.length - validationCount;
    if (trainCount < 1) {
      const needed = p.lookback + (validationCount > 0 ? 1 : 0);
      throw new MlcycleError(
        'INSUFFICIENT_DATA',
        `lstm needs at least ${needed} rows for lookback ${p.lookback}${validationCount > 0 ? ' and a validation tail' : ''}, received ${rows.rows}`,
      );
    }
    // Scales come from the rows the training windows cover, so the validation tail stays unseen.
    const lastTrainRow = (ends[trainCount - 1] as number) + 1;
    const scaler = p.standardize
      ? fitScaler(rows.data, rows.cols, lastTrainRow)
      : { mean: new Array<number>(rows.cols).fill(0), scale: new Array<number>(rows.cols).fill(1) };
    const trainTargets = Array.from(ends.subarray(0, trainCount), (t) => target[t] as number);
    const targetScale =
      p.standardize && p.task === 'regression'
        ? fitScaler(Float64Array.from(trainTargets), 1, trainCount)
        : { mean: [0], scale: [1] };
    const mean = targetScale.mean[0] as number;
    const scale = targetScale.scale[0] as number;
    const scaled = applyScaler(rows.data, rows.cols, scaler);

    const tf = await this.#activate();
    this.dispose();
    const random = new Random(p.seed);
    const network = buildNetwork(tf, p, rows.cols, random.fork(2));
    setWeights(tf, network, initialWeights(p, rows.cols, random.fork(0)));
    const { history, bestEpoch } = await train(
      tf,
      network,
      p,
      {
        windows: cutWindows(scaled, rows.cols, p.lookback, ends.subarray(0, trainCount)),
        targets: Float32Array.from(trainTargets, (v) => (v - mean) / scale),
        validationWindows: cutWindows(scaled, rows.cols, p.lookback, ends.subarray(trainCount)),
        validationTargets: Float64Array.from(ends.subarray(trainCount), (t) => target[t] as number),
        features: rows.cols,
        unscale: (v) => v * scale + mean,
      },
      random.fork(1),
    );
    // The model does not own an optimiser passed to compile(), so its dispose() would leave Adam's moments behind.
    network.optimizer.dispose();
    this.#network = { tf, network };
    this.#fitted = {
      state: { features: rows.cols, scaler, target: { mean, scale }, bestEpoch, history },
      weights: readWeights(network),
    };
    return this;
  }

  /**
   * One prediction per row of `X`: the predicted class (1 where P(y = 1) > 0.5) for classification, the target for
   * regression; `NaN` for the first `lookback − 1` rows.
   */
  predict(X: FeatureRows): Promise<Float64Array> {
    return this.#run(X, 'predict');
  }

  /** The fitted model as JSON, weights included; {@link LstmModel.fromJSON} restores it. */
  toJSON(): ModelJSON<ResolvedLstmParams, LstmState> {
    const fitted = this.#fitted;
    if (fitted === undefined) throw notFitted(KIND, 'toJSON');
    const { state } = fitted;
    return {
      kind: KIND,
      version: VERSION,
      params: { ...this.params },
      state: {
        features: state.features,
        scaler: { mean: [...state.scaler.mean], scale: [...state.scaler.scale] },
        target: { ...state.target },
        weights: encodeWeights(fitted.weights),
        bestEpoch: state.bestEpoch,
        history: state.history.map((e) => ({ ...e })),
      },
    };
  }

  /**
   * Restores a model from {@link LstmModel.toJSON}'s output. It predicts what the original did on the same backend;
   * TensorFlow.js is loaded at the first prediction.
   */
  static fromJSON(json: unknown, options: LstmRuntimeOptions = {}): LstmModel {
    const { params, state } = readModelJSON(json as ModelJSON, KIND, VERSION, paramsSchema, stateSchema);
    const model = new LstmModel(params, options);
    const expected = weightShapes(model.params, state.features);
    const stored = state.weights.map((w) => w.shape);
    const consistent =
      state.scaler.mean.length === state.features &&
      state.scaler.scale.length === state.features &&
      expected.length === stored.length &&
      expected.every((shape, i) => shape.join(',') === (stored[i] as number[]).join(','));
    if (!consistent) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `lstm state does not match its params: ${model.params.layers} layer(s) of ${model.params.units} units over ${state.features} features need weight shapes ${expected.map((s) => `[${s.join(',')}]`).join(' ')} and ${state.features} scaler entries`,
      );
    }
    const { weights, ...rest } = state;
    model.#fitted = { state: rest, weights: decodeWeights(weights) };
    return model;
  }

  /** Frees the network's TensorFlow.js memory; the model keeps its weights and rebuilds the network when needed. */
  dispose(): void {
    this.#network?.network.dispose();
    this.#network = undefined;
  }

  #state(method: string): Omit<LstmState, 'weights'> {
    if (this.#fitted === undefined) throw notFitted(KIND, method);
    return this.#fitted.state;
  }

  async #activate(): Promise<Tf> {
    const { tf, choice } = await useBackend(this.#runtime.backend, this.#runtime.wasmPaths);
    if (this.#choice === undefined && choice.reason !== undefined) {
      this.#runtime.logger?.warn(
        { backend: choice.backend, reason: choice.reason },
        `lstm runs on the ${choice.backend} backend: ${choice.reason}`,
      );
    }
    this.#choice = choice;
    return tf;
  }

  async #run(X: FeatureRows, method: 'predict' | 'predictProba'): Promise<Float64Array> {
    const fitted = this.#fitted;
    if (fitted === undefined) throw notFitted(KIND, method);
    const p = this.params;
    const { state } = fitted;
    const rows = checkRows(X, KIND, state.features);
    const tf = await this.#activate();
    if (this.#network === undefined) {
      const network = buildNetwork(tf, p, state.features, new Random(p.seed).fork(2));
      setWeights(tf, network, fitted.weights);
      this.#network = { tf, network };
    }
    const ends = windowEnds(rows.rows, p.lookback);
    const scaled = applyScaler(rows.data, rows.cols, state.scaler);
    const output = forward(
      tf,
      this.#network.network,
      cutWindows(scaled, rows.cols, p.lookback, ends),
      ends.length,
      p,
    );
    const out = new Float64Array(rows.rows).fill(Number.NaN);
    output.forEach((v, w) => {
      const value = p.task === 'regression' ? v * state.target.scale + state.target.mean : v;
      out[ends[w] as number] =
        method === 'predict' && p.task === 'classification' ? Number(value > 0.5) : value;
    });
    return out;
  }
}

/**
 * Makes an unfitted {@link LstmModel}: a `ModelFactory` for cross-validation and tuning. TensorFlow.js
 * (`@tensorflow/tfjs`, with `@tensorflow/tfjs-backend-wasm` for speed) is an optional peer dependency, loaded by the
 * first `fit` or prediction.
 *
 * @example
 * ```ts
 * import { LstmModel, lstm } from 'mlcycle/models/lstm';
 *
 * const model = lstm({ task: 'classification', lookback: 30, units: 32, epochs: 40, seed: 7 });
 * await model.fit(Xtrain, ytrain);          // rows oldest first; y[t] belongs to the window ending at row t
 * const p = await model.predictProba?.(Xtest); // NaN for the first 29 rows
 * console.log(model.backend, model.bestEpoch);
 * const restored = LstmModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
 * ```
 */
export function lstm(params: LstmParams = {}, options: LstmRuntimeOptions = {}): LstmModel {
  return new LstmModel(params, options);
}

/**
 * The LSTM's restorer for the model registry: `registerModel('lstm', …)` or a built-in table.
 *
 * @internal shared with the models registry; not part of the public surface.
 */
export const LSTM_RESTORERS = { [KIND]: (json: ModelJSON) => LstmModel.fromJSON(json) };
