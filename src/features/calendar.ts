import { assertFiniteArray } from '../core/checks.js';
import { vouchedStart } from './input.js';

const DAY_MS = 86_400_000;

function days(timestamps: ArrayLike<number>, name: string): ArrayLike<number> {
  // A pipeline's timestamps were checked (finite and sorted) when it read them.
  if (vouchedStart(timestamps) !== 0) assertFiniteArray(timestamps, name);
  return timestamps;
}

/**
 * Day of the week of each epoch-ms timestamp in UTC, Monday = 0 … Sunday = 6 (pandas' `dt.dayofweek`). Calendar
 * features never need a window, so none is NaN.
 */
export function dayOfWeek(timestamps: ArrayLike<number>): Float64Array {
  const ms = days(timestamps, 'timestamps');
  const out = new Float64Array(ms.length);
  for (let t = 0; t < ms.length; t++) {
    // 1970-01-01 was a Thursday (3 with Monday = 0); the double modulo keeps days before 1970 positive.
    out[t] = (((Math.floor((ms[t] as number) / DAY_MS) + 3) % 7) + 7) % 7;
  }
  return out;
}

/**
 * Month (1–12) of a day counted from 1970-01-01, by Hinnant's `civil_from_days` (integer arithmetic over 400-year
 * eras, http://howardhinnant.github.io/date_algorithms.html): a `Date` per bar would cost ten times as much.
 */
function monthOfDay(day: number): number {
  const z = day + 719_468; // days since 0000-03-01
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shifted = Math.floor((5 * dayOfYear + 2) / 153); // 0 = March … 11 = February
  return shifted < 10 ? shifted + 3 : shifted - 9;
}

/** Month of each epoch-ms timestamp in UTC, January = 1 … December = 12 (pandas' `dt.month`). */
export function month(timestamps: ArrayLike<number>): Float64Array {
  const ms = days(timestamps, 'timestamps');
  const out = new Float64Array(ms.length);
  let lastDay = Number.NaN;
  let lastMonth = 0;
  for (let t = 0; t < ms.length; t++) {
    const day = Math.floor((ms[t] as number) / DAY_MS);
    if (day !== lastDay) {
      lastDay = day;
      lastMonth = monthOfDay(day);
    }
    out[t] = lastMonth;
  }
  return out;
}

/** Quarter of each epoch-ms timestamp in UTC, 1 … 4 (pandas' `dt.quarter`). */
export function quarter(timestamps: ArrayLike<number>): Float64Array {
  const m = month(timestamps);
  for (let t = 0; t < m.length; t++) m[t] = Math.floor(((m[t] as number) - 1) / 3) + 1;
  return m;
}
