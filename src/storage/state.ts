import {
  conflictError,
  type RawDocument,
  type RawLogEntry,
  type WriteBatch,
  type WriteResult,
} from './batch.js';
import { selectDocuments } from './query.js';
import type { BlobInfo, ListOptions } from './types.js';

/** A document held in memory: its JSON text, and the parsed value used only for querying. */
export interface HeldDocument extends RawDocument {
  value: unknown;
}

/**
 * The whole contents of a store held in memory, with the batch semantics every adapter shares. MemoryStorage is
 * this and nothing more; JournalStorage replays its journal into it and makes each batch durable before applying it.
 */
export class StoreState {
  readonly collections = new Map<string, Map<string, HeldDocument>>();
  readonly logs = new Map<string, RawLogEntry[]>();
  readonly blobs = new Map<string, BlobInfo>();

  /** A collection's documents, filtered, ordered and paged as `options` say. */
  selectDocuments(collection: string, options: ListOptions): HeldDocument[] {
    const docs = this.collections.get(collection);
    return docs === undefined ? [] : selectDocuments(docs.values(), options);
  }

  /** A log's entries from `fromOffset`, at most `limit` of them. */
  readLog(log: string, fromOffset: number, limit: number | undefined): RawLogEntry[] {
    const entries = this.logs.get(log) ?? [];
    return entries.slice(fromOffset, limit === undefined ? undefined : fromOffset + limit);
  }

  /** A log's entries, creating the log if it does not exist yet. */
  logEntries(log: string): RawLogEntry[] {
    let entries = this.logs.get(log);
    if (entries === undefined) {
      entries = [];
      this.logs.set(log, entries);
    }
    return entries;
  }

  /** A collection's documents, creating the collection if it does not exist yet. */
  collection(name: string): Map<string, HeldDocument> {
    let docs = this.collections.get(name);
    if (docs === undefined) {
      docs = new Map();
      this.collections.set(name, docs);
    }
    return docs;
  }

  /** The number of entries in a log (0 for one never written). */
  logLength(log: string): number {
    return this.logs.get(log)?.length ?? 0;
  }

  revisionOf(collection: string, id: string): number {
    return this.collections.get(collection)?.get(id)?.revision ?? 0;
  }

  /** Throws `CONFLICT` (changing nothing) unless every check and expected revision in `batch` holds. */
  verify(batch: WriteBatch): void {
    for (const check of batch.checks) {
      const actual = this.revisionOf(check.collection, check.id);
      if (actual !== check.revision) throw conflictError(check.collection, check.id, check.revision, actual);
    }
    for (const op of batch.ops) {
      if (op.type === 'append' || op.expectedRevision === undefined) continue;
      const actual = this.revisionOf(op.collection, op.id);
      if (actual !== op.expectedRevision)
        throw conflictError(op.collection, op.id, op.expectedRevision, actual);
    }
  }

  /** Applies a verified batch. */
  apply(batch: WriteBatch): WriteResult[] {
    return batch.ops.map((op): WriteResult => {
      if (op.type === 'append') {
        const entries = this.logEntries(op.log);
        const offset = entries.length;
        entries.push({ offset, timestamp: batch.timestamp, json: op.json });
        return { offset };
      }
      if (op.type === 'delete')
        return { deleted: this.collections.get(op.collection)?.delete(op.id) ?? false };
      const docs = this.collection(op.collection);
      const revision = (docs.get(op.id)?.revision ?? 0) + 1;
      docs.set(op.id, {
        id: op.id,
        revision,
        updatedAt: batch.timestamp,
        json: op.json,
        value: JSON.parse(op.json),
      });
      return { revision };
    });
  }
}
