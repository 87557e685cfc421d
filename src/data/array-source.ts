import { z } from 'zod';
import { parseOptions } from '../core/options.js';
import { filterRows, resolveQuery } from './query.js';
import { copyRow, validateRows } from './rows.js';
import type { DataQuery, DataRow, DataRowInput, DataSource } from './types.js';

const optionsSchema = z.strictObject({
  name: z.string().min(1).default('array'),
  sort: z.boolean().default(false),
});

/** Options for {@link ArraySource}. */
export interface ArraySourceOptions {
  /** The source's name in reports and messages. @defaultValue `'array'` */
  name?: string;
  /**
   * Sort a copy of the rows by (timestamp, symbol) instead of rejecting rows out of order. Duplicated
   * (timestamp, symbol) pairs are rejected either way. @defaultValue false
   */
  sort?: boolean;
}

/**
 * A {@link DataSource} over rows held in memory: for tests, notebooks and data you already loaded.
 *
 * The rows are validated once, at construction: timestamps must be finite (epoch ms, `Date` or ISO 8601 string),
 * values finite numbers or `null` for missing, every row must have the same fields and either every row or no
 * row a symbol, and rows must be sorted by (timestamp, symbol) with no pair repeated. Unsorted rows are an
 * `INVALID_ARGUMENT` error unless `sort: true`, which sorts a copy. The rows are copied in and out, so changing
 * the array you passed, or the rows you fetched, never changes what the source serves.
 *
 * @example
 * ```ts
 * import { ArraySource } from 'mlcycle';
 *
 * const source = new ArraySource([
 *   { timestamp: '2024-01-02', values: { close: 101.5 } },
 *   { timestamp: '2024-01-03', values: { close: null } }, // missing
 *   { timestamp: '2024-01-04', values: { close: 103.2 } },
 * ]);
 * const rows = await source.fetch({ from: '2024-01-03' }); // two rows
 * ```
 */
export class ArraySource<F extends string = string> implements DataSource<F> {
  /** The source's name in reports and messages. */
  readonly name: string;
  private readonly rows: DataRow<F>[];

  /**
   * @param rows - the rows to serve; see the class description for what is checked.
   * @param options - see {@link ArraySourceOptions}.
   */
  constructor(rows: readonly DataRowInput<F>[], options: ArraySourceOptions = {}) {
    const parsed = parseOptions(optionsSchema, options, 'ArraySource options');
    this.name = parsed.name;
    this.rows = validateRows<F>(rows, 'ArraySource rows', parsed.sort);
  }

  /** How many rows the source holds. */
  get size(): number {
    return this.rows.length;
  }

  /** The rows in `[query.from, query.to)` of `query.symbols`, as fresh copies. */
  async fetch(query?: DataQuery): Promise<DataRow<F>[]> {
    const resolved = resolveQuery(query, `ArraySource ${JSON.stringify(this.name)}`);
    return filterRows(this.rows, resolved).map(copyRow);
  }
}
