import { expect } from 'vitest';
import { MlcycleError } from '../src/index.js';

/**
 * Awaits `pending`, which must reject with an {@link MlcycleError}, and returns that error. Fails the test if the
 * promise resolves or rejects with anything else.
 */
export async function rejection(pending: Promise<unknown>): Promise<MlcycleError> {
  try {
    await pending;
  } catch (error) {
    if (MlcycleError.is(error)) return error;
    throw error;
  }
  throw new Error('expected the promise to reject with an MlcycleError, but it resolved');
}

/**
 * Runs `fn`, which must throw an {@link MlcycleError}, and returns that error. Fails the test if `fn` returns or
 * throws anything else.
 */
export function thrown(fn: () => unknown): MlcycleError {
  try {
    fn();
  } catch (error) {
    if (MlcycleError.is(error)) return error;
    throw error;
  }
  throw new Error('expected an MlcycleError to be thrown, but nothing was thrown');
}

/** Asserts that `fn` throws an `INVALID_ARGUMENT` {@link MlcycleError} with exactly `message`. */
export function expectInvalid(fn: () => unknown, message: string): void {
  const error = thrown(fn);
  expect(error.code).toBe('INVALID_ARGUMENT');
  expect(error.message).toBe(message);
}
