/**
 * Weights that follow the members' recent performance: an exponentially decayed mean loss per member, turned into
 * weights by softmax or inverse loss, updated as outcomes arrive.
 *
 * @module
 */
import { z } from 'zod';
import { assertFiniteArray, formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';

/** The per-observation loss {@link DynamicWeights} tracks. */
export type DynamicLoss = 'squared' | 'absolute' | 'logLoss';

/** Options for {@link DynamicWeights}. */
export interface DynamicWeightsOptions {
  /** The members' names, at least two, unique; `update` takes their predictions in this order. */
  members: readonly string[];
  /** After how many updates an observation's loss counts half as much; a positive number. @defaultValue 20 */
  halfLife?: number;
  /** How decayed losses become weights: `inverseLoss` or `softmax` (see {@link DynamicWeights}). @defaultValue 'inverseLoss' */
  method?: 'inverseLoss' | 'softmax';
  /** The loss of one prediction: `(ŷ − y)²`, `|ŷ − y|`, or the log loss of a probability for a 0/1 outcome. @defaultValue 'squared' */
  loss?: DynamicLoss;
  /** Softmax temperature τ, in units of the loss: smaller moves weight faster to the best member. @defaultValue 1 */
  temperature?: number;
  /** Updates before the weights start to move; until then they stay equal. @defaultValue 1 */
  minObservations?: number;
}

const optionsSchema = z.strictObject({
  members: z
    .array(z.string().min(1))
    .min(2)
    .refine((names) => new Set(names).size === names.length, 'member names must be unique'),
  halfLife: z.number().positive().default(20),
  method: z.enum(['inverseLoss', 'softmax']).default('inverseLoss'),
  loss: z.enum(['squared', 'absolute', 'logLoss']).default('squared'),
  temperature: z.number().positive().default(1),
  minObservations: z.number().int().min(1).default(1),
});

/** Keeps 1 / L finite when a member has been exact so far. */
const INVERSE_EPSILON = 1e-12;
// Probabilities are clipped to [EPS, 1 − EPS] inside the log loss, as scikit-learn's log_loss for float64.
const EPS = 2.220446049250313e-16;

/** The JSON form of a {@link DynamicWeights}: its options and decayed loss sums. */
export interface DynamicWeightsJSON {
  /** Always `'dynamic-weights'`. */
  kind: 'dynamic-weights';
  /** The options, defaults applied. */
  options: Required<DynamicWeightsOptions>;
  /** Decayed sum of each member's losses. */
  sums: number[];
  /** Decayed count of updates, Σ λ^age. */
  denominator: number;
  /** Updates so far. */
  observations: number;
}

/**
 * Re-weights ensemble members from their recent performance. Each `update(predictions, actual)` decays every
 * member's loss history by `λ = 2^(−1/halfLife)` and adds the new loss, so member j's recent loss is the
 * exponentially weighted mean
 *
 * `L_j = Σ_t λ^(T−t) · ℓ_j(t) / Σ_t λ^(T−t)`
 *
 * (an observation `halfLife` updates old counts half as much as the newest). The weights are then
 *
 * - `inverseLoss`: `w_j = (1 / (L_j + ε)) / Σ_k 1 / (L_k + ε)` with ε = 1e-12 — inverse-MSE forecast combination
 *   (Bates and Granger, "The combination of forecasts", 1969; Stock and Watson 2004 with discounting);
 * - `softmax`: `w_j = exp(−L_j / τ) / Σ_k exp(−L_k / τ)` — exponential weights (the Hedge / exponentially weighted
 *   average forecaster, Cesa-Bianchi and Lugosi, *Prediction, Learning, and Games*, 2006, §2.1).
 *
 * Both are non-negative and sum to one. Until `minObservations` updates have arrived the weights are equal.
 *
 * @example
 * ```ts
 * import { dynamicWeights } from 'mlcycle';
 *
 * const combiner = dynamicWeights({ members: ['ridge', 'lstm'], halfLife: 10, method: 'inverseLoss' });
 * const forecast = combiner.combine([ridgeForecast, lstmForecast]); // equal weights at first
 * // … when the outcome is known:
 * combiner.update([ridgeForecast, lstmForecast], actual);
 * combiner.weights; // { ridge: 0.64, lstm: 0.36 }: ridge has been closer lately
 * ```
 */
export class DynamicWeights {
  /** The validated options, defaults applied. */
  readonly options: Readonly<Required<DynamicWeightsOptions>>;
  readonly #decay: number;
  #sums: Float64Array;
  #denominator = 0;
  #observations = 0;

  /** @param options - see {@link DynamicWeightsOptions}. */
  constructor(options: DynamicWeightsOptions) {
    this.options = parseOptions(optionsSchema, options, 'DynamicWeights options');
    this.#decay = 2 ** (-1 / this.options.halfLife);
    this.#sums = new Float64Array(this.options.members.length);
  }

  /** Updates so far. */
  get observations(): number {
    return this.#observations;
  }

  /** Each member's exponentially weighted mean loss `L_j`; NaN before the first update. */
  get losses(): Record<string, number> {
    return this.#byName((j) => (this.#sums[j] as number) / this.#denominator);
  }

  /** The current weights by member name, non-negative and summing to one. */
  get weights(): Record<string, number> {
    const w = this.#weightArray();
    return this.#byName((j) => w[j] as number);
  }

  /**
   * The weighted average of the members' predictions with the current weights, `Σ_j w_j · predictions[j]`.
   *
   * @param predictions - one prediction per member, in the order of `options.members`.
   */
  combine(predictions: ArrayLike<number>): number {
    this.#check(predictions, undefined);
    const w = this.#weightArray();
    let total = 0;
    for (let j = 0; j < w.length; j++) total += (w[j] as number) * (predictions[j] as number);
    return total;
  }

  /**
   * Records an outcome: decays every member's loss history and adds its loss on `actual`. Call it once per
   * observation, in time order, with the predictions the members made for it. Returns the new weights.
   *
   * @throws `INVALID_ARGUMENT` for the wrong number of predictions, non-finite values, or (with `loss: 'logLoss'`)
   * a prediction outside [0, 1] or an outcome other than 0 or 1.
   */
  update(predictions: ArrayLike<number>, actual: number): Record<string, number> {
    this.#check(predictions, actual);
    const lambda = this.#decay;
    for (let j = 0; j < this.#sums.length; j++) {
      this.#sums[j] = lambda * (this.#sums[j] as number) + this.#loss(predictions[j] as number, actual);
    }
    this.#denominator = lambda * this.#denominator + 1;
    this.#observations++;
    return this.weights;
  }

  /** The options and loss history as plain JSON; {@link DynamicWeights.fromJSON} restores it exactly. */
  toJSON(): DynamicWeightsJSON {
    return {
      kind: 'dynamic-weights',
      options: { ...this.options, members: [...this.options.members] },
      sums: Array.from(this.#sums),
      denominator: this.#denominator,
      observations: this.#observations,
    };
  }

  /** Restores a {@link DynamicWeights} from {@link DynamicWeights.toJSON}'s output. */
  static fromJSON(json: DynamicWeightsJSON): DynamicWeights {
    if (json?.kind !== 'dynamic-weights') {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        "DynamicWeights.fromJSON needs the output of toJSON(), with kind 'dynamic-weights'",
      );
    }
    const restored = new DynamicWeights(json.options);
    assertFiniteArray(json.sums, 'sums');
    if (json.sums.length !== json.options.members.length) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `sums must hold one value per member (${json.options.members.length}), received ${json.sums.length}`,
      );
    }
    restored.#sums = Float64Array.from(json.sums);
    restored.#denominator = json.denominator;
    restored.#observations = json.observations;
    return restored;
  }

  #weightArray(): Float64Array {
    const k = this.#sums.length;
    if (this.#observations < this.options.minObservations) return new Float64Array(k).fill(1 / k);
    const losses = Float64Array.from(this.#sums, (s) => s / this.#denominator);
    let scores: Float64Array;
    if (this.options.method === 'inverseLoss') {
      scores = losses.map((l) => 1 / (l + INVERSE_EPSILON));
    } else {
      // Shift by the smallest loss so the best member's score is exp(0) = 1 and nothing underflows to 0/0.
      const best = Math.min(...losses);
      scores = losses.map((l) => Math.exp(-(l - best) / this.options.temperature));
    }
    const total = scores.reduce((a, b) => a + b, 0);
    return scores.map((s) => s / total);
  }

  #loss(prediction: number, actual: number): number {
    switch (this.options.loss) {
      case 'squared':
        return (prediction - actual) ** 2;
      case 'absolute':
        return Math.abs(prediction - actual);
      case 'logLoss': {
        const p = Math.min(Math.max(prediction, EPS), 1 - EPS);
        return actual === 1 ? -Math.log(p) : -Math.log(1 - p);
      }
    }
  }

  #check(predictions: ArrayLike<number>, actual: number | undefined): void {
    assertFiniteArray(predictions, 'predictions');
    const k = this.options.members.length;
    if (predictions.length !== k) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `predictions must hold one value per member (${k}: ${this.options.members.join(', ')}), received ${predictions.length}`,
      );
    }
    if (actual !== undefined && (typeof actual !== 'number' || !Number.isFinite(actual))) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `actual must be a finite number, received ${formatNumber(actual)}`,
      );
    }
    if (this.options.loss !== 'logLoss') return;
    for (let j = 0; j < k; j++) {
      const p = predictions[j] as number;
      if (p < 0 || p > 1) {
        throw new MlcycleError(
          'INVALID_ARGUMENT',
          `With loss 'logLoss', predictions are probabilities in [0, 1], but predictions[${j}] is ${formatNumber(p)}`,
        );
      }
    }
    if (actual !== undefined && actual !== 0 && actual !== 1) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `With loss 'logLoss', actual must be 0 or 1, received ${formatNumber(actual)}`,
      );
    }
  }

  #byName(value: (j: number) => number): Record<string, number> {
    return Object.fromEntries(this.options.members.map((name, j) => [name, value(j)]));
  }
}

/**
 * Makes a {@link DynamicWeights}: weights that follow each member's exponentially decayed recent loss.
 *
 * @example
 * ```ts
 * import { dynamicWeights } from 'mlcycle';
 *
 * const combiner = dynamicWeights({ members: ['a', 'b'], halfLife: 5, method: 'softmax', temperature: 0.1 });
 * combiner.update([1.0, 1.4], 1.1);
 * ```
 */
export function dynamicWeights(options: DynamicWeightsOptions): DynamicWeights {
  return new DynamicWeights(options);
}
