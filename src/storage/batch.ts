import { MlcycleError } from '../core/errors.js';
import type { BlobInfo, DeleteOptions, PutOptions, StoredDocument } from './types.js';
import { assertId, assertName, assertRevision, toJson } from './validate.js';

/** A document as an adapter keeps it: the value as JSON text. */
export interface RawDocument {
  /** The document's id. */
  id: string;
  /** Its revision (see {@link StoredDocument.revision}). */
  revision: number;
  /** When it was last written, in epoch milliseconds. */
  updatedAt: number;
  /** Its value as JSON text. */
  json: string;
}

/** A log entry as an adapter keeps it. */
export interface RawLogEntry {
  /** The entry's offset in its log. */
  offset: number;
  /** When it was appended, in epoch milliseconds. */
  timestamp: number;
  /** Its value as JSON text. */
  json: string;
}

/** What {@link AbstractStorage} asks an adapter to list. */
export interface LoadedDocuments {
  /** The documents found. */
  documents: RawDocument[];
  /** Whether the adapter already filtered, ordered and paged them as the list options say. */
  applied: boolean;
}

/** A blob as an adapter returns it: what was recorded, and the bytes as stored (checked by the base class). */
export interface LoadedBlob {
  /** What was recorded when the blob was stored. */
  info: BlobInfo;
  /** The bytes as they are stored now. */
  data: Uint8Array;
}

/** A document whose revision a {@link WriteBatch} checks before applying anything. */
export interface RevisionCheck {
  /** The document's collection. */
  collection: string;
  /** The document's id. */
  id: string;
  /** The revision it must still have; 0 means it must still be absent. */
  revision: number;
}

/** One write in a {@link WriteBatch}. */
export type WriteOp = PutOp | DeleteOp | AppendOp;

/** Creates or replaces a document. */
export interface PutOp {
  /** Discriminant. */
  type: 'put';
  /** The document's collection. */
  collection: string;
  /** The document's id. */
  id: string;
  /** The new value as JSON text. */
  json: string;
  /** Apply only if the document is at this revision (0: absent). */
  expectedRevision?: number;
}

/** Deletes a document. */
export interface DeleteOp {
  /** Discriminant. */
  type: 'delete';
  /** The document's collection. */
  collection: string;
  /** The document's id. */
  id: string;
  /** Apply only if the document is at this revision. */
  expectedRevision?: number;
}

/** Appends an entry to a log. */
export interface AppendOp {
  /** Discriminant. */
  type: 'append';
  /** The log's name. */
  log: string;
  /** The entry as JSON text. */
  json: string;
}

/** What one {@link WriteOp} did: the new revision, whether something was deleted, or the new offset. */
export type WriteResult =
  | {
      /** The put document's new revision. */
      revision: number;
    }
  | {
      /** Whether a document was there to delete. */
      deleted: boolean;
    }
  | {
      /** The appended entry's offset. */
      offset: number;
    };

/**
 * Writes an adapter must apply all together or not at all. Before applying anything it checks that every entry of
 * `checks` still has the given revision (0: absent) and that every op's `expectedRevision` holds; if one does not,
 * it throws the error made by {@link conflictError} and changes nothing.
 */
export interface WriteBatch {
  /** Documents whose revisions must be unchanged. */
  checks: RevisionCheck[];
  /** The writes, applied in order. */
  ops: WriteOp[];
  /** The time to stamp on every write, from the store's clock. */
  timestamp: number;
}

/** The `CONFLICT` error that every adapter throws for a stale revision. */
export function conflictError(
  collection: string,
  id: string,
  expected: number,
  actual: number,
): MlcycleError {
  const state = actual === 0 ? 'it does not exist' : `it is at revision ${actual}`;
  const wanted = expected === 0 ? 'not to exist yet' : `revision ${expected}`;
  return new MlcycleError(
    'CONFLICT',
    `Write conflict on ${collection}/${id}: expected ${wanted}, but ${state}; re-read it and retry`,
    { details: { collection, id, expectedRevision: expected, actualRevision: actual } },
  );
}

/** Turns a raw document into the public shape, parsing a fresh copy of its value. */
export function toDocument<T>(collection: string, raw: RawDocument): StoredDocument<T> {
  return {
    collection,
    id: raw.id,
    revision: raw.revision,
    updatedAt: raw.updatedAt,
    value: JSON.parse(raw.json) as T,
  };
}

/** Validates a put and builds its op. */
export function putOp(
  collection: string,
  id: string,
  value: unknown,
  options: PutOptions,
): WriteOp & { type: 'put' } {
  assertName(collection, 'collection');
  assertId(id);
  assertRevision(options.expectedRevision);
  const json = toJson(value, 'value');
  return options.expectedRevision === undefined
    ? { type: 'put', collection, id, json }
    : { type: 'put', collection, id, json, expectedRevision: options.expectedRevision };
}

/** Validates a delete and builds its op. */
export function deleteOp(collection: string, id: string, options: DeleteOptions): WriteOp {
  assertName(collection, 'collection');
  assertId(id);
  assertRevision(options.expectedRevision);
  return options.expectedRevision === undefined
    ? { type: 'delete', collection, id }
    : { type: 'delete', collection, id, expectedRevision: options.expectedRevision };
}

/** Validates an append and builds its op. */
export function appendOp(log: string, value: unknown): AppendOp {
  assertName(log, 'log');
  return { type: 'append', log, json: toJson(value, 'value') };
}
