import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, MlcycleError, type Storage } from '../../src/index.js';
import { rejection } from '../helpers.js';

/** What an adapter's test file gives the conformance suite. */
export interface ConformanceHarness {
  /** A fresh, empty store using `clock`. */
  storage: Storage;
  /** Closes the store and opens it again on the same backing data (durable adapters only). */
  reopen?: () => Promise<Storage>;
  /** Flips a byte of the stored blob behind the store's back, to prove reads verify checksums. */
  corruptBlob: (key: string) => Promise<void>;
  /** Removes whatever the store left behind. */
  cleanup: () => Promise<void>;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return (await rejection(promise)).code;
}

/** The contract every {@link Storage} adapter must meet. */
export function runStorageConformance(
  name: string,
  create: (clock: ManualClock) => Promise<ConformanceHarness>,
  options: { durable: boolean },
): void {
  describe(`Storage conformance: ${name}`, () => {
    let clock: ManualClock;
    let harness: ConformanceHarness;
    let storage: Storage;

    beforeEach(async () => {
      clock = new ManualClock(Date.UTC(2024, 0, 1));
      harness = await create(clock);
      storage = harness.storage;
    });

    afterEach(async () => {
      await storage.close();
      await harness.cleanup();
    });

    describe('documents', () => {
      it('stores a document at revision 1 and reads back an equal copy', async () => {
        const value = { name: 'ridge', params: { alpha: 0.5 }, tags: ['a', 'b'], ok: true, none: null };
        const written = await storage.put('models', 'm1', value);
        expect(written).toEqual({
          collection: 'models',
          id: 'm1',
          revision: 1,
          updatedAt: clock.now(),
          value,
        });
        expect(await storage.get('models', 'm1')).toEqual(written);
        expect(await storage.get('models', 'missing')).toBeUndefined();
        expect(await storage.get('other', 'm1')).toBeUndefined();
      });

      it('copies values in and out, so later mutation does not reach the store', async () => {
        const value = { nested: { n: 1 } };
        const written = await storage.put('c', 'x', value);
        value.nested.n = 2;
        written.value.nested.n = 3;
        const read = await storage.get<{ nested: { n: number } }>('c', 'x');
        expect(read?.value.nested.n).toBe(1);
        read!.value.nested.n = 4;
        expect((await storage.get<{ nested: { n: number } }>('c', 'x'))?.value.nested.n).toBe(1);
      });

      it('increments the revision and the timestamp on every write', async () => {
        await storage.put('c', 'x', { v: 1 });
        clock.advance(1000);
        const second = await storage.put('c', 'x', { v: 2 });
        expect(second.revision).toBe(2);
        expect(second.updatedAt).toBe(Date.UTC(2024, 0, 1) + 1000);
        expect((await storage.get('c', 'x'))?.value).toEqual({ v: 2 });
      });

      it('writes with the expected revision and refuses a stale one with CONFLICT, changing nothing', async () => {
        await storage.put('c', 'x', { v: 1 });
        const second = await storage.put('c', 'x', { v: 2 }, { expectedRevision: 1 });
        expect(second.revision).toBe(2);
        await expect(storage.put('c', 'x', { v: 3 }, { expectedRevision: 1 })).rejects.toThrow(
          'Write conflict on c/x: expected revision 1, but it is at revision 2; re-read it and retry',
        );
        const error = await storage.put('c', 'x', { v: 3 }, { expectedRevision: 5 }).catch((e: unknown) => e);
        expect(error).toMatchObject({
          code: 'CONFLICT',
          details: { expectedRevision: 5, actualRevision: 2 },
        });
        expect(await storage.get('c', 'x')).toMatchObject({ revision: 2, value: { v: 2 } });
      });

      it('creates only when absent with expectedRevision 0', async () => {
        await storage.put('c', 'x', { v: 1 }, { expectedRevision: 0 });
        await expect(storage.put('c', 'x', { v: 2 }, { expectedRevision: 0 })).rejects.toThrow(
          'expected not to exist yet, but it is at revision 1',
        );
        await expect(storage.put('c', 'y', { v: 2 }, { expectedRevision: 3 })).rejects.toThrow(
          'expected revision 3, but it does not exist',
        );
        expect(await storage.get('c', 'y')).toBeUndefined();
      });

      it('deletes, reports whether anything was deleted, and checks the expected revision', async () => {
        await storage.put('c', 'x', { v: 1 });
        await storage.put('c', 'x', { v: 2 });
        expect(await codeOf(storage.delete('c', 'x', { expectedRevision: 1 }))).toBe('CONFLICT');
        expect(await storage.get('c', 'x')).toBeDefined();
        expect(await storage.delete('c', 'x', { expectedRevision: 2 })).toBe(true);
        expect(await storage.delete('c', 'x')).toBe(false);
        expect(await storage.get('c', 'x')).toBeUndefined();
        expect((await storage.put('c', 'x', { v: 3 })).revision).toBe(1);
      });

      it('accepts any non-empty id, including unicode, slashes and quotes', async () => {
        const ids = ['a/b', "it's", 'ünï©ødé 😀', 'x'.repeat(512), ' '];
        for (const id of ids) await storage.put('c', id, { id });
        for (const id of ids) expect((await storage.get('c', id))?.value).toEqual({ id });
      });

      it('keeps large and deeply nested values intact', async () => {
        const big = { xs: Array.from({ length: 20_000 }, (_, i) => i / 7), s: 'ß'.repeat(10_000) };
        let deep: Record<string, unknown> = { leaf: -0.5e-300 };
        for (let i = 0; i < 100; i++) deep = { child: deep };
        await storage.put('c', 'big', big);
        await storage.put('c', 'deep', deep);
        expect((await storage.get('c', 'big'))?.value).toEqual(big);
        expect((await storage.get('c', 'deep'))?.value).toEqual(deep);
      });
    });

    describe('listing', () => {
      beforeEach(async () => {
        const rows: [string, Record<string, unknown>][] = [
          ['t3', { score: 0.3, state: 'done', params: { depth: 3 }, flag: true }],
          ['t1', { score: 0.9, state: 'done', params: { depth: 5 }, flag: 1 }],
          ['t2', { score: -1, state: 'pruned', params: { depth: 3 }, flag: false }],
          ['t4', { state: 'running', params: { depth: 7 }, note: null }],
          ['t5', { score: 0.3, state: 'done', params: { depth: 3 }, label: 'b' }],
          ['u1', { score: 2, state: 'done', label: 'a' }],
        ];
        for (const [id, value] of rows) await storage.put('trials', id, value);
        await storage.put('other', 't9', { score: 100, state: 'done' });
      });

      const ids = async (options?: Parameters<Storage['list']>[1]) =>
        (await storage.list('trials', options)).map((d) => d.id);

      it('lists a collection in id order by default, and nothing for an unknown collection', async () => {
        expect(await ids()).toEqual(['t1', 't2', 't3', 't4', 't5', 'u1']);
        expect(await storage.list('never-written')).toEqual([]);
        const [first] = await storage.list('trials', { limit: 1 });
        expect(first).toMatchObject({ collection: 'trials', id: 't1', revision: 1, value: { score: 0.9 } });
      });

      it('filters by equality on dotted fields, keeping types apart', async () => {
        expect(await ids({ where: { state: 'done' } })).toEqual(['t1', 't3', 't5', 'u1']);
        expect(await ids({ where: { 'params.depth': 3, state: 'done' } })).toEqual(['t3', 't5']);
        expect(await ids({ where: { flag: true } })).toEqual(['t3']);
        expect(await ids({ where: { flag: 1 } })).toEqual(['t1']);
        expect(await ids({ where: { flag: false } })).toEqual(['t2']);
        expect(await ids({ where: { note: null, state: 'running' } })).toEqual(['t4']);
        expect(await ids({ where: { score: null } })).toEqual(['t4']);
        expect(await ids({ where: { score: 0.3 } })).toEqual(['t3', 't5']);
        expect(await ids({ where: { score: '0.3' } })).toEqual([]);
      });

      it('reads only fields the document has, never inherited ones like constructor', async () => {
        expect(await ids({ where: { toString: null } })).toEqual(['t1', 't2', 't3', 't4', 't5', 'u1']);
        expect(await ids({ orderBy: 'constructor', limit: 2 })).toEqual(['t1', 't2']);
        expect(await ids({ where: { 'state.length': null, state: 'done' } })).toEqual([
          't1',
          't3',
          't5',
          'u1',
        ]);
      });

      it('filters by id prefix', async () => {
        expect(await ids({ idPrefix: 't' })).toEqual(['t1', 't2', 't3', 't4', 't5']);
        expect(await ids({ idPrefix: 'u' })).toEqual(['u1']);
        expect(await ids({ idPrefix: '%' })).toEqual([]);
      });

      it('orders by a field with missing values first and ties broken by id', async () => {
        expect(await ids({ orderBy: 'score' })).toEqual(['t4', 't2', 't3', 't5', 't1', 'u1']);
        expect(await ids({ orderBy: 'score', direction: 'desc' })).toEqual([
          'u1',
          't1',
          't3',
          't5',
          't2',
          't4',
        ]);
        expect(await ids({ orderBy: 'label' })).toEqual(['t1', 't2', 't3', 't4', 'u1', 't5']);
        expect(await ids({ orderBy: 'params.depth', where: { state: 'done' } })).toEqual([
          'u1',
          't3',
          't5',
          't1',
        ]);
      });

      it('orders numbers before strings and strings by code point', async () => {
        await storage.put('mixed', 'a', { k: 'b' });
        await storage.put('mixed', 'b', { k: 10 });
        await storage.put('mixed', 'c', { k: 'B' });
        await storage.put('mixed', 'd', { k: 2 });
        await storage.put('mixed', 'e', { k: '\u{1F600}' });
        await storage.put('mixed', 'f', { k: '\uFFFD' });
        const order = (await storage.list('mixed', { orderBy: 'k' })).map((d) => d.id);
        expect(order).toEqual(['d', 'b', 'c', 'a', 'f', 'e']);
      });

      it('pages with offset and limit after ordering', async () => {
        expect(await ids({ orderBy: 'score', offset: 1, limit: 2 })).toEqual(['t2', 't3']);
        expect(await ids({ offset: 5, limit: 10 })).toEqual(['u1']);
        expect(await ids({ offset: 10 })).toEqual([]);
        expect(await ids({ limit: 0 })).toEqual([]);
      });

      it('rejects malformed list options with a message naming the option', async () => {
        await expect(storage.list('trials', { limit: -1 })).rejects.toThrow(
          'Invalid list options: limit: Too small: expected number to be >=0 (received -1)',
        );
        await expect(storage.list('trials', { orderBy: 'a..b' })).rejects.toThrow(
          "orderBy: expected a dotted field path of letters, digits, '_' or '-'",
        );
        await expect(storage.list('trials', { where: { x: [1] as never } })).rejects.toThrow(
          'Invalid list options',
        );
        await expect(storage.list('trials', { sort: 'x' } as never)).rejects.toThrow(
          'Unrecognized key: "sort"',
        );
      });
    });

    describe('bad input', () => {
      it('rejects values that JSON would silently change, naming the path', async () => {
        const cases: [unknown, string][] = [
          [{ a: Number.NaN }, 'value.a is NaN'],
          [{ a: [1, Number.POSITIVE_INFINITY] }, 'value.a[1] is Infinity'],
          [{ a: undefined }, 'value.a is undefined'],
          [{ when: new Date(0) }, 'value.when is an instance of Date'],
          [{ f: () => 1 }, 'value.f is a function'],
          [{ n: 10n }, 'value.n is a bigint (10n)'],
          [{ m: new Map() }, 'value.m is an instance of Map'],
          [new Array(3), 'value[0] is a hole in a sparse array'],
          [undefined, 'value is undefined'],
        ];
        for (const [value, message] of cases) {
          await expect(storage.put('c', 'x', value)).rejects.toThrow(message);
        }
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        await expect(storage.put('c', 'x', cyclic)).rejects.toThrow('value.self is a circular reference');
        await expect(storage.append('log', { bad: Number.NaN })).rejects.toThrow('value.bad is NaN');
        expect(await storage.get('c', 'x')).toBeUndefined();
        expect(await storage.logLength('log')).toBe(0);
      });

      it('rejects bad names, ids, keys and revisions', async () => {
        await expect(storage.put('1bad', 'x', {})).rejects.toThrow(
          `Invalid collection name "1bad": expected a letter followed by at most 127 letters, digits, '_', '-' or '.'`,
        );
        await expect(storage.get('c', '')).rejects.toThrow(
          'Invalid document id "": expected a non-empty string of at most 512 characters',
        );
        await expect(storage.get('c', 'x'.repeat(513))).rejects.toThrow('Invalid document id');
        await expect(storage.append('has space', 1)).rejects.toThrow('Invalid log name "has space"');
        await expect(storage.put('c', 'x', {}, { expectedRevision: -1 })).rejects.toThrow(
          'expectedRevision must be an integer >= 0 (0: the document must not exist yet), received -1',
        );
        await expect(storage.delete('c', 'x', { expectedRevision: 1.5 })).rejects.toThrow('received 1.5');
        for (const key of ['../escape', 'a//b', '', '.hidden', 'a/./b', 'a b']) {
          await expect(storage.putBlob(key, new Uint8Array(1))).rejects.toThrow('Invalid blob key');
        }
        await expect(storage.putBlob('k', 'text' as never)).rejects.toThrow(
          'putBlob("k") needs a Uint8Array',
        );
        await expect(storage.read('log', { fromOffset: -1 })).rejects.toThrow(
          'Invalid log read options: fromOffset: Too small',
        );
      });
    });

    describe('logs', () => {
      it('appends with consecutive offsets from 0 and reads them back in order', async () => {
        const first = await storage.append('events', { kind: 'a' });
        clock.advance(5);
        const second = await storage.append('events', { kind: 'b' });
        await storage.append('other', 'x');
        expect(first).toEqual({ offset: 0, timestamp: Date.UTC(2024, 0, 1), value: { kind: 'a' } });
        expect(second.offset).toBe(1);
        expect(await storage.read('events')).toEqual([first, second]);
        expect(await storage.logLength('events')).toBe(2);
        expect(await storage.logLength('empty')).toBe(0);
        expect(await storage.read('empty')).toEqual([]);
      });

      it('reads from an offset with a limit', async () => {
        for (let i = 0; i < 10; i++) await storage.append('seq', i);
        expect((await storage.read('seq', { fromOffset: 7 })).map((e) => e.value)).toEqual([7, 8, 9]);
        expect((await storage.read('seq', { fromOffset: 2, limit: 3 })).map((e) => e.offset)).toEqual([
          2, 3, 4,
        ]);
        expect(await storage.read('seq', { fromOffset: 10 })).toEqual([]);
      });

      it('keeps every append under concurrent writers, with unique offsets', async () => {
        const entries = await Promise.all(Array.from({ length: 200 }, (_, i) => storage.append('busy', i)));
        expect(new Set(entries.map((e) => e.offset)).size).toBe(200);
        const read = await storage.read<number>('busy');
        expect(read.map((e) => e.offset)).toEqual(Array.from({ length: 200 }, (_, i) => i));
        expect(new Set(read.map((e) => e.value)).size).toBe(200);
      });
    });

    describe('blobs', () => {
      it('stores bytes with their sha256 and reads back a copy', async () => {
        const data = new Uint8Array(70_000).map((_, i) => (i * 31) % 256);
        const info = await storage.putBlob('models/ridge/1.bin', data);
        const sha256 = createHash('sha256').update(data).digest('hex');
        expect(info).toEqual({ key: 'models/ridge/1.bin', size: 70_000, sha256, createdAt: clock.now() });
        expect(await storage.statBlob('models/ridge/1.bin')).toEqual(info);
        const read = await storage.getBlob('models/ridge/1.bin');
        // Buffer.equals: a deep toEqual over 70,000 elements takes most of a second.
        expect(Buffer.from(read!).equals(Buffer.from(data))).toBe(true);
        read![0] = 255;
        expect(Buffer.from((await storage.getBlob('models/ridge/1.bin'))!).equals(Buffer.from(data))).toBe(
          true,
        );
      });

      it('replaces, deletes, and reports missing blobs as undefined', async () => {
        await storage.putBlob('k', new Uint8Array([1, 2, 3]));
        await storage.putBlob('k', new Uint8Array([4]));
        expect(await storage.getBlob('k')).toEqual(new Uint8Array([4]));
        expect(await storage.putBlob('empty', new Uint8Array(0))).toMatchObject({ size: 0 });
        expect(await storage.getBlob('empty')).toEqual(new Uint8Array(0));
        expect(await storage.deleteBlob('k')).toBe(true);
        expect(await storage.deleteBlob('k')).toBe(false);
        expect(await storage.getBlob('k')).toBeUndefined();
        expect(await storage.statBlob('k')).toBeUndefined();
      });

      it('fails with INTEGRITY when stored bytes no longer match their checksum', async () => {
        await storage.putBlob('weights', new Uint8Array([10, 20, 30, 40]));
        await harness.corruptBlob('weights');
        const error = await storage.getBlob('weights').catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'INTEGRITY' });
        expect((error as Error).message).toMatch(
          /^Blob "weights" is corrupt: recorded sha256 [0-9a-f]{64} \(4 bytes\)/,
        );
      });
    });

    describe('transactions', () => {
      it('applies all writes together when the function resolves', async () => {
        await storage.put('acct', 'a', { balance: 100 });
        await storage.put('acct', 'b', { balance: 0 });
        const result = await storage.transaction(async (tx) => {
          const a = await tx.get<{ balance: number }>('acct', 'a');
          const b = await tx.get<{ balance: number }>('acct', 'b');
          await tx.put('acct', 'a', { balance: a!.value.balance - 30 });
          await tx.put('acct', 'b', { balance: b!.value.balance + 30 });
          await tx.append('ledger', { from: 'a', to: 'b', amount: 30 });
          return 'moved';
        });
        expect(result).toBe('moved');
        expect(await storage.get('acct', 'a')).toMatchObject({ revision: 2, value: { balance: 70 } });
        expect((await storage.get('acct', 'b'))?.value).toEqual({ balance: 30 });
        expect(await storage.read('ledger')).toHaveLength(1);
      });

      it('applies nothing when the function throws', async () => {
        await storage.put('acct', 'a', { balance: 100 });
        await expect(
          storage.transaction(async (tx) => {
            await tx.put('acct', 'a', { balance: 0 });
            await tx.put('acct', 'new', { balance: 1 });
            await tx.append('ledger', 'x');
            throw new Error('changed my mind');
          }),
        ).rejects.toThrow('changed my mind');
        expect(await storage.get('acct', 'a')).toMatchObject({ revision: 1, value: { balance: 100 } });
        expect(await storage.get('acct', 'new')).toBeUndefined();
        expect(await storage.logLength('ledger')).toBe(0);
      });

      it('sees its own writes in get and list', async () => {
        await storage.put('c', 'a', { n: 1 });
        await storage.put('c', 'b', { n: 2 });
        await storage.transaction(async (tx) => {
          await tx.put('c', 'a', { n: 10 });
          await tx.delete('c', 'b');
          await tx.put('c', 'c', { n: 3 });
          expect((await tx.get('c', 'a'))?.value).toEqual({ n: 10 });
          expect(await tx.get('c', 'b')).toBeUndefined();
          const listed = await tx.list<{ n: number }>('c', { orderBy: 'n', direction: 'desc' });
          expect(listed.map((d) => [d.id, d.value.n])).toEqual([
            ['a', 10],
            ['c', 3],
          ]);
          expect(await storage.get('c', 'c')).toBeUndefined();
        });
        expect((await storage.list('c')).map((d) => d.id)).toEqual(['a', 'c']);
      });

      it('fails with CONFLICT and applies nothing when a document it read changed before commit', async () => {
        await storage.put('c', 'a', { n: 1 });
        await expect(
          storage.transaction(async (tx) => {
            await tx.get('c', 'a');
            await storage.put('c', 'a', { n: 99 });
            await tx.put('c', 'a', { n: 2 });
            await tx.put('c', 'b', { n: 2 });
          }),
        ).rejects.toMatchObject({ code: 'CONFLICT' });
        expect((await storage.get('c', 'a'))?.value).toEqual({ n: 99 });
        expect(await storage.get('c', 'b')).toBeUndefined();
      });

      it('commits a blind write even if the document changed meanwhile, since it read nothing', async () => {
        await storage.put('c', 'a', { n: 1 });
        await storage.transaction(async (tx) => {
          await tx.put('c', 'a', { n: 2 });
          await storage.put('c', 'a', { n: 99 });
        });
        expect(await storage.get('c', 'a')).toMatchObject({ revision: 3, value: { n: 2 } });
      });

      it('checks expectedRevision inside the transaction', async () => {
        await storage.put('c', 'a', { n: 1 });
        await expect(
          storage.transaction(async (tx) => {
            await tx.put('c', 'a', { n: 2 }, { expectedRevision: 7 });
          }),
        ).rejects.toThrow('expected revision 7, but it is at revision 1');
      });

      it('refuses use of the transaction after its function has finished', async () => {
        let leaked: Parameters<Parameters<Storage['transaction']>[0]>[0] | undefined;
        await storage.transaction(async (tx) => {
          leaked = tx;
        });
        await expect(leaked!.put('c', 'a', {})).rejects.toThrow('This transaction has already finished');
      });
    });

    it('loses no update when many callers read-modify-write one document with retries', async () => {
      await storage.put('counters', 'c', { n: 0 });
      const increment = async (): Promise<void> => {
        for (;;) {
          const current = await storage.get<{ n: number }>('counters', 'c');
          try {
            await storage.put(
              'counters',
              'c',
              { n: current!.value.n + 1 },
              { expectedRevision: current!.revision },
            );
            return;
          } catch (error) {
            if (!MlcycleError.is(error, 'CONFLICT')) throw error;
          }
        }
      };
      await Promise.all(Array.from({ length: 40 }, increment));
      expect(await storage.get('counters', 'c')).toMatchObject({ revision: 41, value: { n: 40 } });
    });

    it('fails every call with STORAGE once closed', async () => {
      await storage.close();
      await storage.close();
      await expect(storage.get('c', 'x')).rejects.toThrow(/ is closed$/);
      expect(await codeOf(storage.put('c', 'x', {}))).toBe('STORAGE');
      expect(await codeOf(storage.append('l', 1))).toBe('STORAGE');
      expect(await codeOf(storage.getBlob('k'))).toBe('STORAGE');
    });

    if (options.durable)
      it('keeps everything across close and reopen', async () => {
        if (harness.reopen === undefined)
          throw new Error(`${name} is declared durable but its harness has no reopen`);
        await storage.put('c', 'a', { n: 1 });
        await storage.put('c', 'a', { n: 2 });
        await storage.put('c', 'b', { gone: true });
        await storage.delete('c', 'b');
        await storage.append('log', { i: 0 });
        await storage.append('log', { i: 1 });
        await storage.putBlob('blob/1', new Uint8Array([9, 8, 7]));
        await storage.transaction(async (tx) => {
          await tx.put('c', 'tx', { ok: true });
          await tx.append('log', { i: 2 });
        });
        storage = await harness.reopen();
        expect(await storage.get('c', 'a')).toMatchObject({ revision: 2, value: { n: 2 } });
        expect(await storage.get('c', 'b')).toBeUndefined();
        expect((await storage.get('c', 'tx'))?.value).toEqual({ ok: true });
        expect((await storage.read('log')).map((e) => e.value)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
        expect(await storage.getBlob('blob/1')).toEqual(new Uint8Array([9, 8, 7]));
        expect((await storage.append('log', { i: 3 })).offset).toBe(3);
        expect((await storage.put('c', 'a', { n: 3 }, { expectedRevision: 2 })).revision).toBe(3);
      });
  });
}
