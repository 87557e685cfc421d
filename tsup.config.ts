import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'storage/sqlite': 'src/storage/sqlite/index.ts',
    'models/lstm': 'src/models/lstm/index.ts',
    // The worker-thread program of src/core/worker-pool.ts; the pool expects it directly under dist/.
    worker: 'src/worker.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  tsconfig: 'tsconfig.build.json',
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  shims: true,
  clean: true,
  splitting: true,
  treeshake: true,
  external: ['better-sqlite3', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-node'],
});
