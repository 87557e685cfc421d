import { type Clock, systemClock } from '../core/clock.js';
import { MlcycleError } from '../core/errors.js';
import { sha256Hex } from '../core/hash.js';
import { selectDocuments } from './query.js';
import type {
  BlobInfo,
  DeleteOptions,
  ListOptions,
  LogEntry,
  PutOptions,
  ReadLogOptions,
  Storage,
  StorageTransaction,
  StoredDocument,
} from './types.js';
import {
  assertBlobKey,
  assertId,
  assertName,
  assertRevision,
  parseListOptions,
  parseReadOptions,
  toJson,
} from './validate.js';

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

/** Options shared by every storage adapter. */
export interface StorageOptions {
  /** Supplies `updatedAt`, log timestamps and blob `createdAt`. @defaultValue systemClock */
  clock?: Clock;
}

/**
 * The shared half of every adapter: argument validation, JSON checks and copies, blob checksums, optimistic
 * transactions and the closed state. An adapter supplies only the raw reads and an atomic {@link WriteBatch} commit.
 */
export abstract class AbstractStorage implements Storage {
  /** The clock that stamps writes. */
  protected readonly clock: Clock;
  private closed = false;

  protected constructor(options: StorageOptions = {}) {
    this.clock = options.clock ?? systemClock;
  }

  /** Reads one raw document. */
  protected abstract loadDocument(collection: string, id: string): Promise<RawDocument | undefined>;
  /**
   * Lists raw documents. An adapter may apply `options` itself; if it returns `applied: false`, the base applies
   * them with {@link selectDocuments}.
   */
  protected abstract loadDocuments(collection: string, options: ListOptions): Promise<LoadedDocuments>;
  /** Applies a batch atomically (see {@link WriteBatch}). Results come in the order of `batch.ops`. */
  protected abstract commit(batch: WriteBatch): Promise<WriteResult[]>;
  /** Reads raw log entries from `fromOffset`, at most `limit`. */
  protected abstract loadLog(
    log: string,
    fromOffset: number,
    limit: number | undefined,
  ): Promise<RawLogEntry[]>;
  /** The number of entries in a log. */
  protected abstract countLog(log: string): Promise<number>;
  /** Stores a blob with its recorded checksum, replacing any blob under the key. */
  protected abstract storeBlob(info: BlobInfo, data: Uint8Array): Promise<void>;
  /** Reads a blob's recorded info and its bytes as stored. */
  protected abstract loadBlob(key: string): Promise<LoadedBlob | undefined>;
  /** Reads a blob's recorded info. */
  protected abstract loadBlobInfo(key: string): Promise<BlobInfo | undefined>;
  /** Removes a blob; `false` if there was none. */
  protected abstract removeBlob(key: string): Promise<boolean>;
  /** Releases the adapter's resources. */
  protected abstract shutdown(): Promise<void>;

  /** Throws `STORAGE` once the store is closed. */
  protected ensureOpen(): void {
    if (this.closed) throw new MlcycleError('STORAGE', `This ${this.constructor.name} is closed`);
  }

  async get<T = unknown>(collection: string, id: string): Promise<StoredDocument<T> | undefined> {
    this.ensureOpen();
    assertName(collection, 'collection');
    assertId(id);
    const raw = await this.loadDocument(collection, id);
    return raw === undefined ? undefined : toDocument<T>(collection, raw);
  }

  async put<T>(
    collection: string,
    id: string,
    value: T,
    options: PutOptions = {},
  ): Promise<StoredDocument<T>> {
    this.ensureOpen();
    const op = putOp(collection, id, value, options);
    const timestamp = this.clock.now();
    const [result] = await this.commit({ checks: [], ops: [op], timestamp });
    const revision = (result as { revision: number }).revision;
    return { collection, id, revision, updatedAt: timestamp, value: JSON.parse(op.json) as T };
  }

  async delete(collection: string, id: string, options: DeleteOptions = {}): Promise<boolean> {
    this.ensureOpen();
    const [result] = await this.commit({
      checks: [],
      ops: [deleteOp(collection, id, options)],
      timestamp: this.clock.now(),
    });
    return (result as { deleted: boolean }).deleted;
  }

  async list<T = unknown>(collection: string, options?: ListOptions): Promise<StoredDocument<T>[]> {
    this.ensureOpen();
    assertName(collection, 'collection');
    const parsed = parseListOptions(options);
    const { documents, applied } = await this.loadDocuments(collection, parsed);
    const docs = documents.map((raw) => toDocument<T>(collection, raw));
    return applied ? docs : selectDocuments(docs, parsed);
  }

  async append<T>(log: string, value: T): Promise<LogEntry<T>> {
    this.ensureOpen();
    const op = appendOp(log, value);
    const timestamp = this.clock.now();
    const [result] = await this.commit({ checks: [], ops: [op], timestamp });
    return { offset: (result as { offset: number }).offset, timestamp, value: JSON.parse(op.json) as T };
  }

  async read<T = unknown>(log: string, options?: ReadLogOptions): Promise<LogEntry<T>[]> {
    this.ensureOpen();
    assertName(log, 'log');
    const { fromOffset = 0, limit } = parseReadOptions(options);
    const raw = await this.loadLog(log, fromOffset, limit);
    return raw.map((e) => ({ offset: e.offset, timestamp: e.timestamp, value: JSON.parse(e.json) as T }));
  }

  async logLength(log: string): Promise<number> {
    this.ensureOpen();
    assertName(log, 'log');
    return this.countLog(log);
  }

  async putBlob(key: string, data: Uint8Array): Promise<BlobInfo> {
    this.ensureOpen();
    assertBlobKey(key);
    if (!(data instanceof Uint8Array)) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `putBlob(${JSON.stringify(key)}) needs a Uint8Array of bytes`,
      );
    }
    const copy = new Uint8Array(data);
    const info: BlobInfo = {
      key,
      size: copy.length,
      sha256: await sha256Hex(copy),
      createdAt: this.clock.now(),
    };
    await this.storeBlob(info, copy);
    return info;
  }

  async getBlob(key: string): Promise<Uint8Array | undefined> {
    this.ensureOpen();
    assertBlobKey(key);
    const stored = await this.loadBlob(key);
    if (stored === undefined) return undefined;
    const actual = await sha256Hex(stored.data);
    if (actual !== stored.info.sha256 || stored.data.length !== stored.info.size) {
      throw new MlcycleError(
        'INTEGRITY',
        `Blob ${JSON.stringify(key)} is corrupt: recorded sha256 ${stored.info.sha256} (${stored.info.size} bytes), stored bytes hash to ${actual} (${stored.data.length} bytes)`,
        { details: { key, expected: stored.info.sha256, actual } },
      );
    }
    return stored.data;
  }

  async statBlob(key: string): Promise<BlobInfo | undefined> {
    this.ensureOpen();
    assertBlobKey(key);
    return this.loadBlobInfo(key);
  }

  async deleteBlob(key: string): Promise<boolean> {
    this.ensureOpen();
    assertBlobKey(key);
    return this.removeBlob(key);
  }

  async transaction<R>(fn: (tx: StorageTransaction) => Promise<R>): Promise<R> {
    this.ensureOpen();
    if (typeof fn !== 'function') {
      throw new MlcycleError('INVALID_ARGUMENT', 'transaction needs an async function (tx) => …');
    }
    const tx = new BufferedTransaction(this);
    let result: R;
    try {
      result = await fn(tx);
    } catch (error) {
      tx.abandon();
      throw error;
    }
    const batch = tx.finish(this.clock.now());
    if (batch.ops.length > 0) {
      this.ensureOpen();
      await this.commit(batch);
    }
    return result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.shutdown();
  }
}

function toDocument<T>(collection: string, raw: RawDocument): StoredDocument<T> {
  return {
    collection,
    id: raw.id,
    revision: raw.revision,
    updatedAt: raw.updatedAt,
    value: JSON.parse(raw.json) as T,
  };
}

function putOp(
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

function deleteOp(collection: string, id: string, options: DeleteOptions): WriteOp {
  assertName(collection, 'collection');
  assertId(id);
  assertRevision(options.expectedRevision);
  return options.expectedRevision === undefined
    ? { type: 'delete', collection, id }
    : { type: 'delete', collection, id, expectedRevision: options.expectedRevision };
}

function appendOp(log: string, value: unknown): AppendOp {
  assertName(log, 'log');
  return { type: 'append', log, json: toJson(value, 'value') };
}

const key = (collection: string, id: string): string => `${collection}\u0000${id}`;

/** A transaction that buffers writes and records the revision of every document it saw, for the commit check. */
class BufferedTransaction implements StorageTransaction {
  private readonly seen = new Map<string, { collection: string; id: string; revision: number }>();
  private readonly pending = new Map<string, { collection: string; id: string; json: string | undefined }>();
  private readonly appends: WriteOp[] = [];
  private done = false;

  constructor(private readonly store: AbstractStorage) {}

  private ensureActive(): void {
    if (this.done) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        'This transaction has already finished; use it only inside its function',
      );
    }
  }

  private remember(collection: string, id: string, revision: number): void {
    const k = key(collection, id);
    if (!this.seen.has(k)) this.seen.set(k, { collection, id, revision });
  }

  /** The revision and JSON this transaction sees for a document (pending writes win). */
  private async view(collection: string, id: string): Promise<StoredDocument | undefined> {
    const stored = await this.store.get(collection, id);
    this.remember(collection, id, stored?.revision ?? 0);
    const pending = this.pending.get(key(collection, id));
    if (pending === undefined) return stored;
    if (pending.json === undefined) return undefined;
    return {
      collection,
      id,
      revision: (stored?.revision ?? 0) + 1,
      updatedAt: stored?.updatedAt ?? 0,
      value: JSON.parse(pending.json),
    };
  }

  async get<T = unknown>(collection: string, id: string): Promise<StoredDocument<T> | undefined> {
    this.ensureActive();
    return (await this.view(collection, id)) as StoredDocument<T> | undefined;
  }

  async list<T = unknown>(collection: string, options?: ListOptions): Promise<StoredDocument<T>[]> {
    this.ensureActive();
    const parsed = parseListOptions(options);
    const stored = await this.store.list(
      collection,
      parsed.idPrefix === undefined ? {} : { idPrefix: parsed.idPrefix },
    );
    const byId = new Map<string, StoredDocument>();
    for (const doc of stored) {
      this.remember(collection, doc.id, doc.revision);
      byId.set(doc.id, doc);
    }
    for (const p of this.pending.values()) {
      if (p.collection !== collection) continue;
      if (p.json === undefined) byId.delete(p.id);
      else {
        const base = byId.get(p.id);
        byId.set(p.id, {
          collection,
          id: p.id,
          revision: (base?.revision ?? 0) + 1,
          updatedAt: base?.updatedAt ?? 0,
          value: JSON.parse(p.json),
        });
      }
    }
    return selectDocuments([...byId.values()], parsed) as StoredDocument<T>[];
  }

  private async write(
    collection: string,
    id: string,
    json: string | undefined,
    expected: number | undefined,
  ) {
    // A blind write depends on nothing it read, so it adds no commit check; a conditional one pins what it saw.
    if (expected !== undefined) {
      const actual = (await this.view(collection, id))?.revision ?? 0;
      if (actual !== expected) throw conflictError(collection, id, expected, actual);
    }
    this.pending.set(key(collection, id), { collection, id, json });
  }

  async put<T>(collection: string, id: string, value: T, options: PutOptions = {}): Promise<void> {
    this.ensureActive();
    const op = putOp(collection, id, value, options);
    await this.write(collection, id, op.json, options.expectedRevision);
  }

  async delete(collection: string, id: string, options: DeleteOptions = {}): Promise<void> {
    this.ensureActive();
    deleteOp(collection, id, options);
    await this.write(collection, id, undefined, options.expectedRevision);
  }

  async append<T>(log: string, value: T): Promise<void> {
    this.ensureActive();
    this.appends.push(appendOp(log, value));
  }

  /** Ends the transaction without committing anything. */
  abandon(): void {
    this.done = true;
  }

  /** Ends the transaction and returns the batch to commit. */
  finish(timestamp: number): WriteBatch {
    this.ensureActive();
    this.done = true;
    const ops: WriteOp[] = [];
    for (const p of this.pending.values()) {
      ops.push(
        p.json === undefined
          ? { type: 'delete', collection: p.collection, id: p.id }
          : { type: 'put', collection: p.collection, id: p.id, json: p.json },
      );
    }
    ops.push(...this.appends);
    return { checks: [...this.seen.values()], ops, timestamp };
  }
}
