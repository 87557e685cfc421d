/**
 * The multi-objective parts of TPE as Optuna 3.1's `TPESampler` does them (MOTPE, Ozaki et al., "Multiobjective
 * tree-structured Parzen estimator for computationally expensive optimization problems", GECCO 2020): the good group
 * is filled front by front in nondomination rank, the last front that does not fit is cut by greedy hypervolume
 * subset selection, and each good trial is weighted by its hypervolume contribution.
 *
 * @module
 */
import { compare, hypervolume } from '../pareto.js';
import type { Observation } from './tpe-observations.js';

/** Optuna's floor for a zero reference coordinate and for contributions. */
const EPS = 1e-12;

/** Whether minimised point `a` dominates `b` (no worse everywhere, better somewhere). */
function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let k = 0; k < a.length; k++) {
    const x = a[k] as number;
    const y = b[k] as number;
    if (x > y) return false;
    if (x < y) better = true;
  }
  return better;
}

/** Lexicographic order of minimised points: a point can only be dominated by one before it. */
function lexicographic(a: readonly number[], b: readonly number[]): number {
  for (let k = 0; k < a.length; k++) {
    const order = compare(a[k] as number, b[k] as number);
    if (order !== 0) return order;
  }
  return 0;
}

/** The nondominated members of `members` (indices into `points`), in ascending index order. */
function firstFront(points: readonly (readonly number[])[], members: number[]): number[] {
  const sorted = [...members].sort(
    (i, j) => lexicographic(points[i] as number[], points[j] as number[]) || i - j,
  );
  const front: number[] = [];
  for (const i of sorted) {
    const p = points[i] as number[];
    if (!front.some((j) => dominates(points[j] as number[], p))) front.push(i);
  }
  return front.sort((a, b) => a - b);
}

/** Optuna's reference point: 1.1 times the worst value (0.9 times when negative), EPS where that is 0. */
function referencePoint(points: readonly (readonly number[])[]): number[] | undefined {
  const m = (points[0] as number[]).length;
  const reference: number[] = [];
  for (let k = 0; k < m; k++) {
    let worst = Number.NEGATIVE_INFINITY;
    for (const p of points) worst = Math.max(worst, p[k] as number);
    const r = Math.max(1.1 * worst, 0.9 * worst);
    reference.push(r === 0 ? EPS : r);
  }
  return reference.every(Number.isFinite) ? reference : undefined;
}

/**
 * Optuna 3.1's `_solve_hssp`: greedily picks `size` of `members` that add the most hypervolume, updating the
 * other candidates' contributions by inclusion–exclusion after each pick (ties: the earlier member).
 */
function greedySubset(points: readonly (readonly number[])[], members: number[], size: number): number[] {
  const vecs = members.map((i) => points[i] as number[]);
  const reference = referencePoint(vecs);
  // Infinite losses leave no finite reference point: fall back to trial order.
  if (reference === undefined) return members.slice(0, size);
  const contributions = vecs.map((v) => hypervolume([v], reference));
  const selected: number[][] = [];
  const chosen: number[] = [];
  let selectedVolume = 0;
  while (chosen.length < size) {
    let best = 0;
    for (let j = 1; j < contributions.length; j++) {
      if ((contributions[j] as number) > (contributions[best] as number)) best = j;
    }
    contributions[best] = -1;
    const pick = vecs[best] as number[];
    vecs.forEach((v, j) => {
      if (contributions[j] === -1) return;
      const corner = v.map((x, k) => Math.max(x, pick[k] as number));
      contributions[j] =
        (contributions[j] as number) - (hypervolume([...selected, corner], reference) - selectedVolume);
    });
    selected.push(pick);
    chosen.push(members[best] as number);
    selectedVolume = hypervolume(selected, reference);
  }
  return chosen;
}

/**
 * The `nBelow` good observations of a multi-objective study, as Optuna 3.1's `_split_observation_pairs` chooses them:
 * whole nondomination fronts while they fit, then a greedy hypervolume subset of the next front.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function splitByHypervolume(observations: readonly Observation[], nBelow: number): Observation[] {
  const points = observations.map((o) => o.loss);
  let remaining = observations.map((_, i) => i);
  const below: number[] = [];
  while (below.length < nBelow && remaining.length > 0) {
    const front = firstFront(points, remaining);
    if (below.length + front.length <= nBelow) {
      below.push(...front);
      const taken = new Set(front);
      remaining = remaining.filter((i) => !taken.has(i));
    } else {
      below.push(...greedySubset(points, front, nBelow - below.length));
    }
  }
  return below.map((i) => observations[i] as Observation);
}

/**
 * The weights of the good trials in multi-objective TPE (Optuna 3.1's `_calculate_weights_below_for_multi_objective`):
 * each feasible trial's hypervolume contribution to the feasible good trials, plus EPS, over the largest one; an
 * infeasible trial gets EPS; a lone feasible trial gets 1.
 *
 * @param below - the good trials, in the order their kernels are built.
 * @param constrained - whether the study has constraints (then only trials with violation 0 are feasible).
 * @internal used by the tuning module; not part of the public surface.
 */
export function hypervolumeWeights(below: readonly Observation[], constrained: boolean): Float64Array {
  const weights = new Float64Array(below.length).fill(EPS);
  const feasible = below.map((o, i) => (!constrained || o.violation === 0 ? i : -1)).filter((i) => i >= 0);
  if (feasible.length === 1) weights[feasible[0] as number] = 1;
  if (feasible.length < 2) return weights;
  const points = feasible.map((i) => (below[i] as Observation).loss as number[]);
  const reference = referencePoint(points);
  if (reference === undefined) {
    for (const i of feasible) weights[i] = 1;
    return weights;
  }
  const total = hypervolume(points, reference);
  const contributions = points.map(
    (_, i) =>
      total -
      hypervolume(
        points.filter((__, j) => j !== i),
        reference,
      ) +
      EPS,
  );
  const largest = Math.max(...contributions);
  feasible.forEach((i, r) => {
    weights[i] = Math.min(Math.max((contributions[r] as number) / largest, 0), 1);
  });
  return weights;
}
