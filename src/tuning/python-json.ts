/**
 * JSON as Python's `json` module reads and writes it (Python 3.11, the defaults Optuna uses): the `NaN`, `Infinity`
 * and `-Infinity` tokens, `", "` and `": "` separators, ASCII-only strings, and floats as `repr(float)` writes them.
 * The Optuna journal is written and read through these.
 *
 * @module
 */
import { MlcycleError } from '../core/errors.js';

/**
 * A number that Python holds as a float, so that {@link pyDumps} writes it `1.0` rather than `1`.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export class PyFloat {
  /** @param value - the number. */
  constructor(readonly value: number) {}
}

/**
 * Python's `repr(float)`: the shortest digits that read back to the same double, in exponent form below 1e-4 and
 * from 1e16 (`1e-05`, `1.5e+16`), otherwise positional with at least one decimal (`100.0`); `NaN`, `Infinity`,
 * `-Infinity` and `-0.0` as Python's json module writes them.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // toExponential() without an argument gives the shortest round-trip digits, as Python's repr (both round to nearest).
  const [mantissa = '', exponent = '0'] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const e = Number(exponent);
  if (e < -4 || e >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  if (digits.length <= e + 1) return `${sign}${digits}${'0'.repeat(e + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, e + 1)}.${digits.slice(e + 1)}`;
}

/** Printable ASCII but the quote and the backslash: written as they are. */
const PRINTABLE = /^[ !#-[\]-~]*$/;

/** `json.dumps(str)` with `ensure_ascii`: every UTF-16 unit outside printable ASCII as `\uXXXX`. */
function pyString(s: string): string {
  if (PRINTABLE.test(s)) return `"${s}"`;
  // JSON.stringify escapes quotes, backslashes, control characters and lone surrogates as Python does (lower-case
  // hex); Python also escapes DEL and everything above it.
  return JSON.stringify(s).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Python's `json.dumps(value)`. Safe integers are written as Python ints, other numbers as floats; wrap a number in
 * {@link PyFloat} to write it as a float whatever its value. Properties whose value is `undefined` are left out, as
 * `JSON.stringify` does. Throws `INVALID_ARGUMENT` for anything else that is not JSON.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function pyDumps(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof PyFloat) return pyFloat(value.value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : pyFloat(value);
  }
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) return `[${value.map(pyDumps).join(', ')}]`;
  const prototype = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (prototype === Object.prototype || prototype === null) {
    const entries = Object.entries(value as object).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${pyString(k)}: ${pyDumps(v)}`).join(', ')}}`;
  }
  const kind = typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
  throw new MlcycleError(
    'INVALID_ARGUMENT',
    `a ${kind} cannot be written as JSON; expected JSON values only`,
  );
}

/**
 * Sets an own enumerable property, even one named `__proto__` (which plain assignment would treat as the prototype).
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function setKey<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y;

/** A recursive-descent reader of Python's dialect, for the text that `JSON.parse` rejects. */
function parseDialect(text: string): unknown {
  let i = 0;
  const fail = (): never => {
    const found = i < text.length ? JSON.stringify(text[i]) : 'end of text';
    throw new SyntaxError(`unexpected ${found} at column ${i + 1}`);
  };
  const space = (): void => {
    while (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r') i++;
  };
  const take = (expected: string): void => {
    space();
    if (!text.startsWith(expected, i)) fail();
    i += expected.length;
  };
  const string = (): string => {
    let j = i + 1;
    for (;;) {
      j = text.indexOf('"', j);
      if (j < 0) {
        i = text.length;
        return fail();
      }
      // The quote closes the string unless an odd number of backslashes precede it.
      let k = j - 1;
      while (text[k] === '\\') k--;
      if ((j - 1 - k) % 2 === 0) break;
      j++;
    }
    const s = JSON.parse(text.slice(i, j + 1)) as string;
    i = j + 1;
    return s;
  };
  const sequence = (close: string, item: () => void): void => {
    space();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      space();
      if (text[i] === close) {
        i++;
        return;
      }
      take(',');
    }
  };
  const literal = (word: string, v: unknown): unknown => {
    if (!text.startsWith(word, i)) fail();
    i += word.length;
    return v;
  };
  const value = (): unknown => {
    space();
    switch (text[i]) {
      case '"':
        return string();
      case 't':
        return literal('true', true);
      case 'f':
        return literal('false', false);
      case 'n':
        return literal('null', null);
      case 'N':
        return literal('NaN', Number.NaN);
      case 'I':
        return literal('Infinity', Number.POSITIVE_INFINITY);
      case '[': {
        i++;
        const out: unknown[] = [];
        sequence(']', () => out.push(value()));
        return out;
      }
      case '{': {
        i++;
        const out: Record<string, unknown> = {};
        sequence('}', () => {
          space();
          if (text[i] !== '"') fail();
          const key = string();
          take(':');
          setKey(out, key, value());
        });
        return out;
      }
    }
    if (text.startsWith('-Infinity', i)) return literal('-Infinity', Number.NEGATIVE_INFINITY);
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m === null) return fail();
    i += m[0].length;
    return Number(m[0]);
  };
  const out = value();
  space();
  if (i < text.length) fail();
  return out;
}

/**
 * Python's `json.loads(text)`: standard JSON plus the `NaN`, `Infinity` and `-Infinity` tokens. Throws a
 * `SyntaxError` for anything else.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export function pyLoads(text: string): unknown {
  // Only text holding NaN or ±Infinity (or broken text) takes the slower road.
  if (text.includes('NaN') || text.includes('Infinity')) return parseDialect(text);
  try {
    return JSON.parse(text);
  } catch {
    return parseDialect(text); // to throw our own message, with the column
  }
}
