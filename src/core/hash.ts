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
