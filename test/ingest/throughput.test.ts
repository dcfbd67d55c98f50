/**
 * Throughput of the medical claim reader on a synthesized 300,000-line file (the sample's lines cycled, two lines per
 * claim). It prints rows/s and asserts only that everything was accounted for: speed depends on the machine.
 * Opt-in, as it takes tens of seconds: STRATIFY_INGEST_BENCH=1 npx vitest run test/ingest/throughput.test.ts
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingest, sourcesFromPaths } from '../../lib/pipeline/ingest.js';
import { synthesizeMedicalClaims, testContext } from './helpers.js';

const LINES = 300_000;

describe.runIf(process.env.STRATIFY_INGEST_BENCH)('ingest: medical claim throughput', () => {
  it(`ingests ${LINES} claim lines`, async () => {
    const ctx = await testContext();
    const file = join(ctx.store.root, 'medical_claim_bench.csv');
    try {
      await synthesizeMedicalClaims(file, LINES);
      const started = performance.now();
      const [report] = await ingest(ctx, await sourcesFromPaths([file]));
      const seconds = (performance.now() - started) / 1000;
      console.log(`${LINES} medical claim lines in ${seconds.toFixed(1)} s: ${Math.round(LINES / seconds)} rows/s`, report!.rows);
      expect(report).toMatchObject({ read: LINES, accepted: LINES });
      expect(ctx.events.filter((e) => /records$/.test(e.message)).map((e) => e.message)).toEqual(
        [100_000, 200_000, 300_000].map((n) => `${file}: ${n} records`),
      );
    } finally {
      await rm(file, { force: true });
      await ctx.dispose();
    }
  }, 600_000);
});
