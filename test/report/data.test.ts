/**
 * The member pages read the curated tables as every other reader does (lib/tables/deliveries.ts): a claim file or a
 * readings file delivered again replaces the earlier version of each record, and the parts of an ingest that died
 * before its manifest contribute nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocal, type LocalContext } from '../../lib/cli/local.js';
import { loadConfig } from '../../lib/config/index.js';
import { partKey } from '../../lib/ingest/batch-writer.js';
import { rowsToParquet } from '../../lib/parquet/writer.js';
import { silent } from '../../lib/pipeline/context.js';
import { loadReportData } from '../../lib/report/data.js';
import { flags, medical_claims, observations } from '../../lib/tables/index.js';
import { commitDelivery } from '../delivery.js';

const AS_OF = '2026-06-30';
const WEIGHT = '29463-7';
const READ_AT = Date.parse('2026-06-20T08:00:00Z');

const line = (claim: string, setting: string, start: string, admission: string | null, discharge: string | null) => ({
  claim_id: claim, claim_line_number: 1, person_id: 'P1', claim_type: 'institutional', setting,
  claim_start_date: start, claim_end_date: discharge ?? start, admission_date: admission, discharge_date: discharge,
  source_file: 'landing/claims.csv', source_record: 1,
});
const weight = (at: number, value: number) => ({
  person_id: 'P1', observed_at: at, loinc_code: WEIGHT, value, unit: 'kg', device_id: 'D1', source: 'device', source_file: 'landing/readings.ndjson', source_record: 1,
});

let home: string;
let ctx: LocalContext;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'stratify-report-data-'));
  ctx = await openLocal(home, silent);
  await ctx.store.put(`${flags.prefix}as_of=${AS_OF}/part-0.parquet`, rowsToParquet(flags, [
    { person_id: 'P1', as_of_date: AS_OF, partner: 'p', program: 'heart_failure', tier: 'high', rank: 1, score: 10, reasons: '[]', transitions_of_care: false },
  ]));
  // the first delivery: an admission on May 10, an ED visit on May 20, a weight of 80 kg
  await commitDelivery(ctx.store, 'landing/claims.csv', [
    [medical_claims, [line('C1', 'inpatient', '2026-05-10', '2026-05-10', '2026-05-14'), line('C2', 'ed', '2026-05-20', null, null)]],
    [observations, [weight(READ_AT, 80)]],
  ], '2026-06-01T00:00:00.000Z');
  // the same claim lines and reading delivered again, corrected: admitted May 11, ED on May 21, 81 kg
  await commitDelivery(ctx.store, 'landing/claims-resent.csv', [
    [medical_claims, [line('C1', 'inpatient', '2026-05-11', '2026-05-11', '2026-05-15'), line('C2', 'ed', '2026-05-21', null, null)]],
    [observations, [weight(READ_AT, 81)]],
  ], '2026-06-15T00:00:00.000Z');
  // an ingest that died before its manifest: its parts are in the store, in no delivery
  await ctx.store.put(partKey(medical_claims, 'deadbeefdeadbeef', 0), rowsToParquet(medical_claims, [line('C3', 'inpatient', '2026-06-01', '2026-06-01', '2026-06-03')]));
  await ctx.store.put(partKey(observations, 'deadbeefdeadbeef', 0), rowsToParquet(observations, [weight(Date.parse('2026-06-21T08:00:00Z'), 95)]));
});

afterAll(async () => {
  await ctx?.engine.close();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('the member pages read the latest committed version of each record', () => {
  it('a claim line delivered twice is one admission and one ED visit, as corrected; a part without a manifest adds nothing', async () => {
    const data = await loadReportData(ctx.store, AS_OF, loadConfig());
    // C1/1 and C2/1 twice each, the resend winning (ingested June 15 > June 1); C3 is in no delivery
    expect(data.events.get('P1')).toEqual([
      { kind: 'admission', start: '2026-05-11', end: '2026-05-15' },
      { kind: 'ED visit', start: '2026-05-21', end: null },
    ]);
    // (P1, D1, weight, June 20 08:00) twice: the resent 81 kg; the 95 kg of June 21 is in no delivery
    expect(data.readings.get('P1')).toEqual([{ at: READ_AT, loinc: WEIGHT, value: 81 }]);
  });
});
