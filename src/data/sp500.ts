import { z } from 'zod';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { CsvSource } from './csv-source.js';
import type { DataRow } from './types.js';

/** The fields of the S&P 500 daily file, in file order. */
export const SP500_FIELDS = ['open', 'high', 'low', 'close', 'adjclose', 'volume'] as const;

/** One of {@link SP500_FIELDS}. */
export type Sp500Field = (typeof SP500_FIELDS)[number];

/** Options for {@link loadSp500}. */
export interface LoadSp500Options {
  /**
   * The CSV file to read (columns `date,open,high,low,close,adjclose,volume`).
   * @defaultValue `data/sp500-2000.csv` of the installed `vega-datasets` package
   */
  path?: string;
}

const optionsSchema = z.strictObject({ path: z.string().min(1).optional() });

const PACKAGE = 'vega-datasets';
const FILE = 'data/sp500-2000.csv';

async function locateVegaDatasets(): Promise<string> {
  const { createRequire } = await import('node:module');
  const { dirname, join } = await import('node:path');
  const { readFile } = await import('node:fs/promises');
  const { pathToFileURL } = await import('node:url');
  const { cwd } = await import('node:process');
  // The CommonJS build has no import.meta.url; resolving from the working directory finds the package of the
  // project being run, which is where a dev dependency lives anyway.
  const bases = [import.meta.url, pathToFileURL(join(cwd(), 'noop.js')).href].filter(
    (base): base is string => typeof base === 'string',
  );
  for (const base of bases) {
    let entry: string;
    try {
      // The package's `exports` only exposes ".", so resolve its entry and walk up to its package.json.
      entry = createRequire(base).resolve(PACKAGE);
    } catch {
      continue;
    }
    for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
      try {
        const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
        if (manifest.name === PACKAGE) return join(dir, FILE);
      } catch {
        // no package.json at this level: keep walking up
      }
    }
  }
  throw new MlcycleError(
    'NOT_FOUND',
    `Cannot find the ${PACKAGE} package holding the S&P 500 file; run \`npm install --save-dev ${PACKAGE}\` ` +
      'or pass loadSp500({ path }) pointing at a copy of sp500-2000.csv',
    { details: { package: PACKAGE } },
  );
}

/**
 * Loads the daily S&P 500 index bars (open, high, low, close, adjusted close, volume) shipped by the
 * `vega-datasets` npm package (BSD-3-Clause): 5,105 trading days from 2000-01-03 to 2020-04-17, stamped at UTC
 * midnight. Real data for examples, tests and benchmarks, with no network access.
 *
 * Throws `NOT_FOUND` when `vega-datasets` is not installed and no `path` is given.
 *
 * @example
 * ```ts
 * import { loadSp500, toColumns } from 'mlcycle';
 *
 * const rows = await loadSp500();          // npm install --save-dev vega-datasets
 * rows.length;                             // 5105
 * const { columns } = toColumns(rows, ['close']);
 * ```
 */
export async function loadSp500(options: LoadSp500Options = {}): Promise<DataRow<Sp500Field>[]> {
  const parsed = parseOptions(optionsSchema, options, 'loadSp500 options');
  const path = parsed.path ?? (await locateVegaDatasets());
  const source = new CsvSource<Sp500Field>({ path, name: 'sp500', fields: SP500_FIELDS });
  return source.fetch();
}
