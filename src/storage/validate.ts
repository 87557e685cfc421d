import { z } from 'zod';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import type { ListOptions, ReadLogOptions } from './types.js';

const NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,127}$/;
const BLOB_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;
const FIELD_SEGMENT = /^[A-Za-z0-9_-]+$/;
const MAX_ID_LENGTH = 512;

/** Checks a collection or log name. */
export function assertName(name: unknown, kind: 'collection' | 'log'): asserts name is string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `Invalid ${kind} name ${JSON.stringify(name)}: expected a letter followed by at most 127 letters, digits, '_', '-' or '.'`,
    );
  }
}

/** Checks a document id. */
export function assertId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `Invalid document id ${typeof id === 'string' ? JSON.stringify(id.slice(0, 40)) : String(id)}: expected a non-empty string of at most ${MAX_ID_LENGTH} characters`,
    );
  }
}

/** Checks a blob key: `/`-separated segments of letters, digits, `_`, `-`, `.`, none starting with `.`. */
export function assertBlobKey(key: unknown): asserts key is string {
  if (
    typeof key !== 'string' ||
    key.length === 0 ||
    key.length > MAX_ID_LENGTH ||
    !key.split('/').every((segment) => BLOB_SEGMENT.test(segment))
  ) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `Invalid blob key ${JSON.stringify(key)}: expected '/'-separated segments of letters, digits, '_', '-' or '.', none empty or starting with '.'`,
    );
  }
}

/** Checks an `expectedRevision` option. */
export function assertRevision(revision: unknown): void {
  if (revision !== undefined && (!Number.isSafeInteger(revision) || (revision as number) < 0)) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `expectedRevision must be an integer >= 0 (0: the document must not exist yet), received ${String(revision)}`,
    );
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `a bigint (${value}n)`;
  if (typeof value === 'symbol') return 'a symbol';
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  return `an instance of ${proto?.constructor?.name ?? 'an unknown class'}`;
}

function checkJson(value: unknown, path: string, ancestors: Set<object>): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return;
  } else if (Array.isArray(value)) {
    if (ancestors.has(value)) throw notJson(path, 'a circular reference');
    ancestors.add(value);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw notJson(`${path}[${i}]`, 'a hole in a sparse array');
      checkJson(value[i], `${path}[${i}]`, ancestors);
    }
    ancestors.delete(value);
    return;
  } else if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) {
      if (ancestors.has(value)) throw notJson(path, 'a circular reference');
      ancestors.add(value);
      for (const key of Object.keys(value)) {
        checkJson((value as Record<string, unknown>)[key], `${path}.${key}`, ancestors);
      }
      ancestors.delete(value);
      return;
    }
  }
  throw notJson(path, describe(value));
}

function notJson(path: string, what: string): MlcycleError {
  return new MlcycleError(
    'INVALID_ARGUMENT',
    `${path} is ${what}; stored values must be plain JSON (finite numbers, strings, booleans, null, arrays, plain objects)`,
    { details: { path } },
  );
}

/** Serialises a value to JSON after checking that it survives the round trip unchanged. */
export function toJson(value: unknown, what: string): string {
  checkJson(value, what, new Set());
  return JSON.stringify(value);
}

const fieldPath = z
  .string()
  .refine((path) => path.split('.').every((segment) => FIELD_SEGMENT.test(segment)), {
    message: "expected a dotted field path of letters, digits, '_' or '-'",
  });

const listSchema = z.strictObject({
  where: z
    .record(fieldPath, z.union([z.string(), z.number().refine(Number.isFinite), z.boolean(), z.null()]))
    .optional(),
  idPrefix: z.string().optional(),
  orderBy: fieldPath.optional(),
  direction: z.enum(['asc', 'desc']).optional(),
  offset: z.number().int().nonnegative().optional(),
  limit: z.number().int().nonnegative().optional(),
});

/** Validates {@link ListOptions}. */
export function parseListOptions(options: ListOptions | undefined): ListOptions {
  return parseOptions(listSchema, options ?? {}, 'list options') as ListOptions;
}

const readSchema = z.strictObject({
  fromOffset: z.number().int().nonnegative().optional(),
  limit: z.number().int().nonnegative().optional(),
});

/** Validates {@link ReadLogOptions}. */
export function parseReadOptions(options: ReadLogOptions | undefined): ReadLogOptions {
  return parseOptions(readSchema, options ?? {}, 'log read options') as ReadLogOptions;
}
