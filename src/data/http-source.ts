import { z } from 'zod';
import { type Clock, clockSchema, systemClock } from '../core/clock.js';
import { errorMessage, MlcycleError } from '../core/errors.js';
import { TypedEmitter } from '../core/events.js';
import { parseOptions } from '../core/options.js';
import { Random } from '../core/random.js';
import {
  type AttemptFailure,
  describeNetworkError,
  fullJitterDelay,
  isRetryable,
  parseRetryAfter,
  redactUrl,
} from './http-retry.js';
import { filterRows, resolveQuery } from './query.js';
import { describeType, validateRows } from './rows.js';
import type { DataQuery, DataRow, DataRowInput, DataSource, ResolvedQuery } from './types.js';

const fn = <T>() => z.custom<T>((v) => typeof v === 'function', 'expected a function');

const optionsSchema = z.strictObject({
  name: z.string().min(1).optional(),
  url: z.union([z.string().min(1), fn<(query: ResolvedQuery) => string>()]),
  headers: z.record(z.string(), z.string()).default({}),
  parse: fn<(json: unknown, query: ResolvedQuery) => unknown>(),
  retries: z.number().int().min(0).max(20).default(3),
  backoffMs: z.number().min(0).default(250),
  maxDelayMs: z.number().min(0).default(30_000),
  timeoutMs: z.number().positive().default(10_000),
  seed: z.number().int().min(0).optional(),
  sort: z.boolean().default(false),
  fetch: fn<typeof globalThis.fetch>().optional(),
  clock: clockSchema.optional(),
});

/** Options for {@link HttpJsonSource}. */
export interface HttpJsonSourceOptions<F extends string = string> {
  /** The source's name in reports and messages. @defaultValue `http:` followed by the URL's host */
  name?: string;
  /** The URL to GET, or a function building it from the validated query (times in epoch ms). */
  url: string | ((query: ResolvedQuery) => string);
  /** Request headers, e.g. an `authorization` token. @defaultValue `{}` */
  headers?: Record<string, string>;
  /** Turns the response's JSON into rows; the rows are then validated like {@link ArraySource}'s. */
  parse: (json: unknown, query: ResolvedQuery) => readonly DataRowInput<F>[];
  /** How many times to retry after the first attempt fails (so `retries + 1` attempts at most). @defaultValue 3 */
  retries?: number;
  /** The base of the exponential backoff: retry k waits a uniform draw from `[0, backoffMs · 2^k)`. @defaultValue 250 */
  backoffMs?: number;
  /** The longest wait between attempts, including one asked for by a `Retry-After` header. @defaultValue 30000 */
  maxDelayMs?: number;
  /** How long one attempt (request and body) may take before it is abandoned and counted as failed. @defaultValue 10000 */
  timeoutMs?: number;
  /**
   * Seeds the backoff jitter, for reproducible waits. Only timing depends on it, never the data.
   * @defaultValue a random seed, so that many processes restarting together do not retry in lockstep
   */
  seed?: number;
  /** Sort the parsed rows by (timestamp, symbol) instead of rejecting rows out of order. @defaultValue false */
  sort?: boolean;
  /** The `fetch` implementation, e.g. one with a proxy agent. @defaultValue `globalThis.fetch` */
  fetch?: typeof globalThis.fetch;
  /** The clock used to wait between attempts; tests pass a `ManualClock` so they do not wait. @defaultValue `systemClock` */
  clock?: Clock;
}

/** Events of an {@link HttpJsonSource}. */
export interface HttpJsonSourceEvents {
  /** An attempt failed and another will follow after `delayMs`. */
  retry: {
    /** The source's name. */
    source: string;
    /** The attempt that failed, from 1. */
    attempt: number;
    /** How long the source waits before the next attempt. */
    delayMs: number;
    /** Why the attempt failed. */
    error: string;
    /** The HTTP status, when the server answered. */
    status?: number;
  };
}

function randomSeed(): number {
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0] as number;
}

/**
 * A {@link DataSource} that GETs JSON over HTTP, turns it into rows with your `parse` function, and validates
 * them like {@link ArraySource} does, then keeps only the rows inside the query (so a server that ignores
 * query parameters still yields correct rows).
 *
 * Network errors, timeouts, HTTP 408, 429 and 5xx are retried with exponential backoff and full jitter; a
 * `Retry-After` header (seconds or HTTP date) replaces the computed wait, capped at `maxDelayMs`. Other
 * responses are final. Failures map to error codes as follows:
 *
 * - HTTP 404 or 410: `NOT_FOUND`; any other 4xx, a body that is not JSON, or rows that fail validation:
 *   `INVALID_ARGUMENT`. None of these is retried.
 * - every attempt failed and the last one timed out: `ABORTED`; otherwise (network errors, 5xx, 429): `STORAGE`,
 *   the code for a backend that could not serve. `details` holds `url`, `attempts` and each attempt's `failures`;
 *   `cause` the last underlying error.
 *
 * Messages show the URL without credentials or query string, which often carry secrets.
 *
 * @example
 * ```ts
 * import { HttpJsonSource } from 'mlcycle';
 *
 * const source = new HttpJsonSource({
 *   url: (q) => `https://prices.example.com/v1/daily?from=${q.from ?? ''}&to=${q.to ?? ''}`,
 *   headers: { authorization: `Bearer ${process.env.PRICES_TOKEN}` },
 *   parse: (json) => (json as { t: number; c: number }[]).map((p) => ({ timestamp: p.t, values: { close: p.c } })),
 * });
 * source.on('retry', (e) => console.warn(`${e.source}: attempt ${e.attempt} failed (${e.error}), retrying`));
 * const rows = await source.fetch({ from: '2024-01-01' });
 * ```
 */
export class HttpJsonSource<F extends string = string>
  extends TypedEmitter<HttpJsonSourceEvents>
  implements DataSource<F>
{
  /** The source's name in reports and messages. */
  readonly name: string;
  private readonly options: z.output<typeof optionsSchema>;
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly fetchImpl: typeof globalThis.fetch;

  /** @param options - see {@link HttpJsonSourceOptions}. */
  constructor(options: HttpJsonSourceOptions<F>) {
    super();
    this.options = parseOptions(optionsSchema, options, 'HttpJsonSource options');
    const { url } = this.options;
    const fixed = typeof url === 'string' ? this.checkUrl(url, 'HttpJsonSource options.url') : undefined;
    this.name = this.options.name ?? (fixed === undefined ? 'http-json' : `http:${fixed.host}`);
    this.clock = this.options.clock ?? systemClock;
    this.random = new Random(this.options.seed ?? randomSeed());
    if (this.options.fetch === undefined && typeof globalThis.fetch !== 'function') {
      throw new MlcycleError(
        'UNSUPPORTED',
        'HttpJsonSource needs a global fetch (Node 18+, Deno, Bun) or a fetch option',
      );
    }
    this.fetchImpl = this.options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** GETs the URL (retrying as described above) and returns the parsed rows inside the query. */
  async fetch(query?: DataQuery): Promise<DataRow<F>[]> {
    const label = `HttpJsonSource ${JSON.stringify(this.name)}`;
    const resolved = resolveQuery(query, label);
    const { url: urlOption, retries } = this.options;
    const url = this.checkUrl(
      typeof urlOption === 'string' ? urlOption : urlOption(resolved),
      `${label} url`,
    );
    const shown = redactUrl(url);
    const failures: string[] = [];
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(url, shown, attempt, label);
      if (outcome.ok) return this.rows(outcome.json, resolved, label);
      const failure = outcome.failure;
      failures.push(failure.message);
      if (!isRetryable(failure) || attempt > retries) {
        throw this.finalError(failure, label, shown, attempt, failures);
      }
      const retryAfter = failure.kind === 'status' ? failure.retryAfterMs : undefined;
      const delayMs = Math.min(
        this.options.maxDelayMs,
        retryAfter ??
          fullJitterDelay(attempt - 1, this.options.backoffMs, this.options.maxDelayMs, this.random.float()),
      );
      this.emit('retry', {
        source: this.name,
        attempt,
        delayMs,
        error: failure.message,
        ...(failure.kind === 'status' ? { status: failure.status } : {}),
      });
      await this.clock.sleep(delayMs);
    }
  }

  private checkUrl(value: unknown, what: string): URL {
    const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : undefined;
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `${what} must be an absolute http or https URL, received ${typeof value === 'string' ? JSON.stringify(value) : describeType(value)}`,
      );
    }
    return url;
  }

  private async attempt(
    url: URL,
    shown: string,
    attempt: number,
    label: string,
  ): Promise<{ ok: true; json: unknown } | { ok: false; failure: AttemptFailure }> {
    const { timeoutMs, headers } = this.options;
    const signal = AbortSignal.timeout(timeoutMs);
    const timedOut = (cause: unknown): { ok: false; failure: AttemptFailure } => ({
      ok: false,
      failure: { kind: 'timeout', message: `timed out after ${timeoutMs} ms`, cause },
    });
    let response: Response;
    try {
      response = await this.fetchImpl(url, { headers, signal });
    } catch (error) {
      if (signal.aborted) return timedOut(error);
      return { ok: false, failure: { kind: 'network', message: describeNetworkError(error), cause: error } };
    }
    if (!response.ok) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.clock.now());
      await response.body?.cancel().catch(() => undefined);
      const status = `HTTP ${response.status}${response.statusText === '' ? '' : ` ${response.statusText}`}`;
      return {
        ok: false,
        failure: {
          kind: 'status',
          message: status,
          status: response.status,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        },
      };
    }
    try {
      return { ok: true, json: await response.json() };
    } catch (error) {
      if (signal.aborted) return timedOut(error);
      if (error instanceof SyntaxError) {
        throw new MlcycleError(
          'INVALID_ARGUMENT',
          `${label}: the response from GET ${shown} is not valid JSON: ${error.message}`,
          { details: { url: shown, attempts: attempt }, cause: error },
        );
      }
      return { ok: false, failure: { kind: 'network', message: describeNetworkError(error), cause: error } };
    }
  }

  private rows(json: unknown, query: ResolvedQuery, label: string): DataRow<F>[] {
    let parsed: unknown;
    try {
      parsed = this.options.parse(json, query);
    } catch (error) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `${label}: parse threw on the response: ${errorMessage(error)}`,
        { cause: error },
      );
    }
    return filterRows(validateRows<F>(parsed, `${label} rows`, this.options.sort), query);
  }

  private finalError(
    failure: AttemptFailure,
    label: string,
    shown: string,
    attempts: number,
    failures: string[],
  ): MlcycleError {
    const details = { url: shown, attempts, failures };
    const cause = failure.kind === 'status' ? undefined : failure.cause;
    const options = cause === undefined ? { details } : { details, cause };
    if (failure.kind === 'status' && !isRetryable(failure)) {
      const notFound = failure.status === 404 || failure.status === 410;
      return new MlcycleError(
        notFound ? 'NOT_FOUND' : 'INVALID_ARGUMENT',
        `${label}: GET ${shown} returned ${failure.message}; ` +
          (notFound ? 'check the URL' : 'check the URL, query and headers (client errors are not retried)'),
        options,
      );
    }
    const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
    return new MlcycleError(
      failure.kind === 'timeout' ? 'ABORTED' : 'STORAGE',
      `${label}: GET ${shown} failed after ${tries}: ${failures.join('; ')}`,
      options,
    );
  }
}
