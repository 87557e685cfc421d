/**
 * Runs every benchmark program in `bench/` (each `*.ts` file but this one), in name order, each in its own
 * `node --import tsx` process so that one benchmark's heap and JIT state never colour another's. Arguments are
 * passed through (`npm run bench -- --quick`). Exits non-zero if any benchmark failed.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const programs = readdirSync(here)
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && file !== 'run.ts')
  .sort();

const runOne = (file: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, file), ...args], {
      stdio: 'inherit',
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });

const failed: string[] = [];
for (const file of programs) {
  console.log(`\n=== bench/${file}${args.length > 0 ? ` ${args.join(' ')}` : ''} ===\n`);
  const code = await runOne(file);
  if (code !== 0) failed.push(`${file} (exit ${code})`);
}
if (failed.length > 0) {
  console.error(`\n${failed.length} of ${programs.length} benchmarks failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
