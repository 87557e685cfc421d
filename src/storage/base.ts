import { type Clock, systemClock } from '../core/clock.js';
import { MlcycleError } from '../core/errors.js';
import { sha256Hex } from '../core/hash.js';
import {
  appendOp,
  deleteOp,
  type LoadedBlob,
  type LoadedDocuments,
  putOp,
  type RawDocument,
  type RawLogEntry,
  toDocument,
  type WriteBatch,
  type WriteResult,
} from './batch.js';
import { selectDocuments } from './query.js';
import { BufferedTransaction } from './transaction.js';
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
import { assertBlobKey, assertId, assertName, parseListOptions, parseReadOptions } from './validate.js';

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
