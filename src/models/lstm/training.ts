/**
 * The training loop: seeded shuffling per epoch, a chronological validation tail, and early stopping that keeps the
 * weights of the best epoch (Keras' `EarlyStopping(restore_best_weights=True)`).
 */
import type { Random } from '../../core/random.js';
import type { Tf } from './backend.js';
import { forward, type Network, readWeights, setWeights, type WeightArray } from './network.js';
import type { ResolvedLstmParams } from './params.js';

/** One epoch of training, as recorded in the model's `history`. */
export interface LstmEpoch {
  /** The epoch's number, from 1. */
  epoch: number;
  /** The mean training loss over the epoch's batches, in the network's units (standardised for regression). */
  loss: number;
  /**
   * The loss on the validation tail after the epoch, in the target's own units: mean squared error for regression,
   * log loss (probabilities clipped to [1e-7, 1 − 1e-7], as Keras) for classification. `null` without a tail.
   */
  validationLoss: number | null;
  /** Wall-clock time of the epoch's gradient steps, in milliseconds. */
  durationMs: number;
}

/** Training sequences and their targets, already scaled for the network. */
export interface TrainingSet {
  /** Training windows, `[count, lookback, features]`, oldest first. */
  windows: Float32Array;
  /** The network's target for each training window. */
  targets: Float32Array;
  /** Validation windows (the most recent), empty without a tail. */
  validationWindows: Float32Array;
  /** The validation targets in the target's own units. */
  validationTargets: Float64Array;
  /** Features per row. */
  features: number;
  /** Maps the network's output back to the target's units (identity for classification). */
  unscale: (output: number) => number;
}

const EPSILON = 1e-7;

function validationLoss(p: ResolvedLstmParams, predicted: Float32Array, set: TrainingSet): number {
  let sum = 0;
  for (let i = 0; i < predicted.length; i++) {
    const y = set.validationTargets[i] as number;
    const v = set.unscale(predicted[i] as number);
    if (p.task === 'classification') {
      const q = Math.min(Math.max(v, EPSILON), 1 - EPSILON);
      sum -= y * Math.log(q) + (1 - y) * Math.log(1 - q);
    } else {
      sum += (v - y) ** 2;
    }
  }
  return sum / predicted.length;
}

/** The training windows in `order`, with their targets. */
function gather(set: TrainingSet, order: readonly number[], size: number): [Float32Array, Float32Array] {
  const windows = new Float32Array(order.length * size);
  const targets = new Float32Array(order.length);
  order.forEach((w, k) => {
    windows.set(set.windows.subarray(w * size, (w + 1) * size), k * size);
    targets[k] = set.targets[w] as number;
  });
  return [windows, targets];
}

/**
 * Trains `network` for up to `p.epochs` epochs; with a validation tail, stops after `p.patience` epochs without an
 * improvement of more than `p.minDelta` and restores the weights of the best epoch.
 *
 * @internal shared with the LSTM's files; not part of the public surface.
 */
export async function train(
  tf: Tf,
  network: Network,
  p: ResolvedLstmParams,
  set: TrainingSet,
  shuffling: Random,
): Promise<{ history: LstmEpoch[]; bestEpoch: number }> {
  const size = p.lookback * set.features;
  const count = set.targets.length;
  const validationCount = set.validationTargets.length;
  const order = Array.from({ length: count }, (_, i) => i);
  const history: LstmEpoch[] = [];
  let waited = 0;
  let best: { epoch: number; loss: number; weights: WeightArray[] } | undefined;
  for (let epoch = 1; epoch <= p.epochs; epoch++) {
    if (p.shuffle) shuffling.shuffle(order);
    const [windows, targets] = gather(set, order, size);
    const xs = tf.tensor3d(windows, [count, p.lookback, set.features]);
    const ys = tf.tensor2d(targets, [count, 1]);
    const start = performance.now();
    const fitted = await network.fit(xs, ys, {
      epochs: 1,
      batchSize: p.batchSize,
      shuffle: false, // shuffled above, from the seed
      verbose: 0,
      yieldEvery: 'never',
    });
    const durationMs = performance.now() - start;
    xs.dispose();
    ys.dispose();
    const loss = Number(fitted.history.loss?.[0]);
    if (validationCount === 0) {
      history.push({ epoch, loss, validationLoss: null, durationMs });
      continue;
    }
    const value = validationLoss(p, forward(tf, network, set.validationWindows, validationCount, p), set);
    history.push({ epoch, loss, validationLoss: value, durationMs });
    if (Number.isFinite(value) && (best === undefined || value < best.loss - p.minDelta)) {
      best = { epoch, loss: value, weights: readWeights(network) };
      waited = 0;
    } else if (++waited >= p.patience) {
      break;
    }
  }
  if (best === undefined) return { history, bestEpoch: history.length };
  if (best.epoch !== history.length) setWeights(tf, network, best.weights);
  return { history, bestEpoch: best.epoch };
}
