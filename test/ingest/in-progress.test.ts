/**
 * The marker of a file being ingested (lib/ingest/in-progress.ts): present while an eligibility file is read, gone
 * once it is ingested or has failed; a claims file's holds nothing back; a file that makes no members waits (is not
 * read) while another process's member marker is fresh, but not for a stale one; and the marker is a claim on the
 * content: a file whose content another ingest holds is not read, unless that claim is stale.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IN_PROGRESS_PREFIX, membersInProgress, type InProgress } from '../../lib/ingest/in-progress.js';
import { ingest, type IngestSource } from '../../lib/pipeline/ingest.js';
import { testContext, type TestContext } from './helpers.js';

const ELIGIBILITY_HEADER = 'person_id,gender,birth_date,enrollment_start_date,enrollment_end_date';
const ELIGIBILITY = [ELIGIBILITY_HEADER, 'P1,female,1950-01-01,2024-01-01,2026-12-31'].join('\n') + '\n';
const CLAIMS =
  [
    'claim_id,claim_line_number,claim_type,person_id,claim_start_date,claim_end_date,paid_amount,diagnosis_code_type,diagnosis_code_1',
    'C1,1,professional,P1,2025-03-01,2025-03-01,10.00,icd-10-cm,E11.9',
  ].join('\n') + '\n';

describe('ingest: the marker of a file in progress', () => {
  let ctx: TestContext;
  beforeEach(async () => (ctx = await testContext()));
  afterEach(() => ctx.dispose());

  /** every marker standing, whether or not its file makes members */
  async function allMarkers(): Promise<InProgress[]> {
    const keys = (await ctx.store.list(IN_PROGRESS_PREFIX)).map((o) => o.key);
    return Promise.all(keys.map(async (k) => JSON.parse(Buffer.from(await ctx.store.get(k)).toString('utf8')) as InProgress));
  }

  /**
   * a source over `text` that records the member markers standing each time it is opened (the hashing pass, then
   * the parse), and every marker into `all`
   */
  function watched(name: string, text: string, seen: InProgress[][], all: InProgress[][] = []): IngestSource {
    const bytes = Buffer.from(text, 'utf8');
    return {
      name,
      size: bytes.length,
      open: () =>
        Readable.from(
          (async function* () {
            seen.push(await membersInProgress(ctx.store, new Date()));
            all.push(await allMarkers());
            yield bytes;
          })(),
        ),
    };
  }

  it('stands while an eligibility file is parsed and is removed once its manifest is written', async () => {
    const seen: InProgress[][] = [];
    const [report] = await ingest(ctx, [watched('landing/eligibility.csv', ELIGIBILITY, seen)]);
    expect(report).toMatchObject({ format: 'tuva-eligibility', accepted: 1 });
    // none during the hashing pass (the format is not known yet), this file's own during the parse
    expect(seen.map((markers) => markers.map(({ file, format }) => ({ file, format })))).toEqual([[], [{ file: 'landing/eligibility.csv', format: 'tuva-eligibility' }]]);
    expect(await ctx.store.list(IN_PROGRESS_PREFIX)).toEqual([]);
    expect((await ctx.store.list('manifests/')).length).toBe(1);
  });

  it('is removed after an eligibility file fails part-way', async () => {
    const seen: InProgress[][] = [];
    const broken = ELIGIBILITY + 'P9,"female,1950-01-01,2024-01-01,2026-12-31\n'; // unclosed quote
    const [report] = await ingest(ctx, [watched('landing/broken_eligibility.csv', broken, seen)]);
    expect(report).toMatchObject({ format: 'tuva-eligibility', error: expect.stringMatching(/quote/i) });
    // none while hashing; its own when the parse opens the file (the SQL runner reads its private copy again, not the
    // source, to number a bad record)
    expect(seen.map((markers) => markers.length)).toEqual([0, 1]);
    expect(await ctx.store.list(IN_PROGRESS_PREFIX)).toEqual([]);
  });

  it('is written for a claims file as one that makes no members, which holds nothing back', async () => {
    await ingest(ctx, [watched('landing/eligibility.csv', ELIGIBILITY, [])]);
    const seen: InProgress[][] = [];
    const all: InProgress[][] = [];
    const [report] = await ingest(ctx, [watched('landing/medical_claim.csv', CLAIMS, seen, all)]);
    expect(report).toMatchObject({ format: 'tuva-medical-claim', accepted: 1 });
    expect(seen).toEqual([[], []]);
    expect(all.map((markers) => markers.map(({ file, makes_members }) => ({ file, makes_members })))).toEqual([[], [{ file: 'landing/medical_claim.csv', makes_members: false }]]);
    expect(await ctx.store.list(IN_PROGRESS_PREFIX)).toEqual([]);
  });

  it('holds back a file that makes no members while a fresh marker stands, not while a stale one does', async () => {
    const marker = (minutesAgo: number): string =>
      JSON.stringify({
        file: 'landing/big_eligibility.csv',
        format: 'tuva-eligibility',
        makes_members: true,
        started_at: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
      });
    const claims = (): IngestSource => watched('landing/medical_claim.csv', CLAIMS, []);

    await ctx.store.put(`${IN_PROGRESS_PREFIX}0123456789abcdef.json`, marker(1));
    const [held] = await ingest(ctx, [claims()], { waitForMembers: true });
    expect(held).toMatchObject({ error: 'waits for landing/big_eligibility.csv, being ingested', waitsFor: [{ file: 'landing/big_eligibility.csv' }] });
    expect(await ctx.store.list('curated/')).toEqual([]);
    expect(await ctx.store.list('manifests/')).toEqual([]);
    // 21 minutes: left by an invocation that crashed or timed out (Lambda stops one at 15)
    await ctx.store.put(`${IN_PROGRESS_PREFIX}0123456789abcdef.json`, marker(21));
    const [ingested] = await ingest(ctx, [claims()], { waitForMembers: true });
    expect(ingested).toMatchObject({ format: 'tuva-medical-claim', accepted: 1 });
    expect(ingested!.error).toBeUndefined();
  });

  describe('the claim on the content', () => {
    // the same claims file, delivered again under another key while the first delivery is being ingested
    const key = `${IN_PROGRESS_PREFIX}${createHash('sha256').update(CLAIMS).digest('hex').slice(0, 16)}.json`;
    const other = (minutesAgo: number): string =>
      JSON.stringify({
        file: 'landing/medical_claim.csv',
        format: 'tuva-medical-claim',
        makes_members: false,
        started_at: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
      });

    it('leaves a file unread while another ingest holds a fresh claim on its content, naming that file', async () => {
      const marker = other(1);
      await ctx.store.put(key, marker);
      const [held] = await ingest(ctx, [watched('landing/copy/medical_claim.csv', CLAIMS, [])]);
      expect(held).toMatchObject({
        format: 'tuva-medical-claim',
        read: 0,
        error: 'another ingest of the same content is in progress: landing/medical_claim.csv',
        heldBy: { file: 'landing/medical_claim.csv', makes_members: false },
      });
      expect(await ctx.store.list('curated/')).toEqual([]);
      expect(await ctx.store.list('quarantine/')).toEqual([]);
      expect(await ctx.store.list('manifests/')).toEqual([]);
      // the other ingest's marker is its own to remove
      expect(Buffer.from(await ctx.store.get(key)).toString('utf8')).toBe(marker);
    });

    it('replaces a stale claim (21 minutes: its invocation crashed or timed out), ingests the file and removes the marker', async () => {
      await ctx.store.put(key, other(21));
      const [report] = await ingest(ctx, [watched('landing/copy/medical_claim.csv', CLAIMS, [])]);
      expect(report).toMatchObject({ format: 'tuva-medical-claim', read: 1, accepted: 1 });
      expect(report!.error).toBeUndefined();
      expect(await ctx.store.list(IN_PROGRESS_PREFIX)).toEqual([]);
      expect((await ctx.store.list('manifests/')).length).toBe(1);
    });
  });
});
