import { MlcycleError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';
import { type AdwinOptions, type AdwinSnapshot, optionsSchema, snapshotSchema } from './adwin-schema.js';
import { DetectorBase } from './base.js';
import {
  assertFiniteValue,
  type DetectorState,
  DRIFT,
  parseSnapshot,
  STABLE,
  type StreamingDetector,
} from './types.js';

export type { AdwinOptions, AdwinSnapshot } from './adwin-schema.js';

/** Rows of buckets: row r holds buckets of 2^r values; 64 rows cover any window a double can count. */
const MAX_ROWS = 64;

/**
 * ADWIN, adaptive windowing (Bifet and Gavaldà 2007), as River's `drift.ADWIN` (≥ 0.21, with `clock`,
 * `max_buckets`, `min_window_length` and `grace_period`). The window is summarised by an exponential histogram:
 * row r holds up to `maxBuckets` buckets of 2^r values (sum and sum of squared deviations each); when a row
 * overflows, its two oldest buckets merge into the next row. Every `clock` values (once the window holds more than
 * `gracePeriod`), every split of the window into an older part W0 and a newer part W1 at a bucket boundary is tested:
 * with n0, n1 the parts' lengths, m = 1/(n0 − L + 1) + 1/(n1 − L + 1) (L = `minWindowLength`), σ² the window's
 * variance and δ' = ln(2 ln(width) / δ), a cut is made when |mean(W0) − mean(W1)| > √(2 m σ² δ') + (2/3) δ' m. On a
 * cut the oldest bucket is dropped and the splits are tested again, until none cuts. A drift is flagged when the
 * window was cut; as in River, the next update then starts from an empty window.
 *
 * River's split scan is followed exactly, including its quirk of not testing the split before the newest bucket of
 * each row, so detection indices agree with River's documented ones (e.g. index 1023 on its docstring stream).
 * Buckets live in two preallocated `Float64Array`s: an update allocates nothing.
 *
 * @example
 * ```ts
 * import { ADWIN } from 'mlcycle';
 *
 * const adwin = new ADWIN({ delta: 0.002 });
 * for (const [i, x] of stream.entries()) {
 *   if (adwin.update(x).drift) console.log(`change at ${i}, window now ${adwin.width} values`);
 * }
 * ```
 */
export class ADWIN extends DetectorBase implements StreamingDetector {
  private readonly options: Required<AdwinOptions>;
  private readonly stride: number;
  private readonly totals: Float64Array;
  private readonly variances: Float64Array;
  private readonly counts = new Int32Array(MAX_ROWS);
  private rowCount = 1;
  private tick = 0;
  private windowWidth = 0;
  private windowTotal = 0;
  private windowVariance = 0;
  private detections = 0;

  /** @param options - see {@link AdwinOptions}; validated once, here. */
  constructor(options: AdwinOptions = {}) {
    super();
    this.options = parseOptions(optionsSchema, options, 'ADWIN options');
    // One spare slot per row: a row briefly holds maxBuckets + 1 buckets before it is compressed.
    this.stride = this.options.maxBuckets + 1;
    this.totals = new Float64Array(MAX_ROWS * this.stride);
    this.variances = new Float64Array(MAX_ROWS * this.stride);
  }

  /** Number of values in the current window. */
  get width(): number {
    return this.windowWidth;
  }

  /** Mean of the current window (0 when it is empty), River's `estimation`. */
  get estimation(): number {
    return this.windowWidth === 0 ? 0 : this.windowTotal / this.windowWidth;
  }

  /** Sum of squared deviations from the window's mean (River's `variance`; divide by {@link ADWIN.width} for σ²). */
  get variance(): number {
    return this.windowVariance;
  }

  /** Sum of the values in the current window. */
  get total(): number {
    return this.windowTotal;
  }

  /** Drifts flagged since the detector last started afresh (River's `n_detections`). */
  get nDetections(): number {
    return this.detections;
  }

  /** Reads one value; see the class description. */
  update(x: number): DetectorState {
    assertFiniteValue(x, 'ADWIN');
    if (this.lastDrift) this.startAfresh();
    this.seen++;
    this.insert(x);
    this.tick++;
    this.lastDrift =
      this.tick % this.options.clock === 0 && this.windowWidth > this.options.gracePeriod && this.shrink();
    return this.lastDrift ? DRIFT : STABLE;
  }

  /** A plain-JSON snapshot of the whole state; {@link ADWIN.fromJSON} restores it. */
  toJSON(): AdwinSnapshot {
    const rows: [number, number][][] = [];
    for (let r = 0; r < this.rowCount; r++) {
      const row: [number, number][] = [];
      for (let k = 0; k < (this.counts[r] as number); k++) {
        const slot = r * this.stride + k;
        row.push([this.totals[slot] as number, this.variances[slot] as number]);
      }
      rows.push(row);
    }
    return {
      kind: 'ADWIN',
      options: { ...this.options },
      ...this.progress(),
      tick: this.tick,
      width: this.windowWidth,
      total: this.windowTotal,
      variance: this.windowVariance,
      detections: this.detections,
      rows,
    };
  }

  /** Restores a detector from {@link ADWIN.toJSON}'s snapshot; it continues exactly as the original would. */
  static fromJSON(snapshot: AdwinSnapshot): ADWIN {
    const s = parseSnapshot(snapshotSchema, snapshot, 'ADWIN');
    const adwin = new ADWIN(s.options);
    if (s.rows.length === 0 || s.rows.some((row) => row.length > s.options.maxBuckets)) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `Invalid ADWIN snapshot: rows must be 1 to 64 rows of at most maxBuckets (${s.options.maxBuckets}) buckets each`,
      );
    }
    adwin.rowCount = s.rows.length;
    s.rows.forEach((row, r) => {
      adwin.counts[r] = row.length;
      row.forEach(([total, variance], k) => {
        adwin.totals[r * adwin.stride + k] = total;
        adwin.variances[r * adwin.stride + k] = variance;
      });
    });
    adwin.restoreProgress(s);
    adwin.tick = s.tick;
    adwin.windowWidth = s.width;
    adwin.windowTotal = s.total;
    adwin.windowVariance = s.variance;
    adwin.detections = s.detections;
    return adwin;
  }

  // Empties the window (the bucket rows and sums), the statistics ADWIN starts afresh from.
  protected override restart(): void {
    this.counts.fill(0);
    this.totals.fill(0);
    this.variances.fill(0);
    this.rowCount = 1;
    this.tick = 0;
    this.windowWidth = 0;
    this.windowTotal = 0;
    this.windowVariance = 0;
    this.detections = 0;
  }

  /** Adds a value as a new bucket of size 1, updates the window's sums (Welford), then merges full rows. */
  private insert(x: number): void {
    const k = this.counts[0] as number;
    this.totals[k] = x;
    this.variances[k] = 0;
    this.counts[0] = k + 1;
    this.windowWidth += 1;
    if (this.windowWidth > 1) {
      const d = x - this.windowTotal / (this.windowWidth - 1);
      this.windowVariance += ((this.windowWidth - 1) * d * d) / this.windowWidth;
    }
    this.windowTotal += x;
    this.compress();
  }

  /** While a row holds maxBuckets + 1 buckets, merges its two oldest into one bucket of the next row. */
  private compress(): void {
    const { maxBuckets } = this.options;
    const stride = this.stride;
    for (let r = 0; r < MAX_ROWS - 1 && this.counts[r] === maxBuckets + 1; r++) {
      if (r + 1 === this.rowCount) this.rowCount++;
      const size = 2 ** r;
      const base = r * stride;
      const t0 = this.totals[base] as number;
      const t1 = this.totals[base + 1] as number;
      const d = t0 / size - t1 / size;
      // Chan et al.'s pairwise merge of two equal-sized groups' squared-deviation sums.
      const v =
        (this.variances[base] as number) +
        (this.variances[base + 1] as number) +
        (size * size * d * d) / (2 * size);
      const next = (r + 1) * stride + (this.counts[r + 1] as number);
      this.totals[next] = t0 + t1;
      this.variances[next] = v;
      this.counts[r + 1] = (this.counts[r + 1] as number) + 1;
      this.dropOldest(r, 2);
    }
  }

  /** Removes the `n` oldest buckets of row `r`, shifting the rest down (plain loops: at most maxBuckets + 1 slots). */
  private dropOldest(r: number, n: number): void {
    const base = r * this.stride;
    const count = this.counts[r] as number;
    const totals = this.totals;
    const variances = this.variances;
    for (let i = base; i < base + count - n; i++) {
      totals[i] = totals[i + n] as number;
      variances[i] = variances[i + n] as number;
    }
    for (let i = base + count - n; i < base + count; i++) {
      totals[i] = 0;
      variances[i] = 0;
    }
    this.counts[r] = count - n;
  }

  /** Tests every split (River's scan order) and drops the oldest bucket while one cuts; true when any did. */
  private shrink(): boolean {
    const { delta, minWindowLength } = this.options;
    const stride = this.stride;
    let cut = false;
    let again = true;
    while (again) {
      again = false;
      let n0 = 0;
      let n1 = this.windowWidth;
      let u0 = 0;
      let u1 = this.windowTotal;
      const deltaPrime = Math.log((2 * Math.log(this.windowWidth)) / delta);
      const sigma2 = this.windowVariance / this.windowWidth;
      scan: for (let r = this.rowCount - 1; r >= 0; r--) {
        const size = 2 ** r;
        // River visits all but the newest bucket of each row.
        const last = (this.counts[r] as number) - 1;
        for (let k = 0; k < last; k++) {
          const t = this.totals[r * stride + k] as number;
          n0 += size;
          n1 -= size;
          u0 += t;
          u1 -= t;
          if (n1 < minWindowLength || n0 < minWindowLength) continue;
          const m = 1 / (n0 - minWindowLength + 1) + 1 / (n1 - minWindowLength + 1);
          const epsilon = Math.sqrt(2 * m * sigma2 * deltaPrime) + (2 / 3) * deltaPrime * m;
          if (Math.abs(u0 / n0 - u1 / n1) > epsilon) {
            cut = true;
            again = true;
            if (this.windowWidth > 0) this.deleteOldestBucket();
            break scan;
          }
        }
      }
    }
    if (cut) this.detections++;
    return cut;
  }

  /** Drops the oldest bucket (row rowCount − 1, slot 0) and takes its values out of the window's sums. */
  private deleteOldestBucket(): void {
    const r = this.rowCount - 1;
    const base = r * this.stride;
    const n = 2 ** r;
    const u = this.totals[base] as number;
    const v = this.variances[base] as number;
    this.windowWidth -= n;
    this.windowTotal -= u;
    const d = u / n - this.windowTotal / this.windowWidth;
    this.windowVariance -= v + (n * this.windowWidth * d * d) / (n + this.windowWidth);
    this.dropOldest(r, 1);
    if (this.counts[r] === 0 && this.rowCount > 1) this.rowCount--;
  }
}
