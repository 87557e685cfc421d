import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertQuality,
  checkQuality,
  type DataRow,
  ManualClock,
  type QualityReport,
} from '../../src/index.js';
import { thrown } from '../helpers.js';

const DAY = 86_400_000;
const day = (d: number): number => Date.UTC(2024, 0, d); // 2024-01-01 is a Monday
const clock = new ManualClock(day(20));

function series(closes: (number | null)[], start = 1, symbol?: string): DataRow<'close'>[] {
  return closes.map((close, i) => ({
    timestamp: day(start + i),
    ...(symbol === undefined ? {} : { symbol }),
    values: { close },
  }));
}

describe('checkQuality', () => {
  it('passes clean data with a plain JSON report', () => {
    const report = checkQuality(series([1, 2, 3]), {}, { clock });
    expect(report).toEqual({
      ok: true,
      rows: 3,
      checkedAt: day(20),
      issues: [],
      summary: { missing: 0, nonFinite: 0, duplicate: 0, unsorted: 0 },
    });
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('reports missing values per field, as errors unless within maxMissingFraction', () => {
    const rows = [
      { timestamp: day(1), values: { close: 1, volume: null } },
      { timestamp: day(2), values: { close: null, volume: null } },
      { timestamp: day(3), values: { close: 3, volume: 5 } },
      { timestamp: day(4), values: { close: 4 } as { close: number; volume: number } },
    ];
    const report = checkQuality(rows, {}, { clock });
    expect(report.ok).toBe(false);
    expect(report.issues).toMatchInlineSnapshot(`
      [
        {
          "check": "missing",
          "field": "close",
          "index": 1,
          "message": "close has 1 missing value (25% of 4 rows), more than the 0% allowed; the first is rows[1] (2024-01-02)",
          "severity": "error",
        },
        {
          "check": "missing",
          "count": 3,
          "field": "volume",
          "index": 0,
          "message": "volume has 3 missing values (75% of 4 rows), more than the 0% allowed; the first is rows[0] (2024-01-01)",
          "severity": "error",
        },
      ]
    `);
    expect(report.summary.missing).toBe(4);
    expect(checkQuality(rows, { maxMissingFraction: 0.75 }).ok).toBe(true);
    const perField = checkQuality(rows, { maxMissingFraction: { volume: 0.75 } });
    expect(perField.issues.map((i) => i.field)).toEqual(['close']);
    expect(checkQuality(rows, { fields: ['close'], maxMissingFraction: 0.25 }).ok).toBe(true);
  });

  it('reports non-finite numbers and timestamps in rows built by hand', () => {
    const rows = [
      { timestamp: day(1), values: { close: Number.NaN } },
      { timestamp: Number.POSITIVE_INFINITY, values: { close: 1 } },
      { timestamp: day(3), values: { close: '3' as unknown as number } },
      { timestamp: day(4), values: { close: Number.NEGATIVE_INFINITY } },
    ];
    const report = checkQuality(rows);
    expect(report.issues.map((i) => [i.check, i.field, i.index, i.count])).toEqual([
      ['nonFinite', 'timestamp', 1, undefined],
      ['nonFinite', 'close', 0, 3],
    ]);
    expect(report.issues[1]?.message).toMatchInlineSnapshot(
      `"close has 3 values that are not a finite number; the first is rows[0] (2024-01-01): NaN"`,
    );
  });

  it('finds duplicate and out-of-order timestamps per symbol', () => {
    const rows = [
      ...series([1, 2], 1, 'A'),
      ...series([1, 2], 1, 'B'), // same days as A: fine, a different series
      { timestamp: day(2), symbol: 'A', values: { close: 9 } },
      { timestamp: day(1), symbol: 'B', values: { close: 9 } },
    ];
    const report = checkQuality(rows);
    expect(report.summary).toMatchObject({ duplicate: 2, unsorted: 1 });
    expect(report.issues.map((i) => i.message)).toMatchInlineSnapshot(`
      [
        "rows[4] (2024-01-02, symbol "A") repeats the timestamp of rows[1]",
        "rows[5] (2024-01-01, symbol "B") repeats the timestamp of rows[2]",
        "rows[5] (2024-01-01, symbol "B") is earlier than the row before it in its series, rows[3] (2024-01-02, symbol "B")",
      ]
    `);
  });

  it('warns about outlier moves, from the last observed value, and lets the severity be raised', () => {
    const rows = series([100, 160, null, 70, 0, 50, 49]);
    const report = checkQuality(rows, { maxAbsChange: { close: 0.5 }, maxMissingFraction: 0.2 });
    expect(report.ok).toBe(true);
    expect(report.issues.map((i) => [i.check, i.severity, i.index])).toEqual([
      ['outlier', 'warning', 1],
      ['outlier', 'warning', 3],
      // 70 -> 0 is -100%; the move from 0 to 50 has no relative size and is skipped
      ['outlier', 'warning', 4],
    ]);
    expect(report.issues[0]?.message).toMatchInlineSnapshot(
      `"close moved +60% in one bar at rows[1] (2024-01-02), from 100 to 160, beyond the ±50% limit"`,
    );
    const strict = checkQuality(rows, {
      maxAbsChange: { close: 0.5 },
      maxMissingFraction: 0.2,
      severity: { outlier: 'error' },
    });
    expect(strict.ok).toBe(false);
  });

  it('flags a symbol whose latest row is older than maxAgeMs', () => {
    const rows = [
      { timestamp: day(2), symbol: 'A', values: { x: 1 } },
      { timestamp: day(2), symbol: 'B', values: { x: 1 } },
      { timestamp: day(19), symbol: 'A', values: { x: 1 } },
    ];
    const report = checkQuality(rows, { maxAgeMs: 2 * DAY }, { clock });
    expect(report.issues).toMatchInlineSnapshot(`
      [
        {
          "check": "stale",
          "message": "the latest row of symbol "B" is from 2024-01-02, 18 days before 2024-01-20; at most 2 days is allowed",
          "severity": "error",
          "symbol": "B",
        },
      ]
    `);
    expect(checkQuality([], { maxAgeMs: DAY }).issues[0]?.message).toBe(
      'there are no rows with a valid timestamp, so none is recent',
    );
  });

  it('requires minRows per symbol, and reports it as INSUFFICIENT_DATA when blocking', () => {
    const rows = [...series([1, 2, 3], 1, 'A'), ...series([1], 5, 'B')];
    const report = checkQuality(rows, { minRows: 2 });
    expect(report.issues.map((i) => i.message)).toEqual(['symbol "B" has 1 row, fewer than the 2 required']);
    const error = thrown(() => checkQuality(rows, { minRows: 2 }, { blocking: true }));
    expect(error.code).toBe('INSUFFICIENT_DATA');
    expect(error.message).toMatchInlineSnapshot(
      `"Data quality check failed with 1 error (minRows: 1): symbol "B" has 1 row, fewer than the 2 required"`,
    );
    expect((error.details as { report: QualityReport }).report.summary.minRows).toBe(1);
    expect(checkQuality([], { minRows: 1 }).issues[0]?.message).toBe(
      'there are no rows; at least 1 are required',
    );
  });

  it('finds gaps, counting only business days when asked', () => {
    // Fri 5th, Mon 8th, Tue 9th, Thu 11th, Mon 15th
    const rows = [5, 8, 9, 11, 15].map((d) => ({ timestamp: day(d), values: { x: d } }));
    const continuous = checkQuality(rows, { gaps: { expectedIntervalMs: DAY } });
    expect(continuous.issues.map((i) => i.index)).toEqual([1, 3, 4]);
    const business = checkQuality(rows, { gaps: { expectedIntervalMs: DAY, calendar: 'business-days' } });
    expect(business.issues.map((i) => [i.index, i.severity])).toEqual([
      [3, 'warning'],
      [4, 'warning'],
    ]);
    expect(business.issues[0]?.message).toMatchInlineSnapshot(
      `"2 days of business time pass between rows[2] (2024-01-09) and rows[3] (2024-01-11), more than the expected 1 day + 50%"`,
    );
    const tolerant = checkQuality(rows, {
      gaps: { expectedIntervalMs: DAY, calendar: 'business-days', tolerance: 1 },
    });
    expect(tolerant.summary.gap).toBe(0);
  });

  it('lists a limited number of issues per check and folds the rest into one', () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ timestamp: 5, values: { x: i } }));
    const report = checkQuality(rows, {}, { maxIssuesPerCheck: 3 });
    expect(report.summary.duplicate).toBe(29);
    expect(report.issues).toHaveLength(4);
    expect(report.issues[3]).toEqual({
      check: 'duplicate',
      severity: 'error',
      message: 'and 26 more duplicate occurrences not listed',
      count: 26,
    });
  });

  it('throws when blocking, quoting the first errors and keeping the report', () => {
    const rows = [
      { timestamp: day(1), values: { close: null } },
      { timestamp: day(1), values: { close: 2 } },
      { timestamp: day(3), values: { close: 10 } },
    ];
    const error = thrown(() =>
      checkQuality(rows, { minRows: 5, maxAbsChange: { close: 1 } }, { blocking: true, clock }),
    );
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatchInlineSnapshot(
      `"Data quality check failed with 3 errors (missing: 1, duplicate: 1, minRows: 1): close has 1 missing value (33.3% of 3 rows), more than the 0% allowed; the first is rows[0] (2024-01-01); rows[1] (2024-01-01) repeats the timestamp of rows[0]; the data has 3 rows, fewer than the 5 required"`,
    );
    const report = error.details?.report as QualityReport;
    expect(report.ok).toBe(false);
    expect(report.summary).toEqual({
      missing: 1,
      nonFinite: 0,
      duplicate: 1,
      unsorted: 0,
      outlier: 1,
      minRows: 1,
    });
    expect(() => assertQuality(checkQuality(series([1, 2])))).not.toThrow();
  });

  it('validates rules, options and rows', () => {
    expect(() => checkQuality(series([1]), { maxMissingFraction: 2 })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid checkQuality rules: maxMissingFraction: Too big: expected number to be <=1 (received 2)]`,
    );
    expect(() =>
      checkQuality(series([1]), { maxAbsChange: { open: 0.1 } } as never),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: checkQuality rules name the field "open", which no row has; the rows' fields are "close"]`,
    );
    expect(() => checkQuality(series([1]), { minRow: 3 } as never)).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid checkQuality rules: Unrecognized key: "minRow"]`,
    );
    expect(() =>
      checkQuality(series([1]), { gaps: { expectedIntervalMs: DAY, calendar: 'trading' } } as never),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid checkQuality rules: gaps.calendar: Invalid option: expected one of "continuous"|"business-days" (received "trading")]`,
    );
    expect(() => checkQuality(series([1]), {}, { maxIssuesPerCheck: 0 })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid checkQuality options: maxIssuesPerCheck: Too small: expected number to be >=1 (received 0)]`,
    );
    expect(() => checkQuality('rows' as never)).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: checkQuality needs an array of rows ({ timestamp, symbol?, values }), received string]`,
    );
    expect(() => checkQuality([{ timestamp: 1 }] as never)).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: checkQuality rows[0].values must be an object of field values, received undefined]`,
    );
    expect(() => assertQuality({} as never)).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: assertQuality needs the report returned by checkQuality ({ ok, issues, summary, … })]`,
    );
  });
});

describe('checkQuality duplicate and order detection (property)', () => {
  /** The definition, written the slow and obvious way. */
  function reference(timestamps: number[], symbols: string[]) {
    const duplicates: number[] = [];
    const unsorted: number[] = [];
    for (let i = 0; i < timestamps.length; i++) {
      const earlier = [];
      for (let j = 0; j < i; j++) if (symbols[j] === symbols[i]) earlier.push(j);
      if (earlier.some((j) => timestamps[j] === timestamps[i])) duplicates.push(i);
      const previous = earlier.at(-1);
      if (previous !== undefined && (timestamps[i] as number) < (timestamps[previous] as number))
        unsorted.push(i);
    }
    return { duplicates, unsorted };
  }

  it('agrees with a brute-force reference on random timestamps and symbols', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.constantFrom('A', 'B', 'C')), {
          maxLength: 60,
        }),
        fc.boolean(),
        (pairs, presort) => {
          const input = presort ? [...pairs].sort((a, b) => a[0] - b[0]) : pairs;
          const timestamps = input.map(([t]) => t * 1000);
          const symbols = input.map(([, s]) => s);
          const rows = input.map(([t, s]) => ({ timestamp: t * 1000, symbol: s, values: {} }));
          const report = checkQuality(rows, {}, { maxIssuesPerCheck: 1000 });
          const expected = reference(timestamps, symbols);
          const found = (check: string) =>
            report.issues
              .filter((i) => i.check === check)
              .map((i) => i.index as number)
              .sort((a, b) => a - b);
          expect(found('duplicate')).toEqual(expected.duplicates);
          expect(found('unsorted')).toEqual(expected.unsorted);
          expect(report.summary.duplicate).toBe(expected.duplicates.length);
          expect(report.ok).toBe(expected.duplicates.length + expected.unsorted.length === 0);
        },
      ),
      { numRuns: 500, seed: 20240101 },
    );
  });
});
