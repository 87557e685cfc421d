import { z } from 'zod';
import { MlcycleError } from './errors.js';

/**
 * A source of time. Components that stamp, schedule or wait take a `clock` option so that tests can control
 * time instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds; rejects with an `ABORTED` {@link MlcycleError} if `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function abortError(signal: AbortSignal): MlcycleError {
  return new MlcycleError('ABORTED', 'The wait was aborted before it finished', { cause: signal.reason });
}

/** Whether `value` has the shape of a {@link Clock}. */
export function isClock(value: unknown): value is Clock {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Clock).now === 'function' &&
    typeof (value as Clock).sleep === 'function'
  );
}

/** The zod schema for a `clock` option, for use inside options schemas. */
export const clockSchema = z.custom<Clock>(isClock, 'expected a Clock, an object with now() and sleep(ms)');

/** The real clock: `Date.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortError(signal));
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortError(signal as AbortSignal));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};

/**
 * A clock that only moves when told to. `sleep(ms)` resolves at once and advances the clock by `ms`, so code
 * that backs off or waits runs instantly and deterministically under test.
 *
 * @example
 * ```ts
 * import { ManualClock } from 'mlcycle';
 *
 * const clock = new ManualClock(Date.UTC(2024, 0, 1));
 * clock.advance(60_000);
 * clock.now(); // 2024-01-01T00:01:00Z in epoch ms
 * ```
 */
export class ManualClock implements Clock {
  private current: number;

  /** @param start - the initial time in epoch milliseconds. @defaultValue 0 */
  constructor(start = 0) {
    if (!Number.isFinite(start)) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `ManualClock start must be a finite number, received ${start}`,
      );
    }
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  /** Moves the clock forward by `ms` (must be finite and >= 0). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `ManualClock can only advance by a finite ms >= 0, received ${ms}`,
      );
    }
    this.current += ms;
  }

  /** Sets the clock to `time` (epoch ms), which may not be earlier than the current time. */
  set(time: number): void {
    if (!Number.isFinite(time) || time < this.current) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `ManualClock cannot go back in time: current ${this.current}, requested ${time}`,
      );
    }
    this.current = time;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw abortError(signal);
    this.advance(ms);
  }
}
