/**
 * Stacking: a meta-model learns how to combine the members from their chronological out-of-fold predictions.
 *
 * @module
 */
import { z } from 'zod';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import {
  type EnsembleRestoreOptions,
  type LinearMetaState,
  type MemberRestorer,
  type MetaCoefficients,
  membersToJSON,
  restoredMembers,
  STACKING_VERSION,
  type StackingEnsembleParams,
  type StackingEnsembleState,
  stackingParamsSchema,
  stackingStateSchema,
} from './ensemble-json.js';
import {
  type Contributions,
  checkInputs,
  columnMeans,
  type EnsembleMember,
  type EnsembleTask,
  fitMembers,
  linearContributions,
  memberOutput,
  membersSchema,
  missingSplitter,
  type OutOfFoldSplitter,
  outOfFold,
  requireSplitter,
  splitterSchema,
} from './ensemble-members.js';
import { type LinearMetaModel, leastSquaresMeta, logisticMeta } from './ensemble-meta.js';
import { type Model, type ModelJSON, readModelJSON } from './model.js';

/** Options for {@link StackingEnsemble}. */
export interface StackingEnsembleOptions {
  /** The members, at least two, with unique names. */
  members: readonly EnsembleMember[];
  /** Stack predictions (`regression`) or positive-class probabilities (`classification`). @defaultValue 'regression' */
  task?: EnsembleTask;
  /**
   * Makes the meta-model, fitted on one column per member (in member order). Any {@link Model}; for
   * classification it needs `predictProba`.
   * @defaultValue least squares with an intercept (regression); logistic regression with C = 1 (classification)
   */
  metaModel?: () => Model;
  /**
   * The walk-forward folds that produce the out-of-fold predictions the meta-model learns from, for example
   * `new TimeSeriesCV({ method: 'expanding', nSplits: 5 })` (scikit-learn's `TimeSeriesSplit(n_splits=5)`).
   */
  cv: OutOfFoldSplitter;
}

const optionsSchema = z.strictObject({
  members: membersSchema,
  task: z.enum(['regression', 'classification']).default('regression'),
  metaModel: z
    .custom<() => Model>((f) => typeof f === 'function', 'expected a function that returns a model')
    .optional(),
  cv: splitterSchema.optional(),
});

/**
 * Stacked generalisation (Wolpert, "Stacked generalization", 1992; scikit-learn's `StackingRegressor` /
 * `StackingClassifier(stack_method='predict_proba')`) with chronological cross-fitting instead of shuffled k-fold.
 *
 * `fit` (1) collects every member's out-of-fold predictions over walk-forward folds — for each fold, fresh members
 * are fitted on rows strictly before the fold's test rows and predict those rows only — (2) fits the meta-model on
 * the rows that received out-of-fold predictions, one feature per member, so the meta-model never sees a member's
 * prediction for a row that member was trained on, and (3) refits every member on all of X and y for prediction.
 * The first training block has no out-of-fold predictions and is used by the members only. The folds come from
 * `cv`, which is required (there is no default splitter).
 *
 * @example
 * ```ts
 * import { randomWalkWithDrift, ridge, StackingEnsemble, TimeSeriesCV } from 'mlcycle';
 *
 * const stack = new StackingEnsemble({
 *   members: [
 *     { name: 'drift', model: () => randomWalkWithDrift() },
 *     { name: 'ridge', model: () => ridge({ alpha: 1 }) },
 *   ],
 *   cv: new TimeSeriesCV({ method: 'expanding', nSplits: 5, gap: 1 }),
 * });
 * await stack.fit(X, y);
 * stack.metaCoefficients; // { intercept: 0.01, coefficients: { drift: 0.4, ridge: 0.62 } } (default meta-model)
 * const next = await stack.predict(XNew);
 * ```
 */
export class StackingEnsemble implements Model {
  readonly #o: Readonly<{
    members: EnsembleMember[];
    task: EnsembleTask;
    metaModel: (() => Model) | undefined;
    cv: OutOfFoldSplitter;
  }>;
  #models: Model[] | undefined;
  #meta: Model | undefined;
  #means: number[] = [];
  #last: Float64Array[] | undefined;

  /** @param options - see {@link StackingEnsembleOptions}. */
  constructor(options: StackingEnsembleOptions) {
    const o = parseOptions(optionsSchema, options, 'StackingEnsemble options');
    this.#o = {
      members: o.members,
      task: o.task,
      metaModel: o.metaModel,
      cv: requireSplitter(o.cv, 'StackingEnsemble', 'stacking', 'the meta-model learns from'),
    };
  }

  /**
   * The default meta-model's intercept and one coefficient per member, after `fit`; `undefined` with a meta-model
   * of your own.
   */
  get metaCoefficients(): MetaCoefficients | undefined {
    const meta = this.#meta;
    if (meta === undefined || this.#o.metaModel !== undefined) return undefined;
    return linearParts(meta, this.#o.members);
  }

  /** The hyperparameters as plain JSON (see {@link StackingEnsembleParams}). */
  get params(): StackingEnsembleParams {
    const { members, task, metaModel } = this.#o;
    return {
      task,
      members: members.map((m) => m.name),
      metaModel: metaModel === undefined ? 'default' : 'custom',
    };
  }

  /**
   * The fitted stack as JSON, kind `'stacking-ensemble'`, with every member's own `toJSON()`.
   *
   * @throws `INVALID_ARGUMENT` before `fit`; `UNSUPPORTED` when a member or a custom meta-model has no `toJSON()`.
   */
  toJSON(): ModelJSON<StackingEnsembleParams, StackingEnsembleState> {
    const members = membersToJSON('StackingEnsemble', this.#o.members, this.#models);
    const meta = this.#meta as Model;
    let metaJSON: StackingEnsembleState['meta'];
    if (this.#o.metaModel === undefined) {
      const linear = meta as LinearMetaModel;
      metaJSON = { intercept: linear.intercept, coefficients: [...linear.coefficients] };
    } else if (typeof meta.toJSON === 'function') {
      metaJSON = meta.toJSON();
    } else {
      throw new MlcycleError(
        'UNSUPPORTED',
        'StackingEnsemble: the metaModel has no toJSON(), so the stack cannot be stored',
      );
    }
    return {
      kind: 'stacking-ensemble',
      version: STACKING_VERSION,
      params: this.params,
      state: { means: [...this.#means], meta: metaJSON, members },
    };
  }

  /**
   * Restores a fitted stack from {@link StackingEnsemble.toJSON}; `restoreMember` turns each member's (and a custom
   * meta-model's) JSON back into a model (pass `modelFromJSON`). The restored stack predicts exactly as the original
   * (its meta-model and fitted members are restored); fitting it again needs `options.cv`, as the JSON stores no
   * splitter.
   *
   * @throws `INVALID_ARGUMENT` for malformed JSON; from `fit`, when restored without `options.cv`.
   */
  static fromJSON(
    json: ModelJSON,
    restoreMember: MemberRestorer,
    options: EnsembleRestoreOptions = {},
  ): StackingEnsemble {
    const { params, state } = readModelJSON(
      json,
      'stacking-ensemble',
      STACKING_VERSION,
      stackingParamsSchema,
      stackingStateSchema,
    );
    const members = restoredMembers(params.members, state.members as ModelJSON[], restoreMember);
    const custom = params.metaModel === 'custom';
    if (custom !== 'kind' in state.meta || state.means.length !== members.length) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `stacking-ensemble state must hold one mean per member (${members.length}) and a meta-model matching metaModel '${params.metaModel}'`,
      );
    }
    const stack = new StackingEnsemble({
      members,
      task: params.task,
      cv: options.cv ?? missingSplitter('StackingEnsemble'),
      ...(custom ? { metaModel: () => restoreMember(state.meta as ModelJSON) } : {}),
    });
    if (custom) {
      stack.#meta = restoreMember(state.meta as ModelJSON);
    } else {
      const stored = state.meta as LinearMetaState;
      const meta = params.task === 'classification' ? logisticMeta() : leastSquaresMeta();
      meta.intercept = stored.intercept;
      meta.coefficients = stored.coefficients;
      stack.#meta = meta;
    }
    stack.#means = state.means;
    stack.#models = state.members.map((m) => restoreMember(m as ModelJSON));
    return stack;
  }

  /**
   * Fits the meta-model on the members' out-of-fold predictions, then every member on all of X and y.
   *
   * @throws `INVALID_ARGUMENT` for malformed inputs or member outputs, folds that are not walk-forward, or a
   * classification meta-model without `predictProba`; `INSUFFICIENT_DATA` when no fold tests any row.
   */
  async fit(X: readonly (readonly number[])[], y: ArrayLike<number>): Promise<void> {
    const { members, task, cv } = this.#o;
    checkInputs(X, y, task);
    this.#models = undefined;
    this.#last = undefined;
    const oof = await outOfFold(members, X, y, cv, task);
    const meta = this.#createMeta();
    await meta.fit(
      rowsOf(oof.columns),
      oof.rows.map((i) => y[i] as number),
    );
    this.#meta = meta;
    this.#means = columnMeans(oof.columns);
    this.#models = await fitMembers(members, X, y, task);
  }

  /** The meta-model's prediction from the refitted members' predictions (classification: its 0/1 labels). */
  async predict(X: readonly (readonly number[])[]): Promise<number[]> {
    const meta = await this.#stack(X);
    return Array.from(await meta.predict(rowsOf(this.#last as Float64Array[])));
  }

  /** Classification: the meta-model's positive-class probability from the members' probabilities. */
  async predictProba(X: readonly (readonly number[])[]): Promise<number[]> {
    if (this.#o.task !== 'classification') {
      throw new MlcycleError(
        'UNSUPPORTED',
        "predictProba needs a StackingEnsemble with task: 'classification'",
      );
    }
    const meta = await this.#stack(X);
    return Array.from(
      await (meta.predictProba as NonNullable<Model['predictProba']>).call(
        meta,
        rowsOf(this.#last as Float64Array[]),
      ),
    );
  }

  /**
   * How much each member moved the rows of the last `predict`/`predictProba` call, with the default (linear)
   * meta-model: `β_j · (ŷ_ij − m_j)` where `β_j` is the member's meta-coefficient and `m_j` its mean out-of-fold
   * prediction; baseline `b + Σ_j β_j · m_j`. The values add up to the meta-model's output before any link:
   * the prediction for regression, the log-odds of the probability for classification.
   *
   * @throws `INVALID_ARGUMENT` before any prediction; `UNSUPPORTED` with a meta-model of your own, whose
   * output need not be a sum of per-member parts.
   */
  contributions(): Contributions {
    if (this.#o.metaModel !== undefined) {
      throw new MlcycleError(
        'UNSUPPORTED',
        'contributions() needs the default linear meta-model; a custom metaModel need not be additive in its members',
      );
    }
    const meta = this.#meta as LinearMetaModel | undefined;
    if (this.#last === undefined || meta === undefined) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        'contributions() needs a prediction first: call predict(X) or predictProba(X)',
      );
    }
    const names = this.#o.members.map((m) => m.name);
    const scale = meta.link === 'logit' ? 'logOdds' : 'prediction';
    return linearContributions(names, this.#last, meta.coefficients, meta.intercept, this.#means, scale);
  }

  #createMeta(): Model {
    const { metaModel, task } = this.#o;
    if (metaModel === undefined) return task === 'classification' ? logisticMeta() : leastSquaresMeta();
    const meta = metaModel() as Partial<Model> | null;
    if (
      typeof meta !== 'object' ||
      meta === null ||
      typeof meta.fit !== 'function' ||
      typeof meta.predict !== 'function'
    ) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        'metaModel must return an object with fit(X, y) and predict(X)',
      );
    }
    if (task === 'classification' && typeof meta.predictProba !== 'function') {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        'A classification StackingEnsemble needs a metaModel with predictProba(X)',
      );
    }
    return meta as Model;
  }

  /** Runs every member on X, keeps their outputs for contributions, and returns the fitted meta-model. */
  async #stack(X: readonly (readonly number[])[]): Promise<Model> {
    const models = this.#models;
    const meta = this.#meta;
    if (models === undefined || meta === undefined) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        'The StackingEnsemble must be fitted before it predicts: call fit(X, y)',
      );
    }
    checkInputs(X, undefined, this.#o.task);
    const outputs: Float64Array[] = [];
    for (const [j, model] of models.entries()) {
      outputs.push(await memberOutput(model, (this.#o.members[j] as EnsembleMember).name, X, this.#o.task));
    }
    this.#last = outputs;
    return meta;
  }
}

function linearParts(model: Model, members: readonly EnsembleMember[]): MetaCoefficients {
  const meta = model as LinearMetaModel;
  return {
    intercept: meta.intercept,
    coefficients: Object.fromEntries(members.map((m, j) => [m.name, meta.coefficients[j] as number])),
  };
}

/** Columns (one per member) to rows (one per observation). */
function rowsOf(columns: readonly Float64Array[]): number[][] {
  const n = (columns[0] as Float64Array).length;
  return Array.from({ length: n }, (_, i) => columns.map((c) => c[i] as number));
}
