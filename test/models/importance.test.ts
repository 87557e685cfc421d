import { describe, expect, it } from 'vitest';
import { featureImportance, logisticRegression, type Model, Random, ridge } from '../../src/index.js';

/** y = 3·x0 + 0.5·x1 + noise; x2 is irrelevant. */
function data(seed: number, n = 300) {
  const rng = new Random(seed);
  const X = Array.from({ length: n }, () => [rng.normal(), rng.normal(), rng.normal()]);
  const y = X.map((row) => 3 * (row[0] as number) + 0.5 * (row[1] as number) + 0.1 * rng.normal());
  return { X, y };
}

describe('featureImportance', () => {
  const train = data(1);
  const test = data(2);
  const model = ridge({ alpha: 0.1 }).fit(train.X, train.y);

  it('gives the decisive feature the largest drop and the irrelevant one about none', async () => {
    const result = await featureImportance(model, test.X, test.y, { metric: 'r2', repeats: 8, seed: 7 });
    const [decisive, weak, irrelevant] = result.mean as [number, number, number];
    expect(decisive).toBeGreaterThan(1); // R² falls by more than 1 when x0 is shuffled
    expect(weak).toBeGreaterThan(0.01);
    expect(decisive).toBeGreaterThan(weak);
    expect(Math.abs(irrelevant)).toBeLessThan(1e-3);
    expect(result.drops.map((d) => d.length)).toEqual([8, 8, 8]);
  });

  it('reports the mean and population std of the drops, measured from the baseline score', async () => {
    const result = await featureImportance(model, test.X, test.y, { metric: 'mse', repeats: 4, seed: 1 });
    const drops = result.drops[0] as number[];
    const m = drops.reduce((a, b) => a + b, 0) / 4;
    expect(result.mean[0]).toBeCloseTo(m, 12);
    expect(result.std[0]).toBeCloseTo(Math.sqrt(drops.reduce((a, b) => a + (b - m) ** 2, 0) / 4), 12);
    // an error metric: importance is the increase of the error, so still positive for a useful feature
    expect(Math.min(...drops)).toBeGreaterThan(0);
    expect(result.baseline).toBeLessThan(0.02);
  });

  it('is deterministic for a seed and changes with it', async () => {
    const a = await featureImportance(model, test.X, test.y, { seed: 5 });
    const b = await featureImportance(model, test.X, test.y, { seed: 5 });
    const c = await featureImportance(model, test.X, test.y, { seed: 6 });
    expect(b).toEqual(a);
    expect(c.drops[0]).not.toEqual(a.drops[0]);
  });

  it('does not change X', async () => {
    const copy = test.X.map((row) => [...row]);
    await featureImportance(model, test.X, test.y, { repeats: 2 });
    expect(test.X).toEqual(copy);
  });

  it('works with probabilities, custom metrics and plain async models', async () => {
    const labels = train.y.map((v) => (v > 0 ? 1 : 0));
    const classifier = logisticRegression().fit(train.X, labels);
    const auc = await featureImportance(classifier, train.X, labels, { metric: 'rocAuc', seed: 2 });
    expect(auc.mean[0]).toBeGreaterThan(auc.mean[2] as number);
    const plain: Model = { fit: () => undefined, predict: async (X) => X.map((row) => row[1] as number) };
    const custom = await featureImportance(plain, test.X, test.y, {
      metric: {
        fn: (t, p) => Array.from(t).reduce((s, v, i) => s + Math.abs(v - (p[i] as number)), 0),
        greaterIsBetter: false,
      },
    });
    expect(custom.mean[0]).toBe(0);
    expect(custom.mean[1]).toBeGreaterThan(0);
  });

  it('refuses a probability metric without predictProba and bad options', async () => {
    await expect(featureImportance(model, test.X, test.y, { metric: 'logLoss' })).rejects.toThrow(
      'featureImportance: this metric needs a model with predictProba(X)',
    );
    await expect(featureImportance(model, test.X, test.y, { repeats: 0 })).rejects.toThrow(
      'Invalid featureImportance options: repeats: Too small: expected number to be >=1 (received 0)',
    );
  });
});
