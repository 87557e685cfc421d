import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { describeType } from './rows.js';
import type { DataRow } from './types.js';

/** Rows turned column-major by {@link toColumns}: one `Float64Array` per field, `NaN` where a value is missing. */
export interface Columns<F extends string = string> {
  /** Each row's timestamp in epoch ms. */
  timestamp: Float64Array;
  /** Each row's symbol, present when the rows carry symbols. */
  symbol?: string[];
  /** Each field's values, `NaN` for missing. */
  columns: Record<F, Float64Array>;
}

function invalid(message: string, index?: number): MlcycleError {
  return new MlcycleError('INVALID_ARGUMENT', message, index === undefined ? {} : { details: { index } });
}

/**
 * Turns rows into column-major `Float64Array`s, the form mlcycle's numeric modules (metrics, features, models,
 * drift) work on. Missing values (`null`) become `NaN`, which those modules treat as missing; so the rows must not
 * hold `NaN` or infinite numbers themselves, where the two would be confused.
 *
 * @param rows - rows as a {@link DataSource} returns them.
 * @param fields - the fields to extract, in this order. @defaultValue the fields of the first row
 *
 * @example
 * ```ts
 * import { loadSp500, toColumns } from 'mlcycle';
 *
 * const { timestamp, columns } = toColumns(await loadSp500(), ['open', 'close']);
 * columns.close.length === timestamp.length; // true
 * ```
 */
export function toColumns<F extends string, K extends F = F>(
  rows: readonly DataRow<F>[],
  fields?: readonly K[],
): Columns<K> {
  if (!Array.isArray(rows)) {
    throw invalid(
      `toColumns needs an array of rows ({ timestamp, symbol?, values }), received ${describeType(rows)}`,
    );
  }
  const first = rows[0] as DataRow<F> | null | undefined;
  const names: readonly string[] =
    fields ??
    (typeof first === 'object' && first !== null && typeof first.values === 'object' && first.values !== null
      ? Object.keys(first.values)
      : []);
  if (!Array.isArray(names) || names.some((f) => typeof f !== 'string' || f === '')) {
    throw invalid('toColumns fields must be an array of field names (non-empty strings)');
  }
  if (new Set(names).size !== names.length) {
    throw invalid(
      `toColumns fields must not repeat a name, received ${names.map((f) => JSON.stringify(f)).join(', ')}`,
    );
  }
  const n = rows.length;
  const timestamp = new Float64Array(n);
  const columns: Record<string, Float64Array> = {};
  for (const field of names) columns[field] = new Float64Array(n);
  const withSymbol = first?.symbol !== undefined && first?.symbol !== null;
  const symbol: string[] | undefined = withSymbol ? new Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    const row = rows[i] as DataRow | null | undefined;
    if (typeof row !== 'object' || row === null || typeof row.values !== 'object' || row.values === null) {
      throw invalid(
        `toColumns rows[${i}] must be an object { timestamp, symbol?, values }, received ${describeType(row)}`,
        i,
      );
    }
    const t = row.timestamp;
    if (typeof t !== 'number' || !Number.isFinite(t)) {
      throw invalid(
        `toColumns rows[${i}].timestamp is ${formatNumber(t)}; expected finite epoch milliseconds`,
        i,
      );
    }
    timestamp[i] = t;
    if ((row.symbol !== undefined) !== withSymbol) {
      throw invalid(
        `toColumns rows[${i}] ${withSymbol ? 'has no symbol but rows[0] has one' : 'has a symbol but rows[0] does not'}; either every row names its symbol or none does`,
        i,
      );
    }
    if (symbol !== undefined) symbol[i] = row.symbol as string;
    for (const field of names) {
      const v = row.values[field];
      const column = columns[field] as Float64Array;
      if (typeof v === 'number' && Number.isFinite(v)) column[i] = v;
      else if (v === null || v === undefined) column[i] = Number.NaN;
      else {
        throw invalid(
          `toColumns rows[${i}].values.${field} is ${formatNumber(v)}; expected a finite number, or null for a missing value`,
          i,
        );
      }
    }
  }
  return symbol === undefined
    ? { timestamp, columns: columns as Record<K, Float64Array> }
    : { timestamp, symbol, columns: columns as Record<K, Float64Array> };
}
