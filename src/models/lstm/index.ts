/**
 * `lstm`: a long short-term memory network on TensorFlow.js for sequence classification and regression, with
 * sequence windowing that never looks ahead, early stopping on a chronological validation tail, seeded
 * initialisation and JSON with weights. TensorFlow.js is an optional peer dependency
 * (`npm install @tensorflow/tfjs @tensorflow/tfjs-backend-wasm`); this entry point has its own subpath so that
 * importing `mlcycle` never loads it.
 *
 * @example
 * ```ts
 * import { lstm } from 'mlcycle/models/lstm';
 *
 * const model = lstm({ task: 'regression', lookback: 20, units: 16, epochs: 30, seed: 1 });
 * await model.fit(X, y);
 * const predictions = await model.predict(X); // NaN for the first 19 rows
 * console.log(model.backend); // "wasm", or "cpu" with model.backendReason saying why
 * ```
 *
 * @module models/lstm
 */

export { LstmModel, type LstmState, lstm } from './model.js';
export type { EncodedWeights } from './network.js';
export type {
  LstmBackendName,
  LstmLogger,
  LstmParams,
  LstmRuntimeOptions,
  ResolvedLstmParams,
} from './params.js';
export type { LstmEpoch } from './training.js';
export { type Scaler, type SequenceWindows, sequenceWindows } from './windows.js';
