import { describe, expect, it } from 'vitest';
import { combinatorialPurgedSplits } from '../../src/cv/combinatorial.js';
import { purgedKFoldSplits } from '../../src/cv/purged.js';
import { TimeSeriesCV } from '../../src/cv/time-series-cv.js';
import { thrown } from '../helpers.js';

const DAY = 86_400_000;
const daily = (n: number) => Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1) + i * DAY);

/** Weekdays from Monday 2024-01-01 at midnight UTC. */
function weekdays(n: number): number[] {
  const out: number[] = [];
  for (let t = Date.UTC(2024, 0, 1); out.length < n; t += DAY) {
    const day = new Date(t).getUTCDay();
    if (day !== 0 && day !== 6) out.push(t);
  }
  return out;
}

describe('purge and embargo as durations', () => {
  it('equal the same counts when observations are exactly one day apart', () => {
    const n = 60;
    const timestamps = daily(n);
    const labelEnd = Array.from({ length: n }, (_, i) => Math.min(n - 1, i + 2));
    for (const days of [1, 2, 5]) {
      expect(purgedKFoldSplits(n, { nSplits: 5, embargo: { days } }, { timestamps, labelEnd })).toEqual(
        purgedKFoldSplits(n, { nSplits: 5, embargo: days }, { labelEnd }),
      );
      // Half a day holds no observation when they are a day apart: the duration twin of a zero count.
      for (const purge of [0, 1, 3]) {
        expect(
          combinatorialPurgedSplits(
            n,
            { nGroups: 6, nTestGroups: 2, purge: { days: purge || 0.5 }, embargo: { days } },
            { timestamps },
          ),
        ).toEqual(
          combinatorialPurgedSplits(n, { nGroups: 6, nTestGroups: 2, purge: purge || 0, embargo: days }),
        );
      }
    }
  });

  it('follow the calendar on irregular timestamps: a 3-day embargo after a Friday drops Monday only', () => {
    const timestamps = weekdays(20); // four weeks: blocks of 5 are Monday–Friday
    const folds = purgedKFoldSplits(20, { nSplits: 4, embargo: { days: 3 } }, { timestamps });
    expect(folds[0]?.test).toEqual([0, 1, 2, 3, 4]);
    expect(folds[0]?.train).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    // Blocks of four: the first ends on Thursday 4 Jan; three days later is Sunday, so only Friday is embargoed.
    const thursdayEnd = purgedKFoldSplits(20, { nSplits: 5, embargo: { days: 3 } }, { timestamps });
    expect(thursdayEnd[0]?.test).toEqual([0, 1, 2, 3]);
    expect(thursdayEnd[0]?.train[0]).toBe(5);
  });

  it('purge before every test group by time in CPCV', () => {
    const timestamps = weekdays(30);
    const [first] = combinatorialPurgedSplits(
      30,
      { nGroups: 3, nTestGroups: 1, purge: { days: 3 } },
      { timestamps },
    );
    // Group 0 is the first 10 weekdays; 3 days after its last timestamp (Friday 12 Jan) reaches Monday 15 Jan.
    expect(first?.test).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(first?.train[0]).toBe(11);
  });

  it('need timestamps, and refuse a count mixed with a duration', () => {
    expect(thrown(() => purgedKFoldSplits(20, { nSplits: 4, embargo: { days: 1 } })).message).toBe(
      'embargo is a duration, so split needs inputs.timestamps (one epoch-ms timestamp per observation)',
    );
    expect(
      thrown(() =>
        combinatorialPurgedSplits(
          20,
          { nGroups: 4, nTestGroups: 2, purge: 1, embargo: { days: 1 } },
          { timestamps: daily(20) },
        ),
      ).message,
    ).toBe('purge and embargo must both be counts or both be durations ({ days }, { hours }, { ms })');
    expect(
      thrown(() => purgedKFoldSplits(3, { nSplits: 2, embargo: { days: 1 } }, { timestamps: [3, 2, 1] }))
        .message,
    ).toMatch(/^inputs\.timestamps must be strictly increasing/);
  });

  it('are accepted by TimeSeriesCV options', () => {
    const cv = new TimeSeriesCV({ method: 'purged-kfold', nSplits: 4, embargo: { hours: 36 } });
    expect(cv.split(20, { timestamps: weekdays(20) })).toHaveLength(4);
    expect(
      thrown(() => new TimeSeriesCV({ method: 'purged-kfold', embargo: { weeks: 1 } } as never)).message,
    ).toMatch(/^Invalid TimeSeriesCV options: embargo: /);
  });
});
