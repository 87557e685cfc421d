import { z } from 'zod';
import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { type BarColumns, inferPeriodsPerYear, toBarColumns } from './bars.js';
import { simulate } from './engine.js';
import {
  type BacktestOptions,
  hasStops,
  type ResolvedBacktestOptions,
  resolveBacktestOptions,
} from './options.js';
import { backtestStats, performanceStats, periodRate } from './stats.js';
import type {
  BacktestInput,
  BacktestResult,
  BacktestSeries,
  BacktestSummary,
  PerformanceStats,
  RunOptions,
  TypedBacktestResult,
} from './types.js';

const runSchema = z.strictObject({ series: z.enum(['json', 'typed', 'none']).default('json') });

/**
 * Checks the target exposures against the bars and the leverage limits; a `Float64Array` is used as is (the
 * simulation only reads it), anything else is copied into one.
 *
 * @param range - the least and greatest value a `Float64Array` of positions is known to hold (a built-in strategy
 * knows it without reading them): within the limits, the values are not read again.
 */
export function toPositions(
  positions: ArrayLike<number>,
  n: number,
  options: ResolvedBacktestOptions,
  range?: readonly [number, number],
): Float64Array {
  if (typeof positions !== 'object' || positions === null || typeof positions.length !== 'number') {
    throw new MlcycleError('INVALID_ARGUMENT', 'positions must be an array of target exposures, one per bar');
  }
  if (positions.length !== n) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `positions must have one target exposure per bar (${n}), received ${positions.length}`,
    );
  }
  const { maxLeverage, allowShort } = options;
  const lowest = allowShort ? -maxLeverage : 0;
  if (range && positions instanceof Float64Array && range[0] >= lowest && range[1] <= maxLeverage)
    return positions;
  for (let i = 0; i < n; i++) {
    const p = positions[i] as number;
    if (!(p >= lowest && p <= maxLeverage && typeof p === 'number')) {
      const why = typeof p === 'number' && p < 0 && !allowShort ? ' (allowShort is false)' : '';
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `positions must be finite exposures in [${lowest}, ${maxLeverage}]${why}, but positions[${i}] is ` +
          `${formatNumber(p)}`,
        { details: { index: i } },
      );
    }
  }
  return positions instanceof Float64Array ? positions : Float64Array.from(positions);
}

/** A run's summary and, when asked for, its series as typed arrays. */
export interface SimulatedRun {
  summary: BacktestSummary;
  columns: BacktestSeries<Float64Array> | null;
}

/** What the runs of a sweep share: the buy-and-hold benchmark and the bars' price returns. */
export interface SharedBars {
  benchmark: PerformanceStats;
  /** `priceReturns` of the closes. */
  prices: Float64Array;
}

/**
 * Simulates validated bars and positions and computes the statistics, with the buy-and-hold benchmark unless a
 * sweep shares it.
 */
export function simulateRun(
  options: ResolvedBacktestOptions,
  bars: BarColumns,
  positions: Float64Array,
  withSeries: boolean,
  shared?: SharedBars,
): SimulatedRun {
  const settings = {
    periodsPerYear: options.periodsPerYear ?? inferPeriodsPerYear(bars.timestamp),
    riskFreeRate: options.riskFreeRate,
  };
  const periods = bars.close.length - 1;
  const simulation = simulate(bars, positions, options, periodRate(settings), withSeries, shared?.prices);
  const { series, buyAndHold } = simulation;
  return {
    summary: {
      trades: simulation.trades,
      stats: backtestStats(simulation, periods, settings),
      benchmark: buyAndHold
        ? performanceStats(buyAndHold, periods, settings)
        : (shared as SharedBars).benchmark,
      periodsPerYear: settings.periodsPerYear,
      ruinIndex: simulation.ruinIndex,
    },
    columns: series && { timestamps: bars.timestamp, ...series },
  };
}

/** A plain array of a series; a loop, several times faster than `Array.from` on long series. */
function toArray(values: Float64Array): number[] {
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] as number;
  return out;
}

/**
 * Turns target exposures into an equity curve, trades and statistics, after fees, slippage and spread, without
 * look-ahead: with the default `execution: 'next-open'`, the exposure decided with bar t's close is filled at bar
 * t + 1's open. Exposure is a fraction of equity held constant between changes; costs are charged only when the
 * target changes. Stops and targets are checked against each bar's low and high: a gap through a level fills at
 * the open, and when one bar touches both the stop and the target, the stop wins. The execution model and its
 * formulas are written out in `docs/backtest.md`.
 *
 * @example
 * ```ts
 * import { Backtester } from 'mlcycle';
 *
 * const bt = new Backtester({ initialCapital: 10_000, fees: { rate: 0.0005 }, slippageBps: 2 });
 * const close = [100, 101, 103, 102, 105];
 * const result = bt.run({
 *   bars: { timestamp: close.map((_, i) => Date.UTC(2024, 0, 1 + i)), open: close, close },
 *   positions: [1, 1, 0, 1, 0],
 * });
 * result.stats.totalReturn; result.trades.length; // 2 round trips
 * ```
 */
export class Backtester {
  readonly #options: ResolvedBacktestOptions;

  /** @throws MlcycleError `INVALID_ARGUMENT` naming each bad option. */
  constructor(options: BacktestOptions = {}) {
    this.#options = resolveBacktestOptions(options);
  }

  /**
   * Simulates holding `positions[t]` from its fill after bar t's close (at bar t + 1's open, or at bar t's close
   * with `execution: 'close'`) until the target changes or a stop fires.
   *
   * @param options - `series: 'typed'` returns the series as `Float64Array`s, `'none'` leaves them out.
   * @throws MlcycleError `INSUFFICIENT_DATA` with fewer than two bars; `INVALID_ARGUMENT` for a missing, short,
   * non-finite or non-positive price column, unsorted or duplicate timestamps, inconsistent high/low with stops,
   * or a position outside [−maxLeverage, maxLeverage] (or negative with `allowShort: false`).
   */
  run(input: BacktestInput, options?: RunOptions<'json'>): BacktestResult;
  run(input: BacktestInput, options: RunOptions<'typed'>): TypedBacktestResult;
  run(input: BacktestInput, options: RunOptions<'none'>): BacktestSummary;
  run(
    input: BacktestInput,
    options: RunOptions = {},
  ): BacktestResult | TypedBacktestResult | BacktestSummary {
    if (typeof input !== 'object' || input === null) {
      throw new MlcycleError('INVALID_ARGUMENT', 'Backtester.run expects { bars, positions }');
    }
    const { series } = parseOptions(runSchema, options, 'Backtester.run options');
    const settings = this.#options;
    const stops = hasStops(settings);
    const bars = toBarColumns(input.bars, {
      open: stops || settings.execution === 'next-open',
      highLow: stops,
      everyColumn: false,
    });
    const positions = toPositions(input.positions, bars.close.length, settings);
    const { summary, columns } = simulateRun(settings, bars, positions, series !== 'none');
    if (columns === null) return summary;
    if (series === 'typed') return { ...columns, ...summary };
    return {
      timestamps: toArray(columns.timestamps),
      equity: toArray(columns.equity),
      returns: toArray(columns.returns),
      drawdown: toArray(columns.drawdown),
      exposure: toArray(columns.exposure),
      ...summary,
    };
  }
}
