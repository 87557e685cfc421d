import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { compareCodePoints, radixSort, sortOrder } from '../../src/core/sort.js';

function sameAsBuiltin(values: Float64Array): boolean {
  const expected = Float64Array.from(values).sort();
  const actual = radixSort(Float64Array.from(values));
  return actual.every((v, i) => Object.is(v, expected[i]));
}

describe('radixSort', () => {
  it('sorts exactly like Float64Array.prototype.sort, -0 before +0, on random doubles of every shape', () => {
    const double = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(fc.array(double, { minLength: 1000, maxLength: 3000 }), (xs) =>
        sameAsBuiltin(Float64Array.from(xs)),
      ),
      { numRuns: 40 },
    );
  });

  it('sorts large inputs whose values share their high word: ties, integers, a narrow range, denormals', () => {
    const rng = new Random(5);
    const n = 200_000;
    const shapes: Record<string, () => number> = {
      normal: () => rng.normal(),
      integers: () => rng.int(-50, 50),
      narrow: () => 1 + rng.float() * 1e-9,
      mixedZeros: () => (rng.float() < 0.5 ? -0 : 0) + (rng.float() < 0.1 ? rng.normal() : 0),
      denormals: () => (rng.float() - 0.5) * 1e-310,
      huge: () => (rng.float() - 0.5) * 1e308,
    };
    for (const [name, draw] of Object.entries(shapes)) {
      const values = new Float64Array(n).map(draw);
      expect(sameAsBuiltin(values), name).toBe(true);
    }
  });

  it('sorts arrays that share a buffer through the built-in sort', () => {
    const buffer = new Float64Array([9, 3, 1, 7, 5]);
    expect(Array.from(radixSort(buffer.subarray(1, 4)))).toEqual([1, 3, 7]);
    expect(Array.from(buffer)).toEqual([9, 1, 3, 7, 5]);
  });
});

describe('sortOrder', () => {
  it('gives the stable permutation that sorts the values', () => {
    const rng = new Random(8);
    const values = new Float64Array(5000).map(() => rng.int(0, 300) / 7);
    const order = sortOrder(values);
    const expected = Array.from(values.keys()).sort(
      (a, b) => (values[a] as number) - (values[b] as number) || a - b,
    );
    expect(Array.from(order)).toEqual(expected);
  });
});

describe('compareCodePoints', () => {
  it('orders astral characters after every BMP character, as UTF-8 byte order does', () => {
    expect(compareCodePoints('\u{1F600}', '\uFFFD')).toBeGreaterThan(0);
    expect(compareCodePoints('a', 'b')).toBeLessThan(0);
    expect(compareCodePoints('ab', 'a')).toBeGreaterThan(0);
    expect(compareCodePoints('same', 'same')).toBe(0);
  });
});
