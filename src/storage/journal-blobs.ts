import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { errorCode, syncDirectory, writeFully } from './journal-file.js';

const SHA256 = /^[0-9a-f]{64}$/;
const TEMP = /^\.tmp-([0-9a-f]{64})-/;

/**
 * The content-addressed blob files of a journal directory: `blobs/<sha256>`. A file is made durable (temp file,
 * fsync, rename, directory fsync) before the journal records a key for it, so a crash can leave an unreferenced
 * file but never a record without its file. Unreferenced files are removed once nothing refers to them.
 */
export class BlobFiles {
  // Hashes that a putBlob in progress will reference: written or being written, but not yet recorded durably.
  private readonly inUse = new Map<string, number>();
  private readonly locks = new Map<string, Promise<void>>();

  constructor(readonly dir: string) {}

  /** The path of the file holding the blob with this hash. */
  pathOf(sha256: string): string {
    return path.join(this.dir, sha256);
  }

  /** Keeps the file for `sha256` from being removed until the returned function is called. */
  retain(sha256: string): () => void {
    this.inUse.set(sha256, (this.inUse.get(sha256) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.inUse.get(sha256) ?? 1) - 1;
      if (n === 0) this.inUse.delete(sha256);
      else this.inUse.set(sha256, n);
    };
  }

  /** Makes the file for `sha256` hold `data`, durably. Rewrites it even if present, which repairs a damaged copy. */
  async write(sha256: string, data: Uint8Array): Promise<void> {
    await this.exclusive(sha256, async () => {
      const temp = path.join(this.dir, `.tmp-${sha256}-${Math.random().toString(36).slice(2, 10)}`);
      const handle = await fs.open(temp, 'w');
      try {
        await writeFully(handle, data, 0);
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await fs.rename(temp, this.pathOf(sha256));
      } catch (error) {
        await fs.unlink(temp).catch(() => undefined);
        throw error;
      }
      await syncDirectory(this.dir);
    });
  }

  /** The bytes of the file for `sha256`, or `undefined` if there is none. */
  async read(sha256: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await fs.readFile(this.pathOf(sha256)));
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Removes the file for `sha256` unless `referenced` says a stored blob uses it or a putBlob is writing it. */
  async release(sha256: string, referenced: (sha256: string) => boolean): Promise<boolean> {
    return this.exclusive(sha256, async () => {
      if (referenced(sha256) || this.inUse.has(sha256)) return false;
      try {
        await fs.unlink(this.pathOf(sha256));
        return true;
      } catch (error) {
        if (errorCode(error) === 'ENOENT') return false;
        throw error;
      }
    });
  }

  /**
   * Removes every blob file nothing refers to, and temporary files of writes no longer in progress (left by a
   * crash). Returns how many files it removed.
   */
  async sweep(referenced: (sha256: string) => boolean): Promise<number> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return 0;
      throw error;
    }
    let removed = 0;
    for (const name of names) {
      if (SHA256.test(name)) {
        if (await this.release(name, referenced)) removed += 1;
        continue;
      }
      const sha256 = TEMP.exec(name)?.[1];
      if (sha256 === undefined) continue;
      const gone = await this.exclusive(sha256, async () => {
        if (this.inUse.has(sha256)) return false;
        return fs.unlink(path.join(this.dir, name)).then(
          () => true,
          () => false,
        );
      });
      if (gone) removed += 1;
    }
    return removed;
  }

  /** Runs `fn` with no other write or removal of the same hash's file in progress. */
  private async exclusive<T>(sha256: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(sha256) ?? Promise.resolve();
    let done!: () => void;
    const gate = new Promise<void>((resolve) => {
      done = resolve;
    });
    const current = previous.then(() => gate);
    this.locks.set(sha256, current);
    await previous;
    try {
      return await fn();
    } finally {
      done();
      if (this.locks.get(sha256) === current) this.locks.delete(sha256);
    }
  }
}
