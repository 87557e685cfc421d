import { describe, expect, it } from 'vitest';
import { Backtester, type BacktestOptions, type Bars } from '../../src/index.js';

// Hand-built stop and target cases: levels come from the entry fill price, a gap through a level fills at the
// open, a bar touching both levels exits at the stop, and the trailing stop follows the best price of the
// previous bars. Each case writes out the exit price, the exit bar and the reason.

const DAY = 86_400_000;

/** Bars as [open, high, low, close] rows. */
function bars(rows: Array<[number, number, number, number]>): Bars {
  return {
    timestamp: rows.map((_, i) => Date.UTC(2024, 0, 1) + i * DAY),
    open: rows.map((r) => r[0]),
    high: rows.map((r) => r[1]),
    low: rows.map((r) => r[2]),
    close: rows.map((r) => r[3]),
  };
}

function run(options: BacktestOptions, rows: Array<[number, number, number, number]>, positions: number[]) {
  return new Backtester({ periodsPerYear: 252, ...options }).run({ bars: bars(rows), positions });
}

describe('stop-loss and take-profit of a long', () => {
  // Entry at open[1] = 100: stop 95 (5%), target 110 (10%).
  const options = { stopLoss: 0.05, takeProfit: 0.1 };

  it('exits at the stop level when the low touches it', () => {
    const r = run(
      options,
      [
        [100, 100, 100, 100],
        [100, 103, 98, 102],
        [101, 102, 94, 96], // low 94 ≤ 95
        [96, 99, 95, 98],
      ],
      [1, 1, 1, 1],
    );
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]).toMatchObject({ entryIndex: 1, entryPrice: 100, exitIndex: 2, exitPrice: 95 });
    expect(r.trades[0]?.exitReason).toBe('stop-loss');
    const e1 = 10_000 * (102 / 100);
    expect(r.equity[1]).toBeCloseTo(e1, 9);
    expect(r.equity[2]).toBeCloseTo(e1 * (95 / 102), 9); // = 10 000 × 95 / 100
    expect(r.equity[3]).toBeCloseTo(e1 * (95 / 102), 9); // flat after the stop
    expect(r.exposure).toEqual([0, 1, 0, 0]);
  });

  it('exits at the target level when the high touches it', () => {
    const r = run(
      options,
      [
        [100, 100, 100, 100],
        [100, 103, 98, 102],
        [104, 111, 103, 108], // high 111 ≥ 110
        [108, 109, 100, 101],
      ],
      [1, 1, 1, 1],
    );
    expect(r.trades[0]).toMatchObject({ exitIndex: 2, exitReason: 'take-profit' });
    expect(r.trades[0]?.exitPrice).toBeCloseTo(100 * 1.1, 12);
    expect(r.equity[2]).toBeCloseTo(10_000 * (110 / 100), 9);
    expect(r.equity[3]).toBeCloseTo(10_000 * (110 / 100), 9);
  });

  it('exits at the stop when one bar touches both levels', () => {
    const r = run(
      options,
      [
        [100, 100, 100, 100],
        [100, 103, 98, 102],
        [102, 112, 93, 105], // high 112 ≥ 110 and low 93 ≤ 95
        [105, 106, 104, 105],
      ],
      [1, 1, 1, 1],
    );
    expect(r.trades[0]).toMatchObject({ exitIndex: 2, exitPrice: 95, exitReason: 'stop-loss' });
    expect(r.equity[2]).toBeCloseTo(10_000 * (95 / 100), 9);
  });

  it('fills a gap down through the stop at the open', () => {
    const r = run(
      options,
      [
        [100, 100, 100, 100],
        [100, 103, 98, 102],
        [92, 97, 90, 96], // opens at 92, below the stop at 95
        [96, 99, 95, 98],
      ],
      [1, 1, 1, 1],
    );
    expect(r.trades[0]).toMatchObject({ exitIndex: 2, exitPrice: 92, exitReason: 'stop-loss' });
    expect(r.equity[2]).toBeCloseTo(10_000 * (102 / 100) * (92 / 102), 9);
  });

  it('fills a gap up through the target at the open, as a take-profit', () => {
    const r = run(
      options,
      [
        [100, 100, 100, 100],
        [100, 103, 98, 102],
        [113, 115, 108, 109], // opens at 113, above the target at 110
        [109, 110, 108, 109],
      ],
      [1, 1, 1, 1],
    );
    expect(r.trades[0]).toMatchObject({ exitIndex: 2, exitPrice: 113, exitReason: 'take-profit' });
    expect(r.equity[2]).toBeCloseTo(10_000 * (113 / 100), 9);
  });

  it('fills a gap through the stop at the open also when the exposure is resized at that open', () => {
    // Long 1 from open[1] = 100 (stop 95). positions[1] = 0.5 resizes the long at open[2] = 92, which is already
    // through the stop: the rest of the position exits at the open too. The bar never trades at 95 (high 94).
    const r = run(
      options,
      [
        [100, 100, 100, 100],
        [100, 103, 98, 102],
        [92, 94, 90, 93],
        [93, 94, 92, 93],
      ],
      [1, 0.5, 0.5, 0.5],
    );
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]).toMatchObject({ exitIndex: 2, exitPrice: 92, exitReason: 'stop-loss' });
    expect(r.equity[2]).toBeCloseTo(10_000 * (102 / 100) * (92 / 102), 9);
    expect(r.exposure).toEqual([0, 1, 0, 0]);
  });

  it('checks the entry bar itself from the fill at its open', () => {
    const r = run(
      options,
      [
        [100, 100, 100, 100],
        [100, 101, 94, 97], // entered at open 100, low 94 ≤ 95 on the same bar
        [97, 98, 96, 97],
      ],
      [1, 1, 1],
    );
    expect(r.trades[0]).toMatchObject({ entryIndex: 1, exitIndex: 1, exitPrice: 95, barsHeld: 0 });
    expect(r.equity[1]).toBeCloseTo(10_000 * (95 / 100), 9);
  });
});

describe('stops of a short, mirrored', () => {
  // Short at open[1] = 100: stop 105 (above), target 90 (below).
  const options = { stopLoss: 0.05, takeProfit: 0.1 };

  it('exits at the stop above the entry when the high touches it', () => {
    const r = run(
      options,
      [
        [100, 100, 100, 100],
        [100, 102, 97, 99],
        [100, 106, 98, 104], // high 106 ≥ 105
        [104, 105, 103, 104],
      ],
      [-1, -1, -1, -1],
    );
    expect(r.trades[0]).toMatchObject({ direction: 'short', exitIndex: 2, exitPrice: 105 });
    expect(r.trades[0]?.exitReason).toBe('stop-loss');
    // Exposure is a constant fraction of equity: short 1 from close[1] = 99 to the stop at 105.
    expect(r.equity[2]).toBeCloseTo(10_000 * (1 - (99 / 100 - 1)) * (1 - (105 / 99 - 1)), 9);
  });

  it('exits at the target below the entry when the low touches it', () => {
    const r = run(
      options,
      [
        [100, 100, 100, 100],
        [100, 102, 97, 99],
        [98, 99, 89, 91], // low 89 ≤ 90
        [91, 92, 90, 91],
      ],
      [-1, -1, -1, -1],
    );
    expect(r.trades[0]).toMatchObject({ exitIndex: 2, exitPrice: 90, exitReason: 'take-profit' });
    expect(r.equity[2]).toBeCloseTo(10_000 * (1 - (99 / 100 - 1)) * (1 - (90 / 99 - 1)), 9);
  });

  it('fills gaps at the open: up through the stop, down through the target', () => {
    const stopped = run(
      options,
      [
        [100, 100, 100, 100],
        [100, 102, 97, 99],
        [107, 108, 104, 105], // opens above the stop at 105
      ],
      [-1, -1, -1],
    );
    expect(stopped.trades[0]).toMatchObject({ exitIndex: 2, exitPrice: 107, exitReason: 'stop-loss' });
    expect(stopped.equity[2]).toBeCloseTo(10_000 * (1 - (99 / 100 - 1)) * (1 - (107 / 99 - 1)), 9);
    const target = run(
      options,
      [
        [100, 100, 100, 100],
        [100, 102, 97, 99],
        [88, 92, 87, 91], // opens below the target at 90
      ],
      [-1, -1, -1],
    );
    expect(target.trades[0]).toMatchObject({ exitIndex: 2, exitPrice: 88, exitReason: 'take-profit' });
  });

  it('stops at the stop when one bar touches both levels', () => {
    const r = run(
      options,
      [
        [100, 100, 100, 100],
        [100, 102, 97, 99],
        [99, 106, 89, 95],
      ],
      [-1, -1, -1],
    );
    expect(r.trades[0]).toMatchObject({ exitIndex: 2, exitPrice: 105, exitReason: 'stop-loss' });
  });
});

describe('trailing stop', () => {
  it('follows the highest high of the previous bars, not of the bar being checked', () => {
    const r = run(
      { trailingStop: 0.1 },
      [
        [100, 100, 100, 100],
        [100, 110, 95, 108], // entry at 100: trail 100 × 0.9 = 90; with this bar's high it would be 99 > 95
        [108, 120, 105, 118], // trail 110 × 0.9 = 99, not hit; with this bar's high it would be 108 > 105
        [118, 119, 107, 110], // trail 120 × 0.9 = 108, low 107 ≤ 108: exit at 108
        [110, 111, 109, 110],
      ],
      [1, 1, 1, 1, 1],
    );
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]).toMatchObject({
      entryIndex: 1,
      exitIndex: 3,
      exitPrice: 108,
      exitReason: 'trailing-stop',
    });
    expect(r.equity[3]).toBeCloseTo(10_000 * (108 / 100), 9);
    expect(r.exposure).toEqual([0, 1, 1, 0, 0]);
  });

  it('follows the lowest low for a short', () => {
    const r = run(
      { trailingStop: 0.1 },
      [
        [100, 100, 100, 100],
        [100, 104, 90, 92], // trail 110; lowest low afterwards 90
        [92, 98, 80, 85], // trail 90 × 1.1 = 99, not hit by 98; lowest low now 80
        [85, 89, 84, 86], // trail 80 × 1.1 = 88, high 89 ≥ 88: exit at 88
      ],
      [-1, -1, -1, -1],
    );
    expect(r.trades[0]).toMatchObject({ direction: 'short', exitIndex: 3, exitReason: 'trailing-stop' });
    expect(r.trades[0]?.exitPrice).toBeCloseTo(80 * 1.1, 12);
    const e2 = 10_000 * (1 - (92 / 100 - 1)) * (1 - (85 / 92 - 1));
    expect(r.equity[3]).toBeCloseTo(e2 * (1 - (88 / 85 - 1)), 9);
  });

  it('is reported as a stop-loss while the fixed stop is the tighter level', () => {
    const r = run(
      { trailingStop: 0.1, stopLoss: 0.05 },
      [
        [100, 100, 100, 100],
        [100, 102, 99, 101], // stop 95 above trail 90
        [101, 102, 94, 95], // stop 95 vs trail 102 × 0.9 = 91.8: the stop is tighter
      ],
      [1, 1, 1],
    );
    expect(r.trades[0]).toMatchObject({ exitIndex: 2, exitPrice: 95, exitReason: 'stop-loss' });
  });
});

describe('after a stop', () => {
  const rows: Array<[number, number, number, number]> = [
    [100, 100, 100, 100],
    [100, 103, 98, 102],
    [101, 102, 94, 96], // stop at 95
    [96, 99, 95, 98],
    [98, 100, 97, 99],
    [99, 101, 98, 100],
    [101, 103, 100, 102],
  ];

  it('stays flat while the target repeats and re-enters when it changes', () => {
    const r = run({ stopLoss: 0.05 }, rows, [1, 1, 1, 1, 0, 1, 1]);
    expect(r.exposure).toEqual([0, 1, 0, 0, 0, 0, 1]);
    expect(r.trades).toHaveLength(2);
    expect(r.trades[0]).toMatchObject({ exitIndex: 2, exitPrice: 95, exitReason: 'stop-loss' });
    // positions[5] = 1 after positions[4] = 0: a new long at open[6] = 101.
    expect(r.trades[1]).toMatchObject({ entryIndex: 6, entryPrice: 101, exitIndex: 6, exitReason: 'end' });
    const flat = 10_000 * (95 / 100);
    expect(r.equity.slice(2, 6)).toEqual([flat, flat, flat, flat].map((v) => expect.closeTo(v, 9)));
    expect(r.equity[6]).toBeCloseTo(flat * (102 / 101), 9);
  });

  it('re-enters at a changed exposure of the same sign', () => {
    const r = run({ stopLoss: 0.05 }, rows, [1, 1, 1, 0.5, 0.5, 0.5, 0.5]);
    expect(r.exposure).toEqual([0, 1, 0, 0, 0.5, 0.5, 0.5]);
    expect(r.trades[1]).toMatchObject({ entryIndex: 4, entryPrice: 98, size: 0.5 });
  });
});

describe("stops with execution 'close'", () => {
  it('enters at the deciding close and treats the next open as a gap check', () => {
    const gap = run(
      { execution: 'close', stopLoss: 0.05 },
      [
        [100, 100, 100, 100], // entry at close[0] = 100: stop 95
        [94, 96, 93, 95], // opens at 94, below the stop
        [95, 96, 94, 95],
      ],
      [1, 1, 1],
    );
    expect(gap.trades[0]).toMatchObject({ entryIndex: 0, entryPrice: 100, exitIndex: 1, exitPrice: 94 });
    expect(gap.trades[0]?.exitReason).toBe('stop-loss');
    expect(gap.equity[1]).toBeCloseTo(10_000 * (94 / 100), 9);
    expect(gap.exposure).toEqual([1, 0, 0]);

    const intrabar = run(
      { execution: 'close', stopLoss: 0.05 },
      [
        [100, 100, 100, 100],
        [99, 100, 93, 97], // opens above the stop, low 93 ≤ 95
        [97, 98, 96, 97],
      ],
      [1, 1, 1],
    );
    expect(intrabar.trades[0]).toMatchObject({ exitIndex: 1, exitPrice: 95, exitReason: 'stop-loss' });
    expect(intrabar.equity[1]).toBeCloseTo(10_000 * (95 / 100), 9);
  });
});

describe('costs of a stop exit', () => {
  it('charges the exit order on the equity at the stop level', () => {
    const r = run(
      { stopLoss: 0.05, fees: { rate: 0.001, fixed: 2 }, slippageBps: 5 },
      [
        [100, 100, 100, 100],
        [100, 103, 98, 102],
        [101, 102, 94, 96], // stop at 95
        [96, 99, 95, 98],
      ],
      [1, 1, 1, 1],
    );
    const k = 0.001 + 5 / 1e4;
    const entryCost = 10_000 * k + 2; // buy 1 at open[1] = 100
    const e1 = 10_000 * (102 / 100) - entryCost;
    const atStop = e1 * (95 / 102); // long from close[1] to the stop level
    const exitCost = atStop * k + 2;
    const e2 = atStop - exitCost;
    expect(r.equity[1]).toBeCloseTo(e1, 9);
    expect(r.equity[2]).toBeCloseTo(e2, 9);
    expect(r.equity[3]).toBeCloseTo(e2, 9);
    expect(r.stats.totalCosts).toBeCloseTo(entryCost + exitCost, 9);
    expect(r.trades[0]?.costs).toBeCloseTo(entryCost + exitCost, 9);
    expect(r.trades[0]?.pnl).toBeCloseTo(e2 - 10_000, 9);
    expect(r.trades[0]?.return).toBeCloseTo(e2 / 10_000 - 1, 12);
  });

  it('charges both orders when the stop fires on the entry bar', () => {
    const r = run(
      { stopLoss: 0.05, fees: { rate: 0.001 } },
      [
        [100, 100, 100, 100],
        [100, 101, 94, 97], // entered at 100 and stopped at 95 in the same bar
        [97, 98, 96, 97],
      ],
      [1, 1, 1],
    );
    const entryCost = 0.001 * 10_000;
    const atStop = 10_000 * (95 / 100) - entryCost;
    expect(r.equity[1]).toBeCloseTo(atStop - 0.001 * atStop, 9);
    expect(r.stats.totalCosts).toBeCloseTo(entryCost + 0.001 * atStop, 9);
  });
});
