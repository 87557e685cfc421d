/**
 * The network: a stack of LSTM layers and a one-unit head, its seeded initial weights, and its weights as JSON.
 */
import { MlcycleError } from '../../core/errors.js';
import type { Random } from '../../core/random.js';
import type { Tf } from './backend.js';
import type { ResolvedLstmParams } from './params.js';
import type { SequenceWindows } from './windows.js';

/** A TensorFlow.js layers model. */
export type Network = ReturnType<Tf['sequential']>;

/** One weight tensor's values, outside TensorFlow.js. */
export interface WeightArray {
  /** The tensor's shape. */
  shape: number[];
  /** Its values, row-major. */
  data: Float32Array;
}

/**
 * Builds the network for `features` inputs per step. Dropout masks are drawn through `dropoutSeeds`, one fresh seed
 * per mask, because TensorFlow.js otherwise draws them from `Math.random`.
 *
 * @internal shared with the LSTM's files; not part of the public surface.
 */
export function buildNetwork(tf: Tf, p: ResolvedLstmParams, features: number, dropoutSeeds: Random): Network {
  const network = tf.sequential();
  const dropoutFunc = (x: Parameters<Tf['dropout']>[0], rate: number) =>
    tf.dropout(x, rate, undefined, dropoutSeeds.int(1, 2 ** 31 - 1)); // tfjs treats seed 0 as "no seed"
  for (let layer = 0; layer < p.layers; layer++) {
    network.add(
      tf.layers.lstm({
        units: p.units,
        returnSequences: layer < p.layers - 1,
        ...(layer === 0 ? { inputShape: [p.lookback, features] } : {}),
        dropout: p.dropout,
        recurrentDropout: p.recurrentDropout,
        dropoutFunc,
        // Real initial weights are set by initialWeights(); zeros here skip tfjs's own (unseeded, noisy) ones.
        kernelInitializer: 'zeros',
        recurrentInitializer: 'zeros',
        biasInitializer: 'zeros',
      }),
    );
  }
  network.add(
    tf.layers.dense({
      units: 1,
      activation: p.task === 'classification' ? 'sigmoid' : 'linear',
      kernelInitializer: 'zeros',
    }),
  );
  network.compile({
    optimizer: tf.train.adam(p.learningRate),
    loss: p.task === 'classification' ? 'binaryCrossentropy' : 'meanSquaredError',
  });
  return network;
}

/** Glorot (Xavier) uniform: U(−l, l) with l = √(6 / (fanIn + fanOut)) (Glorot and Bengio 2010), Keras' default. */
function glorotUniform(rows: number, cols: number, rng: Random): WeightArray {
  const limit = Math.sqrt(6 / (rows + cols));
  const data = Float32Array.from({ length: rows * cols }, () => (2 * rng.float() - 1) * limit);
  return { shape: [rows, cols], data };
}

/**
 * A `rows × cols` matrix (rows ≤ cols) with orthonormal rows: modified Gram–Schmidt on Gaussian vectors, which is
 * the Q of a QR decomposition with a positive diagonal, as Keras' `Orthogonal` initialiser (Saxe et al. 2014).
 */
function orthogonal(rows: number, cols: number, rng: Random): WeightArray {
  const basis: Float64Array[] = [];
  for (let r = 0; r < rows; r++) {
    const v = Float64Array.from({ length: cols }, () => rng.normal());
    for (const q of basis) {
      let dot = 0;
      for (let k = 0; k < cols; k++) dot += (v[k] as number) * (q[k] as number);
      for (let k = 0; k < cols; k++) v[k] = (v[k] as number) - dot * (q[k] as number);
    }
    let squares = 0;
    for (let k = 0; k < cols; k++) squares += (v[k] as number) ** 2;
    const norm = Math.sqrt(squares);
    for (let k = 0; k < cols; k++) v[k] = (v[k] as number) / norm;
    basis.push(v);
  }
  const data = new Float32Array(rows * cols);
  for (const [r, q] of basis.entries()) data.set(q, r * cols);
  return { shape: [rows, cols], data };
}

/**
 * Seeded initial weights in TensorFlow.js's order for the network of {@link buildNetwork}: per LSTM layer the input
 * kernel (Glorot uniform), the recurrent kernel (orthogonal) and the bias (zeros, with the forget gate's at 1 as
 * Keras' `unit_forget_bias`, Jozefowicz et al. 2015); then the head's kernel (Glorot uniform) and bias (0).
 *
 * @internal shared with the LSTM's files; not part of the public surface.
 */
export function initialWeights(p: ResolvedLstmParams, features: number, rng: Random): WeightArray[] {
  const u = p.units;
  const weights: WeightArray[] = [];
  for (let layer = 0; layer < p.layers; layer++) {
    weights.push(glorotUniform(layer === 0 ? features : u, 4 * u, rng));
    weights.push(orthogonal(u, 4 * u, rng));
    const bias = new Float32Array(4 * u);
    bias.fill(1, u, 2 * u); // gate order i, f, c, o
    weights.push({ shape: [4 * u], data: bias });
  }
  weights.push(glorotUniform(u, 1, rng));
  weights.push({ shape: [1], data: new Float32Array(1) });
  return weights;
}

/**
 * The shapes of the weights of the network for `features` inputs, in TensorFlow.js's order (see
 * {@link initialWeights}).
 *
 * @internal shared with the LSTM's files; not part of the public surface.
 */
export function weightShapes(p: ResolvedLstmParams, features: number): number[][] {
  const u = p.units;
  const shapes: number[][] = [];
  for (let layer = 0; layer < p.layers; layer++) {
    shapes.push([layer === 0 ? features : u, 4 * u], [u, 4 * u], [4 * u]);
  }
  shapes.push([u, 1], [1]);
  return shapes;
}

/**
 * The network's output (the probability for classification, the standardised target for regression) for each of
 * `count` windows laid out as {@link SequenceWindows} describes.
 *
 * @internal shared with the LSTM's files; not part of the public surface.
 */
export function forward(
  tf: Tf,
  network: Network,
  windows: Float32Array,
  count: number,
  p: ResolvedLstmParams,
): Float32Array {
  if (count === 0) return new Float32Array(0);
  const features = windows.length / (count * p.lookback);
  return tf.tidy(() => {
    const input = tf.tensor3d(windows, [count, p.lookback, features]);
    const output = network.predict(input, { batchSize: 1024 }) as ReturnType<Tf['tensor']>;
    return Float32Array.from(output.dataSync());
  });
}

/**
 * Copies `weights` into the network after checking that their shapes are the network's.
 *
 * @internal shared with the LSTM's files; not part of the public surface.
 */
export function setWeights(tf: Tf, network: Network, weights: readonly WeightArray[]): void {
  const expected = network.getWeights().map((w) => w.shape);
  const fits =
    expected.length === weights.length &&
    expected.every((shape, i) => shape.join('x') === (weights[i] as WeightArray).shape.join('x'));
  if (!fits) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `lstm weights do not fit the network: it has shapes ${expected.map((s) => `[${s.join(',')}]`).join(' ')} but the weights have ${weights.map((w) => `[${w.shape.join(',')}]`).join(' ')}`,
    );
  }
  const tensors = weights.map((w) => tf.tensor(w.data, w.shape, 'float32'));
  network.setWeights(tensors);
  for (const t of tensors) t.dispose();
}

/**
 * The network's current weights, copied out of TensorFlow.js.
 *
 * @internal shared with the LSTM's files; not part of the public surface.
 */
export function readWeights(network: Network): WeightArray[] {
  return network.getWeights().map((w) => ({ shape: [...w.shape], data: Float32Array.from(w.dataSync()) }));
}

/** A weight tensor in JSON: its shape and its 32-bit floats, little-endian, in base64. */
export interface EncodedWeights {
  /** The tensor's shape. */
  shape: number[];
  /** The values as little-endian IEEE 754 single-precision floats, base64-encoded. */
  values: string;
}

/** @internal shared with the LSTM's files; not part of the public surface. */
export function encodeWeights(weights: readonly WeightArray[]): EncodedWeights[] {
  return weights.map(({ shape, data }) => {
    const view = new DataView(new ArrayBuffer(data.length * 4));
    for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i] as number, true);
    const bytes = new Uint8Array(view.buffer);
    let binary = '';
    // Chunks keep String.fromCharCode's argument count far below engines' limits.
    for (let i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }
    return { shape: [...shape], values: btoa(binary) };
  });
}

/** @internal shared with the LSTM's files; not part of the public surface. */
export function decodeWeights(encoded: readonly EncodedWeights[]): WeightArray[] {
  return encoded.map(({ shape, values }, index) => {
    const binary = atob(values);
    const size = shape.reduce((a, b) => a * b, 1);
    if (binary.length !== size * 4) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `lstm state: weights[${index}] has shape [${shape.join(',')}] (${size} values) but ${binary.length / 4} values are stored`,
      );
    }
    const view = new DataView(Uint8Array.from(binary, (c) => c.charCodeAt(0)).buffer);
    const data = Float32Array.from({ length: size }, (_, i) => view.getFloat32(i * 4, true));
    return { shape: [...shape], data };
  });
}
