import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { filterRows, resolveQuery } from './query.js';
import { orderRows } from './rows.js';
import { parseIsoTimestamp } from './timestamp.js';
import type { DataQuery, DataRow, DataSource } from './types.js';

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

const optionsSchema = z
  .strictObject({
    path: z.union([z.string().min(1), z.instanceof(URL)], { error: 'expected a file path or a file: URL' }),
    name: z.string().min(1).optional(),
    timestampColumn: z.string().min(1).default('date'),
    symbolColumn: z.string().min(1).optional(),
    fields: z
      .array(z.string().min(1))
      .min(1)
      .refine((f) => new Set(f).size === f.length, 'must not repeat a column')
      .optional(),
    parseTimestamp: z
      .custom<(token: string) => number | Date>((v) => typeof v === 'function', 'expected a function')
      .optional(),
    delimiter: z.string().min(1).default(','),
    missing: z.array(z.string()).default(['', 'NA', 'NaN', 'null']),
    sort: z.boolean().default(false),
  })
  .refine((o) => !o.fields?.some((f) => f === o.timestampColumn || f === o.symbolColumn), {
    message: 'must not include the timestamp or symbol column',
    path: ['fields'],
  });

/** Options for {@link CsvSource}. */
export interface CsvSourceOptions<F extends string = string> {
  /** The file to read: a path or a `file:` URL. */
  path: string | URL;
  /** The source's name in reports and messages. @defaultValue `csv:` followed by the file name */
  name?: string;
  /** The column holding each row's time. @defaultValue `'date'` */
  timestampColumn?: string;
  /** The column naming each row's symbol, for files that hold several series. @defaultValue none */
  symbolColumn?: string;
  /** The numeric columns to read, in this order. @defaultValue every column except the timestamp and symbol */
  fields?: readonly F[];
  /**
   * Turns a timestamp token (already trimmed) into epoch ms or a `Date`. @defaultValue integers as epoch ms,
   * ISO 8601 dates as UTC midnight, date-times without an offset as UTC (see {@link parseIsoTimestamp})
   */
  parseTimestamp?: (token: string) => number | Date;
  /** The field delimiter. @defaultValue `','` */
  delimiter?: string;
  /** Tokens (after trimming) that mean "missing" and become `null`. @defaultValue `['', 'NA', 'NaN', 'null']` */
  missing?: readonly string[];
  /**
   * Sort rows by (timestamp, symbol) instead of rejecting a file out of order, e.g. for files grouped by symbol.
   * Duplicate (timestamp, symbol) pairs are rejected either way. @defaultValue false
   */
  sort?: boolean;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/**
 * A {@link DataSource} reading a delimited text file with a header row, parsed by `csv-parse` (so quoted fields,
 * embedded delimiters and a byte-order mark are handled). The file is read on every `fetch`, so a file that
 * grows between fetches is picked up.
 *
 * A source must not return silently wrong data, so every problem is an error naming the file, the line and the
 * column: a missing file is `NOT_FOUND`; any other read failure is `STORAGE`; a token that is neither a number nor
 * one of the `missing` tokens, an unreadable timestamp, a duplicate (timestamp, symbol) pair or, unless
 * `sort: true`, a row out of order is `INVALID_ARGUMENT`. Uses only `node:fs/promises`, so it runs on Node, Deno
 * and Bun.
 *
 * @example
 * ```ts
 * import { CsvSource } from 'mlcycle';
 *
 * // date,symbol,close,volume
 * // 2024-01-02,AAPL,185.6,82488700
 * const source = new CsvSource({ path: 'prices.csv', symbolColumn: 'symbol', fields: ['close', 'volume'] });
 * const rows = await source.fetch({ from: '2024-01-01', symbols: ['AAPL'] });
 * ```
 */
export class CsvSource<F extends string = string> implements DataSource<F> {
  /** The source's name in reports and messages. */
  readonly name: string;
  private readonly options: z.output<typeof optionsSchema>;
  private readonly file: string;

  /** @param options - see {@link CsvSourceOptions}. */
  constructor(options: CsvSourceOptions<F>) {
    this.options = parseOptions(optionsSchema, options, 'CsvSource options');
    const path = this.options.path;
    this.file = typeof path === 'string' ? path : path.href;
    this.name = this.options.name ?? `csv:${baseName(typeof path === 'string' ? path : path.pathname)}`;
  }

  /** Reads the file and returns its rows in `[query.from, query.to)` of `query.symbols`. */
  async fetch(query?: DataQuery): Promise<DataRow<F>[]> {
    const resolved = resolveQuery(query, `CsvSource ${JSON.stringify(this.name)}`);
    const text = await this.read();
    const rows = this.parse(text);
    return filterRows(rows, resolved);
  }

  private async read(): Promise<string> {
    const { readFile } = await import('node:fs/promises');
    try {
      return await readFile(this.options.path, 'utf8');
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'ENOENT') {
        throw new MlcycleError('NOT_FOUND', `CSV file not found: ${this.file}; check the path`, {
          details: { path: this.file },
          cause: error,
        });
      }
      throw new MlcycleError(
        'STORAGE',
        `Could not read CSV file ${this.file}: ${(error as Error).message ?? String(error)}`,
        { details: { path: this.file, code }, cause: error },
      );
    }
  }

  private parse(text: string): DataRow<F>[] {
    const o = this.options;
    const csvOptions = { delimiter: o.delimiter, skip_empty_lines: true, bom: true };
    let records: string[][];
    try {
      records = parse(text, csvOptions);
    } catch (error) {
      const line = (error as { lines?: unknown }).lines;
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `${this.file}${typeof line === 'number' ? ` line ${line}` : ''} is not valid CSV: ${(error as Error).message}`,
        { details: { path: this.file, line }, cause: error },
      );
    }
    // Line numbers are only needed for messages, and asking csv-parse for them on every record doubles the
    // parse time, so the file is parsed a second time, with `info`, only when a message needs them.
    let recordLines: number[] | undefined;
    const lineOf = (record: number): number => {
      recordLines ??= (
        parse(text, { ...csvOptions, info: true }) as unknown as { info: { lines: number } }[]
      ).map((r) => r.info.lines);
      return recordLines[record] as number;
    };
    const header = records[0]?.map((name) => name.trim());
    if (header === undefined) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `${this.file} is empty; expected a header row naming the columns, including ${JSON.stringify(o.timestampColumn)}`,
        { details: { path: this.file } },
      );
    }
    const column = (name: string, role: string): number => {
      const index = header.indexOf(name);
      if (index < 0) {
        throw new MlcycleError(
          'INVALID_ARGUMENT',
          `${this.file} has no ${role} column ${JSON.stringify(name)}; its columns are ${header.map((h) => JSON.stringify(h)).join(', ')}`,
          { details: { path: this.file, column: name } },
        );
      }
      if (header.indexOf(name, index + 1) >= 0) {
        throw new MlcycleError(
          'INVALID_ARGUMENT',
          `${this.file} has the column ${JSON.stringify(name)} twice in its header; column names must be unique`,
          { details: { path: this.file, column: name } },
        );
      }
      return index;
    };
    const timeIndex = column(o.timestampColumn, 'timestamp');
    const symbolIndex = o.symbolColumn === undefined ? -1 : column(o.symbolColumn, 'symbol');
    const fields =
      o.fields ??
      header.filter((h) => h !== o.timestampColumn && (o.symbolColumn === undefined || h !== o.symbolColumn));
    const fieldIndex = fields.map((f) => column(f, 'field'));
    const missing = new Set(o.missing);
    const rows: DataRow<F>[] = new Array(records.length - 1);
    for (let r = 1; r < records.length; r++) {
      const record = records[r] as string[];
      const fail = (name: string, problem: string, token: string): MlcycleError =>
        new MlcycleError(
          'INVALID_ARGUMENT',
          `${this.file} line ${lineOf(r)}, column ${JSON.stringify(name)}: ${problem}`,
          { details: { path: this.file, line: lineOf(r), column: name, token } },
        );
      const timestamp = this.timestamp((record[timeIndex] as string).trim(), fail);
      const values: Record<string, number | null> = {};
      for (let k = 0; k < fields.length; k++) {
        const name = fields[k] as string;
        const token = (record[fieldIndex[k] as number] as string).trim();
        if (missing.has(token)) {
          values[name] = null;
          continue;
        }
        const value = NUMBER.test(token) ? Number(token) : Number.NaN;
        if (!Number.isFinite(value)) {
          const tokens = o.missing.map((m) => JSON.stringify(m)).join(', ');
          throw fail(
            name,
            `${JSON.stringify(token)} is not a finite number; expected a number or one of the missing-value tokens ${tokens}`,
            token,
          );
        }
        values[name] = value;
      }
      const symbol = symbolIndex < 0 ? undefined : (record[symbolIndex] as string).trim();
      if (symbol === '') {
        throw fail(
          o.symbolColumn as string,
          'the symbol is empty; every row needs one in this column',
          symbol,
        );
      }
      rows[r - 1] = (
        symbol === undefined ? { timestamp, values } : { timestamp, symbol, values }
      ) as DataRow<F>;
    }
    return orderRows(rows, o.sort, {
      locate: (i) => `${this.file} line ${lineOf(i + 1)}`,
      sortHint: '; sort the file or pass sort: true',
    });
  }

  private timestamp(
    token: string,
    fail: (name: string, problem: string, token: string) => MlcycleError,
  ): number {
    const { parseTimestamp, timestampColumn } = this.options;
    let value: number | Date;
    try {
      value = (parseTimestamp ?? parseIsoTimestamp)(token);
    } catch (error) {
      const wrapped = fail(
        timestampColumn,
        `parseTimestamp failed on ${JSON.stringify(token)}: ${(error as Error).message}`,
        token,
      );
      throw new MlcycleError(wrapped.code, wrapped.message, { details: wrapped.details ?? {}, cause: error });
    }
    const ms = value instanceof Date ? value.getTime() : value;
    if (typeof ms !== 'number' || !Number.isFinite(ms)) {
      throw fail(
        timestampColumn,
        `${JSON.stringify(token)} is not a valid timestamp` +
          (parseTimestamp === undefined
            ? '; expected an ISO 8601 date such as 2020-01-02, a date-time, or epoch milliseconds'
            : ` (parseTimestamp returned ${formatNumber(value)}); expected a finite epoch ms or a valid Date`),
        token,
      );
    }
    return ms;
  }
}
