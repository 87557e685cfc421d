/** Opens a {@link JournalStorage} on a directory, for the crash test's writer process and its checks. */
import { JournalStorage, type Storage } from '../../src/index.js';

/** Opens the journal store in `dir` for writing. */
export function open(dir: string): Promise<Storage> {
  return JournalStorage.open({ dir });
}
