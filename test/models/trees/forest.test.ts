import { describe, expect, it, vi } from 'vitest';
import { median } from '../../../src/core/numeric.js';
import { Random } from '../../../src/core/random.js';
import { accuracy } from '../../../src/metrics/classification.js';
import { r2 } from '../../../src/metrics/regression.js';
import type { FeatureRows, ModelJSON } from '../../../src/models/model.js';
import { modelFromJSON } from '../../../src/models/registry.js';
import { RandomForest, type RandomForestState } from '../../../src/models/trees/forest.js';
import { ForestTrainer } from '../../../src/models/trees/forest-train.js';
import type { TreeJSON } from '../../../src/models/trees/tree.js';
import { loadReferenceCases } from '../../fixtures/reference.js';
import { expectInvalid, thrown } from '../../helpers.js';
import { bits, multiLogLoss, smallData } from './helpers.js';

interface ForestCase {
  dataset: string;
  X: number[][];
  y: number[];
  Xtest: number[][];
  ytest: number[];
}

interface ForestExpected {
  medians: Record<string, number>;
}

const cases = loadReferenceCases('trees').filter((c) => c.fn.startsWith('forest-'));
const caseOf = (dataset: string) => cases.find((c) => (c.args as unknown as ForestCase).dataset === dataset);
const friedman = caseOf('regression')?.args as unknown as ForestCase;

describe('RandomForest against scikit-learn 1.2', () => {
  // scikit-learn's forests and ours draw different bootstrap samples and we split on at most 255 quantile bins, so
  // the holdout scores agree only up to seed-to-seed noise. Tolerances, from the reference's 5 seeds:
  // - R² (holdout and out-of-bag): the reference's seeds span 0.003 (holdout) and 0.007 (out-of-bag); 0.01 allows
  //   for the binning.
  // - accuracy: one row of 500 (600) moves it by 0.002; the reference's seeds span 0.03, and the binomial sd of an
  //   accuracy near 0.77 on 500 rows is √(0.77·0.23/500) ≈ 0.019, so medians within 0.02.
  // - log-loss: the reference's seeds span 0.018 (binary) and 0.016 (multiclass); within 0.03.
  const seeds = [0, 1, 2, 3, 4];

  it('regression: median holdout R² and out-of-bag R² on the Friedman data', () => {
    const c = caseOf('regression');
    const args = c?.args as unknown as ForestCase;
    const expected = c?.expected as ForestExpected;
    const scores = seeds.map((seed) => {
      const forest = new RandomForest({
        trees: 100,
        maxFeatures: 'all',
        minSamplesLeaf: 1,
        oobScore: true,
        seed,
      });
      forest.fit(args.X, args.y);
      return { r2: r2(args.ytest, forest.predict(args.Xtest)), oob: forest.state.oobScore as number };
    });
    expect(Math.abs(median(scores.map((s) => s.r2)) - (expected.medians.r2 as number))).toBeLessThan(0.01);
    expect(Math.abs(median(scores.map((s) => s.oob)) - (expected.medians.oob as number))).toBeLessThan(0.01);
  });

  it.each(['binary', 'multiclass'])(
    'classification (%s): median accuracy, log-loss and out-of-bag accuracy',
    (dataset) => {
      const c = caseOf(dataset);
      const args = c?.args as unknown as ForestCase;
      const expected = c?.expected as ForestExpected;
      const scores = seeds.map((seed) => {
        const forest = new RandomForest({
          task: 'classification',
          trees: 100,
          maxFeatures: 'sqrt',
          oobScore: true,
          seed,
        });
        forest.fit(args.X, args.y);
        return {
          accuracy: accuracy(args.ytest, forest.predict(args.Xtest)),
          logLoss: multiLogLoss(args.ytest, forest.classes, forest.classProbabilities(args.Xtest)),
          oob: forest.state.oobScore as number,
        };
      });
      const diff = (metric: 'accuracy' | 'logLoss' | 'oob') =>
        Math.abs(median(scores.map((s) => s[metric])) - (expected.medians[metric] as number));
      expect(diff('accuracy')).toBeLessThan(0.02);
      expect(diff('logLoss')).toBeLessThan(0.03);
      expect(diff('oob')).toBeLessThan(0.02);
    },
  );
});

describe('RandomForest', () => {
  const { X, y } = smallData(300);
  const Xnew = smallData(50, 4, 2).X;

  it('fits the same forest for the same seed and a different one for another seed', () => {
    const predictions = (seed: number) => new RandomForest({ trees: 20, seed }).fit(X, y).predict(Xnew);
    expect(bits(predictions(3))).toEqual(bits(predictions(3)));
    expect(bits(predictions(4))).not.toEqual(bits(predictions(3)));
  });

  it('fits the same forest on two worker threads as on this one', async () => {
    const options = { trees: 24, oobScore: true, seed: 7, task: 'classification' as const };
    const labels = y.map((v) => (v > 1.5 ? 1 : 0));
    const serial = new RandomForest(options).fit(X, labels);
    // No tree grows on this thread: the fit did not fall back to it.
    const grow = vi.spyOn(ForestTrainer.prototype, 'grow');
    const parallel = await new RandomForest(options).fitAsync(X, labels, { workers: 2 });
    expect(grow).not.toHaveBeenCalled();
    grow.mockRestore();
    expect(bits(parallel.predictProba(Xnew))).toEqual(bits(serial.predictProba(Xnew)));
    expect(parallel.state).toEqual(serial.state);
  }, 60_000);

  it('predicts identically after a round trip through JSON text', () => {
    const forest = new RandomForest({ trees: 20, seed: 1, minSamplesLeaf: 2 }).fit(X, y);
    const restored = modelFromJSON(JSON.parse(JSON.stringify(forest.toJSON()))) as RandomForest;
    expect(restored).toBeInstanceOf(RandomForest);
    expect(bits(restored.predict(Xnew))).toEqual(bits(forest.predict(Xnew)));
    expect(restored.params).toEqual(forest.params);
    expect(restored.state).toEqual(forest.state);
  });

  it('restores a classifier with its classes from JSON', () => {
    const labels = y.map((v) => (v > 1.5 ? 7 : 3));
    const forest = new RandomForest({ task: 'classification', trees: 20 }).fit(X, labels);
    const restored = RandomForest.fromJSON(JSON.parse(JSON.stringify(forest.toJSON())));
    expect(restored.classes).toEqual([3, 7]);
    expect(bits(restored.predictProba(Xnew))).toEqual(bits(forest.predictProba(Xnew)));
  });

  it('ranks the informative Friedman features above the noise features 5–7, importances summing to 1', () => {
    const forest = new RandomForest({ trees: 30, seed: 2 }).fit(friedman.X, friedman.y);
    const importances = forest.featureImportances;
    expect(importances).toHaveLength(8);
    expect(Math.abs(importances.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
    expect(Math.min(...importances.slice(0, 5))).toBeGreaterThan(Math.max(...importances.slice(5)));
  });

  it('gives one permutation importance per feature, informative ones above noise', async () => {
    const forest = new RandomForest({ trees: 20, seed: 2 }).fit(friedman.X, friedman.y);
    const result = await forest.permutationImportance(friedman.Xtest, friedman.ytest, {
      repeats: 2,
      seed: 1,
    });
    expect(result.mean).toHaveLength(8);
    expect(result.baseline).toBeCloseTo(r2(friedman.ytest, forest.predict(friedman.Xtest)), 12);
    expect(Math.min(...result.mean.slice(0, 4))).toBeGreaterThan(Math.max(...result.mean.slice(5)));
  });

  it('classifies with the sorted distinct labels and predicts those labels', () => {
    const labels = y.map((v) => (v > 1.5 ? 7 : 3));
    const forest = new RandomForest({ task: 'classification', trees: 20, seed: 1 }).fit(X, labels);
    expect(forest.classes).toEqual([3, 7]);
    const predicted = forest.predict(Xnew);
    expect(new Set(predicted)).toEqual(new Set([3, 7]));
    const p = forest.predictProba(Xnew);
    const both = forest.classProbabilities(Xnew);
    p.forEach((pi, i) => {
      expect(pi).toBe(both[i]?.[1]);
      expect((both[i]?.[0] as number) + pi).toBeCloseTo(1, 12);
      expect(predicted[i]).toBe(pi > (both[i]?.[0] as number) ? 7 : 3);
    });
  });

  it('refuses predictProba for three classes but gives their class probabilities', () => {
    const labels = y.map((v) => (v < 1 ? 0 : v < 2.5 ? 1 : 2));
    const forest = new RandomForest({ task: 'classification', trees: 20 }).fit(X, labels);
    const error = thrown(() => forest.predictProba(Xnew));
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toBe(
      'RandomForest.predictProba needs a classifier of two classes; use classProbabilities(X) for more classes',
    );
    for (const row of forest.classProbabilities(Xnew)) {
      expect(row).toHaveLength(3);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
  });

  it('learns from missing values (NaN) and predicts rows that have them', () => {
    // Where feature 0 is missing the target is 10, far above its range elsewhere.
    const rng = new Random(5);
    const missing = X.map((row) => (rng.float() < 0.2 ? [Number.NaN, ...row.slice(1)] : row));
    const target = missing.map((row, i) => (Number.isNaN(row[0]) ? 10 : (y[i] as number)));
    const forest = new RandomForest({ trees: 20, seed: 1 }).fit(missing, target);
    const predicted = forest.predict([
      [Number.NaN, 0.5, 0.5, 0.5],
      [0.5, 0.5, 0.5, 0.5],
    ]);
    expect(predicted[0]).toBeGreaterThan(9);
    expect(predicted[1]).toBeLessThan(4);
  });

  it('rejects infinite features in fit and predict', () => {
    const forest = new RandomForest({ trees: 5 });
    expectInvalid(
      () => forest.fit([[1, Number.POSITIVE_INFINITY]], [1]),
      'RandomForest: X[0][1] is Infinity; features must be finite numbers or NaN (missing)',
    );
    forest.fit(X, y);
    expectInvalid(
      () => forest.predict([[0, 0, Number.NEGATIVE_INFINITY, 0]]),
      'RandomForest: X[0][2] is -Infinity; features must be finite numbers or NaN (missing)',
    );
  });

  describe('bad input', () => {
    const forest = () => new RandomForest({ trees: 5 });

    it('rejects X that is not an array of equally long rows', () => {
      expectInvalid(
        () => forest().fit('rows' as unknown as FeatureRows, [1]),
        'RandomForest: X must be an array of feature rows, received string',
      );
      expectInvalid(
        () => forest().fit([[1, 2], [3]], [1, 2]),
        'RandomForest: X[1] has 1 features but X[0] has 2',
      );
      const empty = thrown(() => forest().fit([], []));
      expect(empty.code).toBe('INSUFFICIENT_DATA');
      expect(empty.message).toBe('RandomForest: X needs at least 1 row, received 0');
    });

    it('rejects a target of the wrong length or with NaN', () => {
      expectInvalid(
        () => forest().fit([[1], [2], [3]], [1, 2]),
        'RandomForest: X has 3 rows but y has 2 values',
      );
      expectInvalid(
        () => forest().fit([[1], [2]], [1, Number.NaN]),
        'RandomForest: y[1] is NaN; targets must be finite numbers',
      );
    });

    it('needs two classes to classify', () => {
      const error = thrown(() => new RandomForest({ task: 'classification' }).fit([[1], [2]], [4, 4]));
      expect(error.code).toBe('INSUFFICIENT_DATA');
      expect(error.message).toBe('RandomForest needs at least 2 classes in y, but every label is 4');
    });

    it('needs fit before predicting and the fitted number of features after', () => {
      expectInvalid(
        () => forest().predict([[1]]),
        'RandomForest is not fitted: call fit(X, y) before predict',
      );
      expectInvalid(() => forest().toJSON(), 'RandomForest is not fitted: call fit(X, y) before toJSON');
      const fitted = forest().fit(
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
        [1, 2, 3],
      );
      expectInvalid(
        () => fitted.predict([[1, 2, 3]]),
        'RandomForest: X[0] has 3 features but the model was fitted on 2',
      );
      expectInvalid(
        () => fitted.classes,
        'RandomForest: reading classes is for classifiers; this model was fitted for regression',
      );
      expectInvalid(
        () => fitted.classProbabilities(Xnew),
        'RandomForest: classProbabilities is for classifiers; this model was fitted for regression',
      );
    });

    it('validates its parameters', () => {
      expectInvalid(
        () => new RandomForest({ trees: 0 }),
        'Invalid RandomForest params: trees: Too small: expected number to be >=1 (received 0)',
      );
      expectInvalid(
        () => new RandomForest({ maxFeatures: 1.5 }),
        'Invalid RandomForest params: maxFeatures: Expected an integer >= 1 or a fraction in (0, 1) (received 1.5)',
      );
      expectInvalid(
        () => new RandomForest({ maxBins: 256 }),
        'Invalid RandomForest params: maxBins: Too big: expected number to be <=255 (received 256)',
      );
      expectInvalid(
        () => new RandomForest({ depth: 3 } as never),
        'Invalid RandomForest params: Unrecognized key: "depth"',
      );
    });

    it('has no out-of-bag score when every tree sees every row', () => {
      const error = thrown(() =>
        new RandomForest({ trees: 3, bootstrap: false, oobScore: true }).fit([[1], [2], [3]], [1, 2, 3]),
      );
      expect(error.code).toBe('INSUFFICIENT_DATA');
      expect(error.message).toBe(
        'RandomForest: every tree was fitted on every row, so there is no out-of-bag score; set bootstrap: true or maxSamples < 1',
      );
    });

    it('restores only its own kind of JSON', () => {
      expectInvalid(
        () => RandomForest.fromJSON({ kind: 'ridge', version: 1, params: {}, state: {} }),
        'Expected a random-forest model\'s JSON, received kind "ridge"',
      );
      const json = new RandomForest({ trees: 2 }).fit(X, y).toJSON() as ModelJSON<unknown, RandomForestState>;
      const tree = json.state.trees[1] as TreeJSON;
      tree.feature[0] = json.state.features;
      expectInvalid(
        () => RandomForest.fromJSON(json),
        `RandomForest state: trees[1] splits on feature ${json.state.features}, but the model has ${json.state.features} features`,
      );
    });
  });
});
