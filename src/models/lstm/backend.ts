/**
 * Loading TensorFlow.js (an optional peer dependency) and choosing its backend. The backend is process-wide state in
 * TensorFlow.js, so the choice is made once per requested backend and re-applied before each call.
 */
import { errorMessage, MlcycleError } from '../../core/errors.js';
import type { LstmBackendName } from './params.js';

/** The `@tensorflow/tfjs` module. */
export type Tf = typeof import('@tensorflow/tfjs');

/** What a model ended up running on, and why not on what it asked for. */
export interface BackendChoice {
  /** The backend TensorFlow.js reports after it was set. */
  backend: LstmBackendName;
  /** Why the preferred backend is not in use; undefined when it is. */
  reason: string | undefined;
}

/** How to load each package; tests replace them. @internal */
export interface Importers {
  tfjs: () => Promise<unknown>;
  wasm: () => Promise<unknown>;
  tfjsNode: () => Promise<unknown>;
}

// A variable specifier keeps bundlers and TypeScript from trying to resolve a package that is rarely installed.
const TFJS_NODE = '@tensorflow/tfjs-node';

const defaultImporters: Importers = {
  tfjs: () => import('@tensorflow/tfjs'),
  wasm: () => import('@tensorflow/tfjs-backend-wasm'),
  tfjsNode: () => import(TFJS_NODE),
};

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/** CommonJS packages imported from ESM arrive either with named exports or only under `default`. */
function namespace<T>(module: unknown, probe: string): T {
  const m = module as Record<string, unknown>;
  return (typeof m[probe] === 'function' ? m : (m.default as Record<string, unknown>)) as T;
}

let tfjs: Promise<Tf> | undefined;

/**
 * Loads `@tensorflow/tfjs`, or throws `UNSUPPORTED` saying which packages to install.
 * @internal shared with the LSTM's files and tests; not part of the public surface.
 */
export async function loadTensorflow(
  importTfjs: () => Promise<unknown> = defaultImporters.tfjs,
): Promise<Tf> {
  try {
    return namespace<Tf>(await importTfjs(), 'setBackend');
  } catch (error) {
    throw new MlcycleError(
      'UNSUPPORTED',
      isMissing(error)
        ? 'lstm needs the optional peer dependency @tensorflow/tfjs, which is not installed: npm install @tensorflow/tfjs @tensorflow/tfjs-backend-wasm'
        : `lstm could not load @tensorflow/tfjs (${errorMessage(error)}); reinstall it: npm install @tensorflow/tfjs`,
      { cause: error },
    );
  }
}

/** The directory of the installed wasm backend's `.wasm` files, in runtimes with Node's module resolution. */
async function defaultWasmPaths(): Promise<string | undefined> {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (proc?.versions?.node === undefined) return undefined;
  try {
    const { createRequire } = await import('node:module');
    const main = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
    return main.replace(/[^/\\]*$/, '');
  } catch {
    return undefined;
  }
}

async function activate(tf: Tf, name: LstmBackendName): Promise<boolean> {
  const ok = await tf.setBackend(name).catch(() => false);
  // A backend whose initialisation failed can still be reported as set; only a working one answers with its name.
  return ok && tf.getBackend() === name;
}

async function tryWasm(
  tf: Tf,
  importers: Importers,
  wasmPaths: string | undefined,
): Promise<string | undefined> {
  let wasm: { setWasmPaths(prefix: string): void };
  try {
    wasm = namespace(await importers.wasm(), 'setWasmPaths');
  } catch (error) {
    return isMissing(error)
      ? '@tensorflow/tfjs-backend-wasm is not installed (npm install @tensorflow/tfjs-backend-wasm)'
      : `@tensorflow/tfjs-backend-wasm could not be loaded (${errorMessage(error)})`;
  }
  const paths = wasmPaths ?? (await defaultWasmPaths());
  if (paths !== undefined) {
    try {
      wasm.setWasmPaths(paths);
    } catch {
      // Already started (or tried) in this process; its paths can no longer change.
    }
  }
  if (await activate(tf, 'wasm')) return undefined;
  return `the wasm backend did not start${paths === undefined ? '' : ` (its .wasm files were looked for in ${paths})`}`;
}

async function choose(
  tf: Tf,
  requested: 'auto' | LstmBackendName,
  importers: Importers,
  wasmPaths: string | undefined,
): Promise<BackendChoice> {
  const reasons: string[] = [];
  if (requested === 'auto' || requested === 'tensorflow') {
    try {
      await importers.tfjsNode();
      if (await activate(tf, 'tensorflow')) return { backend: 'tensorflow', reason: undefined };
      reasons.push('@tensorflow/tfjs-node is installed but its tensorflow backend did not start');
    } catch (error) {
      // For "auto" a missing tfjs-node is the normal case, not a fallback worth reporting.
      if (requested === 'tensorflow' || !isMissing(error)) {
        reasons.push(
          isMissing(error)
            ? '@tensorflow/tfjs-node is not installed'
            : `@tensorflow/tfjs-node could not be loaded (${errorMessage(error)})`,
        );
      }
    }
  }
  if (requested !== 'cpu') {
    const failure = await tryWasm(tf, importers, wasmPaths);
    if (failure === undefined)
      return { backend: 'wasm', reason: reasons.length ? reasons.join('; ') : undefined };
    reasons.push(failure);
  }
  if (await activate(tf, 'cpu'))
    return { backend: 'cpu', reason: reasons.length ? reasons.join('; ') : undefined };
  throw new MlcycleError(
    'UNSUPPORTED',
    `lstm could not start any TensorFlow.js backend: ${[...reasons, 'the cpu backend did not start'].join('; ')}`,
  );
}

// Per set of importers, so that tests with stand-in packages do not share choices with real ones.
const choices = new WeakMap<Importers, Map<string, Promise<BackendChoice>>>();

/**
 * Loads TensorFlow.js and makes the backend for `requested` current: the first call per requested backend chooses
 * it (falling back as the `backend` runtime option describes), later calls switch back to that choice.
 *
 * @internal shared with the LSTM's files; not part of the public surface.
 */
export async function useBackend(
  requested: 'auto' | LstmBackendName,
  wasmPaths: string | undefined,
  importers: Importers = defaultImporters,
): Promise<{ tf: Tf; choice: BackendChoice }> {
  tfjs ??= loadTensorflow(importers.tfjs);
  const tf = await tfjs.catch((error: unknown) => {
    tfjs = undefined; // let a later call retry once the package is installed
    throw error;
  });
  let made = choices.get(importers);
  if (made === undefined) {
    made = new Map();
    choices.set(importers, made);
  }
  let pending = made.get(requested);
  if (pending === undefined) {
    pending = choose(tf, requested, importers, wasmPaths);
    made.set(requested, pending);
  }
  const choice = await pending;
  if (tf.getBackend() !== choice.backend) await tf.setBackend(choice.backend);
  return { tf, choice };
}
