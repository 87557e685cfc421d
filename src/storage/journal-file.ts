import type { FileHandle } from 'node:fs/promises';
import * as fs from 'node:fs/promises';
import { errorMessage, MlcycleError } from '../core/errors.js';
import { crc32 } from '../core/hash.js';

/*
 * A journal directory holds `journal.jsonl`, `lock` and `blobs/<sha256>`. Every journal line is one JSON object,
 * `{"crc32":"<8 hex digits>","record":<record>}\n`, whose CRC-32 (IEEE) covers the exact UTF-8 bytes of `<record>`
 * as they appear in the line. The checksum comes first so that a reader finds the record's bytes by position and
 * checks them without re-serialising anything.
 */

/** The journal's file name inside its directory. */
export const JOURNAL_FILE = 'journal.jsonl';
/** The temporary file a new journal or a compaction snapshot is written to before it is renamed. */
export const JOURNAL_TEMP = 'journal.jsonl.tmp';
/** The folder of blob files inside the directory. */
export const BLOB_DIR = 'blobs';

/** `error` if it is already an {@link MlcycleError}, else a `STORAGE` error that says what failed and keeps the cause. */
export function storageError(what: string, error: unknown): MlcycleError {
  if (MlcycleError.is(error)) return error;
  return new MlcycleError('STORAGE', `${what}: ${errorMessage(error)}`, { cause: error });
}

/** The `code` of a Node.js file system error, if it has one. */
export function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** Why a line could not be used. */
export type BadLineReason = 'incomplete' | 'unparsable' | 'checksum mismatch';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const PREFIX = encoder.encode('{"crc32":"');
const MIDDLE = encoder.encode('","record":');
const SUFFIX = encoder.encode('}\n');
const RECORD_START = PREFIX.length + 8 + MIDDLE.length;

/** Encodes a record's JSON text as one checksummed journal line, newline included. */
export function encodeLine(recordJson: string): Uint8Array {
  const record = encoder.encode(recordJson);
  const hex = crc32(record).toString(16).padStart(8, '0');
  const line = new Uint8Array(RECORD_START + record.length + SUFFIX.length);
  line.set(PREFIX, 0);
  line.set(encoder.encode(hex), PREFIX.length);
  line.set(MIDDLE, PREFIX.length + 8);
  line.set(record, RECORD_START);
  line.set(SUFFIX, RECORD_START + record.length);
  return line;
}

function startsWith(bytes: Uint8Array, at: number, expected: Uint8Array): boolean {
  for (let i = 0; i < expected.length; i++) if (bytes[at + i] !== expected[i]) return false;
  return true;
}

/** Decodes the line `bytes[start, end)` (without its newline): its record's JSON text, or why it is bad. */
function decodeLine(
  bytes: Uint8Array,
  start: number,
  end: number,
): { json: string } | { bad: BadLineReason } {
  if (
    end - start < RECORD_START + 1 ||
    !startsWith(bytes, start, PREFIX) ||
    !startsWith(bytes, start + PREFIX.length + 8, MIDDLE) ||
    bytes[end - 1] !== 0x7d /* } */
  ) {
    return { bad: 'unparsable' };
  }
  const hex = String.fromCharCode(...bytes.subarray(start + PREFIX.length, start + PREFIX.length + 8));
  const record = bytes.subarray(start + RECORD_START, end - 1);
  if (!/^[0-9a-f]{8}$/.test(hex)) return { bad: 'unparsable' };
  if (Number.parseInt(hex, 16) !== crc32(record)) return { bad: 'checksum mismatch' };
  try {
    return { json: decoder.decode(record) };
  } catch {
    return { bad: 'unparsable' };
  }
}

/** What {@link scanJournal} found. */
export interface JournalScan {
  /** Every good line's record JSON, with its 1-based line number. */
  lines: { line: number; json: string }[];
  /** The byte length of the good lines; everything after it is the dropped tail. */
  goodBytes: number;
  /** The bad last line, if there was one. */
  tail: { line: number; bytes: number; reason: BadLineReason } | null;
}

/**
 * Splits a journal into checked lines. A bad last line is a write that a crash interrupted, so it is reported as
 * the tail to drop; a bad line with good ones after it cannot come from a crash, so it throws `INTEGRITY`.
 */
export function scanJournal(bytes: Uint8Array, file: string): JournalScan {
  const lines: JournalScan['lines'] = [];
  let pos = 0;
  let line = 0;
  while (pos < bytes.length) {
    line += 1;
    const newline = bytes.indexOf(0x0a, pos);
    if (newline === -1) {
      return { lines, goodBytes: pos, tail: { line, bytes: bytes.length - pos, reason: 'incomplete' } };
    }
    const decoded = decodeLine(bytes, pos, newline);
    if ('bad' in decoded) {
      if (newline + 1 === bytes.length) {
        return { lines, goodBytes: pos, tail: { line, bytes: newline + 1 - pos, reason: decoded.bad } };
      }
      throw new MlcycleError(
        'INTEGRITY',
        `Journal ${file} is corrupt at line ${line}: ${decoded.bad}. Only a damaged last line can come from a crash and be dropped; this one has more lines after it, so the file was left untouched. Restore the directory from a backup, or delete that line by hand to accept losing its write.`,
        { details: { file, line, reason: decoded.bad } },
      );
    }
    lines.push({ line, json: decoded.json });
    pos = newline + 1;
  }
  return { lines, goodBytes: pos, tail: null };
}

/** Writes all of `bytes` at `position`, looping over short writes. */
export async function writeFully(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, written, bytes.length - written, position + written);
    if (bytesWritten === 0) throw new Error(`the file system accepted 0 of ${bytes.length - written} bytes`);
    written += bytesWritten;
  }
}

/** Joins byte arrays into one. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// Some platforms (Windows, some network and FUSE file systems) cannot open or fsync a directory; there a rename is
// already as durable as the platform allows, so these codes mean "not supported", not "failed".
const DIR_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EACCES', 'EINVAL', 'ENOTSUP', 'EBADF']);

/** Fsyncs a directory so that a file created, renamed or removed in it survives a crash. */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (error) {
    if (!DIR_SYNC_UNSUPPORTED.has(errorCode(error) ?? '')) throw error;
  } finally {
    await handle?.close();
  }
}

/** Writes `chunks` to a new file (replacing any file there) and fsyncs it; returns its length in bytes. */
export async function writeDurably(file: string, chunks: Iterable<Uint8Array>): Promise<number> {
  const handle = await fs.open(file, 'w');
  let size = 0;
  try {
    const pending: Uint8Array[] = [];
    let pendingBytes = 0;
    for (const chunk of chunks) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= 1 << 20) {
        await writeFully(handle, concatBytes(pending.splice(0)), size);
        size += pendingBytes;
        pendingBytes = 0;
      }
    }
    await writeFully(handle, concatBytes(pending), size);
    size += pendingBytes;
    await handle.sync();
  } finally {
    await handle.close();
  }
  return size;
}
