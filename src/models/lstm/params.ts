import { z } from 'zod';

/** Hyperparameters of {@link lstm}: everything that shapes the network and its training, stored in `toJSON()`. */
export interface LstmParams {
  /**
   * `"classification"` for a binary target (labels 0 and 1, a sigmoid head trained on binary cross-entropy,
   * `predictProba` for P(y = 1)) or `"regression"` (a linear head trained on mean squared error).
   * @defaultValue "regression"
   */
  task?: 'classification' | 'regression';
  /**
   * How many consecutive rows make one input sequence: the prediction for row t sees rows t − lookback + 1 … t.
   * @defaultValue 20
   */
  lookback?: number;
  /** How many LSTM layers are stacked (each but the last passes its whole sequence on). @defaultValue 1 */
  layers?: number;
  /** Hidden units in each LSTM layer. @defaultValue 32 */
  units?: number;
  /** The share of each layer's inputs dropped during training (Keras' `dropout`), in [0, 1). @defaultValue 0 */
  dropout?: number;
  /** The share of each layer's recurrent state dropped during training (Keras' `recurrent_dropout`). @defaultValue 0 */
  recurrentDropout?: number;
  /** The most passes over the training sequences. @defaultValue 50 */
  epochs?: number;
  /** Sequences per gradient step. @defaultValue 32 */
  batchSize?: number;
  /** Adam's step size (Kingma and Ba 2015). @defaultValue 0.001 */
  learningRate?: number;
  /**
   * The share of the training sequences, taken from the end (the most recent), held out to decide when to stop;
   * 0 trains for all `epochs` without a validation tail. In [0, 0.9].
   * @defaultValue 0.1
   */
  validationShare?: number;
  /** Epochs without an improvement of the validation loss before training stops. @defaultValue 5 */
  patience?: number;
  /** How much the validation loss must fall to count as an improvement. @defaultValue 0 */
  minDelta?: number;
  /** Whether the order of the training sequences is shuffled (seeded) before each epoch. @defaultValue true */
  shuffle?: boolean;
  /**
   * Whether features (and, for regression, the target) are standardised with the mean and standard deviation of the
   * training rows before they reach the network; predictions are returned in the target's own units either way.
   * @defaultValue true
   */
  standardize?: boolean;
  /** Seeds the initial weights, the shuffling and the dropout masks: the same seed trains the same network. @defaultValue 0 */
  seed?: number;
}

/** {@link LstmParams} with every default filled in. */
export type ResolvedLstmParams = Required<LstmParams>;

const share = (max: number, inclusive: boolean) =>
  inclusive ? z.number().min(0).max(max) : z.number().min(0).lt(max);

/** @internal shared with the LSTM's files; not part of the public surface. */
export const paramsSchema = z.strictObject({
  task: z.enum(['classification', 'regression']).default('regression'),
  lookback: z.number().int().min(1).max(10_000).default(20),
  layers: z.number().int().min(1).max(8).default(1),
  units: z.number().int().min(1).max(4096).default(32),
  dropout: share(1, false).default(0),
  recurrentDropout: share(1, false).default(0),
  epochs: z.number().int().min(1).default(50),
  batchSize: z.number().int().min(1).default(32),
  learningRate: z.number().positive().max(10).default(0.001),
  validationShare: share(0.9, true).default(0.1),
  patience: z.number().int().min(1).default(5),
  minDelta: z.number().min(0).max(1e9).default(0),
  shuffle: z.boolean().default(true),
  standardize: z.boolean().default(true),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
});

/** The TensorFlow.js backends the LSTM can run on. */
export type LstmBackendName = 'tensorflow' | 'wasm' | 'cpu';

/** A logger the LSTM reports through (pino-compatible: an object of facts first, then the message). */
export interface LstmLogger {
  /** Called when the model cannot use the backend it preferred and falls back to another. */
  warn(facts: Record<string, unknown>, message: string): void;
}

/** How the LSTM runs, as opposed to what it learns: not stored in `toJSON()`. */
export interface LstmRuntimeOptions {
  /**
   * The TensorFlow.js backend. `"auto"` uses `tensorflow` when `@tensorflow/tfjs-node` is already installed, else
   * `wasm` (`@tensorflow/tfjs-backend-wasm`), else `cpu`; `"wasm"` falls back to `cpu` when the wasm backend cannot
   * start. Every fallback is recorded in the model's `backendReason` and logged through `logger`. The backend is
   * process-wide in TensorFlow.js, so each call switches to the model's backend before it runs.
   * @defaultValue "auto"
   */
  backend?: 'auto' | LstmBackendName;
  /**
   * Where the wasm backend's `.wasm` files are: a directory path or URL prefix ending in `/`. In Node it defaults to
   * the installed `@tensorflow/tfjs-backend-wasm/dist/`; elsewhere to TensorFlow.js's own default. It only takes
   * effect before the wasm backend first starts in the process.
   */
  wasmPaths?: string;
  /** Receives a warning when the model falls back to another backend. */
  logger?: LstmLogger;
}

/** @internal shared with the LSTM's files; not part of the public surface. */
export const runtimeSchema = z.strictObject({
  backend: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'),
  wasmPaths: z.string().min(1).optional(),
  logger: z
    .custom<LstmLogger>(
      (value) =>
        typeof value === 'object' && value !== null && typeof (value as LstmLogger).warn === 'function',
      'Expected an object with a warn(facts, message) method',
    )
    .optional(),
});
