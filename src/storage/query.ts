import { compareCodePoints } from '../core/sort.js';
import type { FieldValue, ListOptions } from './types.js';

/** The parts of a document that listing looks at. */
export interface QueryableDocument {
  /** The document's id. */
  id: string;
  /** The document's parsed value. */
  value: unknown;
}

/** Reads a dotted path from a parsed JSON value; `undefined` when any step is missing. */
export function fieldAt(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    // Own properties only: `constructor` or `toString` must read as missing, as they do in stored JSON.
    if (
      typeof current !== 'object' ||
      current === null ||
      Array.isArray(current) ||
      !Object.hasOwn(current, key)
    ) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function matches(actual: unknown, expected: FieldValue): boolean {
  if (expected === null) return actual === null || actual === undefined;
  return actual === expected;
}

function rank(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number' || typeof value === 'boolean') return 1;
  return 2;
}

/** Orders two field values as {@link ListOptions.orderBy} documents. */
export function compareFieldValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 1) return Number(a) - Number(b);
  if (ra === 2) {
    const sa = typeof a === 'string' ? a : JSON.stringify(a);
    const sb = typeof b === 'string' ? b : JSON.stringify(b);
    return compareCodePoints(sa, sb);
  }
  return 0;
}

/**
 * Filters, orders and pages documents in memory exactly as {@link ListOptions} specifies. Adapters that cannot
 * push a query down to their backend use this, so every adapter lists alike.
 */
export function selectDocuments<D extends QueryableDocument>(
  documents: Iterable<D>,
  options: ListOptions,
): D[] {
  const where = options.where === undefined ? [] : Object.entries(options.where);
  const selected: D[] = [];
  for (const doc of documents) {
    if (options.idPrefix !== undefined && !doc.id.startsWith(options.idPrefix)) continue;
    if (where.every(([path, expected]) => matches(fieldAt(doc.value, path), expected))) selected.push(doc);
  }
  const orderBy = options.orderBy;
  const sign = options.direction === 'desc' ? -1 : 1;
  selected.sort((a, b) => {
    if (orderBy !== undefined) {
      const byField = compareFieldValues(fieldAt(a.value, orderBy), fieldAt(b.value, orderBy));
      if (byField !== 0) return sign * byField;
    }
    return compareCodePoints(a.id, b.id);
  });
  const offset = options.offset ?? 0;
  const end = options.limit === undefined ? undefined : offset + options.limit;
  return offset === 0 && end === undefined ? selected : selected.slice(offset, end);
}
