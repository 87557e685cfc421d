import { z } from 'zod';
import { toEpochMs } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { formatTime } from './rows.js';
import type { DataRow, ResolvedQuery } from './types.js';

const time = z.union([z.number(), z.date(), z.string()]);

const querySchema = z
  .strictObject({
    from: time.optional(),
    to: time.optional(),
    symbols: z
      .array(z.string().min(1))
      .min(1, 'list at least one symbol, or omit symbols to fetch every symbol')
      .optional(),
  })
  .optional();

/**
 * Validates a {@link DataQuery} and converts its times to epoch milliseconds. Throws `INVALID_ARGUMENT` for
 * unknown keys, invalid times, an empty `symbols` list, or `from` after `to`.
 *
 * @param what - who is being queried, e.g. `CsvSource "prices"`; it starts the message.
 */
export function resolveQuery(query: unknown, what: string): ResolvedQuery {
  const parsed = parseOptions(querySchema, query, `${what} query`);
  const resolved: ResolvedQuery = {};
  if (parsed === undefined) return resolved;
  if (parsed.from !== undefined) resolved.from = toEpochMs(parsed.from, `${what} query.from`);
  if (parsed.to !== undefined) resolved.to = toEpochMs(parsed.to, `${what} query.to`);
  if (resolved.from !== undefined && resolved.to !== undefined && resolved.from > resolved.to) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `${what} query.from (${formatTime(resolved.from)}) must not be after query.to ` +
        `(${formatTime(resolved.to)}); the range is [from, to)`,
    );
  }
  if (parsed.symbols !== undefined) resolved.symbols = [...parsed.symbols];
  return resolved;
}

/** The first index whose timestamp is >= `ms` in rows sorted by timestamp. */
function lowerBound(rows: readonly DataRow[], ms: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((rows[mid] as DataRow).timestamp < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The rows of `rows` (sorted by timestamp) inside `[from, to)` and of the requested symbols. The time range is
 * found by binary search, so narrow queries on long histories are cheap.
 */
export function filterRows<F extends string>(
  rows: readonly DataRow<F>[],
  query: ResolvedQuery,
): DataRow<F>[] {
  const start = query.from === undefined ? 0 : lowerBound(rows, query.from);
  const end = query.to === undefined ? rows.length : lowerBound(rows, query.to);
  const window = rows.slice(start, Math.max(start, end));
  if (query.symbols === undefined) return window;
  const wanted = new Set(query.symbols);
  return window.filter((row) => row.symbol !== undefined && wanted.has(row.symbol));
}
