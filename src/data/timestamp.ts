const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/;
const INTEGER = /^[+-]?\d+$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Reads a timestamp token the way {@link CsvSource} does by default, returning epoch milliseconds or `NaN`:
 *
 * - an integer (`1577923200000`) is epoch milliseconds;
 * - a date (`2020-01-02`) is UTC midnight of that day;
 * - a date-time (`2020-01-02T14:30:00.250Z`, `2020-01-02 14:30+01:00`) is that instant; one without an offset
 *   is read as UTC, not local time, so the result does not depend on the machine's time zone.
 *
 * Impossible dates such as `2020-02-30` are `NaN` rather than being rolled over into March.
 */
export function parseIsoTimestamp(token: string): number {
  if (INTEGER.test(token)) return Number(token);
  const m = ISO.exec(token);
  if (m === null) return Number.NaN;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4] ?? 0);
  const minute = Number(m[5] ?? 0);
  const second = Number(m[6] ?? 0);
  const millis = m[7] === undefined ? 0 : Math.round(Number(m[7]) * 1000);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  if (hour > 23 || minute > 59 || second > 59) return Number.NaN;
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  let ms = date.getTime();
  if (m[9] !== undefined) {
    const offsetHours = Number(m[10]);
    const offsetMinutes = Number(m[11]);
    if (offsetHours > 23 || offsetMinutes > 59) return Number.NaN;
    const offset = (offsetHours * 60 + offsetMinutes) * 60_000;
    ms += m[9] === '+' ? -offset : offset;
  }
  return ms;
}
