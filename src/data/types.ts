/**
 * One observation of a time series: a moment, optionally the instrument it belongs to, and named numeric values.
 *
 * @typeParam F - the field names, e.g. `'open' | 'close'`.
 */
export interface DataRow<F extends string = string> {
  /** When the observation was made, in epoch milliseconds (UTC). */
  timestamp: number;
  /** The instrument or series the row belongs to, for sources that serve several (`'AAPL'`, `'store-12'`). */
  symbol?: string;
  /** The observed values. `null` marks a missing value; values are never `NaN` or infinite. */
  values: Record<F, number | null>;
}

/**
 * A row as callers may hand it to {@link ArraySource} or return it from an {@link HttpJsonSource} `parse`
 * function: like {@link DataRow}, but the timestamp may also be a `Date` or an ISO 8601 string, converted to
 * epoch milliseconds when the row is validated.
 */
export interface DataRowInput<F extends string = string> {
  /** Epoch milliseconds, a `Date`, or an ISO 8601 string. */
  timestamp: number | Date | string;
  /** The instrument or series the row belongs to. */
  symbol?: string | undefined;
  /** The observed values; `null` marks a missing value. */
  values: Record<F, number | null>;
}

/**
 * What to fetch. The time range is half-open, `[from, to)`: a row stamped exactly `to` is not included, so
 * consecutive windows never overlap.
 */
export interface DataQuery {
  /** The first moment to include (epoch ms, `Date` or ISO 8601 string). @defaultValue the start of the data */
  from?: number | Date | string;
  /** The first moment to exclude (epoch ms, `Date` or ISO 8601 string). @defaultValue the end of the data */
  to?: number | Date | string;
  /**
   * Only rows of these symbols. Rows without a symbol do not match any symbol, so they are dropped when this is
   * given. @defaultValue every symbol
   */
  symbols?: string[];
}

/** A {@link DataQuery} after validation: times converted to epoch milliseconds. */
export interface ResolvedQuery {
  /** The first moment to include, in epoch ms, if bounded. */
  from?: number;
  /** The first moment to exclude, in epoch ms, if bounded. */
  to?: number;
  /** The symbols to keep, if filtered. */
  symbols?: string[];
}

/**
 * Anything that serves time-series rows. `fetch` resolves to validated rows sorted by timestamp, then symbol,
 * with no two rows sharing a (timestamp, symbol) pair, restricted to the query.
 *
 * Implement it to plug your own feed into mlcycle; wrap it in a {@link FallbackSource} to get failover and a
 * validation of what it returns.
 */
export interface DataSource<F extends string = string> {
  /** A short name used in reports and error messages. */
  readonly name: string;
  /** The rows matching `query` (every row when it is omitted). */
  fetch(query?: DataQuery): Promise<DataRow<F>[]>;
}
