import type { z } from 'zod';
import { formatNumber } from '../../core/checks.js';
import { MlcycleError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';

/**
 * What a streaming detector says after one value. Detectors return one of the frozen shared constants
 * `STABLE`, `WARNING` or `DRIFT` (internal shared constants), so an update allocates nothing; do not rely on object identity
 * beyond that, compare the fields.
 */
export interface DetectorState {
  /** Whether this value completed a change: the detector has flagged a drift and will start afresh. */
  readonly drift: boolean;
  /** Whether the stream is in the warning zone (only DDM and EDDM warn; the others always say `false`). */
  readonly warning: boolean;
}

/** The state after a value that raised neither a warning nor a drift. */
export const STABLE: DetectorState = Object.freeze({ drift: false, warning: false });
/** The state after a value that put the stream in the warning zone. */
export const WARNING: DetectorState = Object.freeze({ drift: false, warning: true });
/** The state after a value at which a drift was flagged. */
export const DRIFT: DetectorState = Object.freeze({ drift: true, warning: false });

/**
 * A detector that reads a stream one value at a time and flags changes in its distribution (River's
 * `base.DriftDetector` contract). As in River, the update after a flagged drift starts the detector afresh (the
 * statistics are cleared before that value is read), so a detector can run unattended over a whole stream.
 */
export interface StreamingDetector {
  /**
   * Reads one value. Throws `INVALID_ARGUMENT` for NaN or ±Infinity (and, for the binary detectors, for anything
   * but 0 and 1) and then leaves the detector as it was.
   */
  update(x: number): DetectorState;
  /** Forgets everything seen so far (including {@link StreamingDetector.updates}); the options stay. */
  reset(): void;
  /** Whether the last update flagged a drift. */
  readonly drift: boolean;
  /** Whether the last update left the stream in the warning zone. */
  readonly warning: boolean;
  /** How many values were read since construction or the last {@link StreamingDetector.reset} (drifts do not clear it). */
  readonly updates: number;
  /** A plain-JSON snapshot of the whole state, options included; the class's static `fromJSON` restores it. */
  toJSON(): object;
}

/** The state constant for a (drift, warning) pair. */
export function stateOf(drift: boolean, warning: boolean): DetectorState {
  return drift ? DRIFT : warning ? WARNING : STABLE;
}

/**
 * Throws `INVALID_ARGUMENT` unless `x` is a finite number.
 *
 * @internal shared with the streaming detectors; not part of the public surface.
 */
export function assertFiniteValue(x: number, detector: string): void {
  // `x - x` is 0 for finite numbers and NaN for NaN and ±Infinity: one subtraction on the hot path.
  if (x - x !== 0) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `${detector}.update needs a finite number, received ${formatNumber(x)}`,
    );
  }
}

/**
 * Throws `INVALID_ARGUMENT` unless `x` is 0 (success) or 1 (error).
 *
 * @internal shared with the streaming detectors; not part of the public surface.
 */
export function assertBinaryValue(x: number, detector: string): void {
  if (x !== 0 && x !== 1) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `${detector}.update needs 0 (correct) or 1 (error), received ${formatNumber(x)}`,
    );
  }
}

/**
 * Validates a snapshot given to a `fromJSON` against its schema, with the same message shape as options.
 *
 * @internal shared with the streaming detectors; not part of the public surface.
 */
export function parseSnapshot<S extends z.ZodType>(
  schema: S,
  snapshot: unknown,
  detector: string,
): z.output<S> {
  return parseOptions(schema, snapshot, `${detector} snapshot`);
}
