/** The StreamingDetector contract, checked for every detector: state constants, input checks, reset, snapshots. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '../../../src/core/random.js';
import {
  ADWIN,
  CUSUM,
  DDM,
  DRIFT,
  EDDM,
  KSWIN,
  PageHinkley,
  STABLE,
  type StreamingDetector,
  WARNING,
} from '../../../src/drift/streaming/index.js';
import { expectInvalid } from '../../helpers.js';

interface Case {
  name: string;
  make: () => StreamingDetector;
  restore: (snapshot: object) => StreamingDetector;
  binary: boolean;
}

const cases: Case[] = [
  {
    name: 'ADWIN',
    make: () => new ADWIN({ clock: 4 }),
    restore: (s) => ADWIN.fromJSON(s as never),
    binary: false,
  },
  {
    name: 'PageHinkley',
    make: () => new PageHinkley({ threshold: 10 }),
    restore: (s) => PageHinkley.fromJSON(s as never),
    binary: false,
  },
  { name: 'DDM', make: () => new DDM(), restore: (s) => DDM.fromJSON(s as never), binary: true },
  { name: 'EDDM', make: () => new EDDM(), restore: (s) => EDDM.fromJSON(s as never), binary: true },
  {
    name: 'KSWIN',
    make: () => new KSWIN({ seed: 7 }),
    restore: (s) => KSWIN.fromJSON(s as never),
    binary: false,
  },
  { name: 'CUSUM', make: () => new CUSUM(), restore: (s) => CUSUM.fromJSON(s as never), binary: false },
];

/** A stream with several changes: binary error indicators for DDM/EDDM, shifting normal values otherwise. */
function stream(binary: boolean, n: number, seed: number): number[] {
  const rng = new Random(seed);
  return Array.from({ length: n }, (_, i) => {
    const phase = Math.floor(i / 400) % 2;
    if (binary) return rng.float() < (phase === 0 ? 0.15 : 0.6) ? 1 : 0;
    return rng.normal(phase === 0 ? 0 : 3, 1);
  });
}

function trace(detector: StreamingDetector, values: readonly number[]): string {
  return values
    .map((x) => {
      const s = detector.update(x);
      return s.drift ? 'D' : s.warning ? 'W' : '.';
    })
    .join('');
}

describe.each(cases)('$name', ({ name, make, restore, binary }) => {
  const values = stream(binary, 2400, 3);

  it('flags the changes in a stream with shifts (and nothing is flagged on its first value)', () => {
    const t = trace(make(), values);
    expect(t[0]).toBe('.');
    expect(t).toContain('D');
  });

  it('returns the shared frozen state constants and mirrors them in drift/warning', () => {
    const detector = make();
    for (const x of values) {
      const state = detector.update(x);
      expect([STABLE, WARNING, DRIFT]).toContain(state);
      expect(detector.drift).toBe(state.drift);
      expect(detector.warning).toBe(state.warning);
    }
    expect(Object.isFrozen(STABLE) && Object.isFrozen(WARNING) && Object.isFrozen(DRIFT)).toBe(true);
  });

  it('counts updates, and reset() makes it behave as a new detector', () => {
    const detector = make();
    trace(detector, values.slice(0, 700));
    expect(detector.updates).toBe(700);
    detector.reset();
    expect(detector.updates).toBe(0);
    expect(detector.drift).toBe(false);
    expect(trace(detector, values)).toBe(trace(make(), values));
  });

  it('rejects NaN and infinities without changing its state', () => {
    const detector = make();
    trace(detector, values.slice(0, 100));
    const before = JSON.stringify(detector.toJSON());
    expectInvalid(
      () => detector.update(Number.NaN),
      `${name}.update needs ${binary ? '0 (correct) or 1 (error)' : 'a finite number'}, received NaN`,
    );
    expectInvalid(
      () => detector.update(Number.POSITIVE_INFINITY),
      `${name}.update needs ${binary ? '0 (correct) or 1 (error)' : 'a finite number'}, received Infinity`,
    );
    expect(JSON.stringify(detector.toJSON())).toBe(before);
  });

  it('continues exactly as the original after a JSON round trip mid-stream', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: values.length }), (cut) => {
        const original = make();
        trace(original, values.slice(0, cut));
        const snapshot = JSON.parse(JSON.stringify(original.toJSON())) as object;
        const restored = restore(snapshot);
        expect(restored.updates).toBe(original.updates);
        expect(restored.drift).toBe(original.drift);
        expect(trace(restored, values.slice(cut))).toBe(trace(original, values.slice(cut)));
        expect(restored.toJSON()).toEqual(original.toJSON());
      }),
      { numRuns: 15 },
    );
  });

  it('rejects a snapshot of another detector', () => {
    const other = name === 'DDM' ? new EDDM() : new DDM();
    expect(() => restore(JSON.parse(JSON.stringify(other.toJSON())) as object)).toThrow(
      new RegExp(`^Invalid ${name} snapshot: kind: `),
    );
  });
});

describe('binary detectors', () => {
  it.each([
    ['DDM', () => new DDM()],
    ['EDDM', () => new EDDM()],
  ] as const)('%s accepts only 0 and 1', (name, make) => {
    const detector = make();
    expectInvalid(() => detector.update(0.5), `${name}.update needs 0 (correct) or 1 (error), received 0.5`);
    expectInvalid(() => detector.update(2), `${name}.update needs 0 (correct) or 1 (error), received 2`);
    expectInvalid(() => detector.update(-1), `${name}.update needs 0 (correct) or 1 (error), received -1`);
    expect(detector.updates).toBe(0);
  });
});
