import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { crc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JournalStorage, ManualClock, type MlcycleError, type Storage } from '../../src/index.js';
import { rejection } from '../helpers.js';
import { runStorageConformance } from './conformance.js';

const T0 = Date.UTC(2024, 0, 1);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

async function tempDir(): Promise<string> {
  return fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'mlcycle-journal-')));
}

runStorageConformance(
  'JournalStorage',
  async (clock) => {
    const dir = await tempDir();
    let storage = await JournalStorage.open({ dir, clock });
    return {
      storage,
      reopen: async () => {
        await storage.close();
        storage = await JournalStorage.open({ dir, clock });
        return storage;
      },
      corruptBlob: async (key) => {
        const info = await storage.statBlob(key);
        if (info === undefined) throw new Error(`no blob ${key} to corrupt`);
        const file = path.join(dir, 'blobs', info.sha256);
        const bytes = await fs.readFile(file);
        bytes[0] = (bytes[0] ?? 0) ^ 0xff;
        await fs.writeFile(file, bytes);
      },
      cleanup: async () => {
        await storage.close();
        await fs.rm(dir, { recursive: true, force: true });
      },
    };
  },
  { durable: true },
);

/** The FileHandle prototype, to intercept the journal's fsyncs. */
async function fileHandlePrototype(dir: string): Promise<{ sync: () => Promise<void> }> {
  const handle = await fs.open(path.join(dir, 'journal.jsonl'), 'r');
  await handle.close();
  return Object.getPrototypeOf(handle) as { sync: () => Promise<void> };
}

/** Starts a separate Node.js process that opens `dir` for writing and keeps it open until killed. */
async function holdInChild(dir: string): Promise<ChildProcess> {
  const index = pathToFileURL(path.join(ROOT, 'src/index.ts')).href;
  const code = `const { JournalStorage } = await import(${JSON.stringify(index)});
await JournalStorage.open({ dir: ${JSON.stringify(dir)} });
process.stdout.write('ready\\n');
setInterval(() => {}, 1 << 30);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      if (String(chunk).includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`lock holder exited early (${code}): ${stderr}`)));
  });
  return child;
}

async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => child.on('exit', resolve));
}

describe('JournalStorage', () => {
  let root: string;
  let dir: string;
  let clock: ManualClock;
  const open: Storage[] = [];

  const openStore = async (options: { readOnly?: boolean } = {}): Promise<JournalStorage> => {
    const storage = await JournalStorage.open({ dir, clock, ...options });
    open.push(storage);
    return storage;
  };
  const journal = () => path.join(dir, 'journal.jsonl');
  const journalLines = async () => (await fs.readFile(journal(), 'utf8')).split('\n').slice(0, -1);

  beforeEach(async () => {
    root = await tempDir();
    dir = root;
    clock = new ManualClock(T0);
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    for (const storage of open.splice(0)) await storage.close();
    await fs.rm(root, { recursive: true, force: true });
  });

  describe('journal format', () => {
    it('writes one checksummed, human-readable JSON line per write', async () => {
      const storage = await openStore();
      await storage.put('runs', 'r1', { mae: 0.5 });
      clock.advance(1);
      await storage.transaction(async (tx) => {
        await tx.put('runs', 'r1', { mae: 0.25 }, { expectedRevision: 1 });
        await tx.delete('runs', 'gone');
        await tx.append('events', { kind: 'improved' });
      });
      await storage.putBlob('weights', new Uint8Array([1, 2, 3]));
      await storage.deleteBlob('weights');
      const lines = await journalLines();
      expect(lines).toMatchInlineSnapshot(`
        [
          "{"crc32":"f8d8e2ee","record":{"type":"header","format":"mlcycle-journal","version":1}}",
          "{"crc32":"836cd4b0","record":{"type":"batch","timestamp":1704067200000,"ops":[{"op":"put","collection":"runs","id":"r1","value":{"mae":0.5}}]}}",
          "{"crc32":"3ddc4c52","record":{"type":"batch","timestamp":1704067200001,"ops":[{"op":"put","collection":"runs","id":"r1","value":{"mae":0.25}},{"op":"delete","collection":"runs","id":"gone"},{"op":"append","log":"events","value":{"kind":"improved"}}]}}",
          "{"crc32":"2ff881a5","record":{"type":"blob","key":"weights","size":3,"sha256":"039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81","createdAt":1704067200001}}",
          "{"crc32":"9a5d50fb","record":{"type":"blob-delete","key":"weights"}}",
        ]
      `);
      for (const line of lines) {
        const parsed = JSON.parse(line) as { crc32: string; record: unknown };
        const recordText = line.slice('{"crc32":"00000000","record":'.length, -1);
        expect(JSON.parse(recordText)).toEqual(parsed.record);
        expect(parsed.crc32).toBe(crc32(Buffer.from(recordText, 'utf8')).toString(16).padStart(8, '0'));
      }
    });

    it('creates the directory and an empty journal, and reports what it found', async () => {
      dir = path.join(dir, 'nested', 'store');
      const storage = await openStore();
      expect(storage.recovery).toEqual({
        created: true,
        records: 0,
        bytes: (await fs.stat(journal())).size,
        droppedTail: null,
        truncated: false,
        staleLock: null,
        removedFiles: 0,
      });
      expect(storage.dir).toBe(dir);
      expect(await fs.readdir(dir)).toEqual(['blobs', 'journal.jsonl', 'lock']);
    });
  });

  describe('recovery after a crash', () => {
    const seed = async (): Promise<Buffer> => {
      const storage = await openStore();
      for (let i = 1; i <= 3; i++) await storage.put('c', 'x', { n: i });
      await storage.append('log', 'a');
      await storage.close();
      return fs.readFile(journal());
    };

    it('drops an incomplete last line, reports it, cuts it from the file and keeps writing', async () => {
      const before = await seed();
      const lastLine = (await journalLines()).at(-1) as string;
      await fs.appendFile(journal(), lastLine.slice(0, 40));
      const storage = await openStore();
      expect(storage.recovery).toMatchObject({
        records: 4,
        bytes: before.length,
        droppedTail: { line: 6, bytes: 40, reason: 'incomplete' },
        truncated: true,
      });
      expect(await fs.readFile(journal())).toEqual(before);
      expect(await storage.get('c', 'x')).toMatchObject({ revision: 3, value: { n: 3 } });
      await storage.put('c', 'x', { n: 4 }, { expectedRevision: 3 });
      await storage.close();
      const reopened = await openStore();
      expect(reopened.recovery.droppedTail).toBeNull();
      expect(await reopened.get('c', 'x')).toMatchObject({ revision: 4, value: { n: 4 } });
      expect(await reopened.read('log')).toHaveLength(1);
    });

    it('drops a last line whose checksum does not match, and one that is not a journal line', async () => {
      await seed();
      const lines = await journalLines();
      const forged = (lines.at(-2) as string).replace('{"n":3}', '{"n":9}');
      await fs.writeFile(journal(), `${[...lines.slice(0, -2), forged].join('\n')}\n`);
      let storage = await openStore();
      expect(storage.recovery.droppedTail).toEqual({
        line: 4,
        bytes: forged.length + 1,
        reason: 'checksum mismatch',
      });
      expect(await storage.get('c', 'x')).toMatchObject({ revision: 2, value: { n: 2 } });
      await storage.close();

      await fs.appendFile(journal(), `${'\u0000'.repeat(10)}\n`);
      storage = await openStore();
      expect(storage.recovery.droppedTail).toEqual({ line: 4, bytes: 11, reason: 'unparsable' });
    });

    it('refuses with INTEGRITY a damaged line that is not the last, leaving every byte as it was', async () => {
      await seed();
      const bytes = await fs.readFile(journal());
      const at = bytes.indexOf('{"n":2}');
      bytes[at + 5] = '7'.charCodeAt(0);
      await fs.writeFile(journal(), bytes);
      const error = await rejection(JournalStorage.open({ dir }));
      expect(error.code).toBe('INTEGRITY');
      expect(error.message.replace(dir, '<dir>')).toMatchInlineSnapshot(
        `"Journal <dir>/journal.jsonl is corrupt at line 3: checksum mismatch. Only a damaged last line can come from a crash and be dropped; this one has more lines after it, so the file was left untouched. Restore the directory from a backup, or delete that line by hand to accept losing its write."`,
      );
      expect(error.details).toEqual({ file: journal(), line: 3, reason: 'checksum mismatch' });
      expect(await fs.readFile(journal())).toEqual(bytes);
      await expect(fs.stat(path.join(dir, 'lock'))).rejects.toThrow('ENOENT');
    });

    it('refuses a last line with a valid checksum but foreign content, which no crash produces', async () => {
      const before = await seed();
      const line = (record: string) =>
        `{"crc32":"${crc32(Buffer.from(record)).toString(16).padStart(8, '0')}","record":${record}}\n`;
      for (const [record, what] of [
        ['{"type":"rename","from":"a","to":"b"}', 'is not a valid journal record'],
        ['{"type":"batch",', 'has a valid checksum but is not JSON'],
      ]) {
        await fs.writeFile(journal(), Buffer.concat([before, Buffer.from(line(record as string))]));
        const error = await rejection(JournalStorage.open({ dir }));
        expect(error.code).toBe('INTEGRITY');
        expect(error.message.replace(dir, '<dir>')).toBe(`Journal <dir>/journal.jsonl line 6 ${what}`);
      }
    });

    it('removes what interrupted writes left: a compaction snapshot, blob temp files, unreferenced blobs', async () => {
      const storage = await openStore();
      const kept = await storage.putBlob('kept', new Uint8Array([1]));
      await storage.close();
      await fs.writeFile(path.join(dir, 'journal.jsonl.tmp'), 'half a snapshot');
      await fs.writeFile(path.join(dir, 'blobs', `.tmp-${'a'.repeat(64)}-x1`), 'partial');
      await fs.writeFile(path.join(dir, 'blobs', 'b'.repeat(64)), 'never recorded');
      const reopened = await openStore();
      expect(reopened.recovery.removedFiles).toBe(3);
      expect(await fs.readdir(path.join(dir, 'blobs'))).toEqual([kept.sha256]);
      expect(await fs.readdir(dir)).toEqual(['blobs', 'journal.jsonl', 'lock']);
      expect(await reopened.getBlob('kept')).toEqual(new Uint8Array([1]));
    });
  });

  describe('lock', () => {
    it('refuses a second writer while a live process holds the lock, naming its pid', async () => {
      const child = await holdInChild(dir);
      try {
        const error = await rejection(JournalStorage.open({ dir }));
        const holder = JSON.parse(await fs.readFile(path.join(dir, 'lock'), 'utf8')) as {
          pid: number;
          startedAt: string;
        };
        expect(error.code).toBe('STORAGE');
        expect(holder.pid).toBe(child.pid);
        expect(
          error.message
            .replace(dir, '<dir>')
            .replace(String(child.pid), '<pid>')
            .replace(os.hostname(), '<host>')
            .replace(holder.startedAt, '<time>'),
        ).toBe(
          'Cannot open <dir> for writing: process <pid> on <host> holds its lock since <time>. Close the store in that process, or pass readOnly: true to read without writing.',
        );
        expect(error.details).toMatchObject({ pid: child.pid, lockPath: path.join(dir, 'lock') });

        const reader = await openStore({ readOnly: true });
        expect(await reader.logLength('x')).toBe(0);
      } finally {
        child.kill('SIGKILL');
        await exited(child);
      }
      const storage = await openStore();
      expect(storage.recovery.staleLock).toMatchObject({ pid: child.pid, host: os.hostname() });
    });

    it('takes over a lock whose holder no longer runs', async () => {
      const gone = spawn(process.execPath, ['-e', '']);
      await exited(gone);
      const stale = { pid: gone.pid, host: os.hostname(), startedAt: '2024-01-01T00:00:00.000Z' };
      await fs.writeFile(path.join(dir, 'lock'), JSON.stringify(stale));
      const storage = await openStore();
      expect(storage.recovery.staleLock).toEqual(stale);
      const lock = JSON.parse(await fs.readFile(path.join(dir, 'lock'), 'utf8')) as { pid: number };
      expect(lock.pid).toBe(process.pid);
      await storage.close();
      await expect(fs.stat(path.join(dir, 'lock'))).rejects.toThrow('ENOENT');
    });

    it('refuses a lock held on another host, whose liveness it cannot check', async () => {
      const holder = { pid: 1234, host: 'elsewhere', startedAt: '2024-01-01T00:00:00.000Z' };
      await fs.writeFile(path.join(dir, 'lock'), JSON.stringify(holder));
      const error = await rejection(JournalStorage.open({ dir }));
      expect(error.message.replaceAll(dir, '<dir>').replaceAll(os.hostname(), '<host>')).toBe(
        `Cannot open <dir> for writing: process 1234 on elsewhere holds its lock since 2024-01-01T00:00:00.000Z. Its liveness cannot be checked from <host>; if it no longer runs, delete <dir>/lock. Otherwise pass readOnly: true to read without writing.`,
      );
    });

    it('refuses a second writer in the same process', async () => {
      await openStore();
      const error = await rejection(JournalStorage.open({ dir }));
      expect(error.code).toBe('STORAGE');
      expect(error.message.replace(dir, '<dir>')).toBe(
        'Cannot open <dir> for writing: it is already open for writing in this process. Close that store first, or pass readOnly: true to read without writing.',
      );
    });
  });

  describe('read-only', () => {
    it('sees the data, refuses every write with STORAGE, and never touches the files', async () => {
      const writer = await openStore();
      await writer.put('c', 'x', { n: 1 });
      await writer.append('log', 1);
      await writer.putBlob('b', new Uint8Array([7]));
      await fs.appendFile(journal(), '{"crc32":"0000');
      const before = await fs.readFile(journal());

      const reader = await openStore({ readOnly: true });
      expect(reader.readOnly).toBe(true);
      expect(reader.recovery).toMatchObject({ droppedTail: { reason: 'incomplete' }, truncated: false });
      expect((await reader.get('c', 'x'))?.value).toEqual({ n: 1 });
      expect(await reader.read('log')).toHaveLength(1);
      expect(await reader.getBlob('b')).toEqual(new Uint8Array([7]));
      const message = `This JournalStorage was opened read-only (${dir}); open it without readOnly: true to write`;
      await expect(reader.put('c', 'x', {})).rejects.toThrow(message);
      await expect(reader.delete('c', 'x')).rejects.toThrow(message);
      await expect(reader.append('log', 2)).rejects.toThrow(message);
      await expect(reader.putBlob('b2', new Uint8Array(1))).rejects.toThrow(message);
      await expect(reader.deleteBlob('missing')).rejects.toThrow(message);
      await expect(reader.transaction(async (tx) => tx.put('c', 'y', {}))).rejects.toThrow(message);
      expect((await rejection(reader.compact())).code).toBe('STORAGE');
      await reader.close();
      expect(await fs.readFile(journal())).toEqual(before);
      expect(await fs.readdir(dir)).toContain('lock');
    });

    it('fails with NOT_FOUND for a directory without a journal', async () => {
      const error = await rejection(JournalStorage.open({ dir, readOnly: true }));
      expect(error.code).toBe('NOT_FOUND');
      expect(error.message.replace(dir, '<dir>')).toBe(
        'Cannot open <dir> read-only: it holds no journal (journal.jsonl). Open it without readOnly to create one.',
      );
    });
  });

  describe('compaction', () => {
    it('keeps everything, shrinks the journal and removes blob files nothing refers to', async () => {
      const storage = await openStore();
      for (let i = 0; i < 50; i++) {
        clock.advance(1);
        await storage.put('c', `d${i % 5}`, { i, payload: 'x'.repeat(50) });
      }
      await storage.put('c', 'gone', { bye: true });
      await storage.delete('c', 'gone');
      for (let i = 0; i < 5; i++) await storage.append('events', { i });
      await storage.putBlob('model', new Uint8Array([1, 2, 3]));
      await storage.putBlob('replaced', new Uint8Array([4]));
      await storage.putBlob('replaced', new Uint8Array([5]));
      await storage.putBlob('deleted', new Uint8Array([6]));
      await storage.deleteBlob('deleted');
      const orphan = 'c'.repeat(64);
      await fs.writeFile(path.join(dir, 'blobs', orphan), 'left by a crash before its journal record');

      const dump = async (s: Storage) => ({
        docs: await s.list('c'),
        events: await s.read('events'),
        blobs: await Promise.all(['model', 'replaced', 'deleted'].map((k) => s.statBlob(k))),
        bytes: await Promise.all(['model', 'replaced'].map((k) => s.getBlob(k))),
      });
      const before = await dump(storage);
      const sizeBefore = storage.stats.bytes;
      await storage.compact();

      expect(storage.stats).toMatchObject({ compactions: 1 });
      expect(storage.stats.bytes).toBeLessThan(sizeBefore / 3);
      expect((await fs.stat(journal())).size).toBe(storage.stats.bytes);
      expect(await dump(storage)).toEqual(before);
      const files = await fs.readdir(path.join(dir, 'blobs'));
      expect(files.sort()).toEqual([before.blobs[0]?.sha256, before.blobs[1]?.sha256].sort());
      expect(await fs.readdir(dir)).toEqual(['blobs', 'journal.jsonl', 'lock']);

      await storage.put('c', 'd0', { after: true }, { expectedRevision: 10 });
      await storage.close();
      const reopened = await openStore();
      expect(reopened.recovery).toMatchObject({ records: 5 + 5 + 2 + 1, droppedTail: null });
      expect(await reopened.get('c', 'd0')).toMatchObject({ revision: 11, value: { after: true } });
      expect((await dump(reopened)).events).toEqual(before.events);
      expect((await dump(reopened)).bytes).toEqual(before.bytes);
    });

    it('lets writes made during a compaction wait and land in the new journal', async () => {
      const storage = await openStore();
      for (let i = 0; i < 20; i++) await storage.append('log', i);
      const writes = Array.from({ length: 20 }, (_, i) => storage.append('log', 20 + i));
      await Promise.all([storage.compact(), ...writes, storage.compact()]);
      await storage.close();
      const reopened = await openStore();
      expect((await reopened.read<number>('log')).map((e) => e.value)).toEqual(
        Array.from({ length: 40 }, (_, i) => i),
      );
    });
  });

  describe('group commit', () => {
    it('writes and fsyncs concurrent batches together', async () => {
      const storage = await openStore();
      const before = storage.stats;
      const written = await Promise.all(
        Array.from({ length: 200 }, (_, i) => storage.put('c', `d${i}`, { i })),
      );
      expect(written.every((d) => d.revision === 1)).toBe(true);
      const after = storage.stats;
      expect(after.records - before.records).toBe(200);
      expect(after.syncs - before.syncs).toBeLessThanOrEqual(2);
      expect(after.writes - before.writes).toBeLessThanOrEqual(2);
    });

    it('checks each queued batch against the batches queued before it', async () => {
      const storage = await openStore();
      const results = await Promise.allSettled([
        storage.put('c', 'x', { v: 1 }, { expectedRevision: 0 }),
        storage.put('c', 'x', { v: 2 }, { expectedRevision: 1 }),
        storage.put('c', 'x', { v: 3 }, { expectedRevision: 1 }),
        storage.put('c', 'x', { v: 4 }, { expectedRevision: 2 }),
        storage.delete('c', 'x', { expectedRevision: 3 }),
        storage.put('c', 'x', { v: 5 }, { expectedRevision: 0 }),
      ]);
      expect(
        results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as MlcycleError).code)),
      ).toEqual([
        expect.objectContaining({ revision: 1 }),
        expect.objectContaining({ revision: 2 }),
        'CONFLICT',
        expect.objectContaining({ revision: 3 }),
        true,
        expect.objectContaining({ revision: 1, value: { v: 5 } }),
      ]);
      expect(storage.stats.syncs).toBeLessThanOrEqual(2);
      await storage.close();
      expect(await (await openStore()).get('c', 'x')).toMatchObject({ revision: 1, value: { v: 5 } });
    });

    it('never lets a read see a write before its fsync has returned', async () => {
      const storage = await openStore();
      const proto = await fileHandlePrototype(dir);
      const realSync = proto.sync;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      vi.spyOn(proto, 'sync').mockImplementationOnce(async function (this: unknown) {
        await gate;
        return realSync.call(this);
      });
      const appended = storage.append('events', 'e0');
      const put = storage.put('c', 'x', { n: 1 });
      let seen: unknown = 'pending';
      const read = storage.get('c', 'x').then((doc) => {
        seen = doc?.value;
      });
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(await storage.read('events')).toEqual([]);
      expect(seen).toBe('pending');
      release();
      await Promise.all([appended, put, read]);
      expect(seen).toEqual({ n: 1 });
      expect(await storage.read('events')).toHaveLength(1);
    });
  });

  describe('closing', () => {
    it('finishes the writes already accepted, then releases the lock', async () => {
      const storage = await openStore();
      const writes = Array.from({ length: 20 }, (_, i) => storage.append('log', i));
      await storage.close();
      expect((await Promise.all(writes)).map((e) => e.offset)).toEqual(
        Array.from({ length: 20 }, (_, i) => i),
      );
      expect(await fs.readdir(dir)).toEqual(['blobs', 'journal.jsonl']);
      expect(await (await openStore()).logLength('log')).toBe(20);
    });

    it('removes a blob file as soon as no key refers to it', async () => {
      const storage = await openStore();
      const shared = await storage.putBlob('a', new Uint8Array([1]));
      await storage.putBlob('b', new Uint8Array([1]));
      const replaced = await storage.putBlob('c', new Uint8Array([2]));
      const blobFiles = () => fs.readdir(path.join(dir, 'blobs'));
      expect((await blobFiles()).sort()).toEqual([shared.sha256, replaced.sha256].sort());
      await storage.deleteBlob('a');
      await storage.putBlob('c', new Uint8Array([3]));
      expect((await blobFiles()).sort()).toEqual(
        [shared.sha256, (await storage.statBlob('c'))?.sha256].sort(),
      );
      await storage.deleteBlob('b');
      expect(await blobFiles()).toEqual([(await storage.statBlob('c'))?.sha256]);
    });
  });

  describe('write failures', () => {
    it('fails the batch whose fsync failed with STORAGE, then refuses writes until reopened', async () => {
      const storage = await openStore();
      await storage.put('c', 'kept', { ok: true });
      const proto = await fileHandlePrototype(dir);
      vi.spyOn(proto, 'sync').mockRejectedValueOnce(
        Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }),
      );
      const error = await rejection(storage.put('c', 'lost', { ok: false }));
      expect(error.code).toBe('STORAGE');
      expect(error.message.replace(dir, '<dir>')).toBe(
        'Writing the journal in <dir> failed (EIO: i/o error, fsync); this write is not stored, and the store refuses further writes until it is closed and opened again',
      );
      const refused = await rejection(storage.append('log', 1));
      expect(refused.message.replace(dir, '<dir>')).toBe(
        'This JournalStorage refuses writes since writing its journal in <dir> failed (EIO: i/o error, fsync); close it and open it again to continue from what is on disk',
      );
      expect(await storage.get('c', 'lost')).toBeUndefined();
      expect((await storage.get('c', 'kept'))?.value).toEqual({ ok: true });
      await storage.close();
      const reopened = await openStore();
      expect(reopened.recovery.droppedTail).toBeNull();
      expect(await reopened.get('c', 'lost')).toBeUndefined();
      expect((await reopened.put('c', 'new', {})).revision).toBe(1);
    });
  });

  describe('options', () => {
    it('rejects malformed options with INVALID_ARGUMENT naming the option', async () => {
      const cases: [unknown, string][] = [
        [
          undefined,
          'Invalid JournalStorage options: Invalid input: expected object, received undefined (received nothing)',
        ],
        [
          {},
          'Invalid JournalStorage options: dir: Invalid input: expected string, received undefined (received nothing)',
        ],
        [
          { dir: 3 },
          'Invalid JournalStorage options: dir: Invalid input: expected string, received number (received 3)',
        ],
        [
          { dir: '' },
          'Invalid JournalStorage options: dir: expected a non-empty directory path (received "")',
        ],
        [{ dir: 'x', readonly: true }, 'Invalid JournalStorage options: Unrecognized key: "readonly"'],
        [
          { dir: 'x', readOnly: 'yes' },
          'Invalid JournalStorage options: readOnly: Invalid input: expected boolean, received string (received "yes")',
        ],
        [
          { dir: 'x', clock: {} },
          'Invalid JournalStorage options: clock: expected a Clock, an object with now() and sleep(ms) (received an object)',
        ],
      ];
      for (const [options, message] of cases) {
        const error = await rejection(JournalStorage.open(options as never));
        expect(error.code).toBe('INVALID_ARGUMENT');
        expect(error.message).toBe(message);
      }
    });

    it('reports a directory path that is a file as STORAGE', async () => {
      const file = path.join(dir, 'plain-file');
      await fs.writeFile(file, '');
      const error = await rejection(JournalStorage.open({ dir: file }));
      expect(error.code).toBe('STORAGE');
      expect(error.message.replace(dir, '<dir>')).toMatch(
        /^Cannot open JournalStorage at <dir>\/plain-file: EEXIST/,
      );
    });
  });
});
