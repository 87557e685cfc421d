import { describe, expectTypeOf, it } from 'vitest';
import type { Params } from '../../src/tuning/space.js';
import type { Trial } from '../../src/tuning/trial.js';
import { HyperparameterTuner } from '../../src/tuning/tuner.js';

describe('tuning types', () => {
  it('infers bestParams and trial.params from a declarative search space', () => {
    const tuner = new HyperparameterTuner({
      searchSpace: {
        lr: { type: 'float', low: 1e-4, high: 1, log: true },
        depth: { type: 'int', low: 1, high: 8 },
        loss: { type: 'categorical', choices: ['squared', 'absolute'] },
      },
    });
    expectTypeOf(tuner.bestParams).toEqualTypeOf<{
      lr: number;
      depth: number;
      loss: 'squared' | 'absolute';
    }>();
    void tuner.optimize((trial) => {
      expectTypeOf(trial.params.loss).toEqualTypeOf<'squared' | 'absolute' | undefined>();
      return 0;
    });
  });

  it('gives plain Params without a search space, and typed suggestions', () => {
    const tuner = new HyperparameterTuner({ direction: 'maximize' });
    expectTypeOf(tuner.bestParams).toEqualTypeOf<{ [x: string]: string | number | boolean | null }>();
    expectTypeOf(tuner.bestParams).toExtend<Params>();
    const trial = {} as Trial;
    expectTypeOf(trial.suggestCategorical('k', ['a', 'b'])).toEqualTypeOf<'a' | 'b'>();
    expectTypeOf(trial.suggest({ n: { type: 'int', low: 1, high: 3 } })).toEqualTypeOf<{ n: number }>();
  });
});
