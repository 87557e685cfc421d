/**
 * The bar-by-bar simulation behind {@link Backtester}. Exposure is a fraction of equity, held constant from one
 * rebalancing point to the next: a bar is one close-to-close step unless an order at the open or a stop splits it.
 * An order's notional is sized on the equity at its fill before costs, and its costs come out of cash, so that
 * with `execution: 'close'` a bar's equity is E[t](1 + p·r − |Δp|·k) − fixed, as documented in docs/backtest.md.
 *
 * @module
 */
import type { BarColumns } from './bars.js';
import type { ResolvedBacktestOptions } from './options.js';
import type { ExitReason, Trade } from './types.js';

/** Everything the statistics need from one simulated run. */
export interface Simulation {
  equity: Float64Array;
  exposure: Float64Array;
  trades: Trade[];
  totalCosts: number;
  /** Σ|change of exposure| over every order. */
  traded: number;
  /** Periods (bars 1..n−1) with a position on at some point. */
  periodsInMarket: number;
  ruinIndex: number | null;
}

interface OpenTrade {
  entryIndex: number;
  entryPrice: number;
  entryEquity: number;
  size: number;
  long: boolean;
  costs: number;
  /** Best price since entry (highest high for a long, lowest low for a short), for the trailing stop. */
  extreme: number;
}

interface Exit {
  price: number;
  reason: ExitReason;
}

/** Runs the simulation; inputs are already validated. */
export function simulate(
  bars: BarColumns,
  positions: ArrayLike<number>,
  options: ResolvedBacktestOptions,
): Simulation {
  const { close, open, high, low, timestamp } = bars;
  const n = close.length;
  const { rate, fixed, minimum } = options.fees;
  const impact = options.slippageBps / 1e4 + options.spreadBps / 2e4;
  const atClose = options.execution === 'close';
  const stopLoss = options.stopLoss;
  const takeProfit = options.takeProfit;
  const trailing = options.trailingStop;
  const stops = stopLoss !== undefined || takeProfit !== undefined || trailing !== undefined;

  const equity = new Float64Array(n);
  const exposure = new Float64Array(n);
  const trades: Trade[] = [];
  let totalCosts = 0;
  let traded = 0;
  let periodsInMarket = 0;
  let ruinIndex: number | null = null;

  let held = 0;
  let lastTarget = 0;
  let flatAfterStop = false;
  let trade: OpenTrade | null = null;
  let equityNow = options.initialCapital;
  equity[0] = equityNow;

  const closeTrade = (
    index: number,
    price: number,
    reason: ExitReason,
    exitEquity: number,
    costs: number,
  ) => {
    const t = trade as OpenTrade;
    trades.push({
      entryIndex: t.entryIndex,
      exitIndex: index,
      entryTime: timestamp[t.entryIndex] as number,
      exitTime: timestamp[index] as number,
      entryPrice: t.entryPrice,
      exitPrice: price,
      direction: t.long ? 'long' : 'short',
      size: t.size,
      return: exitEquity / t.entryEquity - 1,
      pnl: exitEquity - t.entryEquity,
      costs: t.costs + costs,
      barsHeld: index - t.entryIndex,
      exitReason: reason,
    });
    trade = null;
  };

  /** Fills a change of exposure from `held` to `target` at `price`, with equity `value` before costs; returns the cost. */
  const order = (index: number, price: number, value: number, target: number, reason: ExitReason): number => {
    const delta = Math.abs(target - held);
    const notional = delta * value;
    const cost = notional * impact + Math.max(notional * rate, minimum) + fixed;
    totalCosts += cost;
    traded += delta;
    const closing = held !== 0 && (target === 0 || held > 0 !== target > 0);
    const opening = target !== 0 && (held === 0 || closing);
    const closingShare = !closing ? 0 : opening ? Math.abs(held) / (Math.abs(held) + Math.abs(target)) : 1;
    if (closing) closeTrade(index, price, reason, value - cost * closingShare, cost * closingShare);
    if (opening) {
      trade = {
        entryIndex: index,
        entryPrice: price,
        entryEquity: value - cost * closingShare,
        size: Math.abs(target),
        long: target > 0,
        costs: cost * (1 - closingShare),
        extreme: price,
      };
    } else if (!closing && trade) {
      trade.costs += cost;
    }
    held = target;
    return cost;
  };

  /** The stop or target this bar hits, if any; `gap` when the position was held through the open. */
  const stopExit = (t: OpenTrade, i: number, gap: boolean): Exit | null => {
    const o = (open as Float64Array)[i] as number;
    const sign = t.long ? 1 : -1;
    let stop = t.long ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    let reason: ExitReason = 'stop-loss';
    if (stopLoss !== undefined) stop = t.entryPrice * (1 - sign * stopLoss);
    if (trailing !== undefined) {
      const trail = t.extreme * (1 - sign * trailing);
      if (sign * trail > sign * stop) {
        stop = trail;
        reason = 'trailing-stop';
      }
    }
    const target =
      takeProfit === undefined ? sign * Number.POSITIVE_INFINITY : t.entryPrice * (1 + sign * takeProfit);
    if (gap && sign * o <= sign * stop) return { price: o, reason };
    if (gap && sign * o >= sign * target) return { price: o, reason: 'take-profit' };
    const adverse = t.long ? ((low as Float64Array)[i] as number) : ((high as Float64Array)[i] as number);
    const favourable = t.long ? ((high as Float64Array)[i] as number) : ((low as Float64Array)[i] as number);
    if (sign * adverse <= sign * stop) return { price: stop, reason };
    if (sign * favourable >= sign * target) return { price: target, reason: 'take-profit' };
    return null;
  };

  for (let i = 1; i < n; i++) {
    const decision = positions[i - 1] as number;
    if (decision !== lastTarget) {
      lastTarget = decision;
      flatAfterStop = false;
    }
    const target = flatAfterStop ? 0 : decision;
    // Equity along the bar is base · (1 + held · (price / reference − 1)) − owed, owed being costs of fills in it.
    let base = equityNow;
    let reference = close[i - 1] as number;
    let owed = 0;
    let filledAtOpen = false;
    let inMarket = held !== 0;
    if (target !== held) {
      if (atClose) {
        owed = order(i - 1, reference, base, target, 'signal');
        exposure[i - 1] = held;
      } else {
        const o = (open as Float64Array)[i] as number;
        base *= 1 + held * (o / reference - 1);
        reference = o;
        owed = order(i, o, base, target, 'signal');
        filledAtOpen = true;
      }
    }
    if (held !== 0) {
      inMarket = true;
      const t = trade as OpenTrade | null;
      const exit = stops && t ? stopExit(t, i, !filledAtOpen) : null;
      if (exit) {
        const value = base * (1 + held * (exit.price / reference - 1)) - owed;
        const cost = order(i, exit.price, value, 0, exit.reason);
        base = value - cost;
        owed = 0;
        flatAfterStop = true;
      } else if (stops && t) {
        const extreme = t.long ? ((high as Float64Array)[i] as number) : ((low as Float64Array)[i] as number);
        if (t.long ? extreme > t.extreme : extreme < t.extreme) t.extreme = extreme;
      }
    }
    if (inMarket) periodsInMarket++;
    equityNow = base * (1 + held * ((close[i] as number) / reference - 1)) - owed;
    if (!(equityNow > 0)) {
      equityNow = 0;
      ruinIndex = i;
      if (trade) closeTrade(i, close[i] as number, 'ruin', 0, 0);
      held = 0;
      equity[i] = 0;
      break;
    }
    equity[i] = equityNow;
    exposure[i] = held;
  }
  if (trade) closeTrade(n - 1, close[n - 1] as number, 'end', equityNow, 0);
  return { equity, exposure, trades, totalCosts, traded, periodsInMarket, ruinIndex };
}
