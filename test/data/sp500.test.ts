import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkQuality,
  type DataRow,
  loadSp500,
  ManualClock,
  MlcycleError,
  SP500_FIELDS,
  type Sp500Field,
  toColumns,
} from '../../src/index.js';

const DAY = 86_400_000;
// vega-datasets' entry point is build/index.js, one level below the package root.
const FILE = join(
  dirname(createRequire(import.meta.url).resolve('vega-datasets')),
  '..',
  'data',
  'sp500-2000.csv',
);

/** The file read the plain way: lines split on newlines, fields on commas. */
let lines: string[][];
let rows: DataRow<Sp500Field>[];

beforeAll(async () => {
  const text = await readFile(FILE, 'utf8');
  lines = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.trim().split(','));
  rows = await loadSp500();
});

const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

describe('loadSp500 on the real vega-datasets file', () => {
  it('reads every line of the file, with the header it expects', () => {
    expect(lines[0]).toEqual(['date', ...SP500_FIELDS]);
    expect(rows).toHaveLength(lines.length - 1);
    expect(rows).toHaveLength(5105);
  });

  it('has the first and last days and prices of the file', () => {
    const first = lines[1] as string[];
    const last = lines.at(-1) as string[];
    expect(first.slice(0, 5)).toEqual([
      '2000-01-03',
      '1469.250000',
      '1478.000000',
      '1438.359985',
      '1455.219971',
    ]);
    expect(last.slice(0, 5)).toEqual([
      '2020-04-17',
      '2842.429932',
      '2879.219971',
      '2830.879883',
      '2874.560059',
    ]);
    expect(rows[0]).toEqual({
      timestamp: Date.UTC(2000, 0, 3),
      values: {
        open: 1469.25,
        high: 1478,
        low: 1438.359985,
        close: 1455.219971,
        adjclose: 1455.219971,
        volume: 931800000,
      },
    });
    expect(rows.at(-1)?.timestamp).toBe(Date.UTC(2020, 3, 17));
    expect(rows.at(-1)?.values.close).toBe(2874.560059);
  });

  it('agrees with the plain reading on every value of every row', () => {
    const mismatches = rows.filter((row, i) => {
      const line = lines[i + 1] as string[];
      return (
        dateOf(row.timestamp) !== line[0] ||
        SP500_FIELDS.some((field, k) => row.values[field] !== Number(line[k + 1]))
      );
    });
    expect(mismatches).toEqual([]);
  });

  it('is clean: no errors, no missing values, sorted, at least a year of history, recent as of 2020-04-20', () => {
    const clock = new ManualClock(Date.UTC(2020, 3, 20));
    const report = checkQuality(
      rows,
      { minRows: 252, maxAgeMs: 5 * DAY, maxAbsChange: { close: 0.5 } },
      { clock },
    );
    expect(report.ok).toBe(true);
    expect(report.issues).toEqual([]);
    expect(report.rows).toBe(5105);
    const later = checkQuality(
      rows,
      { maxAgeMs: 5 * DAY },
      { clock: new ManualClock(Date.UTC(2020, 4, 20)) },
    );
    expect(later.ok).toBe(false);
    expect(later.issues[0]?.message).toBe(
      'the latest row is from 2020-04-17, 33 days before 2020-05-20; at most 5 days is allowed',
    );
  });

  it('flags the October 2008 and March 2020 crash days at a ±9% limit, matching a plain computation', () => {
    const closes = lines.slice(1).map((line) => Number(line[4]));
    const expected = closes.flatMap((c, i) =>
      i > 0 && Math.abs(c / (closes[i - 1] as number) - 1) > 0.09 ? [lines[i + 1]?.[0]] : [],
    );
    const report = checkQuality(rows, { maxAbsChange: { close: 0.09 } });
    const flagged = report.issues
      .filter((i) => i.check === 'outlier')
      .map((i) => dateOf(rows[i.index as number]?.timestamp as number));
    expect(flagged).toEqual(expected);
    expect(flagged).toEqual([
      '2008-10-13',
      '2008-10-15',
      '2008-10-28',
      '2020-03-12',
      '2020-03-13',
      '2020-03-16',
      '2020-03-24',
    ]);
    expect(report.ok).toBe(true); // outliers are warnings by default
    expect(
      report.issues.find((i) => dateOf(rows[i.index as number]?.timestamp as number) === '2020-03-16')
        ?.message,
    ).toBe(
      'close moved -12% in one bar at rows[5081] (2020-03-16), from 2711.02002 to 2386.129883, beyond the ±9% limit',
    );
  });

  it('finds the market closures as business-day gaps: 9/11 alone beyond 4 days, Sandy among the 2-day ones', () => {
    const gapDays = (tolerance: number) =>
      checkQuality(
        rows,
        { gaps: { expectedIntervalMs: DAY, calendar: 'business-days', tolerance } },
        { maxIssuesPerCheck: 10_000 },
      ).issues.map((i) => dateOf(rows[i.index as number]?.timestamp as number));
    expect(gapDays(3)).toEqual(['2001-09-17']);
    const holidays = gapDays(0.5);
    expect(holidays).toContain('2012-10-31'); // closed Monday 29 and Tuesday 30 October 2012
    expect(holidays).toContain('2001-09-17');
    // Nine or ten exchange holidays a year fall on weekdays, over twenty years.
    expect(holidays.length).toBeGreaterThan(150);
    expect(holidays.length).toBeLessThan(220);
  });

  it('turns into columns that match the rows', () => {
    const { timestamp, columns, symbol } = toColumns(rows, ['close', 'volume']);
    expect(symbol).toBeUndefined();
    expect(timestamp).toHaveLength(5105);
    expect(columns.close[0]).toBe(1455.219971);
    expect(columns.volume[5104]).toBe(5792140000);
    expect(Object.keys(columns)).toEqual(['close', 'volume']);
  });

  it('reads another copy from a path, and says where to get the file when the path is wrong', async () => {
    const copy = await loadSp500({ path: FILE });
    expect(copy).toHaveLength(5105);
    await expect(loadSp500({ path: '/nonexistent/sp500.csv' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(loadSp500({ file: FILE } as never)).rejects.toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid loadSp500 options: Unrecognized key: "file"]`,
    );
    expect(MlcycleError.is(await loadSp500({ path: '' }).catch((e: unknown) => e), 'INVALID_ARGUMENT')).toBe(
      true,
    );
  });
});
