/**
 * mlcycle: keep predictive models on time series honest and healthy.
 *
 * @packageDocumentation
 */
export * from './backtest/index.js';
export * from './core/index.js';
export * from './cv/index.js';
export * from './data/index.js';
export * from './drift/index.js';
export * from './features/index.js';
export * from './metrics/index.js';
export * from './models/index.js';
export * from './stats/index.js';
export * from './storage/index.js';
export * from './tuning/index.js';
