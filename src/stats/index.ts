/**
 * Statistics: distributions with accurate tails, two-sample tests, distances between distributions and
 * multiple-testing corrections, each agreeing with the scipy function it names.
 *
 * @module stats
 */
export {
  type AndersonKSampleOptions,
  type AndersonKSampleResult,
  andersonKSample,
} from './anderson.js';
export { regularizedBeta } from './beta.js';
export {
  type ChiSquareGoodnessOfFitOptions,
  type ChiSquareGoodnessOfFitResult,
  type ChiSquareOptions,
  type ChiSquareResult,
  chiSquareGoodnessOfFit,
  chiSquareTest,
} from './chi-square.js';
export { benjaminiHochberg, bonferroni, holm } from './corrections.js';
export {
  type CramerVonMisesMethod,
  type CramerVonMisesOptions,
  type CramerVonMisesResult,
  cramerVonMises2Sample,
} from './cramer-von-mises.js';
export {
  chiSquareCdf,
  chiSquareSf,
  normalCdf,
  normalPpf,
  normalSf,
  studentTCdf,
  studentTSf,
} from './distributions.js';
export { type DivergenceOptions, hellinger, jensenShannon, klDivergence } from './divergence.js';
export { erf, erfc } from './erf.js';
export {
  digamma,
  logGamma,
  regularizedGammaP,
  regularizedGammaQ,
  trigamma,
} from './gamma.js';
export { kolmogorovCdf, kolmogorovSf, kstwoCdf, kstwoSf } from './kolmogorov.js';
export { type Alternative, type Ks2SampleOptions, type Ks2SampleResult, ks2Sample } from './ks.js';
export { type MannWhitneyOptions, type MannWhitneyResult, mannWhitneyU } from './mann-whitney.js';
export { type PsiOptions, type PsiResult, psi } from './psi.js';
export { type TTestOptions, type TTestResult, welchTTest } from './t-test.js';
export {
  type TwoProportionOptions,
  type TwoProportionResult,
  twoProportionZTest,
} from './two-proportion.js';
export { type WassersteinOptions, wasserstein } from './wasserstein.js';
