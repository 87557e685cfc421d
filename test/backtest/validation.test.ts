import { describe, expect, it } from 'vitest';
import { Backtester, type BacktestOptions, type Bars } from '../../src/index.js';
import { expectInvalid, thrown } from '../helpers.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);
const timestamps = (n: number) => Array.from({ length: n }, (_, i) => T0 + i * DAY);
const prices = [100, 101, 102];
/** Three consistent bars with every column. */
const valid: Bars = { timestamp: timestamps(3), open: prices, high: prices, low: prices, close: prices };

function runWith(bars: Bars, positions: number[] = [1, 1, 1], options: BacktestOptions = {}) {
  return () => new Backtester(options).run({ bars, positions });
}

describe('Backtester options', () => {
  it('rejects an unknown option', () => {
    expectInvalid(
      () => new Backtester({ fee: 0.001 } as BacktestOptions),
      'Invalid Backtester options: Unrecognized key: "fee"',
    );
  });

  it('rejects negative fees, slippage and spread', () => {
    expectInvalid(
      () => new Backtester({ fees: { rate: -0.1 } }),
      'Invalid Backtester options: fees.rate: Too small: expected number to be >=0 (received -0.1)',
    );
    expectInvalid(
      () => new Backtester({ fees: { fixed: -1 } }),
      'Invalid Backtester options: fees.fixed: Too small: expected number to be >=0 (received -1)',
    );
    expectInvalid(
      () => new Backtester({ fees: { minimum: -1 } }),
      'Invalid Backtester options: fees.minimum: Too small: expected number to be >=0 (received -1)',
    );
    expectInvalid(
      () => new Backtester({ slippageBps: -1 }),
      'Invalid Backtester options: slippageBps: Too small: expected number to be >=0 (received -1)',
    );
    expectInvalid(
      () => new Backtester({ spreadBps: -2 }),
      'Invalid Backtester options: spreadBps: Too small: expected number to be >=0 (received -2)',
    );
  });

  it('rejects a cost per unit traded of 100% or more', () => {
    expectInvalid(
      () => new Backtester({ fees: { rate: 0.5 }, slippageBps: 5000 }),
      'Invalid Backtester options: fees.rate + slippageBps/1e4 + spreadBps/2e4 must be below 1 (100% of the ' +
        'traded notional), received 1',
    );
    expect(() => new Backtester({ fees: { rate: 0.5 }, slippageBps: 4000, spreadBps: 1000 })).not.toThrow();
  });

  it('rejects stop fractions outside (0, 1) and a non-positive take-profit', () => {
    expectInvalid(
      () => new Backtester({ stopLoss: 1 }),
      'Invalid Backtester options: stopLoss: Too big: expected number to be <1 (received 1)',
    );
    expectInvalid(
      () => new Backtester({ stopLoss: 0 }),
      'Invalid Backtester options: stopLoss: Too small: expected number to be >0 (received 0)',
    );
    expectInvalid(
      () => new Backtester({ trailingStop: 1.5 }),
      'Invalid Backtester options: trailingStop: Too big: expected number to be <1 (received 1.5)',
    );
    expectInvalid(
      () => new Backtester({ takeProfit: -0.1 }),
      'Invalid Backtester options: takeProfit: Too small: expected number to be >0 (received -0.1)',
    );
    // A target above 100% is a valid level.
    expect(() => new Backtester({ takeProfit: 2 })).not.toThrow();
  });

  it('rejects an unknown execution name', () => {
    expectInvalid(
      () => new Backtester({ execution: 'open' } as unknown as BacktestOptions),
      'Invalid Backtester options: execution: Invalid option: expected one of "next-open"|"close" (received "open")',
    );
  });

  it('rejects a non-positive initial capital or leverage', () => {
    expectInvalid(
      () => new Backtester({ initialCapital: 0 }),
      'Invalid Backtester options: initialCapital: Too small: expected number to be >0 (received 0)',
    );
    expectInvalid(
      () => new Backtester({ maxLeverage: 0 }),
      'Invalid Backtester options: maxLeverage: Too small: expected number to be >0 (received 0)',
    );
  });
});

describe('Backtester.run bars', () => {
  it('needs at least two bars', () => {
    const error = thrown(runWith({ timestamp: [T0], open: [1], close: [1] }, [1]));
    expect(error.code).toBe('INSUFFICIENT_DATA');
    expect(error.message).toBe(
      'bars needs at least 2 values to backtest (one period needs two bars), received 1',
    );
  });

  it('needs the opens for next-open execution and for stops, but not for close execution alone', () => {
    const { open: _open, ...noOpen } = valid;
    expectInvalid(runWith(noOpen), "bars.open is required for execution 'next-open' and for stops");
    expectInvalid(
      runWith(noOpen, [1, 1, 1], { execution: 'close', stopLoss: 0.1 }),
      "bars.open is required for execution 'next-open' and for stops",
    );
    expect(runWith(noOpen, [1, 1, 1], { execution: 'close' })).not.toThrow();
  });

  it('needs high and low when stops are set', () => {
    const { high: _high, ...noHigh } = valid;
    const { low: _low, ...noLow } = valid;
    for (const option of [{ stopLoss: 0.1 }, { takeProfit: 0.1 }, { trailingStop: 0.1 }]) {
      expectInvalid(
        runWith(noHigh, [1, 1, 1], option),
        'bars.high is required when stopLoss, takeProfit or trailingStop is set',
      );
      expectInvalid(
        runWith(noLow, [1, 1, 1], option),
        'bars.low is required when stopLoss, takeProfit or trailingStop is set',
      );
    }
    expect(runWith(noHigh)).not.toThrow();
  });

  it('rejects prices that are zero, negative, NaN or infinite', () => {
    expectInvalid(
      runWith({ ...valid, close: [100, 0, 1] }),
      'bars.close must contain finite positive prices, but bars.close[1] is 0',
    );
    expectInvalid(
      runWith({ ...valid, close: [100, -1, 1] }),
      'bars.close must contain finite positive prices, but bars.close[1] is -1',
    );
    expectInvalid(
      runWith({ ...valid, open: [100, Number.NaN, 1] }),
      'bars.open must contain finite positive prices, but bars.open[1] is NaN',
    );
    expectInvalid(
      runWith({ ...valid, close: [100, 1, Number.POSITIVE_INFINITY] }),
      'bars.close must contain finite positive prices, but bars.close[2] is Infinity',
    );
    expectInvalid(
      runWith({ ...valid, low: [100, Number.NaN, 1] }, [1, 1, 1], { stopLoss: 0.1 }),
      'bars.low must contain finite positive prices, but bars.low[1] is NaN',
    );
  });

  it('checks typed timestamps and closes as it checks arrays, and takes prices whose sum overflows', () => {
    const typed = (bars: Bars): Bars => ({
      timestamp: Float64Array.from(bars.timestamp as number[]),
      close: Float64Array.from(bars.close),
    });
    const [a, b, c] = timestamps(3) as [number, number, number];
    const close = { execution: 'close' } as const;
    for (const [bars, message] of [
      [{ timestamp: [a, b, Number.POSITIVE_INFINITY], close: prices }, 'bars.timestamp[2]'],
      [{ timestamp: [a, c, b], close: prices }, 'bars.timestamp must be strictly increasing'],
      [{ timestamp: [a, b, c], close: [100, Number.NaN, 1] }, 'bars.close[1] is NaN'],
      [{ timestamp: [a, b, c], close: [100, 1, Number.POSITIVE_INFINITY] }, 'bars.close[2] is Infinity'],
    ] as const) {
      const error = thrown(runWith(typed(bars), [1, 1, 1], close));
      expect(error.message).toBe(thrown(runWith(bars, [1, 1, 1], close)).message);
      expect(error.message).toContain(message);
    }
    const huge = { timestamp: [a, b, c], close: [1e308, 1.5e308, 1.2e308] };
    expect(
      new Backtester(close).run({ bars: typed(huge), positions: [1, 1, 1] }).stats.totalReturn,
    ).toBeCloseTo(0.2, 12);
  });

  it('reads and checks only the columns the run uses', () => {
    const bad = [100, Number.NaN, -1];
    const unread = { ...valid, open: bad, high: bad, low: bad, volume: bad };
    const closeOnly = new Backtester({ execution: 'close' }).run({ bars: unread, positions: [1, 1, 1] });
    expect(closeOnly.equity).toEqual(
      new Backtester({ execution: 'close' }).run({ bars: valid, positions: [1, 1, 1] }).equity,
    );
    expect(runWith({ ...valid, high: bad, low: bad, volume: bad })).not.toThrow();
    expectInvalid(
      runWith({ ...valid, open: bad }),
      'bars.open must contain finite positive prices, but bars.open[1] is NaN',
    );
  });

  it('rejects a price column whose length differs from the timestamps', () => {
    expectInvalid(
      runWith({ ...valid, close: [100, 101] }),
      'bars.close must have one value per bar (3, as bars.timestamp), received 2',
    );
    expectInvalid(
      runWith({ ...valid, open: [100, 101, 102, 103] }),
      'bars.open must have one value per bar (3, as bars.timestamp), received 4',
    );
  });

  it('rejects unsorted and duplicate timestamps', () => {
    const [a, b, c] = timestamps(3) as [number, number, number];
    expectInvalid(
      runWith({ ...valid, timestamp: [a, c, b] }),
      'bars.timestamp must be strictly increasing, but bars.timestamp[2] = 1704153600000 ' +
        '(2024-01-02T00:00:00.000Z) is out of order after bars.timestamp[1] = 1704240000000 (2024-01-03T00:00:00.000Z)',
    );
    expectInvalid(
      runWith({ ...valid, timestamp: [a, b, b] }),
      'bars.timestamp must be strictly increasing, but bars.timestamp[2] = 1704153600000 ' +
        '(2024-01-02T00:00:00.000Z) is duplicate after bars.timestamp[1] = 1704153600000 (2024-01-02T00:00:00.000Z)',
    );
    expectInvalid(
      runWith({ ...valid, timestamp: [a, Number.NaN, c] }),
      'bars.timestamp[1] must be epoch milliseconds, a valid Date or an ISO 8601 string, received NaN',
    );
  });

  it('accepts Date timestamps and reports them as epoch milliseconds', () => {
    const fromDates = runWith({ ...valid, timestamp: timestamps(3).map((t) => new Date(t)) })();
    const fromNumbers = runWith(valid)();
    expect(fromDates.timestamps).toEqual(timestamps(3));
    expect(fromDates).toEqual(fromNumbers);
  });

  it('rejects inconsistent OHLC when stops are set, and does not check it otherwise', () => {
    expectInvalid(
      runWith({ ...valid, high: [100, 100, 102] }, [1, 1, 1], { stopLoss: 0.1 }),
      'bars must satisfy low <= min(open, close) and high >= max(open, close), but bar 1 has open 101, ' +
        'high 100, low 101, close 101',
    );
    expectInvalid(
      runWith({ ...valid, low: [100, 101, 103] }, [1, 1, 1], { takeProfit: 0.1 }),
      'bars must satisfy low <= min(open, close) and high >= max(open, close), but bar 2 has open 102, ' +
        'high 102, low 103, close 102',
    );
    expect(runWith({ ...valid, high: [100, 100, 102] })).not.toThrow();
  });

  it('rejects input that is not { bars, positions }', () => {
    const bt = new Backtester();
    expectInvalid(() => bt.run(null as never), 'Backtester.run expects { bars, positions }');
    expectInvalid(
      () => bt.run({ bars: null as never, positions: [] }),
      'bars must be an object of columns { timestamp, close, open?, high?, low? }, received null',
    );
    expectInvalid(
      () => bt.run({ bars: { close: prices } as never, positions: [1, 1, 1] }),
      'bars.timestamp must be an array of epoch milliseconds or Dates',
    );
    expectInvalid(
      () => bt.run({ bars: { timestamp: timestamps(3), open: prices } as never, positions: [1, 1, 1] }),
      'bars.close must be an array of positive prices, received undefined',
    );
  });
});

describe('Backtester.run positions', () => {
  it('rejects positions of the wrong length', () => {
    expectInvalid(runWith(valid, [1, 1]), 'positions must have one target exposure per bar (3), received 2');
    expectInvalid(
      () => new Backtester().run({ bars: valid, positions: 5 as never }),
      'positions must be an array of target exposures, one per bar',
    );
  });

  it('rejects NaN and infinite positions', () => {
    expectInvalid(
      runWith(valid, [1, Number.NaN, 1]),
      'positions must be finite exposures in [-1, 1], but positions[1] is NaN',
    );
    expectInvalid(
      runWith(valid, [1, Number.POSITIVE_INFINITY, 1]),
      'positions must be finite exposures in [-1, 1], but positions[1] is Infinity',
    );
  });

  it('rejects positions beyond maxLeverage', () => {
    expectInvalid(
      runWith(valid, [1, 1.5, 1]),
      'positions must be finite exposures in [-1, 1], but positions[1] is 1.5',
    );
    expectInvalid(
      runWith(valid, [1, -2.5, 1], { maxLeverage: 2 }),
      'positions must be finite exposures in [-2, 2], but positions[1] is -2.5',
    );
    expect(runWith(valid, [2, -2, 1], { maxLeverage: 2 })).not.toThrow();
  });

  it('rejects a negative position when shorting is not allowed', () => {
    expectInvalid(
      runWith(valid, [1, -0.5, 1], { allowShort: false }),
      'positions must be finite exposures in [0, 1] (allowShort is false), but positions[1] is -0.5',
    );
  });
});

describe('a failed run', () => {
  it('leaves the Backtester usable: the next valid run equals a fresh instance', () => {
    const options: BacktestOptions = { fees: { rate: 0.001, fixed: 1 }, stopLoss: 0.05, periodsPerYear: 252 };
    const bars: Bars = {
      timestamp: timestamps(6),
      open: [100, 101, 99, 95, 97, 100],
      high: [101, 103, 100, 98, 99, 102],
      low: [99, 100, 93, 94, 96, 99],
      close: [100, 102, 96, 97, 98, 101],
    };
    const positions = [1, 1, -1, -1, 0, 1];
    const bt = new Backtester(options);
    expectInvalid(
      () => bt.run({ bars, positions: [1, 1, 1, 1, Number.NaN, 1] }),
      'positions must be finite exposures in [-1, 1], but positions[4] is NaN',
    );
    expectInvalid(
      () => bt.run({ bars: { ...bars, high: [100, 100, 100, 100, 100, 100] }, positions }),
      'bars must satisfy low <= min(open, close) and high >= max(open, close), but bar 1 has open 101, ' +
        'high 100, low 100, close 102',
    );
    const again = bt.run({ bars, positions });
    expect(again).toEqual(new Backtester(options).run({ bars, positions }));
    expect(again.trades.length).toBeGreaterThan(0);
    // Runs do not share state either.
    expect(bt.run({ bars, positions })).toEqual(again);
  });

  it('does not modify its input', () => {
    const bars: Bars = { ...valid, open: [...prices], close: [...prices] };
    const positions = [1, -1, 0];
    new Backtester().run({ bars, positions });
    expect(bars.close).toEqual(prices);
    expect(positions).toEqual([1, -1, 0]);
  });
});
