const encoder = new TextEncoder();

/**
 * The SHA-256 digest of `data` (bytes, or a string taken as UTF-8) as 64 lowercase hex characters. Uses Web
 * Crypto, so it runs unchanged on Node, Deno, Bun and in browsers.
 */
export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
