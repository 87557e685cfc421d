import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MlcycleError } from '../../src/core/errors.js';
import { purgedKFoldSplits } from '../../src/cv/purged.js';

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

/**
 * Definition-following purged k-fold with an embargo given as a count: test blocks sized as np.array_split, training
 * every other index whose label does not reach into the block (`overlaps`) and that is not in the embargo.
 */
function referenceFolds(
  n: number,
  k: number,
  h: number,
  overlaps: (i: number, t0: number, t1: number) => boolean,
) {
  const folds = [];
  let t0 = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    const t1 = t0 + size - 1;
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) {
      if (i >= t0 && i <= t1) test.push(i);
      else if (!overlaps(i, t0, t1) && !(i > t1 && i <= t1 + h)) train.push(i);
    }
    folds.push({ index: f, train, test });
    t0 = t1 + 1;
  }
  return folds;
}

/** The overlap test written out index by index: some test index j has i <= j <= labelEnd[i]. O(n²). */
function bruteForce(n: number, k: number, h: number, labelEnd: readonly number[]) {
  return referenceFolds(n, k, h, (i, t0, t1) => {
    for (let j = t0; j <= t1; j++) if (i <= j && (labelEnd[i] as number) >= j) return true;
    return false;
  });
}

/** The same definition with the overlap test as one comparison, for large n. */
function bruteForceFast(n: number, k: number, h: number, labelEnd: readonly number[]) {
  return referenceFolds(n, k, h, (i, t0, t1) => i <= t1 && (labelEnd[i] as number) >= t0);
}

/** n, nSplits, embargo count and a labelEnd with i <= labelEnd[i] < n (not necessarily monotone). */
const caseArbitrary = fc
  .integer({ min: 2, max: 60 })
  .chain((n) =>
    fc.record({
      n: fc.constant(n),
      k: fc.integer({ min: 2, max: n }),
      h: fc.integer({ min: 0, max: 12 }),
      labelEnd: fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
        minLength: n,
        maxLength: n,
      }),
      reach: fc.integer({ min: 0, max: n }),
    }),
  )
  .map(({ n, k, h, labelEnd, reach }) => ({
    n,
    k,
    h,
    labelEnd: labelEnd.map((u, i) => i + Math.floor(u * (Math.min(n - 1, i + reach) - i + 1))),
  }));

describe('purgedKFoldSplits', () => {
  it('tiles the series into array_split blocks and trains on the rest without labels or embargo', () => {
    const folds = purgedKFoldSplits(10, { nSplits: 3 });
    expect(folds.map((f) => f.test)).toEqual([range(0, 3), range(4, 6), range(7, 9)]);
    expect(folds.map((f) => f.train)).toEqual([range(4, 9), [0, 1, 2, 3, 7, 8, 9], range(0, 6)]);
    expect(folds.map((f) => f.index)).toEqual([0, 1, 2]);
    expect(folds[0]?.groups).toBeUndefined();
  });

  it('drops training rows whose 5-bar labels overlap the test block, and embargoes 2 bars after it', () => {
    const n = 20;
    const labelEnd = range(0, n - 1).map((i) => Math.min(i + 5, n - 1));
    const folds = purgedKFoldSplits(n, { nSplits: 4, embargo: 2 }, { labelEnd });
    expect(folds.map((f) => f.test)).toEqual([range(0, 4), range(5, 9), range(10, 14), range(15, 19)]);
    expect(folds[0]?.train).toEqual(range(7, 19)); // 5, 6 embargoed
    expect(folds[1]?.train).toEqual(range(12, 19)); // 0–4 reach into 5–9; 10, 11 embargoed
    expect(folds[2]?.train).toEqual([0, 1, 2, 3, 4, 17, 18, 19]); // 5–9 purged; 15, 16 embargoed
    expect(folds[3]?.train).toEqual(range(0, 9)); // 10–14 purged; nothing after the last block
  });

  it('reads an embargo below 1 as a fraction of n, rounded up', () => {
    const n = 20;
    const labelEnd = range(0, n - 1).map((i) => Math.min(i + 5, n - 1));
    const byCount = purgedKFoldSplits(n, { nSplits: 4, embargo: 2 }, { labelEnd });
    expect(purgedKFoldSplits(n, { nSplits: 4, embargo: 0.1 }, { labelEnd })).toEqual(byCount);
    // 0.06 · 20 = 1.2 → 2 observations
    expect(purgedKFoldSplits(n, { nSplits: 4, embargo: 0.06 }, { labelEnd })).toEqual(byCount);
    // 0.07 · 100 is 7.000000000000001 in floating point: still 7, not 8
    expect(purgedKFoldSplits(100, { nSplits: 2, embargo: 0.07 })[0]?.train).toEqual(range(57, 99));
    expect(purgedKFoldSplits(100, { nSplits: 2, embargo: 0.071 })[0]?.train).toEqual(range(58, 99));
  });

  it('purges a long label far before the block even when the labels in between are short', () => {
    const labelEnd = [9, 1, 2, 5, 4, 5, 6, 7, 8, 9];
    const folds = purgedKFoldSplits(10, { nSplits: 2 }, { labelEnd });
    expect(folds[1]?.train).toEqual([1, 2, 4]);
    expect(folds[0]?.train).toEqual(range(5, 9));
  });

  it('matches its documented example and accepts labelEnd as a typed array', () => {
    const n = 100;
    const labelEnd = Int32Array.from({ length: n }, (_, i) => Math.min(i + 5, n - 1));
    const folds = purgedKFoldSplits(n, { nSplits: 5, embargo: 0.01 }, { labelEnd });
    expect(folds[1]?.test).toEqual(range(20, 39));
    expect(folds[1]?.train).toEqual([...range(0, 14), ...range(41, 99)]);
  });

  it('returns an empty training set when purging and embargo remove everything', () => {
    const folds = purgedKFoldSplits(4, { nSplits: 2, embargo: 2 }, { labelEnd: [3, 3, 3, 3] });
    expect(folds.map((f) => f.train)).toEqual([[], []]);
  });

  it('handles nSplits = n (leave-one-out blocks)', () => {
    const folds = purgedKFoldSplits(5, { nSplits: 5, embargo: 1 });
    expect(folds.map((f) => f.test)).toEqual([[0], [1], [2], [3], [4]]);
    expect(folds[2]?.train).toEqual([0, 1, 4]);
  });

  it('agrees with a definition-following brute force on random labels', () => {
    fc.assert(
      fc.property(caseArbitrary, ({ n, k, h, labelEnd }) => {
        expect(purgedKFoldSplits(n, { nSplits: k, embargo: h }, { labelEnd })).toEqual(
          bruteForce(n, k, h, labelEnd),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with the brute force at 20,000 observations', () => {
    const n = 20_000;
    const labelEnd = range(0, n - 1).map((i) => Math.min(n - 1, i + ((i * 7919) % 37)));
    expect(purgedKFoldSplits(n, { nSplits: 7, embargo: 0.005 }, { labelEnd })).toEqual(
      bruteForceFast(n, 7, 100, labelEnd),
    );
  });

  it('never trains on an overlapping label or an embargoed bar, and its test blocks tile 0 … n − 1', () => {
    fc.assert(
      fc.property(caseArbitrary, ({ n, k, h, labelEnd }) => {
        const folds = purgedKFoldSplits(n, { nSplits: k, embargo: h }, { labelEnd });
        expect(folds.flatMap((f) => f.test)).toEqual(range(0, n - 1));
        for (const fold of folds) {
          const t0 = fold.test[0] as number;
          const t1 = fold.test[fold.test.length - 1] as number;
          expect(fold.test).toEqual(range(t0, t1));
          const leaks = fold.train.filter(
            (i) =>
              (i <= t1 && (labelEnd[i] as number) >= t0) || (i > t1 && i <= t1 + h) || (i >= t0 && i <= t1),
          );
          expect(leaks).toEqual([]);
          expect([...fold.train].sort((a, b) => a - b)).toEqual(fold.train);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('rejects bad numbers with messages that name them', () => {
    const message = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        expect(MlcycleError.is(error)).toBe(true);
        return `${(error as MlcycleError).code}: ${(error as Error).message}`;
      }
      return 'no error';
    };
    expect(message(() => purgedKFoldSplits(3, { nSplits: 5 }))).toBe(
      'INSUFFICIENT_DATA: nSplits (5) must not exceed the number of observations n (3)',
    );
    expect(message(() => purgedKFoldSplits(10, { nSplits: 1 }))).toBe(
      'INVALID_ARGUMENT: nSplits must be an integer of at least 2, received 1',
    );
    expect(message(() => purgedKFoldSplits(10, { nSplits: 2.5 }))).toBe(
      'INVALID_ARGUMENT: nSplits must be an integer of at least 2, received 2.5',
    );
    expect(message(() => purgedKFoldSplits(0, { nSplits: 2 }))).toBe(
      'INVALID_ARGUMENT: n must be an integer of at least 1, received 0',
    );
    expect(message(() => purgedKFoldSplits(10, { nSplits: 2, embargo: -1 }))).toBe(
      'INVALID_ARGUMENT: embargo must be a fraction of n in [0, 1) or a whole count of at least 1, received -1',
    );
    expect(message(() => purgedKFoldSplits(10, { nSplits: 2, embargo: 2.5 }))).toBe(
      'INVALID_ARGUMENT: embargo of 1 or more is a count of observations and must be a whole number, received 2.5',
    );
    expect(message(() => purgedKFoldSplits(4, { nSplits: 2 }, { labelEnd: [0, 1, 2] }))).toBe(
      'INVALID_ARGUMENT: labelEnd must have one entry per observation (n = 4), received 3',
    );
    expect(message(() => purgedKFoldSplits(4, { nSplits: 2 }, { labelEnd: [0, 1, 1, 3] }))).toBe(
      'INVALID_ARGUMENT: labelEnd[2] must be an integer index from 2 to 3 (i <= labelEnd[i] < n), received 1',
    );
    expect(message(() => purgedKFoldSplits(4, { nSplits: 2 }, { labelEnd: [0, 4, 2, 3] }))).toBe(
      'INVALID_ARGUMENT: labelEnd[1] must be an integer index from 1 to 3 (i <= labelEnd[i] < n), received 4',
    );
    expect(message(() => purgedKFoldSplits(4, { nSplits: 2 }, { labelEnd: [0.5, 1, 2, 3] }))).toBe(
      'INVALID_ARGUMENT: labelEnd[0] must be an integer index from 0 to 3 (i <= labelEnd[i] < n), received 0.5',
    );
    expect(message(() => purgedKFoldSplits(4, { nSplits: 2 }, { labelEnd: [0, Number.NaN, 2, 3] }))).toBe(
      'INVALID_ARGUMENT: labelEnd[1] must be an integer index from 1 to 3 (i <= labelEnd[i] < n), received NaN',
    );
  });
});
