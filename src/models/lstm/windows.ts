import { MlcycleError } from '../../core/errors.js';
import { type CheckedRows, checkRows, type FeatureRows } from '../model.js';

/** Input sequences cut from a feature matrix, as a recurrent network reads them. */
export interface SequenceWindows {
  /**
   * The windows, row-major `[count, lookback, features]` in 32-bit floats (TensorFlow.js's precision): window `w`,
   * step `s`, feature `j` is at `(w * lookback + s) * features + j`, and step `lookback − 1` is the window's last row.
   */
  values: Float32Array;
  /** How many windows there are: `max(0, rows − lookback + 1)`. */
  count: number;
  /** Rows per window. */
  lookback: number;
  /** Features per row. */
  features: number;
  /** The row each window ends at, which is the row its prediction belongs to; ascending. */
  endRows: Int32Array;
}

/**
 * Copies the windows ending at `endRows` (in that order) out of row-major `data` with `cols` features per row.
 *
 * @internal shared with the LSTM's files; not part of the public surface.
 */
export function cutWindows(
  data: Float64Array,
  cols: number,
  lookback: number,
  endRows: ArrayLike<number>,
): Float32Array {
  const size = lookback * cols;
  const out = new Float32Array(endRows.length * size);
  for (let w = 0; w < endRows.length; w++) {
    const first = (endRows[w] as number) - lookback + 1;
    // A window is one contiguous stretch of the row-major matrix: rows first … end.
    out.set(data.subarray(first * cols, first * cols + size), w * size);
  }
  return out;
}

/**
 * The rows windows of `lookback` can end at: every row from `lookback − 1` on.
 *
 * @internal shared with the LSTM's files; not part of the public surface.
 */
export function windowEnds(rows: number, lookback: number): Int32Array {
  const count = Math.max(0, rows - lookback + 1);
  return Int32Array.from({ length: count }, (_, w) => w + lookback - 1);
}

/** Throws unless `lookback` is a positive integer. */
function checkLookback(lookback: unknown, who: string): asserts lookback is number {
  if (typeof lookback !== 'number' || !Number.isInteger(lookback) || lookback < 1) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `${who}: lookback must be a positive integer, received ${String(lookback)}`,
    );
  }
}

/**
 * Cuts a feature matrix into the overlapping sequences an LSTM reads: the window for row t holds rows
 * t − lookback + 1 … t, so it uses nothing after t. Rows before the first full window (the first `lookback − 1`)
 * get no window; a matrix shorter than `lookback` gives none.
 *
 * @param X - one array of features per time step, oldest first.
 * @example
 * ```ts
 * import { sequenceWindows } from 'mlcycle/models/lstm';
 *
 * const { values, count, endRows } = sequenceWindows([[1], [2], [3], [4]], 3);
 * // count 2, endRows [2, 3], values [1, 2, 3, 2, 3, 4]
 * ```
 */
export function sequenceWindows(X: FeatureRows, lookback: number): SequenceWindows {
  checkLookback(lookback, 'sequenceWindows');
  const rows: CheckedRows = checkRows(X, 'sequenceWindows');
  const endRows = windowEnds(rows.rows, lookback);
  return {
    values: cutWindows(rows.data, rows.cols, lookback, endRows),
    count: endRows.length,
    lookback,
    features: rows.cols,
    endRows,
  };
}

/** Per-feature centre and scale. */
export interface Scaler {
  /** Subtracted from each feature. */
  mean: number[];
  /** Divides each centred feature; 1 for a constant feature. */
  scale: number[];
}

/**
 * The mean and (population) standard deviation of each feature over the first `rows` rows of `data`; a feature
 * constant there keeps scale 1 so that it is centred but not blown up.
 *
 * @internal shared with the LSTM's files; not part of the public surface.
 */
export function fitScaler(data: Float64Array, cols: number, rows: number): Scaler {
  const mean: number[] = [];
  const scale: number[] = [];
  for (let j = 0; j < cols; j++) {
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += data[i * cols + j] as number;
    const m = sum / rows;
    let squares = 0;
    for (let i = 0; i < rows; i++) squares += ((data[i * cols + j] as number) - m) ** 2;
    const sd = Math.sqrt(squares / rows);
    mean.push(m);
    scale.push(sd > 0 && Number.isFinite(sd) ? sd : 1);
  }
  return { mean, scale };
}

/**
 * `(x − mean) / scale` for every feature of every row, as a new array.
 *
 * @internal shared with the LSTM's files; not part of the public surface.
 */
export function applyScaler(data: Float64Array, cols: number, scaler: Scaler): Float64Array {
  const out = new Float64Array(data.length);
  for (let k = 0; k < data.length; k++) {
    const j = k % cols;
    out[k] = ((data[k] as number) - (scaler.mean[j] as number)) / (scaler.scale[j] as number);
  }
  return out;
}
