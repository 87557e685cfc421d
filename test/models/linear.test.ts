import { describe, expect, it } from 'vitest';
import { logisticRegression, modelFromJSON, ridge } from '../../src/index.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';
import { expectInvalid, thrown } from '../helpers.js';

const cases = loadReferenceCases('models');

interface LinearCase {
  X: number[][];
  y: number[];
  XTest: number[][];
}

function expectClose(actual: ArrayLike<number>, expected: readonly number[], rtol: number, atol: number) {
  expect(actual.length).toBe(expected.length);
  const bad = Array.from(actual).filter((v, i) => !close(v, expected[i] as number, rtol, atol));
  expect(bad).toEqual([]);
}

describe('ridge', () => {
  const ridgeCases = cases.filter((c) => c.fn === 'ridge');

  it('has fixture cases for both standardize settings', () => {
    expect(ridgeCases.length).toBe(18);
  });

  it.each(ridgeCases.map((c, i) => [i, c] as const))(
    'agrees with scikit-learn Ridge / StandardScaler+Ridge (case %i)',
    (_, c) => {
      const args = c.args as unknown as LinearCase & { alpha: number; standardize: boolean };
      const expected = c.expected as { coefficients: number[]; intercept: number; predictions: number[] };
      const model = ridge({ alpha: args.alpha, standardize: args.standardize }).fit(args.X, args.y);
      expectClose(model.coefficients.coefficients, expected.coefficients, 1e-9, 1e-12);
      expect(close(model.coefficients.intercept, expected.intercept, 1e-9, 1e-12)).toBe(true);
      expectClose(model.predict(args.XTest), expected.predictions, 1e-9, 1e-12);
    },
  );

  it('defaults to alpha 1 on standardised inputs', () => {
    expect(ridge().params).toEqual({ alpha: 1, standardize: true });
  });

  it('restores bit for bit from JSON', () => {
    const args = ridgeCases[0]?.args as unknown as LinearCase;
    const model = ridge({ alpha: 0.3 }).fit(args.X, args.y);
    const copy = modelFromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(copy.predict(args.XTest)).toEqual(model.predict(args.XTest));
    expect(copy.params).toEqual(model.params);
  });

  it('refuses bad inputs with messages that say what is expected', () => {
    expectInvalid(
      () => ridge({ alpha: -1 }),
      'Invalid ridge params: alpha: Too small: expected number to be >=0 (received -1)',
    );
    expectInvalid(() => ridge().fit([[1, 2], [3]], [1, 2]), 'ridge: X[1] has 1 features but X[0] has 2');
    expectInvalid(
      () => ridge().fit([[1], [Number.NaN]], [1, 2]),
      'ridge: X[1][0] is NaN; features must be finite numbers',
    );
    expectInvalid(() => ridge().fit([[1], [2]], [1]), 'ridge: X has 2 rows but y has 1 values');
    expectInvalid(
      () => ridge().fit([[1], [2]], [1, Number.POSITIVE_INFINITY]),
      'ridge: y[1] is Infinity; targets must be finite numbers',
    );
    expectInvalid(() => ridge().predict([[1]]), 'ridge is not fitted: call fit(X, y) before predict');
    expectInvalid(
      () =>
        ridge()
          .fit([[1], [2]], [1, 2])
          .predict([[1, 2]]),
      'ridge: X[0] has 2 features but the model was fitted on 1',
    );
  });

  it('says when X has no rows or alpha 0 meets collinear features', () => {
    const empty = thrown(() => ridge().fit([], []));
    expect([empty.code, empty.message]).toEqual([
      'INSUFFICIENT_DATA',
      'ridge: X needs at least 1 row, received 0',
    ]);
    const singular = thrown(() =>
      ridge({ alpha: 0, standardize: false }).fit(
        [
          [1, 5],
          [2, 5],
          [3, 5],
        ],
        [1, 2, 3],
      ),
    );
    expect([singular.code, singular.message]).toEqual([
      'INSUFFICIENT_DATA',
      "ridge: X'X is singular (collinear or constant features); use alpha > 0",
    ]);
  });
});

describe('logisticRegression', () => {
  const logisticCases = cases.filter((c) => c.fn === 'logisticRegression');

  it('has fixture cases for four values of C on two data sets', () => {
    expect(logisticCases.length).toBe(8);
  });

  interface LogisticExpected {
    coefficients: number[];
    intercept: number;
    probabilities: number[];
    predictions: number[];
    lbfgs: { coefficients: number[]; intercept: number };
  }

  /** scikit-learn's objective: ½‖w‖² + C · Σ log-loss, intercept unpenalised. */
  function objective(args: LinearCase & { C: number }, w: readonly number[], b: number): number {
    let loss = 0;
    args.X.forEach((row, i) => {
      const z = row.reduce((acc, x, j) => acc + x * (w[j] as number), b);
      loss += Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0) - (args.y[i] as number) * z;
    });
    return 0.5 * w.reduce((acc, v) => acc + v * v, 0) + args.C * loss;
  }

  it.each(logisticCases.map((c, i) => [i, c] as const))(
    'agrees with scikit-learn LogisticRegression to 1e-9 (newton-cholesky) and beats its lbfgs (case %i)',
    (_, c) => {
      const args = c.args as unknown as LinearCase & { C: number };
      const expected = c.expected as LogisticExpected;
      const model = logisticRegression({ C: args.C }).fit(args.X, args.y);
      const fitted = model.coefficients;
      expect(fitted.converged).toBe(true);
      expectClose(fitted.coefficients, expected.coefficients, 1e-9, 1e-12);
      expect(close(fitted.intercept, expected.intercept, 1e-9, 1e-12)).toBe(true);
      expectClose(model.predictProba(args.XTest), expected.probabilities, 1e-9, 1e-12);
      expect(Array.from(model.predict(args.XTest))).toEqual(expected.predictions);
      // lbfgs stops on a relative objective change of 64·eps, about 1e-5 short of the optimum: we are within
      // that distance of its coefficients and our objective is no worse than its.
      expectClose(fitted.coefficients, expected.lbfgs.coefficients, 0, 1e-4);
      expect(close(fitted.intercept, expected.lbfgs.intercept, 0, 1e-4)).toBe(true);
      const ours = objective(args, fitted.coefficients, fitted.intercept);
      const theirs = objective(args, expected.lbfgs.coefficients, expected.lbfgs.intercept);
      expect(ours).toBeLessThanOrEqual(theirs * (1 + 1e-14));
    },
  );

  it('restores bit for bit from JSON, probabilities included', () => {
    const args = logisticCases[0]?.args as unknown as LinearCase;
    const model = logisticRegression({ C: 0.5 }).fit(args.X, args.y);
    const copy = modelFromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(copy.predict(args.XTest)).toEqual(model.predict(args.XTest));
    expect(copy.predictProba?.(args.XTest)).toEqual(model.predictProba(args.XTest));
  });

  it('stays finite on separable data, where the penalty keeps the coefficients bounded', () => {
    const X = [[-2], [-1], [1], [2]];
    const model = logisticRegression({ C: 100 }).fit(X, [0, 0, 1, 1]);
    expect(model.coefficients.converged).toBe(true);
    expect(Number.isFinite(model.coefficients.coefficients[0])).toBe(true);
    expect(Array.from(model.predict(X))).toEqual([0, 0, 1, 1]);
  });

  it('refuses labels other than 0/1, a single class and bad options', () => {
    expectInvalid(
      () => logisticRegression().fit([[1], [2]], [0, 2]),
      'logisticRegression: y[1] is 2; labels must be 0 or 1',
    );
    const oneClass = thrown(() => logisticRegression().fit([[1], [2]], [1, 1]));
    expect([oneClass.code, oneClass.message]).toEqual([
      'INSUFFICIENT_DATA',
      'logisticRegression needs both classes in y, but every label is 1',
    ]);
    expectInvalid(
      () => logisticRegression({ C: 0 }),
      'Invalid logisticRegression params: C: Expected a number > 0 (received 0)',
    );
    expectInvalid(
      () => logisticRegression().predictProba([[1]]),
      'logisticRegression is not fitted: call fit(X, y) before predictProba',
    );
  });
});
