import type { FileHandle } from 'node:fs/promises';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { errorMessage, MlcycleError } from '../core/errors.js';
import type { WriteBatch, WriteResult } from './batch.js';
import {
  concatBytes,
  JOURNAL_FILE,
  JOURNAL_TEMP,
  storageError,
  syncDirectory,
  writeDurably,
  writeFully,
} from './journal-file.js';
import { batchLine, snapshotLines } from './journal-records.js';
import { StoreState } from './state.js';

/** Counters of the journal's writes since the store was opened. */
export interface JournalStats {
  /** Journal records written: one per committed write batch, blob put and blob delete. */
  records: number;
  /** Write calls to the journal file. Concurrent batches are written together, so this can be far below `records`. */
  writes: number;
  /** Fsyncs of the journal file: one per group of records written together. */
  syncs: number;
  /** Compactions done. */
  compactions: number;
  /** The journal's current length in bytes. */
  bytes: number;
}

/** A write waiting for its journal line to be durable. */
interface QueuedWrite {
  line: Uint8Array;
  /** Applies the write to the in-memory state; runs only once the line is durable. */
  apply: () => unknown;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

/** Writes that go to disk together, with one write call and one fsync. */
class Group {
  readonly writes: QueuedWrite[] = [];
  readonly documents: string[] = [];
  readonly collections: string[] = [];
  /** Resolves once the group is durable and applied, or has failed. */
  readonly settled: Promise<void>;
  settle!: () => void;

  constructor() {
    this.settled = new Promise((resolve) => {
      this.settle = resolve;
    });
  }
}

const docKey = (collection: string, id: string): string => `${collection}\u0000${id}`;

/**
 * The revisions documents will have once every queued group is durable. It extends {@link StoreState} only to
 * reuse `verify` against these revisions, so that a batch queued behind others is checked exactly as if they had
 * been applied already; it holds no documents of its own.
 */
class QueuedRevisions extends StoreState {
  private readonly ahead = new Map<string, { revision: number; group: Group }>();
  private readonly collectionsAhead = new Map<string, Group>();

  constructor(private readonly durable: StoreState) {
    super();
  }

  override revisionOf(collection: string, id: string): number {
    return this.ahead.get(docKey(collection, id))?.revision ?? this.durable.revisionOf(collection, id);
  }

  /** Records the revisions a verified batch will leave, as writes of `group`. */
  enqueue(batch: WriteBatch, group: Group): void {
    for (const op of batch.ops) {
      if (op.type === 'append') continue;
      const key = docKey(op.collection, op.id);
      const revision = op.type === 'put' ? this.revisionOf(op.collection, op.id) + 1 : 0;
      this.ahead.set(key, { revision, group });
      this.collectionsAhead.set(op.collection, group);
      group.documents.push(key);
      group.collections.push(op.collection);
    }
  }

  pendingDocument(collection: string, id: string): Group | undefined {
    return this.ahead.get(docKey(collection, id))?.group;
  }

  pendingCollection(collection: string): Group | undefined {
    return this.collectionsAhead.get(collection);
  }

  /** Forgets what a settled group wrote. */
  forget(group: Group): void {
    for (const key of group.documents) if (this.ahead.get(key)?.group === group) this.ahead.delete(key);
    for (const c of group.collections)
      if (this.collectionsAhead.get(c) === group) this.collectionsAhead.delete(c);
  }
}

/**
 * Appends to an open journal with group commit: the first write goes to disk at once; writes that arrive while
 * its fsync is in flight queue up and then go to disk together, with one write and one fsync. Each write is
 * applied to the in-memory state, and its promise resolved, only after its fsync returned, so readers never see a
 * write that a crash could still undo. After a failed write or fsync the writer refuses all further writes.
 */
export class JournalWriter {
  private readonly queued: QueuedRevisions;
  private next = new Group();
  private compactions: { run: () => Promise<void> }[] = [];
  private pumping = false;
  private pump: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;
  private readonly counters = { records: 0, writes: 0, syncs: 0, compactions: 0 };

  /**
   * @param dir - the journal directory.
   * @param handle - the journal file, opened for reading and writing, holding exactly `size` good bytes.
   * @param state - the durable state, which this writer alone changes from now on.
   * @param afterCompaction - runs after each compaction, with no journal write in progress.
   */
  constructor(
    private readonly dir: string,
    private handle: FileHandle,
    private size: number,
    private readonly state: StoreState,
    private readonly afterCompaction: () => Promise<unknown>,
  ) {
    this.queued = new QueuedRevisions(state);
  }

  /** A fresh copy of the write counters. */
  get stats(): JournalStats {
    return { ...this.counters, bytes: this.size };
  }

  /** Throws `STORAGE` if an earlier write failed. */
  ensureHealthy(): void {
    if (this.failure === undefined) return;
    throw new MlcycleError(
      'STORAGE',
      `This JournalStorage refuses writes since writing its journal in ${this.dir} failed (${errorMessage(this.failure.error)}); close it and open it again to continue from what is on disk`,
      { cause: this.failure.error },
    );
  }

  /** Verifies `batch` against the state as the queued writes will leave it (`CONFLICT`), then queues it. */
  commit(batch: WriteBatch): Promise<WriteResult[]> {
    this.ensureHealthy();
    this.queued.verify(batch);
    this.queued.enqueue(batch, this.next);
    return this.write(batchLine(batch), () => this.state.apply(batch));
  }

  /** Queues a journal line; resolves with `apply()`'s result once the line is durable and applied. */
  write<T>(line: Uint8Array, apply: () => T): Promise<T> {
    this.ensureHealthy();
    const group = this.next;
    const promise = new Promise<T>((resolve, reject) => {
      group.writes.push({ line, apply, resolve: resolve as (result: unknown) => void, reject });
    });
    this.kick();
    return promise;
  }

  /**
   * Resolves once the writes queued so far to this document have settled, so that a read-modify-write loop sees the
   * write it lost to rather than spinning on `CONFLICT` against a revision that is not durable yet.
   */
  async settledDocument(collection: string, id: string): Promise<void> {
    await this.queued.pendingDocument(collection, id)?.settled;
  }

  /** Resolves once the writes queued so far to this collection have settled. */
  async settledCollection(collection: string): Promise<void> {
    await this.queued.pendingCollection(collection)?.settled;
  }

  /**
   * Rewrites the journal as a snapshot of the state: temp file, fsync, rename over the journal, directory fsync.
   * Runs between two groups, so the state is exactly what the journal holds.
   */
  compact(): Promise<void> {
    this.ensureHealthy();
    return new Promise<void>((resolve, reject) => {
      this.compactions.push({ run: () => this.compactNow().then(resolve, reject) });
      this.kick();
    });
  }

  /** Waits for every queued write and compaction, then closes the file. */
  async close(): Promise<void> {
    while (this.pumping) await this.pump;
    await this.handle.close();
  }

  private kick(): void {
    if (this.pumping) return;
    this.pumping = true;
    this.pump = this.drain();
  }

  private async drain(): Promise<void> {
    for (;;) {
      const compaction = this.compactions.shift();
      if (compaction !== undefined) {
        await compaction.run();
        continue;
      }
      const group = this.next;
      if (group.writes.length === 0) {
        // Set before returning, not in a `finally`, so that a write queued right after finds no pump running.
        this.pumping = false;
        return;
      }
      this.next = new Group();
      await this.flush(group);
    }
  }

  private async flush(group: Group): Promise<void> {
    let failedNow: unknown;
    if (this.failure === undefined) {
      const bytes = concatBytes(group.writes.map((w) => w.line));
      try {
        this.counters.writes += 1;
        await writeFully(this.handle, bytes, this.size);
        this.counters.syncs += 1;
        await this.handle.sync();
        this.size += bytes.length;
        this.counters.records += group.writes.length;
      } catch (error) {
        this.failure = { error };
        failedNow = error;
        // Cut what may have reached the file, so that reopening does not bring back writes reported as failed.
        await this.handle
          .truncate(this.size)
          .then(() => this.handle.sync())
          .catch(() => undefined);
      }
    }
    for (const write of group.writes) {
      if (this.failure === undefined) {
        try {
          write.resolve(write.apply());
        } catch (error) {
          write.reject(error);
        }
        continue;
      }
      const cause = this.failure.error;
      write.reject(
        new MlcycleError(
          'STORAGE',
          failedNow === undefined
            ? `Not written: an earlier write to the journal in ${this.dir} failed (${errorMessage(cause)})`
            : `Writing the journal in ${this.dir} failed (${errorMessage(cause)}); this write is not stored, and the store refuses further writes until it is closed and opened again`,
          { cause },
        ),
      );
    }
    this.queued.forget(group);
    group.settle();
  }

  private async compactNow(): Promise<void> {
    this.ensureHealthy();
    const file = path.join(this.dir, JOURNAL_FILE);
    const temp = path.join(this.dir, JOURNAL_TEMP);
    let size: number;
    try {
      size = await writeDurably(temp, snapshotLines(this.state));
    } catch (error) {
      await fs.unlink(temp).catch(() => undefined);
      throw storageError(`Compacting the journal in ${this.dir} failed; the journal is unchanged`, error);
    }
    try {
      await fs.rename(temp, file);
      await syncDirectory(this.dir);
      const handle = await fs.open(file, 'r+');
      await this.handle.close().catch(() => undefined);
      this.handle = handle;
      this.size = size;
    } catch (error) {
      // The rename may have happened and may not be durable: appending to either file could lose acknowledged
      // writes, so the store stops writing until it is reopened from whichever journal is on disk.
      this.failure = { error };
      throw storageError(`Compacting the journal in ${this.dir} failed`, error);
    }
    this.counters.compactions += 1;
    try {
      await this.afterCompaction();
    } catch (error) {
      throw storageError(`The journal in ${this.dir} was compacted, but cleaning up after it failed`, error);
    }
  }
}
