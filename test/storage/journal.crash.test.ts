import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { runCrashTest } from './crash.js';

describe('JournalStorage under SIGKILL', () => {
  runCrashTest({
    name: 'JournalStorage',
    openerModule: fileURLToPath(new URL('./journal-opener.ts', import.meta.url)),
    kills: 25,
  });
});
