/**
 * Probabilistic and calibration metrics for binary classifiers: log loss, Brier score, the reliability curve and the
 * expected calibration error. `probabilities` are the predicted probabilities of the positive class, in [0, 1].
 *
 * @module
 */
import { z } from 'zod';
import { assertSameLength, formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { mean, quantileSorted, sortedCopy, toFiniteArray } from '../core/numeric.js';
import { parseOptions } from '../core/options.js';
import { toBinaryTargets } from './labels.js';

/** numpy's `finfo(float64).eps`: scikit-learn 1.2's `eps='auto'` clipping for float64 probabilities. */
const FLOAT64_EPS = 2.220446049250313e-16;

/** Validates binary targets and probabilities in [0, 1] of the same length. */
function toTargetsAndProbabilities(
  yTrue: ArrayLike<number | boolean>,
  probabilities: ArrayLike<number>,
): { values: Float64Array; classes: number[]; p: Float64Array } {
  const { values, classes } = toBinaryTargets(yTrue, 'yTrue');
  const p = toFiniteArray(probabilities, 'probabilities');
  assertSameLength(values, p, 'yTrue', 'probabilities');
  for (let i = 0; i < p.length; i++) {
    const v = p[i] as number;
    if (v < 0 || v > 1) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `probabilities must lie in [0, 1], but probabilities[${i}] is ${formatNumber(v)}`,
        { details: { index: i } },
      );
    }
  }
  return { values, classes, p };
}

/** Options for {@link logLoss}. */
export interface LogLossOptions {
  /**
   * Probabilities are clipped to [eps, 1 − eps] before the logarithm.
   * @defaultValue 2.220446049250313e-16 (float64 machine epsilon, scikit-learn 1.2's `eps='auto'`)
   */
  eps?: number;
  /**
   * The two classes, when `yTrue` may hold only one of them (scikit-learn's `labels`); the larger is the positive
   * class.
   * @defaultValue the classes found in yTrue
   */
  labels?: readonly [number | boolean, number | boolean];
}

const logLossSchema = z.strictObject({
  eps: z.number().min(0).lt(0.5).default(FLOAT64_EPS),
  labels: z.tuple([z.union([z.number(), z.boolean()]), z.union([z.number(), z.boolean()])]).optional(),
});

/**
 * Binary cross-entropy, −mean(y·ln p + (1 − y)·ln(1 − p)) in nats — scikit-learn 1.2's `log_loss` with
 * one-dimensional probabilities of the larger class. As scikit-learn, each probability is clipped to
 * [eps, 1 − eps] and the pair (1 − p, p) is renormalised by its sum before the logarithm. With `eps: 0` a confident
 * wrong prediction gives `Infinity`.
 *
 * @throws `INVALID_ARGUMENT` when `yTrue` holds non-binary labels, or a single class and no `options.labels` (as
 * scikit-learn), a label outside `options.labels`, a probability outside [0, 1], different lengths or bad options;
 * `INSUFFICIENT_DATA` when the arrays are empty.
 * @example
 * ```ts
 * logLoss([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.35]); // 0.21616187468057912
 * logLoss([1, 1], [0.9, 0.8], { labels: [0, 1] }); // one class present
 * ```
 */
export function logLoss(
  yTrue: ArrayLike<number | boolean>,
  probabilities: ArrayLike<number>,
  options: LogLossOptions = {},
): number {
  const parsed = parseOptions(logLossSchema, options, 'logLoss options');
  const { values, classes, p } = toTargetsAndProbabilities(yTrue, probabilities);
  let positive: number;
  if (parsed.labels === undefined) {
    if (classes.length < 2) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `yTrue holds only one class (${classes[0]}); pass both classes as options.labels`,
      );
    }
    positive = classes[1] as number;
  } else {
    const [a, b] = parsed.labels.map((l) => (typeof l === 'boolean' ? (l ? 1 : 0) : l)) as [number, number];
    if (a === b) throw new MlcycleError('INVALID_ARGUMENT', 'options.labels must name two different classes');
    positive = Math.max(a, b);
    const negative = Math.min(a, b);
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (v !== positive && v !== negative) {
        throw new MlcycleError(
          'INVALID_ARGUMENT',
          `yTrue[${i}] is ${v}, which is not one of options.labels (${negative}, ${positive})`,
        );
      }
    }
  }
  const eps = parsed.eps;
  const losses = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const clipped = Math.min(Math.max(p[i] as number, eps), 1 - eps);
    const complement = 1 - clipped;
    const total = complement + clipped;
    losses[i] = -Math.log((values[i] === positive ? clipped : complement) / total);
  }
  return mean(losses);
}

/**
 * Brier score, mean((y − p)²) with y = 1 for the positive class — scikit-learn 1.2's `brier_score_loss`. The
 * positive class is 1 when the labels are a subset of {0, 1} or {−1, 1} (`true` for booleans) and otherwise the
 * larger label, as scikit-learn; a single class is allowed.
 *
 * @throws `INVALID_ARGUMENT` when `yTrue` holds non-binary labels, a probability is outside [0, 1] or the lengths
 * differ; `INSUFFICIENT_DATA` when the arrays are empty.
 * @example
 * ```ts
 * brierScore([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3]); // 0.03749999999999999
 * ```
 */
export function brierScore(yTrue: ArrayLike<number | boolean>, probabilities: ArrayLike<number>): number {
  const { values, classes, p } = toTargetsAndProbabilities(yTrue, probabilities);
  const positive = conventionalPositive(classes) ?? (classes[classes.length - 1] as number);
  const squares = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const d = (values[i] === positive ? 1 : 0) - (p[i] as number);
    squares[i] = d * d;
  }
  return mean(squares);
}

/** 1 when the classes are a subset of {0, 1} or {−1, 1} (scikit-learn's `_check_pos_label_consistency`), else null. */
function conventionalPositive(classes: number[]): number | null {
  const zeroOne = classes.every((c) => c === 0 || c === 1);
  const minusOne = classes.every((c) => c === -1 || c === 1);
  return zeroOne || minusOne ? 1 : null;
}

/** Options for {@link reliabilityCurve} and {@link expectedCalibrationError}. */
export interface ReliabilityOptions {
  /**
   * Number of bins (scikit-learn's `n_bins`, whose default is 5).
   * @defaultValue 10
   */
  bins?: number;
  /**
   * `'uniform'`: equal-width bins over [0, 1]; `'quantile'`: edges at the quantiles of `probabilities`
   * (numpy's `percentile`, linear interpolation), so bins hold about equal counts.
   * @defaultValue 'uniform'
   */
  strategy?: 'uniform' | 'quantile';
}

/** The points of a reliability diagram; bins that hold no probability are left out, as scikit-learn. */
export interface ReliabilityCurve {
  /** Mean predicted probability in each non-empty bin (scikit-learn's `prob_pred`). */
  meanPredicted: number[];
  /** Fraction of positives in each non-empty bin (scikit-learn's `prob_true`). */
  fractionPositive: number[];
  /** Number of samples in each non-empty bin. */
  counts: number[];
  /** All `bins + 1` bin edges, empty bins included. */
  edges: number[];
  /** Index of each non-empty bin among all bins: bin b spans `edges[b]` to `edges[b + 1]`. */
  binIndices: number[];
}

const reliabilitySchema = z.strictObject({
  bins: z.number().int().min(1).default(10),
  strategy: z.enum(['uniform', 'quantile']).default('uniform'),
});

/**
 * Reliability curve (calibration curve): per bin of predicted probability, the mean prediction and the observed
 * fraction of positives — `sklearn.calibration.calibration_curve` (Niculescu-Mizil and Caruana 2005), with the same
 * bin edges (`np.linspace` or `np.percentile`), the same assignment (a probability on an inner edge falls in the
 * lower bin, `np.searchsorted` left) and empty bins dropped. The default of 10 bins differs from scikit-learn's 5.
 * `yTrue` must be labelled 0/1, −1/1 or with booleans; the positive class is 1 (`true`).
 *
 * @throws `INVALID_ARGUMENT` for labels other than 0/1, −1/1 or booleans, probabilities outside [0, 1], different
 * lengths or bad options; `INSUFFICIENT_DATA` when the arrays are empty.
 * @example
 * ```ts
 * reliabilityCurve([0, 0, 0, 0, 1, 1, 1, 1, 1], [0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1], { bins: 3 });
 * // fractionPositive [0, 0.5, 1], meanPredicted [0.2, 0.525, 0.85], counts [3, 2, 4]
 * ```
 */
export function reliabilityCurve(
  yTrue: ArrayLike<number | boolean>,
  probabilities: ArrayLike<number>,
  options: ReliabilityOptions = {},
): ReliabilityCurve {
  const parsed = parseOptions(reliabilitySchema, options, 'reliabilityCurve options');
  return binPredictions(yTrue, probabilities, parsed.bins, parsed.strategy);
}

/**
 * Expected calibration error, Σ_b (n_b / N)·|acc_b − conf_b| over the bins of {@link reliabilityCurve} (Naeini,
 * Cooper and Hauskrecht 2015; Guo et al. 2017), where acc_b is the fraction of positives and conf_b the mean
 * predicted probability of the positive class in bin b — the binary, positive-class form, not the top-label
 * (max-probability) form. scikit-learn has no such function; the reference is a numpy computation on
 * `calibration_curve`'s bins.
 *
 * @throws as {@link reliabilityCurve}.
 * @example
 * ```ts
 * expectedCalibrationError([0, 1, 1, 0], [0.2, 0.7, 0.9, 0.4], { bins: 5 }); // 0.25
 * ```
 */
export function expectedCalibrationError(
  yTrue: ArrayLike<number | boolean>,
  probabilities: ArrayLike<number>,
  options: ReliabilityOptions = {},
): number {
  const parsed = parseOptions(reliabilitySchema, options, 'expectedCalibrationError options');
  const curve = binPredictions(yTrue, probabilities, parsed.bins, parsed.strategy);
  const n = curve.counts.reduce((a, b) => a + b, 0);
  let ece = 0;
  for (let b = 0; b < curve.counts.length; b++) {
    const gap = Math.abs((curve.fractionPositive[b] as number) - (curve.meanPredicted[b] as number));
    ece += ((curve.counts[b] as number) / n) * gap;
  }
  return ece;
}

function binPredictions(
  yTrue: ArrayLike<number | boolean>,
  probabilities: ArrayLike<number>,
  bins: number,
  strategy: 'uniform' | 'quantile',
): ReliabilityCurve {
  const { values, classes, p } = toTargetsAndProbabilities(yTrue, probabilities);
  if (conventionalPositive(classes) === null) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `yTrue must be labelled 0/1, -1/1 or with booleans, but it holds ${classes.join(', ')}`,
    );
  }
  const edges = strategy === 'uniform' ? linspaceEdges(bins) : quantileEdges(p, bins);
  const sums = new Float64Array(bins);
  const positives = new Float64Array(bins);
  const totals = new Float64Array(bins);
  for (let i = 0; i < p.length; i++) {
    const b = innerEdgesBelow(edges, p[i] as number);
    // Plain running sums in input order, as np.bincount, so that the means match numpy's to the last bit.
    sums[b] = (sums[b] as number) + (p[i] as number);
    if (values[i] === 1) positives[b] = (positives[b] as number) + 1;
    totals[b] = (totals[b] as number) + 1;
  }
  const curve: ReliabilityCurve = {
    meanPredicted: [],
    fractionPositive: [],
    counts: [],
    edges,
    binIndices: [],
  };
  for (let b = 0; b < bins; b++) {
    const count = totals[b] as number;
    if (count === 0) continue;
    curve.meanPredicted.push((sums[b] as number) / count);
    curve.fractionPositive.push((positives[b] as number) / count);
    curve.counts.push(count);
    curve.binIndices.push(b);
  }
  return curve;
}

/** `np.linspace(0, 1, bins + 1)`: i·(1/bins) with the last edge exactly 1. */
function linspaceEdges(bins: number): number[] {
  const step = 1 / bins;
  return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? 1 : i * step));
}

/**
 * `np.percentile(p, np.linspace(0, 1, bins + 1) * 100)` to the last bit: the percentages are divided back by 100
 * exactly as numpy does before interpolating.
 */
function quantileEdges(p: Float64Array, bins: number): number[] {
  const sorted = sortedCopy(p);
  return linspaceEdges(bins).map((fraction) => quantileSorted(sorted, (fraction * 100) / 100));
}

/** `np.searchsorted(edges[1:-1], x)`: how many inner edges lie strictly below x (binary search). */
function innerEdgesBelow(edges: number[], x: number): number {
  let lo = 1;
  let hi = edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((edges[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
