import { formatNumber, toEpochMs } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import type { DataRow } from './types.js';

const DAY_MS = 86_400_000;

/** Formats epoch ms for messages: `2020-01-02` for a UTC midnight, the full ISO string otherwise. */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms)) return formatNumber(ms);
  const iso = new Date(ms).toISOString();
  return ms % DAY_MS === 0 ? iso.slice(0, 10) : iso;
}

/** Orders rows by timestamp, then symbol (rows without a symbol first, symbols by `<`). */
export function compareRows(a: DataRow, b: DataRow): number {
  if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
  const sa = a.symbol;
  const sb = b.symbol;
  if (sa === sb) return 0;
  if (sa === undefined) return -1;
  if (sb === undefined) return 1;
  return sa < sb ? -1 : 1;
}

function describeKey(row: DataRow): string {
  return row.symbol === undefined
    ? formatTime(row.timestamp)
    : `${formatTime(row.timestamp)}, symbol ${JSON.stringify(row.symbol)}`;
}

/** How {@link orderRows} names a row in a message and what it suggests when rows are out of order. */
export interface RowLocator {
  /** Names the row at `index` in the caller's input, e.g. `rows[3]` or `prices.csv line 5`. */
  locate(index: number): string;
  /** Appended to the out-of-order message, e.g. `; pass sort: true to sort them`. */
  sortHint: string;
}

/**
 * Returns `rows` in (timestamp, symbol) order: as given when `sort` is false (throwing `INVALID_ARGUMENT` at the
 * first row out of order), or a stably sorted copy when `sort` is true. Either way a repeated (timestamp, symbol)
 * pair throws, because silently keeping one of two conflicting observations would hide a data error.
 */
export function orderRows<F extends string>(rows: DataRow<F>[], sort: boolean, at: RowLocator): DataRow<F>[] {
  let order: number[] | undefined;
  if (sort) {
    order = Array.from(rows.keys());
    order.sort((i, j) => compareRows(rows[i] as DataRow, rows[j] as DataRow) || i - j);
  }
  const indexAt = (k: number): number => (order === undefined ? k : (order[k] as number));
  for (let k = 1; k < rows.length; k++) {
    const previousIndex = indexAt(k - 1);
    const currentIndex = indexAt(k);
    const previous = rows[previousIndex] as DataRow;
    const current = rows[currentIndex] as DataRow;
    const cmp = compareRows(previous, current);
    if (cmp === 0) {
      const [first, second] =
        previousIndex < currentIndex ? [previousIndex, currentIndex] : [currentIndex, previousIndex];
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `${at.locate(second)} duplicates ${at.locate(first)}: both are ${describeKey(current)}; ` +
          'each (timestamp, symbol) pair may appear only once',
        { details: { problem: 'duplicate', indices: [first, second] } },
      );
    }
    if (cmp > 0) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `Rows must be sorted by timestamp then symbol, but ${at.locate(currentIndex)} (${describeKey(current)}) ` +
          `comes after ${at.locate(previousIndex)} (${describeKey(previous)})${at.sortHint}`,
        { details: { problem: 'unsorted', indices: [previousIndex, currentIndex] } },
      );
    }
  }
  return order === undefined ? rows : order.map((i) => rows[i] as DataRow<F>);
}

function invalid(message: string, index: number): MlcycleError {
  return new MlcycleError('INVALID_ARGUMENT', message, { details: { index } });
}

/**
 * Checks that `input` is an array of rows (finite timestamps, as epoch ms, `Date` or ISO string; values finite or
 * `null`; the same fields in every row; a symbol on every row or on none) and returns fresh {@link DataRow}
 * copies in (timestamp, symbol) order; see {@link orderRows} for `sort`.
 *
 * @param what - how the rows are called in messages, e.g. `"ArraySource rows"`.
 */
export function validateRows<F extends string>(input: unknown, what: string, sort: boolean): DataRow<F>[] {
  if (!Array.isArray(input)) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `${what} must be an array of rows ({ timestamp, symbol?, values }), received ${describeType(input)}`,
    );
  }
  const rows: DataRow<F>[] = new Array(input.length);
  let fields: string[] = [];
  let withSymbol = false;
  for (let i = 0; i < input.length; i++) {
    const raw: unknown = input[i];
    const name = `${what}[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw invalid(
        `${name} must be an object { timestamp, symbol?, values }, received ${describeType(raw)}`,
        i,
      );
    }
    const { timestamp, symbol, values } = raw as Record<string, unknown>;
    const ms = toEpochMs(timestamp as number, `${name}.timestamp`);
    if (symbol !== undefined && (typeof symbol !== 'string' || symbol === '')) {
      throw invalid(
        `${name}.symbol must be a non-empty string when given, received ${formatNumber(symbol)}`,
        i,
      );
    }
    if (i === 0) withSymbol = symbol !== undefined;
    else if (withSymbol !== (symbol !== undefined)) {
      throw invalid(
        `${name} ${withSymbol ? 'has no symbol but' : 'has a symbol but'} ${what}[0] ` +
          `${withSymbol ? 'has one' : 'does not'}; either every row names its symbol or none does`,
        i,
      );
    }
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      throw invalid(`${name}.values must be an object of field values, received ${describeType(values)}`, i);
    }
    const record = values as Record<string, unknown>;
    if (i === 0) fields = Object.keys(record);
    const copy: Record<string, number | null> = {};
    for (const field of fields) {
      const value = record[field];
      if (value === null || (typeof value === 'number' && Number.isFinite(value))) {
        copy[field] = value;
      } else if (value === undefined && !(field in record)) {
        throw invalid(
          `${name}.values has no ${JSON.stringify(field)}, which ${what}[0] has; every row must have the same ` +
            'fields (use null for a missing value)',
          i,
        );
      } else {
        throw invalid(
          `${name}.values.${field} is ${formatNumber(value)}; expected a finite number, or null for a missing value`,
          i,
        );
      }
    }
    if (Object.keys(record).length !== fields.length) {
      const extra = Object.keys(record).find((key) => !fields.includes(key));
      throw invalid(
        `${name}.values has ${JSON.stringify(extra)}, which ${what}[0] does not have; every row must have ` +
          'the same fields',
        i,
      );
    }
    rows[i] = (
      symbol === undefined ? { timestamp: ms, values: copy } : { timestamp: ms, symbol, values: copy }
    ) as DataRow<F>;
  }
  return orderRows(rows, sort, {
    locate: (index) => `${what}[${index}]`,
    sortHint: '; sort them first or pass sort: true',
  });
}

/** A short description of a value's type for messages: `null`, `an array`, `string`, … */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/** A copy of `row` whose `values` object is fresh, so callers cannot change a source's stored rows. */
export function copyRow<F extends string>(row: DataRow<F>): DataRow<F> {
  return row.symbol === undefined
    ? { timestamp: row.timestamp, values: { ...row.values } }
    : { timestamp: row.timestamp, symbol: row.symbol, values: { ...row.values } };
}
