import { errorMessage } from '../core/errors.js';

/** What one HTTP attempt came to, as far as retrying is concerned. */
export type AttemptFailure =
  | { kind: 'timeout'; message: string; cause?: unknown }
  | { kind: 'network'; message: string; cause?: unknown }
  | { kind: 'status'; message: string; status: number; retryAfterMs?: number };

/** Whether an HTTP status is worth trying again: overload, rate limiting and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Whether a failure may succeed on a later attempt. */
export function isRetryable(failure: AttemptFailure): boolean {
  return failure.kind !== 'status' || isRetryableStatus(failure.status);
}

/**
 * The wait a `Retry-After` header asks for, in ms: delay-seconds or an HTTP date (relative to `now`). `undefined`
 * when the header is absent or unreadable, so the caller falls back to its own backoff.
 */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/**
 * "Full jitter" exponential backoff (AWS Architecture Blog, "Exponential Backoff and Jitter", 2015): a uniform
 * draw from `[0, min(cap, base * 2^retry))`, which spreads clients apart better than a fixed or equal-jitter delay.
 *
 * @param uniform - a uniform draw in [0, 1).
 */
export function fullJitterDelay(retry: number, baseMs: number, capMs: number, uniform: number): number {
  return Math.round(uniform * Math.min(capMs, baseMs * 2 ** retry));
}

/** Describes a `fetch` rejection: the system error code when there is one (`ECONNREFUSED`), else the message. */
export function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const detail =
    typeof cause?.code === 'string'
      ? cause.code
      : typeof cause?.message === 'string'
        ? cause.message
        : undefined;
  const message = errorMessage(error);
  return `network error: ${message}${detail === undefined ? '' : ` (${detail})`}`;
}

/** A URL for messages: without credentials, query string or fragment, which may hold secrets. */
export function redactUrl(url: URL): string {
  return `${url.origin}${url.pathname}${url.search === '' ? '' : '?…'}`;
}
