/**
 * Property-based fuzzing of every reader on mutated real files (seeds.ts, mutations.ts, the properties in check.ts).
 * Seeded, so a failure reproduces: fast-check prints the seed and the shrunk case. `npm test` runs FUZZ_RUNS cases
 * per reader (default 300: about a second or two each); `npm run fuzz -- 5000` runs more, with a fresh seed unless
 * FUZZ_SEED is given, and prints the outcomes per reader.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCase } from './check.js';
import { mutations } from './mutations.js';
import { seeds } from './seeds.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);

describe('fuzzing the readers with mutated real files', () => {
  for (const seed of seeds()) {
    it(`${seed.name}: no crash, no hang, read = accepted + quarantined + skipped, every quarantine line named`, async () => {
      // the seed itself reads cleanly: the fuzzer starts from a file the reader accepts
      const clean = await checkCase(seed, seed.bytes);
      expect('report' in clean && clean.report.accepted).toBeGreaterThan(0);
      const tally = { cases: 0, reports: 0, stopped: 0, quarantined: 0 };
      await fc.assert(
        fc.asyncProperty(mutations, async (ms) => {
          const outcome = await checkCase(seed, ms.reduce((b, m) => m.apply(b), seed.bytes));
          tally.cases++;
          if ('stopped' in outcome) tally.stopped++;
          else {
            tally.reports++;
            tally.quarantined += outcome.report.quarantined;
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      if (process.env.FUZZ_REPORT) console.log(`fuzz ${seed.name}: ${JSON.stringify(tally)}`);
      expect(tally.cases).toBe(RUNS);
    });
  }
});
