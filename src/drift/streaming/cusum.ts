import { z } from 'zod';
import { parseOptions } from '../../core/options.js';
import { DetectorBase, progressShape } from './base.js';
import {
  assertFiniteValue,
  type DetectorState,
  DRIFT,
  parseSnapshot,
  STABLE,
  type StreamingDetector,
} from './types.js';

/** Options of {@link CUSUM}. */
export interface CusumOptions {
  /** The in-control mean μ0. @defaultValue the mean of the first `minInstances` values */
  target?: number | undefined;
  /** The in-control standard deviation σ. @defaultValue the sample standard deviation (ddof 1) of the first `minInstances` values */
  std?: number | undefined;
  /** The slack (reference value) k, in units of σ: half the shift to detect quickly. @defaultValue 0.5 */
  k?: number;
  /** The decision interval h, in units of σ. @defaultValue 5 */
  h?: number;
  /** Values used to estimate `target` and/or `std` when they are not given (they are not scored). @defaultValue 30 */
  minInstances?: number;
}

const optionsShape = {
  target: z.number().optional(),
  std: z.number().gt(0).optional(),
  k: z.number().min(0),
  h: z.number().gt(0),
  minInstances: z.number().int().min(2),
};

const optionsSchema = z.strictObject({
  ...optionsShape,
  k: optionsShape.k.default(0.5),
  h: optionsShape.h.default(5),
  minInstances: optionsShape.minInstances.default(30),
});

/** The plain-JSON state of a {@link CUSUM}, from {@link CUSUM.toJSON}. */
export interface CusumSnapshot {
  /** Always `'CUSUM'`. */
  kind: 'CUSUM';
  /** The options, defaults filled in (`target`/`std` only when given). */
  options: CusumOptions;
  /** Values read since construction or reset. */
  updates: number;
  /** Whether the last update flagged a drift. */
  drift: boolean;
  /** Calibration values read since the detector last started afresh. */
  calibrated: number;
  /** Running mean of the calibration values. */
  calibrationMean: number;
  /** Sum of squared deviations of the calibration values (Welford's M2). */
  calibrationM2: number;
  /** The upper cumulative sum C⁺ (in σ units). */
  upper: number;
  /** The lower cumulative sum C⁻ (in σ units). */
  lower: number;
}

const snapshotSchema = z.strictObject({
  kind: z.literal('CUSUM'),
  options: z.strictObject(optionsShape),
  ...progressShape,
  calibrated: z.number().int().min(0),
  calibrationMean: z.number(),
  calibrationM2: z.number().min(0),
  upper: z.number().min(0),
  lower: z.number().min(0),
});

/**
 * Two-sided tabular CUSUM (Page 1954; Montgomery, *Introduction to Statistical Quality Control*, ch. 9) on the
 * standardised stream z = (x − μ0)/σ:
 *
 * - C⁺ ← max(0, C⁺ + z − k) accumulates evidence that the mean went up;
 * - C⁻ ← max(0, C⁻ − z − k) accumulates evidence that it went down;
 * - a drift is flagged when C⁺ > h or C⁻ > h (both start at 0).
 *
 * With the textbook k = 0.5 and h = 5 (σ units) the in-control average run length is about 465 values and a shift
 * of one σ is caught after about 10 (Montgomery's ARL table for the tabular CUSUM). When `target` or `std` is not given, the first
 * `minInstances` values estimate it (mean; sample standard deviation) and are not scored; a calibration with zero
 * spread makes any later departure from the target a drift. After a drift the next update starts afresh
 * (re-estimating what was estimated).
 *
 * @example
 * ```ts
 * import { CUSUM } from 'mlcycle';
 *
 * const cusum = new CUSUM({ k: 0.5, h: 5 });   // μ0 and σ from the first 30 values
 * for (const [i, error] of errors.entries()) if (cusum.update(error).drift) console.log(`mean shifted at ${i}`);
 * ```
 */
export class CUSUM extends DetectorBase implements StreamingDetector {
  private readonly options: CusumOptions & Required<Pick<CusumOptions, 'k' | 'h' | 'minInstances'>>;
  private readonly needsCalibration: boolean;
  private calibrated = 0;
  private calibrationMean = 0;
  private calibrationM2 = 0;
  private mu = 0;
  private sigma = 1;
  private upperSum = 0;
  private lowerSum = 0;

  /** @param options - see {@link CusumOptions}; validated once, here. */
  constructor(options: CusumOptions = {}) {
    super();
    this.options = parseOptions(optionsSchema, options, 'CUSUM options');
    this.needsCalibration = this.options.target === undefined || this.options.std === undefined;
    this.settle();
  }

  /** The upper cumulative sum C⁺ (σ units). */
  get upper(): number {
    return this.upperSum;
  }

  /** The lower cumulative sum C⁻ (σ units). */
  get lower(): number {
    return this.lowerSum;
  }

  /** Reads one value; see the class description. */
  update(x: number): DetectorState {
    assertFiniteValue(x, 'CUSUM');
    if (this.lastDrift) this.startAfresh();
    this.seen++;
    if (this.needsCalibration && this.calibrated < this.options.minInstances) {
      this.calibrated++;
      const before = this.calibrationMean;
      this.calibrationMean += (x - before) / this.calibrated;
      this.calibrationM2 += (x - before) * (x - this.calibrationMean);
      if (this.calibrated === this.options.minInstances) this.settle();
      return STABLE;
    }
    const deviation = x - this.mu;
    // σ = 0 (a constant calibration): any departure counts as the largest finite number of σ (JSON-safe).
    const z =
      this.sigma > 0 ? deviation / this.sigma : deviation === 0 ? 0 : Math.sign(deviation) * Number.MAX_VALUE;
    const { k, h } = this.options;
    this.upperSum = Math.max(0, this.upperSum + z - k);
    this.lowerSum = Math.max(0, this.lowerSum - z - k);
    this.lastDrift = this.upperSum > h || this.lowerSum > h;
    return this.lastDrift ? DRIFT : STABLE;
  }

  /** A plain-JSON snapshot of the whole state; {@link CUSUM.fromJSON} restores it. */
  toJSON(): CusumSnapshot {
    return {
      kind: 'CUSUM',
      options: { ...this.options },
      ...this.progress(),
      calibrated: this.calibrated,
      calibrationMean: this.calibrationMean,
      calibrationM2: this.calibrationM2,
      upper: this.upperSum,
      lower: this.lowerSum,
    };
  }

  /** Restores a detector from {@link CUSUM.toJSON}'s snapshot; it continues exactly as the original would. */
  static fromJSON(snapshot: CusumSnapshot): CUSUM {
    const s = parseSnapshot(snapshotSchema, snapshot, 'CUSUM');
    const cusum = new CUSUM(s.options);
    cusum.restoreProgress(s);
    cusum.calibrated = s.calibrated;
    cusum.calibrationMean = s.calibrationMean;
    cusum.calibrationM2 = s.calibrationM2;
    cusum.settle();
    cusum.upperSum = s.upper;
    cusum.lowerSum = s.lower;
    return cusum;
  }

  /** Fixes μ0 and σ from the options or, where not given, from the calibration values. */
  private settle(): void {
    const n = this.calibrated;
    this.mu = this.options.target ?? this.calibrationMean;
    this.sigma = this.options.std ?? (n > 1 ? Math.sqrt(this.calibrationM2 / (n - 1)) : 1);
  }

  protected override restart(): void {
    this.calibrated = 0;
    this.calibrationMean = 0;
    this.calibrationM2 = 0;
    this.upperSum = 0;
    this.lowerSum = 0;
    this.settle();
  }
}
