import { z } from 'zod';
import { assertSameLength } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { TypedEmitter } from '../core/events.js';
import { parseOptions } from '../core/options.js';
import type { ModelFactory } from '../models/model.js';
import { type BaselineName, type BaselineValidationOptions, validateBaselines } from './baselines.js';
import { combinatorialPaths, combinatorialPurgedSplits } from './combinatorial.js';
import { drawFolds, type FoldLayout, foldLayout } from './describe.js';
import { purgedKFoldSplits } from './purged.js';
import type { CombinatorialPath, Fold, Size, SplitInputs } from './types.js';
import {
  type FoldResult,
  type MetricSpec,
  resolveMetrics,
  runFolds,
  type ValidationResult,
} from './validate.js';
import { expandingSplits, slidingSplits } from './walk-forward.js';

const count = z.number().int().nonnegative();
const duration = z.union([
  z.strictObject({ days: z.number().positive() }),
  z.strictObject({ hours: z.number().positive() }),
  z.strictObject({ ms: z.number().positive() }),
]);
const size = z.union([count, duration]);
const splits = z.number().int().min(2);

const optionsSchema = z.discriminatedUnion('method', [
  z.strictObject({
    method: z.literal('expanding'),
    nSplits: splits.default(5),
    testSize: size.optional(),
    gap: size.optional(),
    maxTrainSize: size.optional(),
  }),
  z.strictObject({
    method: z.literal('sliding'),
    trainSize: size,
    testSize: size,
    nSplits: z.number().int().min(1).optional(),
    step: size.optional(),
    gap: size.optional(),
  }),
  z.strictObject({
    method: z.literal('purged-kfold'),
    nSplits: splits.default(5),
    embargo: z.union([z.number().nonnegative(), duration]).optional(),
  }),
  z.strictObject({
    method: z.literal('combinatorial-purged'),
    nGroups: splits,
    nTestGroups: z.number().int().min(1),
    purge: z.union([count, duration]).optional(),
    embargo: z.union([count, duration]).optional(),
  }),
]);

/**
 * How {@link TimeSeriesCV} splits a series. Sizes are counts of observations, or durations (`{ days }`, `{ hours }`,
 * `{ ms }`) resolved against the `timestamps` passed to `split`.
 *
 * - `expanding`: scikit-learn's `TimeSeriesSplit(n_splits, max_train_size, test_size, gap)`, fold for fold.
 *   @defaultValue nSplits 5, testSize n // (nSplits + 1), gap 0
 * - `sliding`: a fixed-length training window before each test window, moving forward by `step` (default
 *   `testSize`); the last test window ends at the last observation.
 * - `purged-kfold`: López de Prado's purged k-fold with an `embargo` (a fraction of n when below 1, else a count).
 * - `combinatorial-purged`: CPCV with `nGroups` groups and `nTestGroups` test groups per split, `purge` and
 *   `embargo` counts around every test group.
 */
export type TimeSeriesCVOptions =
  | ExpandingCVOptions
  | SlidingCVOptions
  | PurgedKFoldCVOptions
  | CombinatorialPurgedCVOptions;

/** Expanding walk-forward folds: scikit-learn's `TimeSeriesSplit`. */
export interface ExpandingCVOptions {
  /** Discriminant. */
  method: 'expanding';
  /** Number of folds, at least 2. @defaultValue 5 */
  nSplits?: number;
  /** Size of each test block. @defaultValue n // (nSplits + 1) */
  testSize?: Size;
  /** Observations left out between training and test. @defaultValue 0 */
  gap?: Size;
  /** Cap on the training window (the most recent observations are kept). @defaultValue no cap */
  maxTrainSize?: Size;
}

/** Sliding walk-forward folds: a fixed training window before each test block. */
export interface SlidingCVOptions {
  /** Discriminant. */
  method: 'sliding';
  /** Size of every training window. */
  trainSize: Size;
  /** Size of every test block. */
  testSize: Size;
  /** Keep only the last nSplits folds. @defaultValue every fold that fits */
  nSplits?: number;
  /** How far each test block moves forward. @defaultValue testSize */
  step?: Size;
  /** Observations left out between training and test. @defaultValue 0 */
  gap?: Size;
}

/** López de Prado's purged k-fold. */
export interface PurgedKFoldCVOptions {
  /** Discriminant. */
  method: 'purged-kfold';
  /** Number of contiguous test blocks, at least 2. @defaultValue 5 */
  nSplits?: number;
  /**
   * Observations dropped after each test block: a fraction of n below 1 (⌈embargo·n⌉), a count, or a duration
   * resolved against the timestamps. @defaultValue 0
   */
  embargo?: number | Exclude<Size, number>;
}

/** Combinatorial purged cross-validation (CPCV). */
export interface CombinatorialPurgedCVOptions {
  /** Discriminant. */
  method: 'combinatorial-purged';
  /** Number of contiguous groups N, at least 2. */
  nGroups: number;
  /** Test groups per split k, from 1 to N − 1. */
  nTestGroups: number;
  /** Observations purged before each test block (skfolio's `purge_size`); a count or a duration. @defaultValue 0 */
  purge?: number | Exclude<Size, number>;
  /** Observations dropped after each test block, after the purge (skfolio's `embargo_size`). @defaultValue 0 */
  embargo?: number | Exclude<Size, number>;
}

/** What {@link TimeSeriesCV.describe} returns. */
export interface FoldPicture {
  /** One line per fold: `=` train, `#` test, a space for gap/purge/embargo, `.` unused. */
  text: string;
  /** The same folds as run-length JSON. */
  layout: FoldLayout;
}

/** The payload of the `fold` event. */
export interface FoldEvent extends FoldResult {
  /** How many folds there are in all. */
  of: number;
}

/** Options for {@link TimeSeriesCV.validate}. */
export interface ValidateOptions extends SplitInputs {
  /** The metrics to compute on every fold: built-in names (`'mae'`, `'rocAuc'`, …) or `{ name, fn }`. */
  metrics: readonly MetricSpec[];
  /** Refit on every k-th fold only and reuse the last fitted model in between, as skforecast's `refit`. @defaultValue 1 */
  refitEvery?: number;
  /**
   * Also score baselines on the same folds (see {@link validateBaselines}): `true` for every applicable one, a list
   * of names, or the options with `window`, `season` or `column`. Their results land in the result's `baselines`.
   */
  baselines?: true | readonly BaselineName[] | Omit<BaselineValidationOptions, 'metrics'>;
}

/** Events of {@link TimeSeriesCV}. */
export interface TimeSeriesCVEvents {
  /** After each fold of `validate`: its result and how many folds there are. */
  fold: FoldEvent;
}

function assertCount(n: unknown): asserts n is number {
  if (!Number.isSafeInteger(n) || (n as number) < 1) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `n must be a positive integer (the number of observations), received ${String(n)}`,
    );
  }
}

/**
 * Cross-validation that respects time: walk-forward (expanding or sliding), purged k-fold with embargo, and
 * combinatorial purged CV, with `validate` to score a model on every fold and `describe` to see the folds.
 *
 * @example
 * ```ts
 * import { TimeSeriesCV } from 'mlcycle';
 *
 * const cv = new TimeSeriesCV({ method: 'expanding', nSplits: 5, gap: 1 });
 * const folds = cv.split(1000);            // [{ index, train, test }, …]
 * console.log(cv.describe(1000).text);      // one line per fold: = train, # test
 * const result = await cv.validate(() => myModel(), X, y, { metrics: ['mae', 'directionalAccuracy'] });
 * result.mean.mae;
 * ```
 */
export class TimeSeriesCV extends TypedEmitter<TimeSeriesCVEvents> {
  /** The validated options, with defaults applied. */
  readonly options: TimeSeriesCVOptions;

  /** @param options - see {@link TimeSeriesCVOptions}. */
  constructor(options: TimeSeriesCVOptions) {
    super();
    this.options = parseOptions(optionsSchema, options, 'TimeSeriesCV options') as TimeSeriesCVOptions;
  }

  /**
   * The folds for a series of `n` observations. `inputs.labelEnd` (purged methods) gives each label's last index;
   * `inputs.timestamps` resolves duration sizes.
   */
  split(n: number, inputs: SplitInputs = {}): Fold[] {
    assertCount(n);
    const o = this.options;
    if (inputs.labelEnd !== undefined && (o.method === 'expanding' || o.method === 'sliding')) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `labelEnd is used by the purged methods; with ${o.method} folds, set gap to at least the label horizon instead`,
      );
    }
    switch (o.method) {
      case 'expanding':
        return expandingSplits(n, withoutMethod(o) as Parameters<typeof expandingSplits>[1], inputs);
      case 'sliding':
        return slidingSplits(n, withoutMethod(o) as Parameters<typeof slidingSplits>[1], inputs);
      case 'purged-kfold':
        return purgedKFoldSplits(n, withoutMethod(o) as Parameters<typeof purgedKFoldSplits>[1], inputs);
      case 'combinatorial-purged':
        return combinatorialPurgedSplits(
          n,
          withoutMethod(o) as Parameters<typeof combinatorialPurgedSplits>[1],
          inputs,
        );
    }
  }

  /** The C(N, k)·k/N backtest paths of combinatorial purged CV; other methods have none (`UNSUPPORTED`). */
  paths(n: number): CombinatorialPath[] {
    assertCount(n);
    const o = this.options;
    if (o.method !== 'combinatorial-purged') {
      throw new MlcycleError(
        'UNSUPPORTED',
        `paths() exists for combinatorial-purged CV only, not for ${o.method}`,
      );
    }
    return combinatorialPaths(n, { nGroups: o.nGroups, nTestGroups: o.nTestGroups });
  }

  /**
   * The folds as a picture (`text`: one line per fold, `=` train, `#` test, a space for gap/purge/embargo, `.` unused)
   * and as run-length JSON (`layout`) for reports.
   *
   * @param width - characters per line; longer series are drawn in buckets. @defaultValue 72
   */
  describe(n: number, inputs: SplitInputs = {}, width = 72): FoldPicture {
    if (!Number.isSafeInteger(width) || width < 1) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `describe width must be a positive integer, received ${String(width)}`,
      );
    }
    const layout = foldLayout(n, this.split(n, inputs));
    return { text: drawFolds(layout, width), layout };
  }

  /**
   * Fits a fresh model from `modelFactory` on every fold's training rows, predicts its test rows, and scores the
   * predictions with each metric. Emits `fold` after each fold.
   *
   * @param X - one row of features per observation.
   * @param y - the target of each observation.
   */
  async validate(
    modelFactory: ModelFactory<void> | (() => unknown),
    X: readonly (readonly number[])[],
    y: ArrayLike<number>,
    options: ValidateOptions,
  ): Promise<ValidationResult> {
    if (typeof modelFactory !== 'function') {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        'validate needs a model factory: a function that returns a fresh model',
      );
    }
    if (!Array.isArray(X)) throw new MlcycleError('INVALID_ARGUMENT', 'X must be an array of feature rows');
    assertSameLength(X, y, 'X', 'y');
    const refitEvery = options.refitEvery ?? 1;
    if (!Number.isSafeInteger(refitEvery) || refitEvery < 1) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `refitEvery must be a positive integer, received ${String(refitEvery)}`,
      );
    }
    const metrics = resolveMetrics(options.metrics);
    const inputs: SplitInputs = {};
    if (options.labelEnd !== undefined) inputs.labelEnd = options.labelEnd;
    if (options.timestamps !== undefined) inputs.timestamps = options.timestamps;
    const folds = this.split(X.length, inputs);
    const result = await runFolds(modelFactory as () => unknown, folds, X, y, metrics, refitEvery, (fold) =>
      this.emit('fold', { ...fold, of: folds.length }),
    );
    if (options.baselines === undefined) return result;
    const baselines = await validateBaselines(folds, X, y, {
      ...(options.baselines === true || Array.isArray(options.baselines)
        ? { baselines: options.baselines as true | readonly BaselineName[] }
        : (options.baselines as Omit<BaselineValidationOptions, 'metrics'>)),
      metrics: options.metrics,
    });
    return { ...result, baselines };
  }
}

function withoutMethod<T extends { method: string }>(options: T): Omit<T, 'method'> {
  const { method: _method, ...rest } = options;
  return rest;
}
