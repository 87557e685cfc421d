import { MlcycleError } from './errors.js';

const encoder = new TextEncoder();

/**
 * The SHA-256 digest of `data` (bytes, or a string taken as UTF-8) as 64 lowercase hex characters. Uses Web
 * Crypto, so it runs unchanged on Node, Deno, Bun and in browsers.
 *
 * @example
 * ```ts
 * import { sha256Hex } from 'mlcycle';
 *
 * await sha256Hex('abc'); // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 * ```
 */
export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `sha256Hex needs a Uint8Array or a string, received ${typeof data}`,
    );
  }
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320: the one zlib, PNG and Python's `binascii.crc32` use) of
 * `bytes`.
 *
 * @internal shared with the storage journal and the tuning pruners; not part of the public surface.
 */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) {
    crc = (CRC_TABLE[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}
