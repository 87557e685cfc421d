import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  annualVolatility,
  Backtester,
  type BacktestOptions,
  type Bars,
  cagr,
  calmarRatio,
  maxDrawdown,
  sharpeRatio,
  sortinoRatio,
  totalReturn,
} from '../../src/index.js';

// Hand-built cases of the execution model (src/backtest/engine.ts, docs/backtest.md): every expected fill and
// equity value is written out as arithmetic on the bars, with a comment naming the fill.

const DAY = 86_400_000;

/** Daily bars from opens and closes; high and low are the bar's extremes of open and close. */
function bars(open: number[], close: number[]): Bars {
  return {
    timestamp: close.map((_, i) => Date.UTC(2024, 0, 1) + i * DAY),
    open,
    close,
    high: close.map((c, i) => Math.max(c, open[i] as number)),
    low: close.map((c, i) => Math.min(c, open[i] as number)),
  };
}

function run(options: BacktestOptions, input: Bars, positions: number[]) {
  return new Backtester({ periodsPerYear: 252, ...options }).run({ bars: input, positions });
}

const OPEN = [100, 101, 104, 106, 105, 103];
const CLOSE = [100, 102, 103, 107, 104, 108];

describe('next-open execution', () => {
  it('fills an entry at the next open and marks the bar from the open, charging the cost on the equity there', () => {
    const r = run({ fees: { rate: 0.001 } }, bars(OPEN, CLOSE), [1, 1, 0, 0, 0, 0]);
    // Bar 1: flat until open[1] = 101, long 1 from there; the order costs 0.001 × 10 000.
    const e1 = 10_000 * (1 + 1 * (102 / 101 - 1)) - 0.001 * 10_000;
    // Bar 2: held 1 through the bar, close to close.
    const e2 = e1 * (1 + 1 * (103 / 102 - 1));
    // Bar 3: long 1 to open[3] = 106, then flat; the exit costs 0.001 of the equity at the open.
    const open3 = e2 * (1 + 1 * (106 / 103 - 1));
    const e3 = open3 * (1 + 0 * (107 / 106 - 1)) - 0.001 * open3;
    expect(r.equity[0]).toBe(10_000);
    expect(r.equity[1]).toBeCloseTo(e1, 9);
    expect(r.equity[2]).toBeCloseTo(e2, 9);
    expect(r.equity[3]).toBeCloseTo(e3, 9);
    expect(r.equity[4]).toBeCloseTo(e3, 9);
    expect(r.equity[5]).toBeCloseTo(e3, 9);
    expect(r.exposure).toEqual([0, 1, 1, 0, 0, 0]);
    expect(r.returns[0]).toBe(0);
    expect(r.returns[2]).toBeCloseTo(e2 / e1 - 1, 12);
    expect(r.trades).toHaveLength(1);
    const trade = r.trades[0];
    expect(trade).toMatchObject({
      entryIndex: 1,
      exitIndex: 3,
      entryPrice: 101,
      exitPrice: 106,
      entryTime: Date.UTC(2024, 0, 2),
      exitTime: Date.UTC(2024, 0, 4),
      direction: 'long',
      size: 1,
      barsHeld: 2,
      exitReason: 'signal',
    });
    expect(trade?.costs).toBeCloseTo(0.001 * 10_000 + 0.001 * open3, 9);
    expect(trade?.pnl).toBeCloseTo(e3 - 10_000, 9);
    expect(trade?.return).toBeCloseTo(e3 / 10_000 - 1, 12);
    expect(r.stats.totalCosts).toBeCloseTo(0.001 * 10_000 + 0.001 * open3, 9);
  });

  it('marks a change of exposure from the old exposure to the open and the new one from the open', () => {
    const r = run({}, bars(OPEN, CLOSE), [0.5, 1, 1, 1, 1, 1]);
    const e1 = 10_000 * (1 + 0.5 * (102 / 101 - 1)); // 0 → 0.5 at open[1] = 101
    const open2 = e1 * (1 + 0.5 * (104 / 102 - 1)); // 0.5 from close[1] to open[2]
    const e2 = open2 * (1 + 1 * (103 / 104 - 1)); // 1 from open[2] to close[2]
    expect(r.equity[1]).toBeCloseTo(e1, 9);
    expect(r.equity[2]).toBeCloseTo(e2, 9);
    expect(r.equity[3]).toBeCloseTo(e2 * (107 / 103), 9);
    // 0.5 → 1 adds to the long: still one trade, entered at open[1].
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]).toMatchObject({ entryIndex: 1, entryPrice: 101, size: 0.5, exitReason: 'end' });
  });

  it('compounds close to close while the exposure does not change, whatever the opens', () => {
    const a = run({ fees: { rate: 0.002 } }, bars(OPEN, CLOSE), [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    const otherOpens = [100, 101, 90, 120, 95, 111];
    const b = run({ fees: { rate: 0.002 } }, bars(otherOpens, CLOSE), [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    const e1 = 10_000 * (1 + 0.5 * (102 / 101 - 1)) - 0.002 * 0.5 * 10_000; // entry at open[1] = 101
    let expected = e1;
    for (let t = 2; t < CLOSE.length; t++) {
      expected *= 1 + 0.5 * ((CLOSE[t] as number) / (CLOSE[t - 1] as number) - 1);
      expect(a.equity[t]).toBeCloseTo(expected, 9);
      expect(b.equity[t]).toBeCloseTo(expected, 9);
    }
    expect(a.stats.totalCosts).toBeCloseTo(0.002 * 0.5 * 10_000, 12);
  });
});

describe('costs', () => {
  it('charges a fixed fee per change of position and none while the target repeats', () => {
    const r = run({ fees: { fixed: 5 } }, bars(OPEN, CLOSE), [1, 1, 0.5, 0.5, 0, 0]);
    const e1 = 10_000 * (102 / 101) - 5; // buy 1 at open[1]
    const e2 = e1 * (103 / 102); // unchanged: no fee
    const open3 = e2 * (106 / 103);
    const e3 = open3 * (1 + 0.5 * (107 / 106 - 1)) - 5; // sell 0.5 at open[3]
    const e4 = e3 * (1 + 0.5 * (104 / 107 - 1)); // unchanged: no fee
    const open5 = e4 * (1 + 0.5 * (103 / 104 - 1));
    const e5 = open5 - 5; // sell the rest at open[5]
    expect(r.equity.slice(1)).toEqual(
      [e1, e2, e3, e4, e5].map((v) => expect.closeTo(v, 9) as unknown as number),
    );
    expect(r.stats.totalCosts).toBe(15);
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]?.costs).toBe(15);
  });

  it('charges the minimum commission when the rate part is smaller, and the rate part when larger', () => {
    const small = run({ fees: { rate: 0.001, minimum: 20 } }, bars(OPEN, CLOSE), [0.5, 0.5, 0, 0, 0, 0]);
    // Entry: 0.001 × 0.5 × 10 000 = 5 < 20 → 20. Exit at open[3]: 0.001 × 0.5 × ~10 050 ≈ 5 < 20 → 20.
    const e1 = 10_000 * (1 + 0.5 * (102 / 101 - 1)) - 20;
    const e2 = e1 * (1 + 0.5 * (103 / 102 - 1));
    const open3 = e2 * (1 + 0.5 * (106 / 103 - 1));
    expect(small.equity[1]).toBeCloseTo(e1, 9);
    expect(small.equity[3]).toBeCloseTo(open3 - 20, 9);
    expect(small.stats.totalCosts).toBe(40);

    const large = run({ fees: { rate: 0.001, minimum: 5 } }, bars(OPEN, CLOSE), [1, 1, 1, 1, 1, 1]);
    // 0.001 × 1 × 10 000 = 10 > 5 → 10.
    expect(large.equity[1]).toBeCloseTo(10_000 * (102 / 101) - 10, 9);
    expect(large.stats.totalCosts).toBeCloseTo(10, 12);
  });

  it('counts half the spread per side, the same as a rate of spreadBps / 2e4 or that much slippage', () => {
    const positions = [1, 1, -1, -1, 0, 0];
    const spread = run({ spreadBps: 20 }, bars(OPEN, CLOSE), positions);
    const rate = run({ fees: { rate: 0.001 } }, bars(OPEN, CLOSE), positions);
    const slippage = run({ slippageBps: 10 }, bars(OPEN, CLOSE), positions);
    // Entry at open[1]: half of 20 bps = 10 bps of 10 000.
    expect(spread.equity[1]).toBeCloseTo(10_000 * (102 / 101) - 0.001 * 10_000, 9);
    for (let t = 0; t < positions.length; t++) {
      expect(spread.equity[t]).toBeCloseTo(rate.equity[t] as number, 9);
      expect(slippage.equity[t]).toBeCloseTo(rate.equity[t] as number, 9);
    }
    expect(spread.stats.totalCosts).toBeCloseTo(rate.stats.totalCosts, 9);
  });
});

describe('shorts and reversals', () => {
  it('gains on a short when the price falls', () => {
    const r = run({}, bars([100, 100, 95, 90], [100, 96, 92, 91]), [-1, 0, 0, 0]);
    const e1 = 10_000 * (1 - 1 * (96 / 100 - 1)); // short 1 at open[1] = 100
    const e2 = e1 * (1 - 1 * (95 / 96 - 1)); // covered at open[2] = 95
    expect(r.equity[1]).toBeCloseTo(e1, 9);
    expect(r.equity[2]).toBeCloseTo(e2, 9);
    expect(r.equity[3]).toBeCloseTo(e2, 9);
    expect(r.equity[2]).toBeGreaterThan(10_000);
    expect(r.exposure).toEqual([0, -1, 0, 0]);
    expect(r.trades[0]).toMatchObject({
      direction: 'short',
      entryPrice: 100,
      exitPrice: 95,
      exitReason: 'signal',
    });
    expect(r.trades[0]?.pnl).toBeCloseTo(e2 - 10_000, 9);
  });

  it('reverses long → short in one order split pro rata between the two trades', () => {
    const r = run({ fees: { rate: 0.001 } }, bars(OPEN, CLOSE), [1, -1, -1, 0, 0, 0]);
    const e1 = 10_000 * (102 / 101) - 0.001 * 10_000; // buy 1 at open[1] = 101
    const open2 = e1 * (104 / 102); // long to open[2] = 104
    const reversal = 0.001 * 2 * open2; // |−1 − 1| = 2 of exposure traded at open[2]
    const e2 = open2 * (1 - 1 * (103 / 104 - 1)) - reversal;
    const e3 = e2 * (1 - 1 * (107 / 103 - 1)); // short through bar 3
    const open4 = e3 * (1 - 1 * (105 / 107 - 1)); // short to open[4] = 105
    const e4 = open4 - 0.001 * open4; // cover at open[4]
    expect(r.equity[2]).toBeCloseTo(e2, 9);
    expect(r.equity[3]).toBeCloseTo(e3, 9);
    expect(r.equity[4]).toBeCloseTo(e4, 9);
    expect(r.exposure).toEqual([0, 1, -1, -1, 0, 0]);
    expect(r.trades).toHaveLength(2);
    const [long, short] = r.trades;
    expect(long).toMatchObject({
      direction: 'long',
      entryIndex: 1,
      exitIndex: 2,
      exitPrice: 104,
      exitReason: 'signal',
    });
    expect(short).toMatchObject({
      direction: 'short',
      entryIndex: 2,
      entryPrice: 104,
      exitIndex: 4,
      exitPrice: 105,
      size: 1,
    });
    // The long's share of the reversal is 1 / (1 + 1).
    expect(long?.costs).toBeCloseTo(0.001 * 10_000 + reversal / 2, 9);
    expect(short?.costs).toBeCloseTo(reversal / 2 + 0.001 * open4, 9);
    expect(long?.pnl).toBeCloseTo(open2 - reversal / 2 - 10_000, 9);
    expect(short?.pnl).toBeCloseTo(e4 - (open2 - reversal / 2), 9);
    expect((long?.pnl ?? 0) + (short?.pnl ?? 0)).toBeCloseTo((r.equity[5] as number) - 10_000, 9);
    expect((long?.costs ?? 0) + (short?.costs ?? 0)).toBeCloseTo(r.stats.totalCosts, 9);
  });

  it('splits an uneven reversal by the exposure closed and opened', () => {
    const r = run({ fees: { fixed: 9 } }, bars(OPEN, CLOSE), [1, -0.5, -0.5, -0.5, -0.5, -0.5]);
    const [long, short] = r.trades;
    expect(long?.costs).toBeCloseTo(9 + 9 * (1 / 1.5), 12);
    expect(short?.costs).toBeCloseTo(9 * (0.5 / 1.5), 12);
    expect(short).toMatchObject({ size: 0.5, exitReason: 'end', exitIndex: 5 });
  });
});

describe('the ends of the run', () => {
  it('ignores the last decision, which has no bar to act on', () => {
    for (const execution of ['next-open', 'close'] as const) {
      const r = run({ execution, fees: { fixed: 1 } }, bars(OPEN, CLOSE), [0, 0, 0, 0, 0, 1]);
      expect(r.equity).toEqual([10_000, 10_000, 10_000, 10_000, 10_000, 10_000]);
      expect(r.trades).toEqual([]);
      expect(r.stats.totalCosts).toBe(0);
    }
  });

  it("closes a trade still open at the last close with reason 'end' and no exit cost", () => {
    const r = run({ fees: { rate: 0.001 } }, bars(OPEN, CLOSE), [1, 1, 1, 1, 1, 0]);
    const final = (10_000 * (102 / 101) - 10) * (108 / 102); // entry at open[1], held to close[5]
    expect(r.equity[5]).toBeCloseTo(final, 9);
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]).toMatchObject({ exitIndex: 5, exitPrice: 108, exitReason: 'end', barsHeld: 4 });
    expect(r.trades[0]?.costs).toBeCloseTo(10, 12);
    expect(r.trades[0]?.pnl).toBeCloseTo(final - 10_000, 9);
    expect(r.stats.totalCosts).toBeCloseTo(10, 12);
    expect(r.exposure[5]).toBe(1);
  });

  it('floors equity at zero on ruin, records the bar and stops trading', () => {
    const r = run(
      { maxLeverage: 3, fees: { fixed: 1 } },
      bars([100, 100, 90, 60, 70], [100, 95, 60, 65, 70]),
      [3, 3, 3, 0, 3],
    );
    const e1 = 10_000 * (1 + 3 * (95 / 100 - 1)) - 1; // long 3 at open[1] = 100: 8 499
    expect(r.equity[1]).toBeCloseTo(e1, 9);
    // Bar 2: 1 + 3 × (60 / 95 − 1) < 0, so equity is gone.
    expect(1 + 3 * (60 / 95 - 1)).toBeLessThan(0);
    expect(r.equity.slice(2)).toEqual([0, 0, 0]);
    expect(r.ruinIndex).toBe(2);
    expect(r.exposure.slice(2)).toEqual([0, 0, 0]);
    expect(r.returns.slice(2)).toEqual([-1, 0, 0]);
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]).toMatchObject({
      exitIndex: 2,
      exitPrice: 60,
      exitReason: 'ruin',
      pnl: -10_000,
      return: -1,
    });
    expect(r.stats.totalCosts).toBe(1); // no order after the ruin
    expect(r.stats.finalEquity).toBe(0);
    expect(r.stats.totalReturn).toBe(-1);
    expect(r.stats.maxDrawdown).toBe(-1);
  });

  it('floors the trade at a total loss when the costs of a stop exit take equity below zero', () => {
    const r = run(
      { maxLeverage: 2, stopLoss: 0.5, fees: { fixed: 1 } },
      // open, high, low, close as columns: short 2 at open[1] = 100, stop at 150 hit on bar 2.
      {
        timestamp: [0, 1, 2].map((i) => Date.UTC(2024, 0, 1) + i * DAY),
        open: [100, 100, 120],
        high: [100, 100, 160],
        low: [100, 100, 110],
        close: [100, 100, 130],
      },
      [-2, -2, -2],
    );
    // At the stop: 9 999 × (1 − 2 × (150 / 100 − 1)) = 0, and the exit's fixed fee of 1 takes it to −1.
    expect(r.equity).toEqual([10_000, 9_999, 0]);
    expect(r.ruinIndex).toBe(2);
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]).toMatchObject({ exitIndex: 2, exitPrice: 150 });
    // The account cannot lose more than it had: the trade loses the 10 000 there were before its entry.
    expect(r.trades[0]?.pnl).toBe(-10_000);
    expect(r.trades[0]?.return).toBe(-1);
  });

  it('has no ruin index when equity survives', () => {
    expect(run({}, bars(OPEN, CLOSE), [1, 1, 1, 1, 1, 1]).ruinIndex).toBeNull();
  });
});

describe('trade and activity statistics', () => {
  // Two long trades: bars 1–2 and bars 4–6 (entries at open[1] and open[4], exits at open[2] and open[6]).
  const open = [10, 10, 11, 12, 13, 12, 14, 15];
  const close = [10, 11, 12, 13, 12, 14, 15, 16];
  const positions = [1, 0, 0, 1, 1, 0, 0, 0];

  it('counts exposure, turnover, costs, trades and bars held by hand', () => {
    const r = run({ fees: { fixed: 3 } }, bars(open, close), positions);
    expect(r.exposure).toEqual([0, 1, 0, 0, 1, 1, 0, 0]);
    expect(r.trades.map((t) => [t.entryIndex, t.exitIndex, t.barsHeld])).toEqual([
      [1, 2, 1],
      [4, 6, 2],
    ]);
    expect(r.stats.trades).toBe(2);
    expect(r.stats.averageBarsHeld).toBe((1 + 2) / 2);
    // A position is on during bars 1, 2 (until its open), 4, 5 and 6 (until its open): 5 of 7 periods.
    expect(r.stats.exposure).toBe(5 / 7);
    // Four orders of size 1 over 7 periods, 252 periods a year.
    expect(r.stats.turnover).toBeCloseTo((4 * 252) / 7, 12);
    expect(r.stats.totalCosts).toBe(4 * 3);
    const returns = r.trades.map((t) => t.return);
    expect(r.stats.expectancy).toBeCloseTo(((returns[0] as number) + (returns[1] as number)) / 2, 12);
    expect(r.stats.averageTrade).toBe(r.stats.expectancy);
    expect(r.stats.bestTrade).toBe(Math.max(...returns));
    expect(r.stats.worstTrade).toBe(Math.min(...returns));
    // Trade 1: 10 → 11 at the opens, less 3 + 3; trade 2: 13 → 14 at the opens, less 3 + 3: both win.
    expect(returns[0]).toBeCloseTo((10_000 * (11 / 10) - 6) / 10_000 - 1, 12);
    expect(r.stats.winRate).toBe(1);
    expect(r.stats.profitFactor).toBe(Number.POSITIVE_INFINITY);
  });

  it('reports NaN trade statistics and zero exposure without trades', () => {
    const r = run({}, bars(open, close), [0, 0, 0, 0, 0, 0, 0, 0]);
    expect(r.stats.trades).toBe(0);
    expect(r.stats.exposure).toBe(0);
    expect(r.stats.turnover).toBe(0);
    for (const key of ['winRate', 'profitFactor', 'expectancy', 'averageBarsHeld', 'bestTrade'] as const) {
      expect(r.stats[key]).toBeNaN();
    }
  });

  it("counts with execution 'close' only the periods a position is held over", () => {
    // Long from close[0] to close[1]: only period 1 (close[0] → close[1]) holds a position.
    const r = run({ execution: 'close' }, bars(open, close), [1, 0, 0, 0, 0, 0, 0, 0]);
    expect(r.equity[1]).toBeCloseTo(10_000 * (11 / 10), 9);
    expect(r.equity[2]).toBeCloseTo(10_000 * (11 / 10), 9);
    expect(r.exposure).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(r.stats.exposure).toBe(1 / 7);
  });
});

describe('periods per year', () => {
  const closes = (n: number) => Array.from({ length: n }, (_, i) => 100 + (i % 5));
  const inferred = (timestamp: number[]) =>
    new Backtester({ execution: 'close' }).run({
      bars: { timestamp, close: closes(timestamp.length) },
      positions: timestamp.map(() => 1),
    }).periodsPerYear;

  it('infers 252 from trading-day bars (weekdays less exchange holidays)', () => {
    // Two years of weekdays without nine holidays a year: about 252 bars a year.
    const holidays = new Set([0, 15, 50, 88, 148, 185, 246, 326, 359]);
    const timestamp: number[] = [];
    for (let day = 0; day < 731; day++) {
      const time = Date.UTC(2021, 0, 1) + day * DAY;
      const weekday = new Date(time).getUTCDay();
      if (weekday !== 0 && weekday !== 6 && !holidays.has(day % 365)) timestamp.push(time);
    }
    expect(inferred(timestamp)).toBe(252);
  });

  it('infers 365 from calendar days and 52 from weeks', () => {
    expect(inferred(Array.from({ length: 400 }, (_, i) => Date.UTC(2020, 0, 1) + i * DAY))).toBe(365);
    expect(inferred(Array.from({ length: 120 }, (_, i) => Date.UTC(2020, 0, 6) + i * 7 * DAY))).toBe(52);
  });

  it('keeps the raw bars per year of an irregular spacing', () => {
    // Every third day: (n − 1) periods over (n − 1) × 3 days = 365.25 / 3 bars a year, near no common frequency.
    const timestamp = Array.from({ length: 200 }, (_, i) => Date.UTC(2020, 0, 1) + i * 3 * DAY);
    expect(inferred(timestamp)).toBeCloseTo(365.25 / 3, 9);
  });

  it('uses the given periodsPerYear', () => {
    const r = run({ periodsPerYear: 12 }, bars(OPEN, CLOSE), [1, 1, 1, 1, 1, 1]);
    expect(r.periodsPerYear).toBe(12);
  });
});

describe('benchmark', () => {
  it('is buy-and-hold of the closes, with the metrics functions', () => {
    const close = [100, 104, 101, 97, 99, 106, 103, 108, 110, 107];
    const open = close.map((c, i) => (i === 0 ? c : (close[i - 1] as number)));
    const options = { periodsPerYear: 252, riskFreeRate: 0.02 };
    const r = new Backtester({ ...options, fees: { rate: 0.01 } }).run({
      bars: bars(open, close),
      positions: close.map((_, i) => (i % 3 === 0 ? 1 : -1)),
    });
    const closeReturns = close.slice(1).map((c, i) => c / (close[i] as number) - 1);
    const drawdown = maxDrawdown(closeReturns);
    expect(r.benchmark.totalReturn).toBeCloseTo(107 / 100 - 1, 12);
    expect(r.benchmark.totalReturn).toBeCloseTo(totalReturn(closeReturns), 12);
    expect(r.benchmark.cagr).toBeCloseTo(cagr(closeReturns, { periodsPerYear: 252 }), 12);
    expect(r.benchmark.annualVolatility).toBeCloseTo(
      annualVolatility(closeReturns, { periodsPerYear: 252 }),
      12,
    );
    expect(r.benchmark.sharpe).toBeCloseTo(sharpeRatio(closeReturns, options), 12);
    expect(r.benchmark.sortino).toBeCloseTo(sortinoRatio(closeReturns, options), 12);
    // Growth is the last close over the first here and a product of returns there: equal to rounding.
    expect(r.benchmark.calmar / calmarRatio(closeReturns, { periodsPerYear: 252 }) - 1).toBeCloseTo(0, 13);
    expect(r.benchmark.maxDrawdown).toBeCloseTo(97 / 104 - 1, 12);
    expect(r.benchmark.maxDrawdown).toBeCloseTo(drawdown.maxDrawdown, 12);
    // Peak close[1] = 104, recovered at close[5] = 106: 4 bars.
    expect(r.benchmark.maxDrawdownDuration).toBe(4);
    expect(r.benchmark.maxDrawdownDuration).toBe(drawdown.durationPeriods);
  });
});

describe('trade accounting', () => {
  const price = fc.double({ min: 50, max: 150, noNaN: true });
  const wick = fc.double({ min: 0, max: 0.1, noNaN: true });
  const bar = fc.record({ open: price, close: price, up: wick, down: wick });
  const run = fc.integer({ min: 2, max: 30 }).chain((n) =>
    fc.record({
      bars: fc.array(bar, { minLength: n, maxLength: n }),
      positions: fc.array(fc.constantFrom(-2, -1, -0.5, 0, 0.5, 1, 2), { minLength: n, maxLength: n }),
      execution: fc.constantFrom('next-open' as const, 'close' as const),
      stopLoss: fc.option(fc.double({ min: 0.01, max: 0.2, noNaN: true }), { nil: undefined }),
      takeProfit: fc.option(fc.double({ min: 0.01, max: 0.3, noNaN: true }), { nil: undefined }),
      trailingStop: fc.option(fc.double({ min: 0.01, max: 0.2, noNaN: true }), { nil: undefined }),
    }),
  );

  it('adds the trades up to the run: Σ pnl = final − initial equity and Σ costs = totalCosts', () => {
    fc.assert(
      fc.property(run, (s) => {
        const { bars: rows, positions, ...rest } = s;
        const options: BacktestOptions = { maxLeverage: 2, fees: { rate: 0.001, fixed: 2, minimum: 3 } };
        for (const [key, value] of Object.entries(rest)) {
          if (value !== undefined) Object.assign(options, { [key]: value });
        }
        const r = new Backtester({ periodsPerYear: 252, ...options }).run({
          bars: {
            timestamp: rows.map((_, i) => Date.UTC(2024, 0, 1) + i * DAY),
            open: rows.map((b) => b.open),
            close: rows.map((b) => b.close),
            high: rows.map((b) => Math.max(b.open, b.close) * (1 + b.up)),
            low: rows.map((b) => Math.min(b.open, b.close) * (1 - b.down)),
          },
          positions,
        });
        // A ruin is its own case (below): here the run must keep some equity.
        fc.pre(r.ruinIndex === null);
        const pnl = r.trades.reduce((sum, t) => sum + t.pnl, 0);
        const costs = r.trades.reduce((sum, t) => sum + t.costs, 0);
        expect(pnl).toBeCloseTo((r.equity.at(-1) as number) - 10_000, 6);
        expect(costs).toBeCloseTo(r.stats.totalCosts, 6);
        for (const t of r.trades) {
          expect(t.barsHeld).toBe(t.exitIndex - t.entryIndex);
          expect(t.barsHeld).toBeGreaterThanOrEqual(0);
          expect(Math.sign(t.return)).toBe(Math.sign(t.pnl));
        }
        // Consecutive trades do not overlap.
        for (let i = 1; i < r.trades.length; i++) {
          expect(r.trades[i]?.entryIndex).toBeGreaterThanOrEqual(r.trades[i - 1]?.exitIndex as number);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('series formats', () => {
  // 1,500 bars: several blocks of the simulation, shorts, leverage, stops and costs.
  const n = 1500;
  const close: number[] = [];
  const open: number[] = [];
  let price = 100;
  for (let i = 0; i < n; i++) {
    open.push(price * (1 + 0.004 * Math.sin(i * 1.7)));
    price *= 1 + 0.012 * Math.sin(i * 0.37) * Math.cos(i * 0.011) + 0.0004;
    close.push(price);
  }
  const input = {
    bars: bars(open, close),
    positions: close.map((_, i) => [0, 1, 1.5, -1, 0.5][Math.floor(i / 37) % 5] as number),
  };
  const options: BacktestOptions = {
    fees: { rate: 0.001, fixed: 1 },
    slippageBps: 3,
    maxLeverage: 2,
    allowShort: true,
    stopLoss: 0.03,
    riskFreeRate: 0.02,
    periodsPerYear: 252,
  };

  it('gives the same trades and statistics as JSON, typed arrays or no series', () => {
    const bt = new Backtester(options);
    const json = bt.run(input);
    const typed = bt.run(input, { series: 'typed' });
    const none = bt.run(input, { series: 'none' });
    expect(json.trades.length).toBeGreaterThan(20);
    expect(typed.equity).toBeInstanceOf(Float64Array);
    expect(Array.from(typed.equity)).toEqual(json.equity);
    expect(Array.from(typed.drawdown)).toEqual(json.drawdown);
    expect(Object.keys(none).sort()).toEqual(['benchmark', 'periodsPerYear', 'ruinIndex', 'stats', 'trades']);
    for (const result of [typed, none]) {
      expect(result.stats).toEqual(json.stats);
      expect(result.trades).toEqual(json.trades);
      expect(result.benchmark).toEqual(json.benchmark);
    }
  });

  it('computes the statistics of its series as the metrics functions do', () => {
    const r = new Backtester(options).run(input);
    const returns = r.returns.slice(1);
    const settings = { periodsPerYear: 252, riskFreeRate: 0.02 };
    expect(r.stats.sharpe).toBe(sharpeRatio(returns, settings));
    expect(r.stats.sortino).toBe(sortinoRatio(returns, settings));
    expect(r.stats.annualVolatility).toBe(annualVolatility(returns, { periodsPerYear: 252 }));
    expect(r.stats.maxDrawdown).toBe(Math.min(...r.drawdown));
    // The equity curve compounds the returns: its drawdown is the returns' drawdown, to rounding.
    const worst = maxDrawdown(returns);
    expect(r.stats.maxDrawdown).toBeCloseTo(worst.maxDrawdown, 12);
    expect(r.stats.maxDrawdownDuration).toBe(worst.durationPeriods);
    expect(r.stats.totalReturn).toBeCloseTo(totalReturn(returns), 12);
  });

  it('rejects an unknown series format', () => {
    expect(() => new Backtester().run(input, { series: 'csv' as 'json' })).toThrow(
      /Backtester.run options: series/,
    );
  });
});
