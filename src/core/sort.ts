/**
 * Sorting of doubles for the numeric hot paths: an in-place radix sort and a radix argsort, both linear time with no
 * comparator — several times faster than `Float64Array.prototype.sort` on large arrays.
 *
 * @module
 */

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The permutation that sorts `values` ascending. Large arrays use a least-significant-digit radix sort on the
 * IEEE-754 bits (eight 8-bit passes over keys flipped so that unsigned order is numeric order; a pass whose digit
 * every key shares is skipped), about five times faster than `Uint32Array.sort` with a comparator on a million
 * values.
 */
export function sortOrder(values: Float64Array): Uint32Array {
  const n = values.length;
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (n < 512 || !LITTLE_ENDIAN) return order.sort((x, y) => (values[x] as number) - (values[y] as number));
  const bits = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  const counts = new Uint32Array(8 * 256);
  for (let i = 0; i < n; i++) {
    let l = bits[2 * i] as number;
    let h = bits[2 * i + 1] as number;
    // Negative numbers: flip every bit (a larger magnitude sorts first); others: set the sign bit.
    if (h >>> 31) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    } else {
      h = (h | 0x80000000) >>> 0;
    }
    lo[i] = l;
    hi[i] = h;
    for (let byte = 0; byte < 4; byte++) {
      const dl = byte * 256 + ((l >>> (8 * byte)) & 255);
      const dh = (4 + byte) * 256 + ((h >>> (8 * byte)) & 255);
      counts[dl] = (counts[dl] as number) + 1;
      counts[dh] = (counts[dh] as number) + 1;
    }
  }
  let nextOrder = new Uint32Array(n);
  let nextLo = new Uint32Array(n);
  let nextHi = new Uint32Array(n);
  for (let pass = 0; pass < 8; pass++) {
    const base = pass * 256;
    const lowWord = pass < 4;
    const keys = lowWord ? lo : hi;
    const shift = (pass & 3) * 8;
    if (counts[base + (((keys[0] as number) >>> shift) & 255)] === n) continue;
    let offset = 0;
    for (let d = 0; d < 256; d++) {
      const c = counts[base + d] as number;
      counts[base + d] = offset;
      offset += c;
    }
    for (let i = 0; i < n; i++) {
      const d = base + (((keys[i] as number) >>> shift) & 255);
      const position = counts[d] as number;
      counts[d] = position + 1;
      nextOrder[position] = order[i] as number;
      nextHi[position] = hi[i] as number;
      // The low word is not read again once its four passes are done.
      if (lowWord) nextLo[position] = lo[i] as number;
    }
    let swap = order;
    order = nextOrder;
    nextOrder = swap;
    swap = hi;
    hi = nextHi;
    nextHi = swap;
    if (lowWord) {
      swap = lo;
      lo = nextLo;
      nextLo = swap;
    }
  }
  return order;
}

/**
 * Sorts finite doubles ascending in place and returns `values`. A least-significant-digit radix sort on the high 32
 * bits of each double's order-preserving key (four one-byte passes; a pass whose byte every key shares is skipped),
 * after which only values sharing their high word can be out of order: such runs are almost always short and are
 * finished by insertion sort, and long ones by a full eight-pass radix sort of the run. About twice as fast as
 * `Float64Array.prototype.sort` on a million values. −0 sorts just before +0 (they compare equal). Small arrays and
 * arrays that share their buffer use the built-in sort.
 */
export function radixSort(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < 1024 || !LITTLE_ENDIAN || values.byteOffset !== 0 || values.buffer.byteLength !== 8 * n) {
    return values.sort();
  }
  let src: Uint32Array = new Uint32Array(values.buffer, 0, 2 * n);
  const words = src;
  let dst: Uint32Array = new Uint32Array(2 * n);
  // Order-preserving keys: negatives flip every bit, non-negatives flip the sign bit.
  const counts = new Uint32Array(4 * 256);
  for (let i = 0; i < 2 * n; i += 2) {
    let hi = src[i + 1] as number;
    if (hi & 0x80000000) {
      src[i] = ~(src[i] as number);
      hi = ~hi >>> 0;
    } else {
      hi = (hi ^ 0x80000000) >>> 0;
    }
    src[i + 1] = hi;
    counts[hi & 255] = (counts[hi & 255] as number) + 1;
    counts[256 + ((hi >>> 8) & 255)] = (counts[256 + ((hi >>> 8) & 255)] as number) + 1;
    counts[512 + ((hi >>> 16) & 255)] = (counts[512 + ((hi >>> 16) & 255)] as number) + 1;
    counts[768 + (hi >>> 24)] = (counts[768 + (hi >>> 24)] as number) + 1;
  }
  const offsets = new Uint32Array(256);
  for (let pass = 0; pass < 4; pass++) {
    const base = pass * 256;
    const shift = 8 * pass;
    if (counts[base + (((src[1] as number) >>> shift) & 255)] === n) continue;
    let running = 0;
    for (let d = 0; d < 256; d++) {
      offsets[d] = running;
      running += counts[base + d] as number;
    }
    for (let i = 0; i < 2 * n; i += 2) {
      const hi = src[i + 1] as number;
      const d = (hi >>> shift) & 255;
      const j = 2 * (offsets[d] as number);
      offsets[d] = (offsets[d] as number) + 1;
      dst[j] = src[i] as number;
      dst[j + 1] = hi;
    }
    const swap = src;
    src = dst;
    dst = swap;
  }
  if (src !== words) words.set(src);
  for (let i = 0; i < 2 * n; i += 2) {
    const hi = words[i + 1] as number;
    if (hi & 0x80000000) {
      words[i + 1] = hi ^ 0x80000000;
    } else {
      words[i] = ~(words[i] as number);
      words[i + 1] = ~hi;
    }
  }
  // Values that share a high word are still in input order; finish each such run.
  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (i < n && words[2 * i + 1] === words[2 * start + 1]) continue;
    if (i - start > 1) finishRun(values, start, i);
    start = i;
  }
  return values;
}

/** Sorts `values[start, end)`, whose elements share their high word: insertion sort when short, radix when long. */
function finishRun(values: Float64Array, start: number, end: number): void {
  let sorted = true;
  for (let k = start + 1; k < end && sorted; k++) sorted = (values[k - 1] as number) <= (values[k] as number);
  if (sorted) return;
  if (end - start <= 32) {
    for (let k = start + 1; k < end; k++) {
      const v = values[k] as number;
      let m = k - 1;
      while (m >= start && (values[m] as number) > v) {
        values[m + 1] = values[m] as number;
        m--;
      }
      values[m + 1] = v;
    }
    return;
  }
  values.set(radixSortFull(values.slice(start, end)), start);
}

/** The full LSD radix sort: eight one-byte passes over the whole key, for runs the high-word sort leaves unsorted. */
function radixSortFull(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < 1024 || !LITTLE_ENDIAN || values.byteOffset !== 0 || values.buffer.byteLength !== 8 * n) {
    return values.sort();
  }
  let src: Uint32Array = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  const keys = src;
  let dst: Uint32Array = new Uint32Array(2 * n);
  // Map each double to an unsigned key that orders like the number (little-endian words: low, high):
  // negatives flip every bit, non-negatives flip the sign bit.
  for (let i = 0; i < 2 * n; i += 2) {
    const hi = src[i + 1] as number;
    if (hi & 0x80000000) {
      src[i] = ~(src[i] as number);
      src[i + 1] = ~hi;
    } else {
      src[i + 1] = hi ^ 0x80000000;
    }
  }
  const counts = new Uint32Array(8 * 256);
  for (let i = 0; i < 2 * n; i += 2) {
    const lo = src[i] as number;
    const hi = src[i + 1] as number;
    for (let b = 0; b < 4; b++) {
      const cl = b * 256 + ((lo >>> (8 * b)) & 255);
      const ch = (b + 4) * 256 + ((hi >>> (8 * b)) & 255);
      counts[cl] = (counts[cl] as number) + 1;
      counts[ch] = (counts[ch] as number) + 1;
    }
  }
  const offsets = new Uint32Array(256);
  for (let pass = 0; pass < 8; pass++) {
    const word = pass < 4 ? 0 : 1;
    const shift = 8 * (pass % 4);
    const base = pass * 256;
    const firstDigit = ((src[word] as number) >>> shift) & 255;
    if (counts[base + firstDigit] === n) continue;
    let running = 0;
    for (let d = 0; d < 256; d++) {
      offsets[d] = running;
      running += counts[base + d] as number;
    }
    for (let i = 0; i < 2 * n; i += 2) {
      const lo = src[i] as number;
      const hi = src[i + 1] as number;
      const d = ((word === 0 ? lo : hi) >>> shift) & 255;
      const j = 2 * (offsets[d] as number);
      offsets[d] = (offsets[d] as number) + 1;
      dst[j] = lo;
      dst[j + 1] = hi;
    }
    const swap = src;
    src = dst;
    dst = swap;
  }
  if (src !== keys) keys.set(src);
  for (let i = 0; i < 2 * n; i += 2) {
    const hi = keys[i + 1] as number;
    if (hi & 0x80000000) {
      keys[i + 1] = hi ^ 0x80000000;
    } else {
      keys[i] = ~(keys[i] as number);
      keys[i + 1] = ~hi;
    }
  }
  return values;
}

/** Compares strings by Unicode code point, the order SQLite's BINARY collation gives UTF-8 text. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca !== cb) {
      const surrogateA = ca >= 0xd800 && ca <= 0xdfff;
      const surrogateB = cb >= 0xd800 && cb <= 0xdfff;
      // A surrogate (astral code point) sorts after every other BMP unit, unlike UTF-16 order.
      if (surrogateA !== surrogateB) return surrogateA ? 1 : -1;
      return ca - cb;
    }
  }
  return a.length - b.length;
}
