/**
 * One column's measurements — its test, effect size and score — as the main thread or a worker thread computes
 * them: the costly part of a detection, independent from column to column.
 *
 * @module
 */
import { MlcycleError } from '../core/errors.js';
import { jensenShannon } from '../stats/divergence.js';
import {
  binnedCounts,
  type CurrentValues,
  type DriftTestName,
  defaultTest,
  driftTest,
  normalisedWasserstein,
  type PreparedReference,
  type TestOutcome,
} from './tests.js';

/** A column to measure: its prepared reference, its current values, and the test to run (the default if none). */
export interface ColumnJob {
  reference: PreparedReference;
  current: CurrentValues;
  test: DriftTestName | undefined;
}

/** What was measured on a column. */
export interface ColumnMeasure {
  /** The test run, `'none'` without current values present. */
  test: DriftTestName | 'none';
  statistic: number;
  pValue: number | undefined;
  effect: number;
  score: number;
}

const UNTESTED: ColumnMeasure = {
  test: 'none',
  statistic: Number.NaN,
  pValue: undefined,
  effect: Number.NaN,
  score: Number.NaN,
};

function presentCount(current: CurrentValues): number {
  return current.kind === 'numeric' ? current.sorted.length : current.present;
}

/** Runs a column's test and measures its effect size and score. */
export function measureColumn(job: ColumnJob): ColumnMeasure {
  const { reference, current } = job;
  if (presentCount(current) === 0 || reference.profile.count === 0) return UNTESTED;
  const test = job.test ?? defaultTest(reference, current);
  let outcome: TestOutcome;
  try {
    outcome = driftTest(test).run(reference, current);
  } catch (error) {
    // Too few values for the test, or none distinct for Anderson–Darling: the column stays untested.
    if (MlcycleError.is(error) && error.code === 'INSUFFICIENT_DATA') return UNTESTED;
    throw error;
  }
  const binned = binnedCounts(reference, current);
  const score = jensenShannon(binned.reference, binned.current, { base: 2 });
  const effect = reference.kind === 'numeric' ? normalisedWasserstein(reference, current) : score;
  return { test, statistic: outcome.statistic, pValue: outcome.pValue, effect, score };
}

/** The worker-thread entry of a detection's column slice (built-in worker task `'drift.columns'`). */
export function measureColumns(jobs: ColumnJob[]): ColumnMeasure[] {
  return jobs.map(measureColumn);
}
