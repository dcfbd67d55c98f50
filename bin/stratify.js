#!/usr/bin/env node
// Entry point of the `stratify` command: the compiled CLI in dist/cli/, built from lib/ by `npm run build` (run by
// `npm ci` and `npm install` through the prepare script). Each command is its own chunk, loaded only when it runs.
try {
  await import('../dist/cli/entry.js');
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes('dist/cli/entry.js')) throw e;
  console.error('stratify: the compiled CLI is missing; run `npm run build` (npm ci and npm install run it)');
  process.exitCode = 1;
}
