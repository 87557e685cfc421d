import { formatNumber } from '../core/checks.js';
import { businessTimeMs, formatDuration } from './calendar.js';
import { type IssueCollector, percent } from './quality-issues.js';
import type { GapRule } from './quality-rules.js';
import { formatTime } from './rows.js';

/** The rows of a check, split into series by symbol, as the per-series checks read them. */
export interface Series {
  /** Row indices per symbol (`undefined` for rows without one), each in row order. */
  groups: Map<string | undefined, number[]>;
  /** Each row's timestamp, `NaN` where it is not a finite number. */
  timestamps: Float64Array;
  /** Names a row in messages: `rows[3] (2020-01-06, symbol "AAPL")`. */
  at(index: number): string;
  /** Where issues go. */
  issues: IssueCollector;
}

const bySymbol = (symbol: string | undefined) => (symbol === undefined ? {} : { symbol });

/**
 * Duplicate and out-of-order timestamps per symbol. A row is a duplicate when an earlier row of its symbol has
 * its timestamp, and out of order when its timestamp is below that of the previous row of its symbol. Returns
 * each symbol's latest timestamp.
 */
export function checkOrder({ groups, timestamps, at, issues }: Series): Map<string | undefined, number> {
  const latest = new Map<string | undefined, number>();
  for (const [symbol, group] of groups) {
    // Sorted input never needs the map: it is built from the rows seen so far only when a timestamp fails to
    // increase, which is the only time a duplicate can occur.
    let seen: Map<number, number> | undefined;
    let max = Number.NEGATIVE_INFINITY;
    let previous = -1;
    for (let k = 0; k < group.length; k++) {
      const i = group[k] as number;
      const t = timestamps[i] as number;
      if (Number.isNaN(t)) continue;
      if (seen === undefined && t > max) {
        max = t;
        previous = i;
        continue;
      }
      if (seen === undefined) {
        seen = new Map();
        for (let j = 0; j < k; j++) {
          const earlier = group[j] as number;
          const te = timestamps[earlier] as number;
          if (!Number.isNaN(te) && !seen.has(te)) seen.set(te, earlier);
        }
      }
      const first = seen.get(t);
      if (first === undefined) seen.set(t, i);
      else {
        issues.add('duplicate', 1, {
          ...bySymbol(symbol),
          index: i,
          message: `${at(i)} repeats the timestamp of rows[${first}]`,
        });
      }
      if (t < (timestamps[previous] as number)) {
        issues.add('unsorted', 1, {
          ...bySymbol(symbol),
          index: i,
          message: `${at(i)} is earlier than the row before it in its series, ${at(previous)}`,
        });
      }
      if (t > max) max = t;
      previous = i;
    }
    if (previous >= 0) latest.set(symbol, max);
  }
  return latest;
}

/** Relative moves `|x_t / x_prev − 1|` above `limit`, from each symbol's last observed value of `field`. */
export function checkOutliers(
  { groups, at, issues }: Series,
  field: string,
  values: Float64Array,
  limit: number,
) {
  for (const [symbol, group] of groups) {
    let last = Number.NaN;
    for (const i of group) {
      const x = values[i] as number;
      if (Number.isNaN(x)) continue;
      // A move from 0 has no relative size; NaN (no value seen yet) fails the comparison below as well.
      const change = last !== 0 ? x / last - 1 : Number.NaN;
      if (Math.abs(change) > limit) {
        issues.add('outlier', 1, {
          field,
          ...bySymbol(symbol),
          index: i,
          message:
            `${field} moved ${change > 0 ? '+' : ''}${percent(change)} in one bar at ${at(i)}, from ` +
            `${formatNumber(last)} to ${formatNumber(x)}, beyond the ±${percent(limit)} limit`,
        });
      }
      last = x;
    }
  }
}

/** Symbols whose latest timestamp is more than `maxAgeMs` before `now`. */
export function checkStale(
  { issues }: Series,
  latest: Map<string | undefined, number>,
  now: number,
  maxAgeMs: number,
): void {
  if (latest.size === 0) {
    issues.add('stale', 1, { message: 'there are no rows with a valid timestamp, so none is recent' });
  }
  for (const [symbol, last] of latest) {
    const age = now - last;
    if (age > maxAgeMs) {
      issues.add('stale', 1, {
        ...bySymbol(symbol),
        message:
          `the latest row${symbol === undefined ? '' : ` of symbol ${JSON.stringify(symbol)}`} is from ` +
          `${formatTime(last)}, ${formatDuration(age)} before ${formatTime(now)}; at most ` +
          `${formatDuration(maxAgeMs)} is allowed`,
      });
    }
  }
}

/** Symbols (or the whole series) with fewer than `min` rows. */
export function checkMinRows({ groups, issues }: Series, min: number): void {
  if (groups.size === 0)
    issues.add('minRows', 1, { message: `there are no rows; at least ${min} are required` });
  for (const [symbol, group] of groups) {
    if (group.length < min) {
      issues.add('minRows', 1, {
        ...bySymbol(symbol),
        message:
          `${symbol === undefined ? 'the data' : `symbol ${JSON.stringify(symbol)}`} has ${group.length} ` +
          `row${group.length === 1 ? '' : 's'}, fewer than the ${min} required`,
      });
    }
  }
}

/** Steps between consecutive increasing timestamps of a symbol longer than the interval plus its tolerance. */
export function checkGaps({ groups, timestamps, at, issues }: Series, rule: Required<GapRule>): void {
  const { expectedIntervalMs, tolerance } = rule;
  const business = rule.calendar === 'business-days';
  const limit = expectedIntervalMs * (1 + tolerance);
  for (const [symbol, group] of groups) {
    let previous = -1;
    for (const i of group) {
      const t = timestamps[i] as number;
      if (Number.isNaN(t)) continue;
      if (previous >= 0) {
        const p = timestamps[previous] as number;
        const step = business ? businessTimeMs(t) - businessTimeMs(p) : t - p;
        if (t > p && step > limit) {
          issues.add('gap', 1, {
            ...bySymbol(symbol),
            index: i,
            message:
              `${formatDuration(step)}${business ? ' of business time' : ''} pass between ${at(previous)} ` +
              `and ${at(i)}, more than the expected ${formatDuration(expectedIntervalMs)} + ${percent(tolerance)}`,
          });
        }
      }
      previous = i;
    }
  }
}
