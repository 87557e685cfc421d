import { describe, expect, it } from 'vitest';
import { Random } from '../../../src/core/random.js';
import { DDM, EDDM } from '../../../src/drift/streaming/index.js';
import { expectInvalid } from '../../helpers.js';

/** One error every `every` values, for `n` values (a deterministic error rate of 1/every). */
function periodicErrors(n: number, every: number, offset = 0): number[] {
  return Array.from({ length: n }, (_, i) => ((i + offset) % every === every - 1 ? 1 : 0));
}

function flags(detector: DDM | EDDM, stream: readonly number[]): { warnings: number[]; drifts: number[] } {
  const warnings: number[] = [];
  const drifts: number[] = [];
  stream.forEach((x, i) => {
    const s = detector.update(x);
    if (s.warning) warnings.push(i);
    if (s.drift) drifts.push(i);
  });
  return { warnings, drifts };
}

// River's own examples (drift.binary.DDM / EDDM docstrings) are asserted index for index in river-docs.test.ts;
// these tests pin the rules of the method on streams whose error rate is known exactly.
describe('DDM', () => {
  it('raises nothing during the warm start, even when every value is an error', () => {
    const { warnings, drifts } = flags(new DDM({ warmStart: 30 }), new Array<number>(30).fill(1));
    expect(warnings).toEqual([]);
    expect(drifts).toEqual([]);
  });

  it('never flags a stream whose error rate stays put, and warns before it flags a rise', () => {
    const steady = periodicErrors(3000, 10);
    expect(flags(new DDM(), steady)).toEqual({ warnings: [], drifts: [] });
    const rising = [...steady, ...periodicErrors(1000, 2)];
    const { warnings, drifts } = flags(new DDM(), rising);
    expect(drifts.length).toBeGreaterThan(0);
    expect(drifts[0]).toBeGreaterThan(3000);
    expect(warnings[0]).toBeGreaterThan(3000);
    expect(warnings[0]).toBeLessThan(drifts[0] as number);
  });

  it('clears the warning when the drift is flagged (River: a drift is not also a warning)', () => {
    const ddm = new DDM();
    const rising = [...periodicErrors(1000, 10), ...new Array<number>(200).fill(1)];
    for (const x of rising) {
      const s = ddm.update(x);
      if (s.drift) {
        expect(s.warning).toBe(false);
        return;
      }
    }
    throw new Error('expected a drift');
  });

  it('a falling error rate is not a drift', () => {
    const falling = [...periodicErrors(500, 2), ...new Array<number>(2000).fill(0)];
    expect(flags(new DDM(), falling).drifts).toEqual([]);
  });

  it('validates its options', () => {
    expectInvalid(
      () => new DDM({ warningThreshold: 4 }),
      'Invalid DDM options: warningThreshold: warningThreshold must not exceed driftThreshold (received 4)',
    );
    expectInvalid(
      () => new DDM({ warmStart: -1 }),
      'Invalid DDM options: warmStart: Too small: expected number to be >=0 (received -1)',
    );
  });
});

describe('EDDM', () => {
  it('needs more than warmStart errors before it can warn or flag', () => {
    // Errors getting closer fast: distance 10 for 20 errors, then back-to-back errors.
    const stream = [...periodicErrors(200, 10), ...new Array<number>(9).fill(1)];
    expect(flags(new EDDM(), stream)).toEqual({ warnings: [], drifts: [] }); // 29 errors in all
  });

  it('flags errors coming closer together soon after the error rate rises', () => {
    // Random errors (EDDM, as River's own tests show, also flags some changes in a steady noisy stream, so only
    // the reaction to the rise is asserted): rate 0.1 for 2000 values, then 0.5.
    const rng = new Random(9);
    const stream = Array.from({ length: 3000 }, (_, i) => (rng.float() < (i < 2000 ? 0.1 : 0.5) ? 1 : 0));
    const { drifts } = flags(new EDDM(), stream);
    expect(drifts.find((i) => i >= 2000)).toBeLessThan(2300);
  });

  it('validates its options', () => {
    expectInvalid(
      () => new EDDM({ alpha: 0.8, beta: 0.9 }),
      'Invalid EDDM options: beta: beta must not exceed alpha (received 0.9)',
    );
    expectInvalid(
      () => new EDDM({ alpha: 1 }),
      'Invalid EDDM options: alpha: Too big: expected number to be <1 (received 1)',
    );
  });
});
