import { MlcycleError } from '../core/errors.js';
import { regularizedBeta } from '../stats/beta.js';
import { type CheckedRows, checkRows, checkTarget, type FeatureRows } from './model.js';

/** Whether the target is a number to regress on or a class label. */
export type LearningTask = 'regression' | 'classification';

/** Univariate F-test scores and their p-values, one per feature. */
export interface FeatureTest {
  /** The F statistic of each feature. */
  scores: number[];
  /** The upper-tail p-value of each F statistic. */
  pValues: number[];
}

function assertTask(task: unknown, who: string): void {
  if (task !== 'regression' && task !== 'classification') {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `${who}: task must be "regression" or "classification", received ${JSON.stringify(task)}`,
    );
  }
}

function column(X: CheckedRows, j: number): Float64Array {
  const out = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) out[i] = X.data[i * X.cols + j] as number;
  return out;
}

function meanOf(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] as number;
  return s / values.length;
}

/** P(F(d1, d2) > f) = I_{d2/(d2 + d1·f)}(d2/2, d1/2). */
function fSurvival(f: number, d1: number, d2: number): number {
  if (Number.isNaN(f)) return Number.NaN;
  if (f === Number.POSITIVE_INFINITY) return 0;
  return regularizedBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2);
}

/** Groups row indices by label value. */
function groups(y: Float64Array): Map<number, number[]> {
  const out = new Map<number, number[]>();
  y.forEach((label, i) => {
    const members = out.get(label);
    if (members === undefined) out.set(label, [i]);
    else members.push(i);
  });
  return out;
}

/**
 * The univariate F-test of each feature against the target, as scikit-learn's `f_regression` (regression: the
 * squared correlation turned into F = r² / (1 − r²) · (n − 2) on 1 and n − 2 degrees of freedom) and `f_classif`
 * (classification: the one-way ANOVA F across the label groups, as `scipy.stats.f_oneway`). It measures linear
 * dependence only. A constant feature scores NaN, as scikit-learn.
 *
 * @example
 * ```ts
 * import { fStatistic } from 'mlcycle';
 *
 * const { scores, pValues } = fStatistic(X, y, 'regression');
 * ```
 */
export function fStatistic(
  X: FeatureRows,
  y: ArrayLike<number>,
  task: LearningTask = 'regression',
): FeatureTest {
  assertTask(task, 'fStatistic');
  const rows = checkRows(X, 'fStatistic');
  const target = checkTarget(y, rows.rows, 'fStatistic');
  const scores: number[] = [];
  const pValues: number[] = [];
  if (task === 'regression') {
    if (rows.rows < 3) {
      throw new MlcycleError('INSUFFICIENT_DATA', `fStatistic needs at least 3 rows, received ${rows.rows}`);
    }
    const yMean = meanOf(target);
    let syy = 0;
    for (const v of target) syy += (v - yMean) ** 2;
    const df = rows.rows - 2;
    for (let j = 0; j < rows.cols; j++) {
      const x = column(rows, j);
      const xMean = meanOf(x);
      let sxy = 0;
      let sxx = 0;
      for (let i = 0; i < x.length; i++) {
        const dx = (x[i] as number) - xMean;
        sxy += dx * ((target[i] as number) - yMean);
        sxx += dx * dx;
      }
      const r = sxy / Math.sqrt(sxx * syy);
      const f = ((r * r) / (1 - r * r)) * df;
      scores.push(f);
      pValues.push(fSurvival(f, 1, df));
    }
    return { scores, pValues };
  }
  const byLabel = [...groups(target).values()];
  if (byLabel.length < 2 || byLabel.length >= rows.rows) {
    throw new MlcycleError(
      'INSUFFICIENT_DATA',
      `fStatistic needs at least 2 classes and more rows than classes, received ${byLabel.length} classes in ${rows.rows} rows`,
    );
  }
  const between = byLabel.length - 1;
  const within = rows.rows - byLabel.length;
  for (let j = 0; j < rows.cols; j++) {
    const x = column(rows, j);
    const grand = meanOf(x);
    let ssBetween = 0;
    let ssWithin = 0;
    for (const members of byLabel) {
      const m = meanOf(members.map((i) => x[i] as number));
      ssBetween += members.length * (m - grand) ** 2;
      for (const i of members) ssWithin += ((x[i] as number) - m) ** 2;
    }
    const f = ssBetween / between / (ssWithin / within);
    scores.push(f);
    pValues.push(fSurvival(f, between, within));
  }
  return { scores, pValues };
}

/** The largest double below `r` (0 stays 0), as `numpy.nextafter(r, 0)`. */
function nextDown(r: number): number {
  if (r === 0) return 0;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, r);
  view.setBigUint64(0, view.getBigUint64(0) - 1n);
  return view.getFloat64(0);
}

const EULER_GAMMA = 0.5772156649015329;

/** ψ(m) for m = 1..n: −γ + H(m − 1), exact for the integer counts the estimators need. */
function digammaTable(n: number): Float64Array {
  const table = new Float64Array(n + 1);
  table[0] = Number.NEGATIVE_INFINITY;
  let harmonic = 0;
  for (let m = 1; m <= n; m++) {
    table[m] = harmonic - EULER_GAMMA;
    harmonic += 1 / m;
  }
  return table;
}

/** The distance to the k-th nearest of the points `others` (by index) from point i, under `distance`. */
function kthDistance(
  i: number,
  others: readonly number[],
  k: number,
  distance: (a: number, b: number) => number,
) {
  const best = new Array<number>(k).fill(Number.POSITIVE_INFINITY);
  for (const j of others) {
    if (j === i) continue;
    const d = distance(i, j);
    if (d >= (best[k - 1] as number)) continue;
    let at = k - 1;
    while (at > 0 && (best[at - 1] as number) > d) {
      best[at] = best[at - 1] as number;
      at--;
    }
    best[at] = d;
  }
  return best[k - 1] as number;
}

function countWithin(values: Float64Array, i: number, radius: number): number {
  const v = values[i] as number;
  let count = 0;
  for (const w of values) if (Math.abs(v - w) <= radius) count++;
  return count;
}

/** Divides by the population standard deviation (a constant column is left as is), as `sklearn.preprocessing.scale`. */
function scaled(values: Float64Array): Float64Array {
  const m = meanOf(values);
  let ss = 0;
  for (const v of values) ss += (v - m) ** 2;
  const sd = Math.sqrt(ss / values.length);
  return sd > 0 ? values.map((v) => v / sd) : values;
}

/** Kraskov, Stögbauer and Grassberger's estimator 1 (Phys. Rev. E 69, 2004) for two continuous variables. */
function miContinuous(x: Float64Array, y: Float64Array, k: number, psi: Float64Array): number {
  const n = x.length;
  const all = Array.from({ length: n }, (_, i) => i);
  let sumX = 0;
  let sumY = 0;
  for (let i = 0; i < n; i++) {
    const r = kthDistance(i, all, k, (a, b) =>
      Math.max(Math.abs((x[a] as number) - (x[b] as number)), Math.abs((y[a] as number) - (y[b] as number))),
    );
    const radius = nextDown(r);
    sumX += psi[countWithin(x, i, radius)] as number; // the count includes i itself: ψ(n_x + 1)
    sumY += psi[countWithin(y, i, radius)] as number;
  }
  return Math.max(0, (psi[n] as number) + (psi[k] as number) - sumX / n - sumY / n);
}

/** Ross's estimator (PLoS ONE 9(2), 2014) for a continuous variable and a discrete one; singleton labels dropped. */
function miDiscrete(x: Float64Array, labels: Float64Array, k: number, psi: Float64Array): number {
  const kept: number[] = [];
  const radius = new Map<number, number>();
  let sumK = 0;
  let sumLabel = 0;
  for (const members of groups(labels).values()) {
    if (members.length < 2) continue;
    const kk = Math.min(k, members.length - 1);
    for (const i of members) {
      radius.set(
        i,
        nextDown(kthDistance(i, members, kk, (a, b) => Math.abs((x[a] as number) - (x[b] as number)))),
      );
      kept.push(i);
      sumK += psi[kk] as number;
      sumLabel += psi[members.length] as number;
    }
  }
  const n = kept.length;
  if (n === 0) return 0;
  const values = Float64Array.from(kept, (i) => x[i] as number);
  let sumAll = 0;
  kept.forEach((i, at) => {
    sumAll += psi[countWithin(values, at, radius.get(i) as number)] as number;
  });
  return Math.max(0, (psi[n] as number) + sumK / n - sumLabel / n - sumAll / n);
}

/**
 * The mutual information (in nats) between each feature and the target, estimated from k nearest neighbours as
 * scikit-learn's `mutual_info_regression` (Kraskov et al. 2004) and `mutual_info_classif` (Ross 2014), with every
 * feature continuous: features (and a regression target) are divided by their standard deviation first, and
 * negative estimates are clipped to 0. Unlike scikit-learn it adds no jitter noise, so ties are kept as they are.
 * Captures non-linear dependence; costs O(n²) per feature.
 *
 * @param neighbors - k, as scikit-learn's `n_neighbors`. @defaultValue 3
 */
export function mutualInformation(
  X: FeatureRows,
  y: ArrayLike<number>,
  task: LearningTask = 'regression',
  neighbors = 3,
): number[] {
  assertTask(task, 'mutualInformation');
  const rows = checkRows(X, 'mutualInformation');
  const target = checkTarget(y, rows.rows, 'mutualInformation');
  if (!Number.isSafeInteger(neighbors) || neighbors < 1) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `mutualInformation: neighbors must be a positive integer, received ${String(neighbors)}`,
    );
  }
  if (task === 'regression' && rows.rows <= neighbors) {
    throw new MlcycleError(
      'INSUFFICIENT_DATA',
      `mutualInformation needs more rows than neighbors (${neighbors}), received ${rows.rows}`,
    );
  }
  const psi = digammaTable(rows.rows);
  const yScaled = task === 'regression' ? scaled(target) : target;
  const scores: number[] = [];
  for (let j = 0; j < rows.cols; j++) {
    const x = scaled(column(rows, j));
    scores.push(
      task === 'regression'
        ? miContinuous(x, yScaled, neighbors, psi)
        : miDiscrete(x, target, neighbors, psi),
    );
  }
  return scores;
}
