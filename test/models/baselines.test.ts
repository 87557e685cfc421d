import { describe, expect, it } from 'vitest';
import {
  historicMean,
  majorityClass,
  modelFromJSON,
  movingAverage,
  persistence,
  priorProbability,
  randomWalkWithDrift,
  type SerializableModel,
  seasonalNaive,
} from '../../src/index.js';
import { expectInvalid, thrown } from '../helpers.js';

const y = [3, 5, 4, 8, 6, 7, 10];
const X = y.map((v, i) => [i, v]);
const test = [
  [7, 12],
  [8, 9],
  [9, 11],
];

describe('regression baselines', () => {
  it('persistence repeats the last training value, or reads the latest value from a feature column', () => {
    expect(Array.from(persistence().fit(X, y).predict(test))).toEqual([10, 10, 10]);
    expect(Array.from(persistence({ column: 1 }).fit(X, y).predict(test))).toEqual([12, 9, 11]);
  });

  it('seasonal naive repeats the last season, the h-th test row taking position n − m + (h mod m)', () => {
    const model = seasonalNaive({ season: 2 }).fit(X, y);
    expect(Array.from(model.predict([...test, [10, 0]]))).toEqual([7, 10, 7, 10]);
  });

  it('moving average is the mean of the last window of training targets', () => {
    expect(Array.from(movingAverage({ window: 3 }).fit(X, y).predict(test))).toEqual([
      23 / 3,
      23 / 3,
      23 / 3,
    ]);
  });

  it('random walk with drift extends the line from the first to the last training value', () => {
    // slope (10 − 3) / 6 = 7/6 per step
    expect(Array.from(randomWalkWithDrift().fit(X, y).predict(test))).toEqual([
      10 + 7 / 6,
      10 + (2 * 7) / 6,
      10 + (3 * 7) / 6,
    ]);
  });

  it('historic mean is the mean of all training targets', () => {
    expect(Array.from(historicMean().fit(X, y).predict(test))).toEqual([43 / 7, 43 / 7, 43 / 7]);
  });

  it('regression baselines have no predictProba', () => {
    expect(historicMean().predictProba).toBeUndefined();
  });
});

describe('classification baselines', () => {
  const labels = [1, 0, 1, 1, 0];
  const rows = labels.map(() => [0]);

  it('majority class predicts the commonest label with probability one', () => {
    const model = majorityClass().fit(rows, labels);
    expect(Array.from(model.predict([[1], [2]]))).toEqual([1, 1]);
    expect(Array.from(model.predictProba?.([[1]]) ?? [])).toEqual([1]);
  });

  it('prior probability predicts the commonest label and the training share of 1s', () => {
    const model = priorProbability().fit(rows, labels);
    expect(Array.from(model.predict([[1]]))).toEqual([1]);
    expect(Array.from(model.predictProba?.([[1], [2]]) ?? [])).toEqual([0.6, 0.6]);
  });

  it('breaks a tie towards 0, as scikit-learn', () => {
    expect(
      Array.from(
        majorityClass()
          .fit([[0], [0]], [1, 0])
          .predict([[0]]),
      ),
    ).toEqual([0]);
  });
});

describe('baseline JSON', () => {
  const fitted: [string, SerializableModel][] = [
    ['persistence', persistence().fit(X, y)],
    ['persistence column', persistence({ column: 1 }).fit(X, y)],
    ['seasonal naive', seasonalNaive({ season: 3 }).fit(X, y)],
    ['moving average', movingAverage({ window: 4 }).fit(X, y)],
    ['drift', randomWalkWithDrift().fit(X, y)],
    ['historic mean', historicMean().fit(X, y)],
    ['majority class', majorityClass().fit(X, [0, 1, 1, 0, 1, 1, 0])],
    ['prior probability', priorProbability().fit(X, [0, 1, 1, 0, 1, 1, 0])],
  ];

  it.each(fitted)('%s restores bit for bit through JSON text', (_, model) => {
    const copy = modelFromJSON(JSON.parse(JSON.stringify(model)));
    expect(copy.predict(test)).toEqual(model.predict(test));
    expect(copy.predictProba?.(test)).toEqual(model.predictProba?.(test));
    expect(copy.params).toEqual(model.params);
    expect(copy.toJSON?.()).toEqual(model.toJSON());
  });
});

describe('baseline errors', () => {
  it('refuses bad parameters and too little history', () => {
    expectInvalid(
      () => seasonalNaive({ season: 0 }),
      'Invalid seasonal-naive params: season: Too small: expected number to be >=1 (received 0)',
    );
    expectInvalid(
      () => persistence({ column: 1.5 } as never),
      'Invalid persistence params: column: Invalid input: expected int, received number (received 1.5)',
    );
    const short = thrown(() => movingAverage({ window: 10 }).fit(X, y));
    expect([short.code, short.message]).toEqual([
      'INSUFFICIENT_DATA',
      'moving-average needs at least 10 training values (one window), received 7',
    ]);
  });

  it('refuses a missing column, labels other than 0/1 and predicting before fit', () => {
    expectInvalid(
      () => persistence({ column: 5 }).fit(X, y).predict(test),
      'persistence: column 5 does not exist; X has 2 features',
    );
    expectInvalid(
      () => majorityClass().fit([[0], [0]], [0, 2]),
      'majority-class: y[1] is 2; labels must be 0 or 1',
    );
    expectInvalid(
      () => historicMean().predict(test),
      'historic-mean is not fitted: call fit(X, y) before predict',
    );
    expectInvalid(() => historicMean().toJSON(), 'historic-mean is not fitted: call fit(X, y) before toJSON');
  });
});
