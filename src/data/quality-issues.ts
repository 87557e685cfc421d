import {
  QUALITY_CHECKS,
  type QualityCheck,
  type QualityIssue,
  type QualityReport,
  type Severity,
} from './quality-rules.js';

/** A share as a percentage for messages, to three significant digits: `0.0196%`, `9%`, `-20.5%`. */
export function percent(share: number): string {
  return `${Number((share * 100).toPrecision(3))}%`;
}

type IssueBody = Omit<QualityIssue, 'check' | 'severity' | 'count'>;

/**
 * Gathers a report's issues per check. Lists at most `limit` issues per check and folds the rest into one
 * closing "and N more" issue, while the summary still counts every occurrence.
 */
export class IssueCollector {
  private readonly listed = new Map<QualityCheck, QualityIssue[]>();
  private readonly hidden = new Map<QualityCheck, number>();
  private readonly totals = new Map<QualityCheck, number>();

  constructor(
    private readonly severity: Readonly<Record<QualityCheck, Severity>>,
    private readonly limit: number,
    ran: readonly QualityCheck[],
  ) {
    for (const check of ran) this.totals.set(check, 0);
  }

  /** Records an issue standing for `count` occurrences. */
  add(check: QualityCheck, count: number, body: IssueBody): void {
    this.totals.set(check, (this.totals.get(check) ?? 0) + count);
    let list = this.listed.get(check);
    if (list === undefined) {
      list = [];
      this.listed.set(check, list);
    }
    if (list.length < this.limit) {
      list.push({ check, severity: this.severity[check], ...body, ...(count > 1 ? { count } : {}) });
    } else {
      this.hidden.set(check, (this.hidden.get(check) ?? 0) + count);
    }
  }

  /** The finished report. */
  report(rows: number, checkedAt: number): QualityReport {
    const issues: QualityIssue[] = [];
    const summary: Partial<Record<QualityCheck, number>> = {};
    for (const check of QUALITY_CHECKS) {
      const total = this.totals.get(check);
      if (total !== undefined) summary[check] = total;
      issues.push(...(this.listed.get(check) ?? []));
      const hidden = this.hidden.get(check);
      if (hidden !== undefined) {
        issues.push({
          check,
          severity: this.severity[check],
          message: `and ${hidden} more ${check} occurrence${hidden === 1 ? '' : 's'} not listed`,
          count: hidden,
        });
      }
    }
    return { ok: !issues.some((i) => i.severity === 'error'), rows, checkedAt, issues, summary };
  }
}
