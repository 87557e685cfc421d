import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FieldValue, fieldAt, type ListOptions, MemoryStorage, MlcycleError } from '../../src/index.js';
import { loadDriver, SCHEMA_VERSION } from '../../src/storage/sqlite/database.js';
import { SqliteStorage } from '../../src/storage/sqlite/index.js';
import { listQuery } from '../../src/storage/sqlite/list-query.js';
import { runStorageConformance } from './conformance.js';

const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'mlcycle-sqlite-'));

runStorageConformance(
  'SqliteStorage',
  async (clock) => {
    const dir = await tempDir();
    const path = join(dir, 'store.db');
    let storage = await SqliteStorage.open({ path, clock });
    return {
      storage,
      reopen: async () => {
        await storage.close();
        storage = await SqliteStorage.open({ path, clock });
        return storage;
      },
      corruptBlob: async (key) => {
        const db = new Database(path);
        try {
          const { changes } = db
            .prepare('UPDATE blobs SET data = zeroblob(length(data)) WHERE key = ?')
            .run(key);
          if (changes !== 1) throw new Error(`no blob ${key} to corrupt`);
        } finally {
          db.close();
        }
      },
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  },
  { durable: true },
);

describe('SqliteStorage', () => {
  let dir: string;
  let path: string;
  const open: SqliteStorage[] = [];

  const openStore = async (options: Partial<Parameters<typeof SqliteStorage.open>[0]> = {}) => {
    const storage = await SqliteStorage.open({ path, ...options });
    open.push(storage);
    return storage;
  };
  /** The store's own better-sqlite3 connection, to read its pragmas. */
  const connectionOf = (storage: SqliteStorage): Database.Database =>
    (storage as unknown as { db: Database.Database }).db;

  beforeEach(async () => {
    dir = await tempDir();
    path = join(dir, 'store.db');
  });

  afterEach(async () => {
    for (const storage of open.splice(0)) await storage.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe('opening', () => {
    it('rejects malformed options with a message naming each option', async () => {
      await expect(SqliteStorage.open({ path: '' })).rejects.toThrowErrorMatchingInlineSnapshot(
        `[MlcycleError: Invalid SqliteStorage options: path: Too small: expected string to have >=1 characters (received "")]`,
      );
      await expect(
        SqliteStorage.open({ path, busyTimeoutMs: -1, synchronous: 'off' as never }),
      ).rejects.toThrowErrorMatchingInlineSnapshot(
        `[MlcycleError: Invalid SqliteStorage options: busyTimeoutMs: Too small: expected number to be >=0 (received -1); synchronous: Invalid option: expected one of "full"|"normal" (received "off")]`,
      );
      await expect(
        SqliteStorage.open({ path, busyTimeoutMs: 1.5 }),
      ).rejects.toThrowErrorMatchingInlineSnapshot(
        `[MlcycleError: Invalid SqliteStorage options: busyTimeoutMs: Invalid input: expected int, received number (received 1.5)]`,
      );
      await expect(
        SqliteStorage.open({ path, clock: {} as never }),
      ).rejects.toThrowErrorMatchingInlineSnapshot(
        `[MlcycleError: Invalid SqliteStorage options: clock: expected a Clock, an object with now() and sleep(ms) (received an object)]`,
      );
      await expect(
        SqliteStorage.open({ path, journal: 'wal' } as never),
      ).rejects.toThrowErrorMatchingInlineSnapshot(
        `[MlcycleError: Invalid SqliteStorage options: Unrecognized key: "journal"]`,
      );
      await expect(SqliteStorage.open(undefined as never)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    });

    it('says how to install better-sqlite3 when it is missing', async () => {
      const missing = Object.assign(new Error("Cannot find package 'better-sqlite3'"), {
        code: 'ERR_MODULE_NOT_FOUND',
      });
      const error = await loadDriver(() => Promise.reject(missing)).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'UNSUPPORTED', cause: missing });
      expect((error as Error).message).toBe(
        'SqliteStorage needs the optional peer dependency better-sqlite3, which is not installed: npm install better-sqlite3',
      );
    });

    it('turns on WAL mode, full synchronous commits and a 5 s busy timeout by default', async () => {
      const storage = await openStore();
      const db = connectionOf(storage);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const raw = new Database(path, { readonly: true });
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      raw.close();
      const tuned = await openStore({ synchronous: 'normal', busyTimeoutMs: 250 });
      expect(connectionOf(tuned).pragma('synchronous', { simple: true })).toBe(1);
      expect(connectionOf(tuned).pragma('busy_timeout', { simple: true })).toBe(250);
    });

    it('creates the schema once and opens an existing file without touching its data', async () => {
      const first = await openStore();
      await first.put('c', 'x', { n: 1 });
      await first.close();
      const second = await openStore();
      expect(await second.get('c', 'x')).toMatchObject({ revision: 1, value: { n: 1 } });
    });

    it('refuses a database written by a newer schema version, leaving it as it was', async () => {
      await (await openStore()).put('c', 'x', { n: 1 });
      const raw = new Database(path);
      raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
      raw.close();
      const error = await SqliteStorage.open({ path }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'UNSUPPORTED', details: { version: SCHEMA_VERSION + 1 } });
      expect((error as Error).message).toBe(
        `SQLite database ${JSON.stringify(path)} has mlcycle schema version ${SCHEMA_VERSION + 1}, but this mlcycle understands versions up to ${SCHEMA_VERSION}; upgrade mlcycle to open it`,
      );
      const check = new Database(path, { readonly: true });
      expect(check.prepare('SELECT count(*) AS n FROM documents').get()).toEqual({ n: 1 });
      check.close();
    });

    it('fails with STORAGE, keeping the driver error as cause, for a missing directory or a file that is not SQLite', async () => {
      const missingDir = await SqliteStorage.open({ path: join(dir, 'nope', 'x.db') }).catch(
        (e: unknown) => e,
      );
      expect(missingDir).toMatchObject({ code: 'STORAGE' });
      expect((missingDir as Error).message).toBe(
        `Cannot open SQLite database ${JSON.stringify(join(dir, 'nope', 'x.db'))}: Cannot open database because the directory does not exist`,
      );
      await writeFile(path, 'this is not a database, just some text that is long enough'.repeat(20));
      const notSqlite = await SqliteStorage.open({ path }).catch((e: unknown) => e);
      expect(notSqlite).toMatchObject({ code: 'STORAGE', details: { sqliteCode: 'SQLITE_NOTADB' } });
      expect((notSqlite as Error).message).toBe(
        `SQLite failed while opening the database in ${JSON.stringify(path)}: file is not a database`,
      );
      expect((notSqlite as Error).cause).toBeInstanceOf(Error);
    });
  });

  describe('several connections to one file', () => {
    it('see each other’s writes and refuse stale revisions across connections', async () => {
      const a = await openStore();
      const b = await openStore();
      const created = await a.put('models', 'm', { version: 1 });
      expect(await b.get('models', 'm')).toEqual(created);
      await b.put('models', 'm', { version: 2 }, { expectedRevision: 1 });
      await expect(a.put('models', 'm', { version: 3 }, { expectedRevision: 1 })).rejects.toThrow(
        'Write conflict on models/m: expected revision 1, but it is at revision 2; re-read it and retry',
      );
      expect(await a.get('models', 'm')).toMatchObject({ revision: 2, value: { version: 2 } });
      expect((await a.list('models')).map((d) => d.value)).toEqual([{ version: 2 }]);
      await a.append('events', 'from a');
      await b.append('events', 'from b');
      expect((await a.read('events')).map((e) => [e.offset, e.value])).toEqual([
        [0, 'from a'],
        [1, 'from b'],
      ]);
      await b.putBlob('weights', new Uint8Array([1, 2]));
      expect(await a.getBlob('weights')).toEqual(new Uint8Array([1, 2]));
    });

    it('fails a transaction with CONFLICT when another connection wrote what it read', async () => {
      const a = await openStore();
      const b = await openStore();
      await a.put('acct', 'x', { balance: 10 });
      await expect(
        a.transaction(async (tx) => {
          const x = await tx.get<{ balance: number }>('acct', 'x');
          await b.put('acct', 'x', { balance: 0 });
          await tx.put('acct', 'x', { balance: x!.value.balance - 5 });
          await tx.append('ledger', { amount: -5 });
        }),
      ).rejects.toMatchObject({ code: 'CONFLICT', details: { expectedRevision: 1, actualRevision: 2 } });
      expect((await b.get('acct', 'x'))?.value).toEqual({ balance: 0 });
      expect(await b.logLength('ledger')).toBe(0);
    });

    it('fails with STORAGE when another connection holds the write lock past busyTimeoutMs', async () => {
      const storage = await openStore({ busyTimeoutMs: 50 });
      await storage.put('c', 'x', { n: 1 });
      const holder = new Database(path);
      holder.prepare('BEGIN IMMEDIATE').run();
      try {
        const error = await storage.put('c', 'x', { n: 2 }).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'STORAGE', details: { sqliteCode: 'SQLITE_BUSY' } });
        expect((error as Error).message).toBe(
          `SQLite database ${JSON.stringify(path)} stayed locked by another connection for more than busyTimeoutMs (50 ms) while committing a write; retry, or raise busyTimeoutMs`,
        );
        expect((error as Error).cause).toMatchObject({ code: 'SQLITE_BUSY' });
        expect(await storage.get('c', 'x')).toMatchObject({ revision: 1 });
      } finally {
        holder.prepare('ROLLBACK').run();
        holder.close();
      }
      expect((await storage.put('c', 'x', { n: 2 })).revision).toBe(2);
    });
  });

  describe('ids and text', () => {
    it('refuses ids with an unpaired surrogate, which UTF-8 text cannot hold', async () => {
      const storage = await openStore();
      await expect(storage.put('c', 'a\ud800', {})).rejects.toThrow(
        'Invalid document id "a\\ud800": SqliteStorage stores ids as UTF-8 text, which cannot hold an unpaired surrogate',
      );
      await expect(storage.get('c', '\udc00')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    });

    it('keeps unpaired surrogates inside values, and matches them exactly in where', async () => {
      const storage = await openStore();
      await storage.put('c', 'a', { s: 'x\ud800' });
      await storage.put('c', 'b', { s: 'x\udc00' });
      expect((await storage.get('c', 'a'))?.value).toEqual({ s: 'x\ud800' });
      expect((await storage.list('c', { where: { s: 'x\udc00' } })).map((d) => d.id)).toEqual(['b']);
    });

    it('matches an id prefix ending in half a surrogate pair as JavaScript strings do', async () => {
      const storage = await openStore();
      for (const id of ['😀1', '😁2', 'a']) await storage.put('c', id, {});
      expect((await storage.list('c', { idPrefix: '\ud83d' })).map((d) => d.id)).toEqual(['😀1', '😁2']);
      expect((await storage.list('c', { idPrefix: '😀' })).map((d) => d.id)).toEqual(['😀1']);
    });

    it('passes user text to SQLite only as bound parameters', async () => {
      const hostile = "x' OR 1=1; DROP TABLE documents; --";
      const { sql, params } = listQuery({ where: { a: hostile }, idPrefix: hostile, orderBy: 'a' });
      expect(sql).not.toContain('DROP');
      expect(Object.values(params)).toContain(hostile);
      const storage = await openStore();
      await storage.put('c', hostile, { a: hostile });
      await storage.put('c', 'other', { a: 'x' });
      expect(
        (await storage.list('c', { where: { a: hostile }, idPrefix: hostile })).map((d) => d.id),
      ).toEqual([hostile]);
      expect(await storage.list('c', { idPrefix: '_' })).toEqual([]);
    });
  });
});

describe('SqliteStorage listing agrees with selectDocuments', () => {
  let dir: string;
  let sqlite: SqliteStorage;
  let run = 0;

  beforeAll(async () => {
    dir = await tempDir();
    sqlite = await SqliteStorage.open({ path: join(dir, 'list.db'), synchronous: 'normal' });
  });

  afterAll(async () => {
    await sqlite.close();
    await rm(dir, { recursive: true, force: true });
  });

  const wellFormed = (s: string) => !/\p{Cs}/u.test(s);
  const scalar: fc.Arbitrary<FieldValue> = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -3, max: 3 }),
    fc.constantFrom(0.5, -0.25, 1e21, 2 ** 53, -1e-300, 0.1 + 0.2),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom('', 'a', 'B', '%', '_', 'a%', 'é', '😀', '\uFFFD', '\uE000', '1', 'true', 'null', '[1]'),
    fc.string({ unit: 'binary', maxLength: 4 }).filter(wellFormed),
  );
  const field = fc.oneof(
    { weight: 6, arbitrary: scalar },
    { weight: 1, arbitrary: fc.array(scalar, { maxLength: 2 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('x', 'y'), scalar, { maxKeys: 2 }) },
  );
  const document = fc.oneof(
    {
      weight: 12,
      arbitrary: fc.record({ a: field, b: field, 'c-d': field, n: field }, { requiredKeys: [] }),
    },
    { weight: 1, arbitrary: scalar },
  );
  const idUnit = fc.constantFrom('a', 'b', 'A', '0', ' ', '%', '_', 'é', '😀', '\uFFFD');
  const documents = fc.uniqueArray(
    fc.record({ id: fc.string({ unit: idUnit, minLength: 1, maxLength: 3 }), value: document }),
    { selector: (d) => d.id, maxLength: 30 },
  );
  const fields = ['a', 'b', 'c-d', 'n', 'n.x', 'n.y', 'n.0', 'a.x', 'missing'] as const;
  /** Data, and list options drawn partly from it (real id prefixes, values that occur) so that queries hit. */
  const scenario = documents.chain((docs) => {
    const ids = docs.map((d) => d.id);
    const occurring = docs.flatMap((d) =>
      fields
        .map((f) => fieldAt(d.value, f))
        .filter((v): v is FieldValue => v === null || (v !== undefined && typeof v !== 'object')),
    );
    const randomPrefix = fc.string({ unit: fc.oneof(idUnit, fc.constant('\ud83d')), maxLength: 2 });
    const idPrefix =
      ids.length === 0
        ? randomPrefix
        : fc.oneof(
            randomPrefix,
            // Cut by UTF-16 code units, so a prefix may end in half a surrogate pair.
            fc.constantFrom(...ids).chain((id) => fc.nat(id.length).map((n) => id.slice(0, n))),
          );
    const value = occurring.length === 0 ? scalar : fc.oneof(fc.constantFrom(...occurring), scalar);
    const options: fc.Arbitrary<ListOptions> = fc.record(
      {
        where: fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: 2 }),
        idPrefix,
        orderBy: fc.constantFrom(...fields),
        direction: fc.constantFrom('asc' as const, 'desc' as const),
        offset: fc.oneof(fc.constant(0), fc.nat(6)),
        limit: fc.nat(10),
      },
      { requiredKeys: [] },
    );
    return fc.tuple(fc.constant(docs), fc.array(options, { minLength: 1, maxLength: 6 }));
  });

  it('returns the same documents in the same order as MemoryStorage for random data and options', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ([docs, queries]) => {
        const collection = `c${run++}`;
        const memory = new MemoryStorage();
        for (const { id, value } of docs) {
          await memory.put(collection, id, value);
          await sqlite.put(collection, id, value);
        }
        for (const options of [{}, ...queries]) {
          const expected = (await memory.list(collection, options)).map((d) => [d.id, d.value]);
          const actual = (await sqlite.list(collection, options)).map((d) => [d.id, d.value]);
          expect(actual, JSON.stringify(options)).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('finds values of every JSON type by where, never across types', async () => {
    const values: FieldValue[] = [true, false, 1, 0, '1', 'true', null, 0.1, 1e21, -0, '', '%'];
    const memory = new MemoryStorage();
    for (const [i, v] of values.entries()) {
      await memory.put('typed', `d${i}`, { v });
      await sqlite.put('typed', `d${i}`, { v });
    }
    await memory.put('typed', 'none', {});
    await sqlite.put('typed', 'none', {});
    for (const v of values) {
      const expected = (await memory.list('typed', { where: { v } })).map((d) => d.id);
      expect((await sqlite.list('typed', { where: { v } })).map((d) => d.id)).toEqual(expected);
    }
    expect((await sqlite.list('typed', { where: { v: 1 } })).map((d) => d.id)).toEqual(['d2']);
    expect((await sqlite.list('typed', { where: { v: null } })).map((d) => d.id)).toEqual(['d6', 'none']);
  });

  it('is reported by MlcycleError codes, not driver errors, once closed', async () => {
    const path = join(dir, 'closed.db');
    const storage = await SqliteStorage.open({ path });
    await storage.close();
    const error = await storage.list('c').catch((e: unknown) => e);
    expect(MlcycleError.is(error, 'STORAGE')).toBe(true);
  });
});
