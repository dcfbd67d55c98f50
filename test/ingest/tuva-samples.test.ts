/**
 * The Tuva Project synthetic seeds (10 persons; counts in their PROVENANCE.md) through the whole ingest stage, then
 * read back through DuckDB. Expected numbers were counted by hand from the CSVs (python csv module), not from ingest.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, sourcesFromPaths, type IngestReport } from '../../lib/pipeline/ingest.js';
import { SAMPLES, snapshot, testContext, type TestContext } from './helpers.js';

const FILES = ['medical_claim_seed.csv', 'pharmacy_claim_seed.csv', 'observation_seed.csv', 'lab_result_seed.csv', 'eligibility_seed.csv', 'appointment_seed.csv'];

describe('ingest: Tuva synthetic samples', () => {
  let ctx: TestContext;
  let reports: IngestReport[];
  const byFile = (name: string) => reports.find((r) => r.file.endsWith(name))!;

  beforeAll(async () => {
    ctx = await testContext();
    // eligibility is listed last on purpose: ingest must still read it first, or every claim would be 'unknown person'
    reports = await ingest(ctx, await sourcesFromPaths(FILES.map((f) => join(SAMPLES, f))));
  });
  afterAll(() => ctx.dispose());

  it('detects each format and reads every record', () => {
    expect(reports.map((r) => [r.format, r.read])).toEqual([
      ['tuva-medical-claim', 2075],
      ['tuva-pharmacy-claim', 291],
      ['tuva-observation', 2917],
      ['tuva-lab-result', 1162],
      ['tuva-eligibility', 31],
      ['unknown', 0],
    ]);
  });

  it('accounts for every record: read = accepted + quarantined + skipped', () => {
    for (const r of reports) expect(r.read).toBe(r.accepted + r.quarantined + r.skippedRecords);
    expect(byFile('medical_claim_seed.csv')).toMatchObject({ accepted: 2075, quarantined: 0, rows: { medical_claims: 2075, diagnoses: 2450 } });
    expect(byFile('pharmacy_claim_seed.csv')).toMatchObject({ accepted: 291, rows: { pharmacy_claims: 291 } });
    expect(byFile('eligibility_seed.csv')).toMatchObject({ accepted: 31, rows: { members: 31 } });
    // vitals: 90 each of 8480-6, 8462-4, 8867-4, 29463-7; the rest are surveys, height, BMI, …
    expect(byFile('observation_seed.csv')).toMatchObject({ accepted: 360, skippedRecords: 2557, skipReasons: { 'not a monitored measure': 2557 } });
    // labs: glucose 2339-0 ×60, HbA1c 4548-4 ×47, eGFR 33914-3 ×52
    expect(byFile('lab_result_seed.csv')).toMatchObject({ accepted: 159, skippedRecords: 1003, rows: { observations: 159 } });
  });

  it('reports a file of no known format, and ingests the others', () => {
    const r = byFile('appointment_seed.csv');
    expect(r.format).toBe('unknown');
    expect(r.error).toMatch(/header matches no Tuva input table/);
  });

  it('stores a claim’s diagnoses once, in long form, upper case without dots', async () => {
    // claim 1582931 has 17 lines, each repeating the same 16 codes (position 10 empty)
    const rows = await ctx.engine.query(`SELECT position, icd10_code, setting FROM diagnoses WHERE claim_id = '1582931' ORDER BY position`);
    expect(rows.map((r) => [r.position, r.icd10_code])).toEqual([
      [1, 'I2510'], [2, 'E785'], [3, 'I10'], [4, 'I499'], [5, 'E785'], [6, 'K769'], [7, 'I252'], [8, 'F17210'],
      [9, 'Z7902'], [11, 'Z7982'], [12, 'E079'], [13, 'Z87891'], [14, 'Z955'], [15, 'Z87891'], [16, 'Z87891'], [17, 'Z79899'],
    ]);
    const [lines] = await ctx.engine.query(`SELECT count(*) AS n FROM medical_claims WHERE claim_id = '1582931'`);
    expect(lines!.n).toBe(17);
  });

  it('maps eligibility columns', async () => {
    const rows = await ctx.engine.query(
      `SELECT birth_date, sex, enrollment_start_date, enrollment_end_date, hospice_flag, institutional_flag
       FROM members WHERE person_id = '10007' ORDER BY enrollment_start_date`,
    );
    expect(rows).toEqual([
      { birth_date: '1956-01-04', sex: 'female', enrollment_start_date: '2016-01-01', enrollment_end_date: '2016-11-30', hospice_flag: false, institutional_flag: true },
      { birth_date: '1956-01-04', sex: 'female', enrollment_start_date: '2017-01-01', enrollment_end_date: '2017-02-28', hospice_flag: false, institutional_flag: false },
      { birth_date: '1956-01-04', sex: 'female', enrollment_start_date: '2017-04-01', enrollment_end_date: '2018-03-31', hospice_flag: false, institutional_flag: false },
      { birth_date: '1956-01-04', sex: 'female', enrollment_start_date: '2018-05-01', enrollment_end_date: '2018-08-31', hospice_flag: false, institutional_flag: true },
    ]);
    const [dual] = await ctx.engine.query(`SELECT count(*) AS n FROM members WHERE dual_status_code = '02'`);
    expect(dual!.n).toBe(3); // sent as '2.0'
  });

  it('derives the setting of each claim line', async () => {
    const rows = await ctx.engine.query(`SELECT setting, count(*) AS n FROM medical_claims GROUP BY setting ORDER BY setting`);
    // ed: 84 professional lines at place of service 23 + 8 outpatient lines with revenue code 045x (4 more are inpatient)
    expect(rows).toEqual([
      { setting: 'ed', n: 92 },
      { setting: 'inpatient', n: 36 },
      { setting: 'outpatient', n: 456 },
      { setting: 'professional', n: 1491 },
    ]);
  });

  it('stores lab and clinic measures with their instant in UTC', async () => {
    const rows = await ctx.engine.query(
      `SELECT source, value, unit, observed_at FROM observations WHERE person_id = '10113' AND loinc_code IN ('2339-0', '29463-7')
       ORDER BY observed_at, loinc_code LIMIT 2`,
    );
    expect(rows).toEqual([
      { source: 'clinic', value: 91.1, unit: 'kg', observed_at: Date.UTC(2014, 10, 29) },
      { source: 'lab', value: 90.1, unit: 'mg/dL', observed_at: Date.UTC(2015, 8, 9, 14, 14, 51) },
    ]);
  });

  it('writes a manifest per file and reports progress', async () => {
    const manifests = await ctx.store.list('manifests/');
    expect(manifests).toHaveLength(5);
    expect(ctx.events.some((e) => e.stage === 'ingest' && e.total !== undefined)).toBe(true);
  });

  it('is a no-op on the same bytes: same files, same contents, reports say already-ingested', async () => {
    const before = await snapshot(ctx);
    const again = await ingest(ctx, await sourcesFromPaths([SAMPLES]));
    const known = again.filter((r) => r.format !== 'unknown');
    expect(known).toHaveLength(5);
    for (const r of known) expect(r.skipped).toBe('already-ingested');
    expect(known.find((r) => r.file.endsWith('medical_claim_seed.csv'))).toMatchObject({ read: 2075, rows: { diagnoses: 2450 } });
    expect(await snapshot(ctx)).toEqual(before);
  });
});
