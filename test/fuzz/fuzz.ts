/**
 * `npm run fuzz -- [cases per reader] [seed]`: the fuzz suite (readers.test.ts) with more cases than `npm test`
 * runs, 5,000 per reader by default, and a fresh seed unless one is given (printed, so a failure can be replayed
 * with the same seed). Prints the outcomes per reader: cases, reports, files stopped with an error, records
 * quarantined.
 */
import { spawnSync } from 'node:child_process';

const runs = Number(process.argv[2] ?? 5000);
const seed = Number(process.argv[3] ?? Math.floor(Math.random() * 2 ** 31));
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
  console.error('usage: npm run fuzz -- [cases per reader] [seed]');
  process.exit(2);
}
console.log(`fuzzing every reader: ${runs} cases each, seed ${seed}`);
const result = spawnSync('npx', ['vitest', 'run', 'test/fuzz/readers.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: String(runs), FUZZ_SEED: String(seed), FUZZ_REPORT: '1' },
});
process.exit(result.status ?? 1);
