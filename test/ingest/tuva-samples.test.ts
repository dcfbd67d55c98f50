/**
 * The Tuva Project synthetic seeds (10 persons; counts in their PROVENANCE.md) through the whole ingest stage, then
 * read back through DuckDB. Expected numbers were counted by hand from the CSVs (python csv module, awk, grep), not
 * from ingest. In the sample folder:
 *   persons     awk -F, 'NR>1{print $4}' medical_claim_seed.csv | sort -u | wc -l          → 10 (eligibility $1: 10,
 *               pharmacy $3: 8, observation vitals $2: 10)
 *   labs        grep -c '"loinc","4548-4"' lab_result_seed.csv                               → 47 (2339-0: 60, 33914-3: 52)
 *               grep '"loinc","4548-4"' lab_result_seed.csv | awk -F'","' '{print $2}' | sort | uniq -c
 *                                                                                            → 10026 ×4, 10072 ×39, 10174 ×4
 *   bill 11x    awk -F, 'NR>1 && substr($18,1,2)=="11" {print $1, "adm="$12, "dis="$13}' medical_claim_seed.csv | sort | uniq -c
 *               → 36 inpatient lines, 7 of them with neither date (claims 340806 ×3, 690699 ×2, 692645 ×2)
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

  it('leaves a Tuva table Stratify has no use for alone, saying so, without an error, and ingests the others', () => {
    const r = byFile('appointment_seed.csv');
    expect(r).toMatchObject({ skipped: 'not-read', read: 0, notes: ['a Tuva appointment table (has appointment_id): Stratify does not read it'] });
    expect(r.error).toBeUndefined();
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

  it('says what it took each file to be', () => {
    for (const r of reports.filter((x) => x.format !== 'unknown')) expect(r).toMatchObject({ layout: 'person_id', gzip: false });
  });

  it('counts the persons of every table', async () => {
    const persons = async (table: string) => (await ctx.engine.query(`SELECT count(DISTINCT person_id) AS n FROM ${table}`))[0]!.n;
    expect([await persons('members'), await persons('medical_claims'), await persons('pharmacy_claims')]).toEqual([10, 10, 8]);
    const [clinic] = await ctx.engine.query(`SELECT count(DISTINCT person_id) AS n FROM observations WHERE source = 'clinic'`);
    expect(clinic!.n).toBe(10);
  });

  it('completes an inpatient stay (bill type 11x) without admission and discharge dates from the claim dates, and says so', async () => {
    expect(byFile('medical_claim_seed.csv').notes).toContain(
      '7 records: inpatient (bill type 11x) without admission and discharge dates: claim start and end dates used',
    );
    const [missing] = await ctx.engine.query(`SELECT count(*) AS n FROM medical_claims WHERE setting = 'inpatient' AND admission_date IS NULL`);
    expect(missing!.n).toBe(0);
    // claim 690699: 10 lines dated 2018-03-28 → 2018-03-30 by the sender, 2 lines completed from the claim dates
    const stays = await ctx.engine.query(`SELECT DISTINCT admission_date, discharge_date FROM medical_claims WHERE claim_id = '690699'`);
    expect(stays).toEqual([{ admission_date: '2018-03-28', discharge_date: '2018-03-30' }]);
  });

  it('lands HbA1c and glucose labs in observations as source lab, in % and mg/dL, for the diabetes features', async () => {
    const labs = await ctx.engine.query(
      `SELECT loinc_code, unit, count(*) AS n, count(DISTINCT person_id) AS persons FROM observations WHERE source = 'lab' GROUP BY 1, 2 ORDER BY 1`,
    );
    expect(labs).toEqual([
      { loinc_code: '2339-0', unit: 'mg/dL', n: 60, persons: 5 },
      { loinc_code: '33914-3', unit: 'mL/min/{1.73_m2}', n: 52, persons: 4 },
      { loinc_code: '4548-4', unit: '%', n: 47, persons: 3 },
    ]);
    // first HbA1c of 10174: "6.1","2015-06-03 10:46:35" (result, result_datetime; collection_datetime is the same)
    const [a1c] = await ctx.engine.query(`SELECT value, observed_at FROM observations WHERE person_id = '10174' AND loinc_code = '4548-4' ORDER BY observed_at LIMIT 1`);
    expect(a1c).toEqual({ value: 6.1, observed_at: Date.UTC(2015, 5, 3, 10, 46, 35) });
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
