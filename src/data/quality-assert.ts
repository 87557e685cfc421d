import { MlcycleError } from '../core/errors.js';
import type { QualityCheck, QualityReport } from './quality-rules.js';

const SHOWN = 3;

/**
 * Throws when `report` (from {@link checkQuality}) has any error-severity issue; returns quietly otherwise.
 * Use it as a gate before training or trading on data.
 *
 * The code is `INSUFFICIENT_DATA` when every error is a `minRows` issue (the data is fine, there is just not
 * enough of it yet), and `INVALID_ARGUMENT` otherwise. The message counts the errors per check and quotes the
 * first few; `details.report` holds the whole report.
 *
 * @example
 * ```ts
 * import { assertQuality, checkQuality, loadSp500, MemoryStorage } from 'mlcycle';
 *
 * const report = checkQuality(await loadSp500(), { minRows: 500, maxAbsChange: { close: 0.2 } });
 * await new MemoryStorage().put('quality', 'sp500', report); // keep the evidence either way
 * assertQuality(report);                                      // then refuse to go on with bad data
 * ```
 */
export function assertQuality(report: QualityReport): void {
  if (typeof report !== 'object' || report === null || !Array.isArray(report.issues)) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      'assertQuality needs the report returned by checkQuality ({ ok, issues, summary, … })',
    );
  }
  const errors = report.issues.filter((issue) => issue.severity === 'error');
  if (errors.length === 0) return;
  const perCheck = new Map<QualityCheck, number>();
  let total = 0;
  for (const issue of errors) {
    const count = issue.count ?? 1;
    perCheck.set(issue.check, (perCheck.get(issue.check) ?? 0) + count);
    total += count;
  }
  const counts = [...perCheck].map(([check, count]) => `${check}: ${count}`).join(', ');
  const shown = errors
    .slice(0, SHOWN)
    .map((issue) => issue.message)
    .join('; ');
  const more = errors.length > SHOWN ? `; and ${errors.length - SHOWN} more issues in details.report` : '';
  const code = errors.every((issue) => issue.check === 'minRows') ? 'INSUFFICIENT_DATA' : 'INVALID_ARGUMENT';
  throw new MlcycleError(
    code,
    `Data quality check failed with ${total} error${total === 1 ? '' : 's'} (${counts}): ${shown}${more}`,
    { details: { report } },
  );
}
