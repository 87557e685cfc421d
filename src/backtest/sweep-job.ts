/**
 * One slice of a parameter sweep, as the main thread or a worker thread runs it: validated bars, resolved options,
 * a strategy and a list of parameter sets in; one statistics row per set out.
 *
 * @module
 */
import { pathToFileURL } from 'node:url';
import { MlcycleError } from '../core/errors.js';
import { type SharedBars, simulateRun, toPositions } from './backtester.js';
import type { BarColumns } from './bars.js';
import type { ResolvedBacktestOptions } from './options.js';
import { movingAverageCrossover, prepareMovingAverageCrossover } from './strategies.js';
import type { BacktestStats, Bars } from './types.js';

/** Turns bars and one parameter set into target exposures, one per bar. */
export type Strategy<P> = (bars: Bars, params: P) => ArrayLike<number> | Promise<ArrayLike<number>>;

/** A strategy exported by a module that worker threads can import. */
export interface StrategyModule {
  /** The module: a `file:` URL or an absolute path. */
  module: string;
  /** The name of its exported strategy function. */
  name: string;
}

/** A strategy built into mlcycle, usable from worker threads by name. */
export type BuiltInStrategy = 'moving-average-crossover';

/** What a sweep runs: a function (main thread only), a built-in strategy's name, or a module's export. */
export type SweepStrategy<P> = Strategy<P> | BuiltInStrategy | StrategyModule;

const builtIn: Readonly<Record<BuiltInStrategy, Strategy<never>>> = {
  'moving-average-crossover': movingAverageCrossover as Strategy<never>,
};

/** A strategy bound to one set of bars. */
interface BoundStrategy<P> {
  /** Positions for a parameter set, which the next call may overwrite. */
  positions(params: P): ArrayLike<number> | Promise<ArrayLike<number>>;
  /** The least and greatest value the positions of a parameter set hold, when known without reading them. */
  range?(params: P): readonly [number, number];
}

/** Strategies with a form that serves many parameter sets on the same bars faster, with the same positions. */
const preparers = new Map<Strategy<never>, (bars: Bars) => BoundStrategy<never>>([
  [movingAverageCrossover as Strategy<never>, prepareMovingAverageCrossover],
]);

/** The strategy bound to `bars` for many parameter sets: its prepared form if it has one. */
function bind<P>(strategy: Strategy<P>, bars: Bars): BoundStrategy<P> {
  const prepare = preparers.get(strategy as Strategy<never>);
  return prepare ? (prepare(bars) as BoundStrategy<P>) : { positions: (params) => strategy(bars, params) };
}

/** Resolves a strategy that can travel to a worker (a built-in name or a module export) to its function. */
export async function loadStrategy<P>(strategy: BuiltInStrategy | StrategyModule): Promise<Strategy<P>> {
  if (typeof strategy === 'string') {
    const known = builtIn[strategy] as Strategy<P> | undefined;
    if (known === undefined || !Object.hasOwn(builtIn, strategy)) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `Unknown built-in strategy "${strategy}"; expected one of: ${Object.keys(builtIn).join(', ')}`,
      );
    }
    return known;
  }
  const url = strategy.module.startsWith('file:') ? strategy.module : pathToFileURL(strategy.module).href;
  const namespace = (await import(url)) as Record<string, unknown>;
  const fn = namespace[strategy.name];
  if (typeof fn !== 'function') {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `Strategy module ${strategy.module} has no function export named "${strategy.name}"`,
    );
  }
  return fn as Strategy<P>;
}

/** The input of one sweep slice. */
export interface SweepJob<P> {
  bars: BarColumns;
  options: ResolvedBacktestOptions;
  strategy: BuiltInStrategy | StrategyModule;
  params: P[];
  shared: SharedBars;
}

/** Validated bar columns as the {@link Bars} a strategy receives. */
export function barsView(bars: BarColumns): Bars {
  const view: Bars = { timestamp: bars.timestamp, close: bars.close };
  if (bars.open) view.open = bars.open;
  if (bars.high) view.high = bars.high;
  if (bars.low) view.low = bars.low;
  if (bars.volume) view.volume = bars.volume;
  return view;
}

/** Runs every parameter set of a slice with an already resolved strategy; one statistics row each, in order. */
export async function runSweepSlice<P>(
  job: Omit<SweepJob<P>, 'strategy'>,
  strategy: Strategy<P>,
  signal?: AbortSignal,
): Promise<BacktestStats[]> {
  const { bars, options, params, shared } = job;
  const n = bars.close.length;
  const view = barsView(bars);
  const bound = bind(strategy, view);
  const rows: BacktestStats[] = [];
  for (const set of params) {
    if (signal?.aborted) {
      throw new MlcycleError('ABORTED', 'The sweep was aborted', { cause: signal.reason });
    }
    let positions: Float64Array;
    try {
      const values = bound.positions(set);
      // A strategy that answers at once is not awaited: an await costs every row a turn of the event loop.
      positions = toPositions(
        values instanceof Promise ? await values : values,
        n,
        options,
        bound.range?.(set),
      );
    } catch (error) {
      if (!MlcycleError.is(error)) throw error;
      throw new MlcycleError(
        error.code,
        `Strategy with parameters ${JSON.stringify(set)}: ${error.message}`,
        {
          cause: error,
          ...(error.details ? { details: error.details } : {}),
        },
      );
    }
    rows.push(simulateRun(options, bars, positions, false, shared).summary.stats);
  }
  return rows;
}

/** The worker-thread entry of a sweep slice (registered as the built-in worker task `'backtest.sweep'`). */
export async function runSweepJob(job: SweepJob<unknown>): Promise<BacktestStats[]> {
  return runSweepSlice(job, await loadStrategy(job.strategy));
}
