import fc from 'fast-check';
import { expect, expectTypeOf, describe as group, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import {
  checkCompatible,
  checkSearchSpace,
  checkSpec,
  contains,
  describe,
  fromInternal,
  gridPoints,
  gridSize,
  normaliseSpec,
  type ParamSpec,
  type ParamsOf,
  type ParamValue,
  type SearchSpace,
  sameSpec,
  sampleParam,
  toInternal,
} from '../../src/tuning/space.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';
import { expectInvalid } from '../helpers.js';

const cases = loadReferenceCases('tuning_space');
const casesOf = (fn: string) => cases.filter((c) => c.fn === fn);

group('normaliseSpec against Optuna 3.1', () => {
  it('has cases from Optuna 3.1.0 only', () => {
    expect(casesOf('normaliseSpec').length).toBe(19);
    for (const c of cases) expect((c.expected as { optuna: string }).optuna).toBe('3.1.0');
  });

  it.each(casesOf('normaliseSpec').map((c) => [JSON.stringify(c.args.spec), c] as const))(
    'lowers high onto the step grid as Optuna does: %s',
    (_, c) => {
      const spec = c.args.spec as ParamSpec;
      const out = normaliseSpec('x', spec) as Exclude<ParamSpec, { type: 'categorical' }>;
      // Exact: Optuna computes in decimal, and so do we.
      expect(out.high).toBe((c.expected as { high: number }).high);
      expect(out.low).toBe((spec as { low: number }).low);
    },
  );

  it('returns the spec itself when it needs no change, and never mutates its input', () => {
    const on = { type: 'float', low: 0, high: 1, step: 0.25 } as const;
    expect(normaliseSpec('x', on)).toBe(on);
    const off: ParamSpec = { type: 'int', low: 0, high: 10, step: 3 };
    expect(normaliseSpec('x', off)).toEqual({ type: 'int', low: 0, high: 9, step: 3 });
    expect(off.high).toBe(10);
  });
});

group('contains, toInternal and fromInternal against Optuna 3.1', () => {
  it.each(casesOf('contains').map((c) => [describe(c.args.spec as ParamSpec), c.args.value, c] as const))(
    '%s and %s',
    (_, value, c) => {
      const spec = c.args.spec as ParamSpec;
      const expected = c.expected as { contains: boolean; internal: number | null };
      expect(contains(spec, value as ParamValue)).toBe(expected.contains);
      if (expected.internal === null) expect(() => toInternal(spec, value as ParamValue)).toThrow();
      else expect(close(toInternal(spec, value as ParamValue), expected.internal, 0, 0)).toBe(true);
    },
  );

  it.each(casesOf('fromInternal').map((c) => [describe(c.args.spec as ParamSpec), c.args.x, c] as const))(
    '%s from internal %s',
    (_, x, c) => {
      expect(fromInternal(c.args.spec as ParamSpec, x as number)).toBe(
        (c.expected as { value: unknown }).value,
      );
    },
  );

  it('accepts and rejects the specs Optuna accepts and rejects', () => {
    const checks = casesOf('check');
    expect(checks.length).toBe(15);
    for (const c of checks) {
      const valid = (() => {
        try {
          checkSpec('x', c.args.spec as ParamSpec);
          return true;
        } catch {
          return false;
        }
      })();
      expect([JSON.stringify(c.args.spec), valid]).toEqual([
        JSON.stringify(c.args.spec),
        (c.expected as { valid: boolean }).valid,
      ]);
    }
  });

  it('round-trips every value of a finite distribution through the internal representation', () => {
    const specs: ParamSpec[] = [
      { type: 'categorical', choices: ['a', 1, true, null, Number.NaN] },
      { type: 'int', low: -3, high: 9, step: 3 },
      { type: 'float', low: 0, high: 1, step: 0.1 },
    ];
    for (const spec of specs) {
      for (const v of gridPoints(spec)) {
        expect(contains(spec, v)).toBe(true);
        expect(fromInternal(spec, toInternal(spec, v))).toBe(v);
      }
    }
  });
});

group('gridPoints and gridSize', () => {
  it('lists every grid point, computed in decimal', () => {
    expect(gridPoints({ type: 'float', low: 0, high: 1, step: 0.1 })).toEqual([
      0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1,
    ]);
    expect(gridPoints({ type: 'float', low: -1, high: 0.95, step: 0.5 })).toEqual([-1, -0.5, 0, 0.5]);
    expect(gridPoints({ type: 'int', low: 1, high: 10, step: 4 })).toEqual([1, 5, 9]);
    expect(gridPoints({ type: 'int', low: 1, high: 4, log: true })).toEqual([1, 2, 3, 4]);
    expect(gridPoints({ type: 'categorical', choices: ['b', 'a', null] })).toEqual(['b', 'a', null]);
    expect(gridPoints({ type: 'float', low: 2, high: 2 })).toEqual([2]);
  });

  it('counts the full grid without listing it', () => {
    const space: SearchSpace = {
      a: { type: 'float', low: 0, high: 1, step: 0.1 },
      b: { type: 'int', low: 0, high: 1_000_000_000 },
      c: { type: 'categorical', choices: ['x', 'y'] },
    };
    expect(gridSize(space)).toBe(11 * 1_000_000_001 * 2);
  });

  it('agrees with the grid points for random stepped ranges', () => {
    const ranges = fc.record({
      low: fc.integer({ min: -50, max: 50 }),
      width: fc.integer({ min: 0, max: 60 }),
      step: fc.integer({ min: 1, max: 9 }),
      scale: fc.constantFrom(1, 0.1, 0.01, 0.25),
    });
    fc.assert(
      fc.property(ranges, ({ low, width, step, scale }) => {
        const spec: ParamSpec = {
          type: 'float',
          low: Number((low * scale).toPrecision(12)),
          high: Number(((low + width) * scale).toPrecision(12)),
          step: Number((step * scale).toPrecision(12)),
        };
        const points = gridPoints(spec) as number[];
        expect(points.length).toBe(gridSize({ x: spec }));
        expect(points.length).toBe(Math.floor(width / step) + 1);
        for (const p of points) expect(contains(normaliseSpec('x', spec), p)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a continuous range', () => {
    expectInvalid(
      () => gridPoints({ type: 'float', low: 0, high: 1 }),
      'the parameter is a continuous float in [0, 1]; grid search needs a step or an explicit list of values (a categorical parameter)',
    );
    expectInvalid(
      () =>
        gridSize({
          n: { type: 'int', low: 1, high: 3 },
          lr: { type: 'float', low: 1e-4, high: 1, log: true },
        }),
      'search space parameter "lr" is a continuous float in [0.0001, 1] on a log scale; grid search needs a step or an explicit list of values (a categorical parameter)',
    );
    expectInvalid(() => gridSize({}), 'the search space must name at least one parameter');
  });
});

group('sameSpec, checkCompatible and describe', () => {
  it('fills in defaults and compares choices in order', () => {
    expect(
      sameSpec({ type: 'int', low: 0, high: 3 }, { type: 'int', low: 0, high: 3, step: 1, log: false }),
    ).toBe(true);
    expect(sameSpec({ type: 'float', low: 0, high: 3 }, { type: 'int', low: 0, high: 3 })).toBe(false);
    expect(sameSpec({ type: 'float', low: 0, high: 1 }, { type: 'float', low: 0, high: 1, step: 1 })).toBe(
      false,
    );
    expect(sameSpec({ type: 'float', low: 1, high: 2 }, { type: 'float', low: 1, high: 2, log: true })).toBe(
      false,
    );
    expect(
      sameSpec(
        { type: 'categorical', choices: [Number.NaN, 'a'] },
        { type: 'categorical', choices: [Number.NaN, 'a'] },
      ),
    ).toBe(true);
    expect(
      sameSpec({ type: 'categorical', choices: ['a', 'b'] }, { type: 'categorical', choices: ['b', 'a'] }),
    ).toBe(false);
    expect(sameSpec({ type: 'categorical', choices: [1] }, { type: 'categorical', choices: [true] })).toBe(
      false,
    );
    expect(sameSpec({ type: 'categorical', choices: [1] }, { type: 'int', low: 1, high: 1 })).toBe(false);
  });

  it('accepts the same distribution, normalised', () => {
    expect(() =>
      checkCompatible(
        'n',
        { type: 'int', low: 0, high: 10, step: 3 },
        { type: 'int', low: 0, high: 9, step: 3 },
      ),
    ).not.toThrow();
  });

  it('rejects a parameter suggested with another distribution', () => {
    expectInvalid(
      () => checkCompatible('x', { type: 'float', low: 0, high: 1 }, { type: 'float', low: 0, high: 2 }),
      'parameter "x" was suggested as float in [0, 1] before and as float in [0, 2] now; a parameter must keep the same distribution throughout a study',
    );
    expectInvalid(
      () =>
        checkCompatible(
          'k',
          { type: 'categorical', choices: ['a', 'b'] },
          { type: 'int', low: 1, high: 9, step: 2 },
        ),
      'parameter "k" was suggested as categorical from ["a", "b"] before and as int in [1, 9] with step 2 now; a parameter must keep the same distribution throughout a study',
    );
    expectInvalid(
      () => checkCompatible('x', { type: 'float', low: 0, high: 1 }, { type: 'float', low: 1, high: 0 }),
      'search space parameter "x" needs finite low <= high, received low=1, high=0',
    );
  });

  it('describes each kind of distribution', () => {
    expect(describe({ type: 'float', low: 0, high: 1, step: 0.25 })).toBe('float in [0, 1] with step 0.25');
    expect(describe({ type: 'int', low: 1, high: 1000, log: true })).toBe('int in [1, 1000] on a log scale');
    expect(describe({ type: 'int', low: 1, high: 5, step: 1 })).toBe('int in [1, 5]');
    expect(describe({ type: 'categorical', choices: ['a', 2, false, null] })).toBe(
      'categorical from ["a", 2, false, null]',
    );
  });
});

group('validation messages', () => {
  const bad = (spec: unknown) => () => checkSpec('x', spec as ParamSpec);

  it('names the rule a spec breaks', () => {
    const where = 'search space parameter "x"';
    expectInvalid(
      bad({ type: 'float', low: 2, high: 1 }),
      `${where} needs finite low <= high, received low=2, high=1`,
    );
    expectInvalid(
      bad({ type: 'float', low: 0, high: Number.POSITIVE_INFINITY }),
      `${where} needs finite low <= high, received low=0, high=Infinity`,
    );
    expectInvalid(
      bad({ type: 'float', low: 0, high: 1, log: true }),
      `${where} is on a log scale and needs low > 0`,
    );
    expectInvalid(
      bad({ type: 'int', low: 0, high: 9, log: true }),
      `${where} is on a log scale and needs low >= 1`,
    );
    expectInvalid(
      bad({ type: 'float', low: 1, high: 2, log: true, step: 1 }),
      `${where} cannot have both log and step`,
    );
    expectInvalid(
      bad({ type: 'int', low: 1, high: 8, log: true, step: 2 }),
      `${where} cannot have both log and step`,
    );
    expectInvalid(
      bad({ type: 'float', low: 0, high: 1, step: 0 }),
      `${where} needs a positive finite step, received step=0`,
    );
    expectInvalid(
      bad({ type: 'int', low: 0, high: 9, step: 1.5 }),
      `${where} needs a positive integer step, received step=1.5`,
    );
    expectInvalid(
      bad({ type: 'int', low: 0.5, high: 5 }),
      `${where} is an int parameter and needs integer bounds`,
    );
    expectInvalid(bad({ type: 'categorical', choices: [] }), `${where} needs at least one choice`);
    expectInvalid(
      bad({ type: 'categorical', choices: ['a', 1, 'a'] }),
      `${where} lists the choice "a" more than once`,
    );
    expectInvalid(
      bad({ type: 'categorical', choices: [Number.NaN, Number.NaN] }),
      `${where} lists the choice NaN more than once`,
    );
    expectInvalid(
      bad({ type: 'categorical', choices: ['a', { b: 1 }] }),
      `${where} has choices[1] of type object; choices must be strings, numbers, booleans or null`,
    );
    expectInvalid(
      bad({ type: 'uniform', low: 0, high: 1 }),
      `${where} needs type 'float', 'int' or 'categorical'`,
    );
  });

  it('lets checkSearchSpace accept only normalised spaces', () => {
    expect(() => checkSearchSpace({ n: { type: 'int', low: 0, high: 9, step: 3 } })).not.toThrow();
    expectInvalid(
      () => checkSearchSpace({ n: { type: 'int', low: 0, high: 10, step: 3 } }),
      'search space parameter "n" needs a positive step that divides high - low, received step=3',
    );
    expectInvalid(() => checkSearchSpace({}), 'the search space must name at least one parameter');
  });

  it('rejects values the internal representation cannot hold', () => {
    expectInvalid(
      () => toInternal({ type: 'categorical', choices: ['a', 'b'] }, 'c'),
      '"c" is not a choice of categorical from ["a", "b"]',
    );
    expectInvalid(
      () => toInternal({ type: 'float', low: 0, high: 1 }, 'a'),
      'float in [0, 1] needs a number, received "a"',
    );
    expectInvalid(
      () => toInternal({ type: 'int', low: 1, high: 9, log: true }, 0),
      'int in [1, 9] on a log scale needs a positive value, received 0',
    );
    expectInvalid(
      () => fromInternal({ type: 'categorical', choices: ['a', 'b'] }, -1),
      'internal value -1 is not a choice index of categorical from ["a", "b"]',
    );
    expectInvalid(
      () => fromInternal({ type: 'int', low: 0, high: 1 }, Number.NaN),
      'an internal value must be a number, received NaN',
    );
  });
});

group('sampleParam', () => {
  it('draws every choice, including null and booleans', () => {
    const rng = new Random(7);
    const spec: ParamSpec = { type: 'categorical', choices: [null, true, 'a'] };
    const seen = new Set(Array.from({ length: 200 }, () => sampleParam(spec, rng)));
    expect(seen).toEqual(new Set([null, true, 'a']));
  });
});

group('ParamsOf', () => {
  it('infers the parameter set of a declarative space', () => {
    const space = {
      lr: { type: 'float', low: 1e-4, high: 1, log: true },
      depth: { type: 'int', low: 2, high: 8 },
      kind: { type: 'categorical', choices: ['a', 'b'] },
    } as const satisfies SearchSpace;
    expectTypeOf<ParamsOf<typeof space>>().toEqualTypeOf<{ lr: number; depth: number; kind: 'a' | 'b' }>();
    expectTypeOf<ParamsOf<typeof space>>().not.toEqualTypeOf<{ lr: number; depth: number; kind: string }>();
    expectTypeOf<
      ParamsOf<{ flag: { type: 'categorical'; choices: readonly [true, null, 3] } }>
    >().toEqualTypeOf<{
      flag: true | null | 3;
    }>();
    // A widened space still types its values.
    expectTypeOf<ParamsOf<SearchSpace>>().toEqualTypeOf<Record<string, ParamValue>>();
  });
});
