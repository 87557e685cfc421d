/**
 * The closed set of error codes that mlcycle throws. Match on `error.code` rather than on message text.
 *
 * - `INVALID_ARGUMENT`: an argument or option is malformed, out of range, or inconsistent with another.
 * - `INSUFFICIENT_DATA`: the input is well formed but too short or too sparse for the requested computation.
 * - `NOT_FOUND`: a named thing (document, model, version, file, package) does not exist.
 * - `CONFLICT`: a write lost a race: the stored revision is not the one the caller expected.
 * - `INTEGRITY`: stored data does not match its recorded checksum or structure.
 * - `UNSUPPORTED`: the operation is not available in this runtime, adapter or configuration.
 * - `STORAGE`: the storage backend failed (I/O error, lock held by another process, closed store).
 * - `ABORTED`: the operation was cancelled through an `AbortSignal` or a timeout.
 */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INSUFFICIENT_DATA'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INTEGRITY'
  | 'UNSUPPORTED'
  | 'STORAGE'
  | 'ABORTED';

/** Every {@link ErrorCode}, in declaration order. */
export const ERROR_CODES: readonly ErrorCode[] = [
  'INVALID_ARGUMENT',
  'INSUFFICIENT_DATA',
  'NOT_FOUND',
  'CONFLICT',
  'INTEGRITY',
  'UNSUPPORTED',
  'STORAGE',
  'ABORTED',
];

/** Options for {@link MlcycleError}. */
export interface MlcycleErrorOptions {
  /** Plain, JSON-serialisable facts about the failure (the offending index, the expected revision, …). */
  details?: Record<string, unknown>;
  /** The underlying error, if this one wraps another. */
  cause?: unknown;
}

/**
 * The one error type mlcycle throws. Its `message` says what was wrong and what would be right; its `code` is
 * stable and meant for programs.
 *
 * @example
 * ```ts
 * import { MlcycleError } from 'mlcycle';
 *
 * try {
 *   await storage.put('trials', 't-1', trial, { expectedRevision: 3 });
 * } catch (error) {
 *   if (MlcycleError.is(error, 'CONFLICT')) {
 *     // someone else wrote first: re-read and retry
 *   } else {
 *     throw error;
 *   }
 * }
 * ```
 */
export class MlcycleError extends Error {
  /** What kind of failure this is. */
  readonly code: ErrorCode;
  /** Plain facts about the failure, when there are any. */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: MlcycleErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MlcycleError';
    this.code = code;
    this.details = options.details;
  }

  /**
   * Whether `error` is an {@link MlcycleError}, optionally with the given code. Works across copies of the
   * package (ESM and CJS builds loaded side by side) because it checks the shape, not the prototype.
   */
  static is(error: unknown, code?: ErrorCode): error is MlcycleError {
    if (typeof error !== 'object' || error === null) return false;
    const candidate = error as { name?: unknown; code?: unknown };
    return (
      candidate.name === 'MlcycleError' &&
      typeof candidate.code === 'string' &&
      (ERROR_CODES as readonly string[]).includes(candidate.code) &&
      (code === undefined || candidate.code === code)
    );
  }

  /** A plain object with the error's code, message and details, for logs and JSON responses. */
  toJSON(): {
    /** Always `"MlcycleError"`. */
    name: string;
    /** The error's code. */
    code: ErrorCode;
    /** The error's message. */
    message: string;
    /** The error's details, when it has any. */
    details?: Record<string, unknown>;
  } {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/**
 * The message of an error, or the thing thrown itself as text.
 *
 * @internal shared by the modules' error messages; not part of the public surface.
 */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
