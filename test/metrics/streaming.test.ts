import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DrawdownTracker, maxDrawdownOf } from '../../src/metrics/drawdown.js';
import { ReturnAccumulator, returnMoments } from '../../src/metrics/returns.js';

const returns = fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 1, maxLength: 900 });
const cuts = fc.array(fc.nat(), { maxLength: 8 });

/** Splits [0, n) at the given points (taken modulo n + 1), as ranges in order. */
function ranges(n: number, points: number[]): [number, number][] {
  const bounds = [...new Set([0, ...points.map((p) => p % (n + 1)), n])].sort((a, b) => a - b);
  return bounds.slice(1).map((end, i) => [bounds[i] as number, end]);
}

describe('ReturnAccumulator', () => {
  it('gives the same moments however the returns are split into calls', () => {
    fc.assert(
      fc.property(returns, cuts, fc.double({ min: -0.01, max: 0.01, noNaN: true }), (values, points, mar) => {
        const r = Float64Array.from(values);
        const split = new ReturnAccumulator(mar);
        for (const [start, end] of ranges(r.length, points)) split.add(r, start, end);
        expect(split.moments()).toEqual(returnMoments(r, mar));
      }),
    );
  });

  it('gives the same moments from block sums a caller takes against shift(), a room() at a time', () => {
    fc.assert(
      fc.property(returns, fc.double({ min: -0.01, max: 0.01, noNaN: true }), (values, mar) => {
        const r = Float64Array.from(values);
        const summed = new ReturnAccumulator(mar);
        let growth = 1;
        for (let start = 0; start < r.length; ) {
          const end = Math.min(start + summed.room(), r.length);
          const shift = summed.shift();
          let [sum, squares, below] = [0, 0, 0];
          for (let i = start; i < end; i++) {
            const v = r[i] as number;
            growth *= 1 + v;
            sum += v - shift;
            squares += (v - shift) ** 2;
            below += (v - mar - Math.abs(v - mar)) ** 2;
          }
          summed.addSums(end - start, sum, squares, below);
          start = end;
        }
        expect(summed.moments(growth)).toEqual(returnMoments(r, mar));
      }),
    );
  });

  it('agrees with the two-pass moments to 1e-12 on series longer than a block', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.1, max: 0.1, noNaN: true }), { minLength: 300, maxLength: 2000 }),
        (values) => {
          const n = values.length;
          const mean = values.reduce((s, v) => s + v, 0) / n;
          const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
          const { mean: m, std } = returnMoments(Float64Array.from(values), 0);
          expect(Math.abs(m - mean)).toBeLessThanOrEqual(
            1e-12 * Math.max(Math.abs(mean), Math.sqrt(variance)),
          );
          expect(Math.abs(std - Math.sqrt(variance))).toBeLessThanOrEqual(
            1e-12 * Math.sqrt(variance) + 1e-300,
          );
        },
      ),
    );
  });

  it('keeps two-pass precision when the first return is far from all the others', () => {
    // A spike, then flat returns: summed against the spike, 255 equal squared deviations lost 1.8e-12 of the std.
    for (const n of [300, 1976]) {
      const values = new Float64Array(n);
      values[0] = 0.004283154211678547;
      const mean = values.reduce((s, v) => s + v, 0) / n;
      const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
      expect(Math.abs(returnMoments(values, 0).std - sd)).toBeLessThanOrEqual(1e-12 * sd);
    }
  });

  it('gives a constant series a deviation of exactly 0, across blocks', () => {
    const { mean, std } = returnMoments(new Float64Array(1000).fill(0.003), 0);
    expect(mean).toBe(0.003);
    expect(std).toBe(0);
  });
});

describe('DrawdownTracker', () => {
  it('locates the deepest drawdown as maxDrawdownOf does on the drawdown series, however split', () => {
    const path = fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 400 });
    fc.assert(
      fc.property(path, cuts, (levels, points) => {
        // Small integer levels make ties, equal peaks and recoveries common.
        const values = Float64Array.from(levels);
        const drawdown = new Float64Array(values.length);
        let peak = values[0] as number;
        values.forEach((v, i) => {
          peak = Math.max(peak, v);
          drawdown[i] = v / peak - 1;
        });
        const tracker = new DrawdownTracker(values[0] as number);
        for (const [start, end] of ranges(values.length - 1, points)) {
          tracker.add(values, start + 1, end + 1);
        }
        expect(tracker.result()).toEqual(maxDrawdownOf(drawdown));
      }),
    );
  });
});
