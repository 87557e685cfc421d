import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  medianPruner,
  type Pruner,
  type PrunerTrial,
  type PrunerView,
  patientPruner,
  percentilePruner,
  type TrialState,
  thresholdPruner,
} from '../../src/tuning/pruners.js';
import {
  crc32,
  hyperbandBracket,
  hyperbandBudgets,
  hyperbandPruner,
  successiveHalvingPruner,
} from '../../src/tuning/pruners-halving.js';
import { wilcoxonPruner, wilcoxonSignedRank } from '../../src/tuning/pruners-wilcoxon.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';
import { expectInvalid } from '../helpers.js';

type Pairs = [number, number][];
interface Spec {
  kind: 'median' | 'percentile' | 'threshold' | 'patient' | 'halving' | 'hyperband';
  percentile?: number;
  wrapped?: Spec | null;
  options: Record<string, unknown>;
}
interface FixtureTrial {
  state: TrialState;
  intermediate: Pairs;
  rungs: Pairs;
  value: number;
}
type Direction = PrunerView['direction'];

const cases = loadReferenceCases('tuning_pruners');
const ofKind = (fn: string) => cases.filter((c) => c.fn === fn);

function makePruner(spec: Spec): Pruner {
  const o = spec.options as never;
  switch (spec.kind) {
    case 'median':
      return medianPruner(o);
    case 'percentile':
      return percentilePruner(spec.percentile as number, o);
    case 'threshold':
      return thresholdPruner(o);
    case 'patient':
      return patientPruner(spec.wrapped ? makePruner(spec.wrapped) : null, o);
    case 'halving':
      return successiveHalvingPruner(o);
    case 'hyperband':
      return hyperbandPruner(o);
  }
}

function toTrial(t: FixtureTrial, number: number): PrunerTrial {
  return {
    number,
    state: t.state,
    intermediateValues: new Map(t.intermediate),
    rungValues: new Map(t.rungs),
    ...(t.state === 'COMPLETE' ? { value: t.value } : {}),
  };
}

describe('pruner decisions against Optuna 3.1', () => {
  const prune = ofKind('prune');

  it('has decisions of every pruner, both ways, from Optuna 3.1.0', () => {
    expect(prune.length).toBeGreaterThan(1000);
    const kinds = new Set(
      prune.map((c) => `${(c.args.pruner as Spec).kind}:${(c.expected as { prune: boolean }).prune}`),
    );
    expect(kinds.size).toBe(12);
    expect(new Set(cases.map((c) => (c.expected as { optuna?: string }).optuna).filter(Boolean))).toEqual(
      new Set(['3.1.0']),
    );
  });

  it.each(prune.map((c, i) => [i, (c.args.pruner as Spec).kind, c] as const))(
    'case %i (%s) decides and records rungs as Optuna',
    (_i, _kind, c) => {
      const args = c.args as {
        pruner: Spec;
        direction: Direction;
        studyName: string;
        trials: FixtureTrial[];
        current: { intermediate: Pairs; rungs: Pairs };
      };
      const expected = c.expected as { prune: boolean; rungs: Pairs; trialNumber: number };
      const trials = args.trials.map(toTrial);
      const rungs = new Map(args.current.rungs);
      const trial: PrunerTrial = {
        number: expected.trialNumber,
        state: 'RUNNING',
        intermediateValues: new Map(args.current.intermediate),
        rungValues: new Map(rungs),
      };
      const view: PrunerView = {
        trial,
        trials: [...trials, trial],
        direction: args.direction,
        studyName: args.studyName,
        recordRung: (rung, value) => rungs.set(rung, value),
      };
      expect(makePruner(args.pruner).shouldPrune(view)).toBe(expected.prune);
      expect([...rungs].sort((a, b) => a[0] - b[0])).toEqual(expected.rungs);
    },
  );
});

/** Runs a whole study with one pruner instance, as the fixture's optimisation loop: report, decide, tell. */
function runSequence(pruner: Pruner, direction: Direction, studyName: string, curves: number[][]): number[] {
  const trials: PrunerTrial[] = [];
  const prunedAt: number[] = [];
  curves.forEach((curve, number) => {
    const intermediateValues = new Map<number, number>();
    const rungValues = new Map<number, number>();
    const trial: PrunerTrial = { number, state: 'RUNNING', intermediateValues, rungValues };
    trials.push(trial);
    let stopped = -1;
    for (let step = 0; step < curve.length; step++) {
      intermediateValues.set(step, curve[step] as number);
      const view = {
        trial,
        trials,
        direction,
        studyName,
        recordRung: (r: number, v: number) => rungValues.set(r, v),
      };
      if (pruner.shouldPrune(view)) {
        stopped = step;
        break;
      }
    }
    trial.state = stopped >= 0 ? 'PRUNED' : 'COMPLETE';
    if (stopped < 0) trial.value = curve[curve.length - 1] as number;
    prunedAt.push(stopped);
  });
  return prunedAt;
}

describe('whole optimisation runs against Optuna 3.1', () => {
  it.each(ofKind('sequence').map((c) => [c.args.studyName as string, c] as const))(
    '%s prunes the same trials at the same steps',
    (_name, c) => {
      const args = c.args as { pruner: Spec; direction: Direction; studyName: string; curves: number[][] };
      const expected = (c.expected as { prunedAt: number[] }).prunedAt;
      expect(expected.some((s) => s >= 0)).toBe(true);
      expect(runSequence(makePruner(args.pruner), args.direction, args.studyName, args.curves)).toEqual(
        expected,
      );
    },
  );
});

describe('Hyperband brackets', () => {
  it('computes binascii.crc32', () => {
    for (const c of ofKind('crc32')) expect(crc32(c.args.text as string)).toBe(c.expected);
  });

  it.each(ofKind('brackets').map((c) => [c.args.studyName as string, c] as const))(
    'assigns trials 0-199 of study %s to Optuna’s brackets',
    (_name, c) => {
      const a = c.args as {
        minResource: number;
        maxResource: number;
        reductionFactor: number;
        studyName: string;
      };
      const expected = c.expected as { brackets: number[]; budgets: number[] };
      const budgets = hyperbandBudgets(a.minResource, a.maxResource, a.reductionFactor);
      expect(budgets).toEqual(expected.budgets);
      expect(Array.from({ length: 200 }, (_, n) => hyperbandBracket(budgets, a.studyName, n))).toEqual(
        expected.brackets,
      );
    },
  );

  it('needs the study name to pick a bracket', () => {
    const done: PrunerTrial = {
      number: 0,
      state: 'COMPLETE',
      intermediateValues: new Map([[5, 1]]),
      value: 1,
    };
    const trial: PrunerTrial = { number: 1, state: 'RUNNING', intermediateValues: new Map([[0, 1]]) };
    expectInvalid(
      () => hyperbandPruner().shouldPrune({ trial, trials: [done, trial], direction: 'minimize' }),
      'hyperbandPruner: view.studyName is required to pick brackets',
    );
  });
});

describe('wilcoxonSignedRank against scipy.stats.wilcoxon (scipy 1.10)', () => {
  const signed = ofKind('wilcoxon');

  it('covers exact and normal-approximation paths with ties and zeros', () => {
    expect(signed.length).toBeGreaterThan(300);
    const sizes = signed.map((c) => (c.args.d as number[]).length);
    expect(Math.max(...sizes)).toBe(120);
    expect(signed.some((c) => (c.args.d as number[]).includes(0))).toBe(true);
  });

  it.each(
    signed.map((c, i) => {
      const a = c.args as { d: number[]; alternative: 'two-sided'; zeroMethod: 'wilcox' };
      return [i, a.d.length, a.alternative, a.zeroMethod, c] as const;
    }),
  )('case %i (n = %i, %s, %s) agrees to 1e-9', (_i, _n, alternative, zeroMethod, c) => {
    const expected = c.expected as { statistic: number; pValue: number };
    const actual = wilcoxonSignedRank(c.args.d as number[], { alternative, zeroMethod });
    expect(close(actual.statistic, expected.statistic, 1e-12)).toBe(true);
    expect(close(actual.pValue, expected.pValue, 1e-9, 1e-15)).toBe(true);
  });

  it('is exact for up to 50 nonzero differences and approximate otherwise', () => {
    expect(wilcoxonSignedRank([1, 2, 3]).method).toBe('exact');
    expect(wilcoxonSignedRank([0, 2, 3]).method).toBe('approx');
    expect(wilcoxonSignedRank(Array.from({ length: 51 }, (_, i) => i + 1)).method).toBe('approx');
    expect(wilcoxonSignedRank([]).pValue).toBeNaN();
  });

  it('rejects bad input with a clear message', () => {
    expectInvalid(
      () => wilcoxonSignedRank([0, 0], { zeroMethod: 'pratt' }),
      "wilcoxonSignedRank: zeroMethod 'pratt' needs at least one nonzero difference",
    );
    expectInvalid(
      () => wilcoxonSignedRank([1, Number.NaN]),
      'd must contain only finite numbers, but d[1] is NaN',
    );
  });
});

describe('wilcoxonPruner against Optuna 4’s rule evaluated with scipy', () => {
  it.each(ofKind('wilcoxonPrune').map((c, i) => [i, c] as const))('case %i decides as Optuna', (_i, c) => {
    const a = c.args as {
      direction: Direction;
      trials: FixtureTrial[];
      current: Pairs;
      pThreshold: number;
      startupSteps: number;
    };
    const trials = a.trials.map(toTrial);
    const trial: PrunerTrial = {
      number: trials.length,
      state: 'RUNNING',
      intermediateValues: new Map(a.current),
    };
    const pruner = wilcoxonPruner({ pThreshold: a.pThreshold, startupSteps: a.startupSteps });
    const view = { trial, trials: [...trials, trial], direction: a.direction };
    expect(pruner.shouldPrune(view)).toBe((c.expected as { prune: boolean }).prune);
  });

  it('has pruned and kept trials among its cases', () => {
    const decisions = ofKind('wilcoxonPrune').map((c) => (c.expected as { prune: boolean }).prune);
    expect(decisions).toContain(true);
    expect(decisions).toContain(false);
  });
});

describe('properties', () => {
  it('median pruning never happens before startupTrials trials complete', () => {
    const values = fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(
        fc.array(values, { maxLength: 6 }),
        values,
        fc.integer({ min: 1, max: 8 }),
        (done, cur, k) => {
          const trials: PrunerTrial[] = done.map((v, number) => ({
            number,
            state: 'COMPLETE',
            intermediateValues: new Map(v.map((x, s) => [s, x])),
            value: v[v.length - 1] as number,
          }));
          const trial: PrunerTrial = {
            number: trials.length,
            state: 'RUNNING',
            intermediateValues: new Map(cur.map((x, s) => [s, x])),
          };
          const decision = medianPruner({ startupTrials: k }).shouldPrune({
            trial,
            trials,
            direction: 'minimize',
          });
          return trials.length >= k || decision === false;
        },
      ),
    );
  });
});

describe('option validation', () => {
  it('names the offending option', () => {
    expectInvalid(
      () => percentilePruner(101),
      'percentilePruner: percentile must be a number in [0, 100], received 101',
    );
    expectInvalid(
      () => medianPruner({ intervalSteps: 0 }),
      'Invalid medianPruner options: intervalSteps: Too small: expected number to be >=1 (received 0)',
    );
    expectInvalid(
      () => percentilePruner(25, { startupTrials: -1 }),
      'Invalid percentilePruner options: startupTrials: Too small: expected number to be >=0 (received -1)',
    );
    expectInvalid(
      () => thresholdPruner({}),
      'Invalid thresholdPruner options: lower or upper must be given (received an object)',
    );
    expectInvalid(
      () => thresholdPruner({ lower: 2, upper: 1 }),
      'Invalid thresholdPruner options: lower: lower must be at most upper (received 2)',
    );
    expectInvalid(
      () => patientPruner(null, { patience: -1 }),
      'Invalid patientPruner options: patience: Too small: expected number to be >=0 (received -1)',
    );
    expectInvalid(
      () => patientPruner({} as Pruner, { patience: 1 }),
      'patientPruner: wrapped must be a pruner or null',
    );
    expectInvalid(
      () => successiveHalvingPruner({ bootstrapCount: 1 }),
      "Invalid successiveHalvingPruner options: bootstrapCount: bootstrapCount > 0 needs a numeric minResource, not 'auto' (received 1)",
    );
    expectInvalid(
      () => successiveHalvingPruner({ reductionFactor: 1 }),
      'Invalid successiveHalvingPruner options: reductionFactor: Too small: expected number to be >=2 (received 1)',
    );
    expectInvalid(
      () => hyperbandPruner({ minResource: 5, maxResource: 3 }),
      'Invalid hyperbandPruner options: maxResource: maxResource must be at least minResource (received 3)',
    );
    expectInvalid(
      () => hyperbandPruner({ bootstrapCount: 2 }),
      "Invalid hyperbandPruner options: bootstrapCount: bootstrapCount > 0 needs a numeric maxResource, not 'auto' (received 2)",
    );
    expectInvalid(
      () => wilcoxonPruner({ pThreshold: 1.5 }),
      'Invalid wilcoxonPruner options: pThreshold: Too big: expected number to be <=1 (received 1.5)',
    );
  });
});
