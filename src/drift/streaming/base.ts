import { z } from 'zod';

/**
 * The snapshot fields every detector writes after `kind` and `options`, as zod shapes to spread into its schema.
 *
 * @internal shared with the streaming detectors; not part of the public surface.
 */
export const progressShape = {
  updates: z.number().int().min(0),
  drift: z.boolean(),
};

/**
 * What every streaming detector keeps besides its own statistics: the update count and the last flags, with the
 * getters of `StreamingDetector`, `reset`, and the start-afresh-after-a-drift rule of River's
 * `base.DriftDetector`. A detector supplies `restart` (clear its own statistics) and an `update` that validates the
 * value, runs `if (this.lastDrift) this.startAfresh(); this.seen++;`, its own algorithm (setting `lastDrift` and, if
 * it warns, `lastWarning`), and returns the state constant for the flags.
 *
 * That prologue and epilogue stay in each `update` on purpose: a helper method here would be one function shared by
 * six classes, so V8 would see six object shapes at its property accesses (megamorphic) and the cheap detectors
 * would lose up to 40% of their speed once several kinds run in one process. The getters, `reset` and the snapshot
 * plumbing are off the hot path and live here.
 *
 * @internal shared with the streaming detectors; not part of the public surface.
 */
export abstract class DetectorBase {
  /** Values read since construction or the last reset. @internal */
  protected seen = 0;
  /** Whether the last update flagged a drift. @internal */
  protected lastDrift = false;
  /** Whether the last update left the stream in the warning zone (only DDM and EDDM ever set it). @internal */
  protected lastWarning = false;

  /** Whether the last update flagged a drift. */
  get drift(): boolean {
    return this.lastDrift;
  }

  /** Whether the last update left the stream in the warning zone (always `false` for the detectors that never warn). */
  get warning(): boolean {
    return this.lastWarning;
  }

  /** Values read since construction or the last `reset` (drifts do not clear it). */
  get updates(): number {
    return this.seen;
  }

  /** Forgets everything seen so far, including the update count; the options stay. */
  reset(): void {
    this.startAfresh();
    this.seen = 0;
  }

  /** Clears the detector's own statistics (not the update count or the flags): after a drift, and on reset. @internal */
  protected abstract restart(): void;

  /**
   * Clears the statistics and the flags so that this update starts afresh; `update` calls it when the last update
   * drifted (a cold path: once per drift). @internal
   */
  protected startAfresh(): void {
    this.restart();
    this.lastDrift = false;
    this.lastWarning = false;
  }

  /** The `updates` and `drift` fields of a snapshot, in snapshot order. @internal */
  protected progress(): { updates: number; drift: boolean } {
    return { updates: this.seen, drift: this.lastDrift };
  }

  /** Takes the count and flags back from a validated snapshot (`warning` only for the detectors that warn). @internal */
  protected restoreProgress(snapshot: { updates: number; drift: boolean; warning?: boolean }): void {
    this.seen = snapshot.updates;
    this.lastDrift = snapshot.drift;
    this.lastWarning = snapshot.warning ?? false;
  }
}
