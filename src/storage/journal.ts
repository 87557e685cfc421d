import * as path from 'node:path';
import { z } from 'zod';
import { type Clock, clockSchema } from '../core/clock.js';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { AbstractStorage, type StorageOptions } from './base.js';
import type {
  LoadedBlob,
  LoadedDocuments,
  RawDocument,
  RawLogEntry,
  WriteBatch,
  WriteResult,
} from './batch.js';
import { BlobFiles } from './journal-blobs.js';
import { BLOB_DIR, storageError } from './journal-file.js';
import { type LockHolder, releaseLock } from './journal-lock.js';
import {
  type JournalRecovery,
  type OpenedJournal,
  openJournalReadOnly,
  openJournalWritable,
  referencedBy,
} from './journal-open.js';
import { blobDeleteLine, blobLine } from './journal-records.js';
import { type JournalStats, JournalWriter } from './journal-writer.js';
import type { StoreState } from './state.js';
import type { BlobInfo, ListOptions } from './types.js';

export type { BadLineReason } from './journal-file.js';
export type { LockHolder } from './journal-lock.js';
export type { JournalRecovery } from './journal-open.js';
export type { JournalStats } from './journal-writer.js';

/** Options for {@link JournalStorage.open}. */
export interface JournalStorageOptions extends StorageOptions {
  /**
   * The directory holding the journal (`journal.jsonl`), its lock file (`lock`) and the blob files (`blobs/`).
   * Created if missing, unless the store is opened read-only.
   */
  dir: string;
  /**
   * Open without taking the lock, to read a directory that another process may be writing. The store shows the
   * journal as it was when opened, and every write fails with `STORAGE`.
   * @defaultValue false
   */
  readOnly?: boolean;
}

const optionsSchema = z.strictObject({
  dir: z.string().min(1, 'expected a non-empty directory path'),
  readOnly: z.boolean().optional(),
  clock: clockSchema.optional(),
});

/**
 * A durable {@link Storage} kept in one directory, with no native dependency: an append-only journal of JSON lines
 * (one per committed write, each carrying a CRC-32 of its content), content-addressed blob files, and a lock file
 * that keeps a second process from writing at the same time. Every write resolves only once it is fsynced. Writes
 * that arrive while an fsync is in flight are written and fsynced together (group commit), so many concurrent
 * writers stay fast. Reads are served from memory and never see a write before it is durable.
 *
 * Opening replays the journal. A last line cut short by a crash is dropped and reported in
 * {@link JournalStorage.recovery}; damage anywhere else fails with `INTEGRITY` and leaves the file untouched.
 * {@link JournalStorage.compact} rewrites the journal as a snapshot and removes blob files nothing refers to.
 * One process writes a directory at a time; others may open it with `readOnly: true`.
 *
 * @example
 * ```ts
 * import { JournalStorage } from 'mlcycle';
 *
 * const storage = await JournalStorage.open({ dir: './mlcycle-data' });
 * if (storage.recovery.droppedTail !== null) {
 *   // a write cut short by a crash was dropped; it had never been acknowledged
 * }
 * const run = await storage.put('runs', 'run-1', { mae: 0.012 });
 * await storage.put('runs', 'run-1', { mae: 0.011 }, { expectedRevision: run.revision });
 * await storage.append('events', { kind: 'trained', at: Date.now() });
 * await storage.compact();
 * await storage.close();
 * ```
 */
export class JournalStorage extends AbstractStorage {
  /** What opening found: records replayed, a dropped tail, a stale lock taken over, leftovers removed. */
  readonly recovery: Readonly<JournalRecovery>;
  /** The directory, as an absolute path. */
  readonly dir: string;
  /** Whether the store was opened read-only. */
  readonly readOnly: boolean;

  private readonly state: StoreState;
  private readonly blobFiles: BlobFiles;
  private readonly writer: JournalWriter | undefined;
  private readonly holder: LockHolder | undefined;

  private constructor(opened: OpenedJournal, clock: Clock | undefined) {
    super(clock === undefined ? {} : { clock });
    this.dir = opened.dir;
    this.state = opened.state;
    this.recovery = Object.freeze({ ...opened.recovery });
    this.blobFiles = new BlobFiles(path.join(opened.dir, BLOB_DIR));
    this.readOnly = opened.writable === undefined;
    if (opened.writable !== undefined) {
      const { handle, size, holder } = opened.writable;
      this.holder = holder;
      this.writer = new JournalWriter(opened.dir, handle, size, opened.state, () =>
        this.blobFiles.sweep(referencedBy(this.state)),
      );
    }
  }

  /**
   * Opens the store in `options.dir`, creating it if needed, and replays its journal. Fails with
   * `INVALID_ARGUMENT` for malformed options; `STORAGE` if another live process holds the directory's lock or the
   * file system fails; `INTEGRITY` if the journal is damaged anywhere but in its last line; and `NOT_FOUND` when
   * opening read-only a directory that holds no journal.
   */
  static async open(options: JournalStorageOptions): Promise<JournalStorage> {
    const parsed = parseOptions(optionsSchema, options, 'JournalStorage options');
    const dir = path.resolve(parsed.dir);
    try {
      const opened =
        parsed.readOnly === true ? await openJournalReadOnly(dir) : await openJournalWritable(dir);
      return new JournalStorage(opened, parsed.clock);
    } catch (error) {
      throw storageError(`Cannot open JournalStorage at ${dir}`, error);
    }
  }

  /** Counters of the journal's writes since the store was opened; a fresh copy on every read. */
  get stats(): JournalStats {
    return (
      this.writer?.stats ?? { records: 0, writes: 0, syncs: 0, compactions: 0, bytes: this.recovery.bytes }
    );
  }

  /**
   * Rewrites the journal as a minimal snapshot of the current contents (one line per document, log entry and
   * blob), atomically: the snapshot goes to a temporary file that is fsynced and renamed over the journal, so a
   * crash at any point leaves either the old journal or the new one, both holding the same data. Then removes blob
   * files nothing refers to. Writes made meanwhile wait, and go to the new journal.
   */
  async compact(): Promise<void> {
    this.ensureOpen();
    await this.ensureWritable().compact();
  }

  private ensureWritable(): JournalWriter {
    if (this.writer === undefined) {
      throw new MlcycleError(
        'STORAGE',
        `This JournalStorage was opened read-only (${this.dir}); open it without readOnly: true to write`,
      );
    }
    this.writer.ensureHealthy();
    return this.writer;
  }

  protected async loadDocument(collection: string, id: string): Promise<RawDocument | undefined> {
    await this.writer?.settledDocument(collection, id);
    return this.state.collections.get(collection)?.get(id);
  }

  protected async loadDocuments(collection: string, options: ListOptions): Promise<LoadedDocuments> {
    await this.writer?.settledCollection(collection);
    return { documents: this.state.selectDocuments(collection, options), applied: true };
  }

  protected async commit(batch: WriteBatch): Promise<WriteResult[]> {
    return this.ensureWritable().commit(batch);
  }

  protected async loadLog(
    log: string,
    fromOffset: number,
    limit: number | undefined,
  ): Promise<RawLogEntry[]> {
    return this.state.readLog(log, fromOffset, limit);
  }

  protected async countLog(log: string): Promise<number> {
    return this.state.logLength(log);
  }

  protected async storeBlob(info: BlobInfo, data: Uint8Array): Promise<void> {
    this.ensureWritable();
    // The file must be durable before the journal names it, and must not be swept until the state refers to it.
    const release = this.blobFiles.retain(info.sha256);
    let previous: BlobInfo | undefined;
    try {
      try {
        await this.blobFiles.write(info.sha256, data);
      } catch (error) {
        throw storageError(`Writing blob ${JSON.stringify(info.key)} in ${this.dir} failed`, error);
      }
      previous = await this.ensureWritable().write(blobLine(info), () => {
        const old = this.state.blobs.get(info.key);
        this.state.blobs.set(info.key, { ...info });
        return old;
      });
    } finally {
      release();
    }
    if (previous !== undefined && previous.sha256 !== info.sha256) await this.dropBlobFile(previous.sha256);
  }

  protected async loadBlob(key: string): Promise<LoadedBlob | undefined> {
    const info = this.state.blobs.get(key);
    if (info === undefined) return undefined;
    // Retained so that a concurrent delete or replacement cannot remove the file while it is being read.
    const release = this.blobFiles.retain(info.sha256);
    let data: Uint8Array | undefined;
    try {
      data = await this.blobFiles.read(info.sha256);
    } catch (error) {
      throw storageError(`Reading blob ${JSON.stringify(key)} in ${this.dir} failed`, error);
    } finally {
      release();
    }
    if (data === undefined) {
      throw new MlcycleError(
        'INTEGRITY',
        `Blob ${JSON.stringify(key)} is recorded, but its file ${this.blobFiles.pathOf(info.sha256)} is missing`,
        { details: { key, sha256: info.sha256 } },
      );
    }
    return { info: { ...info }, data };
  }

  protected async loadBlobInfo(key: string): Promise<BlobInfo | undefined> {
    const info = this.state.blobs.get(key);
    return info === undefined ? undefined : { ...info };
  }

  protected async removeBlob(key: string): Promise<boolean> {
    const writer = this.ensureWritable();
    if (!this.state.blobs.has(key)) return false;
    const removed = await writer.write(blobDeleteLine(key), () => {
      const info = this.state.blobs.get(key);
      this.state.blobs.delete(key);
      return info;
    });
    if (removed !== undefined) await this.dropBlobFile(removed.sha256);
    return removed !== undefined;
  }

  private async dropBlobFile(sha256: string): Promise<void> {
    // Best effort: a file left behind only takes disk space, and compact() or the next open removes it.
    await this.blobFiles.release(sha256, referencedBy(this.state)).catch(() => undefined);
  }

  protected async shutdown(): Promise<void> {
    if (this.writer === undefined || this.holder === undefined) return;
    // Writes already accepted finish before the file and the lock are let go.
    try {
      await this.writer.close();
    } finally {
      await releaseLock(this.dir, this.holder);
    }
  }
}
