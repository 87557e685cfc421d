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
