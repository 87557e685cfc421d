/**
 * Cutting a timestamped table into windows for {@link DriftDetector.detectWindows}.
 *
 * @module
 */
import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import type { CellValue, DriftData, Row } from './columns.js';

/** The epoch-ms timestamps of a table's timestamp column, checked non-decreasing. */
export function timestampsOf(data: DriftData, column: string): Float64Array {
  const values: ArrayLike<unknown> | undefined = Array.isArray(data)
    ? (data as readonly Row[]).map((row) => (row as Record<string, unknown> | null)?.[column])
    : (data as Readonly<Record<string, ArrayLike<CellValue>>>)[column];
  if (values === undefined || typeof values !== 'object' || values === null) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `detectWindows: the data have no timestamp column "${column}"`,
    );
  }
  const times = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const ms = v instanceof Date ? v.getTime() : v;
    if (typeof ms !== 'number' || !Number.isFinite(ms)) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `detectWindows: ${column}[${i}] must be epoch milliseconds or a Date, received ${formatNumber(v)}`,
      );
    }
    if (i > 0 && ms < (times[i - 1] as number)) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `detectWindows: ${column} must be in non-decreasing order, but ${column}[${i}] (${ms}) is before ` +
          `${column}[${i - 1}] (${times[i - 1]})`,
      );
    }
    times[i] = ms;
  }
  return times;
}

/** [start, end) row ranges of the windows: by rows (`size`) or by time (`durationMs`), every `step`. */
export function windowBounds(
  times: Float64Array,
  options: { size?: number | undefined; durationMs?: number | undefined; step?: number | undefined },
): [number, number][] {
  const n = times.length;
  const bounds: [number, number][] = [];
  if (options.size !== undefined) {
    const step = Math.max(1, Math.round(options.step ?? options.size));
    for (let start = 0; start < n; start += step) {
      bounds.push([start, Math.min(start + options.size, n)]);
      if (start + options.size >= n) break;
    }
    return bounds;
  }
  const duration = options.durationMs as number;
  const step = options.step ?? duration;
  if (n === 0) return bounds;
  const first = times[0] as number;
  const last = times[n - 1] as number;
  let start = 0;
  let end = 0;
  for (let from = first; from <= last; from += step) {
    while (start < n && (times[start] as number) < from) start++;
    end = Math.max(end, start);
    while (end < n && (times[end] as number) < from + duration) end++;
    if (end > start) bounds.push([start, end]);
  }
  return bounds;
}

/** Rows start..end − 1 of a table, as rows or as column slices. */
export function sliceRows(data: DriftData, start: number, end: number): DriftData {
  if (Array.isArray(data)) return (data as readonly Row[]).slice(start, end);
  const out: Record<string, ArrayLike<CellValue>> = {};
  for (const [name, values] of Object.entries(data as Readonly<Record<string, ArrayLike<CellValue>>>)) {
    out[name] = ArrayBuffer.isView(values)
      ? (values as unknown as Float64Array).subarray(start, end)
      : Array.prototype.slice.call(values, start, end);
  }
  return out;
}
