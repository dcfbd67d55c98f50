/**
 * An interrupted ingest leaves nothing visible and blocks nothing: parts written before a crash are read by nobody
 * (no manifest commits them) and removed by the next ingest; the marker of an owner that is gone is taken over at
 * once on one machine (its pid is checked) and once its lease lapses elsewhere; a live owner's lease is renewed.
 */
import { execFileSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { partKey } from '../../lib/ingest/batch-writer.js';
import { IN_PROGRESS_PREFIX, isLive, whileClaimed, type InProgress } from '../../lib/ingest/in-progress.js';
import { quarantineKey } from '../../lib/ingest/quarantine.js';
import { rowsToParquet } from '../../lib/parquet/writer.js';
import { ingest } from '../../lib/pipeline/ingest.js';
import { medical_claims } from '../../lib/tables/index.js';
import { testContext, textSource, type TestContext } from './helpers.js';

const ELIGIBILITY = 'person_id,gender,birth_date,enrollment_start_date,enrollment_end_date\nP1,female,1950-01-01,2024-01-01,2026-12-31\n';
const CLAIMS =
  'claim_id,claim_line_number,claim_type,person_id,claim_start_date,claim_end_date,paid_amount,diagnosis_code_type,diagnosis_code_1\n' +
  'C1,1,professional,P1,2025-03-01,2025-03-01,10.00,icd-10-cm,E11.9\n';
const DEAD = 'deadbeefdeadbeef';

/** the pid of a process that has exited */
function deadPid(): number {
  return Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }));
}

function marker(over: Partial<InProgress>): string {
  return JSON.stringify({ file: 'landing/eligibility.csv', format: 'tuva-eligibility', makes_members: true, started_at: new Date().toISOString(), ...over });
}

describe('ingest: what an interrupted ingest left', () => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await testContext();
    await ingest(ctx, [textSource('landing/eligibility.csv', ELIGIBILITY)]);
    // a dead ingest's part (1,000 claim lines of P1) and quarantine log, with no manifest
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      claim_id: `X${i}`, claim_line_number: 1, person_id: 'P1', claim_type: 'professional', setting: 'professional',
      claim_start_date: '2025-03-01', claim_end_date: '2025-03-01', paid_amount: 1, source_file: 'landing/big.csv', source_record: i + 1,
    }));
    await ctx.store.put(partKey(medical_claims, DEAD, 0), rowsToParquet(medical_claims, rows));
    await ctx.store.put(quarantineKey(DEAD), '{"file":"landing/big.csv"}\n');
    await ctx.engine.refresh();
  });
  afterEach(() => ctx.dispose());

  it('is read by nobody: its rows are not in the SQL tables', async () => {
    expect(await ctx.engine.query('select count(*) as n from medical_claims')).toEqual([{ n: 0 }]);
    expect(await ctx.engine.query('select count(*) as n from medical_claims_parts')).toEqual([{ n: 0 }]);
  });

  it('is removed by the next ingest, of any file', async () => {
    const [report] = await ingest({ ...ctx, sameMachine: true }, [textSource('landing/claims.csv', CLAIMS)]);
    expect(report).toMatchObject({ accepted: 1 });
    expect((await ctx.store.list('curated/medical_claims/')).map((o) => o.key)).not.toContain(partKey(medical_claims, DEAD, 0));
    expect(await ctx.store.exists(quarantineKey(DEAD))).toBe(false);
    expect(await ctx.store.list(IN_PROGRESS_PREFIX)).toEqual([]);
    expect(await ctx.engine.query('select count(*) as n from medical_claims')).toEqual([{ n: 1 }]);
  });

  it('is removed when the dead ingest wrote no part, only its quarantine log (every record rejected), found by its marker', async () => {
    const ONLY_LOG = 'feedfacefeedface';
    await ctx.store.put(quarantineKey(ONLY_LOG), '{"file":"landing/all_bad.csv"}\n');
    await ctx.store.put(`${IN_PROGRESS_PREFIX}${ONLY_LOG}.json`, marker({ owner: { host: hostname(), pid: deadPid() } }));
    await ingest({ ...ctx, sameMachine: true }, []);
    expect(await ctx.store.exists(quarantineKey(ONLY_LOG))).toBe(false);
    expect(await ctx.store.list(IN_PROGRESS_PREFIX)).toEqual([]);
  });

  it('includes the staging folder of an Athena ingest (AWS): a dead one\'s, and a committed one\'s that died before removing it; not a live one\'s', async () => {
    const COMMITTED = 'c0ffeec0ffeec0ff';
    const LIVE = 'abcdefabcdefabcd';
    for (const sha16 of [DEAD, COMMITTED, LIVE]) await ctx.store.put(`staging/${sha16}/raw/data.csv`, 'person_id\nP1\n');
    await ctx.store.put(`manifests/${COMMITTED}.json`, '{}\n');
    // the marker of an ingest handed to the ingest state machine: leased for its 6 hours
    await ctx.store.put(`${IN_PROGRESS_PREFIX}${LIVE}.json`, marker({ lease_until: new Date(Date.now() + 6 * 3600_000).toISOString() }));
    await ingest(ctx, []);
    expect((await ctx.store.list('staging/')).map((o) => o.key)).toEqual([`staging/${LIVE}/raw/data.csv`]);
    expect(await ctx.store.exists(partKey(medical_claims, DEAD, 0))).toBe(false);
  });

  it('is left alone while its ingest is alive (its marker is live), and removed once its owner is gone', async () => {
    await ctx.store.put(`${IN_PROGRESS_PREFIX}${DEAD}.json`, marker({ owner: { host: hostname(), pid: process.pid } }));
    await ingest({ ...ctx, sameMachine: true }, []);
    expect(await ctx.store.exists(partKey(medical_claims, DEAD, 0))).toBe(true);
    await ctx.store.put(`${IN_PROGRESS_PREFIX}${DEAD}.json`, marker({ owner: { host: hostname(), pid: deadPid() } }));
    await ingest({ ...ctx, sameMachine: true }, []);
    expect(await ctx.store.exists(partKey(medical_claims, DEAD, 0))).toBe(false);
    expect(await ctx.store.list(IN_PROGRESS_PREFIX)).toEqual([]);
  });
});

describe('two ingests of the same bytes at once (two invocations, or two processes without the home lock)', () => {
  it('ingest the content once: one writes it, the other finds it held or already ingested', async () => {
    const ctx = await testContext();
    try {
      await ingest(ctx, [textSource('landing/eligibility.csv', ELIGIBILITY)]);
      const claims = CLAIMS + Array.from({ length: 2000 }, (_, i) => `D${i},1,professional,P1,2025-03-01,2025-03-01,1.00,icd-10-cm,E11.9`).join('\n') + '\n';
      for (let round = 0; round < 5; round++) {
        const reports = (
          await Promise.all([ingest(ctx, [textSource(`landing/a${round}.csv`, claims)]), ingest(ctx, [textSource(`landing/copy/a${round}.csv`, claims)])])
        ).flat();
        // the first round writes the 2,001 lines; every other attempt answers from the claim or the manifest
        expect(reports.filter((r) => r.error === undefined && r.skipped === undefined).length).toBeLessThanOrEqual(1);
        expect(reports.every((r) => r.heldBy !== undefined || r.skipped === 'already-ingested' || r.accepted === 2001)).toBe(true);
      }
      await ctx.engine.refresh();
      expect(await ctx.engine.query('select count(*) as n from medical_claims_versions')).toEqual([{ n: 2001 }]);
      expect((await ctx.store.list('manifests/')).length).toBe(2);
    } finally {
      await ctx.dispose();
    }
  });
});

describe('the marker of a file being ingested', () => {
  const now = new Date('2026-06-30T12:00:00Z');
  const at = (ms: number) => new Date(now.getTime() + ms).toISOString();

  it('of a process gone on this machine is dead at once on one machine, and lives out its lease elsewhere', () => {
    const m = JSON.parse(marker({ owner: { host: hostname(), pid: deadPid() }, lease_until: at(60_000) })) as InProgress;
    expect(isLive(m, now, { sameMachine: true })).toBe(false);
    expect(isLive(m, now)).toBe(true);
    expect(isLive(m, new Date(now.getTime() + 60_000))).toBe(false);
  });

  it('of a live process is live on one machine whatever its lease; of another machine, by its lease', () => {
    const mine = JSON.parse(marker({ owner: { host: hostname(), pid: process.pid }, lease_until: at(-1) })) as InProgress;
    expect(isLive(mine, now, { sameMachine: true })).toBe(true);
    const remote = JSON.parse(marker({ owner: { host: 'ip-10-0-0-1', pid: process.pid }, lease_until: at(-1) })) as InProgress;
    expect(isLive(remote, now, { sameMachine: true })).toBe(false);
  });

  it('without a lease (written before leases) lives 20 minutes from its start', () => {
    const old = JSON.parse(marker({ started_at: at(-19 * 60_000) })) as InProgress;
    expect(isLive(old, now)).toBe(true);
    expect(isLive(old, new Date(now.getTime() + 2 * 60_000))).toBe(false);
  });

  it('is renewed while its ingest works, so a long ingest keeps its claim', async () => {
    const ctx = await testContext();
    try {
      const key = `${IN_PROGRESS_PREFIX}0123456789abcdef.json`;
      const seen: InProgress[] = [];
      await whileClaimed(
        ctx.store,
        '0123456789abcdef',
        { file: 'f', format: 'tuva-eligibility', makes_members: true },
        async () => {
          // the lease is 200 ms, renewed every 50 ms: after 600 ms of work it still runs ahead of the clock
          for (let i = 0; i < 6; i++) {
            await new Promise((r) => setTimeout(r, 100));
            seen.push(JSON.parse(Buffer.from(await ctx.store.get(key)).toString('utf8')) as InProgress);
          }
        },
        { leaseMs: 200 },
      );
      expect(new Set(seen.map((m) => m.lease_until)).size).toBeGreaterThan(3);
      expect(Date.parse(seen.at(-1)!.lease_until!)).toBeGreaterThan(Date.parse(seen[0]!.started_at) + 500);
      expect(await ctx.store.exists(key)).toBe(false);
    } finally {
      await ctx.dispose();
    }
  });
});
