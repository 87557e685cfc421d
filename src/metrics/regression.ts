/**
 * Regression and forecast error metrics. Each takes the true values and the predictions as two arrays of the same
 * length (at least one value) and agrees with the reference named in its TSDoc.
 *
 * @module
 */
import { z } from 'zod';
import { assertMinLength, assertSameLength } from '../core/checks.js';
import { median, sum, toFiniteArray, variance } from '../core/numeric.js';
import { parseOptions } from '../core/options.js';

/** numpy's `finfo(float64).eps`, the floor scikit-learn puts under |yTrue| in the MAPE denominator. */
const EPSILON = 2.220446049250313e-16;

/** Validates the two arrays once and returns them as `Float64Array`s. */
function toPair(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): [Float64Array, Float64Array] {
  const t = toFiniteArray(yTrue, 'yTrue');
  const p = toFiniteArray(yPred, 'yPred');
  assertSameLength(t, p, 'yTrue', 'yPred');
  return [t, p];
}

/** Absolute errors |yTrue − yPred| in one new array. */
function absoluteErrors(t: Float64Array, p: Float64Array): Float64Array {
  const out = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) out[i] = Math.abs((t[i] as number) - (p[i] as number));
  return out;
}

/**
 * Mean squared error, mean((yTrue − yPred)²) — scikit-learn's `mean_squared_error` (uniform weights).
 * Sums are compensated, so long inputs stay accurate to the last digits.
 *
 * @throws `INVALID_ARGUMENT` when an array holds a non-finite value or the lengths differ; `INSUFFICIENT_DATA` when
 * the arrays are empty.
 * @example
 * ```ts
 * mse([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // 0.375
 * ```
 */
export function mse(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const [t, p] = toPair(yTrue, yPred);
  const squares = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) {
    const d = (t[i] as number) - (p[i] as number);
    squares[i] = d * d;
  }
  return sum(squares) / t.length;
}

/**
 * Root mean squared error, √{@link mse} — scikit-learn's `mean_squared_error(squared=False)`.
 *
 * @example
 * ```ts
 * rmse([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // 0.6123724356957945
 * ```
 */
export function rmse(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  return Math.sqrt(mse(yTrue, yPred));
}

/**
 * Mean absolute error, mean(|yTrue − yPred|) — scikit-learn's `mean_absolute_error`.
 *
 * @example
 * ```ts
 * mae([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // 0.5
 * ```
 */
export function mae(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const [t, p] = toPair(yTrue, yPred);
  return sum(absoluteErrors(t, p)) / t.length;
}

/**
 * Mean absolute percentage error as a fraction (0.1 means 10 %) — scikit-learn's
 * `mean_absolute_percentage_error`: mean(|yTrue − yPred| / max(|yTrue|, ε)) with ε = 2.220446049250313e-16 (the
 * float64 machine epsilon). A zero true value with a non-zero error therefore contributes a huge finite term
 * (|error| / ε) rather than Infinity, exactly as scikit-learn does.
 *
 * @example
 * ```ts
 * mape([100, 200], [110, 180]); // 0.1
 * ```
 */
export function mape(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const [t, p] = toPair(yTrue, yPred);
  const terms = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) {
    const y = t[i] as number;
    terms[i] = Math.abs((p[i] as number) - y) / Math.max(Math.abs(y), EPSILON);
  }
  return sum(terms) / t.length;
}

/**
 * Symmetric mean absolute percentage error as a fraction in [0, 2]: mean(2·|yTrue − yPred| / (|yTrue| + |yPred|)),
 * the form of Makridakis (1993) and of the M3/M4 competitions without their factor of 100. A pair in which both
 * values are zero is a perfect forecast and contributes 0 (not NaN).
 *
 * @example
 * ```ts
 * smape([100, 0], [110, 0]); // (2·10/210 + 0) / 2 = 0.047619047619047616
 * ```
 */
export function smape(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const [t, p] = toPair(yTrue, yPred);
  const terms = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) {
    const y = t[i] as number;
    const f = p[i] as number;
    const scale = Math.abs(y) + Math.abs(f);
    terms[i] = scale === 0 ? 0 : (2 * Math.abs(y - f)) / scale;
  }
  return sum(terms) / t.length;
}

/** Options of {@link mase}. */
export interface MaseOptions {
  /** The in-sample (training) series the naive forecast is scored on, oldest first; more than `seasonality` values. */
  train: ArrayLike<number>;
  /**
   * The season length m of the naive forecast ŷ[t] = y[t − m]; 1 is the random-walk forecast.
   * @defaultValue 1
   */
  seasonality?: number;
}

const arrayLike = z.custom<ArrayLike<number>>(
  (v) => typeof v === 'object' && v !== null && typeof (v as { length?: unknown }).length === 'number',
  'expected an array of numbers',
);

const maseOptionsSchema = z.strictObject({
  train: arrayLike,
  seasonality: z.number().int().min(1).default(1),
});

/**
 * Mean absolute scaled error (Hyndman and Koehler 2006, "Another look at measures of forecast accuracy"): the
 * {@link mae} of the forecast divided by the in-sample MAE of the seasonal naive forecast on `train`,
 * mean(|train[t] − train[t − m]|) over t = m … n − 1. Below 1 means better than the naive forecast in-sample.
 *
 * Degenerate scale: when `train` is exactly periodic with period m (for m = 1, constant) the scale is 0 and the
 * result is `Infinity` for an imperfect forecast and `NaN` for a perfect one (0/0). sktime's
 * `mean_absolute_scaled_error` floors the scale at machine epsilon instead and returns a huge finite number.
 *
 * @throws `INVALID_ARGUMENT` for non-finite values, different lengths or bad options; `INSUFFICIENT_DATA` when
 * `train` has no more than `seasonality` values.
 * @example
 * ```ts
 * mase([5, 6], [5.5, 6.5], { train: [1, 2, 4, 7] }); // 0.5 / 2 = 0.25
 * mase(yTrue, yPred, { train: history, seasonality: 7 }); // against the same-weekday naive forecast
 * ```
 */
export function mase(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: MaseOptions): number {
  const parsed = parseOptions(maseOptionsSchema, options, 'mase options');
  const [t, p] = toPair(yTrue, yPred);
  const m = parsed.seasonality;
  const train = toFiniteArray(parsed.train, 'train', 0);
  assertMinLength(train, m + 1, 'train', `for a seasonal naive forecast with seasonality ${m}`);
  const naive = new Float64Array(train.length - m);
  for (let i = m; i < train.length; i++)
    naive[i - m] = Math.abs((train[i] as number) - (train[i - m] as number));
  const scale = sum(naive) / naive.length;
  return sum(absoluteErrors(t, p)) / t.length / scale;
}

/**
 * Coefficient of determination, 1 − Σ(yTrue − yPred)² / Σ(yTrue − mean(yTrue))² — scikit-learn's `r2_score` with
 * its default `force_finite=True`: for a constant `yTrue` it returns 1 when the predictions are perfect and 0
 * otherwise. With a single value it returns `NaN` (scikit-learn warns that R² is not defined for fewer than two
 * samples). Can be negative, without bound.
 *
 * A constant `yTrue` is detected exactly (all values equal); scikit-learn tests its computed denominator for zero,
 * so for a constant such as 0.1 whose floating mean is off by one ulp it can return a huge negative number where this
 * function returns 0.
 *
 * @example
 * ```ts
 * r2([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // 0.9486081370449679
 * r2([-2, -2, -2], [-2, -2, -2]);      // 1
 * ```
 */
export function r2(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const [t, p] = toPair(yTrue, yPred);
  const n = t.length;
  if (n < 2) return Number.NaN;
  const squares = new Float64Array(n);
  let constant = true;
  for (let i = 0; i < n; i++) {
    const d = (t[i] as number) - (p[i] as number);
    squares[i] = d * d;
    if (t[i] !== t[0]) constant = false;
  }
  const residual = sum(squares);
  if (constant) return residual === 0 ? 1 : 0;
  return 1 - residual / (variance(t) * n);
}

/**
 * Median absolute error, median(|yTrue − yPred|) — scikit-learn's `median_absolute_error`; an even count averages
 * the two middle errors (numpy's `median`). Robust to outliers.
 *
 * @example
 * ```ts
 * medianAbsoluteError([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // 0.5
 * ```
 */
export function medianAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const [t, p] = toPair(yTrue, yPred);
  return median(absoluteErrors(t, p));
}

/** Options of {@link directionalAccuracy}. */
export interface DirectionalAccuracyOptions {
  /**
   * What a pair in which either move is exactly zero counts as: `'exclude'` leaves it out of numerator and
   * denominator, `'miss'` counts it as a wrong direction, `'match'` as a right one.
   * @defaultValue 'exclude'
   */
  zero?: 'exclude' | 'miss' | 'match';
}

const directionalOptionsSchema = z
  .strictObject({ zero: z.enum(['exclude', 'miss', 'match']).default('exclude') })
  .default({ zero: 'exclude' });

/**
 * Directional accuracy (hit rate): the share of pairs whose signs agree, for series of moves — changes or returns
 * such as y[t] − y[t − 1] and ŷ[t] − y[t − 1], not levels. A zero move has no direction; by default
 * (`zero: 'exclude'`) every pair with a zero on either side is left out, so flat periods neither help nor hurt.
 * Returns `NaN` when no pair counts (every pair excluded).
 *
 * @example
 * ```ts
 * directionalAccuracy([0.5, -1, 2, 0], [0.1, 1, 3, -2]);                   // 2/3 (the zero move is left out)
 * directionalAccuracy([0.5, -1, 2, 0], [0.1, 1, 3, -2], { zero: 'miss' }); // 2/4
 * ```
 */
export function directionalAccuracy(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options?: DirectionalAccuracyOptions,
): number {
  const { zero } = parseOptions(directionalOptionsSchema, options, 'directionalAccuracy options');
  const [t, p] = toPair(yTrue, yPred);
  let hits = 0;
  let zeros = 0;
  for (let i = 0; i < t.length; i++) {
    const a = t[i] as number;
    const b = p[i] as number;
    if (a === 0 || b === 0) zeros++;
    else if (a > 0 === b > 0) hits++;
  }
  if (zero === 'exclude') return t.length === zeros ? Number.NaN : hits / (t.length - zeros);
  return (zero === 'match' ? hits + zeros : hits) / t.length;
}
