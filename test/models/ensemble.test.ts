import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimeSeriesCV } from '../../src/cv/time-series-cv.js';
import { logLoss } from '../../src/metrics/calibration.js';
import { mae, mse } from '../../src/metrics/regression.js';
import { VotingEnsemble } from '../../src/models/ensemble.js';
import { DynamicWeights, dynamicWeights } from '../../src/models/ensemble-dynamic.js';
import type { EnsembleMember } from '../../src/models/ensemble-members.js';
import { StackingEnsemble, type StackingEnsembleOptions } from '../../src/models/ensemble-stacking.js';
import { fitBlendWeights, projectOntoSimplex } from '../../src/models/ensemble-weights.js';
import type { Model, ModelJSON } from '../../src/models/model.js';
import { expectInvalid, rejection, thrown } from '../helpers.js';

type Rows = readonly (readonly number[])[];

/** A member that ignores fitting and predicts a fixed function of the row. */
function rule(name: string, f: (row: readonly number[]) => number, proba = false): EnsembleMember {
  const model = (): Model => ({
    fit: () => undefined,
    predict: (X) => X.map(f),
    ...(proba ? { predictProba: (X: Rows) => X.map(f) } : {}),
  });
  return { name, model };
}

/** Rows [t] for t = 0 … n − 1. */
const timeRows = (n: number) => Array.from({ length: n }, (_, t) => [t]);
const sumOf = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
/** scikit-learn's TimeSeriesSplit(n_splits=5): the walk-forward folds the tests pass as cv. */
const cv = new TimeSeriesCV({ method: 'expanding', nSplits: 5 });

// Reference numbers: /usr/bin/python3 with scipy 1.10 / scikit-learn 1.2 on the data below —
// scipy.optimize.minimize(method='SLSQP', bounds=[(0, 1)] * 3, constraints=[sum(w) == 1], ftol=1e-15) for log loss
// and mse, scipy.optimize.linprog(method='highs') on the linear programme of the mae, and
// LogisticRegression(C=1, solver='newton-cholesky', tol=1e-14) on [p1, p2].
const p1 = [0.9, 0.2, 0.4, 0.6, 0.3, 0.8, 0.6, 0.55, 0.45, 0.4, 0.85, 0.25];
const p2 = [0.6, 0.4, 0.5, 0.7, 0.2, 0.6, 0.3, 0.45, 0.8, 0.35, 0.6, 0.5];
const p3 = [0.3, 0.1, 0.9, 0.4, 0.6, 0.7, 0.2, 0.75, 0.5, 0.2, 0.95, 0.3];
const labels = [1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 0];
const t12 = Array.from({ length: 12 }, (_, i) => i);
const ra = t12.map((t, i) => t + ([1, -2, 0.5, 3, -1, 2, 0, -0.5, 1.5, -3, 2.5, 1][i] as number));
const rb = t12.map((t, i) => t + ([-1, 1, -0.5, -2, 2, -1, 1.5, 0.5, -1, 1, -2, 0][i] as number));
const rc = t12.map((t) => 0.8 * t + 1);
const ry = t12.map((t, i) => t + ([0.2, -0.1, 0, 0.3, -0.2, 0.1, 0, 0.1, -0.3, 0.2, 0, -0.1][i] as number));

describe('projectOntoSimplex', () => {
  it('projects onto the nearest point with non-negative weights summing to one', () => {
    expect(Array.from(projectOntoSimplex([2, 0]))).toEqual([1, 0]);
    expect(Array.from(projectOntoSimplex([0.6, 0.6, 0]))).toEqual([0.5, 0.5, 0]);
    expect(Array.from(projectOntoSimplex([0.25, 0.75]))).toEqual([0.25, 0.75]);
  });

  it('is never farther from the input than any other point of the simplex', () => {
    const vector = fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 2, maxLength: 6 });
    fc.assert(
      fc.property(
        vector,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }),
        (v, raw) => {
          const w = projectOntoSimplex(v);
          expect(Math.abs(sumOf(Array.from(w)) - 1)).toBeLessThan(1e-12);
          expect(Math.min(...w)).toBeGreaterThanOrEqual(0);
          const total = sumOf(raw.slice(0, v.length)) || 1;
          const other = raw
            .slice(0, v.length)
            .map((r) => (total === 1 && r === 0 ? 1 / v.length : r / total));
          const distance = (x: ArrayLike<number>) =>
            v.reduce((s, vi, i) => s + (vi - (x[i] as number)) ** 2, 0);
          expect(distance(w)).toBeLessThanOrEqual(distance(other) + 1e-9);
        },
      ),
    );
  });
});

describe('fitBlendWeights', () => {
  it('recovers the weights of an exact convex combination', () => {
    const a = t12.map((t) => Math.sin(t));
    const b = t12.map((t) => Math.cos(t) * 2);
    const c = t12.map((t) => t / 3);
    const y = t12.map((_, i) => 0.2 * (a[i] as number) + 0.5 * (b[i] as number) + 0.3 * (c[i] as number));
    const fit = fitBlendWeights([a, b, c], y);
    fit.weights.forEach((w, j) => {
      expect(w).toBeCloseTo([0.2, 0.5, 0.3][j] as number, 7);
    });
    expect(fit.loss).toBeLessThan(1e-14);
    expect(fit.converged).toBe(true);
  });

  it('stops at the edge of the simplex when the unconstrained optimum lies outside', () => {
    const a = [1, 2, 3, 5];
    const b = [2, 1, 0, 4];
    const y = a.map((v, i) => 1.5 * v - 0.5 * (b[i] as number)); // w = 1.5 without the constraint
    expect(fitBlendWeights([a, b], y).weights).toEqual([1, 0]);
  });

  it('agrees with scipy SLSQP on the mean squared error', () => {
    const fit = fitBlendWeights([ra, rb, rc], ry, { loss: 'mse' });
    [0.28382604074881596, 0.35921786842908776, 0.35695609082209634].forEach((w, j) => {
      expect(fit.weights[j]).toBeCloseTo(w, 6);
    });
    expect(fit.loss).toBeCloseTo(0.16297264130378175, 12);
  });

  it('agrees with scipy SLSQP on the log loss, and reports the log loss of the blend', () => {
    const fit = fitBlendWeights([p1, p2, p3], labels, { loss: 'logLoss' });
    [0.31912826340353756, 0.5635389797458566, 0.11733275685060579].forEach((w, j) => {
      expect(fit.weights[j]).toBeCloseTo(w, 5);
    });
    const blend = p1.map((_, i) =>
      fit.weights.reduce((s, w, j) => s + w * ([p1, p2, p3][j]?.[i] as number), 0),
    );
    expect(fit.loss).toBeCloseTo(logLoss(labels, blend), 12);
    expect(fit.loss).toBeCloseTo(0.4593676899596198, 10);
  });

  it('agrees with the linear-programming optimum of the mean absolute error', () => {
    const fit = fitBlendWeights([ra, rb, rc], ry, { loss: 'mae' });
    [0.33076923076923065, 0.39999999999999997, 0.26923076923076944].forEach((w, j) => {
      expect(fit.weights[j]).toBeCloseTo(w, 5);
    });
    expect(fit.loss).toBeGreaterThanOrEqual(0.28141025641025635 - 1e-12);
    expect(fit.loss).toBeLessThan(0.28141025641025635 + 1e-8);
    const blend = ry.map((_, i) =>
      fit.weights.reduce((s, w, j) => s + w * ([ra, rb, rc][j]?.[i] as number), 0),
    );
    expect(fit.loss).toBeCloseTo(mae(ry, blend), 12);
  });

  it('minimises a custom loss with numerical gradients to the same weights as the built-in one', () => {
    const builtIn = fitBlendWeights([ra, rb, rc], ry, { loss: 'mse' });
    const custom = fitBlendWeights([ra, rb, rc], ry, { loss: { name: 'my mse', fn: mse } });
    custom.weights.forEach((w, j) => {
      expect(w).toBeCloseTo(builtIn.weights[j] as number, 5);
    });
  });

  it('is deterministic', () => {
    const first = fitBlendWeights([p1, p2, p3], labels, { loss: 'logLoss' });
    expect(fitBlendWeights([p1, p2, p3], labels, { loss: 'logLoss' })).toEqual(first);
  });

  it('refuses malformed inputs with a message saying what is expected', () => {
    expectInvalid(
      () => fitBlendWeights([[1, 2]], [1]),
      'predictions[0] and y must have the same length, but predictions[0] has 2 and y has 1',
    );
    expectInvalid(
      () => fitBlendWeights([[0.5], [0.2]], [2], { loss: 'logLoss' }),
      'logLoss and brierScore need targets of 0 or 1, but y[0] is 2',
    );
    expectInvalid(
      () => fitBlendWeights([[1], [Number.NaN]], [1]),
      'predictions[1] must contain only finite numbers, but predictions[1][0] is NaN',
    );
    expect(thrown(() => fitBlendWeights([], [1])).code).toBe('INSUFFICIENT_DATA');
    expect(thrown(() => fitBlendWeights([[1], [2]], [1], { loss: 'hinge' as 'mse' })).message).toMatch(
      /^Invalid fitBlendWeights options: loss: /,
    );
  });
});

describe('VotingEnsemble', () => {
  const up = rule('up', ([t]) => (t as number) + 1);
  const down = rule('down', ([t]) => (t as number) - 3);

  it('averages predictions with the given weights, normalised to sum to one', async () => {
    const ensemble = new VotingEnsemble({ members: [up, down], weights: [3, 1] });
    await ensemble.fit(
      timeRows(10),
      timeRows(10).map(([t]) => t as number),
    );
    expect(ensemble.weights).toEqual({ up: 0.75, down: 0.25 });
    expect(await ensemble.predict([[10], [20]])).toEqual([10, 20]);
  });

  it('fits weights on out-of-fold predictions: the mix of +1 and −3 biases that cancels', async () => {
    const ensemble = new VotingEnsemble({ members: [up, down], weights: 'fit', cv });
    await ensemble.fit(
      timeRows(60),
      timeRows(60).map(([t]) => t as number),
    );
    expect(ensemble.weights.up).toBeCloseTo(0.75, 8);
    expect(ensemble.weights.down).toBeCloseTo(0.25, 8);
    expect(ensemble.weightFit?.loss).toBeLessThan(1e-12);
  });

  it('refits every member on all the data after the out-of-fold fits', async () => {
    const sizes: number[] = [];
    const spy: EnsembleMember = {
      name: 'spy',
      model: () => ({ fit: (X: Rows) => void sizes.push(X.length), predict: (X: Rows) => X.map(() => 0) }),
    };
    const ensemble = new VotingEnsemble({
      members: [spy, up],
      weights: 'fit',
      cv: new TimeSeriesCV({ method: 'expanding', nSplits: 3 }),
    });
    await ensemble.fit(
      timeRows(40),
      timeRows(40).map(([t]) => t as number),
    );
    expect(sizes).toEqual([10, 20, 30, 40]); // three expanding folds, then all 40 rows
  });

  it('soft-votes probabilities for classification and thresholds them in predict', async () => {
    const ensemble = new VotingEnsemble({
      task: 'classification',
      members: [rule('a', ([x]) => x as number, true), rule('b', ([, x]) => x as number, true)],
      weights: [1, 3],
    });
    await ensemble.fit(
      [
        [0.2, 0.4],
        [0.9, 0.8],
      ],
      [0, 1],
    );
    const X = [
      [0.2, 0.4],
      [0.9, 0.2],
      [0.4, 0.7],
    ];
    const proba = await ensemble.predictProba(X);
    [0.35, 0.375, 0.625].forEach((p, i) => {
      expect(proba[i]).toBeCloseTo(p, 12);
    });
    expect(await ensemble.predict(X)).toEqual([0, 0, 1]);
  });

  it('splits each prediction into a baseline and per-member contributions that add up to it', async () => {
    const noisy = rule('noisy', ([t]) => (t as number) + Math.sin(5 * (t as number)));
    const ensemble = new VotingEnsemble({ members: [up, down, noisy], weights: 'fit', cv });
    const X = timeRows(50);
    await ensemble.fit(
      X,
      X.map(([t]) => (t as number) + 0.5 * Math.cos(t as number)),
    );
    const predictions = await ensemble.predict([[50], [51], [52]]);
    const parts = ensemble.contributions();
    expect(parts.scale).toBe('prediction');
    predictions.forEach((p, i) => {
      const total = parts.baseline + sumOf(Object.values(parts.members).map((c) => c[i] as number));
      expect(total).toBeCloseTo(p, 10);
      expect(parts.predictions[i]).toBeCloseTo(p, 12);
    });
    // A member with weight 0 moves nothing.
    const zero = Object.entries(ensemble.weights).find(([, w]) => w === 0);
    if (zero !== undefined) expect(parts.members[zero[0]]).toEqual([0, 0, 0]);
  });

  it('adds up contributions to every prediction, whatever the weights and member outputs', async () => {
    const weight = fc.double({ min: 0, max: 10, noNaN: true });
    await fc.assert(
      fc.asyncProperty(fc.tuple(weight, weight, weight), fc.integer({ min: 1, max: 9 }), async (w, seed) => {
        fc.pre(w[0] + w[1] + w[2] > 0);
        const members = [0, 1, 2].map((j) =>
          rule(`m${j}`, ([t]) => Math.sin((j + 1) * seed * (t as number))),
        );
        const ensemble = new VotingEnsemble({ members, weights: w });
        await ensemble.fit(
          timeRows(8),
          timeRows(8).map(([t]) => t as number),
        );
        const predictions = await ensemble.predict([[8], [9], [10]]);
        const parts = ensemble.contributions();
        predictions.forEach((p, i) => {
          const total = parts.baseline + sumOf(Object.values(parts.members).map((c) => c[i] as number));
          expect(Math.abs(total - p)).toBeLessThan(1e-12);
        });
      }),
      { numRuns: 50 },
    );
  });

  it('measures contributions from the members’ mean training predictions with fixed weights', async () => {
    const ensemble = new VotingEnsemble({ members: [up, down], weights: [1, 1] });
    await ensemble.fit(timeRows(5), [0, 1, 2, 3, 4]); // up's mean prediction 3, down's −1
    await ensemble.predict([[10]]);
    const parts = ensemble.contributions();
    expect(parts.baseline).toBeCloseTo(1, 12);
    expect(parts.members).toEqual({ up: [4], down: [4] }); // 0.5 · (11 − 3), 0.5 · (7 − (−1))
  });

  it('works as a model inside TimeSeriesCV.validate', async () => {
    const X = timeRows(30);
    const y = X.map(([t]) => t as number);
    const outer = new TimeSeriesCV({ method: 'expanding', nSplits: 3 });
    const result = await outer.validate(
      () => new VotingEnsemble({ members: [up, down], weights: [3, 1] }),
      X,
      y,
      {
        metrics: ['mae'],
      },
    );
    expect(result.mean.mae).toBeCloseTo(0, 12);
  });

  it('refuses bad options and inputs with messages saying what is expected', async () => {
    expectInvalid(
      () => new VotingEnsemble({ members: [up] }),
      'Invalid VotingEnsemble options: members: Too small: expected array to have >=2 items (received an array of 1)',
    );
    expectInvalid(
      () => new VotingEnsemble({ members: [up, up] }),
      'Invalid VotingEnsemble options: members: member names must be unique (received an array of 2)',
    );
    expectInvalid(
      () => new VotingEnsemble({ members: [up, down], weights: [1] }),
      'Invalid VotingEnsemble options: weights must hold 2 finite non-negative numbers (one per member) with a positive sum, received 1 summing to 1',
    );
    expectInvalid(
      () => new VotingEnsemble({ members: [up, down], weights: 'fit', loss: 'logLoss', cv }),
      "Invalid VotingEnsemble options: loss logLoss needs probabilities; use task: 'classification'",
    );
    expectInvalid(
      () => new VotingEnsemble({ members: [up, down], weights: 'fit' }),
      "Invalid VotingEnsemble options: weights: 'fit' needs cv, a walk-forward splitter such as new TimeSeriesCV({ method: 'expanding', nSplits: 5 }), for the out-of-fold predictions the weights are fitted on",
    );
    const unfitted = new VotingEnsemble({ members: [up, down] });
    expect((await rejection(unfitted.predict([[1]]))).message).toBe(
      'The VotingEnsemble must be fitted before it predicts: call fit(X, y)',
    );
    expectInvalid(
      () => unfitted.contributions(),
      'contributions() needs a prediction first: call predict(X) or predictProba(X)',
    );
    expect((await rejection(unfitted.predictProba([[1]]))).code).toBe('UNSUPPORTED');
    const classifier = new VotingEnsemble({ task: 'classification', members: [up, down] });
    expect((await rejection(classifier.fit([[1]], [1]))).message).toBe(
      'Member "up": a classification ensemble needs members with predictProba(X)',
    );
    expect((await rejection(classifier.fit([[1], [2]], [0, 2]))).message).toBe(
      'A classification ensemble needs targets of 0 or 1, but y[1] is 2',
    );
    const short: EnsembleMember = {
      name: 'short',
      model: () => ({ fit: () => undefined, predict: () => [1] }),
    };
    const broken = new VotingEnsemble({ members: [up, short] });
    expect((await rejection(broken.fit([[1], [2]], [1, 2]))).message).toBe(
      'Member "short": predict returned 1 values for 2 rows',
    );
  });

  it('refuses folds that train on rows after those they test', async () => {
    const ensemble = new VotingEnsemble({
      members: [up, down],
      weights: 'fit',
      cv: new TimeSeriesCV({ method: 'purged-kfold', nSplits: 3 }),
    });
    expect(
      (
        await rejection(
          ensemble.fit(
            timeRows(30),
            timeRows(30).map(([t]) => t as number),
          ),
        )
      ).message,
    ).toBe(
      "Fold 0 trains on row 29, at or after its first test row 0; ensembles need walk-forward folds (TimeSeriesCV method 'expanding' or 'sliding') so that no member is trained on rows after those it predicts",
    );
  });
});

describe('StackingEnsemble', () => {
  it('never shows the meta-model a member’s prediction for a row that member was trained on, or saw anything after', async () => {
    // Each member copy encodes (copy id, row) in its prediction, so the meta-model's inputs can be traced back.
    const trainedRows = new Map<number, number[]>();
    let copies = 0;
    const tracer = (name: string): EnsembleMember => ({
      name,
      model: () => {
        const id = ++copies;
        return {
          fit: (X: Rows) =>
            void trainedRows.set(
              id,
              X.map(([row]) => row as number),
            ),
          predict: (X: Rows) => X.map(([row]) => id * 1000 + (row as number)),
        };
      },
    });
    const seen: number[][] = [];
    const meta = (): Model => ({
      fit: (X: Rows) => void seen.push(...X.map((r) => [...r])),
      predict: (X) => X.map(() => 0),
    });
    const stack = new StackingEnsemble({
      members: [tracer('a'), tracer('b')],
      metaModel: meta,
      cv: new TimeSeriesCV({ method: 'sliding', trainSize: 10, testSize: 5, gap: 2 }),
    });
    await stack.fit(
      timeRows(47),
      timeRows(47).map(([t]) => t as number),
    );
    expect(seen.length).toBeGreaterThan(20);
    for (const row of seen) {
      for (const value of row) {
        const id = Math.floor(value / 1000);
        const predicted = value % 1000;
        const trained = trainedRows.get(id) as number[];
        expect(trained).not.toContain(predicted);
        expect(Math.max(...trained)).toBeLessThan(predicted);
      }
    }
  });

  it('learns the least-squares combination of the members by default', async () => {
    const X = Array.from({ length: 40 }, (_, t) => [Math.sin(t), Math.cos(3 * t)]);
    const y = X.map(([a, b]) => 3 + 2 * (a as number) - (b as number));
    const stack = new StackingEnsemble({
      members: [rule('a', ([a]) => a as number), rule('b', ([, b]) => b as number)],
      cv,
    });
    await stack.fit(X, y);
    const meta = stack.metaCoefficients;
    expect(meta?.intercept).toBeCloseTo(3, 10);
    expect(meta?.coefficients.a).toBeCloseTo(2, 10);
    expect(meta?.coefficients.b).toBeCloseTo(-1, 10);
    const predictions = await stack.predict([[0.5, 0.25]]);
    expect(predictions[0]).toBeCloseTo(3.75, 10);
    const parts = stack.contributions();
    expect(parts.baseline + (parts.members.a?.[0] as number) + (parts.members.b?.[0] as number)).toBeCloseTo(
      3.75,
      10,
    );
  });

  it('fits a logistic meta-model for classification that agrees with scikit-learn', async () => {
    // One fold that tests every row but the first: X's first column is the row index, so the meta-model sees
    // p1 and p2 at rows 1 … 12.
    const splitter = {
      split: (n: number) => [{ train: [0], test: Array.from({ length: n - 1 }, (_, i) => i + 1) }],
    };
    const at = (p: number[]) => (row: readonly number[]) =>
      row[0] === 0 ? 0.5 : (p[(row[0] as number) - 1] as number);
    const stack = new StackingEnsemble({
      task: 'classification',
      members: [rule('p1', at(p1), true), rule('p2', at(p2), true)],
      cv: splitter,
    });
    const X = Array.from({ length: 13 }, (_, i) => [i]);
    await stack.fit(X, [0, ...labels]);
    const meta = stack.metaCoefficients;
    expect(meta?.coefficients.p1).toBeCloseTo(0.7100175017598049, 12);
    expect(meta?.coefficients.p2).toBeCloseTo(0.7088666984490127, 12);
    expect(meta?.intercept).toBeCloseTo(-0.7271862995251396, 12);
    const proba = await stack.predictProba([[1], [2]]);
    const parts = stack.contributions();
    expect(parts.scale).toBe('logOdds');
    proba.forEach((p, i) => {
      const logOdds = parts.baseline + (parts.members.p1?.[i] as number) + (parts.members.p2?.[i] as number);
      expect(logOdds).toBeCloseTo(Math.log(p / (1 - p)), 10);
    });
  });

  it('has no contributions with a meta-model of its own', async () => {
    const stack = new StackingEnsemble({
      members: [rule('a', ([t]) => t as number), rule('b', ([t]) => 2 * (t as number))],
      metaModel: () => ({ fit: () => undefined, predict: (X) => X.map((r) => Math.max(...r)) }),
      cv,
    });
    await stack.fit(
      timeRows(30),
      timeRows(30).map(([t]) => t as number),
    );
    expect(await stack.predict([[4]])).toEqual([8]);
    expect(stack.metaCoefficients).toBeUndefined();
    expect(thrown(() => stack.contributions()).code).toBe('UNSUPPORTED');
  });

  it('refuses a classification meta-model without predictProba', async () => {
    const stack = new StackingEnsemble({
      task: 'classification',
      members: [rule('a', () => 0.3, true), rule('b', () => 0.6, true)],
      metaModel: () => ({ fit: () => undefined, predict: (X) => X.map(() => 0) }),
      cv,
    });
    const X = timeRows(12);
    expect(
      (
        await rejection(
          stack.fit(
            X,
            X.map(([t]) => (t as number) % 2),
          ),
        )
      ).message,
    ).toBe('A classification StackingEnsemble needs a metaModel with predictProba(X)');
  });

  it('refuses to stack without cv, saying what to pass', () => {
    const members = [rule('a', ([t]) => t as number), rule('b', ([t]) => 2 * (t as number))];
    expectInvalid(
      () => new StackingEnsemble({ members } as unknown as StackingEnsembleOptions),
      "Invalid StackingEnsemble options: stacking needs cv, a walk-forward splitter such as new TimeSeriesCV({ method: 'expanding', nSplits: 5 }), for the out-of-fold predictions the meta-model learns from",
    );
  });
});

describe('DynamicWeights', () => {
  it('weights members by their exponentially decayed mean loss (inverse loss)', () => {
    const combiner = dynamicWeights({ members: ['a', 'b'], halfLife: 1 });
    combiner.update([1, 3], 2); // squared losses 1, 1
    combiner.update([2, 4], 2); // squared losses 0, 4; λ = 0.5: L = (0.5, 4.5) / 1.5 = (1/3, 3)
    expect(combiner.losses.a).toBeCloseTo(1 / 3, 14);
    expect(combiner.losses.b).toBeCloseTo(3, 14);
    expect(combiner.weights.a).toBeCloseTo(0.9, 10); // 3 / (3 + 1/3)
    expect(combiner.combine([10, 20])).toBeCloseTo(11, 9);
  });

  it('weights members by softmax of their decayed losses', () => {
    const combiner = new DynamicWeights({
      members: ['a', 'b'],
      halfLife: 1,
      method: 'softmax',
      temperature: 1,
    });
    combiner.update([1, 3], 2);
    combiner.update([2, 4], 2);
    expect(combiner.weights.a).toBeCloseTo(1 / (1 + Math.exp(-8 / 3)), 12);
  });

  it('halves the weight of an observation every halfLife updates', () => {
    const combiner = dynamicWeights({ members: ['a', 'b'], halfLife: 3, loss: 'absolute' });
    combiner.update([1, 0], 0); // a loses 1 once
    for (let i = 0; i < 3; i++) combiner.update([0, 0], 0);
    // Σλ^age over four updates with λ = 2^(−1/3); the first one now counts 1/2.
    const lambda = 2 ** (-1 / 3);
    expect(combiner.losses.a).toBeCloseTo(0.5 / (1 + lambda + lambda ** 2 + lambda ** 3), 12);
  });

  it('keeps equal weights until minObservations outcomes have arrived', () => {
    const combiner = dynamicWeights({ members: ['a', 'b', 'c'], minObservations: 2, loss: 'logLoss' });
    combiner.update([0.9, 0.1, 0.5], 1);
    expect(combiner.weights).toEqual({ a: 1 / 3, b: 1 / 3, c: 1 / 3 });
    combiner.update([0.8, 0.2, 0.5], 1);
    expect(combiner.weights.a).toBeGreaterThan(combiner.weights.c as number);
    expect(sumOf(Object.values(combiner.weights))).toBeCloseTo(1, 14);
  });

  it('round-trips through JSON', () => {
    const combiner = dynamicWeights({ members: ['a', 'b'], halfLife: 4 });
    combiner.update([1, 2], 1.5);
    combiner.update([1, 3], 1);
    const restored = DynamicWeights.fromJSON(JSON.parse(JSON.stringify(combiner)));
    restored.update([0, 1], 1);
    combiner.update([0, 1], 1);
    expect(restored.weights).toEqual(combiner.weights);
    expect(restored.observations).toBe(3);
  });

  it('refuses bad options and inputs with messages saying what is expected', () => {
    expectInvalid(
      () => dynamicWeights({ members: ['a', 'b'], halfLife: 0 }),
      'Invalid DynamicWeights options: halfLife: Too small: expected number to be >0 (received 0)',
    );
    const combiner = dynamicWeights({ members: ['a', 'b'], loss: 'logLoss' });
    expectInvalid(
      () => combiner.update([0.5], 1),
      'predictions must hold one value per member (2: a, b), received 1',
    );
    expectInvalid(
      () => combiner.update([0.5, 1.5], 1),
      "With loss 'logLoss', predictions are probabilities in [0, 1], but predictions[1] is 1.5",
    );
    expectInvalid(
      () => combiner.update([0.5, 0.5], 2),
      "With loss 'logLoss', actual must be 0 or 1, received 2",
    );
    expectInvalid(
      () => combiner.update([0.5, 0.5], Number.NaN),
      'actual must be a finite number, received NaN',
    );
  });
});

describe('ensembles as JSON', () => {
  /** A storable member: predicts factor · x + the training mean of y − factor · x. */
  function shifted(factor: number): Model {
    let bias = 0;
    return {
      params: { factor },
      fit: (X, y) => {
        const residuals = X.map(([x], i) => (y[i] as number) - factor * (x as number));
        bias = sumOf(residuals) / residuals.length;
      },
      predict: (X) => X.map(([x]) => factor * (x as number) + bias),
      predictProba: (X) => X.map(([x]) => 1 / (1 + Math.exp(-(factor * (x as number) + bias)))),
      toJSON: () => ({ kind: 'shifted', version: 1, params: { factor }, state: { bias } }),
    };
  }
  const restore = (json: ModelJSON): Model => {
    const model = shifted((json.params as { factor: number }).factor);
    // Fitting on one row whose target makes the stored bias reappear restores the state exactly.
    model.fit([[0]], [(json.state as { bias: number }).bias]);
    return model;
  };
  const members = [
    { name: 'slow', model: () => shifted(0.5) },
    { name: 'fast', model: () => shifted(2) },
  ];
  const X = Array.from({ length: 40 }, (_, t) => [Math.sin(t) + t / 10]);
  const y = X.map(([x], t) => 1.2 * (x as number) + 0.3 * Math.cos(t));

  it('restores a fitted voting ensemble that predicts and explains exactly as the original', async () => {
    const ensemble = new VotingEnsemble({ members, weights: 'fit', loss: 'mae', cv });
    await ensemble.fit(X, y);
    const json = JSON.parse(JSON.stringify(ensemble.toJSON()));
    expect(json.kind).toBe('voting-ensemble');
    expect(json.params).toEqual({
      task: 'regression',
      members: ['slow', 'fast'],
      weights: 'fit',
      loss: 'mae',
      threshold: 0.5,
    }); // no splitter: the JSON stores none
    const restored = VotingEnsemble.fromJSON(json, restore);
    const XNew = [[4.5], [5.1]];
    expect(await restored.predict(XNew)).toEqual(await ensemble.predict(XNew));
    expect(restored.contributions()).toEqual(ensemble.contributions());
    expect(restored.weights).toEqual(ensemble.weights);
    // Refitting needs folds again: refused without cv, identical to the original with the same cv.
    expect((await rejection(restored.fit(X, y))).message).toBe(
      "This VotingEnsemble was restored from JSON without cv, which fitting it again needs: pass VotingEnsemble.fromJSON(json, restoreMember, { cv }) with a walk-forward splitter such as new TimeSeriesCV({ method: 'expanding', nSplits: 5 })",
    );
    const refittable = VotingEnsemble.fromJSON(json, restore, { cv });
    await refittable.fit(X, y);
    expect(refittable.weights).toEqual(ensemble.weights);
    expect(await refittable.predict(XNew)).toEqual(await ensemble.predict(XNew));
  });

  it('restores a voting ensemble with fixed weights that refits without cv', async () => {
    const ensemble = new VotingEnsemble({ members, weights: [1, 3] });
    await ensemble.fit(X, y);
    const restored = VotingEnsemble.fromJSON(JSON.parse(JSON.stringify(ensemble.toJSON())), restore);
    expect(await restored.predict([[2.2]])).toEqual(await ensemble.predict([[2.2]]));
    await restored.fit(X.slice(0, 20), y.slice(0, 20));
    await ensemble.fit(X.slice(0, 20), y.slice(0, 20));
    expect(await restored.predict([[2.2]])).toEqual(await ensemble.predict([[2.2]]));
  });

  it('restores fitted stacks, with the default meta-model for regression and classification', async () => {
    const stack = new StackingEnsemble({ members, cv });
    await stack.fit(X, y);
    const json = JSON.parse(JSON.stringify(stack.toJSON()));
    expect(json.params).toEqual({ task: 'regression', members: ['slow', 'fast'], metaModel: 'default' });
    const restored = StackingEnsemble.fromJSON(json, restore);
    expect(await restored.predict([[3.3]])).toEqual(await stack.predict([[3.3]]));
    expect(restored.metaCoefficients).toEqual(stack.metaCoefficients);
    expect((await rejection(restored.fit(X, y))).message).toBe(
      "This StackingEnsemble was restored from JSON without cv, which fitting it again needs: pass StackingEnsemble.fromJSON(json, restoreMember, { cv }) with a walk-forward splitter such as new TimeSeriesCV({ method: 'expanding', nSplits: 5 })",
    );
    const refittable = StackingEnsemble.fromJSON(json, restore, { cv });
    await refittable.fit(X.slice(0, 30), y.slice(0, 30));
    await stack.fit(X.slice(0, 30), y.slice(0, 30));
    expect(refittable.metaCoefficients).toEqual(stack.metaCoefficients);
    expect(await refittable.predict([[3.3]])).toEqual(await stack.predict([[3.3]]));

    const labels01 = y.map((v, t) => (v > (y[t - 1] ?? 0) ? 1 : 0));
    const classifier = new StackingEnsemble({ members, task: 'classification', cv });
    await classifier.fit(X, labels01);
    const copy = StackingEnsemble.fromJSON(JSON.parse(JSON.stringify(classifier.toJSON())), restore);
    expect(await copy.predictProba([[1.5], [2.5]])).toEqual(await classifier.predictProba([[1.5], [2.5]]));
  });

  it('refuses to store an unfitted ensemble or a member without toJSON', async () => {
    expectInvalid(
      () => new VotingEnsemble({ members }).toJSON(),
      'VotingEnsemble is not fitted: call fit(X, y) before toJSON()',
    );
    const plain = new VotingEnsemble({ members: [...members, rule('plain', () => 0)] });
    await plain.fit(X, y);
    const error = thrown(() => plain.toJSON());
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toBe(
      'VotingEnsemble: member "plain" has no toJSON(), so the ensemble cannot be stored',
    );
  });
});
