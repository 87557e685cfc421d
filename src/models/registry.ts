import { MlcycleError } from '../core/errors.js';
import { BASELINE_RESTORERS } from './baselines.js';
import { VotingEnsemble } from './ensemble.js';
import { StackingEnsemble } from './ensemble-stacking.js';
import { LINEAR_RESTORERS } from './linear.js';
import { LOGISTIC_RESTORERS } from './logistic.js';
import type { Model, ModelJSON } from './model.js';
import { GradientBoosting } from './trees/boosting.js';
import { RandomForest } from './trees/forest.js';

/** Rebuilds a fitted model from the JSON its `toJSON()` produced. */
export type ModelRestorer = (json: ModelJSON) => Model;

// Built-in kinds are looked up from their files rather than registered on import, so that a bundler honouring
// `sideEffects: false` cannot drop a registration. Kinds from users and optional subpaths go in `custom`.
const custom = new Map<string, ModelRestorer>();
const BUILT_IN: Record<string, ModelRestorer | undefined> = {
  ...BASELINE_RESTORERS,
  ...LINEAR_RESTORERS,
  ...LOGISTIC_RESTORERS,
  'voting-ensemble': (json) => VotingEnsemble.fromJSON(json, modelFromJSON),
  'stacking-ensemble': (json) => StackingEnsemble.fromJSON(json, modelFromJSON),
  'random-forest': (json) => RandomForest.fromJSON(json),
  'gradient-boosting': (json) => GradientBoosting.fromJSON(json),
};

function builtIn(kind: string): ModelRestorer | undefined {
  return Object.hasOwn(BUILT_IN, kind) ? BUILT_IN[kind] : undefined;
}

/** Every kind {@link modelFromJSON} can restore: the built-in ones and those added with {@link registerModel}. */
export function registeredModelKinds(): string[] {
  return [...Object.keys(BUILT_IN), ...custom.keys()].sort();
}

/**
 * Teaches {@link modelFromJSON} to restore models of `kind`. Registering the same function again is a no-op;
 * registering a different one for a taken kind throws `CONFLICT` unless `replace` is set.
 *
 * @example
 * ```ts
 * import { registerModel, modelFromJSON } from 'mlcycle';
 *
 * registerModel('my-mean', (json) => myMeanModel.fromJSON(json));
 * const model = modelFromJSON(storedJson); // stored earlier from myModel.toJSON()
 * ```
 */
export function registerModel(
  kind: string,
  fromJSON: ModelRestorer,
  options: { replace?: boolean } = {},
): void {
  if (typeof kind !== 'string' || kind === '') {
    throw new MlcycleError('INVALID_ARGUMENT', 'registerModel needs a non-empty kind string');
  }
  if (typeof fromJSON !== 'function') {
    throw new MlcycleError('INVALID_ARGUMENT', `registerModel("${kind}") needs a fromJSON function`);
  }
  const built = builtIn(kind);
  if (built === fromJSON) return;
  if (built !== undefined) {
    throw new MlcycleError('CONFLICT', `Model kind "${kind}" is built in and cannot be replaced`);
  }
  const existing = custom.get(kind);
  if (existing === fromJSON) return;
  if (existing !== undefined && options.replace !== true) {
    throw new MlcycleError(
      'CONFLICT',
      `Model kind "${kind}" is already registered; pass { replace: true } to replace it`,
    );
  }
  custom.set(kind, fromJSON);
}

/**
 * Restores a model from the JSON its `toJSON()` returned (or that JSON parsed back from a string), by its `kind`.
 * The restored model predicts exactly what the original did.
 *
 * @throws MlcycleError `INVALID_ARGUMENT` when `json` is not `{ kind, version, params, state }`; `NOT_FOUND` when
 * no restorer is registered for its kind.
 * @example
 * ```ts
 * import { modelFromJSON, ridge } from 'mlcycle';
 *
 * const model = ridge({ alpha: 1 });
 * model.fit(X, y);
 * const copy = modelFromJSON(JSON.parse(JSON.stringify(model.toJSON())));
 * copy.predict(X); // identical to model.predict(X)
 * ```
 */
export function modelFromJSON(json: unknown): Model {
  const candidate = json as Partial<ModelJSON> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.kind !== 'string' ||
    typeof candidate.version !== 'number' ||
    !('params' in candidate) ||
    !('state' in candidate)
  ) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      'modelFromJSON needs an object { kind: string, version: number, params, state } as returned by toJSON()',
    );
  }
  const restore = builtIn(candidate.kind) ?? custom.get(candidate.kind);
  if (restore === undefined) {
    throw new MlcycleError(
      'NOT_FOUND',
      `No model kind "${candidate.kind}" is registered (known: ${registeredModelKinds().join(', ')}); call registerModel(kind, fromJSON) first`,
    );
  }
  return restore(candidate as ModelJSON);
}
