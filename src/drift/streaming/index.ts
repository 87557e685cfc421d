/**
 * Streaming drift detectors: read a stream one value at a time and flag changes in its distribution, as River's
 * `drift` module.
 *
 * @module
 */
export { ADWIN, type AdwinOptions, type AdwinSnapshot } from './adwin.js';
export { CUSUM, type CusumOptions, type CusumSnapshot } from './cusum.js';
export { DDM, type DdmOptions, type DdmSnapshot } from './ddm.js';
export { EDDM, type EddmOptions, type EddmSnapshot } from './eddm.js';
export { KSWIN, type KswinOptions, type KswinSnapshot } from './kswin.js';
export {
  PageHinkley,
  type PageHinkleyMode,
  type PageHinkleyOptions,
  type PageHinkleySnapshot,
} from './page-hinkley.js';
export { type DetectorState, DRIFT, STABLE, type StreamingDetector, stateOf, WARNING } from './types.js';
