import { formatNumber } from '../core/checks.js';
import { systemClock } from '../core/clock.js';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { assertQuality } from './quality-assert.js';
import { IssueCollector, percent } from './quality-issues.js';
import {
  DEFAULT_SEVERITY,
  type QualityCheck,
  type QualityOptions,
  type QualityReport,
  type QualityRules,
  qualityOptionsSchema,
  qualityRulesSchema,
} from './quality-rules.js';
import {
  checkGaps,
  checkMinRows,
  checkOrder,
  checkOutliers,
  checkStale,
  type Series,
} from './quality-series.js';
import { describeType, formatTime } from './rows.js';
import type { DataRow } from './types.js';

interface Column {
  values: Float64Array;
  missing: number;
  firstMissing: number;
  nonFinite: number;
  firstNonFinite: number;
}

/** One pass over a field: its values as a Float64Array (NaN where absent), with missing and non-finite counts. */
function readColumn(rows: readonly DataRow[], field: string): Column {
  const n = rows.length;
  const values = new Float64Array(n);
  const column: Column = { values, missing: 0, firstMissing: -1, nonFinite: 0, firstNonFinite: -1 };
  for (let i = 0; i < n; i++) {
    const v = (rows[i] as DataRow).values[field];
    if (typeof v === 'number' && Number.isFinite(v)) {
      values[i] = v;
      continue;
    }
    values[i] = Number.NaN;
    if (v === null || v === undefined) {
      if (column.missing++ === 0) column.firstMissing = i;
    } else if (column.nonFinite++ === 0) column.firstNonFinite = i;
  }
  return column;
}

function assertRowShapes(rows: unknown): asserts rows is readonly DataRow[] {
  if (!Array.isArray(rows)) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `checkQuality needs an array of rows ({ timestamp, symbol?, values }), received ${describeType(rows)}`,
    );
  }
  for (let i = 0; i < rows.length; i++) {
    const row: unknown = rows[i];
    const values = (row as { values?: unknown } | null)?.values;
    if (typeof row !== 'object' || row === null) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `checkQuality rows[${i}] must be an object { timestamp, symbol?, values }, received ${describeType(row)}`,
        { details: { index: i } },
      );
    }
    if (typeof values !== 'object' || values === null) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `checkQuality rows[${i}].values must be an object of field values, received ${describeType(values)}`,
        { details: { index: i } },
      );
    }
  }
}

/**
 * Checks time-series rows and returns a plain, JSON-serialisable {@link QualityReport}. Always checks missing
 * values, non-finite numbers (NaN, ±Infinity or non-numbers, which only rows built by hand can hold), duplicate
 * timestamps and timestamps out of order; the other checks (outlier moves, staleness, minimum history, gaps) run
 * when their rule is given. Order, duplicates, outliers, staleness, history and gaps are judged per symbol.
 *
 * Each field is read once into a `Float64Array`, and sorted input needs no hash lookups, so 5,000 daily bars are
 * checked in a few milliseconds. Pass `blocking: true`, or call {@link assertQuality} on the report, to turn
 * error-severity issues into an exception.
 *
 * @param rows - the rows to check, in the order they will be used.
 * @param rules - what to look for; see {@link QualityRules}.
 * @param options - see {@link QualityOptions}.
 *
 * @example
 * ```ts
 * import { checkQuality, loadSp500 } from 'mlcycle';
 *
 * const rows = await loadSp500();
 * const report = checkQuality(rows, {
 *   maxAbsChange: { close: 0.09 },              // warn about daily moves beyond ±9%
 *   minRows: 252,
 *   gaps: { expectedIntervalMs: 86_400_000, calendar: 'business-days', tolerance: 3 },
 * });
 * report.ok;                                    // true: no error-severity issue
 * report.summary.outlier;                       // how many ±9% days
 * ```
 */
export function checkQuality<F extends string>(
  rows: readonly DataRow<F>[],
  rules: QualityRules<F> = {},
  options: QualityOptions = {},
): QualityReport {
  const r = parseOptions(qualityRulesSchema, rules, 'checkQuality rules');
  const o = parseOptions(qualityOptionsSchema, options, 'checkQuality options');
  assertRowShapes(rows);
  const n = rows.length;
  const clock = o.clock ?? systemClock;
  const ran: QualityCheck[] = ['missing', 'nonFinite', 'duplicate', 'unsorted'];
  if (r.maxAbsChange !== undefined) ran.push('outlier');
  if (r.maxAgeMs !== undefined) ran.push('stale');
  if (r.minRows !== undefined) ran.push('minRows');
  if (r.gaps !== undefined) ran.push('gap');
  const issues = new IssueCollector({ ...DEFAULT_SEVERITY, ...r.severity }, o.maxIssuesPerCheck, ran);

  const fields = r.fields ?? fieldsOf(rows);
  const referenced = [
    ...fields,
    ...Object.keys(r.maxAbsChange ?? {}),
    ...(typeof r.maxMissingFraction === 'number' ? [] : Object.keys(r.maxMissingFraction)),
  ];
  if (n > 0) {
    const present = new Set(r.fields === undefined ? fields : fieldsOf(rows));
    const unknown = referenced.find((f) => !present.has(f));
    if (unknown !== undefined) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `checkQuality rules name the field ${JSON.stringify(unknown)}, which no row has; the rows' fields are ` +
          `${[...present].map((f) => JSON.stringify(f)).join(', ') || 'none'}`,
        { details: { field: unknown } },
      );
    }
  }

  const timestamps = new Float64Array(n);
  const groups = new Map<string | undefined, number[]>();
  let badTimes = 0;
  let firstBadTime = -1;
  for (let i = 0; i < n; i++) {
    const row = rows[i] as DataRow;
    const t = row.timestamp;
    if (typeof t === 'number' && Number.isFinite(t)) timestamps[i] = t;
    else {
      timestamps[i] = Number.NaN;
      if (badTimes++ === 0) firstBadTime = i;
    }
    const group = groups.get(row.symbol);
    if (group === undefined) groups.set(row.symbol, [i]);
    else group.push(i);
  }
  const at = (i: number): string => {
    const symbol = (rows[i] as DataRow).symbol;
    const when = Number.isNaN(timestamps[i]) ? 'no valid time' : formatTime(timestamps[i] as number);
    return `rows[${i}] (${when}${symbol === undefined ? '' : `, symbol ${JSON.stringify(symbol)}`})`;
  };

  const columns = new Map<string, Column>();
  const columnOf = (field: string): Column => {
    let column = columns.get(field);
    if (column === undefined) {
      column = readColumn(rows, field);
      columns.set(field, column);
    }
    return column;
  };
  for (const field of fields) {
    const { missing, firstMissing } = columnOf(field);
    const allowed =
      typeof r.maxMissingFraction === 'number' ? r.maxMissingFraction : (r.maxMissingFraction[field] ?? 0);
    if (missing > 0 && missing / n > allowed) {
      issues.add('missing', missing, {
        field,
        index: firstMissing,
        message:
          `${field} has ${missing} missing value${missing === 1 ? '' : 's'} (${percent(missing / n)} of ${n} ` +
          `rows), more than the ${percent(allowed)} allowed; the first is ${at(firstMissing)}`,
      });
    }
  }
  if (badTimes > 0) {
    issues.add('nonFinite', badTimes, {
      field: 'timestamp',
      index: firstBadTime,
      message: `${badTimes} timestamp${badTimes === 1 ? ' is' : 's are'} not finite epoch ms; the first is rows[${firstBadTime}]: ${formatNumber((rows[firstBadTime] as DataRow).timestamp)}`,
    });
  }
  for (const field of fields) {
    const { nonFinite, firstNonFinite: first } = columnOf(field);
    if (nonFinite > 0) {
      issues.add('nonFinite', nonFinite, {
        field,
        index: first,
        message:
          `${field} has ${nonFinite} value${nonFinite === 1 ? '' : 's'} that ${nonFinite === 1 ? 'is' : 'are'} not a ` +
          `finite number; the first is ${at(first)}: ${formatNumber((rows[first] as DataRow).values[field])}`,
      });
    }
  }

  const series: Series = { groups, timestamps, at, issues };
  const latest = checkOrder(series);
  if (r.maxAbsChange !== undefined) {
    for (const [field, limit] of Object.entries(r.maxAbsChange)) {
      checkOutliers(series, field, columnOf(field).values, limit);
    }
  }
  const now = clock.now();
  if (r.maxAgeMs !== undefined) checkStale(series, latest, now, r.maxAgeMs);
  if (r.minRows !== undefined) checkMinRows(series, r.minRows);
  if (r.gaps !== undefined) checkGaps(series, r.gaps);

  const report = issues.report(n, now);
  if (o.blocking) assertQuality(report);
  return report;
}

/** Every field name found in any row's values, in first-seen order. */
function fieldsOf(rows: readonly DataRow[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row.values)) seen.add(key);
  return [...seen];
}
