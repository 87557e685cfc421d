import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '../../../src/core/random.js';
import { applyBins, binTraining, fitBins } from '../../../src/models/trees/binning.js';

/** Bins of one feature (a single column) fitted on `values` with `maxBins`. */
function fitColumn(values: readonly number[], maxBins: number) {
  return fitBins(Float64Array.from(values), values.length, 1, maxBins, 0);
}

/** The bin of each of `values` under one-column `bins`. */
function binsOf(bins: ReturnType<typeof fitColumn>, values: readonly number[]): number[] {
  return Array.from(applyBins(bins, Float64Array.from(values), values.length, 1));
}

/** numpy's `percentile(values, q, method='midpoint')`: the mean of the order statistics around position q·(n−1). */
function midpointPercentile(sorted: readonly number[], q: number): number {
  const position = q * (sorted.length - 1);
  return ((sorted[Math.floor(position)] as number) + (sorted[Math.ceil(position)] as number)) / 2;
}

describe('fitBins', () => {
  it('puts the edges halfway between consecutive distinct values when there are few of them', () => {
    const bins = fitColumn([3, 1, 2, 2, 5, 1], 255);
    expect(Array.from(bins.edges[0] as Float64Array)).toEqual([1.5, 2.5, 4]);
    expect(bins.counts[0]).toBe(4);
  });

  it('uses the midpoints while the distinct values fit in maxBins, and quantiles once they do not', () => {
    expect(Array.from(fitColumn([1, 2, 3, 4], 4).edges[0] as Float64Array)).toEqual([1.5, 2.5, 3.5]);
    // Five distinct values in 4 bins: the quartiles of [1..5] by the midpoint rule are 2, 3 and 4.
    expect(Array.from(fitColumn([1, 2, 3, 4, 5], 4).edges[0] as Float64Array)).toEqual([2, 3, 4]);
  });

  it('places the edges at the midpoint percentiles k / maxBins when values outnumber the bins', () => {
    const rng = new Random(11);
    const values = Array.from({ length: 1001 }, () => rng.normal(0, 1));
    const sorted = [...values].sort((a, b) => a - b);
    const maxBins = 16;
    const expected = Array.from({ length: maxBins - 1 }, (_, k) =>
      midpointPercentile(sorted, (k + 1) / maxBins),
    );
    const bins = fitColumn(values, maxBins);
    expect(Array.from(bins.edges[0] as Float64Array)).toEqual(expected);
    expect(bins.counts[0]).toBe(maxBins);
    // Each quantile bin holds close to a 16th of the rows.
    const sizes = new Array<number>(maxBins).fill(0);
    for (const b of binsOf(bins, values)) sizes[b] = (sizes[b] as number) + 1;
    for (const size of sizes) expect(Math.abs(size - 1001 / maxBins)).toBeLessThanOrEqual(1);
  });

  it('drops repeated quantiles of heavily tied data, keeping the edges strictly increasing', () => {
    // 90% zeros: the lower percentiles all fall on 0.
    const values = Array.from({ length: 1000 }, (_, i) => (i < 900 ? 0 : i));
    const bins = fitColumn(values, 10);
    const sorted = [...values].sort((a, b) => a - b);
    const all = Array.from({ length: 9 }, (_, k) => midpointPercentile(sorted, (k + 1) / 10));
    expect(Array.from(bins.edges[0] as Float64Array)).toEqual([...new Set(all)]);
    expect(bins.counts[0]).toBeLessThan(10);
  });

  it('ignores NaN when placing the edges and gives NaN the missing bin, whose index is counts[f]', () => {
    const bins = fitColumn([Number.NaN, 1, 2, Number.NaN, 3], 255);
    expect(Array.from(bins.edges[0] as Float64Array)).toEqual([1.5, 2.5]);
    expect(binsOf(bins, [Number.NaN, 1, 2, 3])).toEqual([3, 0, 1, 2]);
  });

  it('gives a constant or all-missing feature one real bin', () => {
    const data = Float64Array.from([7, Number.NaN, 7, Number.NaN]);
    const bins = fitBins(data, 2, 2, 255, 0);
    expect(Array.from(bins.counts)).toEqual([1, 1]);
    expect(Array.from(applyBins(bins, data, 2, 2))).toEqual([0, 1, 0, 1]);
  });

  it('fits each feature of a row-major matrix on its own column', () => {
    // Rows (1, 10), (2, 20), (3, 10).
    const data = Float64Array.from([1, 10, 2, 20, 3, 10]);
    const bins = fitBins(data, 3, 2, 255, 0);
    expect(bins.edges.map((e) => Array.from(e))).toEqual([[1.5, 2.5], [15]]);
    expect(Array.from(applyBins(bins, data, 3, 2))).toEqual([0, 0, 1, 1, 2, 0]);
  });
});

describe('applyBins', () => {
  const bins = fitColumn([1, 2, 3, 5], 255); // edges 1.5, 2.5, 4

  it('sends a value equal to an edge to the lower bin (x <= edge)', () => {
    expect(binsOf(bins, [1.5, 2.5, 4])).toEqual([0, 1, 2]);
    expect(binsOf(bins, [1.5 + 1e-12, 2.5 + 1e-12, 4 + 1e-12])).toEqual([1, 2, 3]);
  });

  it('puts values beyond the training range in the first and last bins', () => {
    expect(binsOf(bins, [-1e300, 1e300])).toEqual([0, 3]);
  });

  const column = fc.array(
    fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constant(Number.NaN)),
    {
      minLength: 1,
      maxLength: 300,
    },
  );

  it('never makes more than maxBins real bins, with strictly increasing edges', () => {
    fc.assert(
      fc.property(column, fc.integer({ min: 2, max: 255 }), (values, maxBins) => {
        const bins = fitColumn(values, maxBins);
        const edges = Array.from(bins.edges[0] as Float64Array);
        expect(bins.counts[0]).toBe(edges.length + 1);
        expect(bins.counts[0]).toBeLessThanOrEqual(maxBins);
        for (let i = 1; i < edges.length; i++) expect(edges[i]).toBeGreaterThan(edges[i - 1] as number);
        for (const [i, b] of binsOf(bins, values).entries()) {
          if (Number.isNaN(values[i])) expect(b).toBe(bins.counts[0]);
          else expect(b).toBeLessThan(bins.counts[0] as number);
        }
      }),
    );
  });

  it('is monotone: a <= b gives bin(a) <= bin(b)', () => {
    const value = fc.double({ min: -2e6, max: 2e6, noNaN: true });
    fc.assert(
      fc.property(column, fc.integer({ min: 2, max: 64 }), value, value, (values, maxBins, x, y) => {
        const bins = fitColumn(values, maxBins);
        const [a, b] = x <= y ? [x, y] : [y, x];
        const [binA, binB] = binsOf(bins, [a, b]) as [number, number];
        expect(binA).toBeLessThanOrEqual(binB);
      }),
    );
  });

  it('agrees with the edges: bin b holds exactly the values in (edges[b − 1], edges[b]]', () => {
    fc.assert(
      fc.property(column, fc.integer({ min: 2, max: 64 }), (values, maxBins) => {
        const bins = fitColumn(values, maxBins);
        const edges = bins.edges[0] as Float64Array;
        for (const [i, b] of binsOf(bins, values).entries()) {
          const v = values[i] as number;
          if (Number.isNaN(v)) continue;
          if (b < edges.length) expect(v).toBeLessThanOrEqual(edges[b] as number);
          if (b > 0) expect(v).toBeGreaterThan(edges[b - 1] as number);
        }
      }),
    );
  });
});

describe('binTraining', () => {
  it('bins training rows as fitBins then applyBins would, NaN included', () => {
    const rng = new Random(8);
    const rows = 3000;
    const data = Float64Array.from({ length: rows * 3 }, (_, i) =>
      i % 3 === 2 && rng.float() < 0.1 ? Number.NaN : Math.round(rng.normal() * 50) / 10,
    );
    const { bins, binned } = binTraining(data, rows, 3, 64, 0);
    const fitted = fitBins(data, rows, 3, 64, 0);
    expect(bins.edges).toEqual(fitted.edges);
    expect(Array.from(binned)).toEqual(Array.from(applyBins(fitted, data, rows, 3)));
  });

  it('places edges on a seeded sample of 200,000 rows beyond that, and still bins every row', () => {
    const rng = new Random(9);
    const rows = 250_000;
    const data = Float64Array.from({ length: rows }, () => rng.float());
    const first = binTraining(data, rows, 1, 32, 5);
    expect(binTraining(data, rows, 1, 32, 5).bins.edges).toEqual(first.bins.edges);
    expect(binTraining(data, rows, 1, 32, 6).bins.edges).not.toEqual(first.bins.edges);
    expect(first.bins.counts[0]).toBe(32);
    expect(Array.from(first.binned)).toEqual(Array.from(applyBins(first.bins, data, rows, 1)));
    // Quantile bins from the sample hold close to 1/32 of all rows each (binomial sd of a bin's share ≈ 0.0004).
    const counts = new Array<number>(32).fill(0);
    for (const b of first.binned) counts[b] = (counts[b] as number) + 1;
    for (const count of counts) expect(Math.abs(count / rows - 1 / 32)).toBeLessThan(0.003);
  });
});
