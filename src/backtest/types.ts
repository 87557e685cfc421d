/** The price bars a backtest runs over, one value per bar, oldest first. */
export interface Bars {
  /** Bar times as epoch milliseconds or `Date`s, strictly increasing. */
  timestamp: ArrayLike<number | Date>;
  /** Closing prices, finite and positive. */
  close: ArrayLike<number>;
  /** Opening prices; required for `execution: 'next-open'` and for stops. */
  open?: ArrayLike<number>;
  /** Highest prices; required when a stop or target is set. */
  high?: ArrayLike<number>;
  /** Lowest prices; required when a stop or target is set. */
  low?: ArrayLike<number>;
  /** Traded volume; carried for strategies, not used by the simulation. */
  volume?: ArrayLike<number>;
}

/** What a {@link Backtester} runs: the bars and one target exposure per bar. */
export interface BacktestInput {
  /** The price bars. */
  bars: Bars;
  /**
   * Target exposure decided at each bar's close, as a fraction of equity (1 = fully long, −0.5 = half short), in
   * [−maxLeverage, maxLeverage]. The last bar's decision has no later bar to act on and is ignored.
   */
  positions: ArrayLike<number>;
}

/** Why a trade ended. */
export type ExitReason = 'signal' | 'stop-loss' | 'take-profit' | 'trailing-stop' | 'end' | 'ruin';

/** One round trip: a run of bars holding exposure of one sign. */
export interface Trade {
  /** Index of the bar at which the entry was filled (at its open or its close, by the execution mode). */
  entryIndex: number;
  /** Index of the bar at which the exit was filled. */
  exitIndex: number;
  /** Time of the entry bar, epoch ms. */
  entryTime: number;
  /** Time of the exit bar, epoch ms. */
  exitTime: number;
  /** Raw fill price of the entry (the bar's open or close), before slippage and spread, which count as costs. */
  entryPrice: number;
  /** Raw fill price of the exit: an open, a close, or the stop or target level. */
  exitPrice: number;
  /** `'long'` for positive exposure, `'short'` for negative. */
  direction: 'long' | 'short';
  /** Absolute exposure at entry, as a fraction of equity. */
  size: number;
  /** Equity after the exit's costs over equity before the entry, minus one: what the trade did to the account. */
  return: number;
  /** Profit or loss in currency, after costs. */
  pnl: number;
  /** Costs of the trade's orders in currency: fees, slippage and half the spread (shared pro rata on a reversal). */
  costs: number;
  /** Bars from entry to exit, `exitIndex − entryIndex`. */
  barsHeld: number;
  /** Why the trade ended. */
  exitReason: ExitReason;
}

/** Headline performance statistics of a return series, with the metrics module's (empyrical's) conventions. */
export interface PerformanceStats {
  /** Compounded return over the run. */
  totalReturn: number;
  /** Compound annual growth rate, years = periods / periodsPerYear. */
  cagr: number;
  /** Sample standard deviation of the returns (ddof = 1) × √periodsPerYear. */
  annualVolatility: number;
  /** Annualised Sharpe ratio of the returns in excess of the risk-free rate (ddof = 1). */
  sharpe: number;
  /** Annualised Sortino ratio, downside deviation over every period (empyrical). */
  sortino: number;
  /** CAGR / |maxDrawdown|; NaN when there was no drawdown. */
  calmar: number;
  /** Largest fall of equity from a running peak (the starting capital counts as a peak), ≤ 0. */
  maxDrawdown: number;
  /** Bars from the peak of the largest drawdown to its recovery, or to the last bar when it never recovered. */
  maxDrawdownDuration: number;
}

/** The statistics of a backtest: the headline figures plus trades, exposure and costs. */
export interface BacktestStats extends PerformanceStats {
  /** Equity at the last bar's close, in currency. */
  finalEquity: number;
  /** Number of trades (round trips), counting one still open at the end. */
  trades: number;
  /** Share of trades with a positive return; NaN without trades. */
  winRate: number;
  /** Gross profit over gross loss of the trades' returns; Infinity without a losing trade, NaN without trades. */
  profitFactor: number;
  /** Mean trade return (the average trade); NaN without trades. */
  expectancy: number;
  /** Mean trade return, the same figure as `expectancy`; NaN without trades. */
  averageTrade: number;
  /** Best trade return; NaN without trades. */
  bestTrade: number;
  /** Worst trade return; NaN without trades. */
  worstTrade: number;
  /** Mean bars held per trade; NaN without trades. */
  averageBarsHeld: number;
  /** Share of periods with a position on at some point during the period. */
  exposure: number;
  /** Exposure traded per year: Σ|change of exposure| × periodsPerYear / periods (2 = one full round trip a year). */
  turnover: number;
  /** Everything paid in fees, slippage and spread, in currency. */
  totalCosts: number;
}

/** What every {@link Backtester.run} returns, whatever its `series` option: trades and statistics. */
export interface BacktestSummary {
  /** Every round trip, in entry order. */
  trades: Trade[];
  /** Statistics over the periods `returns[1..n − 1]`. */
  stats: BacktestStats;
  /** The headline statistics of buying and holding the same bars close to close, without costs. */
  benchmark: PerformanceStats;
  /** Periods per year used for annualising (given, or inferred from the timestamps). */
  periodsPerYear: number;
  /** Index of the bar at which equity reached zero and trading stopped, or `null`. */
  ruinIndex: number | null;
}

/** The per-bar series of a run, one value per bar, as arrays of type `S`. */
export interface BacktestSeries<S> {
  /** Bar times, epoch ms. */
  timestamps: S;
  /** Equity at each bar's close; `equity[0]` is the initial capital. */
  equity: S;
  /** Strategy return of each bar, `equity[t] / equity[t − 1] − 1` (to rounding); `returns[0] = 0`. */
  returns: S;
  /** Equity over its running peak minus one (the starting capital counts), each ≤ 0. */
  drawdown: S;
  /** Exposure held at each bar's close, after any stop. */
  exposure: S;
}

/** The outcome of {@link Backtester.run}: plain JSON, every series a `number[]` with one value per bar. */
export interface BacktestResult extends BacktestSummary, BacktestSeries<number[]> {}

/**
 * The outcome of `run(input, { series: 'typed' })`: the series as `Float64Array`s, which skips the conversion to
 * plain arrays on long runs. Not JSON-serialisable as is.
 */
export interface TypedBacktestResult extends BacktestSummary, BacktestSeries<Float64Array> {}

/** How {@link Backtester.run} returns the per-bar series: plain arrays, typed arrays, or not at all. */
export type SeriesFormat = 'json' | 'typed' | 'none';

/** Options of one {@link Backtester.run}. */
export interface RunOptions<F extends SeriesFormat = SeriesFormat> {
  /**
   * `'json'` for `number[]` series (a plain JSON result), `'typed'` for `Float64Array`s, `'none'` to return only
   * trades and statistics (what sweeps need). @defaultValue 'json'
   */
  series?: F;
}
