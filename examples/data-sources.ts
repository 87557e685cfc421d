/**
 * Data sources and quality checks on real data: a fallback chain whose primary (an HTTP API) is down, served by
 * the backup (the S&P 500 CSV file), then checked before anything trusts it.
 *
 *   npx tsx examples/data-sources.ts
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  assertQuality,
  CsvSource,
  checkQuality,
  FallbackSource,
  HttpJsonSource,
  MlcycleError,
  toColumns,
} from '../src/index.js';

// The S&P 500 daily file shipped by the vega-datasets package (loadSp500() finds it for you; here we read it as any CSV).
const csvPath = join(
  dirname(createRequire(import.meta.url).resolve('vega-datasets')),
  '..',
  'data',
  'sp500-2000.csv',
);

// Primary: a JSON API. Nothing listens on this loopback port, so every attempt fails fast.
const api = new HttpJsonSource<'close'>({
  name: 'prices-api',
  url: (query) => `http://127.0.0.1:39871/prices?from=${query.from ?? ''}&to=${query.to ?? ''}`,
  parse: (json) => json as { timestamp: number; values: { close: number } }[],
  retries: 1,
  backoffMs: 10,
  timeoutMs: 500,
});
const csv = new CsvSource<'open' | 'high' | 'low' | 'close' | 'volume'>({
  name: 'sp500-csv',
  path: csvPath,
  fields: ['open', 'high', 'low', 'close', 'volume'],
});
const source = new FallbackSource<'close'>([api, csv]);
source.on('fallback', (e) => console.log(`fallback: ${e.failed} failed, trying ${e.next}\n  (${e.error})`));

const report = await source.fetchWithReport({ from: '2007-01-01', to: '2010-01-01' });
console.log(`served by ${report.servedBy}: ${report.rows.length} rows`);
for (const attempt of report.attempts) {
  console.log(
    `  ${attempt.source.padEnd(10)} ${attempt.ok ? 'ok    ' : 'failed'} ${attempt.durationMs.toFixed(0)} ms`,
  );
}

// Quality: the 2008 crash moved the index more than 9% in a day several times; flag those as warnings.
const quality = checkQuality(report.rows, {
  minRows: 500,
  maxAbsChange: { close: 0.09 },
  gaps: { expectedIntervalMs: 86_400_000, calendar: 'business-days', tolerance: 3 },
});
console.log(`\nquality: ok=${quality.ok}, ${quality.issues.length} issue(s)`);
for (const issue of quality.issues) console.log(`  [${issue.severity}] ${issue.check}: ${issue.message}`);

// Blocking: a rule the data cannot meet stops the pipeline with a clear error.
try {
  assertQuality(checkQuality(report.rows, { minRows: 10_000 }));
} catch (error) {
  if (!MlcycleError.is(error)) throw error;
  console.log(`\nblocked (${error.code}): ${error.message}`);
}

// Hand the checked rows to numeric code as Float64Array columns.
const { columns } = toColumns(report.rows, ['close']);
const closes = columns.close;
console.log(`\nclose: first ${closes[0]?.toFixed(2)}, last ${closes.at(-1)?.toFixed(2)}`);
