/**
 * Weighted soft voting: the ensemble predicts a weighted average of its members' predictions (regression) or
 * positive-class probabilities (classification), with weights given or fitted on chronological out-of-fold
 * predictions.
 *
 * @module
 */
import { z } from 'zod';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import {
  type EnsembleRestoreOptions,
  type MemberRestorer,
  membersToJSON,
  restoredMembers,
  VOTING_VERSION,
  type VotingEnsembleParams,
  type VotingEnsembleState,
  votingParamsSchema,
  votingStateSchema,
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
import { type BlendLoss, type BlendWeights, blendLossSchema, fitBlendWeights } from './ensemble-weights.js';
import { type Model, type ModelJSON, readModelJSON } from './model.js';

/** Options for {@link VotingEnsemble}. */
export interface VotingEnsembleOptions {
  /** The members, at least two, with unique names. */
  members: readonly EnsembleMember[];
  /** Average predictions (`regression`) or positive-class probabilities (`classification`). @defaultValue 'regression' */
  task?: EnsembleTask;
  /**
   * One non-negative weight per member (normalised to sum to one), or `'fit'` to fit them on out-of-fold
   * predictions with {@link fitBlendWeights}. @defaultValue equal weights
   */
  weights?: readonly number[] | 'fit';
  /** The loss fitted weights minimise. @defaultValue 'mse' for regression, 'logLoss' for classification */
  loss?: BlendLoss;
  /**
   * The walk-forward folds that produce the out-of-fold predictions the weights are fitted on, for example
   * `new TimeSeriesCV({ method: 'expanding', nSplits: 5 })` (scikit-learn's `TimeSeriesSplit(n_splits=5)`).
   * Required with `weights: 'fit'`, unused otherwise.
   */
  cv?: OutOfFoldSplitter;
  /** Classification: the probability at or above which `predict` says 1. @defaultValue 0.5 */
  threshold?: number;
}

const optionsSchema = z.strictObject({
  members: membersSchema,
  task: z.enum(['regression', 'classification']).default('regression'),
  weights: z.union([z.literal('fit'), z.array(z.number().nonnegative())]).optional(),
  loss: blendLossSchema.optional(),
  cv: splitterSchema.optional(),
  threshold: z.number().gt(0).lt(1).default(0.5),
});

/**
 * Weighted soft voting over any models (scikit-learn's `VotingRegressor` / `VotingClassifier(voting='soft')`
 * with weights): `ŷ = Σ_j w_j · ŷ_j` with `w_j ≥ 0`, `Σ w_j = 1`. For classification the members' `predictProba`
 * outputs are averaged and `predict` thresholds the average.
 *
 * With `weights: 'fit'`, `fit` first collects every member's out-of-fold predictions over walk-forward folds (each
 * fold fits fresh members on rows before its test rows only) and fits the weights minimising `loss` on them
 * ({@link fitBlendWeights}); then, whatever the weights, every member is refitted on all of X and y. The folds
 * come from `cv`, which fitted weights require (there is no default splitter).
 *
 * @example
 * ```ts
 * import { persistence, ridge, TimeSeriesCV, VotingEnsemble } from 'mlcycle';
 *
 * const ensemble = new VotingEnsemble({
 *   members: [
 *     { name: 'persistence', model: () => persistence() },
 *     { name: 'ridge', model: () => ridge({ alpha: 1 }) },
 *   ],
 *   weights: 'fit',
 *   loss: 'mae',
 *   cv: new TimeSeriesCV({ method: 'expanding', nSplits: 5 }),
 * });
 * await ensemble.fit(X, y);
 * ensemble.weights;                 // { persistence: 0.31, ridge: 0.69 }
 * const next = await ensemble.predict(XNew);
 * ensemble.contributions().members; // how far each member moved each prediction
 * ```
 */
export class VotingEnsemble implements Model {
  readonly #o: Readonly<{
    members: EnsembleMember[];
    task: EnsembleTask;
    weights: readonly number[] | 'fit' | undefined;
    loss: BlendLoss;
    cv: OutOfFoldSplitter | undefined;
    threshold: number;
  }>;
  #weights: number[];
  #fitResult: BlendWeights | undefined;
  #models: Model[] | undefined;
  #means: number[] = [];
  #last: Float64Array[] | undefined;

  /** @param options - see {@link VotingEnsembleOptions}. */
  constructor(options: VotingEnsembleOptions) {
    const o = parseOptions(optionsSchema, options, 'VotingEnsemble options');
    const k = o.members.length;
    if (Array.isArray(o.weights)) {
      const total = o.weights.reduce((a, b) => a + b, 0);
      if (o.weights.length !== k || !(total > 0) || !Number.isFinite(total)) {
        throw new MlcycleError(
          'INVALID_ARGUMENT',
          `Invalid VotingEnsemble options: weights must hold ${k} finite non-negative numbers (one per member) with a positive sum, received ${o.weights.length} summing to ${total}`,
        );
      }
    }
    const loss = o.loss ?? (o.task === 'classification' ? 'logLoss' : 'mse');
    if (o.task === 'regression' && (loss === 'logLoss' || loss === 'brierScore')) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `Invalid VotingEnsemble options: loss ${loss} needs probabilities; use task: 'classification'`,
      );
    }
    this.#o = {
      members: o.members,
      task: o.task,
      weights: o.weights,
      loss: loss as BlendLoss,
      cv:
        o.weights === 'fit'
          ? requireSplitter(o.cv, 'VotingEnsemble', "weights: 'fit'", 'the weights are fitted on')
          : o.cv,
      threshold: o.threshold,
    };
    this.#weights = Array.isArray(o.weights) ? normalise(o.weights) : new Array<number>(k).fill(1 / k);
  }

  /** The members' weights by name, non-negative and summing to one (fitted ones after `fit` with `weights: 'fit'`). */
  get weights(): Record<string, number> {
    return Object.fromEntries(this.#o.members.map((m, j) => [m.name, this.#weights[j] as number]));
  }

  /** The out-of-fold loss, iterations and convergence of the weight fit, after `fit` with `weights: 'fit'`. */
  get weightFit(): BlendWeights | undefined {
    return this.#fitResult;
  }

  /**
   * Fits the weights (with `weights: 'fit'`) on out-of-fold predictions, then every member on all of X and y.
   *
   * @throws `INVALID_ARGUMENT` for malformed inputs, a member without `fit`/`predict` (or `predictProba` for
   * classification), member outputs of the wrong length or non-finite, or folds that are not walk-forward.
   */
  async fit(X: readonly (readonly number[])[], y: ArrayLike<number>): Promise<void> {
    const { members, task, loss, cv } = this.#o;
    checkInputs(X, y, task);
    this.#models = undefined;
    this.#last = undefined;
    if (this.#o.weights === 'fit') {
      // The constructor requires cv with weights: 'fit'.
      const oof = await outOfFold(members, X, y, cv as OutOfFoldSplitter, task);
      const target = oof.rows.map((i) => y[i] as number);
      this.#fitResult = fitBlendWeights(oof.columns, target, { loss });
      this.#weights = this.#fitResult.weights;
      this.#means = columnMeans(oof.columns);
      this.#models = await fitMembers(members, X, y, task);
      return;
    }
    const models = await fitMembers(members, X, y, task);
    // Fixed weights: the contribution background is the members' in-sample output on the training rows.
    const outputs = await Promise.all(
      models.map((m, j) => memberOutput(m, members[j]?.name as string, X, task)),
    );
    this.#means = columnMeans(outputs);
    this.#models = models;
  }

  /** The hyperparameters as plain JSON (see {@link VotingEnsembleParams}). */
  get params(): VotingEnsembleParams {
    const { members, task, weights, loss, threshold } = this.#o;
    return {
      task,
      members: members.map((m) => m.name),
      weights: weights === 'fit' ? 'fit' : weights === undefined ? null : normalise(weights),
      loss: typeof loss === 'string' ? loss : null,
      threshold,
    };
  }

  /**
   * The fitted ensemble as JSON, kind `'voting-ensemble'`, with every member's own `toJSON()`.
   *
   * @throws `INVALID_ARGUMENT` before `fit`; `UNSUPPORTED` when a member has no `toJSON()`.
   */
  toJSON(): ModelJSON<VotingEnsembleParams, VotingEnsembleState> {
    const members = membersToJSON('VotingEnsemble', this.#o.members, this.#models);
    return {
      kind: 'voting-ensemble',
      version: VOTING_VERSION,
      params: this.params,
      state: {
        weights: [...this.#weights],
        means: [...this.#means],
        weightFit: this.#fitResult ?? null,
        members,
      },
    };
  }

  /**
   * Restores a fitted ensemble from {@link VotingEnsemble.toJSON}; `restoreMember` turns each member's JSON back into
   * a model (pass `modelFromJSON`). The restored ensemble predicts exactly as the original (its weights and fitted
   * members are restored) and can be refitted; with `weights: 'fit'` a refit needs `options.cv`, as the JSON stores
   * no splitter.
   *
   * @throws `INVALID_ARGUMENT` for malformed JSON; from `fit`, with `weights: 'fit'` and no `options.cv`.
   */
  static fromJSON(
    json: ModelJSON,
    restoreMember: MemberRestorer,
    options: EnsembleRestoreOptions = {},
  ): VotingEnsemble {
    const { params, state } = readModelJSON(
      json,
      'voting-ensemble',
      VOTING_VERSION,
      votingParamsSchema,
      votingStateSchema,
    );
    const members = restoredMembers(params.members, state.members as ModelJSON[], restoreMember);
    const ensemble = new VotingEnsemble({
      members,
      task: params.task,
      ...(params.weights === null ? {} : { weights: params.weights }),
      ...(params.loss === null ? {} : { loss: params.loss }),
      threshold: params.threshold,
      cv: options.cv ?? missingSplitter('VotingEnsemble'),
    });
    if (state.weights.length !== members.length || state.means.length !== members.length) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `voting-ensemble state must hold one weight and one mean per member (${members.length})`,
      );
    }
    ensemble.#weights = state.weights;
    ensemble.#means = state.means;
    ensemble.#fitResult = state.weightFit ?? undefined;
    ensemble.#models = state.members.map((m) => restoreMember(m as ModelJSON));
    return ensemble;
  }

  /** Regression: the weighted average of the members' predictions. Classification: 1 where the averaged probability reaches `threshold`, else 0. */
  async predict(X: readonly (readonly number[])[]): Promise<number[]> {
    const combined = await this.#combine(X);
    if (this.#o.task === 'regression') return combined;
    return combined.map((p) => (p >= this.#o.threshold ? 1 : 0));
  }

  /** Classification: the weighted average of the members' positive-class probabilities. */
  async predictProba(X: readonly (readonly number[])[]): Promise<number[]> {
    if (this.#o.task !== 'classification') {
      throw new MlcycleError(
        'UNSUPPORTED',
        "predictProba needs a VotingEnsemble with task: 'classification'",
      );
    }
    // Weights normalised by division may sum to 1 ± one ulp; keep probabilities inside [0, 1].
    return (await this.#combine(X)).map((p) => Math.min(1, Math.max(0, p)));
  }

  /**
   * How much each member moved the rows of the last `predict`/`predictProba` call: `w_j · (ŷ_ij − m_j)`, where
   * `m_j` is member j's mean output on the rows the ensemble was fitted on (its out-of-fold predictions with
   * `weights: 'fit'`, its in-sample predictions otherwise). The baseline is `Σ_j w_j · m_j`, so for every row
   * `baseline + Σ_j contribution = prediction` (for classification, the averaged probability).
   *
   * @throws `INVALID_ARGUMENT` before any prediction.
   */
  contributions(): Contributions {
    if (this.#last === undefined) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        'contributions() needs a prediction first: call predict(X) or predictProba(X)',
      );
    }
    const scale = this.#o.task === 'classification' ? 'probability' : 'prediction';
    const names = this.#o.members.map((m) => m.name);
    return linearContributions(names, this.#last, this.#weights, 0, this.#means, scale);
  }

  async #combine(X: readonly (readonly number[])[]): Promise<number[]> {
    const models = this.#models;
    if (models === undefined)
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        'The VotingEnsemble must be fitted before it predicts: call fit(X, y)',
      );
    checkInputs(X, undefined, this.#o.task);
    const { members, task } = this.#o;
    const outputs: Float64Array[] = [];
    for (const [j, model] of models.entries()) {
      outputs.push(await memberOutput(model, (members[j] as EnsembleMember).name, X, task));
    }
    this.#last = outputs;
    const combined = new Array<number>(X.length).fill(0);
    outputs.forEach((column, j) => {
      const w = this.#weights[j] as number;
      for (let i = 0; i < column.length; i++)
        combined[i] = (combined[i] as number) + w * (column[i] as number);
    });
    return combined;
  }
}

function normalise(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}
