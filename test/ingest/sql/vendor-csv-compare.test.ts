/**
 * Vendor device CSVs through the SQL generated from their mapping against today's TypeScript reader: the same counts,
 * rows and quarantine lines on the two fixtures (long with a zone column, wide with a fixed zone), the
 * systolic/diastolic export of vendor-csv.test.ts, and hand-made records for every time rule (12-hour clocks, epoch
 * seconds, fixed offsets, a spring-forward gap, a repeated fall-back hour, Lord Howe's half hour).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMapping, parseMapping, type LoadedMapping } from '../../../lib/ingest/vendor-mapping.js';
import { ingest } from '../../../lib/pipeline/ingest.js';
import { testContext, textSource, type TestContext } from '../helpers.js';
import { sqlPath, typescriptPath, vendorQuery, vendorRawRecords } from './device-compare.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/vendor/', import.meta.url));

describe('vendor CSV: the SQL path against the TypeScript reader', () => {
  let ctx: TestContext;
  let dir: string;
  const now = Date.now();
  beforeAll(async () => {
    ctx = await testContext();
    dir = await mkdtemp(join(tmpdir(), 'stratify-vendorsql-'));
  });
  afterAll(async () => {
    await ctx.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  async function compare(name: string, text: string, loaded: LoadedMapping) {
    const header = Papa.parse<string[]>(text.split('\n')[0]!).data[0]!;
    const ts = await typescriptPath(ctx, name, text, loaded);
    const sql = await sqlPath(ctx, dir, name, text, vendorRawRecords(loaded.mapping, header), () => vendorQuery(ctx, loaded), now);
    expect(sql.quarantine).toEqual(ts.quarantine);
    expect(sql.rows).toEqual(ts.rows);
    expect(sql.counts).toEqual(ts.counts);
    expect(sql.skipReasons).toEqual(ts.skipReasons);
    return ts;
  }

  it('hub-long: the same on a long export with a zone column', async () => {
    const loaded = await loadMapping(join(FIXTURES, 'hub-long.mapping.json'));
    const ts = await compare('landing/hub-long.csv', await readFile(join(FIXTURES, 'hub-long.csv'), 'utf8'), loaded);
    expect(ts.counts).toEqual({ read: 11, accepted: 5, quarantined: 5, skipped: 1 }); // vendor-csv.test.ts's figures
  });

  it('visit-wide: the same on a wide export with a fixed zone', async () => {
    const loaded = await loadMapping(join(FIXTURES, 'visit-wide.mapping.json'));
    const ts = await compare('landing/visit-wide.csv', await readFile(join(FIXTURES, 'visit-wide.csv'), 'utf8'), loaded);
    expect(ts.counts).toEqual({ read: 5, accepted: 3, quarantined: 1, skipped: 1 });
  });

  it('the same on a systolic/diastolic export and a record per rule of a long export (units, numbers, persons, zones)', async () => {
    const loaded = parseMapping('bp.mapping.json', {
      person: 'patient',
      device: 'dev',
      time: { column: 'taken', format: 'iso', zone_column: 'tz' },
      long: { measure: 'type', value: 'reading', unit_column: 'unit', measures: { BP: 'blood_pressure', HR: 'heart_rate', WT: 'weight', Lb: 'weight' } },
      units: { mmHg: 'mm[Hg]', bpm: '/min', LBS: '[lb_av]', lbs: 'kg' },
    });
    const rows = [
      'patient,dev,taken,tz,type,reading,unit',
      'P1,D1,2026-03-14T19:05:00-05:00,,BP,132/84,mmHg',
      'P1,D1,2026-03-14T19:05:00-05:00,,HR,71,bpm',
      'P1,D1,2026-03-15T07:00:00-05:00,,BP,132,mmHg',
      'P1,,2026-03-15T07:00:00-05:00,,BP, 128 / 79.5 ,mmHg',
      'P1,D1,2026-03-15 07:00,Australia/Lord_Howe,HR,70,bpm',
      'P1,D1,2026-10-04 02:15,Australia/Lord_Howe,HR,70,bpm',
      'P1,D1,2026-04-05 01:45,Australia/Lord_Howe,HR,72,bpm',
      'P1,D1,2026-04-05 01:45,+05:30,HR,73,bpm',
      'P1,D1,2026-04-05 01:45,utc,HR,74,bpm',
      'P1,D1,2026-04-05 01:45,,HR,74,bpm',
      'P1,D1,2026-04-05T01:45:00.5Z,,HR,,bpm',
      'P1,D1,2026-04-05T01:45:00Z,,HR,+7.5e1,bpm',
      'P1,D1,2026-04-05T01:45:00Z,,HR,1e999,bpm',
      'P1,D1,2026-04-05T01:45:00Z,,HR,75,',
      'P1,D1,2026-04-05T01:45:00Z,,,75,bpm',
      'P1,D1,2026-04-05T25:45:00Z,,HR,75,bpm',
      'P1,D1,2026-02-29T01:45:00Z,,HR,75,bpm',
      ' ,D1,2026-04-05T01:45:00Z,,HR,75,bpm',
      'P1,D1,2026-04-06T08:00:00Z,,WT,80,kg',
      'P1,D1,2026-04-07T08:00:00Z,,WT,176.4,KG',
      'P1,D1,2026-04-08T08:00:00Z,,Lb,176.4,lbs',
      'P1,D1,2026-04-09T08:00:00Z,,lb,176.4,LBS',
      'P1,D1,2999-04-09T08:00:00Z,,HR,70,bpm',
      'P1,D1,1899-04-09T08:00:00Z,,HR,70,bpm',
      'P1,D1,2026-04-09T08:00:00Z,,STEPS,7000,steps',
      '"P1","D,1","2026-04-09T08:00:00+0200",,HR,"7""0",bpm',
    ];
    const ts = await compare('landing/bp.csv', `${rows.join('\n')}\n`, loaded);
    expect(ts.counts.read).toBe(26);
  });

  it('the same on a wide export with 12-hour clocks, a unit column, epoch seconds and an unknown person', async () => {
    await ingest(ctx, [textSource('landing/eligibility.csv', 'person_id,gender,birth_date,enrollment_start_date,enrollment_end_date\nM1,female,1950-01-01,2025-01-01,2026-12-31\n')]);
    const twelve = parseMapping('w.mapping.json', {
      person: 'member',
      time: { column: 'when', format: 'M/d/yyyy h:mm a', zone: 'America/New_York' },
      wide: { sys: { measure: 'systolic', unit: 'mmHg' }, bp: { measure: 'blood_pressure', unit: 'mm[Hg]' }, wt: { measure: 'weight', unit_column: 'wt_unit' }, a1c: { measure: '4548-4' } },
      units: { mmHg: 'mm[Hg]', LB: '[lb_av]' },
    });
    const rows = [
      'member,when,sys,bp,wt,wt_unit,a1c',
      'M1,1/5/2026 12:05 AM,140,,,,',
      'M1,1/5/2026 12:05 PM,,141/90,80,kg,7.1',
      'M1,1/5/2026 13:05 PM,,141/90,,,',
      'M1,3/8/2026 2:30 AM,,141/90,,,',
      'M1,11/1/2026 1:30 AM,,,180,LB,',
      'M1,11/1/2026 1:30 AM,,,180,,',
      'M1,2/30/2026 1:30 AM,,,,,6',
      'M2,1/5/2026 12:05 AM,140,,,,',
      'M1,1/5/2026 12:05 AM,,,,,',
      'M1,1/5/2026 12:05 AM,400,141/x,,,',
    ];
    await compare('landing/wide.csv', `${rows.join('\n')}\n`, twelve);
    const epoch = parseMapping('e.mapping.json', { person: 'member', time: { column: 'when', format: 'epoch_s' }, wide: { a1c: { measure: 'hba1c' } } });
    await compare('landing/epoch.csv', 'member,when,a1c\nM1,1780313460,7\nM1,1780313460.5,7\nM1,-5,7\nM1,99999999999,7\n', epoch);
  });
});
