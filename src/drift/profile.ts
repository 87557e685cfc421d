/**
 * The reference profile a {@link DriftDetector} tests against: per column, what the tests, the data-quality checks
 * and the score need — so that the reference rows need not be kept, and shards can be profiled apart and merged.
 *
 * @module
 */
import { z } from 'zod';
import { quantileSorted } from '../core/numeric.js';
import { parseOptions } from '../core/options.js';
import { Random } from '../core/random.js';
import { radixSort } from '../core/sort.js';
import { type ColumnKind, type DriftData, readColumns, type TypedColumn } from './columns.js';

/** The reference profile of a numeric column. */
export interface NumericProfile {
  /** `'numeric'`. */
  kind: 'numeric';
  /** Values present. */
  count: number;
  /** Values missing (null, undefined or NaN). */
  missing: number;
  /** Smallest value present (NaN when none). */
  min: number;
  /** Largest value present (NaN when none). */
  max: number;
  /** Mean of the values present. */
  mean: number;
  /** Sum of squared deviations from the mean, Σ(x − mean)²: the variance times `count`, kept to merge shards. */
  m2: number;
  /**
   * The values, ascending: every one when `count <= sampleSize`, otherwise a uniform random sample of
   * `sampleSize` of them (reservoir sampling, seeded). The distribution tests compare the current values with it.
   */
  sample: number[];
  /** Inner edges of the quantile bins of `sample` (distinct; bin i holds `edges[i − 1] <= x < edges[i]`). */
  edges: number[];
  /** Reference values in each bin, one more than `edges` (estimated from the sample when it is a subsample). */
  counts: number[];
}

/** The reference profile of a categorical column. */
export interface CategoricalProfile {
  /** `'categorical'`. */
  kind: 'categorical';
  /** Values present. */
  count: number;
  /** Values missing (null, undefined or NaN). */
  missing: number;
  /** Values per category label. */
  categories: Record<string, number>;
}

/** The profile of one column. */
export type ColumnProfile = NumericProfile | CategoricalProfile;

/** A reference profile: plain JSON, restorable with {@link DriftDetector}'s `profile` option. */
export interface ReferenceProfile {
  /** Format tag, `'mlcycle.drift-profile'`. */
  format: 'mlcycle.drift-profile';
  /** Format version, 1. */
  version: 1;
  /** Rows profiled. */
  rows: number;
  /** Most values a numeric column's sample keeps. */
  sampleSize: number;
  /** Quantile bins per numeric column. */
  bins: number;
  /** Seed of the reservoir sampling (and of merges). */
  seed: number;
  /** The profile of each column, by name, in the reference's column order. */
  columns: Record<string, ColumnProfile>;
}

/** Options of {@link profileReference}. */
export interface ProfileOptions {
  /** The columns to profile. @defaultValue every column of the reference, less `exclude` */
  columns?: readonly string[];
  /** Columns to leave out (ids, timestamps, targets). @defaultValue [] */
  exclude?: readonly string[];
  /**
   * The kind of each column; a column not named is numeric when every value present is a number, categorical
   * otherwise. @defaultValue {}
   */
  kinds?: Readonly<Record<string, ColumnKind>>;
  /**
   * Most values a numeric column's sample keeps; larger references keep a uniform random sample of this size,
   * which bounds the profile (about 20 bytes of JSON per value). @defaultValue 100000
   */
  sampleSize?: number;
  /** Quantile bins per numeric column (fewer remain when the reference has ties at the quantiles). @defaultValue 10 */
  bins?: number;
  /** Seed of the reservoir sampling. @defaultValue 0 */
  seed?: number;
}

const optionsSchema = z.strictObject({
  columns: z.array(z.string()).optional(),
  exclude: z.array(z.string()).default([]),
  kinds: z.record(z.string(), z.enum(['numeric', 'categorical'])).default({}),
  sampleSize: z.number().int().min(10).default(100_000),
  bins: z.number().int().min(1).max(1000).default(10),
  seed: z.number().int().min(0).default(0),
});

/** Distinct inner quantile edges of a sorted sample, and the sample's count in each of the bins they make. */
function quantileBins(sorted: Float64Array, bins: number): { edges: number[]; counts: number[] } {
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const edge = quantileSorted(sorted, k / bins);
    if (sorted.length > 0 && edge !== edges[edges.length - 1] && edge > (sorted[0] as number))
      edges.push(edge);
  }
  return { edges, counts: binCounts(sorted, edges) };
}

/** Counts of a sorted array in the bins made by ascending inner edges (bin i: edges[i − 1] <= x < edges[i]). */
export function binCounts(sorted: Float64Array, edges: readonly number[]): number[] {
  const counts: number[] = [];
  let from = 0;
  for (const edge of edges) {
    let to = from;
    while (to < sorted.length && (sorted[to] as number) < edge) to++;
    counts.push(to - from);
    from = to;
  }
  counts.push(sorted.length - from);
  return counts;
}

/** Uniform reservoir sample (algorithm R) of the finite values of `values`, sorted ascending. */
function reservoir(values: Float64Array, size: number, random: Random): Float64Array {
  const kept = new Float64Array(size);
  let seen = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) continue;
    if (seen < size) kept[seen] = v;
    else {
      const j = random.int(0, seen);
      if (j < size) kept[j] = v;
    }
    seen++;
  }
  return radixSort(kept.subarray(0, Math.min(seen, size)).slice());
}

/** The profile of a numeric column from its sorted sample and the moments of all its values. */
export function numericProfile(
  sample: Float64Array,
  moments: { count: number; missing: number; min: number; max: number; mean: number; m2: number },
  bins: number,
): NumericProfile {
  const { edges, counts } = quantileBins(sample, bins);
  const scale = sample.length === 0 ? 0 : moments.count / sample.length;
  return {
    kind: 'numeric',
    ...moments,
    sample: Array.from(sample),
    edges,
    counts: scale === 1 ? counts : counts.map((c) => c * scale),
  };
}

function profileColumn(column: TypedColumn, options: z.output<typeof optionsSchema>, random: Random) {
  if (column.kind === 'categorical') {
    const categories: Record<string, number> = {};
    let missing = 0;
    for (const label of column.values) {
      if (label === null) missing++;
      else categories[label] = (categories[label] ?? 0) + 1;
    }
    return { kind: 'categorical', count: column.values.length - missing, missing, categories } as const;
  }
  const { values } = column;
  let count = 0;
  let mean = 0;
  let m2 = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) continue;
    count++;
    const d = v - mean;
    mean += d / count;
    m2 += d * (v - mean);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const sample = reservoir(values, options.sampleSize, random);
  return numericProfile(
    sample,
    {
      count,
      missing: values.length - count,
      min: count ? min : Number.NaN,
      max: count ? max : Number.NaN,
      mean: count ? mean : Number.NaN,
      m2,
    },
    options.bins,
  );
}

/**
 * Profiles a reference table: per column its kind, counts of values present and missing, range, mean and sum of
 * squared deviations, and a sorted sample with its quantile bins (numeric), or its category counts (categorical).
 *
 * @throws MlcycleError `INVALID_ARGUMENT` for a bad table, option or value (a string in a numeric column, an
 * infinite number), or a column named that the table lacks.
 * @example
 * ```ts
 * const profile = profileReference(lastYearRows, { exclude: ['date'] });
 * const detector = new DriftDetector({ profile });
 * ```
 */
export function profileReference(data: DriftData, options: ProfileOptions = {}): ReferenceProfile {
  const parsed = parseOptions(optionsSchema, options, 'profileReference options');
  const { length, columns } = readColumns(data, 'reference', parsed.kinds, parsed.columns, parsed.exclude);
  const random = new Random(parsed.seed);
  const profiles: Record<string, ColumnProfile> = {};
  for (const [name, column] of columns) profiles[name] = profileColumn(column, parsed, random);
  return {
    format: 'mlcycle.drift-profile',
    version: 1,
    rows: length,
    sampleSize: parsed.sampleSize,
    bins: parsed.bins,
    seed: parsed.seed,
    columns: profiles,
  };
}
