/**
 * Storage: the one interface through which mlcycle persists everything, and its built-in adapters.
 * `SqliteStorage` lives in its own entry point, `mlcycle/storage/sqlite`, so that importing `mlcycle` never loads
 * a native driver.
 *
 * @module storage
 */
export { AbstractStorage, type StorageOptions } from './base.js';
export {
  type AppendOp,
  conflictError,
  type DeleteOp,
  type LoadedBlob,
  type LoadedDocuments,
  type PutOp,
  type RawDocument,
  type RawLogEntry,
  type RevisionCheck,
  type WriteBatch,
  type WriteOp,
  type WriteResult,
} from './batch.js';
export {
  type BadLineReason,
  type JournalRecovery,
  type JournalStats,
  JournalStorage,
  type JournalStorageOptions,
  type LockHolder,
} from './journal.js';
export { MemoryStorage } from './memory.js';
export {
  compareFieldValues,
  fieldAt,
  type QueryableDocument,
  selectDocuments,
} from './query.js';
export type {
  BlobInfo,
  DeleteOptions,
  FieldValue,
  JsonValue,
  ListOptions,
  LogEntry,
  PutOptions,
  ReadLogOptions,
  Storage,
  StorageTransaction,
  StoredDocument,
} from './types.js';
