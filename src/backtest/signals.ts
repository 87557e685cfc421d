import { z } from 'zod';
import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { toFiniteArray } from '../core/numeric.js';
import { parseOptions } from '../core/options.js';

/** Options of {@link thresholdSignal}. */
export interface ThresholdSignalOptions {
  /** Go long when the probability is at or above this, a number in [0, 1] greater than `short`. @defaultValue 0.55 */
  long?: number;
  /** Go short when the probability is at or below this, a number in [0, 1] less than `long`. @defaultValue 0.45 */
  short?: number;
  /** The exposure taken on a long signal, a finite number ≥ 0. @defaultValue 1 */
  longExposure?: number;
  /** The exposure taken on a short signal, a finite number ≤ 0; `0` makes the signal long-only. @defaultValue -1 */
  shortExposure?: number;
  /**
   * Inside the band between the thresholds, keep the previous exposure instead of going flat (hysteresis: fewer
   * round trips when the signal hovers near a threshold). The first value starts from flat. @defaultValue false
   */
  hold?: boolean;
}

/** Options of {@link predictionSignal}. */
export interface PredictionSignalOptions {
  /** The dead band: a prediction with `|prediction| <= threshold` is no signal. A finite number ≥ 0. @defaultValue 0 */
  threshold?: number;
  /** The exposure taken when the prediction is above `threshold`, a finite number ≥ 0. @defaultValue 1 */
  longExposure?: number;
  /**
   * The exposure taken when the prediction is below `-threshold`, a finite number ≤ 0; `0` makes the signal
   * long-only. @defaultValue -1
   */
  shortExposure?: number;
  /** Inside the dead band, keep the previous exposure instead of going flat; starts from flat. @defaultValue false */
  hold?: boolean;
}

/** Options of {@link sizeByConfidence}. */
export interface SizeByConfidenceOptions {
  /** The exposure at certainty (probability 1, or 0 when shorting), a finite number > 0. @defaultValue 1 */
  maxExposure?: number;
  /** Confidences `|2p − 1|` at or below this give no position, a number in [0, 1). @defaultValue 0 */
  deadZone?: number;
  /** When false, a negative exposure (p < 0.5) becomes 0. @defaultValue true */
  allowShort?: boolean;
}

/** Options of {@link kellyFraction}. */
export interface KellyFractionOptions {
  /** The payoff ratio `b`: average win divided by average loss, a finite number > 0. @defaultValue 1 */
  payoffRatio?: number;
  /** The fractional-Kelly multiplier, e.g. 0.5 for half Kelly; a finite number > 0. @defaultValue 1 */
  fraction?: number;
  /** The largest absolute exposure returned; results are clipped to [−cap, cap]. A finite number > 0. @defaultValue 1 */
  cap?: number;
  /** When false, a favourable short bet gives 0 instead of a negative exposure. @defaultValue true */
  allowShort?: boolean;
}

const exposures = {
  longExposure: z.number().min(0).default(1),
  shortExposure: z.number().max(0).default(-1),
  hold: z.boolean().default(false),
};

const thresholdSchema = z
  .strictObject({
    long: z.number().min(0).max(1).default(0.55),
    short: z.number().min(0).max(1).default(0.45),
    ...exposures,
  })
  .prefault({});

const predictionSchema = z
  .strictObject({ threshold: z.number().min(0).default(0), ...exposures })
  .prefault({});

const confidenceSchema = z
  .strictObject({
    maxExposure: z.number().positive().default(1),
    deadZone: z.number().min(0).lt(1).default(0),
    allowShort: z.boolean().default(true),
  })
  .prefault({});

const kellySchema = z
  .strictObject({
    payoffRatio: z.number().positive().default(1),
    fraction: z.number().positive().default(1),
    cap: z.number().positive().default(1),
    allowShort: z.boolean().default(true),
  })
  .prefault({});

/** Copies `values` after checking that each is a finite number in [0, 1]; an empty array is allowed. */
function toProbabilities(values: ArrayLike<number>): Float64Array {
  const out = toFiniteArray(values, 'probabilities', 0);
  for (let i = 0; i < out.length; i++) {
    const p = out[i] as number;
    if (p < 0 || p > 1) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `probabilities must lie in [0, 1], but probabilities[${i}] is ${formatNumber(p)}`,
        { details: { name: 'probabilities', index: i } },
      );
    }
  }
  return out;
}

interface SideExposures {
  longExposure: number;
  shortExposure: number;
  hold: boolean;
}

/** Maps each value's side (1 long, −1 short, 0 none) to an exposure; with `hold`, "none" keeps the previous one. */
function exposuresFor(values: Float64Array, side: (v: number) => number, o: SideExposures): number[] {
  const out = new Array<number>(values.length);
  let previous = 0;
  for (let i = 0; i < values.length; i++) {
    const s = side(values[i] as number);
    const exposure = s > 0 ? o.longExposure : s < 0 ? o.shortExposure : o.hold ? previous : 0;
    out[i] = exposure;
    previous = exposure;
  }
  return out;
}

/**
 * Target exposures from a classifier's probabilities of an up move: `longExposure` when `p >= long`,
 * `shortExposure` when `p <= short`, and in between 0 — or, with `hold: true`, the previous exposure (a hysteresis
 * band; the first value starts from flat). The thresholds must satisfy `0 <= short < long <= 1`.
 *
 * @param probabilities - one probability per bar, finite numbers in [0, 1]; an empty array gives `[]`.
 * @returns one target exposure per probability, for `Backtester.run({ bars, positions })`.
 * @throws MlcycleError `INVALID_ARGUMENT` for a probability that is not a finite number in [0, 1], an unknown or
 * out-of-range option, or `short >= long`.
 *
 * @example
 * ```ts
 * import { thresholdSignal } from 'mlcycle';
 *
 * thresholdSignal([0.6, 0.5, 0.4]); // [1, 0, -1]
 * thresholdSignal([0.6, 0.5, 0.4, 0.5], { hold: true, shortExposure: 0 }); // [1, 1, 0, 0]
 * ```
 */
export function thresholdSignal(
  probabilities: ArrayLike<number>,
  options?: ThresholdSignalOptions,
): number[] {
  const o = parseOptions(thresholdSchema, options, 'thresholdSignal options');
  if (!(o.short < o.long)) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `Invalid thresholdSignal options: short must be less than long ` +
        `(received short ${formatNumber(o.short)} and long ${formatNumber(o.long)})`,
    );
  }
  const p = toProbabilities(probabilities);
  return exposuresFor(p, (v) => (v >= o.long ? 1 : v <= o.short ? -1 : 0), o);
}

/**
 * Target exposures from a regression model's predicted returns: `longExposure` when `prediction > threshold`,
 * `shortExposure` when `prediction < -threshold`, and inside the dead band `|prediction| <= threshold` 0 — or, with
 * `hold: true`, the previous exposure (the first value starts from flat).
 *
 * @param predictions - one predicted return per bar, finite numbers; an empty array gives `[]`.
 * @returns one target exposure per prediction.
 * @throws MlcycleError `INVALID_ARGUMENT` for a prediction that is not a finite number or a bad option.
 *
 * @example
 * ```ts
 * import { predictionSignal } from 'mlcycle';
 *
 * predictionSignal([0.002, -0.0005, -0.003], { threshold: 0.001 }); // [1, 0, -1]
 * ```
 */
export function predictionSignal(
  predictions: ArrayLike<number>,
  options?: PredictionSignalOptions,
): number[] {
  const o = parseOptions(predictionSchema, options, 'predictionSignal options');
  const x = toFiniteArray(predictions, 'predictions', 0);
  return exposuresFor(x, (v) => (v > o.threshold ? 1 : v < -o.threshold ? -1 : 0), o);
}

/**
 * Target exposures proportional to a classifier's confidence. With `c = 2p − 1` (−1 at p = 0, +1 at p = 1) and
 * dead zone `d`:
 *
 * `exposure = 0` when `|c| <= d`, otherwise `sign(c) · maxExposure · (|c| − d) / (1 − d)`,
 *
 * so the exposure grows linearly from 0 at the edge of the dead zone to `±maxExposure` at certainty, and stays in
 * [−maxExposure, maxExposure]. With `allowShort: false`, negative exposures become 0.
 *
 * @param probabilities - one probability of an up move per bar, finite numbers in [0, 1]; `[]` gives `[]`.
 * @returns one target exposure per probability.
 * @throws MlcycleError `INVALID_ARGUMENT` for a probability that is not a finite number in [0, 1] or a bad option.
 *
 * @example
 * ```ts
 * import { sizeByConfidence } from 'mlcycle';
 *
 * sizeByConfidence([1, 0.75, 0.5, 0.25]); // [1, 0.5, 0, -0.5]
 * sizeByConfidence([0.625, 0.875, 0.125], { deadZone: 0.5, allowShort: false }); // [0, 0.5, 0]
 * ```
 */
export function sizeByConfidence(
  probabilities: ArrayLike<number>,
  options?: SizeByConfidenceOptions,
): number[] {
  const o = parseOptions(confidenceSchema, options, 'sizeByConfidence options');
  const p = toProbabilities(probabilities);
  return Array.from(p, (v) => {
    const c = 2 * v - 1;
    if (Math.abs(c) <= o.deadZone || (c < 0 && !o.allowShort)) return 0;
    return Math.sign(c) * o.maxExposure * ((Math.abs(c) - o.deadZone) / (1 - o.deadZone));
  });
}

/**
 * Target exposures sized by the Kelly criterion (Kelly, "A New Interpretation of Information Rate", *Bell System
 * Technical Journal* 35, 1956; Thorp, "The Kelly Criterion in Blackjack, Sports Betting and the Stock Market",
 * 2006), treating each bar as a bet that wins `b` (`payoffRatio`) per unit lost:
 *
 * - long, winning with probability `p`: `f_long = p − (1 − p) / b`;
 * - short, winning with probability `q = 1 − p`: `f_short = q − p / b`.
 *
 * The exposure is `f_long` when it is positive, `−f_short` when shorting is allowed and `f_short` is positive, and
 * otherwise 0; it is then multiplied by `fraction` and clipped to [−cap, cap]. For `b <= 1` at most one side is
 * favourable. For `b > 1` both can be (for `1 / (1 + b) < p < b / (1 + b)`); then the side with the larger Kelly
 * fraction is taken — long when `p >= 0.5`, short when `p < 0.5` — since `f_long − f_short = (2p − 1)(1 + 1/b)`.
 *
 * Full Kelly maximises the expected logarithm of wealth but assumes `p` and `b` are exact; with estimated
 * probabilities, fractional Kelly (`fraction` 0.25–0.5) and a `cap` are the usual guard against over-betting.
 *
 * @param probabilities - one probability of an up move per bar, finite numbers in [0, 1]; `[]` gives `[]`.
 * @returns one target exposure per probability, in [−cap, cap].
 * @throws MlcycleError `INVALID_ARGUMENT` for a probability that is not a finite number in [0, 1] or a bad option.
 *
 * @example
 * ```ts
 * import { kellyFraction } from 'mlcycle';
 *
 * kellyFraction([0.6, 0.5, 0.4]); // ≈ [0.2, 0, -0.2]
 * kellyFraction([0.6], { payoffRatio: 2, fraction: 0.5 }); // ≈ [0.2]: half of 0.6 − 0.4 / 2
 * ```
 */
export function kellyFraction(probabilities: ArrayLike<number>, options?: KellyFractionOptions): number[] {
  const o = parseOptions(kellySchema, options, 'kellyFraction options');
  const p = toProbabilities(probabilities);
  const b = o.payoffRatio;
  return Array.from(p, (v) => {
    const longF = v - (1 - v) / b;
    const shortF = 1 - v - v / b;
    let f = 0;
    if (o.allowShort && v < 0.5 && shortF > 0) f = -shortF;
    else if (longF > 0) f = longF;
    return Math.min(o.cap, Math.max(-o.cap, f * o.fraction));
  });
}
