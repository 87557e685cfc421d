import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawdownSeries, type MaxDrawdownResult, maxDrawdown } from '../../src/metrics/drawdown.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';

const cases = loadReferenceCases('returns');

describe('drawdowns against empyrical max_drawdown’s path in numpy (test/fixtures/fixture_returns.py)', () => {
  it('agrees on the maximum drawdown and where it lies', () => {
    const mdd = cases.filter((c) => c.fn === 'maxDrawdown');
    expect(mdd.length).toBeGreaterThan(50);
    for (const c of mdd) {
      const actual = maxDrawdown(c.args.returns as number[]);
      const expected = c.expected as MaxDrawdownResult;
      if (!close(actual.maxDrawdown, expected.maxDrawdown, 1e-9)) {
        expect(actual.maxDrawdown).toBe(expected.maxDrawdown);
      }
      expect({ ...actual, maxDrawdown: 0 }).toEqual({ ...expected, maxDrawdown: 0 });
    }
  });

  it('agrees on the drawdown series', () => {
    const series = cases.filter((c) => c.fn === 'drawdownSeries');
    expect(series.length).toBeGreaterThan(50);
    for (const c of series) {
      const actual = drawdownSeries(c.args.returns as number[]);
      const expected = c.expected as number[];
      expect(actual.length).toBe(expected.length);
      for (let i = 0; i < expected.length; i++) {
        if (!close(actual[i] as number, expected[i] as number, 1e-9)) expect(actual[i]).toBe(expected[i]);
      }
    }
  });
});

describe('maxDrawdown', () => {
  it('gives −0.02 on the golden vector, from the first period to the recovery at the sixth', () => {
    expect(maxDrawdown([0.01, -0.02, 0.015, 0.005, -0.01, 0.02, 0, -0.005, 0.012, -0.003])).toEqual({
      maxDrawdown: expect.closeTo(-0.02, 15),
      peakIndex: 0,
      troughIndex: 1,
      recoveryIndex: 5,
      durationPeriods: 5,
    });
  });

  it('counts a first-period loss against the starting value (peak index −1)', () => {
    // wealth 0.9, 0.945, 0.99225, 1.19070 → back above 1 only at the last period
    expect(maxDrawdown([-0.1, 0.05, 0.05, 0.2])).toEqual({
      maxDrawdown: expect.closeTo(-0.1, 15),
      peakIndex: -1,
      troughIndex: 0,
      recoveryIndex: 3,
      durationPeriods: 4,
    });
  });

  it('runs the duration to the last period when wealth never recovers', () => {
    // wealth 1.1, 0.55, 1.1, 1.1, 0.99: the −50% fall recovers; the later −10% does not but is smaller
    expect(maxDrawdown([0.1, -0.5, 1.0, 0.0, -0.1])).toEqual({
      maxDrawdown: -0.5,
      peakIndex: 0,
      troughIndex: 1,
      recoveryIndex: 2,
      durationPeriods: 2,
    });
    expect(maxDrawdown([0.1, -0.2, 0.05, -0.1])).toEqual({
      maxDrawdown: expect.closeTo((1.1 * 0.8 * 1.05 * 0.9) / 1.1 - 1, 15),
      peakIndex: 0,
      troughIndex: 3,
      recoveryIndex: null,
      durationPeriods: 3,
    });
  });

  it('takes the last peak of a plateau and the first of equal troughs', () => {
    // wealth 1.25, 1.25, 1, 1.25, 1: the plateau ends at index 1; two equal troughs at 2 and 4
    expect(maxDrawdown([0.25, 0, -0.2, 0.25, -0.2])).toEqual({
      maxDrawdown: expect.closeTo(-0.2, 15),
      peakIndex: 1,
      troughIndex: 2,
      recoveryIndex: 3,
      durationPeriods: 2,
    });
  });

  it('reports no drawdown as zeros at the first period', () => {
    expect(maxDrawdown([0.01, 0, 0.02])).toEqual({
      maxDrawdown: 0,
      peakIndex: 0,
      troughIndex: 0,
      recoveryIndex: 0,
      durationPeriods: 0,
    });
  });

  it('treats −1 as a total loss that never recovers', () => {
    expect(maxDrawdown([0.2, -1, 0.5])).toEqual({
      maxDrawdown: -1,
      peakIndex: 0,
      troughIndex: 1,
      recoveryIndex: null,
      durationPeriods: 2,
    });
  });

  it('handles 20,000 periods', () => {
    const r = Array.from({ length: 20_000 }, (_, i) => 0.01 * Math.sin(i / 7) + (i === 15_000 ? -0.6 : 0));
    const result = maxDrawdown(r);
    expect(result.troughIndex).toBeGreaterThanOrEqual(15_000);
    expect(result.maxDrawdown).toBeLessThan(-0.6);
    expect(Math.min(...drawdownSeries(r))).toBe(result.maxDrawdown);
  });

  it('rejects empty input and losses beyond 100%', () => {
    expect(() => maxDrawdown([])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: returns needs at least 1 value, received 0]`,
    );
    expect(() => drawdownSeries([0.1, -1.01])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: returns must be at least -1 (a loss of 100%), but returns[1] is -1.01]`,
    );
    expect(() => maxDrawdown([Number.NEGATIVE_INFINITY])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: returns must contain only finite numbers, but returns[0] is -Infinity]`,
    );
  });
});

describe('drawdownSeries', () => {
  it('never looks ahead: changing later returns leaves earlier drawdowns as they were', () => {
    const returns = fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), {
      minLength: 2,
      maxLength: 60,
    });
    fc.assert(
      fc.property(returns, fc.nat(), fc.double({ min: -0.9, max: 2, noNaN: true }), (r, at, value) => {
        const cut = at % r.length;
        const changed = r.slice();
        for (let i = cut; i < changed.length; i++) changed[i] = value;
        const before = drawdownSeries(r);
        const after = drawdownSeries(changed);
        for (let i = 0; i < cut; i++) expect(after[i]).toBe(before[i]);
      }),
    );
  });

  it('stays within [−1, 0] and is 0 exactly at new highs', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1, max: 3, noNaN: true }), { minLength: 1, maxLength: 80 }),
        (r) => {
          const dd = drawdownSeries(r);
          let wealth = 1;
          let peak = 1;
          for (let i = 0; i < r.length; i++) {
            wealth *= 1 + (r[i] as number);
            expect(dd[i]).toBeGreaterThanOrEqual(-1);
            expect(dd[i]).toBeLessThanOrEqual(0);
            if (wealth > peak) {
              peak = wealth;
              expect(dd[i]).toBe(0);
            }
          }
        },
      ),
    );
  });
});
