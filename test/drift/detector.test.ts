import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import {
  type DriftData,
  DriftDetector,
  type FeatureDrift,
  mergeProfiles,
  profileReference,
} from '../../src/index.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';
import { expectInvalid } from '../helpers.js';

// End-to-end decisions against scipy: test/fixtures/fixture_drift.py applies the documented rules with scipy's
// tests. Regenerate with `/usr/bin/python3 test/fixtures/make-metrics.py drift`.

type Columns = Record<string, (number | string | null)[]>;
interface Expected {
  columns: Record<
    string,
    { test: string; statistic: number; pValue?: number; drifted: boolean; score: number }
  >;
  share: number;
  drifted: boolean;
  score: number;
}
const cases = loadReferenceCases('drift').map((c) => ({
  scenario: c.args.scenario as string,
  reference: c.args.reference as Columns,
  current: c.args.current as Columns,
  expected: c.expected as Expected,
}));

describe('DriftDetector.detect against scipy', () => {
  it.each(cases.map((c, i) => [`${c.scenario}, ${c.reference.x?.length} reference rows (case ${i})`, c]))(
    '%s',
    async (_, c) => {
      const report = await new DriftDetector({ reference: c.reference }).detect(c.current);
      for (const [column, want] of Object.entries(c.expected.columns)) {
        const got = report.features[column] as FeatureDrift;
        expect({ column, test: got.test, drifted: got.drifted }).toEqual({
          column,
          test: want.test,
          drifted: want.drifted,
        });
        expect(close(got.statistic, want.statistic, 1e-9), `${column} statistic ${got.statistic}`).toBe(true);
        if (want.pValue !== undefined) {
          expect(close(got.pValue as number, want.pValue, 1e-9, 1e-15), `${column} p ${got.pValue}`).toBe(
            true,
          );
        }
        expect(close(got.score, want.score, 1e-9), `${column} score ${got.score}`).toBe(true);
      }
      expect(report.share).toBeCloseTo(c.expected.share, 12);
      expect(report.drifted).toBe(c.expected.drifted);
      expect(close(report.score, c.expected.score, 1e-9)).toBe(true);
    },
  );
});

function normalColumns(random: Random, n: number, shift = 0): Columns {
  return {
    x: Array.from({ length: n }, () => random.normal(shift, 1)),
    y: Array.from({ length: n }, () => random.normal(0, 2)),
    group: Array.from({ length: n }, () => ['a', 'b', 'c'][random.int(0, 2)] as string),
  };
}

describe('data quality', () => {
  const missing = cases.find((c) => c.scenario === 'missing-values') as (typeof cases)[number];
  const fresh = cases.find((c) => c.scenario === 'new-category') as (typeof cases)[number];

  it('flags a missing rate that rose by more than 15 points, and not one that did not', async () => {
    const report = await new DriftDetector({ reference: missing.reference }).detect(missing.current);
    const x = (report.features.x as FeatureDrift).quality;
    expect(x.referenceMissingRate).toBe(0);
    expect(x.currentMissingRate).toBeGreaterThan(0.25);
    expect(x.missingRateIncreased).toBe(true);
    expect((report.features.y as FeatureDrift).quality.missingRateIncreased).toBe(false);
    expect(report.qualityFlagged).toEqual(['x', 'sector']);
    const lenient = new DriftDetector({ reference: missing.reference, missingRateIncrease: 0.5 });
    expect((await lenient.detect(missing.current)).qualityFlagged).toEqual([]);
  });

  it('names new and vanished categories', async () => {
    const report = await new DriftDetector({ reference: fresh.reference }).detect(fresh.current);
    expect((report.features.sector as FeatureDrift).quality.newCategories).toEqual(['crypto']);
    const vanished = await new DriftDetector({ reference: fresh.current }).detect(fresh.reference);
    expect((vanished.features.sector as FeatureDrift).quality.vanishedCategories).toEqual(['crypto']);
  });

  it('gives constant columns p = 1 and flags a column that became constant', async () => {
    const reference = { level: [3, 3, 3, 3, 3, 3], x: [1, 2, 3, 4, 5, 6] };
    const report = await new DriftDetector({ reference }).detect({ level: [3, 3, 3, 3], x: [2, 2, 2, 2] });
    expect(report.features.level).toMatchObject({ test: 'z', statistic: 0, pValue: 1, drifted: false });
    expect((report.features.x as FeatureDrift).quality.becameConstant).toBe(true);
  });

  it('reports the share of current values outside the reference range', async () => {
    const report = await new DriftDetector({ reference: { x: [1, 2, 3, 4, 5, 6, 7, 8] } }).detect({
      x: [0, 2, 4, 9, 10],
    });
    expect((report.features.x as FeatureDrift).quality.outOfRangeShare).toBeCloseTo(3 / 5, 15);
  });

  it('reports a column without current values as untested, not drifted, with its missing rate flagged', async () => {
    const report = await new DriftDetector({
      reference: { x: [1, 2, 3, 4], g: ['a', 'b', 'a', 'b'] },
    }).detect({
      x: [null, null, null],
      g: ['a', 'b', 'b'],
    });
    expect(report.features.x).toMatchObject({ test: 'none', drifted: false });
    expect((report.features.x as FeatureDrift).quality.missingRateIncreased).toBe(true);
    expect(report.share).toBe(0);
  });
});

describe('decisions', () => {
  it('corrects the p-values for the number of columns when asked', async () => {
    const random = new Random(5);
    const reference = normalColumns(random, 400);
    const current = normalColumns(random, 400, 0.18);
    const plain = await new DriftDetector({ reference }).detect(current);
    const holm = await new DriftDetector({ reference, correction: 'bonferroni' }).detect(current);
    const x = plain.features.x as FeatureDrift;
    expect((holm.features.x as FeatureDrift).adjustedPValue).toBeCloseTo(
      Math.min(1, 3 * (x.pValue as number)),
      14,
    );
    expect(x.adjustedPValue).toBe(x.pValue);
  });

  it('does not call a tiny but significant shift drift below the minimum effect size', async () => {
    const random = new Random(6);
    const n = 200_000;
    const reference = { x: Array.from({ length: 800 }, () => random.normal(0, 1)) };
    const current = { x: Array.from({ length: n }, () => random.normal(0.12, 1)) };
    const ks = { tests: { x: 'ks' as const } };
    const significant = await new DriftDetector({ reference, ...ks }).detect(current);
    expect((significant.features.x as FeatureDrift).drifted).toBe(true);
    const sized = await new DriftDetector({ reference, ...ks, minEffectSize: 0.2 }).detect(current);
    expect(sized.features.x).toMatchObject({ drifted: false });
    expect((sized.features.x as FeatureDrift).effect).toBeLessThan(0.2);
  });

  it('uses the test and threshold a column is given', async () => {
    const random = new Random(7);
    const reference = normalColumns(random, 300);
    const current = normalColumns(random, 300, 0.3);
    const report = await new DriftDetector({
      reference,
      tests: { x: { test: 'psi', threshold: 0.01 }, y: 'anderson', group: 'hellinger' },
    }).detect(current);
    expect(report.features.x).toMatchObject({ test: 'psi', threshold: 0.01 });
    expect(report.features.y).toMatchObject({ test: 'anderson', threshold: 0.05 });
    expect(report.features.group).toMatchObject({ test: 'hellinger', threshold: 0.1 });
  });

  it('flags the dataset at most at the nominal rate when nothing changed', { timeout: 120_000 }, async () => {
    const random = new Random(8);
    let single = 0;
    let dataset = 0;
    for (let d = 0; d < 200; d++) {
      // n = 1,000: KS on the numbers, chi-square on the labels, each at 5%.
      const report = await new DriftDetector({ reference: normalColumns(random, 1000) }).detect(
        normalColumns(random, 1000),
      );
      if ((report.features.x as FeatureDrift).drifted) single++;
      if (report.drifted) dataset++;
    }
    // One test: 5% in expectation; 21 of 200 is the 99.9% quantile of Binomial(200, 0.05).
    expect(single).toBeLessThanOrEqual(21);
    // Three columns, drifted when two of them are: 0.73% in expectation (99.9% quantile: 6 of 200).
    expect(dataset).toBeLessThanOrEqual(6);
    let large = 0;
    for (let d = 0; d < 200; d++) {
      // n = 100,000: the normalised Wasserstein distance, whose noise is far below its 0.1 threshold.
      const draw = () => ({ x: Float64Array.from({ length: 100_000 }, () => random.normal(0, 1)) });
      const report = await new DriftDetector({ reference: draw() }).detect(draw());
      if (report.drifted) large++;
    }
    expect(large).toBeLessThanOrEqual(10);
  });
});

describe('reference profile', () => {
  const random = new Random(9);
  const reference = normalColumns(random, 600);
  const current = normalColumns(random, 500, 0.2);

  it('restores from JSON to the same detections', async () => {
    const detector = new DriftDetector({ reference });
    const restored = new DriftDetector({ profile: JSON.parse(JSON.stringify(detector.profile)) });
    expect((await restored.detect(current)).toJSON()).toEqual((await detector.detect(current)).toJSON());
  });

  it('merges the profiles of two shards into the profile of the whole', () => {
    const first: DriftData = {
      x: reference.x?.slice(0, 250) ?? [],
      y: reference.y?.slice(0, 250) ?? [],
      group: reference.group?.slice(0, 250) ?? [],
    };
    const second: DriftData = {
      x: reference.x?.slice(250) ?? [],
      y: reference.y?.slice(250) ?? [],
      group: reference.group?.slice(250) ?? [],
    };
    const whole = profileReference(reference);
    const merged = mergeProfiles(profileReference(first), profileReference(second));
    expect(merged.rows).toBe(600);
    for (const name of ['x', 'y'] as const) {
      const m = merged.columns[name];
      const w = whole.columns[name];
      if (m?.kind !== 'numeric' || w?.kind !== 'numeric') throw new Error('numeric expected');
      expect(m.sample).toEqual(w.sample);
      expect(m.counts).toEqual(w.counts);
      expect(m.mean).toBeCloseTo(w.mean, 13);
      expect(m.m2 / w.m2).toBeCloseTo(1, 12);
      expect([m.min, m.max, m.count]).toEqual([w.min, w.max, w.count]);
    }
    expect(merged.columns.group).toEqual(whole.columns.group);
  });

  it('keeps a seeded uniform sample of sampleSize values of a larger reference', () => {
    const big = { x: Array.from({ length: 5000 }, (_, i) => i) };
    const profile = profileReference(big, { sampleSize: 500, seed: 3 });
    const x = profile.columns.x;
    if (x?.kind !== 'numeric') throw new Error('numeric expected');
    expect(x.sample).toHaveLength(500);
    expect(x.count).toBe(5000);
    expect(profileReference(big, { sampleSize: 500, seed: 3 })).toEqual(profile);
    // Uniform: the sample's mean is within 4 standard errors of the population's (σ ≈ 1443 / √500).
    const mean = x.sample.reduce((s, v) => s + v, 0) / 500;
    expect(Math.abs(mean - 2499.5)).toBeLessThan((4 * 1443) / Math.sqrt(500));
    expect(x.counts.reduce((s, c) => s + c, 0)).toBeCloseTo(5000, 9);
  });

  it('rejects a profile whose sample is not sorted', () => {
    const profile = profileReference({ x: [3, 1, 2, 5, 4] });
    const broken = JSON.parse(JSON.stringify(profile));
    broken.columns.x.sample = [3, 1, 2, 5, 4];
    expectInvalid(
      () => new DriftDetector({ profile: broken }),
      'Invalid DriftDetector profile: column "x": sample is not sorted ascending',
    );
  });
});

describe('inputs and outputs', () => {
  const random = new Random(11);
  const reference = normalColumns(random, 300);
  const current = normalColumns(random, 300, 0.3);
  const rowsOf = (columns: Columns) =>
    (columns.x as number[]).map((_, i) =>
      Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, v[i]])),
    );

  it('reads rows and columns alike', async () => {
    const fromColumns = await new DriftDetector({ reference }).detect(current);
    const fromRows = await new DriftDetector({ reference: rowsOf(reference) }).detect(rowsOf(current));
    expect(fromRows.toJSON()).toEqual(fromColumns.toJSON());
  });

  it('tests prediction drift with the default test for numbers and for labels', async () => {
    const detector = new DriftDetector({ reference });
    const shifted = await detector.detectPredictions(reference.x as number[], current.x as number[]);
    expect(Object.keys(shifted.features)).toEqual(['prediction']);
    expect(shifted.features.prediction).toMatchObject({ kind: 'numeric', test: 'ks', drifted: true });
    const labels = await detector.detectPredictions(
      ['up', 'down', 'up', 'down', 'up', 'down'],
      ['up', 'up', 'up', 'up', 'up', 'up'],
    );
    expect(labels.features.prediction).toMatchObject({ kind: 'categorical', test: 'z' });
  });

  it('emits quality events for flagged columns', async () => {
    const detector = new DriftDetector({ reference: { g: ['a', 'b', 'a', 'b'] } });
    const events: unknown[] = [];
    detector.on('quality', (q) => events.push(q));
    await detector.detect({ g: ['a', 'c', null, null] });
    expect(events).toEqual([
      {
        column: 'g',
        quality: expect.objectContaining({ newCategories: ['c'], vanishedCategories: ['b'], flagged: true }),
      },
    ]);
  });
});

describe('workers, windows, events and text', () => {
  const random = new Random(10);
  const reference = normalColumns(random, 400);
  const current = normalColumns(random, 400, 0.4);

  it('gives the same report with worker threads', { timeout: 60_000 }, async () => {
    const serial = await new DriftDetector({ reference }).detect(current);
    const threaded = await new DriftDetector({ reference, workers: 2 }).detect(current);
    expect(threaded.toJSON()).toEqual(serial.toJSON());
  });

  it('reports drift over windows of a stream that shifts half way', async () => {
    const n = 600;
    const columns = normalColumns(random, n);
    const stream: Columns = {
      ...columns,
      timestamp: Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1) + i * 3_600_000),
      x: (columns.x as number[]).map((v, i) => (i >= 300 ? v + 1.5 : v)),
    };
    const detector = new DriftDetector({ reference });
    const bySize = await detector.detectWindows(stream, { size: 150 });
    expect(bySize.map((w) => [w.start, w.end])).toEqual([
      [0, 150],
      [150, 300],
      [300, 450],
      [450, 600],
    ]);
    expect(bySize.map((w) => (w.report.features.x as FeatureDrift).drifted)).toEqual([
      false,
      false,
      true,
      true,
    ]);
    const byTime = await detector.detectWindows(stream, {
      durationMs: 200 * 3_600_000,
      step: 100 * 3_600_000,
    });
    expect(byTime[0]).toMatchObject({ start: 0, end: 200, startTime: stream.timestamp?.[0] });
    expect(byTime).toHaveLength(6);
  });

  it('emits drift and quality events with the evidence', async () => {
    const detector = new DriftDetector({ reference });
    const seen: string[] = [];
    detector.on('drift', (f) => seen.push(`${f.column}:${f.test}`));
    const report = await detector.detect(current);
    expect(seen).toEqual(
      report.driftedColumns.map((c) => `${c}:${(report.features[c] as FeatureDrift).test}`),
    );
    expect(seen.length).toBeGreaterThan(0);
  });

  it('prints an aligned table', async () => {
    const report = await new DriftDetector({
      reference: { x: [1, 2, 3, 4, 5, 6, 7], g: ['a', 'b', 'a', 'b', 'a', 'a', 'b'] },
    }).detect({
      x: [5, 6, 7, 8, 9, 10, 11],
      g: ['a', 'c', 'a', 'c', 'c', 'c', 'a'],
    });
    expect(report.toText()).toMatchInlineSnapshot(`
      "Drift: YES — 1 of 2 columns drifted (share 0.500, threshold 0.500), score 0.734; 7 reference rows, 7 current rows
      column  kind         test  statistic  p-value  threshold  effect   score  drift  quality
      ------  -----------  ----  ---------  -------  ---------  ------  ------  -----  -------------------
      x       numeric      ks       0.5714   0.2121      0.050  2.0000  0.7559  -      57.1% out of range
      g       categorical  chi2        inf   0.0000      0.050  0.7123  0.7123  DRIFT  new: c; vanished: b"
    `);
  });
});

describe('bad input', () => {
  it('needs exactly one of reference and profile', () => {
    expectInvalid(() => new DriftDetector({}), 'DriftDetector needs exactly one of reference and profile');
  });

  it('rejects an unknown test and a test that does not fit the column', () => {
    expectInvalid(
      () => new DriftDetector({ reference: { x: [1, 2] }, tests: { x: 'ttest' as 'ks' } }),
      'Invalid DriftDetector options: tests.x: expected a test name: ks, chi2, z, psi, js, wasserstein, ' +
        'hellinger, kl, anderson, cramer-von-mises (received "ttest")',
    );
    expectInvalid(
      () => new DriftDetector({ reference: { g: ['a', 'b'] }, tests: { g: 'ks' } }),
      'DriftDetector test "ks" does not apply to the categorical column "g"',
    );
    expectInvalid(
      () => new DriftDetector({ reference: { g: ['a', 'b'] }, tests: { h: 'js' } }),
      'DriftDetector tests names column "h", which the reference does not have',
    );
  });

  it('rejects current data without a reference column, and values that do not fit a numeric column', async () => {
    const detector = new DriftDetector({ reference: { x: [1, 2, 3], g: ['a', 'b', 'c'] } });
    await expect(detector.detect({ x: [1, 2] })).rejects.toThrow('current has no column "g"; it has: x');
    await expect(detector.detect({ x: [1, 'two'], g: ['a', 'b'] })).rejects.toThrow(
      'current column "x" is numeric and must hold finite numbers or missing values (null, undefined, NaN), but ' +
        'row 1 has "two"',
    );
    await expect(detector.detect({ x: [1, Number.POSITIVE_INFINITY], g: ['a', 'b'] })).rejects.toThrow(
      'row 1 has Infinity',
    );
    await expect(detector.detect({ x: [1, 2, 3], g: ['a', 'b'] })).rejects.toThrow(
      'current columns must have equal lengths, but current.g has 2 values and current.x has 3',
    );
  });

  it('rejects bad windows and unsorted timestamps', async () => {
    const detector = new DriftDetector({ reference: { x: [1, 2, 3] } });
    await expect(detector.detectWindows({ x: [1], timestamp: [0] }, {})).rejects.toThrow(
      'detectWindows needs exactly one of size and durationMs',
    );
    await expect(detector.detectWindows({ x: [1, 2], timestamp: [5, 4] }, { size: 1 })).rejects.toThrow(
      'detectWindows: timestamp must be in non-decreasing order, but timestamp[1] (4) is before timestamp[0] (5)',
    );
    await expect(detector.detectWindows({ x: [1, 2] }, { size: 1 })).rejects.toThrow(
      'detectWindows: the data have no timestamp column "timestamp"',
    );
  });

  it('rejects profile options beside a profile', () => {
    const profile = profileReference({ x: [1, 2, 3] });
    expectInvalid(
      () => new DriftDetector({ profile, bins: 20 }),
      'DriftDetector options bins shape a new profile and cannot be used with profile',
    );
  });
});
