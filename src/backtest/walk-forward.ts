import { z } from 'zod';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import type { Fold } from '../cv/types.js';
import { Backtester } from './backtester.js';
import { toBarColumns } from './bars.js';
import type { BacktestOptions } from './options.js';
import type { BacktestResult, Bars } from './types.js';

/** Options of {@link walkForward}: the folds, how to fit on a fold's training bars and what to hold on its test bars. */
export interface WalkForwardOptions<M> {
  /** The folds: a splitter such as `TimeSeriesCV`, split over the bars, or any list of folds of bar indices. */
  cv: FoldSplitter | readonly Fold[];
  /** Fits a model on the training bars of a fold (their indices, ascending). */
  fit: (train: number[], fold: Fold) => M | Promise<M>;
  /** One target exposure per test bar of a fold, decided by the model fitted on that fold's training bars. */
  predict: (model: M, test: number[], fold: Fold) => ArrayLike<number> | Promise<ArrayLike<number>>;
  /** The backtest the stitched positions run with. */
  backtest?: BacktestOptions;
}

/** Anything that splits n observations into folds, as `TimeSeriesCV` does. */
export interface FoldSplitter {
  /** The folds over observations 0 … n − 1; `timestamps` resolve sizes given as durations. */
  split(n: number, inputs: { timestamps: ArrayLike<number> }): Fold[];
}

/** A fold's place in a walk-forward study. */
export interface WalkForwardFold {
  /** The fold's index. */
  index: number;
  /** First training bar (−1 when the fold has none). */
  trainStart: number;
  /** Last training bar (−1 when the fold has none). */
  trainEnd: number;
  /** First test bar. */
  testStart: number;
  /** Last test bar. */
  testEnd: number;
}

/** The outcome of {@link walkForward}: plain JSON. */
export interface WalkForwardResult {
  /** First bar of the out-of-sample span (the first test bar of any fold). */
  start: number;
  /** Last bar of the out-of-sample span. */
  end: number;
  /** The stitched target exposures over bars[start..end]; 0 on bars no fold tests. */
  positions: number[];
  /** The folds used. */
  folds: WalkForwardFold[];
  /** The backtest of the stitched positions over bars[start..end], with its buy-and-hold benchmark. */
  result: BacktestResult;
}

const schema = z.strictObject({
  cv: z.union([z.array(z.unknown()), z.object({ split: z.function() })]),
  fit: z.function(),
  predict: z.function(),
  backtest: z.unknown().optional(),
});

function sliceBars(bars: Bars, start: number, end: number): Bars {
  const slice = (values: ArrayLike<number | Date>) => Array.prototype.slice.call(values, start, end + 1);
  const out: Bars = { timestamp: slice(bars.timestamp), close: slice(bars.close) as number[] };
  for (const key of ['open', 'high', 'low', 'volume'] as const) {
    const column = bars[key];
    if (column !== undefined) out[key] = slice(column) as number[];
  }
  return out;
}

/**
 * Walk-forward backtest of a model: for each fold, fit on its training bars and decide target exposures for its
 * test bars; the out-of-sample decisions are stitched into one series and backtested once over the span the folds
 * test, beside buy-and-hold of the same bars — so an ML strategy and a rule can be compared on equal terms.
 *
 * @throws MlcycleError `INVALID_ARGUMENT` for bad options or bars, a fold index outside the bars, a bar tested by
 * two folds, or a prediction count different from the fold's test bars.
 * @example
 * ```ts
 * const study = await walkForward(bars, {
 *   cv: new TimeSeriesCV({ method: 'expanding', nSplits: 5 }),
 *   fit: (train) => trainModel(train),
 *   predict: (model, test) => test.map((t) => (model.predict(t) > 0 ? 1 : 0)),
 *   backtest: { fees: { rate: 0.0005 } },
 * });
 * study.result.stats.sharpe; study.result.benchmark.sharpe;
 * ```
 */
export async function walkForward<M>(bars: Bars, options: WalkForwardOptions<M>): Promise<WalkForwardResult> {
  parseOptions(schema, options, 'walkForward options');
  const columns = toBarColumns(bars, { open: false, highLow: false, everyColumn: true });
  const n = columns.close.length;
  const backtester = new Backtester(options.backtest ?? {});
  const folds = Array.isArray(options.cv)
    ? (options.cv as readonly Fold[])
    : (options.cv as FoldSplitter).split(n, { timestamps: columns.timestamp });
  if (folds.length === 0) throw new MlcycleError('INVALID_ARGUMENT', 'walkForward needs at least one fold');
  const decided = new Float64Array(n);
  const tested = new Int32Array(n).fill(-1);
  const summary: WalkForwardFold[] = [];
  for (const fold of folds) {
    for (const i of [...fold.train, ...fold.test]) {
      if (!Number.isInteger(i) || i < 0 || i >= n) {
        throw new MlcycleError(
          'INVALID_ARGUMENT',
          `walkForward fold ${fold.index} has index ${i}, outside the ${n} bars (expected integers in [0, ${n - 1}])`,
        );
      }
    }
    if (fold.test.length === 0) {
      throw new MlcycleError('INVALID_ARGUMENT', `walkForward fold ${fold.index} has no test bars`);
    }
    for (let k = 1; k < fold.test.length; k++) {
      if ((fold.test[k] as number) <= (fold.test[k - 1] as number)) {
        throw new MlcycleError(
          'INVALID_ARGUMENT',
          `walkForward fold ${fold.index} test bars must be strictly ascending, but ${fold.test[k]} follows ` +
            `${fold.test[k - 1]}`,
        );
      }
    }
    const model = await options.fit([...fold.train], fold);
    const predictions = await options.predict(model, [...fold.test], fold);
    if (predictions?.length !== fold.test.length) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `walkForward predict for fold ${fold.index} must return one exposure per test bar (${fold.test.length}), ` +
          `received ${predictions?.length}`,
      );
    }
    fold.test.forEach((bar, k) => {
      if ((tested[bar] as number) >= 0) {
        throw new MlcycleError(
          'INVALID_ARGUMENT',
          `walkForward bar ${bar} is tested by folds ${tested[bar]} and ${fold.index}; out-of-sample positions need ` +
            'folds whose test bars do not overlap',
        );
      }
      const exposure = predictions[k];
      if (typeof exposure !== 'number' || !Number.isFinite(exposure)) {
        throw new MlcycleError(
          'INVALID_ARGUMENT',
          `walkForward predict for fold ${fold.index} must return finite exposures, but the one for bar ${bar} is ` +
            `${exposure}`,
        );
      }
      tested[bar] = fold.index;
      decided[bar] = exposure;
    });
    summary.push({
      index: fold.index,
      trainStart: fold.train[0] ?? -1,
      trainEnd: fold.train[fold.train.length - 1] ?? -1,
      testStart: fold.test[0] as number,
      testEnd: fold.test[fold.test.length - 1] as number,
    });
  }
  let start = n;
  let end = -1;
  for (let i = 0; i < n; i++) {
    if ((tested[i] as number) >= 0) {
      start = Math.min(start, i);
      end = i;
    }
  }
  if (end - start < 1) {
    throw new MlcycleError(
      'INSUFFICIENT_DATA',
      `walkForward needs test bars spanning at least two bars to backtest; the folds test only bar ${start}`,
    );
  }
  const positions = Array.from(decided.subarray(start, end + 1));
  const result = backtester.run({ bars: sliceBars(bars, start, end), positions });
  return { start, end, positions, folds: summary, result };
}
