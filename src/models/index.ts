/**
 * Models: the contract every model meets.
 *
 * @module models
 */
export type { Model, ModelFactory } from './model.js';
