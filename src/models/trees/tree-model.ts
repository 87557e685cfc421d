import { MlcycleError } from '../../core/errors.js';
import { type FeatureImportance, featureImportance, type ImportanceOptions } from '../importance.js';
import {
  asJSON,
  type CheckedRows,
  checkRows,
  type FeatureRows,
  type ModelJSON,
  notFitted,
  type SyncModel,
} from '../model.js';
import { checkStoredTrees } from './common.js';
import { type Tree, type TreeJSON, treeFromJSON, treeToJSON } from './tree.js';

/** What every tree model's state holds besides its own fields. */
export interface TreeModelState {
  /** Number of features. */
  features: number;
  /** The class labels, ascending (classification only). */
  classes: number[] | null;
  /** The trees. */
  trees: TreeJSON[];
  /** Importance per feature, summing to 1. */
  importances: number[];
  /** Upper bin edges per feature, as fitted on the training data. */
  binEdges: number[][];
}

/** A fitted tree model: its state without the trees, and the trees as typed arrays (turned into JSON on demand). */
export interface FittedTrees<S extends TreeModelState> {
  /** The state without its trees. */
  summary: Omit<S, 'trees'>;
  /** The trees. */
  trees: Tree[];
}

/**
 * What {@link RandomForest} and {@link GradientBoosting} share: the fitted state and its JSON, importances, class
 * labels, and the step from the model's raw output to predictions and probabilities.
 *
 * @internal shared by the tree models; not part of the public surface.
 */
export abstract class TreeModel<P, S extends TreeModelState> implements SyncModel<P, S> {
  /** The parameters, with defaults applied. */
  readonly params: P;
  /** The fitted model, once `fit` or `fromJSON` has run. @internal */
  protected fitted: FittedTrees<S> | undefined;

  protected constructor(
    params: P,
    private readonly kind: string,
    private readonly version: number,
    /** Starts every message, e.g. `"RandomForest"`. */
    protected readonly who: string,
  ) {
    this.params = params;
  }

  abstract fit(X: FeatureRows, y: ArrayLike<number>): this;

  /**
   * The model's output for checked rows: for regression one prediction per row; for classification the probability
   * of each class, `classes.length` per row.
   * @internal
   */
  protected abstract output(fitted: FittedTrees<S>, rows: CheckedRows): Float64Array;

  /** The fitted state as plain JSON (a fresh copy each time); throws before `fit`. */
  get state(): S {
    const { summary, trees } = this.model('reading state');
    return asJSON({ ...summary, trees: trees.map(treeToJSON) } as S);
  }

  /** Importance per feature, summing to 1 (see the model's documentation for which). */
  get featureImportances(): number[] {
    return [...this.model('reading featureImportances').summary.importances];
  }

  /** The class labels, ascending, as scikit-learn's `classes_`; throws for a regression model. */
  get classes(): number[] {
    return [...this.classifier('reading classes').summary.classes];
  }

  /** The prediction (regression) or the most probable class label (classification; the first on ties) per row. */
  predict(X: FeatureRows): Float64Array {
    const fitted = this.model('predict');
    const output = this.outputOf(fitted, X);
    const { classes } = fitted.summary;
    if (classes === null) return output;
    const k = classes.length;
    const out = new Float64Array(output.length / k);
    for (let i = 0; i < out.length; i++) {
      let best = 0;
      for (let c = 1; c < k; c++)
        if ((output[i * k + c] as number) > (output[i * k + best] as number)) best = c;
      out[i] = classes[best] as number;
    }
    return out;
  }

  /** For two classes: the probability of the larger label per row. */
  predictProba(X: FeatureRows): Float64Array {
    const fitted = this.model('predictProba');
    if (fitted.summary.classes?.length !== 2) {
      throw new MlcycleError(
        'UNSUPPORTED',
        `${this.who}.predictProba needs a classifier of two classes; use classProbabilities(X) for more classes`,
      );
    }
    const both = this.outputOf(fitted, X);
    return Float64Array.from({ length: both.length / 2 }, (_, i) => both[2 * i + 1] as number);
  }

  /** Per row, the probability of each class in `classes` order (scikit-learn's `predict_proba`). */
  classProbabilities(X: FeatureRows): Float64Array[] {
    const fitted = this.classifier('classProbabilities');
    const k = fitted.summary.classes.length;
    const all = this.outputOf(fitted, X);
    return Array.from({ length: all.length / k }, (_, i) => all.slice(i * k, (i + 1) * k));
  }

  /**
   * Permutation importance of each feature on held-out data (see {@link featureImportance}); the metric defaults to
   * R² for regression and accuracy for classification.
   */
  permutationImportance(
    X: FeatureRows,
    y: ArrayLike<number>,
    options: ImportanceOptions = {},
  ): Promise<FeatureImportance> {
    const { summary } = this.model('permutationImportance');
    return featureImportance(this, X, y, {
      metric: summary.classes === null ? 'r2' : 'accuracy',
      ...options,
    });
  }

  toJSON(): ModelJSON<P, S> {
    this.model('toJSON');
    return asJSON({ kind: this.kind, version: this.version, params: this.params, state: this.state });
  }

  /**
   * Takes a stored model's parameters and state (already checked against their schemas), after checking that its
   * trees split on the model's features and hold `outputs` values per leaf.
   * @internal
   */
  protected restore(params: P, state: S, outputs: number): this {
    (this as { params: P }).params = params;
    const { trees, ...summary } = state;
    checkStoredTrees(trees, state.features, outputs, this.who);
    this.fitted = { summary, trees: trees.map(treeFromJSON) };
    return this;
  }

  /** The fitted model; throws the not-fitted error naming `method` before `fit`. @internal */
  protected model(method: string): FittedTrees<S> {
    if (this.fitted === undefined) throw notFitted(this.who, method);
    return this.fitted;
  }

  private outputOf(fitted: FittedTrees<S>, X: FeatureRows): Float64Array {
    return this.output(fitted, checkRows(X, this.who, fitted.summary.features, true));
  }

  private classifier(method: string): FittedTrees<S> & { summary: { classes: number[] } } {
    const fitted = this.model(method);
    if (fitted.summary.classes === null) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `${this.who}: ${method} is for classifiers; this model was fitted for regression`,
      );
    }
    return fitted as FittedTrees<S> & { summary: { classes: number[] } };
  }
}
