import type { z } from 'zod';
import { formatNumber } from './checks.js';
import { MlcycleError } from './errors.js';

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function describeReceived(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' || typeof value === 'string' || value instanceof Date)
    return formatNumber(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/**
 * Turns zod issues into one readable sentence per issue: `option path: what was expected (received …)`.
 * Issues at the root (for example a missing options object) are reported without a path.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], input: unknown): string {
  return issues
    .map((issue) => {
      const path = formatPath(issue.path);
      const received =
        issue.code === 'unrecognized_keys'
          ? ''
          : ` (received ${describeReceived(valueAt(input, issue.path))})`;
      return `${path === '' ? '' : `${path}: `}${issue.message}${received}`;
    })
    .join('; ');
}

/**
 * Validates `input` against a zod schema and returns the parsed value, or throws one `INVALID_ARGUMENT`
 * {@link MlcycleError} that names every offending option path. Use it once, at construction, for options objects.
 *
 * @param what - the thing being configured, e.g. `"TimeSeriesCV options"`; it starts the message.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { parseOptions } from 'mlcycle';
 *
 * const schema = z.strictObject({ windowSize: z.number().int().min(1).default(50) });
 * parseOptions(schema, { windowSize: 0 }, 'Monitor options');
 * // throws: Invalid Monitor options: windowSize: Too small: expected number to be >=1 (received 0)
 * ```
 */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new MlcycleError('INVALID_ARGUMENT', `Invalid ${what}: ${formatIssues(result.error.issues, input)}`, {
    details: { issues: result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) },
  });
}
