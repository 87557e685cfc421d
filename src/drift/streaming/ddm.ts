import { z } from 'zod';
import { parseOptions } from '../../core/options.js';
import { DetectorBase, progressShape } from './base.js';
import {
  assertBinaryValue,
  type DetectorState,
  parseSnapshot,
  type StreamingDetector,
  stateOf,
} from './types.js';

/** Options of {@link DDM}. */
export interface DdmOptions {
  /** Values read (since the last start) before a warning or drift can be raised. @defaultValue 30 */
  warmStart?: number;
  /** Warning when p + s exceeds p_min + `warningThreshold`·s_min (≈ 95% confidence). @defaultValue 2 */
  warningThreshold?: number;
  /** Drift when p + s exceeds p_min + `driftThreshold`·s_min (≈ 99% confidence). @defaultValue 3 */
  driftThreshold?: number;
}

const optionsSchema = z
  .strictObject({
    warmStart: z.number().int().min(0).default(30),
    warningThreshold: z.number().gt(0).default(2),
    driftThreshold: z.number().gt(0).default(3),
  })
  .refine((o) => o.warningThreshold <= o.driftThreshold, {
    message: 'warningThreshold must not exceed driftThreshold',
    path: ['warningThreshold'],
  });

/** The plain-JSON state of a {@link DDM}, from {@link DDM.toJSON}. */
export interface DdmSnapshot {
  /** Always `'DDM'`. */
  kind: 'DDM';
  /** The options, defaults filled in. */
  options: Required<DdmOptions>;
  /** Values read since construction or reset. */
  updates: number;
  /** Whether the last update flagged a drift. */
  drift: boolean;
  /** Whether the last update left the stream in the warning zone. */
  warning: boolean;
  /** Values read since the detector last started afresh. */
  count: number;
  /** The error rate p over those values. */
  errorRate: number;
  /** p at the minimum of p + s (`null` until the warm start is over). */
  pMin: number | null;
  /** s at the minimum of p + s (`null` until the warm start is over). */
  sMin: number | null;
}

const snapshotSchema = z.strictObject({
  kind: z.literal('DDM'),
  options: z.strictObject({
    warmStart: z.number().int().min(0),
    warningThreshold: z.number().gt(0),
    driftThreshold: z.number().gt(0),
  }),
  ...progressShape,
  warning: z.boolean(),
  count: z.number().int().min(0),
  errorRate: z.number().min(0).max(1),
  pMin: z.number().nullable(),
  sMin: z.number().nullable(),
});

/**
 * DDM, the Drift Detection Method (Gama, Medas, Castillo and Rodrigues 2004), as River's `drift.binary.DDM`. It reads
 * a stream of error indicators (1 = the model was wrong, 0 = right) and tracks the error rate p and its binomial
 * standard deviation s = √(p(1 − p)/n). After `warmStart` values it remembers p_min and s_min where p + s was
 * smallest (ties move the minimum, as River's `<=`), and then:
 *
 * - warning when p + s > p_min + `warningThreshold`·s_min;
 * - drift when p + s > p_min + `driftThreshold`·s_min (the warning is then cleared, and the next update starts
 *   afresh).
 *
 * @example
 * ```ts
 * import { DDM } from 'mlcycle';
 *
 * const ddm = new DDM();
 * const state = ddm.update(prediction === actual ? 0 : 1);
 * if (state.warning) startCollectingRetrainingData();
 * if (state.drift) retrain();
 * ```
 */
export class DDM extends DetectorBase implements StreamingDetector {
  private readonly options: Required<DdmOptions>;
  private count = 0;
  private errorRate = 0;
  private pMin = Number.NaN;
  private sMin = Number.NaN;
  private psMin = Number.POSITIVE_INFINITY;

  /** @param options - see {@link DdmOptions}; validated once, here. */
  constructor(options: DdmOptions = {}) {
    super();
    this.options = parseOptions(optionsSchema, options, 'DDM options');
  }

  /** The error rate since the detector last started afresh. */
  get errorRateEstimate(): number {
    return this.errorRate;
  }

  /** Reads one error indicator (1 = error, 0 = correct); see the class description. */
  update(x: number): DetectorState {
    assertBinaryValue(x, 'DDM');
    if (this.lastDrift) this.startAfresh();
    this.seen++;
    this.count++;
    // River's stats.Mean rounding.
    this.errorRate += (1 / this.count) * (x - this.errorRate);
    const p = this.errorRate;
    const s = Math.sqrt((p * (1 - p)) / this.count);
    if (this.count > this.options.warmStart) {
      if (p + s <= this.psMin) {
        this.pMin = p;
        this.sMin = s;
        this.psMin = p + s;
      }
      this.lastWarning = p + s > this.pMin + this.options.warningThreshold * this.sMin;
      if (p + s > this.pMin + this.options.driftThreshold * this.sMin) {
        this.lastDrift = true;
        this.lastWarning = false;
      }
    }
    return stateOf(this.lastDrift, this.lastWarning);
  }

  /** A plain-JSON snapshot of the whole state; {@link DDM.fromJSON} restores it. */
  toJSON(): DdmSnapshot {
    const started = Number.isFinite(this.psMin);
    return {
      kind: 'DDM',
      options: { ...this.options },
      ...this.progress(),
      warning: this.lastWarning,
      count: this.count,
      errorRate: this.errorRate,
      pMin: started ? this.pMin : null,
      sMin: started ? this.sMin : null,
    };
  }

  /** Restores a detector from {@link DDM.toJSON}'s snapshot; it continues exactly as the original would. */
  static fromJSON(snapshot: DdmSnapshot): DDM {
    const s = parseSnapshot(snapshotSchema, snapshot, 'DDM');
    const ddm = new DDM(s.options);
    ddm.restoreProgress(s);
    ddm.count = s.count;
    ddm.errorRate = s.errorRate;
    if (s.pMin !== null && s.sMin !== null) {
      ddm.pMin = s.pMin;
      ddm.sMin = s.sMin;
      ddm.psMin = s.pMin + s.sMin;
    }
    return ddm;
  }

  protected override restart(): void {
    this.count = 0;
    this.errorRate = 0;
    this.pMin = Number.NaN;
    this.sMin = Number.NaN;
    this.psMin = Number.POSITIVE_INFINITY;
  }
}
