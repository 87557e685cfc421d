import { z } from 'zod';
import { MlcycleError } from '../core/errors.js';
import { TypedEmitter } from '../core/events.js';
import { parseOptions } from '../core/options.js';
import { runInWorkers } from '../core/worker-pool.js';
import { benjaminiHochberg, bonferroni, holm } from '../stats/corrections.js';
import { type ColumnJob, type ColumnMeasure, measureColumn } from './column-job.js';
import { type ColumnKind, type DriftData, readColumns } from './columns.js';
import { type ProfileOptions, profileReference, type ReferenceProfile } from './profile.js';
import { checkProfile } from './profile-check.js';
import { quality } from './quality.js';
import { type ColumnQuality, DriftReport, type FeatureDrift } from './report.js';
import {
  acceptsKind,
  currentValues,
  DRIFT_TESTS,
  type DriftTestName,
  driftTest,
  type PreparedReference,
} from './tests.js';
import { sliceRows, timestampsOf, windowBounds } from './windows.js';

/** A column's test and threshold, when not the default's. */
export interface ColumnTest {
  /** The test to run. */
  test: DriftTestName;
  /** Its threshold: p-value tests drift below it, distances at or above it. @defaultValue the test's own */
  threshold?: number;
}

/** A column's test, by name or with its threshold. */
export type ColumnTestChoice = DriftTestName | ColumnTest;

/** Options of {@link DriftDetector}. */
export interface DriftDetectorOptions extends ProfileOptions {
  /** The reference rows or columns to profile; give this or `profile`. */
  reference?: DriftData;
  /** A reference profile made earlier (`detector.profile`, {@link profileReference}); give this or `reference`. */
  profile?: ReferenceProfile;
  /** Per column, the test to run instead of the default (and optionally its threshold). @defaultValue {} */
  tests?: Readonly<Record<string, ColumnTestChoice>>;
  /**
   * Correction of the p-values for testing many columns at once: Bonferroni, Holm, or Benjamini–Hochberg's false
   * discovery rate (`'fdr'`). `'none'` as Evidently. @defaultValue 'none'
   */
  correction?: 'none' | 'bonferroni' | 'holm' | 'fdr';
  /** Share of drifted columns at which the dataset counts as drifted. @defaultValue 0.5 */
  driftShare?: number;
  /**
   * Smallest effect size (see {@link FeatureDrift.effect}) that counts as drift, so that a tiny but "significant"
   * shift on a million rows is not called drift; 0 as Evidently. @defaultValue 0
   */
  minEffectSize?: number;
  /** Rise of the missing rate (a share, 0.15 = 15 percentage points) above which quality is flagged. @defaultValue 0.15 */
  missingRateIncrease?: number;
  /** Worker threads to spread the columns over; the report is the same for any number. @defaultValue 1 */
  workers?: number;
}

/** Options of {@link DriftDetector.detectWindows}. */
export interface WindowOptions {
  /** Rows per window (give this or `durationMs`). */
  size?: number;
  /** Milliseconds per window, by the timestamp column (give this or `size`). */
  durationMs?: number;
  /** Distance between window starts, in rows or milliseconds. @defaultValue the window's size or duration */
  step?: number;
  /** The column of epoch-ms timestamps (or Dates), non-decreasing; it is not tested. @defaultValue 'timestamp' */
  timestampColumn?: string;
}

/** One window of {@link DriftDetector.detectWindows}. */
export interface WindowDrift {
  /** Index of the window's first row. */
  start: number;
  /** Index after its last row. */
  end: number;
  /** Timestamp of its first row (epoch ms). */
  startTime: number;
  /** Timestamp of its last row (epoch ms). */
  endTime: number;
  /** The window's drift report. */
  report: DriftReport;
}

/** A column whose data quality is flagged, and the findings. */
export interface QualityEvent {
  /** The column name. */
  column: string;
  /** Its findings. */
  quality: ColumnQuality;
}

/** Events of a {@link DriftDetector}. */
export interface DriftEvents {
  /** A column drifted: its measurements as evidence. */
  drift: FeatureDrift;
  /** A column's data quality is flagged. */
  quality: QualityEvent;
}

const testName = z.string().refine((name) => (DRIFT_TESTS as readonly string[]).includes(name), {
  message: `expected a test name: ${DRIFT_TESTS.join(', ')}`,
}) as unknown as z.ZodType<DriftTestName>;
const testChoice = z.union([
  testName,
  z.strictObject({ test: testName, threshold: z.number().positive().optional() }),
]);

const optionsSchema = z.strictObject({
  reference: z.unknown().optional(),
  profile: z.unknown().optional(),
  columns: z.array(z.string()).optional(),
  exclude: z.array(z.string()).optional(),
  kinds: z.record(z.string(), z.enum(['numeric', 'categorical'])).optional(),
  sampleSize: z.number().optional(),
  bins: z.number().optional(),
  seed: z.number().optional(),
  tests: z.record(z.string(), testChoice).default({}),
  correction: z.enum(['none', 'bonferroni', 'holm', 'fdr']).default('none'),
  driftShare: z.number().gt(0).max(1).default(0.5),
  minEffectSize: z.number().min(0).default(0),
  missingRateIncrease: z.number().min(0).max(1).default(0.15),
  workers: z.number().int().min(1).default(1),
});

const windowSchema = z.strictObject({
  size: z.number().int().min(1).optional(),
  durationMs: z.number().positive().optional(),
  step: z.number().positive().optional(),
  timestampColumn: z.string().default('timestamp'),
});

function prepare(profile: ReferenceProfile): Map<string, PreparedReference> {
  const prepared = new Map<string, PreparedReference>();
  for (const [name, column] of Object.entries(profile.columns)) {
    prepared.set(
      name,
      column.kind === 'numeric'
        ? {
            kind: 'numeric',
            profile: column,
            sample: Float64Array.from(column.sample),
            std: column.count > 0 ? Math.sqrt(column.m2 / column.count) : 0,
          }
        : { kind: 'categorical', profile: column },
    );
  }
  return prepared;
}

function adjust(pValues: number[], correction: DriftReport['correction']): number[] {
  if (correction === 'none' || pValues.length === 0) return pValues;
  if (correction === 'bonferroni') return bonferroni(pValues);
  return correction === 'holm' ? holm(pValues) : benjaminiHochberg(pValues);
}

/**
 * Tells which columns of the current data have moved away from a reference — one test per column, Evidently's
 * choice of test by default, optional multiple-testing correction and minimum effect size — with data-quality
 * findings (missing values, new or vanished categories, constants, values out of range) and a dataset score in
 * [0, 1] for retraining triggers. The reference is kept as a JSON {@link ReferenceProfile}, not as rows.
 *
 * @example
 * ```ts
 * const detector = new DriftDetector({ reference: lastYear, exclude: ['date'] });
 * detector.on('drift', (f) => console.warn(`${f.column} drifted (${f.test} ${f.statistic})`));
 * const report = await detector.detect(thisMonth);
 * console.log(report.toText());
 * ```
 */
export class DriftDetector extends TypedEmitter<DriftEvents> {
  /** The reference profile: plain JSON, restorable with the `profile` option. */
  readonly profile: ReferenceProfile;
  readonly #options: z.output<typeof optionsSchema>;
  readonly #prepared: Map<string, PreparedReference>;

  /**
   * @throws MlcycleError `INVALID_ARGUMENT` for a bad option, both or neither of `reference` and `profile`, a bad
   * reference table or profile, or a test that does not apply to its column's kind.
   */
  constructor(options: DriftDetectorOptions) {
    super();
    const parsed = parseOptions(optionsSchema, options, 'DriftDetector options');
    if ((parsed.reference === undefined) === (parsed.profile === undefined)) {
      throw new MlcycleError('INVALID_ARGUMENT', 'DriftDetector needs exactly one of reference and profile');
    }
    const {
      reference,
      profile,
      tests,
      correction,
      driftShare,
      minEffectSize,
      missingRateIncrease,
      workers,
      ...rest
    } = options;
    const profiling = Object.keys(rest);
    if (profile !== undefined && profiling.length > 0) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `DriftDetector options ${profiling.join(', ')} shape a new profile and cannot be used with profile`,
      );
    }
    this.profile =
      reference !== undefined
        ? profileReference(reference, rest)
        : checkProfile(profile, 'DriftDetector profile');
    this.#options = parsed;
    for (const [column, choice] of Object.entries(parsed.tests)) {
      const kind = this.profile.columns[column]?.kind;
      if (kind === undefined) {
        throw new MlcycleError(
          'INVALID_ARGUMENT',
          `DriftDetector tests names column "${column}", which the reference does not have`,
        );
      }
      const test = typeof choice === 'string' ? choice : choice.test;
      if (!acceptsKind(test, kind)) {
        throw new MlcycleError(
          'INVALID_ARGUMENT',
          `DriftDetector test "${test}" does not apply to the ${kind} column "${column}"`,
        );
      }
    }
    this.#prepared = prepare(this.profile);
  }

  /**
   * Tests every reference column on the current rows or columns (which must have them; other columns are
   * ignored) and reports each column's test, statistic, p-value, threshold, effect size, score and quality, and
   * the dataset's drift share, decision and score. Emits `drift` for each drifted column and `quality` for each
   * flagged one.
   *
   * @throws MlcycleError `INVALID_ARGUMENT` for a bad table or a value that does not fit its column's kind.
   */
  async detect(current: DriftData): Promise<DriftReport> {
    const kinds: Record<string, ColumnKind> = {};
    for (const [name, column] of Object.entries(this.profile.columns)) kinds[name] = column.kind;
    const { length, columns } = readColumns(current, 'current', kinds, Object.keys(kinds));
    const jobs: ColumnJob[] = [];
    for (const [name, column] of columns) {
      const choice = this.#options.tests[name];
      jobs.push({
        reference: this.#prepared.get(name) as PreparedReference,
        current: currentValues(column),
        test: typeof choice === 'string' ? choice : choice?.test,
      });
    }
    return this.#report(jobs, await this.#measure(jobs), length);
  }

  /**
   * Prediction drift: whether the model's outputs on the current data are distributed as on the reference data,
   * with the default test for their kind (numbers or labels) and this detector's settings. The report has one
   * column, `prediction`.
   */
  async detectPredictions(
    reference: ArrayLike<number | string | boolean | null>,
    current: ArrayLike<number | string | boolean | null>,
  ): Promise<DriftReport> {
    const { sampleSize, bins, seed } = this.profile;
    const detector = new DriftDetector({
      reference: { prediction: reference },
      sampleSize,
      bins,
      seed,
      correction: this.#options.correction,
      driftShare: this.#options.driftShare,
      minEffectSize: this.#options.minEffectSize,
      missingRateIncrease: this.#options.missingRateIncrease,
    });
    detector.on('drift', (f) => this.emit('drift', f));
    detector.on('quality', (q) => this.emit('quality', q));
    return detector.detect({ prediction: current });
  }

  /**
   * Drift over time: runs {@link DriftDetector.detect} on successive windows of a timestamped current stream —
   * `size` rows or `durationMs` milliseconds long, starting every `step` — and returns one report per window, for
   * plotting the score and the drifted share over time. Windows without rows are skipped.
   *
   * @throws MlcycleError `INVALID_ARGUMENT` for bad options (exactly one of `size` and `durationMs`), a missing
   * timestamp column, or timestamps that are not numbers or Dates in non-decreasing order.
   */
  async detectWindows(data: DriftData, options: WindowOptions): Promise<WindowDrift[]> {
    const parsed = parseOptions(windowSchema, options, 'detectWindows options');
    if ((parsed.size === undefined) === (parsed.durationMs === undefined)) {
      throw new MlcycleError('INVALID_ARGUMENT', 'detectWindows needs exactly one of size and durationMs');
    }
    const times = timestampsOf(data, parsed.timestampColumn);
    const out: WindowDrift[] = [];
    for (const [start, end] of windowBounds(times, parsed)) {
      out.push({
        start,
        end,
        startTime: times[start] as number,
        endTime: times[end - 1] as number,
        report: await this.detect(sliceRows(data, start, end)),
      });
    }
    return out;
  }

  async #measure(jobs: ColumnJob[]): Promise<ColumnMeasure[]> {
    const { workers } = this.#options;
    if (workers === 1 || jobs.length < 2) return jobs.map(measureColumn);
    const size = Math.ceil(jobs.length / workers);
    const slices: ColumnJob[][] = [];
    for (let i = 0; i < jobs.length; i += size) slices.push(jobs.slice(i, i + size));
    return (await runInWorkers<ColumnJob[], ColumnMeasure[]>('drift.columns', slices, { workers })).flat();
  }

  #report(jobs: ColumnJob[], measures: ColumnMeasure[], rows: number): DriftReport {
    const { correction, driftShare, minEffectSize, missingRateIncrease } = this.#options;
    const names = Object.keys(this.profile.columns);
    const tested = measures.map((m) => m.test !== 'none' && m.pValue !== undefined);
    const adjusted = adjust(
      measures.filter((_, i) => tested[i]).map((m) => m.pValue as number),
      correction,
    );
    let next = 0;
    const features: Record<string, FeatureDrift> = {};
    const driftedColumns: string[] = [];
    const qualityFlagged: string[] = [];
    let scores = 0;
    let scored = 0;
    measures.forEach((m, i) => {
      const column = names[i] as string;
      const job = jobs[i] as ColumnJob;
      const choice = this.#options.tests[column];
      const threshold =
        m.test === 'none'
          ? Number.NaN
          : ((typeof choice === 'object' ? choice.threshold : undefined) ?? driftTest(m.test).threshold);
      const adjustedPValue = tested[i] ? (adjusted[next++] as number) : undefined;
      const passes =
        m.test !== 'none' &&
        (driftTest(m.test).pValue ? (adjustedPValue as number) < threshold : m.statistic >= threshold);
      const feature: FeatureDrift = {
        column,
        kind: job.reference.kind,
        test: m.test,
        statistic: m.statistic,
        ...(m.pValue === undefined ? {} : { pValue: m.pValue, adjustedPValue: adjustedPValue as number }),
        threshold,
        effect: m.effect,
        score: m.score,
        drifted: passes && m.effect >= minEffectSize,
        quality: quality(job.reference, job.current, missingRateIncrease),
      };
      features[column] = feature;
      if (feature.drifted) driftedColumns.push(column);
      if (feature.quality.flagged) qualityFlagged.push(column);
      if (Number.isFinite(m.score)) {
        scores += m.score;
        scored++;
      }
    });
    const testedColumns = measures.filter((m) => m.test !== 'none').length;
    const share = testedColumns === 0 ? 0 : driftedColumns.length / testedColumns;
    const report = new DriftReport({
      drifted: testedColumns > 0 && share >= driftShare,
      share,
      score: scored === 0 ? 0 : scores / scored,
      driftShare,
      correction,
      rows: { reference: this.profile.rows, current: rows },
      driftedColumns,
      qualityFlagged,
      features,
    });
    for (const column of driftedColumns) this.emit('drift', features[column] as FeatureDrift);
    for (const column of qualityFlagged) {
      this.emit('quality', { column, quality: (features[column] as FeatureDrift).quality });
    }
    return report;
  }
}
