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

/** Which direction of change {@link PageHinkley} watches. */
export type PageHinkleyMode = 'up' | 'down' | 'both';

/** Options of {@link PageHinkley}. */
export interface PageHinkleyOptions {
  /** Values read (since the last start) before a drift can be flagged. @defaultValue 30 */
  minInstances?: number;
  /** Magnitude of change tolerated: subtracted from (added to) each deviation of the increase (decrease) sum. @defaultValue 0.005 */
  delta?: number;
  /** The detection threshold λ on the cumulative statistic. @defaultValue 50 */
  threshold?: number;
  /** Forgetting factor applied to the cumulative sums before each new deviation. @defaultValue 0.9999 */
  alpha?: number;
  /** Watch increases of the mean (`'up'`), decreases (`'down'`) or both. @defaultValue 'both' */
  mode?: PageHinkleyMode;
}

const optionsSchema = z.strictObject({
  minInstances: z.number().int().min(1).default(30),
  delta: z.number().min(0).default(0.005),
  threshold: z.number().gt(0).default(50),
  alpha: z
    .number()
    .gt(0)
    .max(1)
    .default(1 - 0.0001),
  mode: z.enum(['up', 'down', 'both']).default('both'),
});

/** The plain-JSON state of a {@link PageHinkley}, from {@link PageHinkley.toJSON}. */
export interface PageHinkleySnapshot {
  /** Always `'PageHinkley'`. */
  kind: 'PageHinkley';
  /** The options, defaults filled in. */
  options: Required<PageHinkleyOptions>;
  /** Values read since construction or reset. */
  updates: number;
  /** Whether the last update flagged a drift. */
  drift: boolean;
  /** Values in the running mean (since the last start). */
  count: number;
  /** The running mean. */
  mean: number;
  /** The faded cumulative sum of deviations minus delta. */
  sumIncrease: number;
  /** The faded cumulative sum of deviations plus delta. */
  sumDecrease: number;
  /** The smallest `sumIncrease` so far (`null` before the first value: +∞). */
  minIncrease: number | null;
  /** The largest `sumDecrease` so far (starts at −1, as in River). */
  maxDecrease: number;
}

const snapshotSchema = z.strictObject({
  kind: z.literal('PageHinkley'),
  options: optionsSchema.required(),
  ...progressShape,
  count: z.number().int().min(0),
  mean: z.number(),
  sumIncrease: z.number(),
  sumDecrease: z.number(),
  minIncrease: z.number().nullable(),
  maxDecrease: z.number(),
});

/**
 * The Page-Hinkley test (Page 1954), as River's `drift.PageHinkley` (≥ 0.15, two-sided). For each value x the
 * running mean x̄ is updated first, then with d = x − x̄:
 *
 * - S⁺ ← α·S⁺ + d − δ and m⁺ = min(m⁺, S⁺): an increase of the mean shows as S⁺ − m⁺ > λ;
 * - S⁻ ← α·S⁻ + d + δ and M⁻ = max(M⁻, S⁻) (M⁻ starts at −1, as River's): a decrease shows as M⁻ − S⁻ > λ.
 *
 * Once `minInstances` values have been read, a drift is flagged when the watched statistic(s) exceed λ
 * (`threshold`); the next update then starts afresh. A few float operations a value, no allocation.
 *
 * @example
 * ```ts
 * import { PageHinkley } from 'mlcycle';
 *
 * const ph = new PageHinkley({ threshold: 50, mode: 'up' });
 * for (const [i, loss] of losses.entries()) if (ph.update(loss).drift) console.log(`loss went up at ${i}`);
 * ```
 */
export class PageHinkley extends DetectorBase implements StreamingDetector {
  private readonly options: Required<PageHinkleyOptions>;
  // The options again as plain fields: the hot path reads them without going through the options object.
  private readonly alpha: number;
  private readonly delta: number;
  private readonly threshold: number;
  private readonly minInstances: number;
  private readonly watchUp: boolean;
  private readonly watchDown: boolean;
  private count = 0;
  private mean = 0;
  private sumIncrease = 0;
  private sumDecrease = 0;
  private minIncrease = Number.POSITIVE_INFINITY;
  private maxDecrease = -1;

  /** @param options - see {@link PageHinkleyOptions}; validated once, here. */
  constructor(options: PageHinkleyOptions = {}) {
    super();
    this.options = parseOptions(optionsSchema, options, 'PageHinkley options');
    this.alpha = this.options.alpha;
    this.delta = this.options.delta;
    this.threshold = this.options.threshold;
    this.minInstances = this.options.minInstances;
    this.watchUp = this.options.mode !== 'down';
    this.watchDown = this.options.mode !== 'up';
  }

  /** The running mean of the values read since the detector last started afresh. */
  get estimation(): number {
    return this.mean;
  }

  /** Reads one value; see the class description. */
  update(x: number): DetectorState {
    assertFiniteValue(x, 'PageHinkley');
    if (this.lastDrift) this.startAfresh();
    this.seen++;
    this.count++;
    // River's stats.Mean: mean += (w / n) · (x − mean), same rounding.
    this.mean += (1 / this.count) * (x - this.mean);
    const deviation = x - this.mean;
    const increase = this.alpha * this.sumIncrease + deviation - this.delta;
    const decrease = this.alpha * this.sumDecrease + deviation + this.delta;
    this.sumIncrease = increase;
    this.sumDecrease = decrease;
    if (increase < this.minIncrease) this.minIncrease = increase;
    if (decrease > this.maxDecrease) this.maxDecrease = decrease;
    if (this.count >= this.minInstances) {
      this.lastDrift =
        (this.watchUp && increase - this.minIncrease > this.threshold) ||
        (this.watchDown && this.maxDecrease - decrease > this.threshold);
    }
    return this.lastDrift ? DRIFT : STABLE;
  }

  /** A plain-JSON snapshot of the whole state; {@link PageHinkley.fromJSON} restores it. */
  toJSON(): PageHinkleySnapshot {
    return {
      kind: 'PageHinkley',
      options: { ...this.options },
      ...this.progress(),
      count: this.count,
      mean: this.mean,
      sumIncrease: this.sumIncrease,
      sumDecrease: this.sumDecrease,
      minIncrease: Number.isFinite(this.minIncrease) ? this.minIncrease : null,
      maxDecrease: this.maxDecrease,
    };
  }

  /** Restores a detector from {@link PageHinkley.toJSON}'s snapshot; it continues exactly as the original would. */
  static fromJSON(snapshot: PageHinkleySnapshot): PageHinkley {
    const s = parseSnapshot(snapshotSchema, snapshot, 'PageHinkley');
    const ph = new PageHinkley(s.options);
    ph.restoreProgress(s);
    ph.count = s.count;
    ph.mean = s.mean;
    ph.sumIncrease = s.sumIncrease;
    ph.sumDecrease = s.sumDecrease;
    ph.minIncrease = s.minIncrease ?? Number.POSITIVE_INFINITY;
    ph.maxDecrease = s.maxDecrease;
    return ph;
  }

  protected override restart(): void {
    this.count = 0;
    this.mean = 0;
    this.sumIncrease = 0;
    this.sumDecrease = 0;
    this.minIncrease = Number.POSITIVE_INFINITY;
    this.maxDecrease = -1;
  }
}
