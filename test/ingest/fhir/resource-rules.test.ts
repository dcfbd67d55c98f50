/**
 * What a FHIR record is stored as, or rejected or skipped for, one rule each: monitored Observations that cannot be
 * readings (variants of the PHD IG's glucose-observation.json), clinic and lab Observations as Synthea writes them,
 * Conditions and Encounters by status and coding, persons.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, type IngestReport } from '../../../lib/pipeline/ingest.js';
import type { QuarantineLine } from '../../../lib/ingest/types.js';
import { SAMPLES_DIR } from '../../samples.js';
import { quarantineLines, testContext, textSource, type TestContext } from '../helpers.js';

type Json = Record<string, unknown>;

const PATIENT = { resourceType: 'Patient', id: 'p1', gender: 'male', birthDate: '1950-02-03' };
const condition = (id: string, extra: Json): Json => ({ resourceType: 'Condition', id, subject: { reference: 'Patient/p1' }, onsetDateTime: '2025-03-04', ...extra });
const snomed = (code: string) => ({ coding: [{ system: 'http://snomed.info/sct', code }] });
const encounter = (id: string, extra: Json): Json => ({
  resourceType: 'Encounter', id, status: 'finished', class: { code: 'IMP' }, subject: { reference: 'Patient/p1' },
  period: { start: '2025-05-01T22:00:00-04:00', end: '2025-05-04T10:00:00-04:00' }, ...extra,
});

describe('ingest: FHIR resource rules', () => {
  let ctx: TestContext;
  let observationsReport: IngestReport;
  let clinicalReport: IngestReport;
  let bundleReport: IngestReport;
  let quarantined: QuarantineLine[];

  beforeAll(async () => {
    ctx = await testContext();
    const glucose = JSON.parse(await readFile(join(SAMPLES_DIR, 'hl7_phd_examples', 'glucose-observation.json'), 'utf8')) as Json;
    const { valueQuantity: _omitted, ...noValue } = glucose;
    const observations: Json[] = [
      { ...glucose, subject: { reference: 'Patient/p1' } }, // 1: accepted
      { ...noValue, subject: { reference: 'Patient/p1' }, dataAbsentReason: { coding: [{ code: 'not-a-number' }] } }, // 2
      { ...noValue, subject: { reference: 'Patient/p1' }, valueString: 'HI' }, // 3
      { ...noValue, subject: { reference: 'Patient/p1' } }, // 4: status only
      { ...glucose, subject: { reference: 'Patient/p1' }, status: 'entered-in-error' }, // 5
      { ...glucose, subject: { reference: 'Patient/p1' }, effectiveDateTime: undefined }, // 6
      { ...glucose, subject: { reference: 'Patient/p1' }, effectiveDateTime: '2999-01-01T00:00:00Z' }, // 7
      { ...glucose, subject: { reference: 'Patient/p1' }, effectiveDateTime: '2025-01-08T19:07:48' }, // 8: no zone
      { ...glucose, subject: { reference: 'Patient/nobody' } }, // 9
      // 10: accepted, 109.8976 (a minute after record 1: at the same instant it would be a new version of that reading)
      { ...glucose, subject: { reference: 'Patient/p1' }, effectiveDateTime: '2025-01-08T19:08:48-05:00', valueQuantity: { value: 6.1, code: 'mmol/L' } },
      { ...glucose, subject: { reference: 'Patient/p1' }, valueQuantity: { value: 99, code: 'g' } }, // 11
    ];
    const vital = { resourceType: 'Observation', status: 'final', subject: { reference: 'Patient/p1' }, effectiveDateTime: '2025-06-01T08:00:00+02:00' };
    const loinc = (code: string) => ({ coding: [{ system: 'http://loinc.org', code }] });
    const clinic: Json[] = [
      { ...vital, category: [{ coding: [{ code: 'vital-signs' }] }], code: loinc('85354-9'),
        component: [{ code: loinc('8480-6'), valueQuantity: { value: 151, code: 'mm[Hg]' } }, { code: loinc('8462-4'), valueQuantity: { value: 93, code: 'mm[Hg]' } }] },
      { ...vital, category: [{ coding: [{ code: 'vital-signs' }] }], code: loinc('29463-7'), valueQuantity: { value: 200, code: '[lb_av]' } },
      { ...vital, category: [{ coding: [{ code: 'laboratory' }] }], code: loinc('4548-4'), valueQuantity: { value: 8.1, code: '%' } },
    ];
    const clinical: (Json | string)[] = [
      condition('c1', { code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'I50.9' }] } }), // 1: I509
      condition('c2', { code: snomed('84114007'), verificationStatus: { coding: [{ code: 'refuted' }] } }), // 2: skipped
      condition('c3', { code: snomed('84114007'), verificationStatus: { coding: [{ code: 'entered-in-error' }] } }), // 3
      condition('c4', { code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-9-cm', code: '428.0' }] } }), // 4
      condition('c5', { code: snomed('13645005'), onsetDateTime: undefined, recordedDate: '2025-02-01T09:00:00+01:00' }), // 5: J449
      condition('c6', { code: snomed('84114007'), onsetDateTime: undefined }), // 6: no date
      encounter('e1', { reasonCode: [snomed('88805009'), snomed('160903007')] }), // 7: inpatient, I509
      encounter('e2', { status: 'cancelled' }), // 8: skipped
      encounter('e3', { period: { start: '2025-05-04', end: '2025-05-01' } }), // 9
      { resourceType: 'Coverage', id: 'cv1', status: 'active', beneficiary: { reference: 'Patient/p1' }, period: { start: '2025-01-01' } }, // 10: skipped
      '{"resourceType": "Condition", ', // 11: not JSON
    ];
    const ndjson = (rows: (Json | string)[]) => rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';
    const uuid = 'urn:uuid:5b7842fe-978d-4182-a41f-0d07a8617bc2';
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: { ...glucose, subject: { reference: uuid }, effectiveDateTime: '2025-01-09T08:00:00Z' } }, // 1
        { fullUrl: uuid, resource: { resourceType: 'Patient', gender: 'female', birthDate: '1948-07-01' } }, // 2: no id
        { resource: { ...glucose, subject: { reference: 'urn:uuid:00000000-0000-0000-0000-000000000000' } } }, // 3
      ],
    };
    [observationsReport, clinicalReport, , , bundleReport] = (await ingest(ctx, [
      textSource('landing/obs.ndjson', ndjson(observations)),
      textSource('landing/clinical.ndjson', ndjson(clinical)),
      textSource('landing/clinic-observations.ndjson', ndjson(clinic)),
      textSource('landing/patients.ndjson', ndjson([PATIENT])),
      textSource('landing/bundle.json', JSON.stringify(bundle)),
    ])) as IngestReport[] as [IngestReport, IngestReport, IngestReport, IngestReport, IngestReport];
    quarantined = await quarantineLines(ctx);
  });
  afterAll(() => ctx.dispose());

  const reasonsOf = (file: string) =>
    Object.fromEntries(quarantined.filter((q) => q.file === file).map((q) => [q.record, `${q.field}: ${q.reason}`]));

  it('rejects a monitored Observation that is not a reading, naming the field', () => {
    expect(observationsReport).toMatchObject({ format: 'fhir-ndjson', read: 11, accepted: 2, quarantined: 9, skippedRecords: 0 });
    expect(reasonsOf('landing/obs.ndjson')).toEqual({
      2: 'dataAbsentReason: no value: dataAbsentReason not-a-number',
      3: 'valueString: value is text, not a number',
      4: 'value[x]: no value (status-only observation)',
      5: 'status: entered in error',
      6: 'effective[x]: no effective time',
      7: 'effectiveDateTime: time in the future (device clock fault?)',
      8: 'effectiveDateTime: timestamp without UTC offset',
      9: 'subject: unknown person',
      11: 'valueQuantity: unit not convertible to mg/dL',
    });
  });

  it('stores the good readings converted to mg/dL', async () => {
    const rows = await ctx.engine.query<{ value: number }>(`SELECT value FROM observations WHERE loinc_code = '41653-7' AND person_id = 'p1' ORDER BY value`);
    expect(rows.map((r) => r.value)).toEqual([99, expect.closeTo(109.8976, 6)]); // 6.1 × 18.016
  });

  it('stores clinic vitals and labs without a device by their category, weight in kg', async () => {
    const rows = await ctx.engine.query<{ loinc_code: string; value: number; source: string; device_id: null; observed_at: number }>(
      `SELECT loinc_code, value, source, device_id, observed_at FROM observations WHERE loinc_code <> '41653-7' ORDER BY loinc_code`,
    );
    const at = Date.UTC(2025, 5, 1, 6, 0); // 08:00 +02:00
    expect(rows).toEqual([
      { loinc_code: '29463-7', value: expect.closeTo(90.718474, 6), source: 'clinic', device_id: null, observed_at: at }, // 200 lb × 0.45359237
      { loinc_code: '4548-4', value: 8.1, source: 'lab', device_id: null, observed_at: at },
      { loinc_code: '8462-4', value: 93, source: 'clinic', device_id: null, observed_at: at },
      { loinc_code: '8480-6', value: 151, source: 'clinic', device_id: null, observed_at: at },
    ]);
  });

  it('reads a Bundle Patient before the entries that name it by fullUrl, whatever the entry order', async () => {
    expect(bundleReport).toMatchObject({ format: 'fhir-json', read: 3, accepted: 2, quarantined: 1, skippedRecords: 0 });
    expect(reasonsOf('landing/bundle.json')).toEqual({ 3: 'subject: reference to no Patient of this bundle' });
    const rows = await ctx.engine.query(`SELECT person_id, value FROM observations WHERE observed_at = TIMESTAMP '2025-01-09 08:00:00'`);
    // a Patient entry without id is known by its fullUrl's uuid
    expect(rows).toEqual([{ person_id: '5b7842fe-978d-4182-a41f-0d07a8617bc2', value: 99 }]);
  });

  it('reads Conditions and Encounters by status and coding', async () => {
    expect(clinicalReport).toMatchObject({ read: 11, accepted: 3, quarantined: 5, skippedRecords: 3 });
    expect(clinicalReport.skipReasons).toEqual({ 'refuted Condition': 1, 'cancelled Encounter': 1, 'Coverage without its Patient in the same file (members span from the Patient)': 1 });
    expect(reasonsOf('landing/clinical.ndjson')).toEqual({
      3: 'verificationStatus: entered in error',
      4: 'code: ICD-9 diagnoses are not accepted',
      6: 'onsetDateTime: no onset or recorded date',
      9: 'period.end: end before start',
      11: ': not valid JSON',
    });
    const dx = await ctx.engine.query(`SELECT claim_id, service_date, setting, position, icd10_code FROM diagnoses ORDER BY claim_id`);
    expect(dx).toEqual([
      { claim_id: 'Condition/c1', service_date: '2025-03-04', setting: 'problem_list', position: 1, icd10_code: 'I509' },
      { claim_id: 'Condition/c5', service_date: '2025-02-01', setting: 'problem_list', position: 1, icd10_code: 'J449' },
      // 160903007 (full-time employment) has no ICD-10-CM code: not stored
      { claim_id: 'Encounter/e1', service_date: '2025-05-01', setting: 'inpatient', position: 1, icd10_code: 'I509' },
    ]);
    const [stay] = await ctx.engine.query(`SELECT admission_date, discharge_date, claim_end_date FROM medical_claims`);
    // the days as written in the sender's zone (22:00 -04:00 is already 2 May in UTC)
    expect(stay).toEqual({ admission_date: '2025-05-01', discharge_date: '2025-05-04', claim_end_date: '2025-05-04' });
  });
});

describe('ingest: FHIR Coverage that cannot make a span', () => {
  let ctx: TestContext;
  let report: IngestReport;
  let quarantined: QuarantineLine[];

  beforeAll(async () => {
    ctx = await testContext();
    const patient = (id: string): Json => ({ resourceType: 'Patient', id, gender: 'female', birthDate: '1950-02-03' });
    const coverage = (id: string, period: Json): Json => ({ resourceType: 'Coverage', id, status: 'active', beneficiary: { reference: `Patient/${id}` }, period });
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { resource: patient('p1') }, // 1
        { resource: coverage('p1', { start: '2020-01' }) }, // 2: no day
        { resource: patient('p2') }, // 3
        { resource: coverage('p2', { start: '2020-02-30' }) }, // 4: not a calendar date
        { resource: patient('p3') }, // 5
        { resource: coverage('p3', { start: '2021-01-01', end: '2020-12-31' }) }, // 6: end before start
        { resource: patient('p4') }, // 7
        { resource: coverage('p4', { start: '2021-01-01' }) }, // 8: a span, so p4 makes none of its own
      ],
    };
    [report] = (await ingest(ctx, [textSource('landing/payer.json', JSON.stringify(bundle))])) as [IngestReport];
    quarantined = await quarantineLines(ctx);
  });
  afterAll(() => ctx.dispose());

  it('rejects the Coverage and keeps its Patient as a member with its own span', async () => {
    expect(report).toMatchObject({ read: 8, accepted: 4, quarantined: 3, skippedRecords: 1 });
    expect(Object.fromEntries(quarantined.map((q) => [q.record, `${q.field}: ${q.reason}`]))).toEqual({
      2: 'period.start: date without a day',
      4: 'period.start: not a calendar date',
      6: 'period.end: end before start',
    });
    const spans = await ctx.engine.query(`SELECT person_id, enrollment_start_date, enrollment_end_date FROM members ORDER BY person_id`);
    expect(spans).toEqual([
      { person_id: 'p1', enrollment_start_date: '1950-02-03', enrollment_end_date: '9999-12-31' },
      { person_id: 'p2', enrollment_start_date: '1950-02-03', enrollment_end_date: '9999-12-31' },
      { person_id: 'p3', enrollment_start_date: '1950-02-03', enrollment_end_date: '9999-12-31' },
      { person_id: 'p4', enrollment_start_date: '2021-01-01', enrollment_end_date: '9999-12-31' },
    ]);
  });
});

describe('ingest: FHIR partial dates', () => {
  let ctx: TestContext;
  let reports: IngestReport[];
  let quarantined: QuarantineLine[];

  beforeAll(async () => {
    ctx = await testContext();
    const icd = { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9' }] };
    const lines = [
      condition('y1', { code: icd, onsetDateTime: '2019', recordedDate: '2025-02-03' }), // 1: recorded day
      condition('y2', { code: icd, onsetDateTime: '2019-05', recordedDate: '2025-02-04T10:00:00Z' }), // 2: recorded day
      condition('y3', { code: icd, onsetDateTime: undefined, onsetPeriod: { start: '2019' }, recordedDate: '2025-02-05' }), // 3
      condition('y4', { code: icd, onsetDateTime: '2019-05' }), // 4: no day at all
      condition('y5', { code: icd, onsetDateTime: '2019-05-06', recordedDate: '2025' }), // 5: the onset; recordedDate has no fallback
    ];
    reports = await ingest(ctx, [
      textSource('landing/patients.ndjson', `${JSON.stringify(PATIENT)}\n${JSON.stringify({ ...PATIENT, id: 'p2', birthDate: '1950-02' })}\n`),
      textSource('landing/conditions.ndjson', lines.map((l) => JSON.stringify(l)).join('\n')),
    ]);
    quarantined = await quarantineLines(ctx);
  });
  afterAll(() => ctx.dispose());

  it('dates a Condition whose onset is a year or year-month by its recorded day', async () => {
    expect(reports[1]).toMatchObject({ read: 5, accepted: 3, quarantined: 2 });
    const dx = await ctx.engine.query(`SELECT claim_id, service_date FROM diagnoses ORDER BY claim_id`);
    expect(dx).toEqual([
      { claim_id: 'Condition/y1', service_date: '2025-02-03' },
      { claim_id: 'Condition/y2', service_date: '2025-02-04' },
      { claim_id: 'Condition/y3', service_date: '2025-02-05' },
    ]);
    const reasons = Object.fromEntries(quarantined.filter((q) => q.file === 'landing/conditions.ndjson').map((q) => [q.record, `${q.field}: ${q.reason}`]));
    expect(reasons).toEqual({ 4: 'onsetDateTime: no onset or recorded date', 5: 'recordedDate: date without a day' });
  });

  it('still rejects a Patient whose birthDate has no day', () => {
    expect(reports[0]).toMatchObject({ read: 2, accepted: 1, quarantined: 1 });
    expect(quarantined.find((q) => q.file === 'landing/patients.ndjson')).toMatchObject({ record: 2, field: 'birthDate', reason: 'date without a day' });
  });
});
