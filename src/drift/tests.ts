/**
 * The per-column drift tests and the default choice among them (Evidently's). Each test compares a column's
 * reference profile with the current values and gives a statistic, a p-value when it has one, and whether that
 * passes its threshold: p-value tests drift when p < threshold, distances when the distance >= threshold.
 *
 * @module
 */
import { radixSort } from '../core/sort.js';
import { andersonTwoSorted } from '../stats/anderson.js';
import { chiSquareGoodnessOfFit } from '../stats/chi-square.js';
import { cramerVonMisesSorted } from '../stats/cramer-von-mises.js';
import { hellinger, jensenShannon, klDivergence } from '../stats/divergence.js';
import { ks2SampleSorted } from '../stats/ks.js';
import { twoProportionZTest } from '../stats/two-proportion.js';
import { wassersteinSorted } from '../stats/wasserstein.js';
import type { ColumnKind, TypedColumn } from './columns.js';
import { binCounts, type CategoricalProfile, type NumericProfile } from './profile.js';

/** The tests a column can be given. */
export type DriftTestName =
  | 'ks'
  | 'chi2'
  | 'z'
  | 'psi'
  | 'js'
  | 'wasserstein'
  | 'hellinger'
  | 'kl'
  | 'anderson'
  | 'cramer-von-mises';

/** Every test name, in the order of {@link DriftTestName}. */
export const DRIFT_TESTS: readonly DriftTestName[] = [
  'ks',
  'chi2',
  'z',
  'psi',
  'js',
  'wasserstein',
  'hellinger',
  'kl',
  'anderson',
  'cramer-von-mises',
];

/** A column's reference, ready for testing: its profile and, for numbers, its sample as a sorted typed array. */
export type PreparedReference =
  | {
      kind: 'numeric';
      profile: NumericProfile;
      sample: Float64Array;
      std: number;
      /** The sample's counts per value, scaled to the column's count: made on first use, then kept. */
      valueCounts?: Map<string, number>;
    }
  | { kind: 'categorical'; profile: CategoricalProfile };

/** The counts per value or label of a column's reference and current values, over the union of labels. */
export interface LabelCounts {
  labels: string[];
  reference: number[];
  current: number[];
}

/**
 * A column's current values present: sorted numbers, or counts per label; `labelled` keeps the label counts
 * against the reference they were made for, which a detection asks for up to three times (test choice, test, score).
 */
export type CurrentValues = (
  | { kind: 'numeric'; sorted: Float64Array; missing: number }
  | { kind: 'categorical'; counts: Map<string, number>; present: number; missing: number }
) & { labelled?: { reference: PreparedReference; counts: LabelCounts } };

/** What a test found. */
export interface TestOutcome {
  statistic: number;
  pValue: number | undefined;
}

interface TestDefinition {
  /** Whether the statistic is a p-value test's (drift below the threshold) or a distance (drift at or above). */
  pValue: boolean;
  threshold: number;
  /** Column kinds it accepts (numeric columns also take the category tests, on their distinct values). */
  numeric: boolean;
  categorical: boolean;
  run(reference: PreparedReference, current: CurrentValues): TestOutcome;
}

/** Share used for an empty bin in the PSI and KL divergence, Evidently's replacement for 0. */
const EMPTY_SHARE = 1e-4;

/** The current values of a column, present values sorted (numbers) or counted (labels). */
export function currentValues(column: TypedColumn): CurrentValues {
  if (column.kind === 'numeric') {
    const { values } = column;
    const present = new Float64Array(values.length);
    let count = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (!Number.isNaN(v)) present[count++] = v;
    }
    const sorted = radixSort(count === values.length ? present : present.slice(0, count));
    return { kind: 'numeric', sorted, missing: values.length - count };
  }
  const counts = new Map<string, number>();
  let missing = 0;
  for (const label of column.values) {
    if (label === null) missing++;
    else counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return { kind: 'categorical', counts, present: column.values.length - missing, missing };
}

/** Counts per distinct value of a sorted array, as labels. */
function valueCounts(sorted: Float64Array, scale = 1): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    counts.set(String(sorted[i]), (j - i) * scale);
    i = j;
  }
  return counts;
}

/** Reference and current counts over the union of labels (reference's first, then the new ones in order). */
export function labelCounts(reference: PreparedReference, current: CurrentValues): LabelCounts {
  if (current.labelled?.reference === reference) return current.labelled.counts;
  let ref: Map<string, number>;
  if (reference.kind === 'categorical') ref = new Map(Object.entries(reference.profile.categories));
  else {
    reference.valueCounts ??= valueCounts(
      reference.sample,
      reference.profile.count / Math.max(reference.sample.length, 1),
    );
    ref = reference.valueCounts;
  }
  const cur = current.kind === 'categorical' ? current.counts : valueCounts(current.sorted);
  const labels = [...ref.keys()];
  for (const label of cur.keys()) if (!ref.has(label)) labels.push(label);
  const counts = {
    labels,
    reference: labels.map((l) => ref.get(l) ?? 0),
    current: labels.map((l) => cur.get(l) ?? 0),
  };
  current.labelled = { reference, counts };
  return counts;
}

/** Numbers with at most this many distinct values are compared value by value, as categories (Evidently's 20). */
const FEW_VALUES = 20;

/**
 * Reference and current counts in the comparison bins: the reference's quantile bins for numbers with more than
 * 20 distinct values (reference and current together), each value or label otherwise.
 */
export function binnedCounts(
  reference: PreparedReference,
  current: CurrentValues,
): { reference: number[]; current: number[] } {
  if (
    reference.kind === 'numeric' &&
    current.kind === 'numeric' &&
    distinctValues(reference, current) > FEW_VALUES
  ) {
    return {
      reference: reference.profile.counts,
      current: binCounts(current.sorted, reference.profile.edges),
    };
  }
  return labelCounts(reference, current);
}

/** Counts as shares, each empty one replaced by {@link EMPTY_SHARE}. */
function shares(counts: readonly number[]): number[] {
  const total = counts.reduce((s, c) => s + c, 0);
  return counts.map((c) => (c === 0 ? EMPTY_SHARE : c / total));
}

function numericPair(reference: PreparedReference, current: CurrentValues): [Float64Array, Float64Array] {
  if (reference.kind !== 'numeric' || current.kind !== 'numeric') {
    throw new TypeError('a numeric test was given a categorical column');
  }
  return [reference.sample, current.sorted];
}

/** The Wasserstein distance in units of the reference's standard deviation (ddof 0, at least 0.001), Evidently's. */
export function normalisedWasserstein(reference: PreparedReference, current: CurrentValues): number {
  const [a, b] = numericPair(reference, current);
  return wassersteinSorted(a, b) / Math.max((reference as { std: number }).std, 0.001);
}

/** A two-sample test of numbers with a p-value, at 5%. */
function numericTest(test: (a: Float64Array, b: Float64Array) => TestOutcome): TestDefinition {
  return {
    pValue: true,
    threshold: 0.05,
    numeric: true,
    categorical: false,
    run: (r, c) => {
      const { statistic, pValue } = test(...numericPair(r, c));
      return { statistic, pValue };
    },
  };
}

/** A distance between the binned reference and current counts, at 0.1. */
function binnedDistance(distance: (reference: number[], current: number[]) => number): TestDefinition {
  return {
    pValue: false,
    threshold: 0.1,
    numeric: true,
    categorical: true,
    run: (r, c) => {
      const counts = binnedCounts(r, c);
      return { statistic: distance(counts.reference, counts.current), pValue: undefined };
    },
  };
}

/** A test on the counts per value or label, with a p-value, at 5%. */
function countTest(test: (counts: LabelCounts) => TestOutcome): TestDefinition {
  return {
    pValue: true,
    threshold: 0.05,
    numeric: true,
    categorical: true,
    run: (r, c) => {
      const { statistic, pValue } = test(labelCounts(r, c));
      return { statistic, pValue };
    },
  };
}

const total = (counts: readonly number[]) => counts.reduce((s, x) => s + x, 0);

const TESTS: Readonly<Record<DriftTestName, TestDefinition>> = {
  ks: numericTest((a, b) => ks2SampleSorted(a, b)),
  anderson: numericTest((a, b) => andersonTwoSorted(a, b)),
  'cramer-von-mises': numericTest((a, b) => cramerVonMisesSorted(a, b)),
  wasserstein: {
    pValue: false,
    threshold: 0.1,
    numeric: true,
    categorical: false,
    run: (r, c) => ({ statistic: normalisedWasserstein(r, c), pValue: undefined }),
  },
  // Evidently's goodness of fit: the current counts against the reference's scaled to the current total.
  chi2: countTest((counts) => {
    const scale = total(counts.current) / total(counts.reference);
    return chiSquareGoodnessOfFit(
      counts.current,
      counts.reference.map((x) => x * scale),
    );
  }),
  // The share of the first value or label in each sample (two-sided: which one does not matter with two).
  z: countTest((counts) =>
    twoProportionZTest(
      Math.round(counts.reference[0] ?? 0),
      Math.round(total(counts.reference)),
      counts.current[0] ?? 0,
      total(counts.current),
    ),
  ),
  psi: binnedDistance((reference, current) => {
    const p = shares(reference);
    const q = shares(current);
    // Population Stability Index, as `psi` in the statistics module: Σ (c − r) · ln(c / r).
    let statistic = 0;
    for (let i = 0; i < p.length; i++) {
      statistic += ((q[i] as number) - (p[i] as number)) * Math.log((q[i] as number) / (p[i] as number));
    }
    return statistic;
  }),
  js: binnedDistance((reference, current) => jensenShannon(reference, current)),
  hellinger: binnedDistance((reference, current) => hellinger(reference, current)),
  kl: binnedDistance((reference, current) => klDivergence(shares(reference), shares(current))),
};

/** A test's definition: threshold, kind and run. */
export function driftTest(name: DriftTestName): TestDefinition {
  return TESTS[name];
}

/** Whether a test applies to a column kind. */
export function acceptsKind(name: DriftTestName, kind: ColumnKind): boolean {
  return kind === 'numeric' ? TESTS[name].numeric : TESTS[name].categorical;
}

/**
 * Distinct values present in the reference and the current values together, counted up to 21 (more are reported
 * as 21: the choices only ask whether there are more than 2, 5 or 20).
 */
function distinctValues(reference: PreparedReference, current: CurrentValues): number {
  if (reference.kind === 'categorical' || current.kind === 'categorical') {
    return labelCounts(reference, current).labels.length;
  }
  const a = reference.sample;
  const b = current.sorted;
  let distinct = 0;
  let last = Number.NaN;
  for (let i = 0, j = 0; (i < a.length || j < b.length) && distinct <= FEW_VALUES; ) {
    const v =
      j >= b.length || (i < a.length && (a[i] as number) <= (b[j] as number))
        ? (a[i++] as number)
        : (b[j++] as number);
    if (v !== last) {
      distinct++;
      last = v;
    }
  }
  return distinct;
}

/**
 * Evidently's default test for a column: with at most 1,000 reference values, KS for numbers with more than five
 * distinct values (reference and current together), otherwise chi-square with more than two distinct values and
 * the two-proportion z-test with two; with more, the normalised Wasserstein distance for numbers with more than five
 * distinct values and the Jensen–Shannon distance otherwise.
 */
export function defaultTest(reference: PreparedReference, current: CurrentValues): DriftTestName {
  const distinct = distinctValues(reference, current);
  const numeric = reference.kind === 'numeric';
  if (reference.profile.count <= 1000) {
    if (numeric && distinct > 5) return 'ks';
    return distinct > 2 ? 'chi2' : 'z';
  }
  return numeric && distinct > 5 ? 'wasserstein' : 'js';
}
