import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';

/**
 * Whether an objective is to be made small or large (Optuna's `StudyDirection`).
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export type Direction = 'minimize' | 'maximize';

function invalid(message: string): MlcycleError {
  return new MlcycleError('INVALID_ARGUMENT', message);
}

function checkDirections(directions: unknown): asserts directions is readonly Direction[] {
  if (
    !Array.isArray(directions) ||
    directions.length === 0 ||
    directions.some((d) => d !== 'minimize' && d !== 'maximize')
  ) {
    throw invalid(`directions must be a non-empty array of 'minimize' or 'maximize'`);
  }
}

/** Checks one point: an array of `m` numbers, none NaN (±Infinity allowed, as Optuna allows it). */
function checkPoint(
  point: unknown,
  m: number,
  name: string,
  what: string,
): asserts point is readonly number[] {
  if (!Array.isArray(point)) throw invalid(`${name} must be an array of numbers`);
  if (point.length !== m) {
    throw invalid(`${name} has ${point.length} objectives, but ${what} has ${m}`);
  }
  for (let k = 0; k < m; k++) {
    const v = point[k];
    if (typeof v !== 'number' || Number.isNaN(v)) {
      throw invalid(
        `${name}[${k}] must be a number (Infinity is allowed, NaN is not), received ${formatNumber(v)}`,
      );
    }
  }
}

function checkPoints(
  values: unknown,
  m: number,
  what: string,
): asserts values is readonly (readonly number[])[] {
  if (!Array.isArray(values)) throw invalid('values must be an array of points, each an array of numbers');
  for (let i = 0; i < values.length; i++) checkPoint(values[i], m, `values[${i}]`, what);
}

function checkPenalties(penalties: unknown, n: number): asserts penalties is readonly (readonly number[])[] {
  if (!Array.isArray(penalties) || penalties.length !== n) {
    const got = Array.isArray(penalties) ? String(penalties.length) : typeof penalties;
    throw invalid(
      `penalties must hold one array of constraint values per point: expected ${n}, received ${got}`,
    );
  }
  for (let i = 0; i < n; i++) {
    const row: unknown = penalties[i];
    if (!Array.isArray(row) || row.length !== (penalties[0] as unknown[]).length) {
      throw invalid(`penalties[${i}] must be an array of as many constraint values as penalties[0]`);
    }
    row.forEach((v: unknown, k) => {
      if (typeof v !== 'number' || Number.isNaN(v)) {
        throw invalid(`penalties[${i}][${k}] must be a number, received ${formatNumber(v)}`);
      }
    });
  }
}

/**
 * The factor that turns an objective of `direction` into one to minimise: −1 for `'maximize'`, 1 otherwise.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function directionSign(direction: Direction): number {
  return direction === 'maximize' ? -1 : 1;
}

/** Optuna's `_dominates` on values already turned to minimisation: no worse everywhere and not equal everywhere. */
function dominatesMin(a: readonly number[], b: readonly number[], sign: readonly number[]): boolean {
  let equal = true;
  for (let k = 0; k < sign.length; k++) {
    const x = (sign[k] as number) * (a[k] as number);
    const y = (sign[k] as number) * (b[k] as number);
    if (x > y) return false;
    if (x !== y) equal = false;
  }
  return !equal;
}

/**
 * Whether point `a` Pareto-dominates point `b`: `a` is no worse than `b` in every objective and the two are not equal
 * in all of them (Optuna 3.1 `optuna.study._multi_objective._dominates`; equal points do not dominate each other).
 *
 * @param a - objective values of the first point (±Infinity allowed, NaN not).
 * @param b - objective values of the second point, as many as `a`.
 * @param directions - per objective, whether it is minimised or maximised.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function dominates(
  a: readonly number[],
  b: readonly number[],
  directions: readonly Direction[],
): boolean {
  checkDirections(directions);
  checkPoint(a, directions.length, 'a', 'directions');
  checkPoint(b, directions.length, 'b', 'directions');
  return dominatesMin(a, b, directions.map(directionSign));
}

/**
 * The indices, ascending, of the points no other point dominates (Optuna 3.1 `_get_pareto_front_trials_by_trials`).
 * Duplicated points on the front are all kept, since equal points do not dominate each other. Two objectives use
 * Optuna's O(n log n) sweep; more use the pairwise O(n²) check.
 *
 * @param values - one array of objective values per point.
 * @param directions - per objective, whether it is minimised or maximised.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function paretoFront(
  values: readonly (readonly number[])[],
  directions: readonly Direction[],
): number[] {
  checkDirections(directions);
  checkPoints(values, directions.length, 'directions');
  const sign = directions.map(directionSign);
  const n = values.length;
  if (n === 0) return [];
  if (directions.length === 2) {
    const s0 = sign[0] as number;
    const s1 = sign[1] as number;
    const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => {
      const a = values[i] as readonly number[];
      const b = values[j] as readonly number[];
      return (
        compare(s0 * (a[0] as number), s0 * (b[0] as number)) ||
        compare(s1 * (a[1] as number), s1 * (b[1] as number))
      );
    });
    // Sorted lexicographically, a point is dominated by some front point iff the last front point dominates it.
    let last = order[0] as number;
    const front = [last];
    for (let r = 1; r < n; r++) {
      const i = order[r] as number;
      if (dominatesMin(values[last] as readonly number[], values[i] as readonly number[], sign)) continue;
      front.push(i);
      last = i;
    }
    return front.sort((a, b) => a - b);
  }
  const front: number[] = [];
  for (let i = 0; i < n; i++) {
    let dominated = false;
    for (let j = 0; j < n && !dominated; j++) {
      dominated = dominatesMin(values[j] as readonly number[], values[i] as readonly number[], sign);
    }
    if (!dominated) front.push(i);
  }
  return front;
}

/**
 * Ascending comparison that is safe for ±Infinity (where `a - b` would give NaN).
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function compare(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The total violation of one point's constraints: the sum of its positive constraint values.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function violation(constraints: readonly number[]): number {
  let total = 0;
  for (const c of constraints) if (c > 0) total += c;
  return total;
}

/**
 * The non-dominated fronts, best first, each listing point indices in the order Optuna 3.1's
 * `NSGAIISampler._fast_non_dominated_sort` lists them (it removes a point by moving the last one into its place). That
 * order decides ties in {@link selectSurvivors}, so it is kept.
 *
 * With `penalties`, domination is Deb's constrained domination as in Optuna's `_constrained_dominates`: a feasible
 * point (every constraint value ≤ 0) beats an infeasible one; of two infeasible points the one with the strictly
 * smaller total violation (sum of positive constraint values) wins, whatever its objectives; two feasible points
 * compare by Pareto dominance.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function nonDominatedFronts(
  values: readonly (readonly number[])[],
  directions: readonly Direction[],
  penalties?: readonly (readonly number[])[],
): number[][] {
  checkDirections(directions);
  checkPoints(values, directions.length, 'directions');
  const n = values.length;
  const sign = directions.map(directionSign);
  let better = (p: number, q: number) =>
    dominatesMin(values[p] as readonly number[], values[q] as readonly number[], sign);
  if (penalties !== undefined) {
    checkPenalties(penalties, n);
    const total = penalties.map(violation);
    const plain = better;
    better = (p, q) => {
      const vp = total[p] as number;
      const vq = total[q] as number;
      if (vp === 0 && vq === 0) return plain(p, q);
      return vp < vq;
    };
  }
  // Deb et al. (2002), "A fast and elitist multiobjective genetic algorithm: NSGA-II", section III-A.
  const dominatedCount = new Int32Array(n);
  const dominatedBy: number[][] = Array.from({ length: n }, () => []);
  for (let p = 0; p < n; p++) {
    for (let q = p + 1; q < n; q++) {
      if (better(p, q)) {
        (dominatedBy[p] as number[]).push(q);
        dominatedCount[q] = (dominatedCount[q] as number) + 1;
      } else if (better(q, p)) {
        (dominatedBy[q] as number[]).push(p);
        dominatedCount[p] = (dominatedCount[p] as number) + 1;
      }
    }
  }
  const remaining = Array.from({ length: n }, (_, i) => i);
  const fronts: number[][] = [];
  while (remaining.length > 0) {
    const front: number[] = [];
    let i = 0;
    while (i < remaining.length) {
      const p = remaining[i] as number;
      if (dominatedCount[p] !== 0) {
        i++;
        continue;
      }
      const last = remaining.pop() as number;
      if (i < remaining.length) remaining[i] = last;
      front.push(p);
    }
    for (const p of front)
      for (const q of dominatedBy[p] as number[]) dominatedCount[q] = (dominatedCount[q] as number) - 1;
    fronts.push(front);
  }
  return fronts;
}

/**
 * The non-domination rank of each point: 0 for the Pareto front, 1 for the front once that is removed, and so on
 * (fast non-dominated sort, Deb et al. 2002; Optuna 3.1 `NSGAIISampler._fast_non_dominated_sort`, including its
 * constrained domination when `penalties` is given: see {@link nonDominatedFronts}).
 *
 * @param values - one array of objective values per point (±Infinity allowed, NaN not).
 * @param directions - per objective, whether it is minimised or maximised.
 * @param penalties - optional, per point the values of its constraints, as Optuna's `constraints_func` returns them:
 *   a value ≤ 0 is satisfied, a positive value is violated by that much. All points have the same number of values.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function nonDominatedSort(
  values: readonly (readonly number[])[],
  directions: readonly Direction[],
  penalties?: readonly (readonly number[])[],
): number[] {
  const fronts = nonDominatedFronts(values, directions, penalties);
  const ranks = new Array<number>(values.length).fill(0);
  fronts.forEach((front, rank) => {
    for (const i of front) ranks[i] = rank;
  });
  return ranks;
}

/**
 * Crowding distances of `members` (indices into `values`) and their order after Optuna's in-place sorts (stable sort
 * by each objective in turn, starting from the order given), which breaks ties in {@link selectSurvivors}.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function crowdingOf(
  values: readonly (readonly number[])[],
  members: readonly number[],
): {
  /** Crowding distance of each member, keyed by its index. */
  distances: Map<number, number>;
  /** The members in the order Optuna's sorts leave them (by the last objective, ties by the earlier ones). */
  order: number[];
} {
  const distances = new Map<number, number>(members.map((i) => [i, 0]));
  const order = [...members];
  const n = order.length;
  if (n === 0) return { distances, order };
  const m = (values[order[0] as number] as readonly number[]).length;
  for (let k = 0; k < m; k++) {
    const at = (r: number): number => {
      if (r < 0) return Number.NEGATIVE_INFINITY;
      if (r >= n) return Number.POSITIVE_INFINITY;
      return (values[order[r] as number] as readonly number[])[k] as number;
    };
    order.sort((i, j) =>
      compare((values[i] as readonly number[])[k] as number, (values[j] as readonly number[])[k] as number),
    );
    if (at(0) === at(n - 1)) continue; // a constant objective says nothing about crowding
    // Range over the finite values (Optuna: the first value above -Infinity, the last below +Infinity); a range of 0
    // or -Infinity (only infinities) is replaced by 1.
    let lo = 0;
    while (lo < n && at(lo) === Number.NEGATIVE_INFINITY) lo++;
    let hi = n - 1;
    while (hi >= 0 && at(hi) === Number.POSITIVE_INFINITY) hi--;
    let width = at(hi) - at(lo);
    if (!(width > 0)) width = 1;
    for (let r = 0; r < n; r++) {
      const below = at(r - 1);
      const above = at(r + 1);
      // Infinity − Infinity counts as 0, so duplicated infinite values do not crowd each other out.
      const gap = above === below ? 0 : above - below;
      const i = order[r] as number;
      distances.set(i, (distances.get(i) as number) + gap / width);
    }
  }
  return { distances, order };
}

/**
 * The crowding distance of each point (Deb et al. 2002, as Optuna 3.1 `nsgaii._sampler._calc_crowding_distance`):
 * the sum over objectives of the gap between a point's two neighbours in that objective, divided by the range of the
 * objective's finite values. The extreme points get Infinity (their missing neighbour counts as ∓Infinity); an
 * objective whose values are all equal adds 0 to every point; a range of 0 is replaced by 1; equal neighbours give a
 * gap of 0 (so Infinity − Infinity is 0). Ties are ordered as Optuna's stable sorts order them: by position, then by
 * the earlier objectives. Values are used as given, whatever the objectives' directions.
 *
 * @param values - one array of objective values per point, all of the same length (±Infinity allowed, NaN not).
 * @returns the distances, aligned with `values`.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function crowdingDistance(values: readonly (readonly number[])[]): number[] {
  if (!Array.isArray(values)) throw invalid('values must be an array of points, each an array of numbers');
  if (values.length === 0) return [];
  const first: unknown = values[0];
  checkPoints(values, Array.isArray(first) ? first.length : 0, 'values[0]');
  const { distances } = crowdingOf(
    values,
    values.map((_, i) => i),
  );
  return values.map((_, i) => distances.get(i) as number);
}

/** Volume of the box spanned by `point` and `reference`. */
function boxVolume(point: Float64Array, reference: Float64Array): number {
  let volume = 1;
  for (let k = 0; k < reference.length; k++) volume *= (reference[k] as number) - (point[k] as number);
  return Math.abs(volume);
}

/** Two objectives: sweep the points by the first objective and add the slab each one uncovers (Optuna `_compute_2d`). */
function hypervolume2d(points: readonly Float64Array[], reference: Float64Array): number {
  const sorted = [...points].sort(
    (a, b) => compare(a[0] as number, b[0] as number) || compare(b[1] as number, a[1] as number),
  );
  const rx = reference[0] as number;
  let ry = reference[1] as number;
  let volume = 0;
  for (const p of sorted) {
    const y = p[1] as number;
    if (y > ry) continue; // covered by a point already swept
    volume += Math.abs((rx - (p[0] as number)) * (ry - y));
    ry = y;
  }
  return volume;
}

/**
 * WFG (While, Bradstreet and Barone 2012) as Optuna 3.1 `optuna._hypervolume.WFG` runs it: the volume is the sum of
 * each point's exclusive volume against the points after it in the order of the first objective; one or two points
 * are done directly and two objectives by the sweep.
 */
function wfg(points: readonly Float64Array[], reference: Float64Array): number {
  if (reference.length === 2) return hypervolume2d(points, reference);
  const n = points.length;
  if (n === 0) return 0;
  if (n === 1) return boxVolume(points[0] as Float64Array, reference);
  if (n === 2) {
    const a = points[0] as Float64Array;
    const b = points[1] as Float64Array;
    let overlap = 1;
    for (let k = 0; k < reference.length; k++)
      overlap *= (reference[k] as number) - Math.max(a[k] as number, b[k] as number);
    return boxVolume(a, reference) + boxVolume(b, reference) - overlap;
  }
  const sorted = [...points].sort((a, b) => compare(a[0] as number, b[0] as number));
  let volume = 0;
  for (let i = 0; i < n; i++) {
    const point = sorted[i] as Float64Array;
    const limited = limit(point, sorted.slice(i + 1));
    const covered =
      limited.length === 1 ? boxVolume(limited[0] as Float64Array, reference) : wfg(limited, reference);
    volume += boxVolume(point, reference) - covered;
  }
  return volume;
}

/**
 * The points after `point`, each clipped to `point`'s box (`max(s, point)` per objective), with the clipped points
 * that an earlier kept one dominates dropped in one left-to-right scan: not the whole Pareto set, but enough to keep
 * the recursion small (Optuna's `WFG._limit`).
 */
function limit(point: Float64Array, rest: readonly Float64Array[]): Float64Array[] {
  const clipped = rest.map((s) => s.map((v, k) => Math.max(v, point[k] as number)));
  if (clipped.length <= 1) return clipped;
  const kept = [clipped[0] as Float64Array];
  let left = clipped[0] as Float64Array;
  for (let r = 1; r < clipped.length; r++) {
    const right = clipped[r] as Float64Array;
    if (left.some((v, k) => v > (right[k] as number))) {
      left = right;
      kept.push(right);
    }
  }
  return kept;
}

/**
 * The hypervolume of `points` with respect to `reference`: the volume of the union of the boxes between each point
 * and the reference point, exact for any number of objectives (WFG algorithm, While, Bradstreet and Barone 2012, as
 * Optuna 3.1's `optuna._hypervolume.WFG`, with its sorted sweep for two objectives).
 *
 * All objectives are minimised: callers negate the values (and the reference) of maximised objectives first. A
 * point that does not lie strictly below the reference in every objective contributes nothing and is left out
 * (Optuna's `WFG.compute` raises an error for a point beyond the reference instead).
 *
 * @param points - one array of finite objective values per point; may be empty (volume 0).
 * @param reference - the reference point, finite, with as many objectives as each point.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function hypervolume(points: readonly (readonly number[])[], reference: readonly number[]): number {
  if (!Array.isArray(reference) || reference.length === 0) {
    throw invalid('reference must be a non-empty array of finite numbers');
  }
  reference.forEach((v: unknown, k) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw invalid(`reference[${k}] must be a finite number, received ${formatNumber(v)}`);
    }
  });
  if (!Array.isArray(points)) throw invalid('points must be an array of points, each an array of numbers');
  const ref = Float64Array.from(reference);
  const inside: Float64Array[] = [];
  points.forEach((p: unknown, i) => {
    if (!Array.isArray(p) || p.length !== ref.length) {
      throw invalid(`points[${i}] must be an array of ${ref.length} numbers, as many as reference`);
    }
    p.forEach((v: unknown, k) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw invalid(`points[${i}][${k}] must be a finite number, received ${formatNumber(v)}`);
      }
    });
    if (p.every((v: number, k) => v < (ref[k] as number))) inside.push(Float64Array.from(p as number[]));
  });
  return wfg(inside, ref);
}
