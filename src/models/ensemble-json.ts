/**
 * How ensembles are stored: the JSON shapes of {@link VotingEnsemble} and {@link StackingEnsemble}, their schemas,
 * and the helpers that store and restore their members.
 *
 * @module
 */
import { z } from 'zod';
import { MlcycleError } from '../core/errors.js';
import type { VotingEnsemble } from './ensemble.js';
import type { EnsembleMember, EnsembleTask, OutOfFoldSplitter } from './ensemble-members.js';
import type { StackingEnsemble } from './ensemble-stacking.js';
import type { BlendLossName, BlendWeights } from './ensemble-weights.js';
import type { Model, ModelJSON } from './model.js';

/** Turns fitted models back into {@link ModelJSON}; the ensembles' restorers receive it as `restoreMember`. */
export type MemberRestorer = (json: ModelJSON) => Model;

/** @internal shared with ensemble.ts and ensemble-stacking.ts; not part of the public surface. */
export const modelJSONSchema = z.strictObject({
  kind: z.string().min(1),
  version: z.number(),
  params: z.unknown(),
  state: z.unknown(),
});

/**
 * Each fitted member's `toJSON()`, refusing members that cannot be stored.
 *
 * @internal shared with ensemble.ts and ensemble-stacking.ts; not part of the public surface.
 */
export function membersToJSON(
  who: string,
  members: readonly EnsembleMember[],
  models: readonly Model[] | undefined,
): ModelJSON[] {
  if (models === undefined) {
    throw new MlcycleError('INVALID_ARGUMENT', `${who} is not fitted: call fit(X, y) before toJSON()`);
  }
  return models.map((model, j) => {
    if (typeof model.toJSON !== 'function') {
      throw new MlcycleError(
        'UNSUPPORTED',
        `${who}: member ${JSON.stringify(members[j]?.name)} has no toJSON(), so the ensemble cannot be stored`,
      );
    }
    return model.toJSON();
  });
}

/**
 * Members rebuilt from stored JSON: each factory restores a copy that the ensemble can refit.
 *
 * @internal shared with ensemble.ts and ensemble-stacking.ts; not part of the public surface.
 */
export function restoredMembers(
  names: readonly string[],
  jsons: readonly ModelJSON[],
  restore: MemberRestorer,
): EnsembleMember[] {
  if (names.length !== jsons.length) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `The ensemble JSON names ${names.length} members but stores ${jsons.length}`,
    );
  }
  return names.map((name, j) => ({ name, model: () => restore(jsons[j] as ModelJSON) }));
}

/**
 * Options for {@link VotingEnsemble.fromJSON} and {@link StackingEnsemble.fromJSON}. The JSON stores no splitter, so
 * a restored ensemble that is fitted again needs one here; predicting needs none.
 */
export interface EnsembleRestoreOptions {
  /**
   * The walk-forward folds for out-of-fold predictions if the restored ensemble is fitted again (voting with
   * `weights: 'fit'`, and stacking), for example `new TimeSeriesCV({ method: 'expanding', nSplits: 5 })`. Without
   * it such a refit throws `INVALID_ARGUMENT`.
   */
  cv?: OutOfFoldSplitter;
}

/**
 * The stored hyperparameters of a {@link VotingEnsemble}. A custom loss (`loss: null`) cannot be stored; a restored
 * ensemble refits with the default loss instead. The splitter is not stored either: pass `cv` to `fromJSON` to refit.
 */
export interface VotingEnsembleParams {
  /** The task. */
  task: EnsembleTask;
  /** The members' names, in order. */
  members: string[];
  /** The given weights (normalised), `'fit'`, or null for equal weights. */
  weights: number[] | 'fit' | null;
  /** The built-in loss fitted weights minimise, or null for a custom one. */
  loss: BlendLossName | null;
  /** The classification threshold. */
  threshold: number;
}

/** What a fitted {@link VotingEnsemble} stores besides its params. */
export interface VotingEnsembleState {
  /** The weights in use, one per member. */
  weights: number[];
  /** Each member's mean output on the fitting rows: the contributions' background. */
  means: number[];
  /** The weight fit, with `weights: 'fit'`. */
  weightFit: BlendWeights | null;
  /** Each fitted member's own JSON. */
  members: ModelJSON[];
}

/** @internal shared with ensemble.ts and ensemble-stacking.ts; not part of the public surface. */
export const VOTING_VERSION = 1;
/** @internal shared with ensemble.ts and ensemble-stacking.ts; not part of the public surface. */
export const votingParamsSchema = z.strictObject({
  task: z.enum(['regression', 'classification']),
  members: z.array(z.string()),
  weights: z.union([z.literal('fit'), z.array(z.number()), z.null()]),
  loss: z.enum(['mse', 'mae', 'logLoss', 'brierScore']).nullable(),
  threshold: z.number(),
});
/** @internal shared with ensemble.ts and ensemble-stacking.ts; not part of the public surface. */
export const votingStateSchema = z.strictObject({
  weights: z.array(z.number()),
  means: z.array(z.number()),
  weightFit: z
    .strictObject({
      weights: z.array(z.number()),
      loss: z.number(),
      iterations: z.number(),
      converged: z.boolean(),
    })
    .nullable(),
  members: z.array(modelJSONSchema),
});

/**
 * The stored hyperparameters of a {@link StackingEnsemble}. The splitter is not stored: pass `cv` to `fromJSON` to
 * refit.
 */
export interface StackingEnsembleParams {
  /** The task. */
  task: EnsembleTask;
  /** The members' names, in order. */
  members: string[];
  /** Whether the meta-model is the built-in linear one or one of your own (stored through its `toJSON()`). */
  metaModel: 'default' | 'custom';
}

/** The default meta-model's intercept and one coefficient per member, in member order. */
export interface LinearMetaState {
  /** The unpenalised intercept. */
  intercept: number;
  /** One coefficient per member. */
  coefficients: number[];
}

/** The default meta-model's fitted parts, by member name. */
export interface MetaCoefficients {
  /** The unpenalised intercept. */
  intercept: number;
  /** Each member's coefficient. */
  coefficients: Record<string, number>;
}

/** What a fitted {@link StackingEnsemble} stores besides its params. */
export interface StackingEnsembleState {
  /** Each member's mean out-of-fold output: the contributions' background. */
  means: number[];
  /** The default meta-model's intercept and coefficients, or a custom meta-model's own JSON. */
  meta: LinearMetaState | ModelJSON;
  /** Each fitted member's own JSON. */
  members: ModelJSON[];
}

/** @internal shared with ensemble.ts and ensemble-stacking.ts; not part of the public surface. */
export const STACKING_VERSION = 1;
/** @internal shared with ensemble.ts and ensemble-stacking.ts; not part of the public surface. */
export const stackingParamsSchema = z.strictObject({
  task: z.enum(['regression', 'classification']),
  members: z.array(z.string()),
  metaModel: z.enum(['default', 'custom']),
});
/** @internal shared with ensemble.ts and ensemble-stacking.ts; not part of the public surface. */
export const stackingStateSchema = z.strictObject({
  means: z.array(z.number()),
  meta: z.union([
    z.strictObject({ intercept: z.number(), coefficients: z.array(z.number()) }),
    modelJSONSchema,
  ]),
  members: z.array(modelJSONSchema),
});
