/**
 * Data: the `DataSource` interface through which mlcycle reads time series, its adapters (in-memory arrays, CSV
 * files, HTTP JSON with retries, an ordered fallback chain), data-quality checks that report and can block, the
 * bridge to column-major `Float64Array`s, and a loader for the real S&P 500 daily file of `vega-datasets`.
 *
 * @module data
 */
export { ArraySource, type ArraySourceOptions } from './array-source.js';
export { type Columns, toColumns } from './columns.js';
export { CsvSource, type CsvSourceOptions } from './csv-source.js';
export {
  type FallbackAttempt,
  type FallbackReport,
  FallbackSource,
  type FallbackSourceEvents,
  type FallbackSourceOptions,
} from './fallback-source.js';
export { HttpJsonSource, type HttpJsonSourceEvents, type HttpJsonSourceOptions } from './http-source.js';
export { checkQuality } from './quality.js';
export { assertQuality } from './quality-assert.js';
export {
  DEFAULT_SEVERITY,
  type GapRule,
  QUALITY_CHECKS,
  type QualityCheck,
  type QualityIssue,
  type QualityOptions,
  type QualityReport,
  type QualityRules,
  type Severity,
} from './quality-rules.js';
export { type LoadSp500Options, loadSp500, SP500_FIELDS, type Sp500Field } from './sp500.js';
export { parseIsoTimestamp } from './timestamp.js';
export type { DataQuery, DataRow, DataRowInput, DataSource, ResolvedQuery } from './types.js';
