import { MemoryStorage } from '../../src/index.js';
import { runStorageConformance } from './conformance.js';

runStorageConformance(
  'MemoryStorage',
  async (clock) => {
    const storage = new MemoryStorage({ clock });
    return {
      storage,
      corruptBlob: async (key) => {
        const data = (storage as unknown as { blobData: Map<string, Uint8Array> }).blobData.get(key);
        if (data === undefined) throw new Error(`no blob ${key} to corrupt`);
        data[0] = (data[0] ?? 0) ^ 0xff;
      },
      cleanup: async () => {},
    };
  },
  { durable: false },
);
