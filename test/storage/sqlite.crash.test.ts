import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { runCrashTest } from './crash.js';

describe('SqliteStorage under SIGKILL', () => {
  runCrashTest({
    name: 'SqliteStorage',
    openerModule: fileURLToPath(new URL('./sqlite-opener.ts', import.meta.url)),
    kills: 25,
  });
});
