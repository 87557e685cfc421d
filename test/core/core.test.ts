import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  assertFiniteArray,
  assertMinLength,
  assertSameLength,
  assertSortedTimestamps,
  ManualClock,
  MlcycleError,
  parseOptions,
  sha256Hex,
  systemClock,
  TypedEmitter,
  toEpochMs,
} from '../../src/index.js';

describe('MlcycleError', () => {
  it('carries a code, details and cause, and serialises to plain JSON', () => {
    const cause = new Error('disk full');
    const error = new MlcycleError('STORAGE', 'write failed', { details: { path: '/x' }, cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('STORAGE');
    expect(error.cause).toBe(cause);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'MlcycleError',
      code: 'STORAGE',
      message: 'write failed',
      details: { path: '/x' },
    });
  });

  it('recognises its own shape and code with MlcycleError.is', () => {
    const error = new MlcycleError('CONFLICT', 'stale');
    expect(MlcycleError.is(error)).toBe(true);
    expect(MlcycleError.is(error, 'CONFLICT')).toBe(true);
    expect(MlcycleError.is(error, 'NOT_FOUND')).toBe(false);
    expect(MlcycleError.is(new Error('x'))).toBe(false);
    expect(MlcycleError.is({ name: 'MlcycleError', code: 'BOGUS' })).toBe(false);
    expect(MlcycleError.is(null)).toBe(false);
  });
});

describe('array checks', () => {
  it('names the first non-finite element', () => {
    expect(() => assertFiniteArray([1, 2, Number.NaN], 'y')).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: y must contain only finite numbers, but y[2] is NaN]`,
    );
    expect(() => assertFiniteArray(new Float64Array([0, Number.POSITIVE_INFINITY]), 'x')).toThrow(
      'x[1] is Infinity',
    );
    expect(() => assertFiniteArray('abc', 'x')).toThrow(
      'x must be an array of finite numbers, received string',
    );
    expect(() => assertFiniteArray([1, '2'], 'x')).toThrow('x[1] is "2"');
    expect(() => assertFiniteArray([1, 2.5, -3], 'x')).not.toThrow();
  });

  it('gives both lengths when lengths differ', () => {
    expect(() => assertSameLength([1, 2], [1], 'yTrue', 'yPred')).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: yTrue and yPred must have the same length, but yTrue has 2 and yPred has 1]`,
    );
  });

  it('says how many values were needed and why', () => {
    expect(() =>
      assertMinLength([1, 2], 3, 'returns', 'to compute a Sharpe ratio'),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: returns needs at least 3 values to compute a Sharpe ratio, received 2]`,
    );
    try {
      assertMinLength([], 1, 'rows');
    } catch (error) {
      expect(MlcycleError.is(error, 'INSUFFICIENT_DATA')).toBe(true);
    }
    expect.assertions(2);
  });

  it('names duplicate and out-of-order timestamps with their dates', () => {
    const day = 86_400_000;
    expect(() => assertSortedTimestamps([0, day, day], 'timestamp')).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: timestamp must be strictly increasing, but timestamp[2] = 86400000 (1970-01-02T00:00:00.000Z) is duplicate after timestamp[1] = 86400000 (1970-01-02T00:00:00.000Z)]`,
    );
    expect(() => assertSortedTimestamps([day, 0], 'ts')).toThrow(
      'ts[1] = 0 (1970-01-01T00:00:00.000Z) is out of order',
    );
    expect(() => assertSortedTimestamps([0, day, day], 'ts', { strict: false })).not.toThrow();
  });

  it('converts Dates and ISO strings to epoch ms and rejects invalid times', () => {
    expect(toEpochMs(new Date('2020-01-02T00:00:00Z'), 'from')).toBe(Date.UTC(2020, 0, 2));
    expect(toEpochMs('2020-01-02', 'from')).toBe(Date.UTC(2020, 0, 2));
    expect(toEpochMs(5, 'from')).toBe(5);
    expect(() => toEpochMs('yesterday', 'from')).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: from must be epoch milliseconds, a valid Date or an ISO 8601 string, received "yesterday"]`,
    );
  });
});

describe('parseOptions', () => {
  const schema = z.strictObject({
    nSplits: z.number().int().min(2).default(5),
    method: z.enum(['expanding', 'sliding']),
    nested: z.strictObject({ rate: z.number().nonnegative() }).optional(),
  });

  it('returns parsed options with defaults applied', () => {
    expect(parseOptions(schema, { method: 'sliding' }, 'CV options')).toEqual({
      nSplits: 5,
      method: 'sliding',
    });
  });

  it('names every offending option path and the value received', () => {
    expect(() =>
      parseOptions(schema, { nSplits: 1, method: 'shuffled', nested: { rate: -1 } }, 'CV options'),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid CV options: nSplits: Too small: expected number to be >=2 (received 1); method: Invalid option: expected one of "expanding"|"sliding" (received "shuffled"); nested.rate: Too small: expected number to be >=0 (received -1)]`,
    );
    expect(() => parseOptions(schema, { method: 'sliding', nSplit: 3 }, 'CV options')).toThrow(
      'Invalid CV options: Unrecognized key: "nSplit"',
    );
    expect(() => parseOptions(schema, undefined, 'CV options')).toThrow(
      /^Invalid CV options: .*received nothing/,
    );
  });
});

describe('clocks', () => {
  it('moves a manual clock only when told, and sleeps without waiting', async () => {
    const clock = new ManualClock(1000);
    await clock.sleep(500);
    expect(clock.now()).toBe(1500);
    clock.advance(10);
    clock.set(2000);
    expect(clock.now()).toBe(2000);
    expect(() => clock.set(0)).toThrow('ManualClock cannot go back in time: current 2000, requested 0');
    expect(() => clock.advance(-1)).toThrow('finite ms >= 0');
  });

  it('aborts a system-clock sleep with ABORTED', async () => {
    const controller = new AbortController();
    const pending = systemClock.sleep(10_000, controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(systemClock.sleep(1)).resolves.toBeUndefined();
  });
});

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 test vectors for strings and bytes', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await sha256Hex(new Uint8Array(0))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('rejects anything but bytes or a string', async () => {
    await expect(sha256Hex(42 as never)).rejects.toThrow(
      'sha256Hex needs a Uint8Array or a string, received number',
    );
  });
});

describe('TypedEmitter', () => {
  it('delivers one typed payload to each listener', () => {
    const emitter = new TypedEmitter<{ tick: { n: number } }>();
    const listener = vi.fn();
    emitter.on('tick', listener);
    emitter.emit('tick', { n: 3 });
    expect(listener).toHaveBeenCalledWith({ n: 3 });
  });
});
