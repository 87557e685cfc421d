import type { ListOptions } from '../types.js';

/** Builds the SQLite JSON path for a dotted field path; segments are validated to `[A-Za-z0-9_-]+`. */
const jsonPath = (field: string): string =>
  `$${field
    .split('.')
    .map((segment) => `."${segment}"`)
    .join('')}`;

/**
 * The SQL and parameters that list a collection exactly as {@link ListOptions} specifies. User text only ever
 * reaches SQLite as bound parameters; the SQL varies only with the shape of the options.
 *
 * - `where`: `value -> path` is the field's JSON text as written by `JSON.stringify`, so comparing it with
 *   `JSON.stringify(expected)` keeps types apart and compares numbers and strings exactly; `->>` is NULL for a
 *   missing field and for JSON null alike.
 * - `idPrefix`: the range `prefix <= id < prefix || 0xFF` (UTF-8 bytes; no valid UTF-8 contains 0xFF), which
 *   treats `%` and `_` literally and uses the primary key.
 * - `orderBy`: `value ->> path` gives NULL for missing and null, numbers for numbers and booleans (0/1), decoded
 *   text for strings and JSON text for arrays and objects; SQLite orders NULL < numbers < text (by bytes, which is
 *   code point order), which is the documented order. Ties go to `id` ascending in both directions.
 *
 * @internal
 */
export function listQuery(options: ListOptions): { sql: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = {};
  const conditions = ['collection = @collection'];
  if (options.idPrefix !== undefined && options.idPrefix !== '') {
    params.prefix = options.idPrefix;
    params.prefixEnd = Buffer.concat([Buffer.from(options.idPrefix, 'utf8'), Buffer.from([0xff])]);
    conditions.push('id >= @prefix AND id < CAST(@prefixEnd AS TEXT)');
  }
  Object.entries(options.where ?? {}).forEach(([field, expected], i) => {
    params[`path${i}`] = jsonPath(field);
    if (expected === null) {
      conditions.push(`value ->> @path${i} IS NULL`);
    } else {
      params[`json${i}`] = JSON.stringify(expected);
      conditions.push(`value -> @path${i} = @json${i}`);
    }
  });
  let order = 'id';
  if (options.orderBy !== undefined) {
    params.order = jsonPath(options.orderBy);
    order = `value ->> @order ${options.direction === 'desc' ? 'DESC' : 'ASC'}, id`;
  }
  params.limit = options.limit ?? -1;
  params.offset = options.offset ?? 0;
  const sql =
    'SELECT id, revision, updated_at AS updatedAt, value AS json FROM documents ' +
    `WHERE ${conditions.join(' AND ')} ORDER BY ${order} LIMIT @limit OFFSET @offset`;
  return { sql, params };
}
