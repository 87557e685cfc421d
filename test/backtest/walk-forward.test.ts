import { describe, expect, it } from 'vitest';
import {
  Backtester,
  type BacktestOptions,
  type Bars,
  type Fold,
  TimeSeriesCV,
  walkForward,
} from '../../src/index.js';
import { rejection } from '../helpers.js';

// Walk-forward studies (src/backtest/walk-forward.ts): each fold's model sees only its training bars, its
// decisions fill only its test bars, and the stitched out-of-sample positions are backtested exactly as a single
// Backtester run over the tested span.

const DAY = 86_400_000;
const BACKTEST: BacktestOptions = { fees: { rate: 0.001 }, periodsPerYear: 252 };

/** Daily bars from closes; each bar opens halfway between the previous close and its own. */
function barsOf(close: number[]): Bars {
  return {
    timestamp: close.map((_, i) => Date.UTC(2024, 0, 1) + i * DAY),
    open: close.map((c, i) => (i === 0 ? c : ((close[i - 1] as number) + c) / 2)),
    close,
  };
}

/** Closes that rise for a while, then fall, then rise again, with a wiggle: the fitted sign changes by fold. */
const CLOSE = Array.from({ length: 60 }, (_, i) => {
  const trend = i < 20 ? i : i < 45 ? 38 - i : i - 52;
  return 100 + 2 * trend + 1.5 * Math.sin(i * 1.7);
});

interface Call {
  fold: number;
  train: number[];
  closes: number[];
  test: number[];
  predictions: number[];
}

/**
 * A model that records and predicts from what it reads: fit = mean close-to-close return over the training bars
 * (read from `bars` by index); predict = long (1) on every test bar when that mean is positive, else flat (0).
 */
function recordingModel(bars: Bars) {
  const calls: Call[] = [];
  return {
    calls,
    fit(train: number[], fold: Fold) {
      const closes = train.map((i) => bars.close[i] as number);
      let sum = 0;
      for (let k = 1; k < closes.length; k++) sum += (closes[k] as number) / (closes[k - 1] as number) - 1;
      calls.push({ fold: fold.index, train, closes, test: [], predictions: [] });
      return { fold: fold.index, mean: sum / Math.max(1, closes.length - 1) };
    },
    predict(model: { fold: number; mean: number }, test: number[]) {
      const predictions = test.map(() => (model.mean > 0 ? 1 : 0));
      const call = calls.find((c) => c.fold === model.fold) as Call;
      call.test = test;
      call.predictions = predictions;
      return predictions;
    },
  };
}

/** Bars start … end of `bars`, every column. */
function slice(bars: Bars, start: number, end: number): Bars {
  const cut = <T>(values: ArrayLike<T>) => Array.from(values).slice(start, end + 1);
  return {
    timestamp: cut(bars.timestamp),
    close: cut(bars.close),
    ...(bars.open ? { open: cut(bars.open) } : {}),
  };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);

describe('walkForward with TimeSeriesCV', () => {
  const bars = barsOf(CLOSE);
  const cv = new TimeSeriesCV({ method: 'expanding', nSplits: 4, testSize: 10 });

  it('fits on each fold’s training bars, predicts its test bars and backtests the stitched positions', async () => {
    const model = recordingModel(bars);
    const study = await walkForward(bars, { cv, fit: model.fit, predict: model.predict, backtest: BACKTEST });
    const folds = cv.split(60);
    expect(folds.map((f) => f.test[0])).toEqual([20, 30, 40, 50]);

    expect(model.calls.map((c) => c.train)).toEqual(folds.map((f) => f.train));
    expect(model.calls.map((c) => c.test)).toEqual(folds.map((f) => f.test));
    expect(model.calls[0]?.train).toEqual(range(0, 19));
    expect(model.calls[3]?.train).toEqual(range(0, 49));

    expect(study.start).toBe(20);
    expect(study.end).toBe(59);
    const stitched = model.calls.flatMap((c) => c.predictions);
    expect(stitched).toHaveLength(40);
    // Folds 0 and 1 train on a net rise, folds 2 and 3 on a net fall.
    expect(stitched).toEqual([...new Array(20).fill(1), ...new Array(20).fill(0)]);
    expect(study.positions).toEqual(stitched);
    expect(study.folds).toEqual(
      folds.map((f) => ({
        index: f.index,
        trainStart: 0,
        trainEnd: (f.test[0] as number) - 1,
        testStart: f.test[0],
        testEnd: f.test[9],
      })),
    );

    const reference = new Backtester(BACKTEST).run({ bars: slice(bars, 20, 59), positions: stitched });
    expect(study.result).toEqual(reference);
    expect(study.result.timestamps[0]).toBe(Date.UTC(2024, 0, 1) + 20 * DAY);
  });

  it('does not let a fold see bars after its last training bar', async () => {
    const original = recordingModel(bars);
    const first = await walkForward(bars, { cv, fit: original.fit, predict: original.predict });
    // Rewrite every close after fold 1's last training bar (29).
    const changedClose = CLOSE.map((c, i) => (i > 29 ? c * (1 + 0.3 * Math.cos(i)) : c));
    const changedBars = barsOf(changedClose);
    const changed = recordingModel(changedBars);
    const second = await walkForward(changedBars, { cv, fit: changed.fit, predict: changed.predict });

    for (const fold of [0, 1]) {
      expect(changed.calls[fold]?.closes).toEqual(original.calls[fold]?.closes);
      expect(changed.calls[fold]?.predictions).toEqual(original.calls[fold]?.predictions);
    }
    expect(second.positions.slice(0, 20)).toEqual(first.positions.slice(0, 20));
    // The later folds train on the rewritten bars, so the change is visible to them.
    expect(changed.calls[2]?.closes).not.toEqual(original.calls[2]?.closes);
  });

  it('accepts an async fit and predict and passes each the fold', async () => {
    const seen: number[] = [];
    const study = await walkForward(bars, {
      cv,
      fit: async (train, fold) => {
        seen.push(fold.index);
        return train.length;
      },
      predict: async (size, test, fold) => {
        seen.push(fold.index);
        return test.map(() => (size > 30 ? 0.5 : -0.5));
      },
    });
    expect(seen).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(study.positions).toEqual([...new Array(20).fill(-0.5), ...new Array(20).fill(0.5)]);
  });
});

describe('walkForward with a list of folds', () => {
  const bars = barsOf(CLOSE);
  const long = (_model: unknown, test: number[]) => test.map(() => 1);

  it('stitches the test blocks and holds nothing on the bars between them', async () => {
    const folds: Fold[] = [
      { index: 0, train: range(0, 9), test: range(10, 14) },
      { index: 1, train: range(0, 19), test: range(20, 24) },
    ];
    const trains: number[][] = [];
    const study = await walkForward(bars, {
      cv: folds,
      fit: (train) => trains.push(train),
      predict: long,
      backtest: BACKTEST,
    });
    expect(trains).toEqual([range(0, 9), range(0, 19)]);
    expect(study.start).toBe(10);
    expect(study.end).toBe(24);
    const expected = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
    expect(study.positions).toEqual(expected);
    expect(study.result.exposure).toEqual(
      new Backtester(BACKTEST).run({ bars: slice(bars, 10, 24), positions: expected }).exposure,
    );
    expect(study.result).toEqual(
      new Backtester(BACKTEST).run({ bars: slice(bars, 10, 24), positions: expected }),
    );
    expect(study.folds).toEqual([
      { index: 0, trainStart: 0, trainEnd: 9, testStart: 10, testEnd: 14 },
      { index: 1, trainStart: 0, trainEnd: 19, testStart: 20, testEnd: 24 },
    ]);
  });

  it('accepts a fold without training bars', async () => {
    const study = await walkForward(bars, {
      cv: [{ index: 0, train: [], test: range(50, 59) }],
      fit: () => null,
      predict: long,
    });
    expect(study.folds).toEqual([{ index: 0, trainStart: -1, trainEnd: -1, testStart: 50, testEnd: 59 }]);
    expect(study.positions).toEqual(new Array(10).fill(1));
  });

  async function expectRejected(cv: Fold[], message: string, predict = long): Promise<void> {
    const error = await rejection(walkForward(bars, { cv, fit: () => null, predict }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe(message);
  }

  it('refuses test folds that overlap', async () => {
    await expectRejected(
      [
        { index: 0, train: range(0, 9), test: range(10, 14) },
        { index: 1, train: range(0, 13), test: range(14, 18) },
      ],
      'walkForward bar 14 is tested by folds 0 and 1; out-of-sample positions need folds whose test bars do not ' +
        'overlap',
    );
  });

  it('refuses an index outside the bars', async () => {
    await expectRejected(
      [{ index: 3, train: range(0, 9), test: range(55, 60) }],
      'walkForward fold 3 has index 60, outside the 60 bars (expected integers in [0, 59])',
    );
    await expectRejected(
      [{ index: 0, train: [-1, 0, 1], test: [5, 6] }],
      'walkForward fold 0 has index -1, outside the 60 bars (expected integers in [0, 59])',
    );
    await expectRejected(
      [{ index: 0, train: [0, 1.5], test: [5, 6] }],
      'walkForward fold 0 has index 1.5, outside the 60 bars (expected integers in [0, 59])',
    );
  });

  it('refuses a prediction count different from the test bars', async () => {
    await expectRejected(
      [{ index: 0, train: range(0, 9), test: range(10, 14) }],
      'walkForward predict for fold 0 must return one exposure per test bar (5), received 4',
      (_model, test) => test.slice(1).map(() => 1),
    );
  });

  it('refuses an empty list of folds and a fold without test bars', async () => {
    await expectRejected([], 'walkForward needs at least one fold');
    await expectRejected([{ index: 2, train: range(0, 9), test: [] }], 'walkForward fold 2 has no test bars');
  });

  it('refuses unsorted test bars, non-finite exposures and a span of one bar', async () => {
    await expectRejected(
      [{ index: 1, train: range(0, 4), test: [7, 5, 6] }],
      'walkForward fold 1 test bars must be strictly ascending, but 5 follows 7',
    );
    await expectRejected(
      [{ index: 0, train: range(0, 9), test: range(20, 22) }],
      'walkForward predict for fold 0 must return finite exposures, but the one for bar 21 is NaN',
      (_model, test) => test.map((bar) => (bar === 21 ? Number.NaN : 1)),
    );
    const error = await rejection(
      walkForward(barsOf(CLOSE), {
        cv: [{ index: 0, train: range(0, 9), test: [10] }],
        fit: () => 0,
        predict: () => [1],
      }),
    );
    expect(error.code).toBe('INSUFFICIENT_DATA');
    expect(error.message).toBe(
      'walkForward needs test bars spanning at least two bars to backtest; the folds test only bar 10',
    );
  });
});

describe('walkForward with sizes given as durations', () => {
  it('passes the bars’ timestamps to the splitter', async () => {
    const bars = barsOf(CLOSE);
    const cv = new TimeSeriesCV({ method: 'expanding', nSplits: 3, testSize: { days: 5 } });
    const study = await walkForward(bars, { cv, fit: () => 0, predict: (_m, test) => test.map(() => 1) });
    const folds = cv.split(CLOSE.length, { timestamps: (bars.timestamp as number[]).map(Number) });
    expect(study.folds.map((f) => [f.testStart, f.testEnd])).toEqual(
      folds.map((f) => [f.test[0], f.test[f.test.length - 1]]),
    );
    expect(study.end - study.start + 1).toBe(15);
  });
});
