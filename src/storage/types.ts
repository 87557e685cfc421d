/** A value that survives `JSON.stringify` and `JSON.parse` unchanged. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A document as stored: its value plus the bookkeeping the store keeps for it. */
export interface StoredDocument<T = unknown> {
  /** The collection the document belongs to. */
  collection: string;
  /** The document's id, unique within its collection. */
  id: string;
  /**
   * 1 when the document is created, plus 1 for every later write. Pass it back as `expectedRevision` to write only
   * if nobody else has written since. A document deleted and created again starts over at 1.
   */
  revision: number;
  /** When the document was last written, in epoch milliseconds (from the store's clock). */
  updatedAt: number;
  /** The document itself: a fresh copy on every read. */
  value: T;
}

/** Options for {@link Storage.put}. */
export interface PutOptions {
  /**
   * Write only if the stored revision is this one; `0` means "only if the document does not exist yet". On a
   * mismatch the write fails with code `CONFLICT` and nothing changes. Omit it for an unconditional write.
   */
  expectedRevision?: number;
}

/** Options for {@link Storage.delete}. */
export interface DeleteOptions {
  /** Delete only if the stored revision is this one; on a mismatch the call fails with `CONFLICT`. */
  expectedRevision?: number;
}

/** A value that {@link ListOptions.where} can compare a field with. */
export type FieldValue = string | number | boolean | null;

/**
 * How {@link Storage.list} selects and orders documents. Field names are dotted paths into the document's value
 * (`"params.learningRate"`), each segment made of letters, digits, `_` or `-`.
 */
export interface ListOptions {
  /**
   * Keep documents whose field equals the given value, for every field given. Numbers match numbers, strings
   * strings, booleans booleans (`true` does not match `1`); `null` matches a field that is null or missing.
   */
  where?: Record<string, FieldValue>;
  /** Keep documents whose id starts with this prefix. */
  idPrefix?: string;
  /**
   * Sort by this field, then by id ascending. Missing and null values come first in ascending order, then numbers
   * (booleans count as 0 and 1), then strings in Unicode code point order. Without it documents come in id order.
   */
  orderBy?: string;
  /** @defaultValue 'asc' */
  direction?: 'asc' | 'desc';
  /** Skip this many documents after sorting. @defaultValue 0 */
  offset?: number;
  /** Return at most this many documents. */
  limit?: number;
}

/** One entry of an append-only log. */
export interface LogEntry<T = unknown> {
  /** The entry's position in its log: 0 for the first entry, then consecutive. */
  offset: number;
  /** When the entry was appended, in epoch milliseconds (from the store's clock). */
  timestamp: number;
  /** The entry itself: a fresh copy on every read. */
  value: T;
}

/** Options for {@link Storage.read}. */
export interface ReadLogOptions {
  /** The first offset to return. @defaultValue 0 */
  fromOffset?: number;
  /** Return at most this many entries. */
  limit?: number;
}

/** What the store knows about a stored blob. */
export interface BlobInfo {
  /** The blob's key. */
  key: string;
  /** Its length in bytes. */
  size: number;
  /** SHA-256 of its bytes, as lowercase hex; checked on every read. */
  sha256: string;
  /** When it was stored, in epoch milliseconds. */
  createdAt: number;
}

/**
 * The reads and writes available inside {@link Storage.transaction}. Reads see the store plus the transaction's
 * own writes; writes are buffered and applied together when the transaction's function resolves.
 */
export interface StorageTransaction {
  /** Reads one document, seeing this transaction's own writes. */
  get<T = unknown>(collection: string, id: string): Promise<StoredDocument<T> | undefined>;
  /** Lists documents, seeing this transaction's own writes. */
  list<T = unknown>(collection: string, options?: ListOptions): Promise<StoredDocument<T>[]>;
  /**
   * Buffers a write. `expectedRevision` is checked now against what this transaction sees; the commit then fails
   * with `CONFLICT` if someone else wrote the document in between.
   */
  put<T>(collection: string, id: string, value: T, options?: PutOptions): Promise<void>;
  /** Buffers a delete, checked like {@link StorageTransaction.put}. */
  delete(collection: string, id: string, options?: DeleteOptions): Promise<void>;
  /** Buffers an append; the entry gets its offset at commit. */
  append<T>(log: string, value: T): Promise<void>;
}

/**
 * Everything mlcycle persists goes through this interface: named collections of JSON documents with optimistic
 * concurrency, append-only logs, and checksummed binary blobs. Adapters: {@link MemoryStorage} (default),
 * {@link JournalStorage} (embedded, durable), and `SqliteStorage` from `mlcycle/storage/sqlite`.
 *
 * Names of collections and logs start with a letter and contain letters, digits, `_`, `-` or `.` (at most 128
 * characters); ids are non-empty strings of at most 512 characters; blob keys are `/`-separated segments of
 * letters, digits, `_`, `-` or `.` that do not start with `.`. Values must be plain JSON: finite numbers, strings,
 * booleans, null, arrays and plain objects; anything else (NaN, `undefined`, Dates, class instances, cycles) is
 * rejected with `INVALID_ARGUMENT` rather than silently changed.
 */
export interface Storage {
  /** Reads one document, or `undefined` if it does not exist. */
  get<T = unknown>(collection: string, id: string): Promise<StoredDocument<T> | undefined>;
  /**
   * Creates or replaces a document and resolves once the write is durable (for durable adapters). With
   * `expectedRevision`, a stale write fails with `CONFLICT` and leaves the stored document as it was.
   */
  put<T>(collection: string, id: string, value: T, options?: PutOptions): Promise<StoredDocument<T>>;
  /** Deletes a document; resolves `false` if there was none. */
  delete(collection: string, id: string, options?: DeleteOptions): Promise<boolean>;
  /** Lists a collection's documents, filtered, ordered and paged as `options` say. */
  list<T = unknown>(collection: string, options?: ListOptions): Promise<StoredDocument<T>[]>;
  /** Appends one entry to a log and resolves with it once it is durable. */
  append<T>(log: string, value: T): Promise<LogEntry<T>>;
  /** Reads a log's entries in offset order. */
  read<T = unknown>(log: string, options?: ReadLogOptions): Promise<LogEntry<T>[]>;
  /** The number of entries in a log (0 for a log never written). */
  logLength(log: string): Promise<number>;
  /** Stores bytes under a key (replacing any blob there) with their SHA-256. */
  putBlob(key: string, data: Uint8Array): Promise<BlobInfo>;
  /**
   * Reads a blob's bytes, or `undefined` if there is none. Fails with `INTEGRITY` when the bytes no longer match
   * the SHA-256 recorded when they were stored.
   */
  getBlob(key: string): Promise<Uint8Array | undefined>;
  /** What is recorded about a blob, without reading its bytes; `undefined` if there is none. */
  statBlob(key: string): Promise<BlobInfo | undefined>;
  /** Deletes a blob; resolves `false` if there was none. */
  deleteBlob(key: string): Promise<boolean>;
  /**
   * Runs `fn` with a transaction whose writes are applied atomically when `fn` resolves, and not at all if it
   * throws. Concurrency is optimistic: if a document that `fn` read or wrote was changed by someone else before the
   * commit, the commit fails with `CONFLICT` and nothing is applied; retry the whole function.
   */
  transaction<R>(fn: (tx: StorageTransaction) => Promise<R>): Promise<R>;
  /** Releases files, locks and connections. Every later call fails with `STORAGE`. */
  close(): Promise<void>;
}
