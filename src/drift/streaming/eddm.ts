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

/** Options of {@link EDDM}. */
export interface EddmOptions {
  /** Values read, and errors seen, (since the last start) before a warning or drift can be raised. @defaultValue 30 */
  warmStart?: number;
  /** Warning when (p' + 2s') / (p'max + 2s'max) falls below `alpha`. @defaultValue 0.95 */
  alpha?: number;
  /** Drift when (p' + 2s') / (p'max + 2s'max) falls below `beta` (at most `alpha`). @defaultValue 0.9 */
  beta?: number;
}

const optionsShape = {
  warmStart: z.number().int().min(0),
  alpha: z.number().gt(0).lt(1),
  beta: z.number().gt(0).lt(1),
};
const betaAtMostAlpha = (o: { alpha: number; beta: number }) => o.beta <= o.alpha;
const betaMessage = { message: 'beta must not exceed alpha', path: ['beta'] };

const optionsSchema = z
  .strictObject({
    warmStart: optionsShape.warmStart.default(30),
    alpha: optionsShape.alpha.default(0.95),
    beta: optionsShape.beta.default(0.9),
  })
  .refine(betaAtMostAlpha, betaMessage);

/** The plain-JSON state of an {@link EDDM}, from {@link EDDM.toJSON}. */
export interface EddmSnapshot {
  /** Always `'EDDM'`. */
  kind: 'EDDM';
  /** The options, defaults filled in. */
  options: Required<EddmOptions>;
  /** Values read since construction or reset. */
  updates: number;
  /** Whether the last update flagged a drift. */
  drift: boolean;
  /** Whether the last update left the stream in the warning zone. */
  warning: boolean;
  /** Values read since the detector last started afresh. */
  count: number;
  /** Errors among them. */
  errors: number;
  /** Position (in `count`) of the last error, 0 before the first. */
  lastError: number;
  /** Mean distance between consecutive errors. */
  distanceMean: number;
  /** Sum of squared deviations of those distances (Welford's M2). */
  distanceM2: number;
  /** The largest p' + 2s' seen (−1 before the first). */
  maxLevel: number;
}

const snapshotSchema = z.strictObject({
  kind: z.literal('EDDM'),
  options: z.strictObject(optionsShape).refine(betaAtMostAlpha, betaMessage),
  ...progressShape,
  warning: z.boolean(),
  count: z.number().int().min(0),
  errors: z.number().int().min(0),
  lastError: z.number().int().min(0),
  distanceMean: z.number(),
  distanceM2: z.number().min(0),
  maxLevel: z.number(),
});

/**
 * EDDM, the Early Drift Detection Method (Baena-García et al. 2006), as River's `drift.binary.EDDM`. It reads error
 * indicators (1 = error, 0 = correct) and watches the distance between consecutive errors: its running mean p' and
 * standard deviation s' (sample, ddof 1). At each error after `warmStart` values, p' + 2s' is compared with its
 * maximum so far: a new maximum is recorded; otherwise, once more than `warmStart` errors have been seen, the ratio
 * (p' + 2s') / max raises a drift below `beta` and a warning below `alpha` (a ratio at or above `alpha` clears
 * the warning). Correct predictions leave the flags as they were, as in River. A drift clears the warning, and the
 * next update starts afresh.
 *
 * @example
 * ```ts
 * import { EDDM } from 'mlcycle';
 *
 * const eddm = new EDDM({ alpha: 0.95, beta: 0.9 });
 * if (eddm.update(prediction === actual ? 0 : 1).drift) retrain();
 * ```
 */
export class EDDM extends DetectorBase implements StreamingDetector {
  private readonly options: Required<EddmOptions>;
  private count = 0;
  private errors = 0;
  private lastError = 0;
  private distanceMean = 0;
  private distanceM2 = 0;
  private maxLevel = -1;

  /** @param options - see {@link EddmOptions}; validated once, here. */
  constructor(options: EddmOptions = {}) {
    super();
    this.options = parseOptions(optionsSchema, options, 'EDDM options');
  }

  /** Reads one error indicator (1 = error, 0 = correct); see the class description. */
  update(x: number): DetectorState {
    assertBinaryValue(x, 'EDDM');
    if (this.lastDrift) this.startAfresh();
    this.seen++;
    this.count++;
    if (x === 1) {
      this.errors++;
      // Welford update of the distance's mean and M2, with River's stats.Var rounding.
      const distance = this.count - this.lastError;
      const before = this.distanceMean;
      this.distanceMean += (1 / this.errors) * (distance - before);
      this.distanceM2 += (distance - before) * (distance - this.distanceMean);
      if (this.count > this.options.warmStart) {
        const sd = this.errors > 1 ? Math.sqrt(this.distanceM2 / (this.errors - 1)) : 0;
        const level = this.distanceMean + 2 * sd;
        if (level > this.maxLevel) {
          this.maxLevel = level;
        } else if (this.errors > this.options.warmStart) {
          const ratio = level / this.maxLevel;
          if (ratio < this.options.beta) {
            this.lastDrift = true;
            this.lastWarning = false;
          } else {
            this.lastWarning = ratio < this.options.alpha;
          }
        }
      }
      this.lastError = this.count;
    }
    return stateOf(this.lastDrift, this.lastWarning);
  }

  /** A plain-JSON snapshot of the whole state; {@link EDDM.fromJSON} restores it. */
  toJSON(): EddmSnapshot {
    return {
      kind: 'EDDM',
      options: { ...this.options },
      ...this.progress(),
      warning: this.lastWarning,
      count: this.count,
      errors: this.errors,
      lastError: this.lastError,
      distanceMean: this.distanceMean,
      distanceM2: this.distanceM2,
      maxLevel: this.maxLevel,
    };
  }

  /** Restores a detector from {@link EDDM.toJSON}'s snapshot; it continues exactly as the original would. */
  static fromJSON(snapshot: EddmSnapshot): EDDM {
    const s = parseSnapshot(snapshotSchema, snapshot, 'EDDM');
    const eddm = new EDDM(s.options);
    eddm.restoreProgress(s);
    eddm.count = s.count;
    eddm.errors = s.errors;
    eddm.lastError = s.lastError;
    eddm.distanceMean = s.distanceMean;
    eddm.distanceM2 = s.distanceM2;
    eddm.maxLevel = s.maxLevel;
    return eddm;
  }

  protected override restart(): void {
    this.count = 0;
    this.errors = 0;
    this.lastError = 0;
    this.distanceMean = 0;
    this.distanceM2 = 0;
    this.maxLevel = -1;
  }
}
