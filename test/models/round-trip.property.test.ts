import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logisticRegression, modelFromJSON, persistence, ridge, seasonalNaive } from '../../src/index.js';

const row = fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 3, maxLength: 3 });
const data = fc.array(fc.tuple(row, fc.double({ min: -1e3, max: 1e3, noNaN: true })), {
  minLength: 4,
  maxLength: 30,
});

describe('JSON round trips (property)', () => {
  it('a restored ridge predicts exactly what the original did, for any data and alpha', () => {
    fc.assert(
      fc.property(
        data,
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        fc.boolean(),
        (pairs, alpha, standardize) => {
          const X = pairs.map(([x]) => x);
          const model = ridge({ alpha, standardize }).fit(
            X,
            pairs.map(([, t]) => t),
          );
          const copy = modelFromJSON(JSON.parse(JSON.stringify(model.toJSON())));
          expect(copy.predict(X)).toEqual(model.predict(X));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a restored logistic regression gives exactly the same probabilities', () => {
    fc.assert(
      fc.property(data, fc.double({ min: 1e-2, max: 1e2, noNaN: true }), (pairs, C) => {
        const X = pairs.map(([x]) => x);
        const labels = pairs.map(([, t], i) => (i < 2 ? i : t > 0 ? 1 : 0)); // both classes present
        const model = logisticRegression({ C }).fit(X, labels);
        const copy = modelFromJSON(JSON.parse(JSON.stringify(model.toJSON())));
        expect(copy.predictProba?.(X)).toEqual(model.predictProba(X));
      }),
      { numRuns: 40 },
    );
  });

  it('baselines restore exactly, whatever the training values', () => {
    fc.assert(
      fc.property(data, fc.integer({ min: 1, max: 4 }), (pairs, season) => {
        const X = pairs.map(([x]) => x);
        const y = pairs.map(([, t]) => t);
        for (const model of [persistence().fit(X, y), seasonalNaive({ season }).fit(X, y)]) {
          const copy = modelFromJSON(JSON.parse(JSON.stringify(model.toJSON())));
          expect(copy.predict(X)).toEqual(model.predict(X));
        }
      }),
      { numRuns: 60 },
    );
  });
});
