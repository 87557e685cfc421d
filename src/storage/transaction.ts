import { MlcycleError } from '../core/errors.js';
import { appendOp, conflictError, deleteOp, putOp, type WriteBatch, type WriteOp } from './batch.js';
import { selectDocuments } from './query.js';
import type {
  DeleteOptions,
  ListOptions,
  PutOptions,
  Storage,
  StorageTransaction,
  StoredDocument,
} from './types.js';
import { parseListOptions } from './validate.js';

const key = (collection: string, id: string): string => `${collection}\u0000${id}`;

/** A transaction that buffers writes and records the revision of every document it saw, for the commit check. */
export class BufferedTransaction implements StorageTransaction {
  private readonly seen = new Map<string, { collection: string; id: string; revision: number }>();
  private readonly pending = new Map<string, { collection: string; id: string; json: string | undefined }>();
  private readonly appends: WriteOp[] = [];
  private done = false;

  constructor(private readonly store: Storage) {}

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
