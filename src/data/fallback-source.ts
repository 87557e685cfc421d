import { z } from 'zod';
import { type Clock, systemClock } from '../core/clock.js';
import { type ErrorCode, errorMessage, MlcycleError } from '../core/errors.js';
import { TypedEmitter } from '../core/events.js';
import { parseOptions } from '../core/options.js';
import { resolveQuery } from './query.js';
import { validateRows } from './rows.js';
import type { DataQuery, DataRow, DataSource } from './types.js';

const optionsSchema = z.strictObject({
  name: z.string().min(1).optional(),
  clock: z
    .custom<Clock>(
      (v) => typeof v === 'object' && v !== null && typeof (v as Clock).now === 'function',
      'expected a Clock ({ now(), sleep(ms) })',
    )
    .optional(),
});

/** Options for {@link FallbackSource}. */
export interface FallbackSourceOptions {
  /** The chain's name in reports and messages. @defaultValue `fallback(` + the sources' names + `)` */
  name?: string;
  /** The clock used to time each attempt. @defaultValue `systemClock` */
  clock?: Clock;
}

/** One source's turn in a {@link FallbackSource} fetch. */
export interface FallbackAttempt {
  /** The source's name. */
  source: string;
  /** Whether it served valid rows. */
  ok: boolean;
  /** Why it failed, when it did. */
  error?: string;
  /** How long the attempt took, by the chain's clock. */
  durationMs: number;
}

/** What {@link FallbackSource.fetchWithReport} returns: the rows and who served them. */
export interface FallbackReport<F extends string = string> {
  /** The rows served. */
  rows: DataRow<F>[];
  /** The name of the source that served them. */
  servedBy: string;
  /** Every source tried, in order, ending with the one that served. */
  attempts: FallbackAttempt[];
}

/** Events of a {@link FallbackSource}. */
export interface FallbackSourceEvents {
  /** `failed` could not serve, so the chain moves on to `next`; alert on this to learn the primary is down. */
  fallback: {
    /** The source that failed. */
    failed: string;
    /** The source tried next. */
    next: string;
    /** Why it failed. */
    error: string;
  };
}

/**
 * A {@link DataSource} that tries its sources in order and returns the first one's rows that succeeds. What a
 * source returns is validated (sorted by (timestamp, symbol), no duplicates, finite values or `null`), so a
 * source serving malformed rows counts as failed, and the next one is asked.
 *
 * The query is validated once, before any source is asked, so a bad query fails at once instead of being blamed
 * on every source. When every source fails, the error lists each failure; its code is the sources' common code
 * when they all failed with the same one (e.g. `NOT_FOUND`), and `STORAGE` otherwise. Emits `fallback` each time
 * it moves past a failed source.
 *
 * @example
 * ```ts
 * import { CsvSource, type DataRowInput, FallbackSource, HttpJsonSource } from 'mlcycle';
 *
 * const source = new FallbackSource([
 *   new HttpJsonSource({ url: 'https://prices.example.com/daily', parse: (json) => json as DataRowInput[] }),
 *   new CsvSource({ path: 'cache/daily.csv' }),
 * ]);
 * source.on('fallback', (e) => console.warn(`${e.failed} is down (${e.error}); using ${e.next}`));
 * const { rows, servedBy } = await source.fetchWithReport({ from: '2024-01-01' });
 * ```
 */
export class FallbackSource<F extends string = string>
  extends TypedEmitter<FallbackSourceEvents>
  implements DataSource<F>
{
  /** The chain's name in reports and messages. */
  readonly name: string;
  /** The sources, in the order they are tried. */
  readonly sources: readonly DataSource<F>[];
  private readonly clock: Clock;

  /**
   * @param sources - at least one {@link DataSource}, primary first.
   * @param options - see {@link FallbackSourceOptions}.
   */
  constructor(sources: readonly DataSource<F>[], options: FallbackSourceOptions = {}) {
    super();
    const parsed = parseOptions(optionsSchema, options, 'FallbackSource options');
    if (!Array.isArray(sources) || sources.length === 0) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        'FallbackSource needs a non-empty array of data sources, primary first',
      );
    }
    sources.forEach((source: unknown, i) => {
      const candidate = source as Partial<DataSource> | null;
      if (typeof candidate?.fetch !== 'function' || typeof candidate.name !== 'string') {
        throw new MlcycleError(
          'INVALID_ARGUMENT',
          `FallbackSource sources[${i}] is not a data source; expected an object with a name and a fetch(query) method`,
        );
      }
    });
    this.sources = [...sources];
    this.name = parsed.name ?? `fallback(${sources.map((s) => s.name).join(', ')})`;
    this.clock = parsed.clock ?? systemClock;
  }

  /** The rows of the first source that succeeds. */
  async fetch(query?: DataQuery): Promise<DataRow<F>[]> {
    return (await this.fetchWithReport(query)).rows;
  }

  /** Like {@link FallbackSource.fetch}, but also says which source served and how every attempt went. */
  async fetchWithReport(query?: DataQuery): Promise<FallbackReport<F>> {
    resolveQuery(query, `FallbackSource ${JSON.stringify(this.name)}`);
    const attempts: FallbackAttempt[] = [];
    const errors: unknown[] = [];
    for (let i = 0; i < this.sources.length; i++) {
      const source = this.sources[i] as DataSource<F>;
      const started = this.clock.now();
      try {
        const rows = await source.fetch(query);
        const checked = validateRows<F>(rows, `Source ${JSON.stringify(source.name)} rows`, false);
        attempts.push({ source: source.name, ok: true, durationMs: this.clock.now() - started });
        return { rows: checked, servedBy: source.name, attempts };
      } catch (error) {
        errors.push(error);
        const text = errorMessage(error);
        attempts.push({
          source: source.name,
          ok: false,
          error: text,
          durationMs: this.clock.now() - started,
        });
        const next = this.sources[i + 1];
        if (next !== undefined) this.emit('fallback', { failed: source.name, next: next.name, error: text });
      }
    }
    throw this.exhausted(attempts, errors);
  }

  private exhausted(attempts: FallbackAttempt[], errors: unknown[]): MlcycleError {
    const codes = new Set<ErrorCode | undefined>(
      errors.map((e) => (MlcycleError.is(e) ? e.code : undefined)),
    );
    const [only] = codes;
    const code = codes.size === 1 && only !== undefined ? only : 'STORAGE';
    const list = attempts.map((a) => `${a.source}: ${a.error}`).join(' | ');
    return new MlcycleError(
      code,
      `FallbackSource ${JSON.stringify(this.name)}: all ${attempts.length} sources failed: ${list}`,
      {
        details: { attempts },
        cause: new AggregateError(errors, 'every source failed'),
      },
    );
  }
}
