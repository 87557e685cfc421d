import { z } from 'zod';
import { type Clock, clockSchema } from '../core/clock.js';

/** The checks {@link checkQuality} runs, as named in issues and in the summary. */
export const QUALITY_CHECKS = [
  'missing',
  'nonFinite',
  'duplicate',
  'unsorted',
  'outlier',
  'stale',
  'minRows',
  'gap',
] as const;

/** One of {@link QUALITY_CHECKS}. */
export type QualityCheck = (typeof QUALITY_CHECKS)[number];

/** How serious an issue is: errors make a report fail (`ok: false`); warnings are only reported. */
export type Severity = 'error' | 'warning';

/** The severity each check's issues get unless {@link QualityRules.severity} says otherwise. */
export const DEFAULT_SEVERITY: Readonly<Record<QualityCheck, Severity>> = {
  missing: 'error',
  nonFinite: 'error',
  duplicate: 'error',
  unsorted: 'error',
  outlier: 'warning',
  stale: 'error',
  minRows: 'error',
  gap: 'warning',
};

/** What {@link checkQuality} looks for. Checks whose rule is absent do not run, except the four always on. */
export interface QualityRules<F extends string = string> {
  /** The fields to check for missing and non-finite values. @defaultValue every field found in any row */
  fields?: F[];
  /**
   * The largest share of missing (`null` or absent) values allowed per field, in [0, 1]; one number for every
   * field, or one per field (fields not named allow none). Always on. @defaultValue 0
   */
  maxMissingFraction?: number | Partial<Record<F, number>>;
  /**
   * Outlier moves: a field's relative change from its last observed value of the same symbol,
   * `|x_t / x_prev − 1|`, above this limit is an `outlier` issue (`{ close: 0.5 }` flags a 50% move in one bar).
   * A move from 0 has no relative size and is skipped. @defaultValue no outlier check
   */
  maxAbsChange?: Partial<Record<F, number>>;
  /** Staleness: each symbol's latest timestamp may be at most this old at `clock.now()`. @defaultValue no check */
  maxAgeMs?: number;
  /** Minimum history: each symbol (or the whole series) needs at least this many rows. @defaultValue no check */
  minRows?: number;
  /** Gaps between consecutive timestamps of a symbol. @defaultValue no check */
  gaps?: GapRule;
  /** Overrides of the default severities ({@link DEFAULT_SEVERITY}), e.g. `{ outlier: 'error' }`. */
  severity?: Partial<Record<QualityCheck, Severity>>;
}

/** The `gaps` rule of {@link QualityRules}. */
export interface GapRule {
  /** The expected time between consecutive rows, e.g. `86_400_000` for daily bars. */
  expectedIntervalMs: number;
  /**
   * How much longer than expected a step may be before it is a gap, as a fraction: a step is a gap when it is
   * more than `expectedIntervalMs × (1 + tolerance)`. @defaultValue 0.5
   */
  tolerance?: number;
  /**
   * How time between rows is measured. `'continuous'` counts every millisecond; `'business-days'` leaves out
   * Saturdays and Sundays (UTC), so Friday to Monday is one day, for daily market or business data. Holidays are
   * not known to it and show up as gaps, which is one reason gap issues are warnings by default.
   * @defaultValue 'continuous'
   */
  calendar?: 'continuous' | 'business-days';
}

/** How {@link checkQuality} runs. */
export interface QualityOptions {
  /** Supplies "now" for staleness and `checkedAt`. @defaultValue `systemClock` */
  clock?: Clock;
  /** Throw (see {@link assertQuality}) instead of returning when the report has an error. @defaultValue false */
  blocking?: boolean;
  /**
   * Row-level issues listed per check before the rest are folded into one "and N more" issue, so that a badly
   * broken file gives a readable report. @defaultValue 20
   */
  maxIssuesPerCheck?: number;
}

/** One problem found by {@link checkQuality}. */
export interface QualityIssue {
  /** Which check found it. */
  check: QualityCheck;
  /** Whether it fails the report. */
  severity: Severity;
  /** What is wrong, in words, with dates and values. */
  message: string;
  /** The row it concerns (the first one, for issues that count several), as an index into the checked rows. */
  index?: number;
  /** The field it concerns. */
  field?: string;
  /** The symbol it concerns. */
  symbol?: string;
  /** How many occurrences it stands for, when more than one (missing values, folded row issues). */
  count?: number;
}

/** The plain, JSON-serialisable result of {@link checkQuality}. */
export interface QualityReport {
  /** True when no issue has severity `error`. */
  ok: boolean;
  /** How many rows were checked. */
  rows: number;
  /** When the check ran, in epoch ms by the clock given. */
  checkedAt: number;
  /** Every issue, grouped by check in the order of {@link QUALITY_CHECKS}. */
  issues: QualityIssue[];
  /** For each check that ran, how many occurrences it found (0 when clean). */
  summary: Partial<Record<QualityCheck, number>>;
}

const fraction = z.number().min(0).max(1);

/** The zod schema of {@link QualityRules}. */
export const qualityRulesSchema = z.strictObject({
  fields: z.array(z.string().min(1)).optional(),
  maxMissingFraction: z.union([fraction, z.record(z.string(), fraction)]).default(0),
  maxAbsChange: z.record(z.string(), z.number().positive()).optional(),
  maxAgeMs: z.number().positive().optional(),
  minRows: z.number().int().min(1).optional(),
  gaps: z
    .strictObject({
      expectedIntervalMs: z.number().positive(),
      tolerance: z.number().min(0).default(0.5),
      calendar: z.enum(['continuous', 'business-days']).default('continuous'),
    })
    .optional(),
  severity: z.partialRecord(z.enum(QUALITY_CHECKS), z.enum(['error', 'warning'])).optional(),
});

/** The zod schema of {@link QualityOptions}. */
export const qualityOptionsSchema = z.strictObject({
  clock: clockSchema.optional(),
  blocking: z.boolean().default(false),
  maxIssuesPerCheck: z.number().int().min(1).default(20),
});
