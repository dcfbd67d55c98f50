/**
 * CMS Blue Button 2.0 responses (test/fixtures/samples/cms_bfd_fhir_eob): one ExplanationOfBenefit of each CARIN BB
 * type lands with the values read in its JSON. The fixtures' diagnosis codes are test values (A40, A52, ...).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, sourcesFromPaths, type IngestReport } from '../../../lib/pipeline/ingest.js';
import { SAMPLES_DIR } from '../../samples.js';
import { quarantineLines, testContext, textSource, type TestContext } from '../helpers.js';

const DIR = join(SAMPLES_DIR, 'cms_bfd_fhir_eob');
const READS = ['patientRead.json', 'coverageSearchByPatientId.json', 'eobReadInpatient.json', 'eobReadOutpatient.json', 'eobReadCarrier.json', 'eobReadPde.json'];

describe('ingest: Blue Button ExplanationOfBenefit reads', () => {
  let ctx: TestContext;
  let reports: Map<string, IngestReport>;

  beforeAll(async () => {
    ctx = await testContext();
    // the same Part D event with a real 11-digit NDC (the fixture's is 9 zeros)
    const pde = (await readFile(join(DIR, 'eobReadPde.json'), 'utf8')).replace('"000000000"', '"00093721401"');
    const list = await ingest(ctx, [...(await sourcesFromPaths(READS.map((f) => join(DIR, f)))), textSource('landing/pde-valid-ndc.json', pde)]);
    reports = new Map(list.map((r) => [r.file.split('/').pop()!, r]));
  });
  afterAll(() => ctx.dispose());

  it('accounts for every file', () => {
    for (const r of reports.values()) {
      expect(r.format).toBe('fhir-json');
      expect(r.read).toBe(r.accepted + r.quarantined + r.skippedRecords);
    }
    expect(reports.get('patientRead.json')).toMatchObject({ read: 1, accepted: 1, rows: { members: 1 } });
    // the Patient is in another file, so its own span stands; Part A is cancelled
    expect(reports.get('coverageSearchByPatientId.json')).toMatchObject({
      read: 4,
      skippedRecords: 4,
      skipReasons: { 'cancelled Coverage': 1, 'Coverage without its Patient in the same file (members span from the Patient)': 3 },
    });
  });

  it('inpatient: billable and admission period, DRG, discharge status, paid total, principal diagnosis first', async () => {
    const [claim] = await ctx.engine.query(`SELECT * EXCLUDE (source_file, source_record, source_sha256) FROM medical_claims WHERE claim_id = 'ExplanationOfBenefit/inpatient-333333222222'`);
    expect(claim).toEqual({
      claim_id: 'ExplanationOfBenefit/inpatient-333333222222',
      claim_line_number: 1,
      person_id: '567834',
      claim_type: 'institutional',
      setting: 'inpatient',
      claim_start_date: '2016-01-15',
      claim_end_date: '2016-01-27',
      admission_date: '2016-01-15',
      discharge_date: '2016-01-27',
      bill_type_code: null, // Blue Button sends only the frequency digit as typeofbill
      place_of_service_code: null,
      revenue_center_code: '6767',
      hcpcs_code: null, // M55 is not a HCPCS Level II code
      drg_code: '695',
      discharge_disposition_code: '51',
      admit_type_code: '1', // supportingInfo admtype: emergency
      paid_amount: 7699.48, // payment.amount
      allowed_amount: null,
    });
    const dx = await ctx.engine.query(`SELECT position, icd10_code FROM diagnoses WHERE claim_id = 'ExplanationOfBenefit/inpatient-333333222222' ORDER BY position`);
    // sequence 2 is the principal (A40), sequence 1 the admitting (A37), then 3..8
    expect(dx.map((d) => d.icd10_code)).toEqual(['A40', 'A37', 'A52', 'A06', 'A15', 'B01', 'A01', 'A02']);
    expect(dx.map((d) => d.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('outpatient and carrier: setting, dates, paid, place of service, diagnoses', async () => {
    const rows = await ctx.engine.query(
      `SELECT claim_id, claim_line_number, claim_type, setting, claim_start_date, place_of_service_code, paid_amount, allowed_amount
       FROM medical_claims WHERE claim_id IN ('ExplanationOfBenefit/outpatient-1234567890', 'ExplanationOfBenefit/carrier-9991831999') ORDER BY claim_id`,
    );
    expect(rows).toEqual([
      // line 6: place of service 11 (office), line_alowd_chrg_amt 47.84; paid is the claim's payment.amount
      { claim_id: 'ExplanationOfBenefit/carrier-9991831999', claim_line_number: 6, claim_type: 'professional', setting: 'professional', claim_start_date: '1999-10-27', place_of_service_code: '11', paid_amount: 199.99, allowed_amount: 47.84 },
      { claim_id: 'ExplanationOfBenefit/outpatient-1234567890', claim_line_number: 25, claim_type: 'institutional', setting: 'outpatient', claim_start_date: '2011-01-24', place_of_service_code: null, paid_amount: 693.11, allowed_amount: null },
    ]);
    const dx = await ctx.engine.query(`SELECT claim_id, string_agg(icd10_code, ',' ORDER BY position) AS codes FROM diagnoses WHERE claim_id NOT LIKE '%inpatient%' GROUP BY 1 ORDER BY 1`);
    expect(dx).toEqual([
      { claim_id: 'ExplanationOfBenefit/carrier-9991831999', codes: 'A02,A06,B04,B05,A52' },
      { claim_id: 'ExplanationOfBenefit/outpatient-1234567890', codes: 'A40,A52,A06,A15,A37' },
    ]);
  });

  it('pharmacy: a Part D event with a valid NDC lands with quantity, days supply and plan paid; the fixture NDC is rejected', async () => {
    const rows = await ctx.engine.query(`SELECT * EXCLUDE (source_file, source_record, source_sha256) FROM pharmacy_claims`);
    expect(rows).toEqual([
      // servicedDate 2015-05-12, quantity 60, supportingInfo dayssupply 30, cvrd_d_plan_pd_amt 126.99 (no payment.amount)
      { claim_id: 'ExplanationOfBenefit/pde-89', claim_line_number: 1, person_id: '567834', dispensing_date: '2015-05-12', ndc_code: '00093721401', quantity: 60, days_supply: 30, paid_amount: 126.99 },
    ]);
    const [line] = (await quarantineLines(ctx)).filter((q) => q.file.endsWith('eobReadPde.json'));
    expect(line).toMatchObject({ record: 1, field: 'item.0.productOrService', reason: 'not an NDC', value: '000000000' });
  });
});

describe('ingest: Blue Button Patient and Coverage in one Bundle', () => {
  let ctx: TestContext;
  let report: IngestReport;

  beforeAll(async () => {
    ctx = await testContext();
    const patient = JSON.parse(await readFile(join(DIR, 'patientRead.json'), 'utf8')) as unknown;
    const coverages = JSON.parse(await readFile(join(DIR, 'coverageSearchByPatientId.json'), 'utf8')) as { entry: unknown[] };
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [...coverages.entry, { fullUrl: 'Patient/567834', resource: patient }] };
    [report] = (await ingest(ctx, [textSource('landing/member-bundle.json', JSON.stringify(bundle))])) as [IngestReport];
  });
  afterAll(() => ctx.dispose());

  it('makes the members spans from the Coverage periods, with the Patient birth date and sex', async () => {
    // entries 1-4: Part A cancelled, Part B 2021-07-17..2022-08-17, Part C without period, Part D 2021-02-17..2022-11-17
    expect(report).toMatchObject({ read: 5, accepted: 2, quarantined: 1, skippedRecords: 2 });
    expect(report.skipReasons).toEqual({ 'cancelled Coverage': 1, 'Patient with Coverage in the same file (members spans from the Coverage)': 1 });
    expect(report.reasons).toEqual({ 'no coverage period': 1 });
    const rows = await ctx.engine.query(`SELECT * EXCLUDE (source_file, source_record, source_sha256) FROM members ORDER BY enrollment_start_date`);
    const person = { person_id: '567834', birth_date: '1981-03-17', sex: 'male', death_date: '1981-03-17', dual_status_code: null, hospice_flag: null, institutional_flag: null };
    const payer = { member_id: '3456789', payer: 'Centers for Medicare and Medicaid Services', payer_type: 'medicare' };
    expect(rows).toEqual([
      { ...person, ...payer, enrollment_start_date: '2021-02-17', enrollment_end_date: '2022-11-17' },
      { ...person, ...payer, enrollment_start_date: '2021-07-17', enrollment_end_date: '2022-08-17' },
    ]);
  });
});

describe('ingest: Blue Button EOB search Bundle', () => {
  let ctx: TestContext;
  let report: IngestReport;

  beforeAll(async () => {
    ctx = await testContext();
    [, report] = (await ingest(ctx, await sourcesFromPaths(['patientRead.json', 'eobByPatientIdAll.json'].map((f) => join(DIR, f))))) as [IngestReport, IngestReport];
  });
  afterAll(() => ctx.dispose());

  it('takes each of the 8 entries as a record: 4 claims stored, 4 quarantined with the entry number and reason', async () => {
    expect(report).toMatchObject({ read: 8, accepted: 4, quarantined: 4, skippedRecords: 0 });
    expect(report.reasons).toEqual({ 'ICD-9 diagnoses are not accepted': 3, 'not an NDC': 1 });
    const lines = (await quarantineLines(ctx)).map((q) => [q.record, q.field, q.reason]).sort((a, b) => Number(a[0]) - Number(b[0]));
    // entries: 1 outpatient, 2 dme, 3 hha, 4 inpatient, 5 snf, 6 pde, 7 carrier, 8 hospice
    expect(lines.map((l) => l[0])).toEqual([3, 5, 6, 8]);
    const settings = await ctx.engine.query(`SELECT DISTINCT claim_id, setting FROM medical_claims ORDER BY claim_id`);
    expect(settings).toEqual([
      { claim_id: 'ExplanationOfBenefit/carrier-9991831999', setting: 'professional' },
      { claim_id: 'ExplanationOfBenefit/dme-2188888888', setting: 'professional' },
      { claim_id: 'ExplanationOfBenefit/inpatient-333333222222', setting: 'inpatient' },
      { claim_id: 'ExplanationOfBenefit/outpatient-1234567890', setting: 'outpatient' },
    ]);
  });
});
