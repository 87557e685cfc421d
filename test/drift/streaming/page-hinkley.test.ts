import { describe, expect, it } from 'vitest';
import { PageHinkley, type PageHinkleyOptions } from '../../../src/drift/streaming/index.js';
import { expectInvalid } from '../../helpers.js';

function driftIndices(options: PageHinkleyOptions, stream: readonly number[]): number[] {
  const ph = new PageHinkley(options);
  const out: number[] = [];
  stream.forEach((x, i) => {
    if (ph.update(x).drift) out.push(i);
  });
  return out;
}

const alternatingThenHigh = [
  ...Array.from({ length: 1000 }, (_, i) => i % 2),
  ...Array.from({ length: 1000 }, (_, i) => 4 + (i % 4)),
];
const zerosThenOnes = [...new Array<number>(500).fill(0), ...new Array<number>(500).fill(1)];

describe('PageHinkley', () => {
  it('flags drift only at index 1010 on the alternating-then-4..7 stream', () => {
    expect(driftIndices({}, alternatingThenHigh)).toEqual([1010]);
  });

  it('flags drift only at index 553 on 500 zeros then 500 ones', () => {
    expect(driftIndices({}, zerosThenOnes)).toEqual([553]);
  });

  it("watches only increases in mode 'up' and only decreases in mode 'down'", () => {
    const onesThenZeros = [...zerosThenOnes].reverse();
    expect(driftIndices({ mode: 'up' }, onesThenZeros)).toEqual([]);
    const down = driftIndices({ mode: 'down' }, onesThenZeros);
    expect(down.length).toBeGreaterThan(0);
    expect(driftIndices({ mode: 'both' }, onesThenZeros)).toEqual(down);
    expect(driftIndices({ mode: 'down' }, zerosThenOnes)).toEqual([]);
    expect(driftIndices({ mode: 'up' }, zerosThenOnes)).toEqual([553]);
  });

  it('flags nothing before minInstances values, then starts afresh after a drift', () => {
    const jump = [0, 0, 0, ...new Array<number>(100).fill(100)];
    const indices = driftIndices({ threshold: 1, minInstances: 30 }, jump);
    expect(indices[0]).toBe(29); // the 30th value is the first that may be flagged
    // After each drift the mean restarts at the next value, so a constant 100 is no longer a change.
    expect(indices).toEqual([29]);
  });

  it('estimates the running mean since the last start', () => {
    const ph = new PageHinkley();
    for (const x of [1, 2, 3, 4]) ph.update(x);
    expect(ph.estimation).toBe(2.5);
  });

  it('validates its options', () => {
    expectInvalid(
      () => new PageHinkley({ mode: 'sideways' as never }),
      'Invalid PageHinkley options: mode: Invalid option: expected one of "up"|"down"|"both" (received "sideways")',
    );
    expectInvalid(
      () => new PageHinkley({ alpha: 1.5 }),
      'Invalid PageHinkley options: alpha: Too big: expected number to be <=1 (received 1.5)',
    );
  });
});
