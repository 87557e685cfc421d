/**
 * Reading rows or columns of mixed values into typed columns: numbers (missing as NaN) or category labels
 * (missing as `null`), with the column kinds given or inferred.
 *
 * @module
 */
import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';

/** One cell: a number, a category label, or missing (`null`, `undefined`, NaN). */
export type CellValue = number | string | boolean | null | undefined;

/** One row: a value per column name. */
export type Row = Readonly<Record<string, CellValue>>;

/**
 * A table: rows (objects keyed by column name), or columns (arrays of equal length keyed by name, which skips
 * building row objects for wide data).
 */
export type DriftData = readonly Row[] | Readonly<Record<string, ArrayLike<CellValue>>>;

/** How a column is tested: as numbers, or as category labels. */
export type ColumnKind = 'numeric' | 'categorical';

/** A column read from a table. */
export type TypedColumn =
  | {
      kind: 'numeric';
      /** The values, NaN where missing. */
      values: Float64Array;
    }
  | {
      kind: 'categorical';
      /** The labels (`String(value)`), `null` where missing. */
      values: (string | null)[];
    };

function invalid(message: string, details?: Record<string, unknown>): MlcycleError {
  return new MlcycleError('INVALID_ARGUMENT', message, details ? { details } : {});
}

function isMissing(value: CellValue): value is null | undefined {
  return value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value));
}

/** The column names of a table and a reader of each column's cells. */
function cellsOf(data: DriftData, name: string): { names: string[]; length: number; cell: CellReader } {
  if (Array.isArray(data)) {
    const rows = data as readonly Row[];
    const names = new Set<string>();
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (typeof row !== 'object' || row === null || Array.isArray(row)) {
        throw invalid(`${name}[${i}] must be a row object of column values, received ${formatNumber(row)}`);
      }
      for (const key of Object.keys(row)) names.add(key);
    }
    return { names: [...names], length: rows.length, cell: (column, i) => (rows[i] as Row)[column] };
  }
  if (typeof data !== 'object' || data === null) {
    throw invalid(`${name} must be an array of rows or an object of columns, received ${formatNumber(data)}`);
  }
  const columns = data as Readonly<Record<string, ArrayLike<CellValue>>>;
  const names = Object.keys(columns);
  let length = -1;
  for (const column of names) {
    const values = columns[column];
    if (typeof values !== 'object' || values === null || typeof values.length !== 'number') {
      throw invalid(`${name}.${column} must be an array of values, received ${formatNumber(values)}`);
    }
    if (length >= 0 && values.length !== length) {
      throw invalid(
        `${name} columns must have equal lengths, but ${name}.${column} has ${values.length} values and ` +
          `${name}.${names[0]} has ${length}`,
      );
    }
    length = values.length;
  }
  return {
    names,
    length: Math.max(length, 0),
    cell: (column, i) => (columns[column] as ArrayLike<CellValue>)[i],
  };
}

type CellReader = (column: string, index: number) => CellValue;

/** The kind a column's values suggest: numeric when every present value is a number, categorical otherwise. */
function inferKind(cell: CellReader, column: string, length: number): ColumnKind {
  for (let i = 0; i < length; i++) {
    const v = cell(column, i);
    if (!isMissing(v) && typeof v !== 'number') return 'categorical';
  }
  return 'numeric';
}

/**
 * Reads the named columns of a table (all of them when `columns` is undefined, less `exclude`), with kinds given
 * or inferred. Numeric columns accept finite numbers and missing values; categorical ones strings, booleans and
 * numbers (as labels).
 *
 * @param name - what the table is called in error messages.
 */
export function readColumns(
  data: DriftData,
  name: string,
  kinds: Readonly<Record<string, ColumnKind>>,
  columns?: readonly string[],
  exclude: readonly string[] = [],
): { length: number; columns: Map<string, TypedColumn> } {
  const { names, length, cell } = cellsOf(data, name);
  const wanted = columns ?? names.filter((column) => !exclude.includes(column));
  const out = new Map<string, TypedColumn>();
  const present = new Set(names);
  for (const column of wanted) {
    if (!present.has(column)) {
      throw invalid(`${name} has no column "${column}"; it has: ${names.join(', ') || '(none)'}`);
    }
    const kind = kinds[column] ?? inferKind(cell, column, length);
    out.set(
      column,
      kind === 'numeric' ? numericColumn(cell, column, length, name) : categorical(cell, column, length),
    );
  }
  return { length, columns: out };
}

function numericColumn(cell: CellReader, column: string, length: number, name: string): TypedColumn {
  const values = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const v = cell(column, i);
    if (isMissing(v)) {
      values[i] = Number.NaN;
    } else if (typeof v === 'number' && Number.isFinite(v)) {
      values[i] = v;
    } else {
      throw invalid(
        `${name} column "${column}" is numeric and must hold finite numbers or missing values (null, undefined, ` +
          `NaN), but row ${i} has ${typeof v === 'string' ? JSON.stringify(v) : formatNumber(v)}`,
        { column, index: i },
      );
    }
  }
  return { kind: 'numeric', values };
}

function categorical(cell: CellReader, column: string, length: number): TypedColumn {
  const values = new Array<string | null>(length);
  for (let i = 0; i < length; i++) {
    const v = cell(column, i);
    values[i] = isMissing(v) ? null : String(v);
  }
  return { kind: 'categorical', values };
}
