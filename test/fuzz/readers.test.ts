/**
 * Property-based fuzzing of every reader on mutated real files (seeds.ts, mutations.ts, the properties in check.ts),
 * and of the partner feedback reader on the README's feedback lines.
 * Seeded, so a failure reproduces: fast-check prints the seed and the shrunk case. `npm test` runs FUZZ_RUNS cases
 * per reader (default 300: about a second or two each); `npm run fuzz -- 5000` runs more, with a fresh seed unless
 * FUZZ_SEED is given, and prints the outcomes per reader.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFeedbackText } from '../../lib/queue/feedback.js';
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

describe('fuzzing the partner feedback reader', () => {
  // the README's feedback lines, as partners send them
  const FEEDBACK = Buffer.from(
    [
      { person_id: 'P0000123', status: 'enrolled', reported_at: '2026-06-01T09:30:00Z' },
      { person_id: 'P0000124', status: 'declined', reported_at: '2026-06-02' },
      { person_id: 'P0000125', status: 'contacted', reported_at: '2026-06-03T10:00:00-05:00', nurse: 'Ann' },
      { person_id: 'P0000126', status: 'unreachable', reported_at: '2026-06-04' },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n') + '\n',
  );

  it('feedback: every non-blank line is accepted or rejected with its line and reason, none twice', async () => {
    await fc.assert(
      fc.asyncProperty(mutations, async (ms) => {
        const text = ms.reduce<Buffer>((b, m) => m.apply(b), FEEDBACK).toString('utf8');
        const { valid, rejected } = checkFeedbackText('feedback/heartline/f.ndjson', text, Date.parse('2026-07-01T00:00:00Z'));
        const lines = text.split('\n').filter((l) => l.replace(/\r$/, '').trim() !== '').length;
        expect(valid.length + rejected.length).toBe(lines);
        expect(new Set(rejected.map((r) => r.record)).size).toBe(rejected.length);
        for (const r of rejected) expect([r.file, r.reason.trim() !== '', Number.isInteger(r.record) && r.record >= 1]).toEqual(['feedback/heartline/f.ndjson', true, true]);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });
});
