import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADWIN } from '../../../src/drift/streaming/index.js';
import { expectInvalid } from '../../helpers.js';

/** Indices (0-based positions in the stream, as River's `enumerate` prints them) at which a drift is flagged. */
function driftIndices(detector: ADWIN, stream: readonly number[]): number[] {
  const out: number[] = [];
  stream.forEach((x, i) => {
    if (detector.update(x).drift) out.push(i);
  });
  return out;
}

/** `[i % 2 for i in range(1000)] + [4 + i % 4 for i in range(1000)]` */
const alternatingThenHigh = [
  ...Array.from({ length: 1000 }, (_, i) => i % 2),
  ...Array.from({ length: 1000 }, (_, i) => 4 + (i % 4)),
];
const zerosThenOnes = [...new Array<number>(500).fill(0), ...new Array<number>(500).fill(1)];

describe('ADWIN', () => {
  it("flags drift only at index 1023 on the alternating-then-4..7 stream (River's documented behaviour)", () => {
    expect(driftIndices(new ADWIN(), alternatingThenHigh)).toEqual([1023]);
  });

  it('flags drift only at index 543 on 500 zeros then 500 ones', () => {
    expect(driftIndices(new ADWIN(), zerosThenOnes)).toEqual([543]);
  });

  it('checks only every `clock` values: with clock 1 the step is found no later than with clock 32', () => {
    const everyValue = driftIndices(new ADWIN({ clock: 1 }), zerosThenOnes);
    expect(everyValue.length).toBeGreaterThan(0);
    expect(everyValue[0]).toBeGreaterThan(500);
    expect(everyValue[0]).toBeLessThanOrEqual(543);
    // With clock 32 every detection falls on a multiple of 32 updates since the start (index + 1 ≡ 0 mod 32).
    for (const i of driftIndices(new ADWIN(), alternatingThenHigh)) expect((i + 1) % 32).toBe(0);
  });

  it('shrinks the window on a cut, then starts from an empty window at the next update', () => {
    const adwin = new ADWIN();
    for (const x of zerosThenOnes.slice(0, 544)) adwin.update(x);
    expect(adwin.drift).toBe(true);
    expect(adwin.width).toBeLessThan(544);
    expect(adwin.estimation).toBeGreaterThan(44 / 544); // old zeros were dropped: above the mean of all 544 values
    expect(adwin.estimation).toBeCloseTo(44 / adwin.width, 12); // the window ends with all 44 ones
    expect(adwin.nDetections).toBe(1);
    adwin.update(1);
    expect(adwin.width).toBe(1);
    expect(adwin.total).toBe(1);
    expect(adwin.nDetections).toBe(0);
  });

  it('keeps the window sums exact while no change is looked for (River: width, total, variance = Σ(x − x̄)²)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 300 }),
        (xs) => {
          const adwin = new ADWIN({ clock: 1_000_000 });
          for (const x of xs) adwin.update(x);
          const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
          const ss = xs.reduce((a, b) => a + (b - mean) ** 2, 0);
          expect(adwin.width).toBe(xs.length);
          expect(adwin.total).toBeCloseTo(mean * xs.length, 6);
          expect(adwin.estimation).toBeCloseTo(mean, 9);
          expect(Math.abs(adwin.variance - ss)).toBeLessThanOrEqual(1e-7 * Math.max(1, ss));
        },
      ),
    );
  });

  it('grows the window one value at a time and never flags a constant stream', () => {
    const adwin = new ADWIN();
    for (let i = 1; i <= 5000; i++) {
      expect(adwin.update(1).drift).toBe(false);
      if (i <= 100) expect(adwin.width).toBe(i);
    }
    expect(adwin.estimation).toBe(1);
  });

  it('looks for no change within the grace period', () => {
    const adwin = new ADWIN({ gracePeriod: 100, clock: 1 });
    const stream = [...new Array<number>(50).fill(0), ...new Array<number>(50).fill(1000)];
    expect(driftIndices(adwin, stream)).toEqual([]);
  });

  it('keeps at most maxBuckets buckets per row (logarithmic memory)', () => {
    const adwin = new ADWIN({ maxBuckets: 3, clock: 1_000_000 });
    for (let i = 0; i < 100_000; i++) adwin.update(i % 7);
    const { rows } = adwin.toJSON();
    expect(rows.length).toBeLessThanOrEqual(Math.ceil(Math.log2(100_000 / 3)) + 1);
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(3);
    expect(rows.reduce((n, row, r) => n + row.length * 2 ** r, 0)).toBe(100_000);
  });

  it('reports an empty window as estimation 0', () => {
    expect(new ADWIN().estimation).toBe(0);
  });

  it('validates its options', () => {
    expectInvalid(
      () => new ADWIN({ delta: 0 }),
      'Invalid ADWIN options: delta: Too small: expected number to be >0 (received 0)',
    );
    expectInvalid(
      () => new ADWIN({ clock: 1.5 }),
      'Invalid ADWIN options: clock: Invalid input: expected int, received number (received 1.5)',
    );
    expectInvalid(() => new ADWIN({ foo: 1 } as never), 'Invalid ADWIN options: Unrecognized key: "foo"');
  });
});

describe('ADWIN.fromJSON', () => {
  it('rejects a snapshot whose bucket rows do not fit its options', () => {
    const snapshot = new ADWIN({ maxBuckets: 2 }).toJSON();
    snapshot.rows = [
      [
        [1, 0],
        [1, 0],
        [1, 0],
      ],
    ];
    expectInvalid(
      () => ADWIN.fromJSON(snapshot),
      'Invalid ADWIN snapshot: rows must be 1 to 64 rows of at most maxBuckets (2) buckets each',
    );
  });
});
