import { MlcycleError } from '../core/errors.js';
import type { WriteBatch } from './batch.js';
import { encodeLine, type JournalScan } from './journal-file.js';
import type { StoreState } from './state.js';
import type { BlobInfo } from './types.js';

/** The journal format version this code writes and reads. */
export const JOURNAL_VERSION = 1;

/**
 * One journal record, the `record` member of a line. `batch`, `blob` and `blob-delete` are appended as writes
 * happen; `document` and `entry` make up the snapshot that compaction writes. Values appear as the JSON they are.
 */
export type JournalRecord =
  | { type: 'header'; format: 'mlcycle-journal'; version: number }
  | { type: 'batch'; timestamp: number; ops: JournalOp[] }
  | { type: 'document'; collection: string; id: string; revision: number; updatedAt: number; value: unknown }
  | { type: 'entry'; log: string; offset: number; timestamp: number; value: unknown }
  | ({ type: 'blob' } & BlobInfo)
  | { type: 'blob-delete'; key: string };

/** One write of a `batch` record. */
export type JournalOp =
  | { op: 'put'; collection: string; id: string; value: unknown }
  | { op: 'delete'; collection: string; id: string }
  | { op: 'append'; log: string; value: unknown };

/** The header line that starts every journal. */
export function headerLine(): Uint8Array {
  return encodeLine(JSON.stringify({ type: 'header', format: 'mlcycle-journal', version: JOURNAL_VERSION }));
}

/** The line of a committed batch; values are spliced in as the JSON text they already are. */
export function batchLine(batch: WriteBatch): Uint8Array {
  const ops = batch.ops.map((op) => {
    if (op.type === 'append') return `{"op":"append","log":${JSON.stringify(op.log)},"value":${op.json}}`;
    const target = `"collection":${JSON.stringify(op.collection)},"id":${JSON.stringify(op.id)}`;
    return op.type === 'put' ? `{"op":"put",${target},"value":${op.json}}` : `{"op":"delete",${target}}`;
  });
  return encodeLine(`{"type":"batch","timestamp":${batch.timestamp},"ops":[${ops.join(',')}]}`);
}

/** The line recording that `info.key` now holds the blob `info` describes. */
export function blobLine(info: BlobInfo): Uint8Array {
  const { key, size, sha256, createdAt } = info;
  return encodeLine(JSON.stringify({ type: 'blob', key, size, sha256, createdAt }));
}

/** The line recording that the blob under `key` was deleted. */
export function blobDeleteLine(key: string): Uint8Array {
  return encodeLine(JSON.stringify({ type: 'blob-delete', key }));
}

/** The lines of a snapshot of `state`: the header, then one line per document, log entry and blob. */
export function* snapshotLines(state: StoreState): Generator<Uint8Array> {
  yield headerLine();
  for (const [collection, docs] of state.collections) {
    for (const doc of docs.values()) {
      const target = `"collection":${JSON.stringify(collection)},"id":${JSON.stringify(doc.id)}`;
      const stamp = `"revision":${doc.revision},"updatedAt":${doc.updatedAt}`;
      yield encodeLine(`{"type":"document",${target},${stamp},"value":${doc.json}}`);
    }
  }
  for (const [log, entries] of state.logs) {
    const name = JSON.stringify(log);
    for (const e of entries) {
      const stamp = `"offset":${e.offset},"timestamp":${e.timestamp}`;
      yield encodeLine(`{"type":"entry","log":${name},${stamp},"value":${e.json}}`);
    }
  }
  for (const info of state.blobs.values()) yield blobLine(info);
}

function corrupt(file: string, line: number, what: string): MlcycleError {
  return new MlcycleError('INTEGRITY', `Journal ${file} line ${line} ${what}`, { details: { file, line } });
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function isOp(op: unknown): op is JournalOp {
  if (!isObject(op)) return false;
  if (op.op === 'append') return isString(op.log) && 'value' in op;
  if (op.op === 'put') return isString(op.collection) && isString(op.id) && 'value' in op;
  return op.op === 'delete' && isString(op.collection) && isString(op.id);
}

function isRecord(r: unknown): r is JournalRecord {
  if (!isObject(r)) return false;
  switch (r.type) {
    case 'batch':
      return isTime(r.timestamp) && Array.isArray(r.ops) && r.ops.every(isOp);
    case 'document':
      return (
        isString(r.collection) &&
        isString(r.id) &&
        isCount(r.revision) &&
        r.revision > 0 &&
        isTime(r.updatedAt) &&
        'value' in r
      );
    case 'entry':
      return isString(r.log) && isCount(r.offset) && isTime(r.timestamp) && 'value' in r;
    case 'blob':
      return (
        isString(r.key) &&
        isCount(r.size) &&
        isString(r.sha256) &&
        /^[0-9a-f]{64}$/.test(r.sha256) &&
        isTime(r.createdAt)
      );
    case 'blob-delete':
      return isString(r.key);
    default:
      return false;
  }
}

/**
 * Replays checked journal lines into `state`. The first line must be the header of a version this code reads;
 * a record without the shape it should have throws `INTEGRITY` naming its line.
 */
export function replay(scan: JournalScan, state: StoreState, file: string): void {
  const [first, ...rest] = scan.lines;
  if (first === undefined) return;
  const parse = (line: number, json: string): unknown => {
    try {
      return JSON.parse(json);
    } catch {
      // The checksum matched, so these are the bytes that were written: not a torn write but foreign content.
      throw corrupt(file, line, 'has a valid checksum but is not JSON');
    }
  };
  const header = parse(first.line, first.json);
  if (!isObject(header) || header.type !== 'header' || header.format !== 'mlcycle-journal') {
    throw corrupt(file, first.line, 'is not an mlcycle journal header');
  }
  if (header.version !== JOURNAL_VERSION) {
    throw new MlcycleError(
      'UNSUPPORTED',
      `Journal ${file} has format version ${String(header.version)}; this version of mlcycle reads version ${JOURNAL_VERSION}`,
      { details: { file, version: header.version } },
    );
  }
  for (const { line, json } of rest) {
    const record = parse(line, json);
    if (!isRecord(record)) throw corrupt(file, line, 'is not a valid journal record');
    if (!applyRecord(record, state))
      throw corrupt(file, line, 'does not continue its log at the next offset');
  }
}

/** Applies one record; `false` if a snapshot log entry is out of sequence. */
function applyRecord(record: JournalRecord, state: StoreState): boolean {
  switch (record.type) {
    case 'batch': {
      // JSON.stringify of a parsed JSON.stringify output gives back the same text, so values round-trip exactly.
      const ops = record.ops.map((op) =>
        op.op === 'delete'
          ? { type: 'delete' as const, collection: op.collection, id: op.id }
          : op.op === 'put'
            ? { type: 'put' as const, collection: op.collection, id: op.id, json: JSON.stringify(op.value) }
            : { type: 'append' as const, log: op.log, json: JSON.stringify(op.value) },
      );
      state.apply({ checks: [], ops, timestamp: record.timestamp });
      return true;
    }
    case 'document': {
      const docs = state.collection(record.collection);
      const { id, revision, updatedAt, value } = record;
      docs.set(id, { id, revision, updatedAt, json: JSON.stringify(value), value });
      return true;
    }
    case 'entry': {
      const entries = state.logEntries(record.log);
      if (record.offset !== entries.length) return false;
      entries.push({
        offset: record.offset,
        timestamp: record.timestamp,
        json: JSON.stringify(record.value),
      });
      return true;
    }
    case 'blob': {
      const { key, size, sha256, createdAt } = record;
      state.blobs.set(key, { key, size, sha256, createdAt });
      return true;
    }
    case 'blob-delete':
      state.blobs.delete(record.key);
      return true;
    default:
      return true;
  }
}
