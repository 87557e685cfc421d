import { maxDrawdownOf } from '../metrics/drawdown.js';
import { annualGrowth, perPeriodRate, profitFactor, returnMoments, winRate } from '../metrics/returns.js';
import type { Simulation } from './engine.js';
import type { BacktestStats, PerformanceStats, Trade } from './types.js';

/** Annualisation settings of a run. */
export interface StatsSettings {
  periodsPerYear: number;
  riskFreeRate: number;
}

/** `value[t] / max(value[0..t]) − 1` for an equity curve whose first value is the starting capital. */
function drawdownOf(equity: Float64Array): Float64Array {
  const out = new Float64Array(equity.length);
  let peak = equity[0] as number;
  for (let i = 0; i < equity.length; i++) {
    const v = equity[i] as number;
    if (v > peak) peak = v;
    out[i] = v / peak - 1;
  }
  return out;
}

/** The period returns `value[t] / value[t − 1] − 1` for t = 1..n − 1 (0 once the value is gone). */
function periodReturns(equity: Float64Array): Float64Array {
  const out = new Float64Array(equity.length - 1);
  for (let i = 1; i < equity.length; i++) {
    const previous = equity[i - 1] as number;
    out[i - 1] = previous === 0 ? 0 : (equity[i] as number) / previous - 1;
  }
  return out;
}

/**
 * The headline statistics of an equity curve (starting capital first) and its period returns, with the metrics
 * module's conventions: the calmar ratio is NaN when there is no drawdown or it would be infinite.
 */
export function performanceStats(
  returns: Float64Array,
  drawdown: Float64Array,
  settings: StatsSettings,
): PerformanceStats {
  const { periodsPerYear, riskFreeRate } = settings;
  const rate = perPeriodRate(riskFreeRate, periodsPerYear);
  const { growth, mean, std, downside } = returnMoments(returns, rate);
  const worst = maxDrawdownOf(drawdown);
  const cagr = annualGrowth(growth, returns.length, periodsPerYear);
  const calmar = worst.maxDrawdown < 0 ? cagr / -worst.maxDrawdown : Number.NaN;
  const annualise = Math.sqrt(periodsPerYear);
  const single = returns.length < 2;
  return {
    totalReturn: growth - 1,
    cagr,
    annualVolatility: std * annualise,
    sharpe: single ? Number.NaN : ((mean - rate) / std) * annualise,
    sortino: single ? Number.NaN : ((mean - rate) / downside) * annualise,
    calmar: Number.isFinite(calmar) ? calmar : Number.NaN,
    maxDrawdown: worst.maxDrawdown,
    maxDrawdownDuration: worst.durationPeriods,
  };
}

function tradeStats(trades: readonly Trade[]) {
  if (trades.length === 0) {
    const none = Number.NaN;
    return {
      winRate: none,
      profitFactor: none,
      expectancy: none,
      bestTrade: none,
      worstTrade: none,
      averageBarsHeld: none,
    };
  }
  const returns = new Float64Array(trades.length);
  let barsHeld = 0;
  let best = Number.NEGATIVE_INFINITY;
  let worst = Number.POSITIVE_INFINITY;
  let total = 0;
  for (let i = 0; i < trades.length; i++) {
    const t = trades[i] as Trade;
    returns[i] = t.return;
    total += t.return;
    barsHeld += t.barsHeld;
    if (t.return > best) best = t.return;
    if (t.return < worst) worst = t.return;
  }
  return {
    winRate: winRate(returns),
    profitFactor: profitFactor(returns),
    expectancy: total / trades.length,
    bestTrade: best,
    worstTrade: worst,
    averageBarsHeld: barsHeld / trades.length,
  };
}

/** Every statistic of a simulated run, from its returns and drawdown series. */
export function backtestStats(
  simulation: Simulation,
  returns: Float64Array,
  drawdown: Float64Array,
  settings: StatsSettings,
): BacktestStats {
  const periods = returns.length;
  const trades = tradeStats(simulation.trades);
  return {
    ...performanceStats(returns, drawdown, settings),
    finalEquity: simulation.equity[simulation.equity.length - 1] as number,
    trades: simulation.trades.length,
    winRate: trades.winRate,
    profitFactor: trades.profitFactor,
    expectancy: trades.expectancy,
    averageTrade: trades.expectancy,
    bestTrade: trades.bestTrade,
    worstTrade: trades.worstTrade,
    averageBarsHeld: trades.averageBarsHeld,
    exposure: simulation.periodsInMarket / periods,
    turnover: (simulation.traded * settings.periodsPerYear) / periods,
    totalCosts: simulation.totalCosts,
  };
}

/** The headline statistics of buying and holding the bars close to close, without costs. */
export function buyAndHoldStats(close: Float64Array, settings: StatsSettings): PerformanceStats {
  return performanceStats(periodReturns(close), drawdownOf(close), settings);
}
