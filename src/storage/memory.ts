import { AbstractStorage, type StorageOptions } from './base.js';
import type {
  LoadedBlob,
  LoadedDocuments,
  RawDocument,
  RawLogEntry,
  WriteBatch,
  WriteResult,
} from './batch.js';
import { StoreState } from './state.js';
import type { BlobInfo, ListOptions } from './types.js';

/**
 * A {@link Storage} held in this process's memory: fast, the default in code, and gone when the process ends.
 * Values are copied in and out, so mutating what you passed or received never changes what is stored.
 *
 * @example
 * ```ts
 * import { MemoryStorage } from 'mlcycle';
 *
 * const storage = new MemoryStorage();
 * const doc = await storage.put('runs', 'run-1', { mae: 0.012 });
 * await storage.put('runs', 'run-1', { mae: 0.011 }, { expectedRevision: doc.revision });
 * ```
 */
export class MemoryStorage extends AbstractStorage {
  private readonly state = new StoreState();
  private readonly blobData = new Map<string, Uint8Array>();

  /** @param options - see {@link StorageOptions}. */
  constructor(options: StorageOptions = {}) {
    super(options);
  }

  protected async loadDocument(collection: string, id: string): Promise<RawDocument | undefined> {
    return this.state.collections.get(collection)?.get(id);
  }

  protected async loadDocuments(collection: string, options: ListOptions): Promise<LoadedDocuments> {
    return { documents: this.state.selectDocuments(collection, options), applied: true };
  }

  protected async commit(batch: WriteBatch): Promise<WriteResult[]> {
    this.state.verify(batch);
    return this.state.apply(batch);
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
    this.state.blobs.set(info.key, info);
    this.blobData.set(info.key, data);
  }

  protected async loadBlob(key: string): Promise<LoadedBlob | undefined> {
    const info = this.state.blobs.get(key);
    const data = this.blobData.get(key);
    return info === undefined || data === undefined
      ? undefined
      : { info: { ...info }, data: new Uint8Array(data) };
  }

  protected async loadBlobInfo(key: string): Promise<BlobInfo | undefined> {
    const info = this.state.blobs.get(key);
    return info === undefined ? undefined : { ...info };
  }

  protected async removeBlob(key: string): Promise<boolean> {
    this.blobData.delete(key);
    return this.state.blobs.delete(key);
  }

  protected async shutdown(): Promise<void> {
    this.state.collections.clear();
    this.state.logs.clear();
    this.state.blobs.clear();
    this.blobData.clear();
  }
}
