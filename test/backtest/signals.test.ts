import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kellyFraction, predictionSignal, sizeByConfidence, thresholdSignal } from '../../src/index.js';
import { expectInvalid } from '../helpers.js';

const probability = fc.double({ min: 0, max: 1, noNaN: true });

describe('thresholdSignal', () => {
  it('goes long at or above 0.55, short at or below 0.45 and flat in between by default', () => {
    expect(thresholdSignal([0.7, 0.55, 0.54, 0.5, 0.46, 0.45, 0.2])).toEqual([1, 1, 0, 0, 0, -1, -1]);
  });

  it('uses the given thresholds and exposures', () => {
    const options = { long: 0.6, short: 0.4, longExposure: 0.5, shortExposure: -0.25 };
    expect(thresholdSignal([0.65, 0.6, 0.5, 0.4, 0.3], options)).toEqual([0.5, 0.5, 0, -0.25, -0.25]);
  });

  it('accepts the extreme thresholds 0 and 1', () => {
    expect(thresholdSignal([1, 0.99, 0.01, 0], { long: 1, short: 0 })).toEqual([1, 0, 0, -1]);
  });

  it('is long-only with shortExposure 0', () => {
    expect(thresholdSignal([0.6, 0.4, 0.5, 0.6], { shortExposure: 0 })).toEqual([1, 0, 0, 1]);
  });

  it('keeps the previous exposure inside the band with hold, starting flat', () => {
    const p = [0.5, 0.6, 0.5, 0.52, 0.4, 0.5, 0.54, 0.56, 0.46];
    expect(thresholdSignal(p, { hold: true })).toEqual([0, 1, 1, 1, -1, -1, -1, 1, 1]);
    expect(thresholdSignal(p)).toEqual([0, 1, 0, 0, -1, 0, 0, 1, 0]);
  });

  it('exits a long on a short signal and then stays flat with hold and shortExposure 0', () => {
    expect(thresholdSignal([0.6, 0.5, 0.4, 0.5, 0.55], { hold: true, shortExposure: 0 })).toEqual([
      1, 1, 0, 0, 1,
    ]);
  });

  it('accepts typed arrays and returns [] for no input', () => {
    expect(thresholdSignal(Float64Array.from([0.9, 0.1]))).toEqual([1, -1]);
    expect(thresholdSignal([])).toEqual([]);
  });

  it('rejects probabilities that are not finite numbers in [0, 1]', () => {
    expectInvalid(
      () => thresholdSignal([0.5, Number.NaN]),
      'probabilities must contain only finite numbers, but probabilities[1] is NaN',
    );
    expectInvalid(
      () => thresholdSignal([1.2]),
      'probabilities must lie in [0, 1], but probabilities[0] is 1.2',
    );
    expectInvalid(
      () => thresholdSignal([0.5, 0.5, -0.1]),
      'probabilities must lie in [0, 1], but probabilities[2] is -0.1',
    );
  });

  it('requires short < long, naming both values even when one is a default', () => {
    expectInvalid(
      () => thresholdSignal([0.5], { long: 0.5, short: 0.5 }),
      'Invalid thresholdSignal options: short must be less than long (received short 0.5 and long 0.5)',
    );
    expectInvalid(
      () => thresholdSignal([0.5], { long: 0.4 }),
      'Invalid thresholdSignal options: short must be less than long (received short 0.45 and long 0.4)',
    );
  });

  it('rejects out-of-range and unknown options', () => {
    expectInvalid(
      () => thresholdSignal([0.5], { long: 1.5 }),
      'Invalid thresholdSignal options: long: Too big: expected number to be <=1 (received 1.5)',
    );
    expectInvalid(
      () => thresholdSignal([0.5], { short: -0.1 }),
      'Invalid thresholdSignal options: short: Too small: expected number to be >=0 (received -0.1)',
    );
    expectInvalid(
      () => thresholdSignal([0.5], { longExposure: -1 }),
      'Invalid thresholdSignal options: longExposure: Too small: expected number to be >=0 (received -1)',
    );
    expectInvalid(
      () => thresholdSignal([0.5], { shortExposure: 0.5 }),
      'Invalid thresholdSignal options: shortExposure: Too big: expected number to be <=0 (received 0.5)',
    );
    expectInvalid(
      () => thresholdSignal([0.5], { holdd: true } as never),
      'Invalid thresholdSignal options: Unrecognized key: "holdd"',
    );
  });
});

describe('predictionSignal', () => {
  it('follows the sign of the prediction, flat at exactly 0', () => {
    expect(predictionSignal([0.01, 0, -0.02, 1e-12])).toEqual([1, 0, -1, 1]);
  });

  it('treats |prediction| <= threshold as no signal', () => {
    expect(predictionSignal([0.002, 0.001, -0.001, -0.0011, 0.0005], { threshold: 0.001 })).toEqual([
      1, 0, 0, -1, 0,
    ]);
  });

  it('uses the given exposures, long-only with shortExposure 0', () => {
    expect(predictionSignal([0.3, -0.3], { longExposure: 0.5, shortExposure: -0.75 })).toEqual([0.5, -0.75]);
    expect(predictionSignal([0.3, -0.3], { shortExposure: 0 })).toEqual([1, 0]);
  });

  it('keeps the previous exposure inside the dead band with hold', () => {
    const x = [0.0005, 0.002, 0.0005, -0.0005, -0.002, 0, 0.003];
    expect(predictionSignal(x, { threshold: 0.001, hold: true })).toEqual([0, 1, 1, 1, -1, -1, 1]);
  });

  it('rejects non-finite predictions and bad options', () => {
    expectInvalid(
      () => predictionSignal([Number.POSITIVE_INFINITY]),
      'predictions must contain only finite numbers, but predictions[0] is Infinity',
    );
    expectInvalid(
      () => predictionSignal([0.1], { threshold: -0.1 }),
      'Invalid predictionSignal options: threshold: Too small: expected number to be >=0 (received -0.1)',
    );
    expectInvalid(
      () => predictionSignal([0.1], { long: 0.6 } as never),
      'Invalid predictionSignal options: Unrecognized key: "long"',
    );
  });
});

describe('sizeByConfidence', () => {
  it('maps p linearly to 2p − 1 by default', () => {
    expect(sizeByConfidence([1, 0.75, 0.5, 0.25, 0])).toEqual([1, 0.5, 0, -0.5, -1]);
  });

  it('scales to maxExposure at certainty', () => {
    expect(sizeByConfidence([0.875, 0.375, 1], { maxExposure: 2 })).toEqual([1.5, -0.5, 2]);
  });

  it('is 0 inside the dead zone and rises linearly from its edge to maxExposure at certainty', () => {
    // deadZone 0.5: c = 2p − 1; |c| <= 0.5 → 0, else sign(c)·(|c| − 0.5) / 0.5.
    const p = [0.25, 0.625, 0.75, 0.875, 1, 0.125, 0];
    expect(sizeByConfidence(p, { deadZone: 0.5 })).toEqual([0, 0, 0, 0.5, 1, -0.5, -1]);
    expect(sizeByConfidence([0.875], { deadZone: 0.5, maxExposure: 0.5 })).toEqual([0.25]);
  });

  it('turns shorts into 0 (not −0) with allowShort false', () => {
    const out = sizeByConfidence([0.125, 0, 0.5, 0.875], { allowShort: false });
    expect(out).toEqual([0, 0, 0, 0.75]);
    expect(out.every((e) => !Object.is(e, -0))).toBe(true);
  });

  it('is non-decreasing in p and bounded by maxExposure', () => {
    fc.assert(
      fc.property(
        probability,
        probability,
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        fc.double({ min: 0.01, max: 3, noNaN: true }),
        (a, b, deadZone, maxExposure) => {
          const [low, high] = sizeByConfidence([Math.min(a, b), Math.max(a, b)], { deadZone, maxExposure });
          expect(low).toBeLessThanOrEqual(high as number);
          expect(Math.abs(low as number)).toBeLessThanOrEqual(maxExposure);
          expect(Math.abs(high as number)).toBeLessThanOrEqual(maxExposure);
        },
      ),
    );
  });

  it('rejects bad probabilities and options', () => {
    expectInvalid(
      () => sizeByConfidence([Number.NaN]),
      'probabilities must contain only finite numbers, but probabilities[0] is NaN',
    );
    expectInvalid(
      () => sizeByConfidence([0.5, 1.2]),
      'probabilities must lie in [0, 1], but probabilities[1] is 1.2',
    );
    expectInvalid(
      () => sizeByConfidence([0.5], { deadZone: 1 }),
      'Invalid sizeByConfidence options: deadZone: Too big: expected number to be <1 (received 1)',
    );
    expectInvalid(
      () => sizeByConfidence([0.5], { maxExposure: 0 }),
      'Invalid sizeByConfidence options: maxExposure: Too small: expected number to be >0 (received 0)',
    );
    expectInvalid(
      () => sizeByConfidence([0.5], { cap: 1 } as never),
      'Invalid sizeByConfidence options: Unrecognized key: "cap"',
    );
  });
});

describe('kellyFraction', () => {
  it('stakes p − (1 − p)/b on the long side', () => {
    // p = 0.6: b = 1 → 0.6 − 0.4 = 0.2; b = 2 → 0.6 − 0.2 = 0.4; b = 0.5 → 0.8 − 0.4 = 0.4 at p = 0.8.
    expect(kellyFraction([0.6])[0]).toBeCloseTo(0.2, 12);
    expect(kellyFraction([0.6], { payoffRatio: 2 })[0]).toBeCloseTo(0.4, 12);
    expect(kellyFraction([0.8], { payoffRatio: 0.5 })[0]).toBeCloseTo(0.4, 12);
    expect(kellyFraction([1])).toEqual([1]);
  });

  it('scales by fraction (half Kelly) before clipping to ±cap', () => {
    expect(kellyFraction([0.6], { fraction: 0.5 })[0]).toBeCloseTo(0.1, 12);
    expect(kellyFraction([0.6], { cap: 0.15 })).toEqual([0.15]);
    expect(kellyFraction([0.4], { cap: 0.15 })).toEqual([-0.15]);
    // fraction 2 at p = 0.7: 2 · 0.4 = 0.8; at p = 0.8: 2 · 0.6 = 1.2, clipped to cap 1.
    const doubled = kellyFraction([0.7, 0.8], { fraction: 2 });
    expect(doubled[0]).toBeCloseTo(0.8, 12);
    expect(doubled[1]).toBe(1);
    expect(kellyFraction([1, 0], { fraction: 0.5, cap: 0.4 })).toEqual([0.4, -0.4]);
  });

  it('shorts with −(q − p/b) when the short bet is favourable, and stays flat when neither is', () => {
    expect(kellyFraction([0.4])[0]).toBeCloseTo(-0.2, 12);
    expect(kellyFraction([0])).toEqual([-1]);
    expect(kellyFraction([0.5])).toEqual([0]);
    // b = 0.5: p = 0.2 → q − p/b = 0.8 − 0.4 = 0.4; p = 0.6 → long 0.6 − 0.8 < 0, short 0.4 − 1.2 < 0.
    const [short, flat] = kellyFraction([0.2, 0.6], { payoffRatio: 0.5 });
    expect(short).toBeCloseTo(-0.4, 12);
    expect(flat).toBe(0);
  });

  it('returns 0 instead of a short with allowShort false', () => {
    const out = kellyFraction([0.4, 0, 0.6], { allowShort: false });
    expect(out[0]).toBe(0);
    expect(out[1]).toBe(0);
    expect(out[2]).toBeCloseTo(0.2, 12);
    expect(out.every((e) => !Object.is(e, -0))).toBe(true);
  });

  it('takes the side with the larger fraction when b > 1 makes both favourable', () => {
    // b = 2, p = 0.4: long 0.4 − 0.3 = 0.1, short 0.6 − 0.2 = 0.4 → −0.4; long-only keeps 0.1.
    // b = 2, p = 0.5: both 0.25; ties go long.
    const [p04, p05] = kellyFraction([0.4, 0.5], { payoffRatio: 2 });
    expect(p04).toBeCloseTo(-0.4, 12);
    expect(p05).toBe(0.25);
    expect(kellyFraction([0.4], { payoffRatio: 2, allowShort: false })[0]).toBeCloseTo(0.1, 12);
  });

  it('equals sizeByConfidence for even odds (b = 1 gives 2p − 1)', () => {
    fc.assert(
      fc.property(fc.array(probability, { maxLength: 20 }), (p) => {
        const kelly = kellyFraction(p);
        const linear = sizeByConfidence(p);
        kelly.forEach((k, i) => {
          expect(k).toBeCloseTo(linear[i] as number, 12);
        });
      }),
    );
  });

  it('rejects bad probabilities and options', () => {
    expectInvalid(
      () => kellyFraction([0.6, Number.NaN]),
      'probabilities must contain only finite numbers, but probabilities[1] is NaN',
    );
    expectInvalid(
      () => kellyFraction([1.2]),
      'probabilities must lie in [0, 1], but probabilities[0] is 1.2',
    );
    expectInvalid(
      () => kellyFraction([0.6], { cap: -1 }),
      'Invalid kellyFraction options: cap: Too small: expected number to be >0 (received -1)',
    );
    expectInvalid(
      () => kellyFraction([0.6], { payoffRatio: 0 }),
      'Invalid kellyFraction options: payoffRatio: Too small: expected number to be >0 (received 0)',
    );
    expectInvalid(
      () => kellyFraction([0.6], { fraction: Number.NaN }),
      'Invalid kellyFraction options: fraction: Invalid input: expected number, received NaN (received NaN)',
    );
    expectInvalid(
      () => kellyFraction([0.6], { half: true } as never),
      'Invalid kellyFraction options: Unrecognized key: "half"',
    );
  });
});
