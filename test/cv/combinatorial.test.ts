import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MlcycleError } from '../../src/core/errors.js';
import { combinatorialPaths, combinatorialPurgedSplits } from '../../src/cv/combinatorial.js';

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

/** Group of each observation under np.array_split. */
function groupOf(n: number, nGroups: number): number[] {
  const out: number[] = [];
  for (let g = 0; g < nGroups; g++) {
    const size = Math.floor(n / nGroups) + (g < n % nGroups ? 1 : 0);
    for (let j = 0; j < size; j++) out.push(g);
  }
  return out;
}

/** k-subsets of 0 … N − 1 by bitmask, sorted lexicographically (the order of itertools.combinations). */
function subsets(nGroups: number, k: number): number[][] {
  const out: number[][] = [];
  for (let mask = 0; mask < 1 << nGroups; mask++) {
    const set = range(0, nGroups - 1).filter((g) => (mask >> g) & 1);
    if (set.length === k) out.push(set);
  }
  return out.sort((a, b) => {
    for (let i = 0; i < k; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
    return 0;
  });
}

/**
 * Definition-following O(n²) CPCV: a non-test i is dropped when a test index j lies within `purge` after it
 * (purge before a block), within `purge + embargo` before it (purge and embargo after a block), or inside its
 * label interval (i < j <= labelEnd[i]).
 */
function bruteForce(
  n: number,
  nGroups: number,
  k: number,
  purge: number,
  embargo: number,
  labelEnd: readonly number[],
) {
  const group = groupOf(n, nGroups);
  return subsets(nGroups, k).map((groups, index) => {
    const isTest = group.map((g) => groups.includes(g));
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) {
      if (isTest[i]) {
        test.push(i);
        continue;
      }
      let dropped = false;
      for (let j = 0; j < n; j++) {
        if (!isTest[j]) continue;
        if (j > i && j - i <= purge) dropped = true;
        if (j < i && i - j <= purge + embargo) dropped = true;
        if (j > i && j <= (labelEnd[i] as number)) dropped = true;
      }
      if (!dropped) train.push(i);
    }
    return { index, train, test, groups };
  });
}

const caseArbitrary = fc
  .integer({ min: 3, max: 7 })
  .chain((nGroups) =>
    fc.record({
      nGroups: fc.constant(nGroups),
      k: fc.integer({ min: 1, max: nGroups - 1 }),
      n: fc.integer({ min: nGroups, max: 40 }),
      purge: fc.integer({ min: 0, max: 4 }),
      embargo: fc.integer({ min: 0, max: 4 }),
      reach: fc.integer({ min: 0, max: 10 }),
      seeds: fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
        minLength: 40,
        maxLength: 40,
      }),
    }),
  )
  .map(({ nGroups, k, n, purge, embargo, reach, seeds }) => ({
    nGroups,
    k,
    n,
    purge,
    embargo,
    labelEnd: range(0, n - 1).map(
      (i) => i + Math.floor((seeds[i] as number) * (Math.min(n - 1, i + reach) - i + 1)),
    ),
  }));

function message(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    expect(MlcycleError.is(error)).toBe(true);
    return `${(error as MlcycleError).code}: ${(error as Error).message}`;
  }
  return 'no error';
}

describe('combinatorialPurgedSplits', () => {
  const twelve = { nGroups: 3, nTestGroups: 2 };

  it("reproduces skfolio's documented 12-observation example", () => {
    const splits = combinatorialPurgedSplits(12, twelve);
    expect(splits.map((s) => s.train)).toEqual([range(8, 11), range(4, 7), range(0, 3)]);
    expect(splits.map((s) => s.groups)).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
    expect(splits.map((s) => s.test)).toEqual([range(0, 7), [...range(0, 3), ...range(8, 11)], range(4, 11)]);
    expect(splits.map((s) => s.index)).toEqual([0, 1, 2]);
  });

  it("purges on both sides of every test block as skfolio's purged_size = 1", () => {
    const splits = combinatorialPurgedSplits(12, { ...twelve, purge: 1 });
    expect(splits.map((s) => s.train)).toEqual([
      [9, 10, 11],
      [5, 6],
      [0, 1, 2],
    ]);
  });

  it("embargoes after every test block as skfolio's embargo_size = 1", () => {
    const splits = combinatorialPurgedSplits(12, { ...twelve, embargo: 1 });
    expect(splits.map((s) => s.train)).toEqual([
      [9, 10, 11],
      [5, 6, 7],
      [0, 1, 2, 3],
    ]);
  });

  it('treats adjacent test groups as one block and adds label purging', () => {
    // groups 0–3, 4–7, 8–11, 12–15; test groups 1 and 2 form the block 4–11
    const labelEnd = range(0, 15).map((i) => Math.min(i + 3, 15));
    const splits = combinatorialPurgedSplits(
      16,
      { nGroups: 4, nTestGroups: 2, purge: 0, embargo: 2 },
      { labelEnd },
    );
    const split = splits.find((s) => s.groups?.join() === '1,2');
    expect(split?.test).toEqual(range(4, 11));
    expect(split?.train).toEqual([0, 14, 15]); // 1–3 reach into 4; 12, 13 embargoed
    const apart = splits.find((s) => s.groups?.join() === '0,2');
    expect(apart?.train).toEqual([14, 15]); // 4, 5 embargoed; 5–7 reach 8; 12, 13 embargoed
  });

  it('agrees with a definition-following brute force on random labels', () => {
    fc.assert(
      fc.property(caseArbitrary, ({ nGroups, k, n, purge, embargo, labelEnd }) => {
        expect(
          combinatorialPurgedSplits(n, { nGroups, nTestGroups: k, purge, embargo }, { labelEnd }),
        ).toEqual(bruteForce(n, nGroups, k, purge, embargo, labelEnd));
      }),
      { numRuns: 300 },
    );
  });

  it('rejects bad numbers with messages that name them', () => {
    expect(message(() => combinatorialPurgedSplits(12, { nGroups: 3, nTestGroups: 3 }))).toBe(
      'INVALID_ARGUMENT: nTestGroups (3) must be less than nGroups (3) so that every split keeps a training group',
    );
    expect(message(() => combinatorialPurgedSplits(4, { nGroups: 5, nTestGroups: 2 }))).toBe(
      'INSUFFICIENT_DATA: nGroups (5) must not exceed the number of observations n (4)',
    );
    expect(message(() => combinatorialPurgedSplits(12, { nGroups: 1, nTestGroups: 1 }))).toBe(
      'INVALID_ARGUMENT: nGroups must be an integer of at least 2, received 1',
    );
    expect(message(() => combinatorialPurgedSplits(12, { nGroups: 3, nTestGroups: 0 }))).toBe(
      'INVALID_ARGUMENT: nTestGroups must be an integer of at least 1, received 0',
    );
    expect(message(() => combinatorialPurgedSplits(12, { ...twelve, embargo: -1 }))).toBe(
      'INVALID_ARGUMENT: embargo must be a whole, non-negative number of observations, received -1',
    );
    expect(message(() => combinatorialPurgedSplits(12, { ...twelve, purge: 0.5 }))).toBe(
      'INVALID_ARGUMENT: purge must be a whole, non-negative number of observations, received 0.5',
    );
    expect(message(() => combinatorialPurgedSplits(1000, { nGroups: 20, nTestGroups: 10 }))).toBe(
      'INVALID_ARGUMENT: nGroups (20) and nTestGroups (10) give 184756 splits, more than the 100000 allowed; ' +
        'use fewer groups or move nTestGroups away from nGroups / 2',
    );
    expect(
      message(() => combinatorialPurgedSplits(4, { nGroups: 2, nTestGroups: 1 }, { labelEnd: [1] })),
    ).toBe('INVALID_ARGUMENT: labelEnd must have one entry per observation (n = 4), received 1');
    expect(
      message(() => combinatorialPurgedSplits(4, { nGroups: 2, nTestGroups: 1 }, { labelEnd: [0, 1, 2, 4] })),
    ).toBe(
      'INVALID_ARGUMENT: labelEnd[3] must be an integer index from 3 to 3 (i <= labelEnd[i] < n), received 4',
    );
  });
});

describe('combinatorialPaths', () => {
  it('gives C(N, k) · k / N paths', () => {
    const cases: [number, number, number][] = [
      [3, 2, 2],
      [5, 1, 1],
      [6, 2, 5],
      [10, 2, 9],
      [8, 4, 35],
      [10, 8, 36],
    ];
    for (const [nGroups, nTestGroups, expected] of cases) {
      expect(combinatorialPaths(100, { nGroups, nTestGroups })).toHaveLength(expected);
    }
  });

  it("assigns splits to paths as skfolio's recombined_paths for N = 3, k = 2", () => {
    const paths = combinatorialPaths(12, { nGroups: 3, nTestGroups: 2 });
    expect(paths.map((p) => p.segments.map((s) => s.split))).toEqual([
      [0, 0, 1],
      [1, 2, 2],
    ]);
    expect(paths[1]?.segments.map((s) => s.indices)).toEqual([range(0, 3), range(4, 7), range(8, 11)]);
  });

  it('covers every index exactly once per path, from splits that test that group, each test group used once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }).chain((nGroups) =>
          fc.record({
            nGroups: fc.constant(nGroups),
            k: fc.integer({ min: 1, max: nGroups - 1 }),
            n: fc.integer({ min: nGroups, max: 50 }),
          }),
        ),
        ({ nGroups, k, n }) => {
          const splits = combinatorialPurgedSplits(n, { nGroups, nTestGroups: k });
          const paths = combinatorialPaths(n, { nGroups, nTestGroups: k });
          const used = new Set<string>();
          for (const path of paths) {
            expect(path.segments.flatMap((s) => s.indices)).toEqual(range(0, n - 1));
            expect(path.segments.map((s) => s.group)).toEqual(range(0, nGroups - 1));
            for (const segment of path.segments) {
              const split = splits[segment.split];
              expect(split?.groups).toContain(segment.group);
              expect(split?.test).toEqual(expect.arrayContaining(segment.indices));
              used.add(`${segment.split}:${segment.group}`);
            }
          }
          expect(used.size).toBe(splits.length * k);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('rejects nTestGroups >= nGroups', () => {
    expect(message(() => combinatorialPaths(12, { nGroups: 4, nTestGroups: 5 }))).toBe(
      'INVALID_ARGUMENT: nTestGroups (5) must be less than nGroups (4) so that every split keeps a training group',
    );
  });
});
