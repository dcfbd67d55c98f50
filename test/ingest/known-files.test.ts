/**
 * A daily run over a landing folder recognises the files it already ingested by name, size and modification time,
 * before hashing them (lib/ingest/known-files.ts): hashing is counted through a spy on the fingerprint module, so
 * "nothing hashed" means no byte of the file was read. A file written again is hashed; a crash between a file's
 * manifest and its entry leaves the content-hash dedupe to answer.
 */
import { utimes } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fingerprint } from '../../lib/ingest/fingerprint.js';
import { knownKey } from '../../lib/ingest/known-files.js';
import { ingest, sourcesFromStore, type StageReport } from '../../lib/pipeline/ingest.js';
import { snapshot, testContext, type TestContext } from './helpers.js';

vi.mock('../../lib/ingest/fingerprint.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../lib/ingest/fingerprint.js')>();
  return { ...real, fingerprint: vi.fn(real.fingerprint) };
});

const hashed = vi.mocked(fingerprint);

const ELIGIBILITY = 'landing/eligibility.csv';
const CLAIMS = 'landing/claims.csv';
const ELIGIBILITY_TEXT = 'person_id,gender,birth_date,enrollment_start_date,enrollment_end_date\nP1,female,1950-01-01,2024-01-01,2026-12-31\nP2,male,1952-05-05,2024-01-01,2026-12-31\n';
const CLAIMS_TEXT = 'claim_id,claim_line_number,claim_type,person_id,claim_start_date,claim_end_date,paid_amount,diagnosis_code_type,diagnosis_code_1\nC1,1,professional,P1,2025-03-01,2025-03-01,100.00,icd-10-cm,E11.9\nC2,1,professional,P2,2025-03-02,2025-03-02,30.00,icd-10-cm,J44.9\n';

describe('ingest: landing files already ingested are not hashed again', () => {
  let ctx: TestContext;
  const run = async (): Promise<StageReport[]> => ingest(ctx, await sourcesFromStore(ctx.store, 'landing/'));
  const hashedNames = (): string[] => hashed.mock.calls.map(([source]) => source.name);
  /** the store without the known/ entries, to compare what ingest itself wrote */
  const written = async (): Promise<Map<string, string>> => new Map([...(await snapshot(ctx))].filter(([key]) => !key.startsWith('known/')));

  beforeAll(async () => {
    ctx = await testContext();
    await ctx.store.put(ELIGIBILITY, ELIGIBILITY_TEXT);
    await ctx.store.put(CLAIMS, CLAIMS_TEXT);
    const first = await run();
    // the first run hashes and ingests both: 2 spans, 2 claim lines
    expect(first.map((r) => [r.file, r.skipped, r.accepted])).toEqual([
      [CLAIMS, undefined, 2],
      [ELIGIBILITY, undefined, 2],
    ]);
  });
  afterAll(() => ctx.dispose());
  beforeEach(() => {
    hashed.mockClear();
  });

  it('a second run hashes nothing, answers both files "already ingested" with their counts, and writes nothing', async () => {
    const before = await snapshot(ctx);
    const second = await run();
    expect(hashedNames()).toEqual([]);
    expect(second.map((r) => [r.file, r.skipped, r.read, r.accepted])).toEqual([
      [CLAIMS, 'already-ingested', 2, 2],
      [ELIGIBILITY, 'already-ingested', 2, 2],
    ]);
    expect(await snapshot(ctx)).toEqual(before);
  });

  it('a touched file (same bytes, new modification time) is hashed again, found already ingested, and known again', async () => {
    const before = await written();
    await utimes(ctx.store.pathOf(CLAIMS), new Date('2026-01-02T03:04:05Z'), new Date('2026-01-02T03:04:05Z'));
    const touched = await run();
    expect(hashedNames()).toEqual([CLAIMS]);
    expect(touched.find((r) => r.file === CLAIMS)?.skipped).toBe('already-ingested');
    expect(await written()).toEqual(before);
    hashed.mockClear();
    await run();
    expect(hashedNames()).toEqual([]);
  });

  it('a file written again under the same name with new records is hashed and ingested', async () => {
    await ctx.store.put(CLAIMS, CLAIMS_TEXT + 'C3,1,professional,P2,2025-03-04,2025-03-04,40.00,icd-10-cm,I10\n');
    const changed = await run();
    expect(hashedNames()).toEqual([CLAIMS]);
    // a new content: its 3 lines read and accepted as a delivery of their own (C1 and C2 replace the earlier ones)
    const report = changed.find((r) => r.file === CLAIMS)!;
    expect([report.skipped, report.read, report.accepted]).toEqual([undefined, 3, 3]);
  });

  it('after a crash between a manifest and its entry, the next run hashes that file, re-ingests nothing, and records it', async () => {
    // the state a kill -9 at ingest:after-manifest leaves: the manifest is committed, the entry never written
    await ctx.store.delete(knownKey(ELIGIBILITY));
    const before = await written();
    const rerun = await run();
    expect(hashedNames()).toEqual([ELIGIBILITY]);
    expect(rerun.find((r) => r.file === ELIGIBILITY)?.skipped).toBe('already-ingested');
    expect(await written()).toEqual(before);
    expect(await ctx.store.exists(knownKey(ELIGIBILITY))).toBe(true);
    hashed.mockClear();
    await run();
    expect(hashedNames()).toEqual([]);
  });
});
