import type { ColumnKind } from './columns.js';
import type { DriftTestName } from './tests.js';

/** Data-quality findings on one column, beside its distribution test. */
export interface ColumnQuality {
  /** Share of reference values missing. */
  referenceMissingRate: number;
  /** Share of current values missing. */
  currentMissingRate: number;
  /** Whether the missing rate rose by more than the detector's `missingRateIncrease`. */
  missingRateIncreased: boolean;
  /** Labels in the current values that the reference never had (categorical columns). */
  newCategories: string[];
  /** Reference labels absent from the current values (categorical columns). */
  vanishedCategories: string[];
  /** Whether the current values present are all one value while the reference's are not. */
  becameConstant: boolean;
  /** Share of current values present outside the reference's [min, max] (numeric columns; 0 otherwise). */
  outOfRangeShare: number;
  /** Whether any finding above calls for attention: a missing-rate rise, a new or vanished label, a constant. */
  flagged: boolean;
}

/** One column's drift test and findings. */
export interface FeatureDrift {
  /** The column name. */
  column: string;
  /** How the column was read. */
  kind: ColumnKind;
  /** The test run, or `'none'` when the current values had none present to test. */
  test: DriftTestName | 'none';
  /** The test statistic (a distance, or the statistic of a p-value test). */
  statistic: number;
  /** The p-value of a p-value test, before correction; undefined for distances. */
  pValue?: number;
  /** The p-value after the multiple-testing correction, compared with the threshold. */
  adjustedPValue?: number;
  /** The threshold: p-value tests drift below it, distances at or above it. */
  threshold: number;
  /**
   * Size of the shift, on one scale whatever the test: the Wasserstein distance in reference standard deviations
   * for numbers, the Jensen–Shannon distance in bits for labels.
   */
  effect: number;
  /** Jensen–Shannon distance in bits between the binned reference and current values: 0 same, 1 disjoint. */
  score: number;
  /** Whether the test passed its threshold and the effect reached the minimum effect size. */
  drifted: boolean;
  /** Data-quality findings. */
  quality: ColumnQuality;
}

/** Rows on each side of a detection. */
export interface RowCounts {
  /** Rows in the reference profile. */
  reference: number;
  /** Rows in the current data. */
  current: number;
}

/** The plain-JSON form of a {@link DriftReport}. */
export interface DriftReportJSON {
  /** Whether the share of drifted columns reached `driftShare`. */
  drifted: boolean;
  /** Drifted columns over tested columns. */
  share: number;
  /** Mean column score in [0, 1]: how far the current data sit from the reference, for retraining triggers. */
  score: number;
  /** The share of drifted columns that makes the dataset drifted. */
  driftShare: number;
  /** The multiple-testing correction applied to the p-values. */
  correction: 'none' | 'bonferroni' | 'holm' | 'fdr';
  /** Rows in the reference profile and in the current data. */
  rows: RowCounts;
  /** Names of the drifted columns, in column order. */
  driftedColumns: string[];
  /** Names of the columns whose data quality is flagged. */
  qualityFlagged: string[];
  /** Each column's test and findings, by name, in column order. */
  features: Record<string, FeatureDrift>;
}

function format(value: number | undefined, digits = 4): string {
  if (value === undefined) return '';
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value !== 0 && Math.abs(value) < 10 ** -digits) return value.toExponential(2);
  return value.toFixed(digits);
}

/** The outcome of a drift detection: plain data with a text table for logs. */
export class DriftReport implements DriftReportJSON {
  readonly drifted: boolean;
  readonly share: number;
  readonly score: number;
  readonly driftShare: number;
  readonly correction: DriftReportJSON['correction'];
  readonly rows: RowCounts;
  readonly driftedColumns: string[];
  readonly qualityFlagged: string[];
  readonly features: Record<string, FeatureDrift>;

  /** @param json - the report's data. */
  constructor(json: DriftReportJSON) {
    this.drifted = json.drifted;
    this.share = json.share;
    this.score = json.score;
    this.driftShare = json.driftShare;
    this.correction = json.correction;
    this.rows = json.rows;
    this.driftedColumns = json.driftedColumns;
    this.qualityFlagged = json.qualityFlagged;
    this.features = json.features;
  }

  /** The report as plain JSON (what `JSON.stringify` writes). */
  toJSON(): DriftReportJSON {
    return {
      drifted: this.drifted,
      share: this.share,
      score: this.score,
      driftShare: this.driftShare,
      correction: this.correction,
      rows: this.rows,
      driftedColumns: this.driftedColumns,
      qualityFlagged: this.qualityFlagged,
      features: this.features,
    };
  }

  /**
   * An aligned text table, one line per column (test, statistic, p-value, threshold, effect, score, drift,
   * quality notes) under a summary line.
   */
  toText(): string {
    const header = [
      'column',
      'kind',
      'test',
      'statistic',
      'p-value',
      'threshold',
      'effect',
      'score',
      'drift',
      'quality',
    ];
    const lines = Object.values(this.features).map((f) => [
      f.column,
      f.kind,
      f.test,
      format(f.statistic),
      format(f.adjustedPValue ?? f.pValue),
      format(f.threshold, 3),
      format(f.effect),
      format(f.score),
      f.drifted ? 'DRIFT' : '-',
      qualityNotes(f.quality),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
    const numeric = new Set([3, 4, 5, 6, 7]);
    const row = (cells: string[]) =>
      cells
        .map((c, i) => (numeric.has(i) ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number)))
        .join('  ')
        .trimEnd();
    const summary =
      `Drift: ${this.drifted ? 'YES' : 'no'} — ${this.driftedColumns.length} of ${lines.length} columns drifted ` +
      `(share ${format(this.share, 3)}, threshold ${format(this.driftShare, 3)}), score ${format(this.score, 3)}; ` +
      `${this.rows.reference} reference rows, ${this.rows.current} current rows` +
      (this.correction === 'none' ? '' : `; p-values ${this.correction}-corrected`);
    return [summary, row(header), row(widths.map((w) => '-'.repeat(w))), ...lines.map(row)].join('\n');
  }
}

function qualityNotes(q: ColumnQuality): string {
  const notes: string[] = [];
  if (q.missingRateIncreased) {
    notes.push(
      `missing ${format(q.referenceMissingRate * 100, 1)}% → ${format(q.currentMissingRate * 100, 1)}%`,
    );
  }
  if (q.newCategories.length > 0) notes.push(`new: ${q.newCategories.slice(0, 3).join(', ')}`);
  if (q.vanishedCategories.length > 0) notes.push(`vanished: ${q.vanishedCategories.slice(0, 3).join(', ')}`);
  if (q.becameConstant) notes.push('constant');
  if (q.outOfRangeShare > 0) notes.push(`${format(q.outOfRangeShare * 100, 1)}% out of range`);
  return notes.join('; ');
}
