/**
 * Compiles the `stratify` command to dist/cli/ (npm run build; the prepare script runs it on npm ci and npm install;
 * vitest's global setup runs it before the tests, so the CLI tests run the code as it is). esbuild bundles lib/ with
 * code splitting: each command's code is a chunk of its own that main() imports only when that command runs, and the
 * packages in node_modules stay outside the bundle, loaded from there when a command needs them.
 */
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function buildCli() {
  await rm(`${root}dist/cli`, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: ['lib/cli/entry.ts'],
    outdir: 'dist/cli',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
