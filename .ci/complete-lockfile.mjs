// Adds lock entries for other platforms' optional binaries (Biome, Rollup, …) that the registry mirror reachable here
// does not serve. Without them `npm install` writes a lock that `npm ci` then rejects as out of sync. The entries
// carry os/cpu/libc, so npm never fetches them on a machine they do not fit.
//   node .ci/complete-lockfile.mjs   (after any `npm install` that changes dependencies)
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [path, meta] of Object.entries({ ...packages })) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const nested = path === '' ? `node_modules/${name}` : `${path}/node_modules/${name}`;
    if (packages[nested] || packages[`node_modules/${name}`]) continue;
    const [os, cpu, abi] = name
      .split('/')
      .pop()
      .replace(/^(cli|rollup)-/, '')
      .split('-');
    const entry = { version, optional: true, os: [os], cpu: [cpu] };
    if (os === 'linux' && abi) entry.libc = [abi.startsWith('musl') ? 'musl' : 'glibc'];
    packages[`node_modules/${name}`] = entry;
    added += 1;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
);
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} lock entries for other platforms`);
