import { z } from 'zod';
import { progressShape } from './base.js';

// ADWIN's options and snapshot, with their schemas: kept apart so that adwin.ts holds only the algorithm.

/** Options of {@link ADWIN}. */
export interface AdwinOptions {
  /**
   * Confidence of the cut test: a cut is made when the two sub-windows' means differ by more than the Hoeffding-style
   * bound ε_cut at this confidence. Smaller values make fewer, later detections.
   * @defaultValue 0.002
   */
  delta?: number;
  /** Check for a change every `clock` values (1 checks after every value). @defaultValue 32 */
  clock?: number;
  /** Buckets of each size kept before the two oldest are merged into one of twice the size. @defaultValue 5 */
  maxBuckets?: number;
  /** The smallest length of each of the two sub-windows compared. @defaultValue 5 */
  minWindowLength?: number;
  /** No change is looked for until the window holds more than this many values. @defaultValue 10 */
  gracePeriod?: number;
}

/**
 * Validates {@link AdwinOptions} and fills in the defaults.
 *
 * @internal shared with adwin.ts; not part of the public surface.
 */
export const optionsSchema = z.strictObject({
  delta: z.number().gt(0).lt(1).default(0.002),
  clock: z.number().int().min(1).default(32),
  maxBuckets: z.number().int().min(1).max(1000).default(5),
  minWindowLength: z.number().int().min(1).default(5),
  gracePeriod: z.number().int().min(0).default(10),
});

/** The plain-JSON state of an {@link ADWIN}, from {@link ADWIN.toJSON}. */
export interface AdwinSnapshot {
  /** Always `'ADWIN'`. */
  kind: 'ADWIN';
  /** The options, defaults filled in. */
  options: Required<AdwinOptions>;
  /** Values read since construction or reset. */
  updates: number;
  /** Whether the last update flagged a drift. */
  drift: boolean;
  /** Values read since the detector last started afresh (the clock's phase). */
  tick: number;
  /** Number of values in the window. */
  width: number;
  /** Sum of the values in the window. */
  total: number;
  /** Sum of squared deviations from the window's mean. */
  variance: number;
  /** Drifts flagged since the detector last started afresh. */
  detections: number;
  /** Bucket rows, newest (size 1) first; each row lists its buckets oldest first as `[total, variance]` pairs. */
  rows: [number, number][][];
}

/**
 * Validates an {@link AdwinSnapshot} given to `ADWIN.fromJSON`.
 *
 * @internal shared with adwin.ts; not part of the public surface.
 */
export const snapshotSchema = z.strictObject({
  kind: z.literal('ADWIN'),
  options: optionsSchema.required(),
  ...progressShape,
  tick: z.number().int().min(0),
  width: z.number().min(0),
  total: z.number(),
  variance: z.number(),
  detections: z.number().int().min(0),
  rows: z.array(z.array(z.tuple([z.number(), z.number()]))).max(64),
});
