import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Backtester, type BacktestOptions, type BacktestResult, type Trade } from '../../src/index.js';

// No look-ahead: under execution 'next-open' nothing the run reports up to bar t may depend on bars after t or on
// decisions made at or after bar t's close.

const DAY = 86_400_000;

interface Bar {
  open: number;
  high: number;
  low: number;
  close: number;
}

const price = fc.double({ min: 50, max: 150, noNaN: true });
const wick = fc.double({ min: 0, max: 0.1, noNaN: true });
const bar: fc.Arbitrary<Bar> = fc.record({ open: price, close: price, up: wick, down: wick }).map((b) => ({
  open: b.open,
  close: b.close,
  high: Math.max(b.open, b.close) * (1 + b.up),
  low: Math.min(b.open, b.close) * (1 - b.down),
}));
const exposure = fc.constantFrom(-2, -1, -0.5, 0, 0.5, 1, 2);

/** Two runs of equal length that agree up to `t` (positions up to `t − 1`) and are redrawn after it. */
const scenario = fc.integer({ min: 3, max: 25 }).chain((n) =>
  fc.record({
    bars: fc.array(bar, { minLength: n, maxLength: n }),
    otherBars: fc.array(bar, { minLength: n, maxLength: n }),
    positions: fc.array(exposure, { minLength: n, maxLength: n }),
    otherPositions: fc.array(exposure, { minLength: n, maxLength: n }),
    t: fc.integer({ min: 0, max: n - 2 }),
  }),
);

const stopOptions = fc.record(
  {
    stopLoss: fc.double({ min: 0.01, max: 0.2, noNaN: true }),
    takeProfit: fc.double({ min: 0.01, max: 0.3, noNaN: true }),
    trailingStop: fc.double({ min: 0.01, max: 0.2, noNaN: true }),
  },
  { requiredKeys: [] },
);

function run(options: BacktestOptions, bars: Bar[], positions: number[]): BacktestResult {
  return new Backtester({
    periodsPerYear: 252,
    maxLeverage: 2,
    fees: { rate: 0.001, fixed: 1 },
    ...options,
  }).run({
    bars: {
      timestamp: bars.map((_, i) => Date.UTC(2024, 0, 1) + i * DAY),
      open: bars.map((b) => b.open),
      high: bars.map((b) => b.high),
      low: bars.map((b) => b.low),
      close: bars.map((b) => b.close),
    },
    positions,
  });
}

/** What the run knows at bar t's close: equity, exposure, trades closed by then, entries of trades opened by then. */
function knownAt(result: BacktestResult, t: number) {
  const entry = (trade: Trade) => [trade.entryIndex, trade.entryPrice, trade.direction, trade.size];
  return {
    equity: result.equity.slice(0, t + 1),
    returns: result.returns.slice(0, t + 1),
    drawdown: result.drawdown.slice(0, t + 1),
    exposure: result.exposure.slice(0, t + 1),
    closed: result.trades.filter((trade) => trade.exitIndex <= t),
    entries: result.trades.filter((trade) => trade.entryIndex <= t).map(entry),
    ruined: result.ruinIndex !== null && result.ruinIndex <= t ? result.ruinIndex : null,
  };
}

/** `a` up to index `t` (inclusive), `b` after it. */
function splice<T>(a: T[], b: T[], t: number): T[] {
  return [...a.slice(0, t + 1), ...b.slice(t + 1)];
}

describe("no look-ahead with execution 'next-open'", () => {
  it('reports the same run up to bar t whatever the bars after t and the decisions from bar t on', () => {
    fc.assert(
      fc.property(scenario, fc.option(stopOptions, { nil: undefined }), (s, stops) => {
        const options = stops ?? {};
        const other = run(
          options,
          splice(s.bars, s.otherBars, s.t),
          // The decision at bar t's close is only filled at bar t + 1's open, so it is redrawn too.
          splice(s.positions, s.otherPositions, s.t - 1),
        );
        expect(knownAt(other, s.t)).toEqual(knownAt(run(options, s.bars, s.positions), s.t));
      }),
      { numRuns: 300 },
    );
  });

  it('does not use the open of bar t + 1 for anything up to bar t, but does from bar t + 1', () => {
    fc.assert(
      fc.property(scenario, fc.double({ min: 1.01, max: 1.2, noNaN: true }), (s, factor) => {
        const moved = s.bars.map((b, i) =>
          i === s.t + 1 ? { ...b, open: b.open * factor, high: Math.max(b.high, b.open * factor) } : b,
        );
        const a = run({}, s.bars, s.positions);
        const b = run({}, moved, s.positions);
        expect(knownAt(b, s.t)).toEqual(knownAt(a, s.t));
        // Control: an order filled at that open is priced there, so the open reaches bar t + 1's equity.
        const held = a.exposure[s.t] as number;
        const target = s.positions[s.t] as number;
        if (a.ruinIndex === null && held !== target) expect(b.equity[s.t + 1]).not.toBe(a.equity[s.t + 1]);
      }),
      { numRuns: 300 },
    );
  });

  it('fills the decision of bar t at the open of bar t + 1, not at the close it was made with', () => {
    const bars: Bar[] = [
      { open: 100, high: 100, low: 100, close: 100 },
      { open: 110, high: 112, low: 108, close: 111 },
      { open: 111, high: 111, low: 111, close: 111 },
    ];
    const r = run({ fees: {} }, bars, [1, 1, 1]);
    expect(r.exposure[0]).toBe(0);
    expect(r.equity[1]).toBeCloseTo(10_000 * (111 / 110), 9); // the gap from 100 to 110 is not earned
    expect(r.trades[0]).toMatchObject({ entryIndex: 1, entryPrice: 110 });
  });
});

describe("execution 'close' (the control)", () => {
  it('is also blind to bars after t and to decisions after t', () => {
    fc.assert(
      fc.property(scenario, fc.option(stopOptions, { nil: undefined }), (s, stops) => {
        const options: BacktestOptions = { execution: 'close', ...stops };
        const other = run(
          options,
          splice(s.bars, s.otherBars, s.t),
          splice(s.positions, s.otherPositions, s.t),
        );
        expect(knownAt(other, s.t)).toEqual(knownAt(run(options, s.bars, s.positions), s.t));
      }),
      { numRuns: 300 },
    );
  });

  it('holds the decision of bar t already at bar t, filled at the close it was made with', () => {
    const bars: Bar[] = [
      { open: 100, high: 100, low: 100, close: 100 },
      { open: 110, high: 112, low: 108, close: 111 },
      { open: 111, high: 111, low: 111, close: 111 },
    ];
    const long = run({ execution: 'close', fees: {} }, bars, [1, 1, 1]);
    const flat = run({ execution: 'close', fees: {} }, bars, [0, 1, 1]);
    // The decision at bar 0 decides exposure[0], and bar 1 earns the whole move from close[0] = 100.
    expect(long.exposure[0]).toBe(1);
    expect(flat.exposure[0]).toBe(0);
    expect(long.equity[1]).toBeCloseTo(10_000 * (111 / 100), 9);
    expect(long.trades[0]).toMatchObject({ entryIndex: 0, entryPrice: 100 });
    // The same decisions with 'next-open' leave bar 0 flat whatever positions[0] is.
    expect(run({ fees: {} }, bars, [1, 1, 1]).exposure[0]).toBe(0);
  });

  it('changes equity at bar t + 1, not before, when close[t + 1] changes', () => {
    const bars: Bar[] = [
      { open: 100, high: 100, low: 100, close: 100 },
      { open: 101, high: 103, low: 100, close: 102 },
      { open: 102, high: 106, low: 101, close: 105 },
    ];
    const moved = bars.map((b, i) => (i === 2 ? { ...b, close: 104, high: 106 } : b));
    const a = run({ execution: 'close', fees: {} }, bars, [1, 1, 1]);
    const b = run({ execution: 'close', fees: {} }, moved, [1, 1, 1]);
    expect(b.equity.slice(0, 2)).toEqual(a.equity.slice(0, 2));
    expect(a.equity[2]).toBeCloseTo(10_000 * (105 / 100), 9);
    expect(b.equity[2]).toBeCloseTo(10_000 * (104 / 100), 9);
  });
});
