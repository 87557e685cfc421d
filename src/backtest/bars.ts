import { assertMinLength, assertSortedTimestamps, formatNumber, toEpochMs } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import type { Bars } from './types.js';

/** Validated bars as columns; `open`, `high` and `low` are present when the run needs them. */
export interface BarColumns {
  timestamp: Float64Array;
  close: Float64Array;
  open: Float64Array | undefined;
  high: Float64Array | undefined;
  low: Float64Array | undefined;
  /** Carried for strategies; checked finite, not used by the simulation. */
  volume: Float64Array | undefined;
}

/** Which optional columns a run needs. */
export interface BarNeeds {
  open: boolean;
  highLow: boolean;
  /**
   * Whether the bars also go to a strategy or a model, which may read any column: every column given is then
   * checked and carried. Otherwise a column the simulation does not read is left alone.
   */
  everyColumn: boolean;
}

function invalid(message: string, details?: Record<string, unknown>): MlcycleError {
  return new MlcycleError('INVALID_ARGUMENT', message, details ? { details } : {});
}

/** What a numeric column must hold, in the words of its error messages: finite values above (or from) a bound. */
interface ColumnKind {
  /** Plural noun for the values, e.g. `positive prices`. */
  values: string;
  /** What every value must be, e.g. `finite positive prices`. */
  each: string;
  /** The bound: values must be above it, or at least it when `inclusive`. */
  lowest: number;
  inclusive: boolean;
}

const PRICES: ColumnKind = {
  values: 'positive prices',
  each: 'finite positive prices',
  lowest: 0,
  inclusive: false,
};
const VOLUMES: ColumnKind = { values: 'volumes', each: 'finite volumes >= 0', lowest: 0, inclusive: true };

/** The index of the first value of `values` that is not a number of the kind, or −1. */
function firstInvalid(values: ArrayLike<number>, kind: ColumnKind): number {
  const { lowest, inclusive } = kind;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!((inclusive ? v >= lowest : v > lowest) && v < Number.POSITIVE_INFINITY && typeof v === 'number')) {
      return i;
    }
  }
  return -1;
}

function column(
  values: ArrayLike<number> | undefined,
  name: string,
  n: number,
  kind: ColumnKind,
): Float64Array {
  if (values === undefined || typeof values !== 'object' || typeof values.length !== 'number') {
    throw invalid(`bars.${name} must be an array of ${kind.values}, received ${formatNumber(values)}`);
  }
  if (values.length !== n) {
    throw invalid(
      `bars.${name} must have one value per bar (${n}, as bars.timestamp), received ${values.length}`,
    );
  }
  const bad = firstInvalid(values, kind);
  if (bad >= 0) {
    throw invalid(
      `bars.${name} must contain ${kind.each}, but bars.${name}[${bad}] is ${formatNumber(values[bad])}`,
      { name: `bars.${name}`, index: bad },
    );
  }
  // A Float64Array is only read, never written, so it is used as is; anything else is copied into one.
  return values instanceof Float64Array ? values : Float64Array.from(values);
}

/** Epoch-ms timestamps, strictly increasing; Dates (and numbers) accepted, as `toEpochMs`. */
function timestampColumn(raw: ArrayLike<number | Date>): Float64Array {
  const n = raw.length;
  if (raw instanceof Float64Array) {
    let previous = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const ms = raw[i] as number;
      if (!(ms > previous && ms < Number.POSITIVE_INFINITY)) return checkedTimestamps(raw);
      previous = ms;
    }
    return raw;
  }
  return checkedTimestamps(raw);
}

/** Converts each timestamp, failing on the first that is not a time or not after the one before. */
function checkedTimestamps(raw: ArrayLike<number | Date>): Float64Array {
  const n = raw.length;
  const out = new Float64Array(n);
  let previous = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = raw[i] as number | Date;
    const ms = typeof v === 'number' && Number.isFinite(v) ? v : toEpochMs(v, `bars.timestamp[${i}]`);
    if (!(ms > previous)) {
      assertSortedTimestamps(Float64Array.from(raw as ArrayLike<number>, Number), 'bars.timestamp');
    }
    out[i] = ms;
    previous = ms;
  }
  return out;
}

/**
 * Whether the timestamps increase and the closes are finite positive prices, in one pass over both where the
 * column-by-column checks take one each: increasing timestamps are finite when the last one is, and positive
 * closes when their sum is (a sum that overflows only sends the bars to the column-by-column checks). The columns
 * are `Float64Array`s of one length.
 */
function timesAndClosesValid(timestamp: Float64Array, close: Float64Array): boolean {
  let previous = Number.NEGATIVE_INFINITY;
  let total = 0;
  for (let i = 0; i < close.length; i++) {
    const t = timestamp[i] as number;
    const c = close[i] as number;
    if (!(t > previous && c > 0)) return false;
    total += c;
    previous = t;
  }
  return previous < Number.POSITIVE_INFINITY && total < Number.POSITIVE_INFINITY;
}

function assertConsistent(columns: BarColumns): void {
  const { open, high, low, close } = columns;
  if (!open || !high || !low) return;
  for (let i = 0; i < close.length; i++) {
    const h = high[i] as number;
    const l = low[i] as number;
    const top = Math.max(open[i] as number, close[i] as number);
    const bottom = Math.min(open[i] as number, close[i] as number);
    if (h < top || l > bottom) {
      throw invalid(
        `bars must satisfy low <= min(open, close) and high >= max(open, close), but bar ${i} has open ` +
          `${formatNumber(open[i])}, high ${formatNumber(h)}, low ${formatNumber(l)}, close ${formatNumber(close[i])}`,
        { index: i },
      );
    }
  }
}

/**
 * Checks the bars a run needs and copies them into columns: at least two bars, strictly increasing timestamps,
 * finite positive prices of equal length, and consistent high/low when stops need them.
 */
export function toBarColumns(bars: Bars, needs: BarNeeds): BarColumns {
  if (typeof bars !== 'object' || bars === null) {
    throw invalid(
      `bars must be an object of columns { timestamp, close, open?, high?, low? }, received ${bars}`,
    );
  }
  const raw = bars.timestamp as ArrayLike<number | Date> | undefined;
  if (raw === undefined || typeof raw !== 'object' || typeof raw.length !== 'number') {
    throw invalid('bars.timestamp must be an array of epoch milliseconds or Dates');
  }
  assertMinLength(raw, 2, 'bars', 'to backtest (one period needs two bars)');
  const n = raw.length;
  const close = bars.close;
  // Typed columns that pass one joint check are used as they are; otherwise each column is checked in turn (and
  // copied into a Float64Array unless it is one), which finds and names the first problem.
  const valid =
    raw instanceof Float64Array &&
    close instanceof Float64Array &&
    close.length === n &&
    timesAndClosesValid(raw, close);
  const timestamp = valid ? raw : timestampColumn(raw);
  const optional = (values: ArrayLike<number> | undefined, name: string, needed: boolean, why: string) => {
    if (values === undefined) {
      if (needed) throw invalid(`bars.${name} is required ${why}`);
      return undefined;
    }
    return needed || needs.everyColumn ? column(values, name, n, PRICES) : undefined;
  };
  const columns: BarColumns = {
    timestamp,
    close: valid ? close : column(close, 'close', n, PRICES),
    open: optional(bars.open, 'open', needs.open, "for execution 'next-open' and for stops"),
    high: optional(bars.high, 'high', needs.highLow, 'when stopLoss, takeProfit or trailingStop is set'),
    low: optional(bars.low, 'low', needs.highLow, 'when stopLoss, takeProfit or trailingStop is set'),
    volume:
      bars.volume === undefined || !needs.everyColumn ? undefined : column(bars.volume, 'volume', n, VOLUMES),
  };
  if (needs.highLow) assertConsistent(columns);
  return columns;
}

const YEAR_MS = 365.25 * 86_400_000;
const COMMON_FREQUENCIES = [252, 365, 52, 12, 4, 1];

/**
 * Periods per year implied by the timestamps: (n − 1) periods over the span in years, snapped to a common
 * frequency (252 trading days, 365 calendar days, 52 weeks, 12 months, 4 quarters, 1 year) when within 4% of it.
 */
export function inferPeriodsPerYear(timestamp: Float64Array): number {
  const n = timestamp.length;
  const years = ((timestamp[n - 1] as number) - (timestamp[0] as number)) / YEAR_MS;
  const raw = (n - 1) / years;
  for (const candidate of COMMON_FREQUENCIES) {
    if (Math.abs(raw / candidate - 1) <= 0.04) return candidate;
  }
  return raw;
}
