import { describe, expect, it } from 'vitest';
import {
  historicMean,
  type Model,
  type ModelJSON,
  modelFromJSON,
  registeredModelKinds,
  registerModel,
  ridge,
  TimeSeriesCV,
} from '../../src/index.js';
import { expectInvalid, thrown } from '../helpers.js';

/** A user's own model: a constant, stored as JSON. */
function constant(value = 0): Model & { toJSON(): ModelJSON } {
  let level = value;
  return {
    params: {},
    fit: (_X, y) => {
      level = Math.max(...Array.from(y));
    },
    predict: (X) => X.map(() => level),
    toJSON: () => ({ kind: 'test-max', version: 1, params: {}, state: { level } }),
  };
}
const restoreConstant = (json: ModelJSON) => constant((json.state as { level: number }).level);

describe('model registry', () => {
  it('lists the built-in kinds', () => {
    expect(registeredModelKinds()).toEqual(
      expect.arrayContaining([
        'historic-mean',
        'logistic-regression',
        'persistence',
        'ridge',
        'seasonal-naive',
      ]),
    );
  });

  it('restores a registered user model by its kind', () => {
    registerModel('test-max', restoreConstant);
    registerModel('test-max', restoreConstant); // the same function again: a no-op
    const model = constant();
    model.fit([[0], [0]], [2, 9]);
    const copy = modelFromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(copy.predict([[1], [2]])).toEqual([9, 9]);
    expect(registeredModelKinds()).toContain('test-max');
  });

  it('refuses to overwrite a kind unless asked, and never a built-in one', () => {
    const other = (json: ModelJSON) => restoreConstant(json);
    const taken = thrown(() => registerModel('test-max', other));
    expect([taken.code, taken.message]).toEqual([
      'CONFLICT',
      'Model kind "test-max" is already registered; pass { replace: true } to replace it',
    ]);
    registerModel('test-max', other, { replace: true });
    const builtIn = thrown(() => registerModel('ridge', other, { replace: true }));
    expect([builtIn.code, builtIn.message]).toEqual([
      'CONFLICT',
      'Model kind "ridge" is built in and cannot be replaced',
    ]);
  });

  it('says what is wrong with JSON it cannot restore', () => {
    expectInvalid(
      () => modelFromJSON({ kind: 'ridge' }),
      'modelFromJSON needs an object { kind: string, version: number, params, state } as returned by toJSON()',
    );
    const unknown = thrown(() => modelFromJSON({ kind: 'toString', version: 1, params: {}, state: {} }));
    expect(unknown.code).toBe('NOT_FOUND');
    expect(unknown.message).toMatch(
      /^No model kind "toString" is registered \(known: .*ridge.*\); call registerModel/,
    );
    const json = ridge()
      .fit([[1], [2], [3]], [1, 2, 4])
      .toJSON();
    const newer = thrown(() => modelFromJSON({ ...json, version: 2 }));
    expect([newer.code, newer.message]).toEqual([
      'UNSUPPORTED',
      'ridge JSON version 2 is not supported (this build reads version 1)',
    ]);
    expectInvalid(
      () => modelFromJSON({ ...json, state: { coefficients: [Number.NaN], intercept: 0 } }),
      'Invalid ridge state: coefficients[0]: Invalid input: expected number, received NaN (received NaN)',
    );
  });
});

describe('the Model contract', () => {
  it('built-in models and plain objects both run through TimeSeriesCV.validate', async () => {
    const X = Array.from({ length: 40 }, (_, i) => [i]);
    const y = X.map(([i]) => 2 * (i as number) + 1);
    const cv = new TimeSeriesCV({ method: 'expanding', nSplits: 3 });
    const fitted = await cv.validate(() => ridge({ alpha: 1e-9, standardize: false }), X, y, {
      metrics: ['mae'],
    });
    expect(fitted.mean.mae).toBeLessThan(1e-6);
    const plain = await cv.validate(() => constant(), X, y, { metrics: ['mae'] });
    const mean = await cv.validate(() => historicMean(), X, y, { metrics: ['mae'] });
    expect(plain.mean.mae).toBeGreaterThan(0);
    expect(mean.mean.mae).toBeGreaterThan(plain.mean.mae as number);
  });
});

describe('toJSON', () => {
  it('returns a copy: editing it does not change the model', () => {
    const model = ridge().fit([[1], [2], [3]], [1, 2, 4]);
    const before = Array.from(model.predict([[4]]));
    const json = model.toJSON();
    json.state.coefficients[0] = 100;
    model.coefficients.coefficients[0] = 100;
    expect(Array.from(model.predict([[4]]))).toEqual(before);
  });
});
