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
  /** `equity[t] / equity[t − 1] − 1`, with returns[0] = 0 (and 0 once equity is gone). */
  returns: Float64Array;
  /** Equity over its running peak minus one; the starting capital is the first peak. */
  drawdown: Float64Array;
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

/** Orders, trades and costs of a run: everything that changes only when exposure changes. */
class Ledger {
  held = 0;
  trade: OpenTrade | null = null;
  readonly trades: Trade[] = [];
  totalCosts = 0;
  traded = 0;
  readonly #timestamp: Float64Array;
  readonly #rate: number;
  readonly #fixed: number;
  readonly #minimum: number;
  readonly #impact: number;

  constructor(timestamp: Float64Array, options: ResolvedBacktestOptions) {
    this.#timestamp = timestamp;
    this.#rate = options.fees.rate;
    this.#fixed = options.fees.fixed;
    this.#minimum = options.fees.minimum;
    this.#impact = options.slippageBps / 1e4 + options.spreadBps / 2e4;
  }

  /** Fills a change of exposure to `target` at `price`, with equity `value` before costs; returns the cost. */
  order(index: number, price: number, value: number, target: number, reason: ExitReason): number {
    const held = this.held;
    const delta = Math.abs(target - held);
    const notional = delta * value;
    const cost = notional * this.#impact + Math.max(notional * this.#rate, this.#minimum) + this.#fixed;
    this.totalCosts += cost;
    this.traded += delta;
    const closing = held !== 0 && (target === 0 || held > 0 !== target > 0);
    const opening = target !== 0 && (held === 0 || closing);
    const closingShare = !closing ? 0 : opening ? Math.abs(held) / (Math.abs(held) + Math.abs(target)) : 1;
    if (closing) this.close(index, price, reason, value - cost * closingShare, cost * closingShare);
    if (opening) {
      this.trade = {
        entryIndex: index,
        entryPrice: price,
        entryEquity: value - cost * closingShare,
        size: Math.abs(target),
        long: target > 0,
        costs: cost * (1 - closingShare),
        extreme: price,
      };
    } else if (!closing && this.trade) {
      this.trade.costs += cost;
    }
    this.held = target;
    return cost;
  }

  /** Records the open trade as ended at `price`, leaving the account with `exitEquity`. */
  close(index: number, price: number, reason: ExitReason, exitEquity: number, costs: number): void {
    const t = this.trade as OpenTrade;
    // Costs beyond what is left cannot be paid: the account is ruined, and the trade lost everything.
    const ruined = exitEquity <= 0;
    if (ruined) exitEquity = 0;
    this.trades.push({
      entryIndex: t.entryIndex,
      exitIndex: index,
      entryTime: this.#timestamp[t.entryIndex] as number,
      exitTime: this.#timestamp[index] as number,
      entryPrice: t.entryPrice,
      exitPrice: price,
      direction: t.long ? 'long' : 'short',
      size: t.size,
      return: exitEquity / t.entryEquity - 1,
      pnl: exitEquity - t.entryEquity,
      costs: t.costs + costs,
      barsHeld: index - t.entryIndex,
      exitReason: ruined ? 'ruin' : reason,
    });
    this.trade = null;
  }
}

/** Stop and target levels of a run, checked against each bar's prices. */
class Stops {
  /** The fill price of the last exit found. */
  price = 0;
  /** The reason of the last exit found. */
  reason: ExitReason = 'stop-loss';
  readonly #stopLoss: number | undefined;
  readonly #takeProfit: number | undefined;
  readonly #trailing: number | undefined;
  #stop = 0;
  #stopReason: ExitReason = 'stop-loss';
  #target = 0;

  constructor(options: ResolvedBacktestOptions) {
    this.#stopLoss = options.stopLoss;
    this.#takeProfit = options.takeProfit;
    this.#trailing = options.trailingStop;
  }

  /** Whether a trade held through the open finds it beyond a level, which fills there. */
  gapHit(t: OpenTrade, open: number): boolean {
    const sign = this.#levels(t);
    if (sign * open <= sign * this.#stop) return this.#exit(open, this.#stopReason);
    if (sign * open >= sign * this.#target) return this.#exit(open, 'take-profit');
    return false;
  }

  /**
   * Whether the bar's range reaches a level (the stop wins a bar that touches both); otherwise the trade's best
   * price moves to the bar's high (low for a short), so a trailing stop follows only completed bars.
   */
  rangeHit(t: OpenTrade, high: number, low: number): boolean {
    const sign = this.#levels(t);
    const adverse = t.long ? low : high;
    const favourable = t.long ? high : low;
    if (sign * adverse <= sign * this.#stop) return this.#exit(this.#stop, this.#stopReason);
    if (sign * favourable >= sign * this.#target) return this.#exit(this.#target, 'take-profit');
    if (sign * favourable > sign * t.extreme) t.extreme = favourable;
    return false;
  }

  /** Sets the trade's effective stop (the tighter of the stop loss and the trailing stop) and target. */
  #levels(t: OpenTrade): number {
    const sign = t.long ? 1 : -1;
    let stop = -sign * Number.POSITIVE_INFINITY;
    let reason: ExitReason = 'stop-loss';
    if (this.#stopLoss !== undefined) stop = t.entryPrice * (1 - sign * this.#stopLoss);
    if (this.#trailing !== undefined) {
      const trail = t.extreme * (1 - sign * this.#trailing);
      if (sign * trail > sign * stop) {
        stop = trail;
        reason = 'trailing-stop';
      }
    }
    this.#stop = stop;
    this.#stopReason = reason;
    this.#target =
      this.#takeProfit === undefined
        ? sign * Number.POSITIVE_INFINITY
        : t.entryPrice * (1 + sign * this.#takeProfit);
    return sign;
  }

  #exit(price: number, reason: ExitReason): true {
    this.price = price;
    this.reason = reason;
    return true;
  }
}

/** Runs the simulation; inputs are already validated. */
export function simulate(
  bars: BarColumns,
  positions: Float64Array,
  options: ResolvedBacktestOptions,
): Simulation {
  const { close, timestamp } = bars;
  const open = bars.open ?? close;
  const high = bars.high ?? close;
  const low = bars.low ?? close;
  const n = close.length;
  const atClose = options.execution === 'close';
  const stops =
    options.stopLoss !== undefined || options.takeProfit !== undefined || options.trailingStop !== undefined
      ? new Stops(options)
      : null;
  const ledger = new Ledger(timestamp, options);
  const equity = new Float64Array(n);
  const returns = new Float64Array(n);
  const drawdown = new Float64Array(n);
  let peak = options.initialCapital;
  const exposure = new Float64Array(n);
  let periodsInMarket = 0;
  let ruinIndex: number | null = null;
  let lastTarget = 0;
  let flatAfterStop = false;
  let equityNow = options.initialCapital;
  equity[0] = equityNow;

  for (let i = 1; i < n; i++) {
    const decision = positions[i - 1] as number;
    if (decision !== lastTarget) {
      lastTarget = decision;
      flatAfterStop = false;
    }
    let target = flatAfterStop ? 0 : decision;
    // Along the bar, equity is base · (1 + held · (price / reference − 1)) − owed, owed being the costs of its fills.
    let base = equityNow;
    let reference = close[i - 1] as number;
    let owed = 0;
    if (atClose && target !== ledger.held) {
      owed = ledger.order(i - 1, reference, base, target, 'signal');
      exposure[i - 1] = target;
    }
    let inMarket = ledger.held !== 0;
    const held = ledger.held;
    const trade = ledger.trade;
    // A trade held through the open meets a gap first, unless a signal closes it at that open anyway.
    const closesAtOpen = !atClose && target !== held && (target === 0 || target > 0 !== held > 0);
    if (stops && trade && trade.entryIndex < i && !closesAtOpen && stops.gapHit(trade, open[i] as number)) {
      const value = base * (1 + held * (stops.price / reference - 1)) - owed;
      base = value - ledger.order(i, stops.price, value, 0, stops.reason);
      reference = stops.price;
      owed = 0;
      flatAfterStop = true;
      target = 0;
    }
    if (!atClose && target !== ledger.held) {
      const o = open[i] as number;
      base *= 1 + ledger.held * (o / reference - 1);
      reference = o;
      owed = ledger.order(i, o, base, target, 'signal');
    }
    if (ledger.held !== 0) {
      inMarket = true;
      const t = ledger.trade as OpenTrade;
      if (stops?.rangeHit(t, high[i] as number, low[i] as number)) {
        const value = base * (1 + ledger.held * (stops.price / reference - 1)) - owed;
        base = value - ledger.order(i, stops.price, value, 0, stops.reason);
        owed = 0;
        flatAfterStop = true;
      }
    }
    if (inMarket) periodsInMarket++;
    equityNow = base * (1 + ledger.held * ((close[i] as number) / reference - 1)) - owed;
    if (!(equityNow > 0)) {
      equityNow = 0;
      ruinIndex = i;
      returns[i] = -1;
      drawdown.fill(-1, i);
      if (ledger.trade) ledger.close(i, close[i] as number, 'ruin', 0, 0);
      ledger.held = 0;
      break;
    }
    returns[i] = equityNow / (equity[i - 1] as number) - 1;
    if (equityNow > peak) peak = equityNow;
    drawdown[i] = equityNow / peak - 1;
    equity[i] = equityNow;
    exposure[i] = ledger.held;
  }
  if (ledger.trade) ledger.close(n - 1, close[n - 1] as number, 'end', equityNow, 0);
  const { trades, totalCosts, traded } = ledger;
  return { equity, returns, drawdown, exposure, trades, totalCosts, traded, periodsInMarket, ruinIndex };
}
