/**
 * What the ensembles share: their members, input checks, chronological out-of-fold predictions, and the
 * decomposition of a linear combination into per-member contributions.
 *
 * @module
 */
import { z } from 'zod';
import { assertFiniteArray, assertMinLength, assertSameLength, formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import type { Model } from './model.js';

/** One member of an ensemble: a name and a factory that makes a fresh, unfitted model. */
export interface EnsembleMember {
  /** How the member is called in weights and contributions; unique within the ensemble. */
  name: string;
  /** Makes a fresh model; the ensemble calls it once per out-of-fold split and once for the final fit. */
  model: () => Model;
}

/** Whether an ensemble averages predictions (`regression`) or positive-class probabilities (`classification`). */
export type EnsembleTask = 'regression' | 'classification';

/**
 * Anything that splits n observations into folds, such as a `TimeSeriesCV` from the cv module (passed in by the
 * caller: models sit below cv in the layers and never import it). Ensembles accept walk-forward folds only: every
 * training row of a fold must come before every test row.
 */
export interface OutOfFoldSplitter {
  /** The folds for a series of `n` observations. */
  split(n: number): readonly {
    /** Training indices. */
    readonly train: readonly number[];
    /** Test indices. */
    readonly test: readonly number[];
  }[];
}

/**
 * How much each member moved the last predictions. For row i, `baseline + Σ_member members[name][i]` equals
 * `predictions[i]` (up to rounding): each contribution is `coefficient × (member prediction − the member's mean
 * prediction on the fitting rows)`, the exact Shapley values of a linear combination with those means as the
 * background (Lundberg and Lee, "A unified approach to interpreting model predictions", NeurIPS 2017, linear SHAP).
 */
export interface Contributions {
  /** What the values add up to: predictions, probabilities, or log-odds (stacking with a logistic meta-model). */
  scale: 'prediction' | 'probability' | 'logOdds';
  /** The combination at the members' mean predictions: what the ensemble predicts when no member deviates. */
  baseline: number;
  /** The combined value of each row of the last prediction call, on `scale`. */
  predictions: number[];
  /** Per member, one contribution per row. */
  members: Record<string, number[]>;
}

/** @internal shared with ensemble.ts and ensemble-stacking.ts; not part of the public surface. */
export const membersSchema = z
  .array(
    z.strictObject({
      name: z.string().min(1),
      model: z.custom<() => Model>(
        (f) => typeof f === 'function',
        'expected a function that returns a model',
      ),
    }),
  )
  .min(2)
  .refine(
    (members) => new Set(members.map((m) => m.name)).size === members.length,
    'member names must be unique',
  );

/** @internal shared with ensemble.ts and ensemble-stacking.ts; not part of the public surface. */
export const splitterSchema = z.custom<OutOfFoldSplitter>(
  (v) => typeof (v as { split?: unknown } | null)?.split === 'function',
  'expected a TimeSeriesCV (or an object with split(n))',
);

/** What the messages about a missing `cv` suggest passing. */
const SPLITTER_HINT = "a walk-forward splitter such as new TimeSeriesCV({ method: 'expanding', nSplits: 5 })";

/**
 * The splitter for out-of-fold predictions, or an `INVALID_ARGUMENT` saying what to pass: there is no default,
 * because a default would have to come from the cv module, a layer above models.
 *
 * @param who - the class, e.g. `'VotingEnsemble'`.
 * @param needer - what needs the folds, e.g. `"weights: 'fit'"`.
 * @param purpose - what the out-of-fold predictions are for.
 * @internal shared with ensemble.ts and ensemble-stacking.ts; not part of the public surface.
 */
export function requireSplitter(
  cv: OutOfFoldSplitter | undefined,
  who: string,
  needer: string,
  purpose: string,
): OutOfFoldSplitter {
  if (cv !== undefined) return cv;
  throw new MlcycleError(
    'INVALID_ARGUMENT',
    `Invalid ${who} options: ${needer} needs cv, ${SPLITTER_HINT}, for the out-of-fold predictions ${purpose}`,
  );
}

/**
 * The splitter of an ensemble restored from JSON without `cv` (JSON stores no splitter): predicting needs no folds,
 * and fitting again throws an `INVALID_ARGUMENT` saying to pass `cv` to `fromJSON`.
 *
 * @internal shared with ensemble.ts and ensemble-stacking.ts; not part of the public surface.
 */
export function missingSplitter(who: string): OutOfFoldSplitter {
  return {
    split: () => {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `This ${who} was restored from JSON without cv, which fitting it again needs: pass ${who}.fromJSON(json, restoreMember, { cv }) with ${SPLITTER_HINT}`,
      );
    },
  };
}

/**
 * Checks the training or prediction inputs: X an array of rows and, when given, finite targets of the same length,
 * 0 or 1 for classification.
 *
 * @internal shared with ensemble.ts and ensemble-stacking.ts; not part of the public surface.
 */
export function checkInputs(
  X: readonly (readonly number[])[],
  y: ArrayLike<number> | undefined,
  task: EnsembleTask,
): void {
  if (!Array.isArray(X)) throw new MlcycleError('INVALID_ARGUMENT', 'X must be an array of feature rows');
  assertMinLength(X, 1, 'X');
  if (y === undefined) return;
  assertFiniteArray(y, 'y');
  assertSameLength(X, y, 'X', 'y');
  if (task === 'classification') {
    for (let i = 0; i < y.length; i++) {
      if (y[i] !== 0 && y[i] !== 1) {
        throw new MlcycleError(
          'INVALID_ARGUMENT',
          `A classification ensemble needs targets of 0 or 1, but y[${i}] is ${formatNumber(y[i])}`,
        );
      }
    }
  }
}

/**
 * Makes a fresh model for `member`, checking that it has what the task needs.
 *
 * @internal shared with ensemble.ts and ensemble-stacking.ts; not part of the public surface.
 */
export function createMember(member: EnsembleMember, task: EnsembleTask): Model {
  const model = member.model() as Partial<Model> | null;
  if (
    typeof model !== 'object' ||
    model === null ||
    typeof model.fit !== 'function' ||
    typeof model.predict !== 'function'
  ) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `Member ${JSON.stringify(member.name)}: its factory must return an object with fit(X, y) and predict(X)`,
    );
  }
  if (task === 'classification' && typeof model.predictProba !== 'function') {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `Member ${JSON.stringify(member.name)}: a classification ensemble needs members with predictProba(X)`,
    );
  }
  return model as Model;
}

/**
 * A member's predictions (regression) or positive-class probabilities (classification) for `X`, checked: one finite
 * value per row, probabilities within [0, 1].
 *
 * @internal shared with ensemble.ts and ensemble-stacking.ts; not part of the public surface.
 */
export async function memberOutput(
  model: Model,
  name: string,
  X: readonly (readonly number[])[],
  task: EnsembleTask,
): Promise<Float64Array> {
  const raw =
    task === 'classification'
      ? await (model.predictProba as NonNullable<Model['predictProba']>).call(model, X)
      : await model.predict(X);
  const what = task === 'classification' ? 'predictProba' : 'predict';
  if (raw?.length !== X.length) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `Member ${JSON.stringify(name)}: ${what} returned ${String(raw?.length)} values for ${X.length} rows`,
    );
  }
  const out = Float64Array.from(raw);
  for (let i = 0; i < out.length; i++) {
    const v = out[i] as number;
    if (!Number.isFinite(v) || (task === 'classification' && (v < 0 || v > 1))) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `Member ${JSON.stringify(name)}: ${what} returned ${formatNumber(v)} for row ${i}; expected ${task === 'classification' ? 'a probability in [0, 1]' : 'a finite number'}`,
      );
    }
  }
  return out;
}

/** Out-of-fold predictions: the rows some fold tested, ascending, and each member's predictions for them. */
export interface OutOfFold {
  /** Indices into X of the rows with out-of-fold predictions, ascending. */
  rows: number[];
  /** Per member, one prediction per entry of `rows`. */
  columns: Float64Array[];
}

/**
 * Every member's out-of-fold predictions over walk-forward folds: for each fold, a fresh copy of each member is
 * fitted on the fold's training rows and predicts its test rows. A row tested by several folds keeps the last
 * fold's prediction (as `TimeSeriesCV.validate`). Refuses folds that train on a row after one they test, so no
 * prediction comes from a model that saw the row or anything later.
 *
 * @internal shared with ensemble.ts and ensemble-stacking.ts; not part of the public surface.
 */
export async function outOfFold(
  members: readonly EnsembleMember[],
  X: readonly (readonly number[])[],
  y: ArrayLike<number>,
  splitter: OutOfFoldSplitter,
  task: EnsembleTask,
): Promise<OutOfFold> {
  const folds = splitter.split(X.length);
  const byRow = members.map(() => new Float64Array(X.length).fill(Number.NaN));
  const tested = new Uint8Array(X.length);
  for (const [index, fold] of folds.entries()) {
    // Loops rather than Math.max(...rows): spreading a million indices overflows the call stack.
    let lastTrain = -1;
    for (const i of fold.train) lastTrain = Math.max(lastTrain, i);
    let firstTest = Number.POSITIVE_INFINITY;
    for (const i of fold.test) firstTest = Math.min(firstTest, i);
    if (lastTrain >= firstTest) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `Fold ${index} trains on row ${lastTrain}, at or after its first test row ${firstTest}; ensembles need walk-forward folds (TimeSeriesCV method 'expanding' or 'sliding') so that no member is trained on rows after those it predicts`,
      );
    }
    const trainX = fold.train.map((i) => X[i] as readonly number[]);
    const trainY = fold.train.map((i) => y[i] as number);
    const testX = fold.test.map((i) => X[i] as readonly number[]);
    for (const [j, member] of members.entries()) {
      const model = createMember(member, task);
      await model.fit(trainX, trainY);
      const predictions = await memberOutput(model, member.name, testX, task);
      const column = byRow[j] as Float64Array;
      fold.test.forEach((row, k) => {
        column[row] = predictions[k] as number;
        tested[row] = 1;
      });
    }
  }
  const rows: number[] = [];
  for (let i = 0; i < X.length; i++) if (tested[i] === 1) rows.push(i);
  if (rows.length === 0) {
    throw new MlcycleError(
      'INSUFFICIENT_DATA',
      'The folds tested no rows, so there are no out-of-fold predictions',
    );
  }
  return { rows, columns: byRow.map((column) => Float64Array.from(rows, (i) => column[i] as number)) };
}

/**
 * Fresh members fitted on all of X and y.
 *
 * @internal shared with ensemble.ts and ensemble-stacking.ts; not part of the public surface.
 */
export async function fitMembers(
  members: readonly EnsembleMember[],
  X: readonly (readonly number[])[],
  y: ArrayLike<number>,
  task: EnsembleTask,
): Promise<Model[]> {
  const fitted: Model[] = [];
  for (const member of members) {
    const model = createMember(member, task);
    await model.fit(X, Array.from(y));
    fitted.push(model);
  }
  return fitted;
}

/**
 * The mean of each column.
 *
 * @internal shared with ensemble.ts and ensemble-stacking.ts; not part of the public surface.
 */
export function columnMeans(columns: readonly Float64Array[]): number[] {
  return columns.map((c) => c.reduce((a, b) => a + b, 0) / c.length);
}

/**
 * `intercept + Σ_j coefficients[j] · columns[j][i]` for each row, and its decomposition into contributions
 * `coefficients[j] · (columns[j][i] − means[j])` around the baseline `intercept + Σ_j coefficients[j] · means[j]`.
 *
 * @internal shared with ensemble.ts and ensemble-stacking.ts; not part of the public surface.
 */
export function linearContributions(
  names: readonly string[],
  columns: readonly Float64Array[],
  coefficients: readonly number[],
  intercept: number,
  means: readonly number[],
  scale: Contributions['scale'],
): Contributions {
  const n = (columns[0] as Float64Array).length;
  let baseline = intercept;
  coefficients.forEach((c, j) => {
    baseline += c * (means[j] as number);
  });
  const predictions = new Array<number>(n).fill(intercept);
  const members: Record<string, number[]> = {};
  names.forEach((name, j) => {
    const c = coefficients[j] as number;
    const column = columns[j] as Float64Array;
    const m = means[j] as number;
    members[name] = Array.from(column, (v) => c * (v - m));
    for (let i = 0; i < n; i++) predictions[i] = (predictions[i] as number) + c * (column[i] as number);
  });
  return { scale, baseline, predictions, members };
}
