import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsvSource, parseIsoTimestamp } from '../../src/index.js';
import { rejection } from '../helpers.js';

let dir: string;
let counter = 0;

async function csv(text: string, name = `f${counter++}.csv`): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

/** The error's code and message, with the temporary directory replaced so snapshots are stable. */
async function failure(pending: Promise<unknown>): Promise<string> {
  const error = await rejection(pending);
  return `${error.code}: ${error.message.replaceAll(dir, '<dir>')}`;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlcycle-csv-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const day = (m: number, d: number): number => Date.UTC(2020, m - 1, d);

describe('CsvSource', () => {
  it('reads every other column as a field, ISO dates as UTC midnight, missing tokens as null', async () => {
    const path = await csv(
      'date,open,close,volume\n2020-01-02,1,2,100\n2020-01-03,NA,,200\n2020-01-06,NaN,null,300\n',
    );
    const source = new CsvSource({ path });
    expect(source.name).toBe(`csv:${path.split('/').pop()}`);
    expect(await source.fetch()).toEqual([
      { timestamp: day(1, 2), values: { open: 1, close: 2, volume: 100 } },
      { timestamp: day(1, 3), values: { open: null, close: null, volume: 200 } },
      { timestamp: day(1, 6), values: { open: null, close: null, volume: 300 } },
    ]);
  });

  it('handles quotes, a byte-order mark, surrounding spaces, CRLF, blank lines and another delimiter', async () => {
    const path = await csv(
      '\uFEFFwhen;"price";note\r\n"2020-01-02"; 1.5e2 ;"a;b"\r\n\r\n2020-01-03;-.5;"x"\r\n',
    );
    const rows = await new CsvSource({
      path,
      timestampColumn: 'when',
      fields: ['price'],
      delimiter: ';',
    }).fetch();
    expect(rows).toEqual([
      { timestamp: day(1, 2), values: { price: 150 } },
      { timestamp: day(1, 3), values: { price: -0.5 } },
    ]);
  });

  it('reads epoch milliseconds and date-times with offsets, and takes a custom parser', async () => {
    const path = await csv('t,x\n1577923200000,1\n2020-01-02T02:00:00+01:00,2\n2020-01-02 00:30Z,3\n');
    const sorted = await new CsvSource({ path, timestampColumn: 't', sort: true }).fetch();
    expect(sorted.map((r) => [r.timestamp - day(1, 2), r.values.x])).toEqual([
      [0, 1],
      [1_800_000, 3],
      [3_600_000, 2],
    ]);
    const seconds = await csv('unix,x\n1577923200,1\n1578009600,2\n');
    const parseTimestamp = (token: string): Date => new Date(Number(token) * 1000);
    const rows = await new CsvSource({ path: seconds, timestampColumn: 'unix', parseTimestamp }).fetch();
    expect(rows.map((r) => r.timestamp)).toEqual([day(1, 2), day(1, 3)]);
  });

  it('serves symbols, a subset of fields and the query range', async () => {
    const path = await csv(
      'date,symbol,close,volume\n' +
        '2020-01-02,AAPL,75.1,135\n2020-01-02,MSFT,160.6,22\n' +
        '2020-01-03,AAPL,74.4,146\n2020-01-03,MSFT,158.6,21\n' +
        '2020-01-06,AAPL,74.9,118\n2020-01-06,MSFT,159.0,20\n',
    );
    const source = new CsvSource<'close'>({ path, symbolColumn: 'symbol', fields: ['close'], name: 'px' });
    const rows = await source.fetch({ from: '2020-01-03', to: '2020-01-06', symbols: ['MSFT'] });
    expect(rows).toEqual([{ timestamp: day(1, 3), symbol: 'MSFT', values: { close: 158.6 } }]);
    expect(await source.fetch()).toHaveLength(6);
  });

  it('sorts a file grouped by symbol when asked', async () => {
    const path = await csv(
      'date,symbol,x\n2020-01-02,B,1\n2020-01-03,B,2\n2020-01-02,A,3\n2020-01-03,A,4\n',
      'grouped.csv',
    );
    const rows = await new CsvSource({ path, symbolColumn: 'symbol', sort: true }).fetch();
    expect(rows.map((r) => `${r.symbol}${r.values.x}`)).toEqual(['A3', 'B1', 'A4', 'B2']);
    expect(await failure(new CsvSource({ path, symbolColumn: 'symbol' }).fetch())).toMatchInlineSnapshot(
      `"INVALID_ARGUMENT: Rows must be sorted by timestamp then symbol, but <dir>/grouped.csv line 4 (2020-01-02, symbol "A") comes after <dir>/grouped.csv line 3 (2020-01-03, symbol "B"); sort the file or pass sort: true"`,
    );
  });

  it('reads the file again on every fetch', async () => {
    const path = await csv('date,x\n2020-01-02,1\n');
    const source = new CsvSource({ path: pathToFileURL(path) });
    expect(await source.fetch()).toHaveLength(1);
    await appendFile(path, '2020-01-03,2\n');
    expect(await source.fetch()).toHaveLength(2);
  });

  it('names file, line and column for a token that is not a number', async () => {
    const path = await csv('date,open,close\n2020-01-02,1,2\n2020-01-03,1,n/a\n', 'prices.csv');
    expect(await failure(new CsvSource({ path }).fetch())).toMatchInlineSnapshot(
      `"INVALID_ARGUMENT: <dir>/prices.csv line 3, column "close": "n/a" is not a finite number; expected a number or one of the missing-value tokens "", "NA", "NaN", "null""`,
    );
    const custom = new CsvSource({ path, missing: ['n/a'] });
    expect((await custom.fetch())[1]?.values).toEqual({ open: 1, close: null });
    const empty = await csv('date,x\n2020-01-02,\n', 'blank.csv');
    expect(await failure(new CsvSource({ path: empty, missing: ['NA'] }).fetch())).toMatchInlineSnapshot(
      `"INVALID_ARGUMENT: <dir>/blank.csv line 2, column "x": "" is not a finite number; expected a number or one of the missing-value tokens "NA""`,
    );
    const huge = await csv('date,x\n2020-01-02,1e999\n', 'huge.csv');
    expect(await failure(new CsvSource({ path: huge }).fetch())).toMatchInlineSnapshot(
      `"INVALID_ARGUMENT: <dir>/huge.csv line 2, column "x": "1e999" is not a finite number; expected a number or one of the missing-value tokens "", "NA", "NaN", "null""`,
    );
  });

  it('names the lines of rows out of order or repeated', async () => {
    const unsorted = await csv('date,x\n2020-01-03,1\n2020-01-02,2\n', 'unsorted.csv');
    expect(await failure(new CsvSource({ path: unsorted }).fetch())).toMatchInlineSnapshot(
      `"INVALID_ARGUMENT: Rows must be sorted by timestamp then symbol, but <dir>/unsorted.csv line 3 (2020-01-02) comes after <dir>/unsorted.csv line 2 (2020-01-03); sort the file or pass sort: true"`,
    );
    const repeated = await csv('date,x\n2020-01-02,1\n2020-01-03,2\n2020-01-03,3\n', 'repeated.csv');
    expect(await failure(new CsvSource({ path: repeated }).fetch())).toMatchInlineSnapshot(
      `"INVALID_ARGUMENT: <dir>/repeated.csv line 4 duplicates <dir>/repeated.csv line 3: both are 2020-01-03; each (timestamp, symbol) pair may appear only once"`,
    );
    expect(await failure(new CsvSource({ path: repeated, sort: true }).fetch())).toMatchInlineSnapshot(
      `"INVALID_ARGUMENT: <dir>/repeated.csv line 4 duplicates <dir>/repeated.csv line 3: both are 2020-01-03; each (timestamp, symbol) pair may appear only once"`,
    );
  });

  it('rejects timestamps it cannot read, including impossible dates', async () => {
    const words = await csv('date,x\n2020-01-02,1\nyesterday,2\n', 'words.csv');
    expect(await failure(new CsvSource({ path: words }).fetch())).toMatchInlineSnapshot(
      `"INVALID_ARGUMENT: <dir>/words.csv line 3, column "date": "yesterday" is not a valid timestamp; expected an ISO 8601 date such as 2020-01-02, a date-time, or epoch milliseconds"`,
    );
    const feb30 = await csv('date,x\n2020-02-30,1\n', 'feb30.csv');
    expect(await failure(new CsvSource({ path: feb30 }).fetch())).toMatchInlineSnapshot(
      `"INVALID_ARGUMENT: <dir>/feb30.csv line 2, column "date": "2020-02-30" is not a valid timestamp; expected an ISO 8601 date such as 2020-01-02, a date-time, or epoch milliseconds"`,
    );
    const parseTimestamp = (token: string): number => {
      if (token === 'bad') throw new Error('unknown token');
      return Number.NaN;
    };
    expect(await failure(new CsvSource({ path: words, parseTimestamp }).fetch())).toMatchInlineSnapshot(
      `"INVALID_ARGUMENT: <dir>/words.csv line 2, column "date": "2020-01-02" is not a valid timestamp (parseTimestamp returned NaN); expected a finite epoch ms or a valid Date"`,
    );
    const bad = await csv('date,x\nbad,1\n', 'bad.csv');
    expect(await failure(new CsvSource({ path: bad, parseTimestamp }).fetch())).toMatchInlineSnapshot(
      `"INVALID_ARGUMENT: <dir>/bad.csv line 2, column "date": parseTimestamp failed on "bad": unknown token"`,
    );
  });

  it('reports a missing file as NOT_FOUND with its path', async () => {
    expect(await failure(new CsvSource({ path: join(dir, 'nope.csv') }).fetch())).toMatchInlineSnapshot(
      `"NOT_FOUND: CSV file not found: <dir>/nope.csv; check the path"`,
    );
    expect(await failure(new CsvSource({ path: dir }).fetch())).toMatch(
      /^STORAGE: Could not read CSV file <dir>: /,
    );
  });

  it('explains header and structure problems', async () => {
    expect(await failure(new CsvSource({ path: await csv('', 'empty.csv') }).fetch())).toMatchInlineSnapshot(
      `"INVALID_ARGUMENT: <dir>/empty.csv is empty; expected a header row naming the columns, including "date""`,
    );
    const noDate = await csv('day,x\n2020-01-02,1\n', 'nodate.csv');
    expect(await failure(new CsvSource({ path: noDate }).fetch())).toMatchInlineSnapshot(
      `"INVALID_ARGUMENT: <dir>/nodate.csv has no timestamp column "date"; its columns are "day", "x""`,
    );
    const twice = await csv('date,x,x\n2020-01-02,1,2\n', 'twice.csv');
    expect(await failure(new CsvSource({ path: twice }).fetch())).toMatchInlineSnapshot(
      `"INVALID_ARGUMENT: <dir>/twice.csv has the column "x" twice in its header; column names must be unique"`,
    );
    const path = await csv('date,x\n2020-01-02,1\n', 'ok.csv');
    expect(await failure(new CsvSource({ path, fields: ['y'] }).fetch())).toMatchInlineSnapshot(
      `"INVALID_ARGUMENT: <dir>/ok.csv has no field column "y"; its columns are "date", "x""`,
    );
    expect(await failure(new CsvSource({ path, symbolColumn: 'ticker' }).fetch())).toMatchInlineSnapshot(
      `"INVALID_ARGUMENT: <dir>/ok.csv has no symbol column "ticker"; its columns are "date", "x""`,
    );
    const ragged = await csv('date,x\n2020-01-02,1\n2020-01-03,1,2\n', 'ragged.csv');
    expect(await failure(new CsvSource({ path: ragged }).fetch())).toMatchInlineSnapshot(
      `"INVALID_ARGUMENT: <dir>/ragged.csv line 3 is not valid CSV: Invalid Record Length: expect 2, got 3 on line 3"`,
    );
    const noSymbol = await csv('date,s,x\n2020-01-02,,1\n', 'nosymbol.csv');
    expect(await failure(new CsvSource({ path: noSymbol, symbolColumn: 's' }).fetch())).toMatchInlineSnapshot(
      `"INVALID_ARGUMENT: <dir>/nosymbol.csv line 2, column "s": the symbol is empty; every row needs one in this column"`,
    );
  });

  it('validates its options at construction', () => {
    expect(() => new CsvSource({} as never)).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid CsvSource options: path: expected a file path or a file: URL (received nothing)]`,
    );
    expect(() => new CsvSource({ path: 'a.csv', fields: ['date'] })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid CsvSource options: fields: must not include the timestamp or symbol column (received an array of 1)]`,
    );
    expect(() => new CsvSource({ path: 'a.csv', fields: ['x', 'x'] })).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid CsvSource options: fields: must not repeat a column (received an array of 2)]`,
    );
    expect(() => new CsvSource({ path: 'a.csv', delim: ';' } as never)).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid CsvSource options: Unrecognized key: "delim"]`,
    );
  });
});

describe('parseIsoTimestamp', () => {
  it('reads dates as UTC midnight, zoneless date-times as UTC, offsets exactly, integers as epoch ms', () => {
    expect(parseIsoTimestamp('2020-01-02')).toBe(Date.UTC(2020, 0, 2));
    expect(parseIsoTimestamp('2020-01-02T03:04:05.678')).toBe(Date.UTC(2020, 0, 2, 3, 4, 5, 678));
    expect(parseIsoTimestamp('2020-01-02 03:04')).toBe(Date.UTC(2020, 0, 2, 3, 4));
    expect(parseIsoTimestamp('2020-01-02T03:04:05Z')).toBe(Date.UTC(2020, 0, 2, 3, 4, 5));
    expect(parseIsoTimestamp('2020-01-02T03:04:05+0130')).toBe(Date.UTC(2020, 0, 2, 1, 34, 5));
    expect(parseIsoTimestamp('2020-01-02T03:04-02:00')).toBe(Date.UTC(2020, 0, 2, 5, 4));
    expect(parseIsoTimestamp('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseIsoTimestamp('0050-06-01')).toBe(new Date('0050-06-01T00:00:00Z').getTime());
    expect(parseIsoTimestamp('1577923200000')).toBe(1577923200000);
    expect(parseIsoTimestamp('-86400000')).toBe(-86400000);
  });

  it('returns NaN for anything else, without rolling impossible dates over', () => {
    for (const token of [
      '2023-02-29',
      '2020-13-01',
      '2020-04-31',
      '2020-01-02T24:00',
      '2020-01-02T10:60',
      '02/01/2020',
      '',
      '2020-1-2',
      '1.5',
    ]) {
      expect(parseIsoTimestamp(token), token).toBeNaN();
    }
  });
});
