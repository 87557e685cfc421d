import { describe, expect, it } from 'vitest';
import { fStatistic, mutualInformation, selectFeatures } from '../../src/index.js';
import { close, loadReferenceCases, type ReferenceCase } from '../fixtures/reference.js';
import { expectInvalid } from '../helpers.js';

const cases = loadReferenceCases('models');

interface Data {
  X: number[][];
  y: number[];
}

function allClose(actual: readonly number[], expected: readonly number[], rtol: number, atol: number) {
  expect(actual.length).toBe(expected.length);
  return actual.every((v, i) => close(v, expected[i] as number, rtol, atol));
}

describe('fStatistic', () => {
  const fCases = cases.filter((c) => c.fn === 'fRegression' || c.fn === 'fClassif');

  it.each(fCases.map((c, i) => [i, c.fn, c] as const))(
    'agrees with scikit-learn to 1e-9 (case %i, %s)',
    (_, fn, c) => {
      const { X, y } = c.args as unknown as Data;
      const expected = c.expected as { scores: number[]; pValues: number[] };
      const result = fStatistic(X, y, fn === 'fRegression' ? 'regression' : 'classification');
      expect(allClose(result.scores, expected.scores, 1e-9, 1e-12)).toBe(true);
      expect(allClose(result.pValues, expected.pValues, 1e-9, 1e-300)).toBe(true);
    },
  );

  it('refuses a single class', () => {
    const error = () => fStatistic([[1], [2], [3]], [1, 1, 1], 'classification');
    expect(error).toThrow(
      'fStatistic needs at least 2 classes and more rows than classes, received 1 classes in 3 rows',
    );
  });
});

describe('mutualInformation', () => {
  // scikit-learn adds noise of 1e-10·max(1, mean |x|) to continuous columns to break ties. The fixture's data are
  // unrounded normal and uniform draws with no ties, so the noise moves no neighbour count: the estimates agree
  // to rounding (the digamma sums), and we compare the values themselves, not just their ranking.
  const miCases = cases.filter((c) => c.fn === 'mutualInfoRegression' || c.fn === 'mutualInfoClassif');

  it.each(miCases.map((c, i) => [i, c.fn, c] as const))(
    'agrees with scikit-learn (n_neighbors = 3) to 1e-9 (case %i, %s)',
    (_, fn, c) => {
      const { X, y } = c.args as unknown as Data;
      const expected = (c.expected as { scores: number[] }).scores;
      const scores = mutualInformation(X, y, fn === 'mutualInfoRegression' ? 'regression' : 'classification');
      expect(allClose(scores, expected, 1e-9, 1e-12)).toBe(true);
    },
  );

  it('finds the non-linear dependence that the F-test misses', () => {
    const c = cases.find(
      (k) => k.fn === 'mutualInfoRegression' && (k.args as unknown as Data).y.length === 200,
    );
    const { X, y } = (c as ReferenceCase).args as unknown as Data;
    // column 3 enters the target as its square: uncorrelated, yet informative
    const mi = mutualInformation(X, y);
    const f = fStatistic(X, y).scores;
    expect(mi[3]).toBeGreaterThan(mi[0] as number);
    expect(f[3]).toBeLessThan(f[2] as number);
  });

  it('refuses a non-positive neighbour count', () => {
    expectInvalid(
      () => mutualInformation([[1], [2]], [1, 2], 'regression', 0),
      'mutualInformation: neighbors must be a positive integer, received 0',
    );
  });
});

describe('selectFeatures', () => {
  const c = cases.find((k) => k.fn === 'fRegression' && (k.args as unknown as Data).y.length === 200);
  const { X, y } = (c as ReferenceCase).args as unknown as Data;

  it('keeps the k best features by F-statistic, best first, with their columns', async () => {
    const expected = ((c as ReferenceCase).expected as { scores: number[] }).scores;
    const order = expected.map((_, j) => j).sort((a, b) => (expected[b] as number) - (expected[a] as number));
    const result = await selectFeatures(X, y, { k: 2 });
    expect(result.selected).toEqual(order.slice(0, 2));
    expect(result.X[5]).toEqual(result.selected.map((j) => X[5]?.[j]));
  });

  it('ranks by mutual information and by permutation importance', async () => {
    const byMi = await selectFeatures(X, y, { k: 2, by: 'mutual-information' });
    expect(byMi.selected).toContain(1);
    expect(byMi.selected).toContain(3);
    const { ridge } = await import('../../src/index.js');
    const byImportance = await selectFeatures(X, y, {
      k: 1,
      by: 'importance',
      model: () => ridge(),
      seed: 3,
    });
    expect(byImportance.selected).toEqual([1]);
  });

  it('refuses k above the feature count and importance without a model', async () => {
    await expect(selectFeatures(X, y, { k: 9 })).rejects.toThrow(
      'selectFeatures: k is 9 but X has only 5 features',
    );
    await expect(selectFeatures(X, y, { k: 1, by: 'importance' })).rejects.toThrow(
      "selectFeatures by 'importance' needs a model factory: { model: () => Model }",
    );
  });
});

describe('task', () => {
  it('must be regression or classification', () => {
    expect(() => fStatistic([[1], [2], [3]], [1, 2, 3], 'ranking' as never)).toThrow(
      'fStatistic: task must be "regression" or "classification", received "ranking"',
    );
  });
});
