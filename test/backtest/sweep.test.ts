import { describe, expect, it } from 'vitest';
import { prepareMovingAverageCrossover } from '../../src/backtest/strategies.js';
import { variance } from '../../src/core/numeric.js';
import {
  Backtester,
  type BacktestOptions,
  type Bars,
  deflatedSharpeRatio,
  type MovingAverageCrossoverParams,
  movingAverageCrossover,
  type Strategy,
  sweep,
} from '../../src/index.js';
import { rejection } from '../helpers.js';
import { type MomentumParams, momentum } from './fixtures/strategies.js';

// Parameter sweeps (src/backtest/sweep.ts): every row must be exactly what a single Backtester run of the same
// strategy and parameters gives, the rows must come back in a documented order, and the answer must not depend on
// how many worker threads ran it.

const DAY = 86_400_000;
const fixture = new URL('./fixtures/strategies.ts', import.meta.url).href;

/** A deterministic pseudo-random walk of daily bars with opens between the closes (mulberry32 noise). */
function randomBars(n: number, seed: number, drift = 0): Bars {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
  const close: number[] = [];
  const open: number[] = [];
  let price = 100;
  for (let i = 0; i < n; i++) {
    const gap = (uniform() - 0.5) * 0.01;
    open.push(price * (1 + gap));
    price *= 1 + drift + (uniform() - 0.5) * 0.04;
    close.push(price);
  }
  return { timestamp: close.map((_, i) => Date.UTC(2023, 0, 2) + i * DAY), open, close };
}

/** Bars whose closes are `close`, opening at the previous close. */
function barsOf(close: number[]): Bars {
  return {
    timestamp: close.map((_, i) => Date.UTC(2024, 0, 1) + i * DAY),
    open: close.map((c, i) => (i === 0 ? c : (close[i - 1] as number))),
    close,
  };
}

const BARS = randomBars(160, 7);
const BACKTEST: BacktestOptions = { fees: { rate: 0.0005 }, slippageBps: 1, periodsPerYear: 252 };

/** What a single backtest of `strategy` with `params` gives: the reference every sweep row must equal. */
function single<P>(strategy: (bars: Bars, params: P) => ArrayLike<number>, params: P, options = BACKTEST) {
  return new Backtester(options).run({ bars: BARS, positions: strategy(BARS, params) });
}

/** A strategy holding `params.exposure` on every bar; `tag` only tells otherwise identical rows apart. */
const constant: Strategy<{ exposure: number; tag: string }> = (bars, { exposure }) =>
  new Array<number>(bars.close.length).fill(exposure);

describe('sweep: the grid', () => {
  it('runs the cartesian product in key order, the last key varying fastest', async () => {
    const seen: unknown[] = [];
    const result = await sweep(
      BARS,
      { a: [1, 2], b: ['x', 'y', 'z'], c: [true] },
      (bars, params) => {
        seen.push(params);
        return new Array<number>(bars.close.length).fill(0);
      },
      { backtest: BACKTEST },
    );
    const expected = [
      { a: 1, b: 'x', c: true },
      { a: 1, b: 'y', c: true },
      { a: 1, b: 'z', c: true },
      { a: 2, b: 'x', c: true },
      { a: 2, b: 'y', c: true },
      { a: 2, b: 'z', c: true },
    ];
    // The deflated Sharpe ratio may rerun the best set; the first N calls are the grid, in order.
    expect(seen.slice(0, 6)).toEqual(expected);
    // Flat everywhere: every Sharpe ratio is NaN, so the rows tie and keep the grid order.
    expect(result.rows.map((row) => row.params)).toEqual(expected);
    expect(result.rows.map((row) => row.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(result.trials).toBe(6);
    expect(result.best).toBe(result.rows[0]);
    expect(result.deflatedSharpe).toBeNull();
  });

  it('skips the parameter sets the filter rejects, keeping the order of the rest', async () => {
    const result = await sweep(BARS, { fast: [2, 5, 10], slow: [5, 10, 20] }, 'moving-average-crossover', {
      backtest: BACKTEST,
      sortBy: 'totalCosts',
      filter: (p) => p.fast < p.slow,
    });
    expect(result.trials).toBe(6);
    const sorted = result.rows.map((row) => row.params);
    expect(sorted).toHaveLength(6);
    expect([...sorted].sort((x, y) => x.fast - y.fast || x.slow - y.slow)).toEqual([
      { fast: 2, slow: 5 },
      { fast: 2, slow: 10 },
      { fast: 2, slow: 20 },
      { fast: 5, slow: 10 },
      { fast: 5, slow: 20 },
      { fast: 10, slow: 20 },
    ]);
  });
});

describe('sweep: ordering', () => {
  // A rising market: the more long exposure, the larger the total return. Every exposure appears twice (tags
  // 'a' and 'b') so that the two rows tie exactly; exposure 0 never trades and its Sharpe ratio is NaN.
  const rising = randomBars(60, 3, 0.01);
  const grid = { exposure: [0.5, 0, -1, 1], tag: ['a', 'b'] };
  const options = { backtest: { periodsPerYear: 252 } };
  const order = (rows: { params: { exposure: number; tag: string } }[]) =>
    rows.map((row) => `${row.params.exposure}${row.params.tag}`);

  it('sorts by Sharpe ratio, largest first, by default, with NaN last and ties in grid order', async () => {
    const result = await sweep(rising, grid, constant, options);
    const sharpes = result.rows.map((row) => row.stats.sharpe);
    expect(sharpes.slice(-2)).toEqual([Number.NaN, Number.NaN]);
    for (let i = 1; i < 6; i++) expect(sharpes[i - 1]).toBeGreaterThanOrEqual(sharpes[i] as number);
    // Exposures 1 and 0.5 have nearly the same Sharpe ratio; the short one is last among the finite ones.
    const names = order(result.rows);
    expect(names.slice(4)).toEqual(['-1a', '-1b', '0a', '0b']);
    expect(names.indexOf('1b')).toBe(names.indexOf('1a') + 1);
    expect(names.indexOf('0.5b')).toBe(names.indexOf('0.5a') + 1);
    const run = new Backtester(options.backtest).run({
      bars: rising,
      positions: constant(rising, { exposure: 1, tag: 'a' }) as number[],
    });
    expect(result.rows.find((row) => row.params.exposure === 1)?.stats).toEqual(run.stats);
  });

  it('sorts by any statistic, descending or ascending, ties in grid order either way', async () => {
    const descending = await sweep(rising, grid, constant, { ...options, sortBy: 'totalReturn' });
    expect(order(descending.rows)).toEqual(['1a', '1b', '0.5a', '0.5b', '0a', '0b', '-1a', '-1b']);
    const ascending = await sweep(rising, grid, constant, {
      ...options,
      sortBy: 'totalReturn',
      order: 'ascending',
    });
    expect(order(ascending.rows)).toEqual(['-1a', '-1b', '0a', '0b', '0.5a', '0.5b', '1a', '1b']);
    expect(ascending.rows.map((row) => row.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ascending.best.params).toEqual({ exposure: -1, tag: 'a' });
  });

  it('puts NaN statistics last in ascending order too', async () => {
    const result = await sweep(rising, grid, constant, { ...options, order: 'ascending' });
    expect(order(result.rows).slice(0, 2)).toEqual(['-1a', '-1b']);
    expect(order(result.rows).slice(-2)).toEqual(['0a', '0b']);
  });
});

describe('sweep: rows equal single backtests', () => {
  it('for a function strategy', async () => {
    const grid = { lookback: [1, 3, 8], threshold: [0, 0.02] };
    const result = await sweep(BARS, grid, momentum, { backtest: BACKTEST });
    expect(result.rows).toHaveLength(6);
    for (const row of result.rows) expect(row.stats).toEqual(single(momentum, row.params).stats);
    expect(result.benchmark).toEqual(single(momentum, { lookback: 1, threshold: 0 }).benchmark);
  });

  it("for the built-in 'moving-average-crossover'", async () => {
    const grid = { fast: [3, 5], slow: [10, 20], allowShort: [false, true] };
    const result = await sweep(BARS, grid, 'moving-average-crossover', { backtest: BACKTEST });
    expect(result.rows).toHaveLength(8);
    for (const row of result.rows) {
      expect(row.stats).toEqual(
        single<MovingAverageCrossoverParams>(movingAverageCrossover, row.params).stats,
      );
    }
  });

  it('for a { module, name } strategy, and with stops and close execution', async () => {
    const withStops: BacktestOptions = { execution: 'close', stopLoss: 0.03, periodsPerYear: 252 };
    const bars = {
      ...BARS,
      high: Array.from(BARS.close, (c, i) => Math.max(c, BARS.open?.[i] as number) * 1.01),
      low: Array.from(BARS.close, (c, i) => Math.min(c, BARS.open?.[i] as number) * 0.99),
    };
    const grid = { lookback: [2, 5], threshold: [0.01] };
    const result = await sweep(bars, grid, { module: fixture, name: 'momentum' }, { backtest: withStops });
    for (const row of result.rows) {
      const run = new Backtester(withStops).run({ bars, positions: momentum(bars, row.params) });
      expect(row.stats).toEqual(run.stats);
    }
  });
});

describe('sweep: the bars a strategy sees', () => {
  it('include the volume, as in a direct run', async () => {
    const volume = Array.from({ length: BARS.close.length }, (_, i) => 1000 + i);
    const seen: number[] = [];
    await sweep({ ...BARS, volume }, { a: [1] }, (bars) => {
      seen.push(...Array.from(bars.volume ?? []));
      return new Array<number>(bars.close.length).fill(0);
    });
    expect(seen).toEqual(volume);
  });

  it('are checked in every column given, since a strategy may read any of them', async () => {
    const n = BARS.close.length;
    const volume = Array.from({ length: n }, (_, i) => (i === 3 ? -1 : 1000));
    const flat = () => new Array<number>(n).fill(0);
    await expect(sweep({ ...BARS, volume }, { a: [1] }, flat)).rejects.toThrow(
      'bars.volume must contain finite volumes >= 0, but bars.volume[3] is -1',
    );
  });
});

describe('movingAverageCrossover', () => {
  it('is flat until the slow window is full, then long while the fast mean is above the slow one', () => {
    const close = [10, 11, 12, 11, 10, 9, 10, 12];
    // Bar 2: fast (11 + 12) / 2 = 11.5 > slow (10 + 11 + 12) / 3 = 11 → long.
    // Bar 3: 11.5 > 34 / 3 → long. Bar 4: 10.5 < 11 → out. Bar 5: 9.5 < 10 → out.
    // Bar 6: 9.5 < 29 / 3 → out. Bar 7: 11 > 31 / 3 → long.
    const bars = barsOf(close);
    expect(movingAverageCrossover(bars, { fast: 2, slow: 3 })).toEqual([0, 0, 1, 1, 0, 0, 0, 1]);
    expect(movingAverageCrossover(bars, { fast: 2, slow: 3, allowShort: true })).toEqual([
      0, 0, 1, 1, -1, -1, -1, 1,
    ]);
  });

  it('is not long when the means are equal', () => {
    const bars = barsOf([4, 4, 4, 4]);
    expect(movingAverageCrossover(bars, { fast: 1, slow: 2 })).toEqual([0, 0, 0, 0]);
    expect(movingAverageCrossover(bars, { fast: 1, slow: 2, allowShort: true })).toEqual([0, -1, -1, -1]);
  });

  it('refuses a fast window that is not shorter than the slow one', () => {
    expect(() => movingAverageCrossover(barsOf([1, 2, 3]), { fast: 3, slow: 3 })).toThrow(
      'Invalid movingAverageCrossover parameters: fast: fast must be shorter than slow (received 3)',
    );
  });

  it('refuses windows beyond the safe integers and keys it does not know, inherited ones too', () => {
    const bars = barsOf([1, 2, 3]);
    expect(() => movingAverageCrossover(bars, { fast: 1, slow: 2 ** 60 })).toThrow(
      /^Invalid movingAverageCrossover parameters: slow: /,
    );
    const inherited = Object.assign(Object.create({ extra: 1 }), { fast: 1, slow: 2 });
    expect(() => movingAverageCrossover(bars, inherited)).toThrow(
      /^Invalid movingAverageCrossover parameters: .*extra/,
    );
  });

  it('gives the same positions once its averages no longer all fit in its cache', () => {
    // 2.1M closes: the first window's averages fill half of the 4M values kept, so the others are worked out in
    // spare arrays each time.
    const n = 2_100_000;
    const close = new Float64Array(n);
    let level = 100;
    for (let i = 0; i < n; i++) {
      level *= 1 + Math.sin(i * 0.37) * 0.01;
      close[i] = level;
    }
    const cumulative = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) cumulative[i + 1] = (cumulative[i] as number) + (close[i] as number);
    const mean = (i: number, w: number) =>
      ((cumulative[i + 1] as number) - (cumulative[i + 1 - w] as number)) / w;
    const prepared = prepareMovingAverageCrossover({ timestamp: close, close });
    for (const [fast, slow] of [
      [2, 5],
      [3, 5],
      [2, 7],
      [5, 7],
    ] as const) {
      const positions = prepared.positions({ fast, slow });
      let differing = 0;
      for (let i = 0; i < n; i++) {
        const expected = i < slow - 1 ? 0 : mean(i, fast) > mean(i, slow) ? 1 : 0;
        if (positions[i] !== expected) differing++;
      }
      expect(differing, `${fast}/${slow}`).toBe(0);
    }
  });
});

describe('sweep: worker threads', () => {
  it('returns identical rows for 1, 2 and 3 workers', { timeout: 60_000 }, async () => {
    const builtIn = { fast: [2, 4, 6], slow: [12, 25], allowShort: [true] };
    const module = { lookback: [1, 4, 9], threshold: [0, 0.015] };
    const strategy = { module: fixture, name: 'momentum' };
    const runs = await Promise.all(
      [1, 2, 3].flatMap((workers) => [
        sweep(BARS, builtIn, 'moving-average-crossover', { backtest: BACKTEST, workers }),
        sweep<MomentumParams>(BARS, module, strategy, { backtest: BACKTEST, workers }),
      ]),
    );
    const [one, oneModule, ...others] = runs;
    expect(one?.trials).toBe(6);
    for (const [i, run] of others.entries()) expect(run).toEqual(i % 2 === 0 ? one : oneModule);
  });

  it('reports a strategy error from a worker with the same message', { timeout: 60_000 }, async () => {
    const error = await rejection(
      sweep(
        BARS,
        { lookback: [1, 2], threshold: [0] },
        { module: fixture, name: 'oneShort' },
        { workers: 2 },
      ),
    );
    expect(error.code).toBe('INVALID_ARGUMENT');
    // Only lookback 2 fails, so the message does not depend on which worker finishes first.
    expect(error.message).toBe(
      'Strategy with parameters {"lookback":2,"threshold":0}: positions must have one target exposure per bar ' +
        '(160), received 159',
    );
  });
});

describe('sweep: positions the built-in crossover cannot take', () => {
  it('refuses shorts when the backtest does not allow them, and exposures above maxLeverage', async () => {
    const shorts = await rejection(
      sweep(BARS, { fast: [2], slow: [5], allowShort: [true] }, 'moving-average-crossover', {
        backtest: { allowShort: false },
      }),
    );
    expect(shorts.message).toMatch(
      /^Strategy with parameters \{"fast":2,"slow":5,"allowShort":true\}: positions must be finite exposures in \[0, 1\] \(allowShort is false\), but positions\[\d+\] is -1$/,
    );
    const leveraged = await rejection(
      sweep(BARS, { fast: [2], slow: [5] }, 'moving-average-crossover', { backtest: { maxLeverage: 0.5 } }),
    );
    expect(leveraged.message).toMatch(
      /positions must be finite exposures in \[-0\.5, 0\.5\], but positions\[\d+\] is 1$/,
    );
  });
});

describe('sweep: deflated Sharpe ratio', () => {
  it('deflates the best Sharpe ratio by the number of trials and the variance of their Sharpe ratios', async () => {
    const grid = { lookback: [1, 2, 3, 5, 8], threshold: [0, 0.01, 0.03] };
    const result = await sweep(BARS, grid, momentum, { backtest: BACKTEST });
    const best = result.rows[0];
    if (best === undefined) throw new Error('no rows');
    const ppy = 252;
    const perPeriod = result.rows
      .map((row) => row.stats.sharpe / Math.sqrt(ppy))
      .filter((s) => Number.isFinite(s));
    const sharpeVariance = variance(perPeriod, 0); // population variance, as the sweep documents
    const returns = single(momentum, best.params).returns.slice(1);
    const expected = deflatedSharpeRatio(returns, { trials: 15, sharpeVariance, periodsPerYear: ppy });
    expect(result.deflatedSharpe).toEqual({ ...expected, sharpe: best.stats.sharpe, trials: 15 });
    expect(result.deflatedSharpe?.deflatedSharpe).toBeGreaterThan(0);
    expect(result.deflatedSharpe?.deflatedSharpe).toBeLessThan(1);
  });

  it('deflates the highest Sharpe ratio whatever the rows are sorted by, with the risk-free rate', async () => {
    const grid = { lookback: [1, 4, 9], threshold: [0, 0.02] };
    const backtest = { ...BACKTEST, riskFreeRate: 0.03 };
    const result = await sweep(BARS, grid, momentum, { backtest, sortBy: 'maxDrawdownDuration' });
    const finite = result.rows.filter((row) => Number.isFinite(row.stats.sharpe));
    const byTheSharpe = finite.reduce((top, row) => (row.stats.sharpe > top.stats.sharpe ? row : top));
    expect(byTheSharpe).not.toBe(result.rows[0]);
    const perPeriod = finite.map((row) => row.stats.sharpe / Math.sqrt(252));
    const sharpeVariance = variance(perPeriod, 0); // population variance, as the sweep documents
    const returns = single(momentum, byTheSharpe.params, backtest).returns.slice(1);
    const expected = deflatedSharpeRatio(returns, {
      trials: 6,
      sharpeVariance,
      periodsPerYear: 252,
      riskFreeRate: 0.03,
    });
    expect(result.deflatedSharpe).toEqual({ ...expected, sharpe: byTheSharpe.stats.sharpe, trials: 6 });
  });

  it('is null for a grid of one parameter set', async () => {
    const result = await sweep(BARS, { lookback: [3], threshold: [0] }, momentum, { backtest: BACKTEST });
    expect(result.trials).toBe(1);
    expect(result.deflatedSharpe).toBeNull();
  });
});

describe('sweep: errors', () => {
  const flat: Strategy<unknown> = (bars) => new Array<number>(bars.close.length).fill(0);

  async function expectRejected(pending: Promise<unknown>, message: string): Promise<void> {
    const error = await rejection(pending);
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe(message);
  }

  it('refuses an empty grid and a grid value that is not a non-empty array', async () => {
    await expectRejected(
      sweep(BARS, {}, flat),
      'sweep grid must map each parameter name to an array of values',
    );
    await expectRejected(
      sweep(BARS, { fast: [2], slow: 50 } as never, flat),
      'sweep grid.slow must be a non-empty array of values, received 50',
    );
    await expectRejected(
      sweep(BARS, { fast: [] }, flat),
      'sweep grid.fast must be a non-empty array of values, received []',
    );
    await expectRejected(
      sweep(BARS, [[1, 2]] as never, flat),
      'sweep grid must map each parameter name to an array of values',
    );
  });

  it('refuses an unknown sort statistic and an unknown option', async () => {
    await expectRejected(
      sweep(BARS, { a: [1] }, flat, { sortBy: 'profit' as never }),
      'Invalid sweep options: sortBy: Invalid option: expected one of "totalReturn"|"cagr"|"annualVolatility"|' +
        '"sharpe"|"sortino"|"calmar"|"maxDrawdown"|"maxDrawdownDuration"|"finalEquity"|"trades"|"winRate"|' +
        '"profitFactor"|"expectancy"|"averageTrade"|"bestTrade"|"worstTrade"|"averageBarsHeld"|"exposure"|' +
        '"turnover"|"totalCosts" (received "profit")',
    );
    await expectRejected(
      sweep(BARS, { a: [1] }, flat, { threads: 2 } as never),
      'Invalid sweep options: Unrecognized key: "threads"',
    );
  });

  it('refuses a function strategy with several workers', async () => {
    await expectRejected(
      sweep(BARS, { a: [1, 2] }, flat, { workers: 2 }),
      'sweep with workers > 1 needs a strategy that threads can load: a built-in name or { module, name }',
    );
  });

  it('refuses an unknown built-in strategy and a module without the export', async () => {
    await expectRejected(
      sweep(BARS, { fast: [2], slow: [5] }, 'bollinger-bands' as never),
      'Unknown built-in strategy "bollinger-bands"; expected one of: moving-average-crossover',
    );
    await expectRejected(
      sweep(BARS, { a: [1] }, { module: fixture, name: 'meanReversion' }),
      `Strategy module ${fixture} has no function export named "meanReversion"`,
    );
    await expectRejected(
      sweep(BARS, { a: [1] }, { module: fixture, name: 'notAStrategy' }),
      `Strategy module ${fixture} has no function export named "notAStrategy"`,
    );
  });

  it('names the parameters of a strategy that returns the wrong number of positions', async () => {
    await expectRejected(
      sweep(BARS, { lookback: [3], threshold: [0.5] }, { module: fixture, name: 'oneShort' }),
      'Strategy with parameters {"lookback":3,"threshold":0.5}: positions must have one target exposure per bar ' +
        '(160), received 159',
    );
  });

  it('refuses a filter that rejects every parameter set', async () => {
    await expectRejected(
      sweep(BARS, { fast: [10, 20], slow: [5] }, 'moving-average-crossover', {
        filter: (p) => p.fast < p.slow,
      }),
      'sweep has no parameter set to run: the filter rejected them all',
    );
  });

  it('rejects with ABORTED when the signal fires, before or during the sweep', async () => {
    const before = new AbortController();
    before.abort();
    const error = await rejection(sweep(BARS, { a: [1, 2] }, flat, { signal: before.signal }));
    expect(error.code).toBe('ABORTED');

    const during = new AbortController();
    let calls = 0;
    const stopping: Strategy<unknown> = (bars) => {
      calls += 1;
      during.abort();
      return new Array<number>(bars.close.length).fill(0);
    };
    const midway = await rejection(sweep(BARS, { a: [1, 2, 3, 4] }, stopping, { signal: during.signal }));
    expect(midway.code).toBe('ABORTED');
    expect(midway.message).toBe('The sweep was aborted');
    expect(calls).toBe(1);
  });

  it('rejects with ABORTED when the signal fires while workers run', { timeout: 60_000 }, async () => {
    const controller = new AbortController();
    const pending = sweep(BARS, { fast: [2, 3, 4, 5], slow: [10, 20] }, 'moving-average-crossover', {
      workers: 2,
      signal: controller.signal,
    });
    // Workers take about a second to start under tsx: abort while they are starting or running.
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(pending);
    expect(error.code).toBe('ABORTED');
    expect(error.message).toBe('Worker jobs were aborted');
  });
});
