/** Opens a SqliteStorage file in a directory, for the crash test's writer process and its checks. */
import { join } from 'node:path';
import type { Storage } from '../../src/index.js';
import { SqliteStorage } from '../../src/storage/sqlite/index.js';

/** Opens `store.db` in `dir` for writing. */
export function open(dir: string): Promise<Storage> {
  return SqliteStorage.open({ path: join(dir, 'store.db') });
}
