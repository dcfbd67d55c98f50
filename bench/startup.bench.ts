/**
 * `npm run bench:startup`: how long the `stratify` command takes to answer, as a user runs it (a new node process
 * of bin/stratify.js, the compiled CLI of dist/cli/), for `--help` and for `sql "select 1"` over an empty store.
 * Each is run RUNS times after one warm-up run (the file cache); the median and the fastest are printed.
 * Targets (issue 12): --help under 0.4 s, sql "select 1" under 0.6 s.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toTable } from '../lib/cli/format.js';

const RUNS = 9;
const bin = fileURLToPath(new URL('../bin/stratify.js', import.meta.url));
const home = await mkdtemp(join(tmpdir(), 'stratify-startup-'));

/** seconds a node process with these arguments takes from start to exit */
function seconds(nodeArgs: readonly string[]): number {
  const t0 = performance.now();
  execFileSync(process.execPath, nodeArgs, { stdio: 'ignore' });
  return (performance.now() - t0) / 1000;
}

const rows = [];
for (const [label, args, target] of [
  ['stratify --help', [bin, '--help'], 0.4],
  ['stratify sql "select 1"', [bin, 'sql', 'select 1', '--home', home], 0.6],
  ['node -e 0 (Node itself)', ['-e', '0'], null],
] as const) {
  const run = () => seconds(args);
  run();
  const times = Array.from({ length: RUNS }, run).sort((a, b) => a - b);
  rows.push({ command: label, 'median s': times[Math.floor(RUNS / 2)]!.toFixed(3), 'fastest s': times[0]!.toFixed(3), target: target === null ? '' : `< ${target} s` });
}
console.log(`Start-up, ${RUNS} runs each (load average ${loadavg()[0]!.toFixed(1)})`);
process.stdout.write(toTable(rows));
await rm(home, { recursive: true, force: true });
