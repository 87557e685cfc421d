/**
 * Drift detection: whether the data, the predictions or the relationship between them have moved since a
 * reference — batch tests per column with data-quality checks ({@link DriftDetector}) and streaming detectors over
 * an error or value stream.
 *
 * @module
 */
export type { CellValue, ColumnKind, DriftData, Row } from './columns.js';
export {
  type ColumnTest,
  type ColumnTestChoice,
  DriftDetector,
  type DriftDetectorOptions,
  type DriftEvents,
  type QualityEvent,
  type WindowDrift,
  type WindowOptions,
} from './detector.js';
export { mergeProfiles } from './merge.js';
export {
  type CategoricalProfile,
  type ColumnProfile,
  type NumericProfile,
  type ProfileOptions,
  profileReference,
  type ReferenceProfile,
} from './profile.js';
export {
  type ColumnQuality,
  DriftReport,
  type DriftReportJSON,
  type FeatureDrift,
  type RowCounts,
} from './report.js';
export {
  ADWIN,
  type AdwinOptions,
  type AdwinSnapshot,
  CUSUM,
  type CusumOptions,
  type CusumSnapshot,
  DDM,
  type DdmOptions,
  type DdmSnapshot,
  type DetectorState,
  EDDM,
  type EddmOptions,
  type EddmSnapshot,
  KSWIN,
  type KswinOptions,
  type KswinSnapshot,
  PageHinkley,
  type PageHinkleyMode,
  type PageHinkleyOptions,
  type PageHinkleySnapshot,
  type StreamingDetector,
} from './streaming/index.js';
export type { DriftTestName } from './tests.js';
