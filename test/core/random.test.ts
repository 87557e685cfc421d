import { describe, expect, it } from 'vitest';
import { MlcycleError, Random } from '../../src/index.js';
import reference from '../fixtures/xoshiro128ss.json' with { type: 'json' };

describe('Random', () => {
  it('matches the xoshiro128** 1.1 reference outputs for a given state', () => {
    for (const { state, outputs } of reference as { state: number[]; outputs: (number | null)[] }[]) {
      const rng = Random.fromState(state as [number, number, number, number]);
      const drawn = Array.from({ length: 1000 }, () => rng.uint32());
      const head = outputs.slice(0, 20);
      const tail = outputs.slice(21);
      expect(drawn.slice(0, 20)).toEqual(head);
      expect(drawn.slice(990)).toEqual(tail);
    }
  });

  it('gives the same sequence for the same seed and different ones for different seeds', () => {
    const a = new Random(7);
    const b = new Random(7);
    const c = new Random(8);
    const seqA = Array.from({ length: 50 }, () => a.float());
    expect(Array.from({ length: 50 }, () => b.float())).toEqual(seqA);
    expect(Array.from({ length: 50 }, () => c.float())).not.toEqual(seqA);
  });

  it('distinguishes seeds that differ only above 32 bits', () => {
    const low = new Random(5);
    const high = new Random(5 + 2 ** 40);
    expect(high.uint32()).not.toBe(low.uint32());
  });

  it('derives forks from the seed and index only, not from the draws made so far', () => {
    const fresh = new Random(3);
    const used = new Random(3);
    for (let i = 0; i < 100; i++) used.float();
    const x = Array.from({ length: 10 }, () => fresh.fork(5).float());
    expect(used.fork(5).float()).toBe(x[0]);
    expect(fresh.fork(5).float()).not.toBe(fresh.fork(6).float());
    expect(fresh.fork(0).float()).not.toBe(new Random(3).float());
  });

  it('draws floats in [0, 1) with a uniform mean and variance', () => {
    const rng = new Random(11);
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.float();
      if (!(x >= 0 && x < 1)) outside += 1;
      sum += x;
      sumSq += x * x;
    }
    const mean = sum / n;
    expect(outside).toBe(0);
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(sumSq / n - mean * mean - 1 / 12)).toBeLessThan(0.002);
  });

  it('draws integers over the whole inclusive range without bias', () => {
    const rng = new Random(1);
    const counts = new Array(6).fill(0);
    const n = 60_000;
    for (let i = 0; i < n; i++) counts[rng.int(1, 6) - 1] += 1;
    // chi-square with 5 degrees of freedom: 20.5 is its 0.999 quantile
    const chi2 = counts.reduce((acc, c) => acc + (c - n / 6) ** 2 / (n / 6), 0);
    expect(chi2).toBeLessThan(20.5);
    expect(rng.int(4, 4)).toBe(4);
    const wide = rng.int(0, 2 ** 40);
    expect(Number.isInteger(wide) && wide >= 0 && wide <= 2 ** 40).toBe(true);
  });

  it('draws normals with the requested mean and standard deviation', () => {
    const rng = new Random(2);
    const n = 100_000;
    const xs = Array.from({ length: n }, () => rng.normal(3, 2));
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    expect(Math.abs(mean - 3)).toBeLessThan(0.03);
    expect(Math.abs(sd - 2)).toBeLessThan(0.03);
  });

  it.each([0.3, 1, 4.5])('draws gamma(k=%d) with mean k and variance k', (k) => {
    const rng = new Random(9);
    const n = 100_000;
    const xs = Array.from({ length: n }, () => rng.gamma(k));
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
    expect(xs.every((x) => x > 0)).toBe(true);
    expect(Math.abs(mean - k) / k).toBeLessThan(0.02);
    expect(Math.abs(variance - k) / k).toBeLessThan(0.05);
  });

  it('shuffles into a permutation and picks elements that exist', () => {
    const rng = new Random(4);
    const items = Array.from({ length: 100 }, (_, i) => i);
    const shuffled = rng.shuffle([...items]);
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(items).toContain(rng.choice(items));
  });

  it('shuffles a typed array in place as it shuffles the same values in an array', () => {
    const values = Array.from({ length: 50 }, (_, i) => i * 0.5);
    const typed = Float64Array.from(values);
    expect(new Random(9).shuffle(typed)).toBe(typed);
    expect(Array.from(typed)).toEqual(new Random(9).shuffle([...values]));
    expect(Array.from(typed)).not.toEqual(values);
  });

  it('rejects bad seeds and arguments with messages that say what is expected', () => {
    const rng = new Random(0);
    expect(() => new Random(-1)).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Random seed must be a non-negative safe integer, received -1]`,
    );
    expect(() => new Random(1.5)).toThrow(MlcycleError);
    expect(() => rng.fork(Number.NaN)).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Random.fork index must be a non-negative safe integer, received NaN]`,
    );
    expect(() => rng.int(5, 4)).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Random.int needs safe integers with lo <= hi, received lo=5, hi=4]`,
    );
    expect(() => rng.normal(0, -1)).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Random.normal needs a finite mean and a finite sd >= 0, received mean=0, sd=-1]`,
    );
    expect(() => rng.gamma(0)).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Random.gamma needs a finite shape k > 0 and a finite scale > 0, received k=0, scale=1]`,
    );
    expect(() => rng.choice([])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Random.choice needs at least one item, received an empty array]`,
    );
    expect(() => Random.fromState([0, 0, 0, 0])).toThrow('not all zero');
  });
});
