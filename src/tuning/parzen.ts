/**
 * The Parzen estimators of the Tree-structured Parzen Estimator (Bergstra et al., "Algorithms for Hyper-Parameter
 * Optimization", NeurIPS 2011), as Optuna 3.1.0 builds them (`optuna/samplers/_tpe/parzen_estimator.py` and
 * `sampler.py`, univariate, default parameters): a mixture of truncated normals for a numeric parameter, Optuna's
 * categorical kernel for a categorical one, the split of trials into the good ("below") and the rest ("above"), and
 * the choice of the candidate that maximises l(x)/g(x).
 *
 * @module
 */
import { z } from 'zod';
import { assertFiniteArray, formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import type { Random } from '../core/random.js';
import { normalCdf, normalPpf } from '../stats/distributions.js';
import { argsortLikeNumpy, categoricalKernel, drawIndex, logGaussMass, logSumExp } from './parzen-math.js';

const LOG_SQRT_2PI = Math.log(Math.sqrt(2 * Math.PI));
const EPS = 1e-12;
