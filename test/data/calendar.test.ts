import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { businessTimeMs, formatDuration } from '../../src/data/calendar.js';

const DAY = 86_400_000;

describe('businessTimeMs', () => {
  it('counts Monday to Friday only', () => {
    const at = (m: number, d: number, h = 0) => businessTimeMs(Date.UTC(2024, m - 1, d, h));
    expect(at(1, 8) - at(1, 5)).toBe(DAY); // Friday to Monday
    expect(at(1, 6, 12) - at(1, 5)).toBe(DAY); // Friday to Saturday noon: the weekend does not count
    expect(at(1, 15) - at(1, 8)).toBe(5 * DAY); // a week
    expect(at(1, 2, 6) - at(1, 2)).toBe(6 * 3_600_000); // inside a weekday
    expect(businessTimeMs(-3 * DAY) - businessTimeMs(-10 * DAY)).toBe(5 * DAY); // before the epoch
  });

  it('never decreases and grows by at most the elapsed time (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 4e12 }), fc.integer({ min: 0, max: 30 * DAY }), (t, dt) => {
        const step = businessTimeMs(t + dt) - businessTimeMs(t);
        expect(step).toBeGreaterThanOrEqual(0);
        expect(step).toBeLessThanOrEqual(dt);
        // every full week holds exactly five business days
        expect(businessTimeMs(t + 7 * DAY) - businessTimeMs(t)).toBe(5 * DAY);
      }),
      { seed: 7 },
    );
  });
});

describe('formatDuration', () => {
  it('picks the largest unit that fits', () => {
    expect([DAY, 2.5 * DAY, 90 * 60_000, 60_000, 1500, 250].map(formatDuration)).toEqual([
      '1 day',
      '2.5 days',
      '1.5 hours',
      '1 minute',
      '1.5 seconds',
      '250 ms',
    ]);
  });
});
