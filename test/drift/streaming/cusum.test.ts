import { describe, expect, it } from 'vitest';
import { Random } from '../../../src/core/random.js';
import { CUSUM, type CusumOptions } from '../../../src/drift/streaming/index.js';
import { expectInvalid } from '../../helpers.js';

function driftIndices(options: CusumOptions, stream: readonly number[]): number[] {
  const cusum = new CUSUM(options);
  const out: number[] = [];
  stream.forEach((x, i) => {
    if (cusum.update(x).drift) out.push(i);
  });
  return out;
}

describe('CUSUM', () => {
  const known = { target: 0, std: 1, k: 0.5, h: 5 };

  it('follows the tabular recursions C⁺ = max(0, C⁺ + z − k), C⁻ = max(0, C⁻ − z − k)', () => {
    const cusum = new CUSUM(known);
    const sums: [number, number][] = [];
    for (const x of [2, -1, 3, -4]) {
      cusum.update(x);
      sums.push([cusum.upper, cusum.lower]);
    }
    // By hand: C⁺ 1.5, max(0, 1.5 − 1.5) = 0, 2.5, max(0, 2.5 − 4.5) = 0; C⁻ 0, 0.5, 0, 3.5.
    expect(sums).toEqual([
      [1.5, 0],
      [0, 0.5],
      [2.5, 0],
      [0, 3.5],
    ]);
  });

  it('flags a one-σ shift when C exceeds h: the 11th value at +1σ (C⁺ = 11 × 0.5 > 5), either side', () => {
    expect(driftIndices(known, new Array<number>(11).fill(1))).toEqual([10]);
    expect(driftIndices(known, new Array<number>(11).fill(-1))).toEqual([10]);
    expect(driftIndices(known, new Array<number>(1000).fill(0.5))).toEqual([]); // z = k never accumulates
  });

  it('works in σ units: scaling the stream and std together changes nothing', () => {
    const rng = new Random(3);
    const xs = Array.from({ length: 600 }, (_, i) => rng.normal(i < 300 ? 10 : 10.8, 1));
    const base = driftIndices({ target: 10, std: 1 }, xs);
    expect(base.length).toBeGreaterThan(0);
    expect(
      driftIndices(
        { target: 1000, std: 100 },
        xs.map((x) => 1000 + 100 * (x - 10)),
      ),
    ).toEqual(base);
  });

  it('estimates target and std from the first minInstances values, which are not scored', () => {
    const rng = new Random(5);
    const calm = Array.from({ length: 300 }, () => rng.normal(50, 2));
    const shifted = Array.from({ length: 100 }, () => rng.normal(56, 2));
    // 200 calibration values keep the estimates close enough for no false alarm in the calm part.
    const indices = driftIndices({ minInstances: 200 }, [...calm, ...shifted]);
    expect(indices.filter((i) => i < 300)).toEqual([]);
    expect(indices[0]).toBeGreaterThanOrEqual(300);
    expect(indices[0]).toBeLessThan(310);
    // A jump inside the calibration is absorbed into the estimate, not flagged.
    expect(
      driftIndices({ minInstances: 30 }, [
        ...new Array<number>(20).fill(0),
        ...new Array<number>(10).fill(1),
      ]),
    ).toEqual([]);
  });

  it('starts afresh after a drift, re-estimating what it estimated', () => {
    const stream = [...new Array<number>(30).fill(0), 1, ...new Array<number>(30).fill(1), 1];
    // Calibration on zeros has σ = 0, so the first 1 is a drift; the next 30 values recalibrate on ones.
    expect(driftIndices({}, stream)).toEqual([30]);
  });

  it('validates its options', () => {
    expectInvalid(
      () => new CUSUM({ std: 0 }),
      'Invalid CUSUM options: std: Too small: expected number to be >0 (received 0)',
    );
    expectInvalid(
      () => new CUSUM({ minInstances: 1 }),
      'Invalid CUSUM options: minInstances: Too small: expected number to be >=2 (received 1)',
    );
  });
});
