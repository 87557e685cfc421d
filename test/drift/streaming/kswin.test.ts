import { describe, expect, it } from 'vitest';
import { Random } from '../../../src/core/random.js';
import { KSWIN, type KswinOptions } from '../../../src/drift/streaming/index.js';
import { ks2Sample } from '../../../src/stats/ks.js';
import { expectInvalid } from '../../helpers.js';

function driftIndices(options: KswinOptions, stream: readonly number[]): number[] {
  const kswin = new KSWIN(options);
  const out: number[] = [];
  stream.forEach((x, i) => {
    if (kswin.update(x).drift) out.push(i);
  });
  return out;
}

describe('KSWIN', () => {
  const rng = new Random(11);
  const shifted = Array.from({ length: 1000 }, (_, i) => rng.normal(i < 500 ? 0 : 2, 1));

  it('tests nothing until the window is full', () => {
    const kswin = new KSWIN({ windowSize: 100, statSize: 30 });
    for (let i = 0; i < 99; i++) kswin.update(i < 50 ? 0 : 100);
    expect(kswin.pValue).toBe(0); // River's p_value before the first test
    kswin.update(100);
    expect(kswin.pValue).toBeGreaterThan(0);
  });

  it('finds a shift of two standard deviations within one window, and nothing on a constant stream', () => {
    for (const seed of [0, 1, 2]) {
      const indices = driftIndices({ seed }, shifted);
      expect(indices.find((i) => i >= 500)).toBeLessThan(600);
    }
    expect(driftIndices({}, new Array<number>(1000).fill(3))).toEqual([]);
  });

  it('is reproducible for a seed', () => {
    expect(driftIndices({ seed: 5 }, shifted)).toEqual(driftIndices({ seed: 5 }, shifted));
  });

  it('reports the KS test of R (the newest statSize values) against a sample W of the older ones', () => {
    const kswin = new KSWIN({ windowSize: 10, statSize: 5 });
    // Older part all 0, newest all 1: whichever W is drawn, D = 1 and the p-value is the exact one for 5 vs 5.
    for (const x of [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]) kswin.update(x);
    const expected = ks2Sample([0, 0, 0, 0, 0], [1, 1, 1, 1, 1]);
    expect(kswin.statistic).toBe(1);
    expect(kswin.pValue).toBe(expected.pValue);
    expect(kswin.drift).toBe(expected.pValue <= 0.005);
  });

  it('validates its options', () => {
    expectInvalid(
      () => new KSWIN({ windowSize: 50, statSize: 30 }),
      'Invalid KSWIN options: statSize: statSize must be at most half of windowSize (W is drawn without replacement from the older part) (received 30)',
    );
    expectInvalid(
      () => new KSWIN({ alpha: 0 }),
      'Invalid KSWIN options: alpha: Too small: expected number to be >0 (received 0)',
    );
  });
});
