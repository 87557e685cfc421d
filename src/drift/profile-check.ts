/**
 * Checking a reference profile restored from JSON.
 *
 * @module
 */
import { z } from 'zod';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import type { ReferenceProfile } from './profile.js';

const finite = z.number().refine(Number.isFinite, 'expected a finite number');
const count = z.number().int().min(0);
const profileSchema = z.strictObject({
  format: z.literal('mlcycle.drift-profile'),
  version: z.literal(1),
  rows: count,
  sampleSize: z.number().int().min(10),
  bins: z.number().int().min(1).max(1000),
  seed: count,
  columns: z.record(
    z.string(),
    z.discriminatedUnion('kind', [
      z.strictObject({
        kind: z.literal('numeric'),
        count,
        missing: count,
        min: z.number(),
        max: z.number(),
        mean: z.number(),
        m2: z.number().min(0),
        sample: z.array(finite),
        edges: z.array(finite),
        counts: z.array(z.number().min(0)),
      }),
      z.strictObject({
        kind: z.literal('categorical'),
        count,
        missing: count,
        categories: z.record(z.string(), count),
      }),
    ]),
  ),
});

/**
 * Checks a profile restored from JSON: its shape, and for numeric columns a sorted sample no larger than the
 * values it stands for and one count per bin.
 *
 * @throws MlcycleError `INVALID_ARGUMENT` naming what is wrong.
 */
export function checkProfile(value: unknown, name: string): ReferenceProfile {
  const profile = parseOptions(profileSchema, value, name) as ReferenceProfile;
  for (const [column, p] of Object.entries(profile.columns)) {
    if (p.kind !== 'numeric') continue;
    const sorted = p.sample.every((v, i) => i === 0 || v >= (p.sample[i - 1] as number));
    const fault = !sorted
      ? 'sample is not sorted ascending'
      : p.sample.length > p.count
        ? `sample has ${p.sample.length} values but count is ${p.count}`
        : p.counts.length !== p.edges.length + 1
          ? `has ${p.edges.length} edges but ${p.counts.length} bin counts (expected one more count than edges)`
          : undefined;
    if (fault) throw new MlcycleError('INVALID_ARGUMENT', `Invalid ${name}: column "${column}": ${fault}`);
  }
  return profile;
}
