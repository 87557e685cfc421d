import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MlcycleError } from '../../src/core/errors.js';
import { resolveSize } from '../../src/cv/durations.js';
import type { Fold, Size, SplitInputs } from '../../src/cv/types.js';
import { expandingSplits, slidingSplits } from '../../src/cv/walk-forward.js';
import { loadReferenceCases } from '../fixtures/reference.js';

interface SplitArgs {
  n: number;
  nSplits: number;
  testSize: number | null;
  gap: number;
  maxTrainSize: number | null;
}

type SplitExpected = { folds: [number[], number[]][] } | { error: string };

const cases = loadReferenceCases('cv')
  .filter((c) => c.fn === 'timeSeriesSplit')
  .map((c) => ({ args: c.args as unknown as SplitArgs, expected: c.expected as SplitExpected }));

function expanding(a: SplitArgs): Fold[] {
  return expandingSplits(a.n, {
    nSplits: a.nSplits,
    gap: a.gap,
    ...(a.testSize === null ? {} : { testSize: a.testSize }),
    ...(a.maxTrainSize === null ? {} : { maxTrainSize: a.maxTrainSize }),
  });
}

function thrown(run: () => unknown): MlcycleError {
  try {
    run();
  } catch (error) {
    if (MlcycleError.is(error)) return error;
    throw error;
  }
  throw new Error('expected an MlcycleError');
}

/** Compact view of folds: [first train, last train, train count, first test, last test, test count]. */
function shape(folds: Fold[]): number[][] {
  return folds.map((f) => [
    f.train[0] ?? -1,
    f.train.at(-1) ?? -1,
    f.train.length,
    f.test[0] ?? -1,
    f.test.at(-1) ?? -1,
    f.test.length,
  ]);
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Weekdays from Mon 2024-12-02 to Fri 2025-01-10 without 2024-12-25 and 2025-01-01: 28 observations. */
function businessDays(): number[] {
  const out: number[] = [];
  const holidays = new Set([Date.UTC(2024, 11, 25), Date.UTC(2025, 0, 1)]);
  for (let t = Date.UTC(2024, 11, 2); t <= Date.UTC(2025, 0, 10); t += DAY) {
    const weekday = new Date(t).getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !holidays.has(t)) out.push(t);
  }
  return out;
}
// Index of each date: Dec 2–6 → 0–4, Dec 9–13 → 5–9, Dec 16–20 → 10–14, Dec 23, 24, 26, 27 → 15–18,
// Dec 30, 31 → 19, 20, Jan 2, 3 → 21, 22, Jan 6–10 → 23–27.

describe('expandingSplits against scikit-learn TimeSeriesSplit', () => {
  it('has at least 200 reference cases, accepted and refused', () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    expect(cases.filter((c) => 'error' in c.expected).length).toBeGreaterThan(50);
    expect(cases.filter((c) => 'folds' in c.expected).length).toBeGreaterThan(100);
  });

  it('returns the same folds index for index', () => {
    const bad: string[] = [];
    for (const { args, expected } of cases) {
      if (!('folds' in expected)) continue;
      const ours = expanding(args).map((f) => [f.train, f.test]);
      const indices = expanding(args).map((f) => f.index);
      if (
        JSON.stringify(ours) !== JSON.stringify(expected.folds) ||
        indices.join() !== range(0, ours.length - 1).join()
      )
        bad.push(JSON.stringify(args));
    }
    expect(bad).toEqual([]);
  });

  it('refuses what scikit-learn refuses, naming the numbers that do not fit', () => {
    const bad: string[] = [];
    for (const { args, expected } of cases) {
      if (!('error' in expected)) continue;
      let error: MlcycleError;
      try {
        error = thrown(() => expanding(args));
      } catch {
        bad.push(`accepted ${JSON.stringify(args)}`);
        continue;
      }
      const sk = expected.error;
      const many =
        /^Too many splits=(\d+) for number of samples=(\d+) with test_size=(\d+) and gap=(\d+)\.$/.exec(sk);
      const folds = /^Cannot have number of folds=(\d+) greater than the number of samples=(\d+)\.$/.exec(sk);
      let wanted: string[];
      let code = 'INSUFFICIENT_DATA';
      if (many) {
        const [, k, n, t, g] = many;
        wanted = [`nSplits = ${k}`, `testSize = ${t}`, `gap = ${g}`, `received n = ${n}`];
      } else if (folds) {
        const [, f, n] = folds;
        wanted = [`nSplits = ${Number(f) - 1}`, `needs n >= ${f}`, `received n = ${n}`];
      } else {
        expect(sk).toMatch(/n_splits=2 or more, got n_splits=1\./);
        wanted = ['nSplits must be an integer of at least 2, received 1'];
        code = 'INVALID_ARGUMENT';
      }
      if (error.code !== code || !wanted.every((w) => error.message.includes(w)))
        bad.push(`${JSON.stringify(args)}: ${error.code} ${error.message}`);
    }
    expect(bad).toEqual([]);
  });

  it('builds 10 folds over 1,000,000 observations as contiguous ranges', () => {
    const folds = expandingSplits(1_000_000, { nSplits: 10, gap: 5, maxTrainSize: 500_000 });
    expect(shape([folds[0] as Fold, folds[9] as Fold])).toEqual([
      [0, 90_904, 90_905, 90_910, 181_818, 90_909],
      [409_086, 909_085, 500_000, 909_091, 999_999, 90_909],
    ]);
  });
});

describe('expandingSplits with durations', () => {
  const timestamps = businessDays();

  it('resolves weekly test windows over business days with holidays', () => {
    expect(timestamps.length).toBe(28);
    const folds = expandingSplits(
      28,
      { nSplits: 3, testSize: { days: 7 }, gap: { days: 1 } },
      { timestamps },
    );
    expect(folds.map((f) => [f.index, f.train, f.test])).toEqual([
      [0, range(0, 13), range(15, 18)],
      [1, range(0, 17), range(19, 22)],
      [2, range(0, 21), range(23, 27)],
    ]);
  });

  it('caps training at maxTrainSize of time before the gap', () => {
    const folds = expandingSplits(
      28,
      { nSplits: 3, testSize: { days: 7 }, gap: { days: 1 }, maxTrainSize: { hours: 168 } },
      { timestamps },
    );
    expect(folds.map((f) => [f.train, f.test])).toEqual([
      [range(9, 13), range(15, 18)],
      [range(14, 17), range(19, 22)],
      [range(18, 21), range(23, 27)],
    ]);
  });

  it('accepts a count of 0 as a zero gap and ms durations', () => {
    const a = expandingSplits(28, { nSplits: 3, testSize: { ms: 7 * DAY }, gap: 0 }, { timestamps });
    const b = expandingSplits(28, { nSplits: 3, testSize: { days: 7 } }, { timestamps });
    expect(a).toEqual(b);
    expect(b.map((f) => f.train.at(-1))).toEqual([14, 18, 22]);
  });

  it('skips folds whose test window holds no observation and renumbers the rest', () => {
    const hours = [...range(0, 9), ...range(20, 29)].map((h) => h * HOUR);
    const folds = expandingSplits(20, { nSplits: 4, testSize: { hours: 5 } }, { timestamps: hours });
    expect(folds.map((f) => [f.index, f.train, f.test])).toEqual([
      [0, range(0, 9), range(10, 14)],
      [1, range(0, 14), range(15, 19)],
    ]);
  });
});

describe('slidingSplits with counts', () => {
  it('anchors the last test window at the end and slides a fixed training window', () => {
    expect(slidingSplits(10, { trainSize: 4, testSize: 2 }).map((f) => [f.index, f.train, f.test])).toEqual([
      [0, [0, 1, 2, 3], [4, 5]],
      [1, [2, 3, 4, 5], [6, 7]],
      [2, [4, 5, 6, 7], [8, 9]],
    ]);
  });

  it('leaves the gap, steps by step and keeps the last nSplits', () => {
    expect(
      slidingSplits(10, { trainSize: 3, testSize: 2, gap: 1, nSplits: 2 }).map((f) => [f.train, f.test]),
    ).toEqual([
      [
        [2, 3, 4],
        [6, 7],
      ],
      [
        [4, 5, 6],
        [8, 9],
      ],
    ]);
    // 11 − 3 − 3 = 5 spare observations: test starts 8, 7, 6, 5, 4, 3 with step 1, the first three dropped by nSplits.
    expect(shape(slidingSplits(11, { trainSize: 3, testSize: 3, step: 1 }))).toEqual([
      [0, 2, 3, 3, 5, 3],
      [1, 3, 3, 4, 6, 3],
      [2, 4, 3, 5, 7, 3],
      [3, 5, 3, 6, 8, 3],
      [4, 6, 3, 7, 9, 3],
      [5, 7, 3, 8, 10, 3],
    ]);
    // step 4 with 6 spare observations: test starts 8 and 4; the window at 0 has no room for training.
    expect(shape(slidingSplits(12, { trainSize: 2, testSize: 4, step: 4 }))).toEqual([
      [2, 3, 2, 4, 7, 4],
      [6, 7, 2, 8, 11, 4],
    ]);
  });

  it('fits exactly one fold when n = trainSize + gap + testSize', () => {
    expect(slidingSplits(6, { trainSize: 3, testSize: 2, gap: 1 }).map((f) => [f.train, f.test])).toEqual([
      [
        [0, 1, 2],
        [4, 5],
      ],
    ]);
  });
});

describe('slidingSplits with durations', () => {
  it('slides two weeks of training over business days with holidays', () => {
    const timestamps = businessDays();
    const folds = slidingSplits(
      28,
      { trainSize: { days: 14 }, testSize: { days: 7 }, gap: { days: 0 } },
      { timestamps },
    );
    expect(folds.map((f) => [f.index, f.train, f.test])).toEqual([
      [0, range(5, 14), range(15, 18)],
      [1, range(10, 18), range(19, 22)],
      [2, range(15, 22), range(23, 27)],
    ]);
    const last = slidingSplits(
      28,
      { trainSize: { days: 14 }, testSize: { days: 7 }, nSplits: 1 },
      { timestamps },
    );
    expect(last).toEqual([{ ...folds[2], index: 0 }]);
  });

  it('skips windows with an empty test or training window across a hole in the data', () => {
    const timestamps = [0, 1, 2, 3, 4, 5, 20, 21, 22, 23].map((h) => h * HOUR);
    const folds = slidingSplits(
      10,
      { trainSize: { hours: 3 }, testSize: { hours: 2 }, step: { hours: 2 } },
      { timestamps },
    );
    expect(folds.map((f) => [f.index, f.train, f.test])).toEqual([
      [0, [1, 2, 3], [4, 5]],
      [1, [6, 7], [8, 9]],
    ]);
  });
});

describe('resolveSize', () => {
  it('reads counts and converts durations to milliseconds', () => {
    expect(resolveSize(0, 'gap', undefined)).toEqual({ count: 0 });
    expect(resolveSize(20, 'testSize', undefined)).toEqual({ count: 20 });
    expect(resolveSize({ days: 1.5 }, 'testSize', [])).toEqual({ ms: 129_600_000 });
    expect(resolveSize({ hours: 2 }, 'testSize', [])).toEqual({ ms: 7_200_000 });
    expect(resolveSize({ ms: 250 }, 'testSize', [])).toEqual({ ms: 250 });
  });
});

describe('bad input', () => {
  const timestamps = businessDays();
  const cases: [string, () => unknown, string, string][] = [
    [
      'n negative',
      () => expandingSplits(-1, { nSplits: 2 }),
      'INVALID_ARGUMENT',
      'n must be an integer of at least 0, received -1',
    ],
    [
      'n fractional',
      () => slidingSplits(2.5, { trainSize: 1, testSize: 1 }),
      'INVALID_ARGUMENT',
      'n must be an integer of at least 0, received 2.5',
    ],
    [
      'nSplits 1',
      () => expandingSplits(10, { nSplits: 1 }),
      'INVALID_ARGUMENT',
      'nSplits must be an integer of at least 2, received 1',
    ],
    [
      'nSplits NaN',
      () => expandingSplits(10, { nSplits: Number.NaN }),
      'INVALID_ARGUMENT',
      'nSplits must be an integer of at least 2, received NaN',
    ],
    [
      'sliding nSplits 0',
      () => slidingSplits(10, { trainSize: 1, testSize: 1, nSplits: 0 }),
      'INVALID_ARGUMENT',
      'nSplits must be an integer of at least 1, received 0',
    ],
    [
      'folds beyond n',
      () => expandingSplits(4, { nSplits: 5 }),
      'INSUFFICIENT_DATA',
      'Too many splits: nSplits = 5 needs n >= 6 (nSplits + 1 folds), received n = 4',
    ],
    [
      'tests beyond n',
      () => expandingSplits(100, { nSplits: 5, testSize: 30, gap: 2 }),
      'INSUFFICIENT_DATA',
      'Too many splits: nSplits = 5 with testSize = 30 and gap = 2 needs n > 152, received n = 100',
    ],
    [
      'default test size with gap',
      () => expandingSplits(10, { nSplits: 4, gap: 2 }),
      'INSUFFICIENT_DATA',
      'Too many splits: nSplits = 4 with testSize = 2 (n // (nSplits + 1)) and gap = 2 needs n > 10, received n = 10',
    ],
    [
      'testSize 0',
      () => expandingSplits(10, { nSplits: 2, testSize: 0 }),
      'INVALID_ARGUMENT',
      'testSize must be at least 1, received 0',
    ],
    [
      'maxTrainSize 0',
      () => expandingSplits(10, { nSplits: 2, maxTrainSize: 0 }),
      'INVALID_ARGUMENT',
      'maxTrainSize must be at least 1, received 0',
    ],
    [
      'step 0',
      () => slidingSplits(10, { trainSize: 2, testSize: 2, step: 0 }),
      'INVALID_ARGUMENT',
      'step must be at least 1, received 0',
    ],
    [
      'gap negative',
      () => expandingSplits(10, { nSplits: 2, gap: -1 }),
      'INVALID_ARGUMENT',
      'gap must be a non-negative integer count or a duration ({ days }, { hours } or { ms }), received -1',
    ],
    [
      'gap fractional',
      () => slidingSplits(10, { trainSize: 2, testSize: 2, gap: 1.5 }),
      'INVALID_ARGUMENT',
      'gap must be a non-negative integer count or a duration ({ days }, { hours } or { ms }), received 1.5',
    ],
    [
      'size string',
      () => expandingSplits(10, { nSplits: 2, testSize: '3' as unknown as Size }),
      'INVALID_ARGUMENT',
      'testSize must be a non-negative integer count or a duration ({ days }, { hours } or { ms }), received "3"',
    ],
    [
      'size null',
      () => expandingSplits(10, { nSplits: 2, testSize: null as unknown as Size }),
      'INVALID_ARGUMENT',
      'testSize must be a non-negative integer count or a duration ({ days }, { hours } or { ms }), received null',
    ],
    [
      'two units',
      () =>
        expandingSplits(
          10,
          { nSplits: 2, testSize: { days: 1, hours: 2 } as unknown as Size },
          { timestamps },
        ),
      'INVALID_ARGUMENT',
      'testSize must be a duration with exactly one of days, hours or ms, received { days, hours }',
    ],
    [
      'unknown unit',
      () => slidingSplits(10, { trainSize: { weeks: 1 } as unknown as Size, testSize: 1 }),
      'INVALID_ARGUMENT',
      'trainSize must be a duration with exactly one of days, hours or ms, received { weeks }',
    ],
    [
      'negative duration',
      () => expandingSplits(28, { nSplits: 2, testSize: { days: -1 } }, { timestamps }),
      'INVALID_ARGUMENT',
      'testSize.days must be a finite non-negative number, received -1',
    ],
    [
      'NaN duration',
      () => expandingSplits(28, { nSplits: 2, testSize: { hours: Number.NaN } }, { timestamps }),
      'INVALID_ARGUMENT',
      'testSize.hours must be a finite non-negative number, received NaN',
    ],
    [
      'zero duration',
      () => expandingSplits(28, { nSplits: 2, testSize: { days: 0 } }, { timestamps }),
      'INVALID_ARGUMENT',
      'testSize must be a positive duration, received { days: 0 }',
    ],
    [
      'duration without timestamps',
      () => expandingSplits(28, { nSplits: 2, testSize: { days: 5 } }),
      'INVALID_ARGUMENT',
      'testSize is a duration ({ days: 5 }) and needs inputs.timestamps, one epoch-ms time per observation',
    ],
    [
      'mixed',
      () => expandingSplits(28, { nSplits: 2, testSize: { days: 5 }, gap: 2 }, { timestamps }),
      'INVALID_ARGUMENT',
      'sizes must be all counts or all durations, but testSize is a duration ({ days: 5 }) and gap is a count (2)',
    ],
    [
      'mixed sliding',
      () => slidingSplits(28, { trainSize: 10, testSize: { hours: 12 } }, { timestamps }),
      'INVALID_ARGUMENT',
      'sizes must be all counts or all durations, but testSize is a duration ({ hours: 12 }) and trainSize is a count (10)',
    ],
    [
      'duration gap with default testSize',
      () => expandingSplits(28, { nSplits: 2, gap: { days: 1 } }, { timestamps }),
      'INVALID_ARGUMENT',
      'testSize must be given as a duration when gap or maxTrainSize is a duration (its default is a count)',
    ],
    [
      'timestamps length',
      () => expandingSplits(27, { nSplits: 2, testSize: { days: 5 } }, { timestamps }),
      'INVALID_ARGUMENT',
      'inputs.timestamps must have one entry per observation (n = 27), but has 28',
    ],
    [
      'timestamps unsorted',
      () => expandingSplits(2, { nSplits: 2, testSize: { ms: 1 } }, { timestamps: [1000, 0] }),
      'INVALID_ARGUMENT',
      'inputs.timestamps must be strictly increasing, but inputs.timestamps[1] = 0 (1970-01-01T00:00:00.000Z) is out of order after inputs.timestamps[0] = 1000 (1970-01-01T00:00:01.000Z)',
    ],
    [
      'timestamps duplicate',
      () => slidingSplits(2, { trainSize: { ms: 1 }, testSize: { ms: 1 } }, { timestamps: [5, 5] }),
      'INVALID_ARGUMENT',
      'inputs.timestamps must be strictly increasing, but inputs.timestamps[1] = 5 (1970-01-01T00:00:00.005Z) is duplicate after inputs.timestamps[0] = 5 (1970-01-01T00:00:00.005Z)',
    ],
    [
      'expanding durations no fold',
      () => expandingSplits(3, { nSplits: 2, testSize: { days: 5 } }, { timestamps: timestamps.slice(0, 3) }),
      'INSUFFICIENT_DATA',
      'No fold fits: each of the 2 test windows of testSize = { days: 5 } with gap = 0 has an empty training or test window; the timestamps span 2024-12-02T00:00:00.000Z to 2024-12-04T00:00:00.000Z',
    ],
    [
      'expanding durations no observations',
      () => expandingSplits(0, { nSplits: 2, testSize: { days: 5 } }, { timestamps: [] }),
      'INSUFFICIENT_DATA',
      'No fold fits: each of the 2 test windows of testSize = { days: 5 } with gap = 0 has an empty training or test window; there are no observations',
    ],
    [
      'sliding no fold',
      () => slidingSplits(60, { trainSize: 50, testSize: 30, gap: 2 }),
      'INSUFFICIENT_DATA',
      'No fold fits: trainSize = 50 + gap = 2 + testSize = 30 needs n >= 82, received n = 60',
    ],
    [
      'sliding too many',
      () => slidingSplits(100, { trainSize: 50, testSize: 30, gap: 2, step: 10, nSplits: 5 }),
      'INSUFFICIENT_DATA',
      'Too many splits: nSplits = 5 with trainSize = 50, gap = 2, testSize = 30 and step = 10 needs n >= 122 (trainSize + gap + testSize + (nSplits - 1) * step), received n = 100',
    ],
    [
      'sliding durations no fold',
      () => slidingSplits(28, { trainSize: { days: 30 }, testSize: { days: 14 } }, { timestamps }),
      'INSUFFICIENT_DATA',
      'No fold fits: with trainSize = { days: 30 }, gap = 0, testSize = { days: 14 } and step = { days: 14 }, no window has observations in both training and test; the timestamps span 2024-12-02T00:00:00.000Z to 2025-01-10T00:00:00.000Z',
    ],
    [
      'sliding durations too many',
      () => slidingSplits(28, { trainSize: { days: 14 }, testSize: { days: 7 }, nSplits: 4 }, { timestamps }),
      'INSUFFICIENT_DATA',
      'Too many splits: nSplits = 4 with trainSize = { days: 14 }, gap = 0, testSize = { days: 7 } and step = { days: 7 }, but only 3 folds with observations in both training and test fit; the timestamps span 2024-12-02T00:00:00.000Z to 2025-01-10T00:00:00.000Z',
    ],
  ];
  it.each(cases)('%s', (_label, run, code, message) => {
    const error = thrown(run);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
  });
});

function assertWalkForward(folds: Fold[], gap: number): void {
  let previousTestEnd = -1;
  for (const fold of folds) {
    const firstTest = fold.test[0] as number;
    expect(fold.train.length).toBeGreaterThan(0);
    expect(fold.test.length).toBeGreaterThan(0);
    // every train index is before every test index, at least `gap` positions earlier
    expect(fold.train.at(-1) as number).toBeLessThan(firstTest - gap);
    // test windows do not overlap and move forward
    expect(firstTest).toBeGreaterThan(previousTestEnd);
    previousTestEnd = fold.test.at(-1) as number;
    for (const list of [fold.train, fold.test])
      for (let i = 1; i < list.length; i++) expect(list[i]).toBeGreaterThan(list[i - 1] as number);
  }
}

describe('walk-forward invariants (property tests)', () => {
  it('expanding: no train index within gap of a test index, test windows forward, last ends at n − 1', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 400 }),
        fc.integer({ min: 2, max: 10 }),
        fc.integer({ min: 0, max: 20 }),
        fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined }),
        (n, nSplits, gap, testSize, maxTrainSize) => {
          const options = {
            nSplits,
            gap,
            ...(testSize ? { testSize } : {}),
            ...(maxTrainSize ? { maxTrainSize } : {}),
          };
          const t = testSize ?? Math.floor(n / (nSplits + 1));
          if (nSplits + 1 > n || n - gap - t * nSplits <= 0) {
            expect(() => expandingSplits(n, options)).toThrow(MlcycleError);
            return;
          }
          const folds = expandingSplits(n, options);
          expect(folds.length).toBe(nSplits);
          assertWalkForward(folds, gap);
          expect((folds.at(-1) as Fold).test.at(-1)).toBe(n - 1);
          for (const f of folds) expect(f.train.length).toBeLessThanOrEqual(maxTrainSize ?? n);
        },
      ),
    );
  });

  it('sliding: constant train and test sizes, gap respected, test windows move forward by step', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 10 }),
        fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
        (n, trainSize, testSize, gap, step) => {
          const options = { trainSize, testSize, gap, ...(step ? { step } : {}) };
          if (trainSize + gap + testSize > n) {
            expect(() => slidingSplits(n, options)).toThrow(MlcycleError);
            return;
          }
          const folds = slidingSplits(n, options);
          if ((step ?? testSize) >= testSize) assertWalkForward(folds, gap);
          expect((folds.at(-1) as Fold).test.at(-1)).toBe(n - 1);
          expect((folds[0] as Fold).train[0]).toBeLessThan(step ?? testSize);
          for (let k = 0; k < folds.length; k++) {
            const f = folds[k] as Fold;
            expect([f.index, f.train.length, f.test.length]).toEqual([k, trainSize, testSize]);
            expect((f.train.at(-1) as number) + gap + 1).toBe(f.test[0]);
            if (k > 0)
              expect((f.test[0] as number) - ((folds[k - 1] as Fold).test[0] as number)).toBe(
                step ?? testSize,
              );
          }
        },
      ),
    );
  });

  it('durations: train before test minus gap in time, test windows disjoint and forward, on irregular timestamps', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 * DAY }), { minLength: 2, maxLength: 200 }),
        fc.integer({ min: 1, max: 10 * DAY }),
        fc.integer({ min: 0, max: 3 * DAY }),
        fc.integer({ min: 1, max: 20 * DAY }),
        fc.integer({ min: 2, max: 6 }),
        (steps, test, gap, train, nSplits) => {
          const timestamps: number[] = [];
          let t = Date.UTC(2024, 0, 1);
          for (const s of steps) {
            t += s;
            timestamps.push(t);
          }
          const n = timestamps.length;
          const inputs: SplitInputs = { timestamps };
          const check = (folds: Fold[]) => {
            let previousLastTest = -1;
            for (const [k, f] of folds.entries()) {
              expect(f.index).toBe(k);
              const testStart = timestamps[f.test[0] as number] as number;
              expect(timestamps[f.train.at(-1) as number] as number).toBeLessThan(testStart - gap + 1e-9);
              expect(f.test[0]).toBeGreaterThan(previousLastTest);
              previousLastTest = f.test.at(-1) as number;
              const span = (timestamps[f.test.at(-1) as number] as number) - testStart;
              expect(span).toBeLessThan(test);
            }
          };
          for (const run of [
            () => expandingSplits(n, { nSplits, testSize: { ms: test }, gap: { ms: gap } }, inputs),
            () =>
              slidingSplits(
                n,
                { trainSize: { ms: train }, testSize: { ms: test }, gap: { ms: gap } },
                inputs,
              ),
          ]) {
            let folds: Fold[];
            try {
              folds = run();
            } catch (error) {
              expect(MlcycleError.is(error, 'INSUFFICIENT_DATA')).toBe(true);
              continue;
            }
            check(folds);
          }
        },
      ),
    );
  });
});

/** Every sliding window by direct scan: window j tests [e − j·step − test, e − j·step), e = last timestamp + 1 ms. */
function slidingByScan(
  timestamps: number[],
  train: number,
  test: number,
  step: number,
  gap: number,
): number[][][] {
  const out: number[][][] = [];
  const end = (timestamps.at(-1) as number) + 1;
  const within = (lo: number, hi: number) => timestamps.flatMap((t, i) => (t >= lo && t < hi ? [i] : []));
  for (let j = 0; end - j * step - test - gap - train >= (timestamps[0] as number); j++) {
    const testStart = end - j * step - test;
    const fold = [within(testStart - gap - train, testStart - gap), within(testStart, testStart + test)];
    if ((fold[0] as number[]).length > 0 && (fold[1] as number[]).length > 0) out.unshift(fold);
  }
  return out;
}

describe('sliding durations against a direct scan of every window', () => {
  it('agrees on sparse, clustered timestamps with overlapping and disjoint windows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 20, max: 60 })), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 5 }),
        (steps, train, test, step, gap) => {
          const timestamps: number[] = [];
          let t = 0;
          for (const s of steps) {
            t += s * HOUR;
            timestamps.push(t);
          }
          const expected = slidingByScan(timestamps, train * HOUR, test * HOUR, step * HOUR, gap * HOUR);
          const options = {
            trainSize: { hours: train },
            testSize: { hours: test },
            step: { hours: step },
            gap: { hours: gap },
          };
          if (expected.length === 0) {
            expect(() => slidingSplits(timestamps.length, options, { timestamps })).toThrow(/^No fold fits/);
            return;
          }
          const folds = slidingSplits(timestamps.length, options, { timestamps });
          expect(folds.map((f) => [f.train, f.test])).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('expanding durations against a direct scan of every window', () => {
  it('agrees on sparse, clustered timestamps, with and without maxTrainSize', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 20, max: 60 })), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 5 }),
        fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
        (steps, nSplits, test, gap, maxTrain) => {
          const timestamps: number[] = [];
          let t = 0;
          for (const s of steps) {
            t += s * HOUR;
            timestamps.push(t);
          }
          const end = (timestamps.at(-1) as number) + 1;
          const within = (lo: number, hi: number) =>
            timestamps.flatMap((x, i) => (x >= lo && x < hi ? [i] : []));
          const expected: number[][][] = [];
          for (let k = 0; k < nSplits; k++) {
            const testStart = end - (nSplits - k) * test * HOUR;
            const trainEnd = testStart - gap * HOUR;
            const fold = [
              within(maxTrain === undefined ? -Infinity : trainEnd - maxTrain * HOUR, trainEnd),
              within(testStart, testStart + test * HOUR),
            ];
            if ((fold[0] as number[]).length > 0 && (fold[1] as number[]).length > 0) expected.push(fold);
          }
          const options = {
            nSplits,
            testSize: { hours: test },
            gap: { hours: gap },
            ...(maxTrain === undefined ? {} : { maxTrainSize: { hours: maxTrain } }),
          };
          if (expected.length === 0) {
            expect(() => expandingSplits(timestamps.length, options, { timestamps })).toThrow(
              /^No fold fits/,
            );
            return;
          }
          const folds = expandingSplits(timestamps.length, options, { timestamps });
          expect(folds.map((f) => [f.train, f.test])).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
