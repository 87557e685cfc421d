import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { type BarColumns, inferPeriodsPerYear, toBarColumns } from './bars.js';
import { simulate } from './engine.js';
import {
  type BacktestOptions,
  hasStops,
  type ResolvedBacktestOptions,
  resolveBacktestOptions,
} from './options.js';
import { backtestStats, buyAndHold, drawdownOf, performanceStats, periodReturns } from './stats.js';
import type { BacktestInput, BacktestResult } from './types.js';

function checkPositions(positions: ArrayLike<number>, n: number, options: ResolvedBacktestOptions): void {
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
  for (let i = 0; i < n; i++) {
    const p = positions[i];
    if (typeof p !== 'number' || !(p >= lowest && p <= maxLeverage)) {
      const why = typeof p === 'number' && p < 0 && !allowShort ? ' (allowShort is false)' : '';
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `positions must be finite exposures in [${lowest}, ${maxLeverage}]${why}, but positions[${i}] is ` +
          `${formatNumber(p)}`,
        { details: { index: i } },
      );
    }
  }
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
   * @throws MlcycleError `INSUFFICIENT_DATA` with fewer than two bars; `INVALID_ARGUMENT` for a missing, short,
   * non-finite or non-positive price column, unsorted or duplicate timestamps, inconsistent high/low with stops,
   * or a position outside [−maxLeverage, maxLeverage] (or negative with `allowShort: false`).
   */
  run(input: BacktestInput): BacktestResult {
    if (typeof input !== 'object' || input === null) {
      throw new MlcycleError('INVALID_ARGUMENT', 'Backtester.run expects { bars, positions }');
    }
    const options = this.#options;
    const stops = hasStops(options);
    const bars = toBarColumns(input.bars, {
      open: stops || options.execution === 'next-open',
      highLow: stops,
    });
    checkPositions(input.positions, bars.close.length, options);
    return this.#simulate(bars, input.positions);
  }

  #simulate(bars: BarColumns, positions: ArrayLike<number>): BacktestResult {
    const options = this.#options;
    const settings = {
      periodsPerYear: options.periodsPerYear ?? inferPeriodsPerYear(bars.timestamp),
      riskFreeRate: options.riskFreeRate,
    };
    const simulation = simulate(bars, positions, options);
    const returns = periodReturns(simulation.equity);
    const drawdown = drawdownOf(simulation.equity);
    const benchmark = buyAndHold(bars.close);
    const allReturns = new Array<number>(returns.length + 1);
    allReturns[0] = 0;
    for (let i = 0; i < returns.length; i++) allReturns[i + 1] = returns[i] as number;
    return {
      timestamps: Array.from(bars.timestamp),
      equity: Array.from(simulation.equity),
      returns: allReturns,
      drawdown: Array.from(drawdown),
      exposure: Array.from(simulation.exposure),
      trades: simulation.trades,
      stats: backtestStats(simulation, returns, drawdown, settings),
      benchmark: performanceStats(benchmark.returns, benchmark.drawdown, settings),
      periodsPerYear: settings.periodsPerYear,
      ruinIndex: simulation.ruinIndex,
    };
  }
}
