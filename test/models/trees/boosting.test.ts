import { describe, expect, it, vi } from 'vitest';
import { mean } from '../../../src/core/numeric.js';
import { Random } from '../../../src/core/random.js';
import { accuracy } from '../../../src/metrics/classification.js';
import { mae, rmse } from '../../../src/metrics/regression.js';
import type { ModelJSON } from '../../../src/models/model.js';
import { modelFromJSON } from '../../../src/models/registry.js';
import {
  GradientBoosting,
  type GradientBoostingParams,
  type GradientBoostingState,
} from '../../../src/models/trees/boosting.js';
import { HistogramTeam } from '../../../src/models/trees/histogram-team.js';
import type { TreeJSON } from '../../../src/models/trees/tree.js';
import { loadReferenceCases } from '../../fixtures/reference.js';
import { expectInvalid, thrown } from '../../helpers.js';
import { bits, multiLogLoss, smallData } from './helpers.js';

interface BoostCase {
  dataset: string;
  X: number[][];
  y: number[];
  Xtest: number[][];
  ytest: number[];
  params: { objective: string; baseScore: number; huberSlope?: number };
}

interface BoostExpected {
  medians: Record<string, number>;
}

const cases = loadReferenceCases('trees').filter((c) => c.fn.startsWith('boost-'));
const argsOf = (fn: string, dataset: string, objective: string) => {
  const c = cases.find((k) => {
    const a = k.args as unknown as BoostCase;
    return k.fn === fn && a.dataset === dataset && a.params.objective === objective;
  });
  if (c === undefined) throw new Error(`no reference case ${fn} ${dataset} ${objective}`);
  return { args: c.args as unknown as BoostCase, expected: c.expected as BoostExpected };
};
const friedman = argsOf('boost-regression', 'regression', 'reg:squarederror').args;

/** The fixture's XGBoost settings (max_bin 256 there is our 255 real bins plus the missing bin). */
const XGB_PARAMS = {
  rounds: 100,
  maxDepth: 4,
  learningRate: 0.1,
  lambda: 1,
  minChildWeight: 1,
  maxBins: 255,
};

/** The leaf value that `row` reaches in a stored tree, walked here independently of the library's own walk. */
function leafValue(tree: TreeJSON, row: readonly number[]): number {
  let node = 0;
  while ((tree.feature[node] as number) >= 0) {
    const x = row[tree.feature[node] as number] as number;
    const goLeft = Number.isNaN(x) ? tree.missingLeft[node] === 1 : x <= (tree.threshold[node] as number);
    node = (goLeft ? tree.left[node] : tree.right[node]) as number;
  }
  return tree.value[node] as number;
}

/** A single-output model's prediction after its first `count` trees. */
function marginAfter(state: GradientBoostingState, row: readonly number[], count: number): number {
  let m = state.base[0] as number;
  for (let t = 0; t < count; t++) m += leafValue(state.trees[t] as TreeJSON, row);
  return m;
}

const argmin = (v: readonly number[]) => v.reduce((best, x, i) => (x < (v[best] as number) ? i : best), 0);

describe('GradientBoosting against XGBoost 1.7.4 (hist)', () => {
  // XGBoost without row or column sampling is deterministic, so the fixture's 5 seeds agree and give no spread to
  // borrow. We measured that tiny perturbations of our own model (255 vs 200 bins, learning rate 0.3 vs 0.29) move the
  // holdout RMSE by up to ~5% on these 500-row sets, so binning differences alone justify that much: RMSE within 5%
  // of XGBoost's; log-loss and accuracy within 0.03 (one row of 500 is 0.002 of accuracy, and the binomial sd of an
  // accuracy near 0.78 on 500–600 rows is ≈ 0.018).
  const fitOn = (args: BoostCase, params: GradientBoostingParams) =>
    new GradientBoosting({ ...XGB_PARAMS, ...params }).fit(args.X, args.y);

  it.each([
    ['regression', 'reg:squarederror', 'squared'],
    ['regression', 'reg:pseudohubererror', 'huber'],
    ['missing', 'reg:squarederror', 'squared'],
  ] as const)('%s data, %s: holdout RMSE within 5%%', (dataset, xgbObjective, objective) => {
    const { args, expected } = argsOf('boost-regression', dataset, xgbObjective);
    const model = fitOn(args, {
      objective,
      baseScore: args.params.baseScore,
      ...(args.params.huberSlope === undefined ? {} : { huberDelta: args.params.huberSlope }),
    });
    const reference = expected.medians.rmse as number;
    expect(Math.abs(rmse(args.ytest, model.predict(args.Xtest)) / reference - 1)).toBeLessThan(0.05);
  });

  it('absolute error: holdout MAE no worse than XGBoost’s + 5%', () => {
    // XGBoost 1.7.4's reg:absoluteerror ends at MAE 2.08 here, worse than its own squared-error model (RMSE 1.60,
    // whose MAE is lower still): a good fit of this data (noise sd 1) reaches an MAE near 1.3, as our leaves refitted
    // to the median residual do (~1.38). Matching XGBoost's number would mean matching its weaker fit, so the test
    // only bounds ours from above.
    const { args, expected } = argsOf('boost-regression', 'regression', 'reg:absoluteerror');
    const model = fitOn(args, { objective: 'absolute', baseScore: args.params.baseScore });
    expect(mae(args.ytest, model.predict(args.Xtest))).toBeLessThan(1.05 * (expected.medians.mae as number));
  });

  it('binary logistic: holdout log-loss and accuracy within 0.03', () => {
    const { args, expected } = argsOf('boost-binary', 'binary', 'binary:logistic');
    const model = fitOn(args, { objective: 'logistic', baseScore: args.params.baseScore });
    const loss = multiLogLoss(args.ytest, model.classes, model.classProbabilities(args.Xtest));
    expect(Math.abs(loss - (expected.medians.logLoss as number))).toBeLessThan(0.03);
    const acc = accuracy(args.ytest, model.predict(args.Xtest));
    expect(Math.abs(acc - (expected.medians.accuracy as number))).toBeLessThan(0.03);
  });

  it('softmax on three classes: holdout log-loss and accuracy within 0.03', () => {
    // No baseScore: multi:softprob adds one constant to every class margin, which the softmax cancels; ours starts
    // from the log class frequencies instead.
    const { args, expected } = argsOf('boost-multiclass', 'multiclass', 'multi:softprob');
    const model = fitOn(args, { objective: 'softmax' });
    const loss = multiLogLoss(args.ytest, model.classes, model.classProbabilities(args.Xtest));
    expect(Math.abs(loss - (expected.medians.logLoss as number))).toBeLessThan(0.03);
    const acc = accuracy(args.ytest, model.predict(args.Xtest));
    expect(Math.abs(acc - (expected.medians.accuracy as number))).toBeLessThan(0.03);
  });

  it('early stopping on a validation set: keeps the best round’s trees, test RMSE within 10%', () => {
    // At learning rate 0.3 on 400 rows, perturbations of our model move the test RMSE by ±0.07 on 1.8 (~4%), and
    // where the validation curve bottoms out moves with it; 10% leaves room for both.
    const { args, expected } = argsOf('boost-early-stopping', 'regression', 'reg:squarederror');
    const model = new GradientBoosting({
      ...XGB_PARAMS,
      rounds: 500,
      learningRate: 0.3,
      earlyStoppingRounds: 10,
      baseScore: args.params.baseScore,
    }).fit(args.X.slice(0, 400), args.y.slice(0, 400), {
      validation: { X: args.X.slice(400), y: args.y.slice(400) },
    });
    const { bestIteration, validationLoss, rounds, trees } = model.state;
    const losses = validationLoss as number[];
    expect(losses).toHaveLength(rounds);
    expect(bestIteration).toBe(argmin(losses));
    const best = bestIteration as number;
    expect(rounds === best + 11 || rounds === 500).toBe(true);
    expect(trees).toHaveLength(best + 1);
    // The validation loss early stopping watches is the RMSE of the kept model on the validation rows.
    expect(losses[best]).toBeCloseTo(rmse(args.y.slice(400), model.predict(args.X.slice(400))), 12);
    const reference = expected.medians.rmse as number;
    expect(Math.abs(rmse(args.ytest, model.predict(args.Xtest)) / reference - 1)).toBeLessThan(0.1);
  });
});

describe('GradientBoosting', () => {
  const { X, y } = smallData(200);
  const Xnew = smallData(50, 4, 2).X;

  it('grows, with λ = 0 and one round at learning rate 1, the best stump with the mean residual in each leaf', () => {
    const { X: Xs, y: ys } = smallData(100, 3, 4);
    const model = new GradientBoosting({ rounds: 1, learningRate: 1, maxDepth: 1, lambda: 0 }).fit(Xs, ys);
    const { base, trees } = model.state;
    const start = mean(ys);
    expect(base[0]).toBeCloseTo(start, 12);
    const stump = trees[0] as TreeJSON;
    const f = stump.feature[0] as number;
    const threshold = stump.threshold[0] as number;
    expect(stump.feature.slice(1)).toEqual([-1, -1]);
    const left = ys.map((v, i) => ((Xs[i]?.[f] as number) <= threshold ? v - start : Number.NaN));
    const right = ys.map((v, i) => ((Xs[i]?.[f] as number) > threshold ? v - start : Number.NaN));
    const leftMean = mean(left.filter((v) => !Number.isNaN(v)));
    const rightMean = mean(right.filter((v) => !Number.isNaN(v)));
    expect(stump.value[stump.left[0] as number]).toBeCloseTo(leftMean, 12);
    expect(stump.value[stump.right[0] as number]).toBeCloseTo(rightMean, 12);
    // With fewer distinct values than bins every midpoint is a candidate, so the stump is CART's best split: no
    // threshold on any feature reduces the squared error more.
    const reduction = (feature: number, t: number) => {
      const l = ys.filter((_, i) => (Xs[i]?.[feature] as number) <= t);
      const r = ys.filter((_, i) => (Xs[i]?.[feature] as number) > t);
      return l.length * mean(l) ** 2 + r.length * mean(r) ** 2 - ys.length * start ** 2;
    };
    const chosen = reduction(f, threshold);
    for (let g = 0; g < 3; g++) {
      const sorted = Xs.map((r) => r[g] as number).sort((a, b) => a - b);
      for (let i = 1; i < sorted.length; i++) {
        const t = ((sorted[i - 1] as number) + (sorted[i] as number)) / 2;
        expect(reduction(g, t)).toBeLessThanOrEqual(chosen + 1e-9);
      }
    }
  });

  it('lowers the training loss with every round', () => {
    const model = new GradientBoosting({ rounds: 20, maxDepth: 3 }).fit(X, y);
    const state = model.state;
    expect(state.trees).toHaveLength(20);
    // Summing the stored trees reproduces predict, so the partial sums are the model after each round.
    expect(X.map((row) => marginAfter(state, row, 20))).toEqual(bits(model.predict(X)));
    const losses = Array.from({ length: 21 }, (_, r) =>
      rmse(
        y,
        X.map((row) => marginAfter(state, row, r)),
      ),
    );
    for (let r = 1; r <= 20; r++) expect(losses[r]).toBeLessThan(losses[r - 1] as number);
  });

  it('samples rows and features reproducibly for a seed, differently across seeds', () => {
    const predictions = (seed: number) =>
      new GradientBoosting({ rounds: 15, subsample: 0.7, colsampleByTree: 0.75, colsampleByNode: 0.7, seed })
        .fit(X, y)
        .predict(Xnew);
    expect(bits(predictions(3))).toEqual(bits(predictions(3)));
    expect(bits(predictions(4))).not.toEqual(bits(predictions(3)));
  });

  it('holds out the last 10% of the rows for early stopping by default', () => {
    // The last 20 of 200 rows are pure noise, which the first 180 cannot predict.
    const rng = new Random(9);
    const noisy = y.map((v, i) => (i < 180 ? v : rng.normal(0, 3)));
    const model = new GradientBoosting({ rounds: 100, earlyStoppingRounds: 5 }).fit(X, noisy);
    const { bestIteration, validationLoss, rounds, trees } = model.state;
    const losses = validationLoss as number[];
    const best = bestIteration as number;
    expect(losses).toHaveLength(rounds);
    expect(best).toBe(argmin(losses));
    expect(rounds).toBe(best + 6);
    expect(trees).toHaveLength(best + 1);
    // The recorded loss at the kept round is the RMSE of the kept model on the last 20 rows.
    expect(losses[best]).toBeCloseTo(rmse(noisy.slice(180), model.predict(X.slice(180))), 12);
    // Those rows took no part in the fit: the first 180 rows alone, watched on the last 20 for as many rounds
    // without early stopping, grow the same trees and the same loss history, whose every entry is the RMSE of the
    // trees grown so far on those 20 rows.
    const explicit = new GradientBoosting({ rounds }).fit(X.slice(0, 180), noisy.slice(0, 180), {
      validation: { X: X.slice(180), y: noisy.slice(180) },
    }).state;
    expect(explicit.bestIteration).toBeNull();
    expect(explicit.trees.slice(0, best + 1)).toEqual(trees);
    expect(explicit.validationLoss).toEqual(losses);
    losses.forEach((loss, r) => {
      const margins = X.slice(180).map((row) => marginAfter(explicit, row, r + 1));
      expect(loss).toBeCloseTo(rmse(noisy.slice(180), margins), 12);
    });
  });

  it('watches the validation loss of each objective: MAE, mean pseudo-Huber, log-loss, multiclass log-loss', () => {
    // With patience longer than the rounds every tree is kept, so the last validation loss is the loss of the
    // model's own predictions on the validation rows, computed here from them.
    const rng = new Random(31);
    const rows = Array.from({ length: 300 }, () => [rng.normal(), rng.normal(), rng.normal()]);
    const value = rows.map(([a = 0, b = 0]) => 2 * a - b + rng.normal(0, 0.5));
    const [train, held] = [rows.slice(0, 240), rows.slice(240)];
    const fitted = (params: GradientBoostingParams, y: number[]) =>
      new GradientBoosting({ rounds: 8, maxDepth: 3, earlyStoppingRounds: 50, ...params }).fit(
        train,
        y.slice(0, 240),
        { validation: { X: held, y: y.slice(240) } },
      );
    const lastLoss = (model: GradientBoosting) => model.state.validationLoss?.at(-1) as number;
    const truth = value.slice(240);

    const absolute = fitted({ objective: 'absolute' }, value);
    expect(lastLoss(absolute)).toBeCloseTo(mae(truth, absolute.predict(held)), 12);

    const delta = 0.7;
    const huber = fitted({ objective: 'huber', huberDelta: delta }, value);
    const pseudoHuber = Array.from(huber.predict(held), (p, i) => {
      const z = (p - (truth[i] as number)) / delta;
      return delta * delta * (Math.sqrt(1 + z * z) - 1);
    });
    expect(lastLoss(huber)).toBeCloseTo(pseudoHuber.reduce((a, b) => a + b, 0) / pseudoHuber.length, 12);

    const labels = value.map((v) => (v > 0 ? 1 : 0));
    const logistic = fitted({ objective: 'logistic' }, labels);
    const p = logistic.predictProba(held);
    const logLoss = -labels
      .slice(240)
      .reduce<number>((sum, l, i) => sum + Math.log(l === 1 ? (p[i] as number) : 1 - (p[i] as number)), 0);
    expect(lastLoss(logistic)).toBeCloseTo(logLoss / 60, 10);

    const classes = value.map((v) => (v > 1 ? 2 : v > -1 ? 1 : 0));
    const softmax = fitted({ objective: 'softmax' }, classes);
    const probabilities = softmax.classProbabilities(held);
    const multi = -classes
      .slice(240)
      .reduce<number>((sum, c, i) => sum + Math.log((probabilities[i] as Float64Array)[c] as number), 0);
    expect(lastLoss(softmax)).toBeCloseTo(multi / 60, 10);
  });

  it('keeps predictions non-decreasing in a feature constrained monotone +1', () => {
    // y rises with x0 overall but dips on (0.4, 0.6): an unconstrained model follows the dip.
    const rng = new Random(11);
    const Xm = Array.from({ length: 400 }, () => [rng.float(), rng.float()]);
    const ym = Xm.map(([a = 0, b = 0]) => 4 * a - (a > 0.4 && a < 0.6 ? 3 : 0) + b + rng.normal(0, 0.2));
    const grid = (x1: number) => Array.from({ length: 101 }, (_, i) => [i / 100, x1]);
    const decreases = (model: GradientBoosting) =>
      [0.1, 0.5, 0.9].some((x1) => {
        const p = model.predict(grid(x1));
        return p.some((v, i) => i > 0 && v < (p[i - 1] as number));
      });
    const params = { rounds: 50, maxDepth: 3 };
    expect(decreases(new GradientBoosting(params).fit(Xm, ym))).toBe(true);
    expect(decreases(new GradientBoosting({ ...params, monotone: [1, 0] }).fit(Xm, ym))).toBe(false);
    for (const objective of ['huber', 'absolute'] as const) {
      // Absolute-error leaves are refitted to the median residual, which must stay within the leaf's bounds too.
      expect(decreases(new GradientBoosting({ ...params, monotone: [1, 0], objective }).fit(Xm, ym))).toBe(
        false,
      );
      expect(decreases(new GradientBoosting({ ...params, objective }).fit(Xm, ym))).toBe(true);
    }
  });

  it('learns where missing values (NaN) go and predicts rows that have them', () => {
    // Where feature 0 is missing the target is 10, far above its range elsewhere (0..4).
    const rng = new Random(5);
    const withMissing = (rows: number[][]) =>
      rows.map((row) => (rng.float() < 0.2 ? [Number.NaN, ...row.slice(1)] : row));
    const Xm = withMissing(X);
    const ym = Xm.map((row, i) => (Number.isNaN(row[0]) ? 10 : (y[i] as number)));
    const model = new GradientBoosting({ rounds: 50, maxDepth: 3 }).fit(Xm, ym);
    const test = withMissing(Xnew);
    const predicted = model.predict(test);
    const missingRows = test.flatMap((row, i) => (Number.isNaN(row[0]) ? [i] : []));
    expect(missingRows.length).toBeGreaterThan(3);
    for (const i of missingRows) expect(Math.abs((predicted[i] as number) - 10)).toBeLessThan(0.3);
    const present = test.flatMap((row, i) => (Number.isNaN(row[0]) ? [] : [i]));
    const truth = present.map((i) => 3 * (test[i]?.[0] as number) + Math.sin(6 * (test[i]?.[1] as number)));
    expect(
      rmse(
        truth,
        present.map((i) => predicted[i] as number),
      ),
    ).toBeLessThan(0.4);
  });

  it('softmax: classes are the sorted labels, predictions are labels, probabilities sum to 1', () => {
    const labels = y.map((v) => (v < 1 ? 30 : v < 2.5 ? 10 : 20));
    const model = new GradientBoosting({ objective: 'softmax', rounds: 20, maxDepth: 3 }).fit(X, labels);
    expect(model.classes).toEqual([10, 20, 30]);
    expect(model.state.trees).toHaveLength(60);
    const predicted = model.predict(X);
    expect(new Set(predicted)).toEqual(new Set([10, 20, 30]));
    expect(accuracy(labels, predicted)).toBeGreaterThan(0.9);
    const probabilities = model.classProbabilities(Xnew);
    const predictedNew = model.predict(Xnew);
    probabilities.forEach((row, i) => {
      expect(row).toHaveLength(3);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(predictedNew[i]).toBe([10, 20, 30][row.indexOf(Math.max(...row))]);
    });
    const error = thrown(() => model.predictProba(Xnew));
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toBe(
      'GradientBoosting.predictProba needs a classifier of two classes; use classProbabilities(X) for more classes',
    );
  });

  it('logistic: probabilities in (0, 1) of the larger label, which predict picks above 0.5', () => {
    const labels = y.map((v) => (v > 1.5 ? 7 : -3));
    const model = new GradientBoosting({ objective: 'logistic', rounds: 30, maxDepth: 3 }).fit(X, labels);
    expect(model.classes).toEqual([-3, 7]);
    const p = model.predictProba(Xnew);
    const predicted = model.predict(Xnew);
    const both = model.classProbabilities(Xnew);
    expect(new Set(predicted)).toEqual(new Set([-3, 7]));
    p.forEach((pi, i) => {
      expect(pi).toBeGreaterThan(0);
      expect(pi).toBeLessThan(1);
      expect(predicted[i]).toBe(pi > 0.5 ? 7 : -3);
      expect(both[i]?.[1]).toBe(pi);
      expect((both[i]?.[0] as number) + pi).toBeCloseTo(1, 12);
    });
    expect(accuracy(labels, model.predict(X))).toBeGreaterThan(0.9);
  });

  it('ranks the informative Friedman features above the noise features 5–7, importances summing to 1', () => {
    const model = new GradientBoosting({ rounds: 50, maxDepth: 4, learningRate: 0.1 }).fit(
      friedman.X,
      friedman.y,
    );
    const importances = model.featureImportances;
    expect(importances).toHaveLength(8);
    expect(Math.abs(importances.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
    expect(Math.min(...importances.slice(0, 5))).toBeGreaterThan(Math.max(...importances.slice(5)));
  });

  it('predicts bit for bit the same after a round trip through JSON text and modelFromJSON', () => {
    const models = [
      new GradientBoosting({
        rounds: 20,
        subsample: 0.8,
        seed: 2,
        maxDepth: Number.POSITIVE_INFINITY,
        maxLeaves: 8,
      }).fit(X, y),
      new GradientBoosting({ objective: 'softmax', rounds: 10 }).fit(
        X,
        y.map((v) => (v < 1 ? 0 : v < 2.5 ? 1 : 2)),
      ),
    ];
    for (const model of models) {
      const restored = modelFromJSON(JSON.parse(JSON.stringify(model.toJSON()))) as GradientBoosting;
      expect(restored).toBeInstanceOf(GradientBoosting);
      expect(bits(restored.predict(Xnew))).toEqual(bits(model.predict(Xnew)));
      expect(restored.params).toEqual(model.params);
      expect(restored.state).toEqual(model.state);
    }
  });

  it('fits the same model with fitAsync as with fit', async () => {
    const params = { rounds: 20, subsample: 0.8, colsampleByTree: 0.5, seed: 5, earlyStoppingRounds: 3 };
    const sync = new GradientBoosting(params).fit(X, y);
    const async = await new GradientBoosting(params).fitAsync(X, y, { workers: 2 });
    expect(bits(async.predict(Xnew))).toEqual(bits(sync.predict(Xnew)));
    expect(async.state).toEqual(sync.state);
  });

  it('builds histograms on helper threads in fitAsync and fits the same softmax model to the bit', async () => {
    // 600 rows: nodes this large build histograms, which a helper thread shares feature by feature.
    const rng = new Random(21);
    const rows = Array.from({ length: 600 }, () => Array.from({ length: 6 }, () => rng.normal()));
    const labels = rows.map(([a = 0, b = 0, c = 0]) => (a + b > 0.5 ? 2 : c > 0 ? 1 : 0));
    const params = { objective: 'softmax', rounds: 15, maxDepth: 4, subsample: 0.9, seed: 2 } as const;
    const shared = vi.spyOn(HistogramTeam.prototype, 'wait');
    try {
      const async = await new GradientBoosting(params).fitAsync(rows, labels, { workers: 2 });
      expect(shared).toHaveBeenCalled();
      const sync = new GradientBoosting(params).fit(rows, labels);
      expect(async.state).toEqual(sync.state);
    } finally {
      shared.mockRestore();
    }
  });

  it('rejects bad fitAsync options before starting threads', async () => {
    await expect(new GradientBoosting().fitAsync(X, y, { workers: 0 })).rejects.toThrow(
      'fitAsync options: workers: Too small: expected number to be >=1',
    );
    await expect(
      new GradientBoosting().fitAsync(X, y, { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
  });

  describe('bad input', () => {
    const two = [
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ];

    it('rejects a target with NaN or of the wrong length', () => {
      expectInvalid(
        () => new GradientBoosting().fit(two, [1, Number.NaN, 2, 3]),
        'GradientBoosting: y[1] is NaN; targets must be finite numbers',
      );
      expectInvalid(
        () => new GradientBoosting().fit(two, [1, 2]),
        'GradientBoosting: X has 4 rows but y has 2 values',
      );
    });

    it('needs two classes for logistic and at least two for softmax', () => {
      expectInvalid(
        () => new GradientBoosting({ objective: 'logistic' }).fit(two, [0, 1, 2, 1]),
        "GradientBoosting: the logistic objective needs exactly 2 classes, y has 3; use objective 'softmax'",
      );
      const error = thrown(() => new GradientBoosting({ objective: 'softmax' }).fit(two, [4, 4, 4, 4]));
      expect(error.code).toBe('INSUFFICIENT_DATA');
      expect(error.message).toBe('GradientBoosting needs at least 2 classes in y, but every label is 4');
    });

    it('checks monotone constraints against the features and the objective', () => {
      expectInvalid(
        () => new GradientBoosting({ monotone: [1] }).fit(two, [1, 2, 3, 4]),
        'GradientBoosting: monotone has 1 entries but X has 2 features',
      );
      const error = thrown(() =>
        new GradientBoosting({ objective: 'softmax', monotone: [1, 0] }).fit(two, [0, 1, 2, 1]),
      );
      expect(error.code).toBe('UNSUPPORTED');
      expect(error.message).toBe(
        'GradientBoosting: monotone constraints are not supported with the softmax objective',
      );
    });

    it('checks the validation set against the training data', () => {
      expectInvalid(
        () =>
          new GradientBoosting({ objective: 'logistic' }).fit(two, [0, 1, 0, 1], {
            validation: { X: [[1, 2]], y: [5] },
          }),
        'GradientBoosting: validation label 5 (row 0) is not among the training classes 0, 1',
      );
      expectInvalid(
        () => new GradientBoosting().fit(two, [1, 2, 3, 4], { validation: { X: [[1, 2, 3]], y: [1] } }),
        'GradientBoosting validation: X[0] has 3 features but the model was fitted on 2',
      );
    });

    it('needs rows left to fit after holding out the early-stopping rows', () => {
      const error = thrown(() =>
        new GradientBoosting({ earlyStoppingRounds: 5 }).fit(
          [
            [1, 2],
            [3, 4],
          ],
          [1, 2],
        ),
      );
      expect(error.code).toBe('INSUFFICIENT_DATA');
      expect(error.message).toBe(
        'GradientBoosting: holding out 1 of 2 rows for early stopping leaves 1 to fit; pass more rows or a smaller validationFraction',
      );
    });

    it('takes a logistic baseScore only as a probability', () => {
      expectInvalid(
        () => new GradientBoosting({ objective: 'logistic', baseScore: 1.5 }).fit(two, [0, 1, 0, 1]),
        'GradientBoosting: baseScore for the logistic objective is a probability in (0, 1), received 1.5',
      );
    });

    it('validates its parameters', () => {
      const invalid = (params: GradientBoostingParams, message: string) =>
        expectInvalid(() => new GradientBoosting(params), `Invalid GradientBoosting params: ${message}`);
      invalid({ rounds: 0 }, 'rounds: Too small: expected number to be >=1 (received 0)');
      invalid({ learningRate: 0 }, 'learningRate: Expected a number > 0 (received 0)');
      invalid({ maxBins: 256 }, 'maxBins: Too big: expected number to be <=255 (received 256)');
      invalid({ subsample: 0 }, 'subsample: Expected a number in (0, 1] (received 0)');
      invalid({ depth: 3 } as never, 'Unrecognized key: "depth"');
      invalid(
        { objective: 'poisson' } as never,
        'objective: Invalid option: expected one of "squared"|"absolute"|"huber"|"logistic"|"softmax" (received "poisson")',
      );
    });

    it('needs fit before predicting and the fitted number of features after', () => {
      expectInvalid(
        () => new GradientBoosting().predict([[1]]),
        'GradientBoosting is not fitted: call fit(X, y) before predict',
      );
      const fitted = new GradientBoosting({ rounds: 2 }).fit(two, [1, 2, 3, 4]);
      expectInvalid(
        () => fitted.predict([[1, 2, 3]]),
        'GradientBoosting: X[0] has 3 features but the model was fitted on 2',
      );
    });

    it('restores only its own kind of JSON, with well-formed trees', () => {
      expectInvalid(
        () => GradientBoosting.fromJSON({ kind: 'ridge', version: 1, params: {}, state: {} }),
        'Expected a gradient-boosting model\'s JSON, received kind "ridge"',
      );
      const json = new GradientBoosting({ rounds: 2, maxDepth: 2 }).fit(X, y).toJSON() as ModelJSON<
        unknown,
        GradientBoostingState
      >;
      const tree = json.state.trees[1] as TreeJSON;
      // A child pointing back at the root would make predict loop forever.
      const inner = tree.feature.findLastIndex((f) => f >= 0);
      expect(inner).toBeGreaterThan(0);
      tree.left[inner] = 0;
      expectInvalid(
        () => GradientBoosting.fromJSON(json),
        `Invalid gradient-boosting state: trees[1]: Node ${inner} needs children left, left + 1 within ${inner + 1}..${tree.feature.length - 1} (received an object)`,
      );
      const fresh = () =>
        new GradientBoosting({ rounds: 2, maxDepth: 2 }).fit(X, y).toJSON() as ModelJSON<
          unknown,
          GradientBoostingState
        >;
      const wide = fresh();
      const splitAt = (wide.state.trees[0] as TreeJSON).feature.findIndex((f) => f >= 0);
      (wide.state.trees[0] as TreeJSON).feature[splitAt] = wide.state.features;
      expectInvalid(
        () => GradientBoosting.fromJSON(wide),
        `GradientBoosting state: trees[0] splits on feature ${wide.state.features}, but the model has ${wide.state.features} features`,
      );
      const margins = fresh();
      margins.state.base = [0, 0];
      expectInvalid(
        () => GradientBoosting.fromJSON(margins),
        'GradientBoosting state: 2 starting margins and 2 trees do not fit no classes',
      );
    });

    it('rejects a starting score for the softmax objective', () => {
      expectInvalid(
        () => new GradientBoosting({ objective: 'softmax', baseScore: 0.5 }).fit(two, [0, 1, 2, 1]),
        'GradientBoosting: baseScore does not apply to the softmax objective, which starts from the log class frequencies',
      );
    });
  });
});
