import { z } from 'zod';
import { MlcycleError } from '../core/errors.js';
import { variance } from '../core/numeric.js';
import { parseOptions } from '../core/options.js';
import { runInWorkers } from '../core/worker-pool.js';
import { type DeflatedSharpeResult, deflatedSharpeRatio } from '../metrics/sharpe-inference.js';
import { type SharedBars, simulateRun, toPositions } from './backtester.js';
import { inferPeriodsPerYear, toBarColumns } from './bars.js';
import { priceReturns } from './engine.js';
import { type BacktestOptions, hasStops, resolveBacktestOptions } from './options.js';
import { buyAndHoldStats } from './stats.js';
import { barsView, loadStrategy, runSweepSlice, type SweepJob, type SweepStrategy } from './sweep-job.js';
import type { BacktestSeries, BacktestStats, Bars, PerformanceStats } from './types.js';

/** The values to try for each parameter; a sweep runs their cartesian product. */
export type ParameterGrid<P> = { readonly [K in keyof P]: readonly P[K][] };

/** Options of {@link sweep}. */
export interface SweepOptions<P> {
  /** The backtest every parameter set runs with. */
  backtest?: BacktestOptions;
  /** The statistic the rows are sorted by. @defaultValue 'sharpe' */
  sortBy?: keyof BacktestStats;
  /** Best first means largest first (`'descending'`) or smallest first. @defaultValue 'descending' */
  order?: 'descending' | 'ascending';
  /** Skips parameter sets for which it returns false (e.g. `(p) => p.fast < p.slow`); runs in the main thread. */
  filter?: (params: P) => boolean;
  /**
   * Worker threads to spread the grid over; with more than one, `strategy` must be a built-in name or a module
   * export, since functions cannot be sent to threads. Results do not depend on it. @defaultValue 1
   */
  workers?: number;
  /** Cancels the sweep; it rejects with `ABORTED`. */
  signal?: AbortSignal;
}

/** One parameter set's outcome. */
export interface SweepRow<P> {
  /** 1 for the best by the sort statistic. */
  rank: number;
  /** The parameter set. */
  params: P;
  /** Its backtest statistics. */
  stats: BacktestStats;
}

/** The best result's Sharpe ratio deflated for the number of variants tried. */
export interface SweepDeflatedSharpe extends DeflatedSharpeResult {
  /** The best row's annualised Sharpe ratio, as in its stats. */
  sharpe: number;
  /** Number of variants tried (N). */
  trials: number;
}

/** The outcome of {@link sweep}: plain JSON. */
export interface SweepResult<P> {
  /** Every parameter set run, best first; NaN statistics last, ties in grid order. */
  rows: SweepRow<P>[];
  /** The first row. */
  best: SweepRow<P>;
  /** Number of parameter sets run. */
  trials: number;
  /**
   * The deflated Sharpe ratio of the row with the highest Sharpe ratio given the number of trials and the
   * variance of their Sharpe ratios (Bailey & López de Prado 2014): the probability that its skill is real. `null`
   * with fewer than two trials or fewer than two finite Sharpe ratios.
   */
  deflatedSharpe: SweepDeflatedSharpe | null;
  /** Buy-and-hold of the same bars. */
  benchmark: PerformanceStats;
}

const STAT_NAMES = [
  'totalReturn',
  'cagr',
  'annualVolatility',
  'sharpe',
  'sortino',
  'calmar',
  'maxDrawdown',
  'maxDrawdownDuration',
  'finalEquity',
  'trades',
  'winRate',
  'profitFactor',
  'expectancy',
  'averageTrade',
  'bestTrade',
  'worstTrade',
  'averageBarsHeld',
  'exposure',
  'turnover',
  'totalCosts',
] as const satisfies readonly (keyof BacktestStats)[];

const optionsSchema = z.strictObject({
  backtest: z.unknown().optional(),
  sortBy: z.enum(STAT_NAMES).default('sharpe'),
  order: z.enum(['descending', 'ascending']).default('descending'),
  filter: z.function().optional(),
  workers: z.number().int().min(1).default(1),
  signal: z.instanceof(AbortSignal).optional(),
});

function combinations<P>(grid: ParameterGrid<P>): P[] {
  if (typeof grid !== 'object' || grid === null || Array.isArray(grid) || Object.keys(grid).length === 0) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      'sweep grid must map each parameter name to an array of values',
    );
  }
  let sets: Record<string, unknown>[] = [{}];
  for (const [name, values] of Object.entries(grid) as [string, unknown][]) {
    if (!Array.isArray(values) || values.length === 0) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `sweep grid.${name} must be a non-empty array of values, received ${JSON.stringify(values)}`,
      );
    }
    sets = sets.flatMap((set) => values.map((value) => ({ ...set, [name]: value })));
  }
  return sets as P[];
}

function compareBy(key: keyof BacktestStats, order: 'descending' | 'ascending') {
  const sign = order === 'descending' ? -1 : 1;
  return (a: { stats: BacktestStats; index: number }, b: { stats: BacktestStats; index: number }) => {
    const x = a.stats[key];
    const y = b.stats[key];
    if (Number.isNaN(x) || Number.isNaN(y))
      return Number.isNaN(x) === Number.isNaN(y) ? a.index - b.index : Number.isNaN(x) ? 1 : -1;
    return x === y ? a.index - b.index : sign * (x < y ? -1 : 1);
  };
}

/**
 * Backtests a strategy over every combination of a parameter grid (moving-average lengths, probability
 * thresholds, …) and returns the rows sorted by a statistic, with the deflated Sharpe ratio of the best given how
 * many variants were tried — the honest answer to "is the best one any good, or just the luckiest?". With
 * `workers > 1` the grid is spread over worker threads; the rows are the same for any number of workers.
 *
 * @param strategy - `(bars, params) => positions`, a built-in strategy's name (`'moving-average-crossover'`), or
 * `{ module, name }`, an export that worker threads import.
 * @throws MlcycleError `INVALID_ARGUMENT` for a bad grid, option or bars, an unknown sort statistic, a function
 * strategy with several workers, or a strategy returning bad positions (the message names its parameters);
 * `ABORTED` when the signal fires.
 * @example
 * ```ts
 * const fast = [5, 10, 20];
 * const result = await sweep(bars, { fast, slow: [50, 100, 200] }, 'moving-average-crossover', {
 *   backtest: { fees: { rate: 0.0005 } },
 * });
 * result.best.params; // e.g. { fast: 10, slow: 100 }
 * result.deflatedSharpe?.deflatedSharpe; // e.g. 0.41: most likely luck
 * ```
 */
export async function sweep<P extends object>(
  bars: Bars,
  grid: ParameterGrid<P>,
  strategy: SweepStrategy<P>,
  options: SweepOptions<P> = {},
): Promise<SweepResult<P>> {
  const parsed = parseOptions(optionsSchema, options, 'sweep options');
  const settings = resolveBacktestOptions((parsed.backtest ?? {}) as BacktestOptions);
  const columns = toBarColumns(bars, {
    open: hasStops(settings) || settings.execution === 'next-open',
    highLow: hasStops(settings),
    everyColumn: true,
  });
  const periodsPerYear = settings.periodsPerYear ?? inferPeriodsPerYear(columns.timestamp);
  const resolved = { ...settings, periodsPerYear };
  const shared: SharedBars = {
    benchmark: buyAndHoldStats(columns.close, { periodsPerYear, riskFreeRate: settings.riskFreeRate }),
    prices: priceReturns(columns.close),
  };
  const sets = combinations(grid).filter((set) => options.filter?.(set) ?? true);
  if (sets.length === 0) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      'sweep has no parameter set to run: the filter rejected them all',
    );
  }
  const job: Omit<SweepJob<P>, 'strategy'> = { bars: columns, options: resolved, params: sets, shared };
  if (parsed.workers > 1 && typeof strategy === 'function') {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      'sweep with workers > 1 needs a strategy that threads can load: a built-in name or { module, name }',
    );
  }
  const fn = typeof strategy === 'function' ? strategy : await loadStrategy<P>(strategy);
  let stats: BacktestStats[];
  if (parsed.workers === 1 || sets.length === 1 || typeof strategy === 'function') {
    stats = await runSweepSlice(job, fn, parsed.signal);
  } else {
    const size = Math.ceil(sets.length / (parsed.workers * 4));
    const slices: SweepJob<P>[] = [];
    for (let i = 0; i < sets.length; i += size)
      slices.push({ ...job, strategy, params: sets.slice(i, i + size) });
    const outputs = await runInWorkers<SweepJob<P>, BacktestStats[]>('backtest.sweep', slices, {
      workers: parsed.workers,
      ...(parsed.signal ? { signal: parsed.signal } : {}),
    });
    stats = outputs.flat();
  }
  const order = stats
    .map((row, index) => ({ stats: row, index }))
    .sort(compareBy(parsed.sortBy, parsed.order));
  const rows = order.map(({ stats: row, index }, rank) => ({
    rank: rank + 1,
    params: sets[index] as P,
    stats: row,
  }));
  return {
    rows,
    best: rows[0] as SweepRow<P>,
    trials: rows.length,
    deflatedSharpe: await deflate(
      rows,
      async (params) => {
        const positions = toPositions(await fn(barsView(columns), params), columns.close.length, resolved);
        const { columns: series } = simulateRun(resolved, columns, positions, true, shared);
        return (series as BacktestSeries<Float64Array>).returns.subarray(1);
      },
      resolved.periodsPerYear,
      resolved.riskFreeRate,
    ),
    benchmark: shared.benchmark,
  };
}

async function deflate<P>(
  rows: readonly SweepRow<P>[],
  returnsOf: (params: P) => Promise<Float64Array>,
  periodsPerYear: number,
  riskFreeRate: number,
): Promise<SweepDeflatedSharpe | null> {
  const scale = Math.sqrt(periodsPerYear);
  const sharpes = rows.map((row) => row.stats.sharpe).filter(Number.isFinite);
  if (rows.length < 2 || sharpes.length < 2) return null;
  let best: SweepRow<P> | undefined;
  for (const row of rows) {
    if (Number.isFinite(row.stats.sharpe) && (best === undefined || row.stats.sharpe > best.stats.sharpe))
      best = row;
  }
  if (best === undefined) return null;
  const result = deflatedSharpeRatio(await returnsOf(best.params), {
    trials: rows.length,
    sharpeVariance: variance(
      sharpes.map((s) => s / scale),
      0,
    ),
    periodsPerYear,
    riskFreeRate,
  });
  return { ...result, sharpe: best.stats.sharpe, trials: rows.length };
}
