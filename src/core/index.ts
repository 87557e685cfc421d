/**
 * Shared machinery every mlcycle module builds on: the error type, seeded randomness, typed events, an
 * injectable clock, options validation and array checks.
 *
 * @module core
 */
export {
  assertFiniteArray,
  assertMinLength,
  assertSameLength,
  assertSortedTimestamps,
  formatNumber,
  type SortedTimestampsOptions,
  toEpochMs,
} from './checks.js';
export { type Clock, clockSchema, isClock, ManualClock, systemClock } from './clock.js';
export { ERROR_CODES, type ErrorCode, MlcycleError, type MlcycleErrorOptions } from './errors.js';
export { type Listeners, TypedEmitter } from './events.js';
export { sha256Hex } from './hash.js';
export {
  mean,
  median,
  quantileSorted,
  rankAverage,
  sortedCopy,
  standardDeviation,
  sum,
  toFiniteArray,
  variance,
} from './numeric.js';
export { formatIssues, parseOptions } from './options.js';
export { Random } from './random.js';
export { compareCodePoints, radixSort, sortOrder } from './sort.js';
