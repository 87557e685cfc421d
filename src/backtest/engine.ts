/**
 * The bar-by-bar simulation behind {@link Backtester}. Exposure is a fraction of equity, held constant from one
 * rebalancing point to the next: a bar is one close-to-close step unless an order at the open or a stop splits it.
 * An order's notional is sized on the equity at its fill before costs, and its costs come out of cash, so that
 * with `execution: 'close'` a bar's equity is E[t](1 + p·r − |Δp|·k) − fixed, as documented in docs/backtest.md.
 *
 * Bars are simulated in the blocks of the metrics module's return accumulator, in a loop that sums the statistics
 * of the returns and equity as it goes, so that a run without series allocates nothing per bar: a bar that only
 * holds its exposure is a few multiplications and additions, and everything else — orders, stops, ruin — takes the
 * general path of {@link BarStepper}.
 *
 * @module
 */
import { DrawdownTracker, drawdownFloor, type MaxDrawdownResult } from '../metrics/drawdown.js';
import { ACCUMULATOR_BLOCK, ReturnAccumulator, type ReturnMoments } from '../metrics/returns.js';
import type { BarColumns } from './bars.js';
import { hasStops, type ResolvedBacktestOptions } from './options.js';
import type { ExitReason, Trade } from './types.js';

/** The per-bar series of a run. */
export interface SimulatedSeries {
  equity: Float64Array;
  /** `equity[t] / equity[t − 1] − 1` (to rounding), with returns[0] = 0 (and 0 once equity is gone). */
  returns: Float64Array;
  /** Equity over its running peak minus one; the starting capital is the first peak. */
  drawdown: Float64Array;
  exposure: Float64Array;
}

/** Everything the statistics need from one simulated run. */
export interface Simulation {
  /** The series, when asked for. */
  series: SimulatedSeries | null;
  finalEquity: number;
  /** Moments of the returns of bars 1..n − 1 over the per-period risk-free rate. */
  moments: ReturnMoments;
  /** The largest drawdown of the equity curve, located as `maxDrawdownOf` locates it on the drawdown series. */
  drawdown: MaxDrawdownResult;
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

/**
 * The general bar: orders at the close or the open, gaps and ranges through stops. Holds the state that changes
 * only on such bars; the simulation loop keeps its own copies of the rest.
 */
class BarStepper {
  readonly ledger: Ledger;
  /** Whether the last bar stepped had a position on at some point. */
  inMarket = false;
  #lastTarget = 0;
  #flatAfterStop = false;
  readonly #bars: BarColumns;
  readonly #positions: Float64Array;
  readonly #stops: Stops | null;
  readonly #atClose: boolean;
  readonly #exposure: Float64Array | null;

  constructor(
    bars: BarColumns,
    positions: Float64Array,
    options: ResolvedBacktestOptions,
    exposure: Float64Array | null,
  ) {
    this.ledger = new Ledger(bars.timestamp, options);
    this.#bars = bars;
    this.#positions = positions;
    this.#stops = hasStops(options) ? new Stops(options) : null;
    this.#atClose = options.execution === 'close';
    this.#exposure = exposure;
  }

  /** The target the simulation loop compares each decision with: a bar whose decision differs is stepped. */
  get lastTarget(): number {
    return this.#lastTarget;
  }

  /** Steps bar i from the equity at bar i − 1's close; returns the equity at bar i's close (≤ 0 is ruin). */
  step(i: number, equity: number): number {
    const { ledger } = this;
    const stops = this.#stops;
    const close = this.#bars.close;
    const open = this.#bars.open ?? close;
    const decision = this.#positions[i - 1] as number;
    if (decision !== this.#lastTarget) {
      this.#lastTarget = decision;
      this.#flatAfterStop = false;
    }
    let target = this.#flatAfterStop ? 0 : decision;
    // Along the bar, equity is base · (1 + held · (price / reference − 1)) − owed, owed being the costs of its fills.
    let base = equity;
    let reference = close[i - 1] as number;
    let owed = 0;
    if (this.#atClose && target !== ledger.held) {
      owed = ledger.order(i - 1, reference, base, target, 'signal');
      if (this.#exposure) this.#exposure[i - 1] = target;
    }
    let inMarket = ledger.held !== 0;
    const held = ledger.held;
    const trade = ledger.trade;
    // A trade held through the open meets a gap first, unless a signal closes it at that open anyway.
    const closesAtOpen = !this.#atClose && target !== held && (target === 0 || target > 0 !== held > 0);
    if (stops && trade && trade.entryIndex < i && !closesAtOpen && stops.gapHit(trade, open[i] as number)) {
      const value = base * (1 + held * (stops.price / reference - 1)) - owed;
      base = value - ledger.order(i, stops.price, value, 0, stops.reason);
      reference = stops.price;
      owed = 0;
      this.#flatAfterStop = true;
      target = 0;
    }
    if (!this.#atClose && target !== ledger.held) {
      const o = open[i] as number;
      base *= 1 + ledger.held * (o / reference - 1);
      reference = o;
      owed = ledger.order(i, o, base, target, 'signal');
    }
    if (ledger.held !== 0) {
      inMarket = true;
      const high = this.#bars.high as Float64Array;
      const low = this.#bars.low as Float64Array;
      if (stops?.rangeHit(ledger.trade as OpenTrade, high[i] as number, low[i] as number)) {
        const value = base * (1 + ledger.held * (stops.price / reference - 1)) - owed;
        base = value - ledger.order(i, stops.price, value, 0, stops.reason);
        owed = 0;
        this.#flatAfterStop = true;
      }
    }
    this.inMarket = inMarket;
    return base * (1 + ledger.held * ((close[i] as number) / reference - 1)) - owed;
  }
}

/**
 * One run's state between blocks of bars. A block of bars is one block of the return accumulator (1, 1, 2, 4, …
 * then 256 bars). The block's loop sums the moments of the returns and tracks the drawdown of the equity itself, in
 * locals, with the rules of `ReturnAccumulator` and `DrawdownTracker`: a bar that only holds its exposure is then a
 * few multiplications, and the loop faster than one that fills a block of values for them (the times measured are
 * at `DrawdownTracker.state`). Orders, stops and ruin take the general path of {@link BarStepper}.
 */
class Simulator {
  equity: number;
  #held = 0;
  #lastTarget = 0;
  periodsInMarket = 0;
  ruinIndex: number | null = null;
  readonly stepper: BarStepper;
  readonly moments: ReturnAccumulator;
  readonly drawdown: DrawdownTracker;
  readonly #mar: number;
  readonly #close: Float64Array;
  readonly #positions: Float64Array;
  /** Bars holding a position take the general step when stops are set: the loop's target is then NaN. */
  readonly #stepHeld: boolean;
  readonly #series: SimulatedSeries | null;

  constructor(
    bars: BarColumns,
    positions: Float64Array,
    options: ResolvedBacktestOptions,
    mar: number,
    series: SimulatedSeries | null,
  ) {
    this.equity = options.initialCapital;
    this.stepper = new BarStepper(bars, positions, options, series?.exposure ?? null);
    this.moments = new ReturnAccumulator(mar);
    this.drawdown = new DrawdownTracker(this.equity);
    this.#mar = mar;
    this.#close = bars.close;
    this.#positions = positions;
    this.#stepHeld = hasStops(options);
    this.#series = series;
  }

  /**
   * Simulates bars start..end − 1, which must fit in the accumulator's block ({@link ReturnAccumulator.room}), with
   * the close-to-close return of bar i at `prices[i − offset]`.
   */
  block(start: number, end: number, prices: Float64Array, offset: number): void {
    const positions = this.#positions;
    const { stepper } = this;
    const series = this.#series;
    const equitySeries = series?.equity;
    const returnSeries = series?.returns;
    const drawdownSeries = series?.drawdown;
    const exposureSeries = series?.exposure;
    // Unary plus on what the loop's floats are read from (fields and calls that may hold small integers, such as an
    // integral initial capital) keeps them unboxed float64 in the loop, which halves its time.
    const mar = +this.#mar;
    const shift = +this.moments.shift();
    let sum = 0;
    let squares = 0;
    let below = 0;
    const path = this.drawdown.state;
    let peak = +path.peak;
    let peakIndex = path.peakIndex;
    let worst = +path.worst;
    let trough = path.trough;
    let troughPeak = path.troughPeak;
    let recovery = path.recovery;
    let floor = +path.floor;
    let equity = +this.equity;
    let held = +this.#held;
    let lastTarget = +this.#lastTarget;
    let periodsInMarket = this.periodsInMarket;
    let ruined = this.ruinIndex !== null;
    // The general path's bar: its return and equity are worked out, and the hold loop records it.
    let stepped = false;
    let ret = 0;
    for (let i = start; i < end; i++) {
      // The bars that hold the target (all of them once ruined), in a loop with no call in it (what a call per bar
      // costs is at DrawdownTracker.state): it leaves at a bar whose target changed or that would take equity to zero.
      for (; i < end; i++) {
        if (stepped) {
          stepped = false;
        } else {
          if (positions[i - 1] !== lastTarget && !ruined) break;
          ret = 0;
          if (held !== 0) {
            ret = held * (prices[i - offset] as number);
            const next = equity * (1 + ret);
            if (!(next > 0)) break;
            equity = next;
            periodsInMarket++;
          }
        }
        // The return's deviation and downside, as ReturnAccumulator.add sums them.
        const d = ret - shift;
        sum += d;
        squares += d * d;
        const b = ret - mar - Math.abs(ret - mar);
        below += b * b;
        // The equity's drawdown, as DrawdownTracker.add tracks it (bar i is the path's value i).
        if (equity >= peak) {
          peak = equity;
          peakIndex = i;
          if (recovery < 0) recovery = i;
          floor = drawdownFloor(peak, worst);
        } else if (equity < floor) {
          const drawdown = equity / peak - 1;
          if (drawdown < worst) {
            worst = drawdown;
            trough = i;
            troughPeak = peakIndex;
            recovery = -1;
            floor = drawdownFloor(peak, worst);
          }
        }
        if (equitySeries) {
          equitySeries[i] = equity;
          (returnSeries as Float64Array)[i] = ret;
          (drawdownSeries as Float64Array)[i] = equity / peak - 1;
          (exposureSeries as Float64Array)[i] = held;
        }
      }
      if (i === end) break;
      // The general path: an order, a stop, or ruin at bar i.
      if (positions[i - 1] !== lastTarget && !ruined) {
        const before = equity;
        equity = +stepper.step(i, equity);
        held = +stepper.ledger.held;
        lastTarget = this.#stepHeld && held !== 0 ? Number.NaN : +stepper.lastTarget;
        if (stepper.inMarket) periodsInMarket++;
        ret = equity / before - 1;
      } else {
        ret = held * (prices[i - offset] as number);
        equity *= 1 + ret;
        periodsInMarket++;
      }
      if (!(equity > 0) && !ruined) {
        this.#ruin(i);
        ret = -1;
        equity = 0;
        held = 0;
        ruined = true;
      }
      stepped = true;
      i--;
    }
    this.equity = equity;
    this.#held = held;
    this.#lastTarget = lastTarget;
    this.periodsInMarket = periodsInMarket;
    this.moments.addSums(end - start, sum, squares, below);
    path.index = end - 1;
    path.peak = peak;
    path.peakIndex = peakIndex;
    path.worst = worst;
    path.trough = trough;
    path.troughPeak = troughPeak;
    path.recovery = recovery;
    path.floor = floor;
  }

  /** Equity is gone at bar i: the open trade lost everything, and the account stays empty. */
  #ruin(i: number): void {
    const { ledger } = this.stepper;
    this.ruinIndex = i;
    if (ledger.trade) ledger.close(i, this.#close[i] as number, 'ruin', 0, 0);
    ledger.held = 0;
  }
}

/** The moments and drawdown of a path: what the headline statistics are computed from. */
export type PathStats = Pick<Simulation, 'moments' | 'drawdown'>;

/** Writes the close-to-close returns of bars start..end − 1 to `out`, bar i at index i − offset. */
function writePriceReturns(
  close: Float64Array,
  start: number,
  end: number,
  out: Float64Array,
  offset: number,
): void {
  for (let i = start; i < end; i++) out[i - offset] = (close[i] as number) / (close[i - 1] as number) - 1;
}

/**
 * Buying and holding the bars close to close without costs, a block of the accumulator at a time: the benchmark
 * of every run, the same path as {@link simulate} holding an exposure of 1 from the first close. Each block's
 * close-to-close returns stay in `returns` (bar i at i − start) for a simulation of the same block to read.
 */
class BuyAndHold {
  readonly returns = new Float64Array(ACCUMULATOR_BLOCK);
  readonly moments: ReturnAccumulator;
  readonly drawdown: DrawdownTracker;
  readonly #close: Float64Array;

  constructor(close: Float64Array, mar: number) {
    this.#close = close;
    this.moments = new ReturnAccumulator(mar);
    this.drawdown = new DrawdownTracker(close[0] as number);
  }

  /** Adds bars start..end − 1, which must fit in the accumulator's block. */
  block(start: number, end: number): void {
    const close = this.#close;
    const returns = this.returns;
    writePriceReturns(close, start, end, returns, start);
    this.moments.add(returns, 0, end - start);
    this.drawdown.add(close, start, end);
  }

  result(): PathStats {
    const close = this.#close;
    return {
      moments: this.moments.moments((close[close.length - 1] as number) / (close[0] as number)),
      drawdown: this.drawdown.result(),
    };
  }
}

/**
 * The close-to-close return of every bar, `close[i] / close[i − 1] − 1` at index i (0 at index 0): what the runs
 * of a sweep share.
 */
export function priceReturns(close: Float64Array): Float64Array {
  const returns = new Float64Array(close.length);
  writePriceReturns(close, 1, close.length, returns, 0);
  return returns;
}

/** The benchmark of {@link simulate}: buying and holding the bars (see `BuyAndHold`). */
export function buyAndHold(close: Float64Array, mar: number): PathStats {
  const path = new BuyAndHold(close, mar);
  for (let start = 1; start < close.length; ) {
    const end = Math.min(start + path.moments.room(), close.length);
    path.block(start, end);
    start = end;
  }
  return path.result();
}

/** A simulation and the buy-and-hold benchmark worked out beside it (`null` when the price returns were given). */
export interface SimulationWithBenchmark extends Simulation {
  buyAndHold: PathStats | null;
}

/**
 * Runs the simulation; inputs are already validated. The statistics are the same with and without series.
 *
 * @param mar - the per-period rate the downside deviation is measured below.
 * @param prices - the bars' {@link priceReturns}, when already known (a sweep's runs share them); otherwise the
 * simulation works them out a block at a time with the buy-and-hold benchmark.
 */
export function simulate(
  bars: BarColumns,
  positions: Float64Array,
  options: ResolvedBacktestOptions,
  mar: number,
  withSeries: boolean,
  prices?: Float64Array,
): SimulationWithBenchmark {
  const { close } = bars;
  const n = close.length;
  const series: SimulatedSeries | null = withSeries
    ? {
        equity: new Float64Array(n),
        returns: new Float64Array(n),
        drawdown: new Float64Array(n),
        exposure: new Float64Array(n),
      }
    : null;
  const simulator = new Simulator(bars, positions, options, mar, series);
  if (series) series.equity[0] = options.initialCapital;
  const benchmark = prices ? null : new BuyAndHold(close, mar);
  // Both accumulators take blocks of the same sizes, so one block of bars is one block of each.
  for (let start = 1; start < n; ) {
    const end = Math.min(start + simulator.moments.room(), n);
    if (benchmark) {
      benchmark.block(start, end);
      simulator.block(start, end, benchmark.returns, start);
    } else {
      simulator.block(start, end, prices as Float64Array, 0);
    }
    start = end;
  }
  const { ledger } = simulator.stepper;
  const { equity } = simulator;
  if (ledger.trade) ledger.close(n - 1, close[n - 1] as number, 'end', equity, 0);
  return {
    series,
    finalEquity: equity,
    moments: simulator.moments.moments(equity / options.initialCapital),
    drawdown: simulator.drawdown.result(),
    trades: ledger.trades,
    totalCosts: ledger.totalCosts,
    traded: ledger.traded,
    periodsInMarket: simulator.periodsInMarket,
    ruinIndex: simulator.ruinIndex,
    buyAndHold: benchmark?.result() ?? null,
  };
}
