const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-05, the first Monday after the epoch (a Thursday). */
const FIRST_MONDAY_MS = 4 * DAY_MS;

/**
 * Milliseconds of Monday-to-Friday time (UTC) from 1970-01-05 to `ms`, negative before it. The difference of two
 * values is the business time between two moments, weekends removed, in O(1).
 */
export function businessTimeMs(ms: number): number {
  const sinceMonday = ms - FIRST_MONDAY_MS;
  const weeks = Math.floor(sinceMonday / WEEK_MS);
  const inWeek = sinceMonday - weeks * WEEK_MS;
  return weeks * 5 * DAY_MS + Math.min(inWeek, 5 * DAY_MS);
}

/** A duration for messages, in the largest unit that fits: `5 days`, `1.5 hours`, `250 ms`. */
export function formatDuration(ms: number): string {
  const units: [number, string][] = [
    [DAY_MS, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, unit] of units) {
    if (Math.abs(ms) >= size) {
      const value = Math.round((ms / size) * 10) / 10;
      return `${value} ${unit}${value === 1 ? '' : 's'}`;
    }
  }
  return `${ms} ms`;
}
