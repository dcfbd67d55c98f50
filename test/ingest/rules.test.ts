/** The pure rules of ingest, case by case: code syntax, care setting, format detection, units. */
import { describe, expect, it } from 'vitest';
import { claimSetting } from '../../lib/ingest/claim-setting.js';
import { detectFormat } from '../../lib/ingest/detect.js';
import { icd10Code } from '../../lib/ingest/icd10.js';
import { PoundsLabelledKg } from '../../lib/ingest/pounds-as-kg.js';
import { RecordRejected } from '../../lib/ingest/rejection.js';
import { ndc11 } from '../../lib/ingest/ndc.js';
import { MEASURES, toCanonical } from '../../lib/ingest/units.js';
import { medicalClaimSql } from './medical-claim-sql.js';

function rejection(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof RecordRejected) return e.reason;
    throw e;
  }
  return 'accepted';
}

const ICD10_NORMALISED = [['e11.9', 'E119'], [' I10 ', 'I10'], ['S72.001A', 'S72001A']] as const;
const NOT_ICD10 = ['ZZZ99', '12345', 'E11#9', 'E1', 'E11.', 'E1.19', 'I10000000', 'É119'];

describe('icd10Code', () => {
  it('upper-cases and drops the dot', () => {
    for (const [raw, code] of ICD10_NORMALISED) expect(icd10Code(raw, 'dx')).toBe(code);
  });
  it.each(NOT_ICD10)('rejects %s', (code) => {
    expect(rejection(() => icd10Code(code, 'dx'))).toBe('not an ICD-10-CM code');
  });
});

const SETTINGS = [
    ['institutional', '111', null, '0450', 'inpatient'],
    ['institutional', '211', null, null, 'snf'],
    ['institutional', '181', null, null, 'snf'],
    ['institutional', '221', null, null, 'outpatient'],
    ['institutional', '811', null, null, 'hospice'],
    ['institutional', '822', null, null, 'hospice'],
    ['institutional', '831', null, null, 'outpatient'],
    ['institutional', '321', null, null, 'home_health'],
    ['institutional', '341', null, null, 'home_health'],
    ['institutional', '131', null, '0450', 'ed'],
    ['institutional', '131', null, '0981', 'ed'],
    ['institutional', '131', null, '0300', 'outpatient'],
    ['institutional', '351', null, null, 'outpatient'],
    ['professional', null, '23', null, 'ed'],
    ['professional', null, '21', null, 'professional'],
] as const;

describe('claimSetting: settings from the bill type (11x inpatient; 18x, 21x SNF; 32x-34x home health; 81x-82x hospice; other HOP)', () => {
  it.each(SETTINGS)('%s bill %s pos %s revenue %s → %s', (type, bill, pos, revenue, setting) => {
    expect(claimSetting(type, bill, pos, revenue)).toBe(setting);
  });
});

// Tuva claims are read by SQL (queries/ingest/tuva_medical_claim.sql), FHIR claims by TypeScript: the same cases, one answer
describe('the Tuva claims SQL and the TypeScript rules of the FHIR reader agree', () => {
  const line = { claim_id: 'C1', claim_line_number: '1', claim_type: 'professional', person_id: 'P1', claim_start_date: '2025-03-01', claim_end_date: '2025-03-01' };

  it('on ICD-10-CM codes', async () => {
    const { records } = await medicalClaimSql([...ICD10_NORMALISED.map(([raw]) => raw), ...NOT_ICD10].map((code) => ({ ...line, diagnosis_code_1: code })));
    expect(records.map((r) => r.reject_reason ?? r.dx_1)).toEqual([...ICD10_NORMALISED.map(([, code]) => code), ...NOT_ICD10.map(() => 'not an ICD-10-CM code')]);
  });

  it('on care settings', async () => {
    const { records } = await medicalClaimSql(
      SETTINGS.map(([type, bill, pos, revenue]) => ({ ...line, claim_type: type, bill_type_code: bill, place_of_service_code: pos, revenue_center_code: revenue })),
    );
    expect(records.map((r) => r.setting)).toEqual(SETTINGS.map(([, , , , setting]) => setting));
  });
});

describe('detectFormat', () => {
  it('goes by header names, in either layout and any order, and says which layout', () => {
    expect(detectFormat('x.csv', 'enrollment_end_date,patient_id,birth_date,enrollment_start_date\n')).toEqual({ format: 'tuva-eligibility', layout: 'patient_id' });
    expect(detectFormat('x.csv', '"lab_result_id","person_id","result","result_datetime"\n')).toEqual({ format: 'tuva-lab-result', layout: 'person_id' });
    expect(detectFormat('x.csv', '\uFEFFperson_id,claim_id,ndc_code,dispensing_date\r\n')).toEqual({ format: 'tuva-pharmacy-claim', layout: 'person_id' });
    // both person columns, as the Tuva clinical seeds have: person_id is the one read
    expect(detectFormat('x.csv', 'person_id,patient_id,observation_date,result\n')).toEqual({ format: 'tuva-observation', layout: 'person_id' });
  });
  it('knows the older lab_result layout (result_date / collection_date, one code column)', () => {
    const older = 'lab_result_id,patient_id,source_code_type,source_code,normalized_code,result,result_date,collection_date,source_units\n';
    expect(detectFormat('labs.csv', older)).toEqual({ format: 'tuva-lab-result', layout: 'patient_id' });
    expect(detectFormat('labs.csv', 'patient_id,normalized_result,collection_date\n')).toEqual({ format: 'tuva-lab-result', layout: 'patient_id' });
  });
  it('uses the file name only to break a tie', () => {
    const both = 'person_id,observation_date,result,result_datetime\n';
    expect(detectFormat('landing/lab_result_2025.csv', both)).toEqual({ format: 'tuva-lab-result', layout: 'person_id' });
    expect(detectFormat('landing/x.csv', both)).toMatchObject({ format: 'unknown', error: expect.stringMatching(/file name does not say/) });
  });
  it('knows device NDJSON by its first line', () => {
    const line = JSON.stringify({ person_id: 'P1', measured_at: '2025-06-01T07:00:00Z', code: '8867-4', value: 70, unit: '/min' });
    expect(detectFormat('readings.txt', `${line}\n`)).toEqual({ format: 'device-ndjson' });
    expect(detectFormat('r.json', '{"hello": 1}\n')).toMatchObject({ format: 'unknown' });
    // a device file whose first reading is bad (or cut) is still a device file: that line alone is quarantined
    expect(detectFormat('r.ndjson', '{"person_id": "P1", "measured_at": "yesterday"}\n')).toEqual({ format: 'device-ndjson' });
    expect(detectFormat('r.ndjson', '{"person_id": "P1", "meas\n')).toEqual({ format: 'device-ndjson' });
    // JSON lines with none of a reading's fields are something else, whatever the file is called
    expect(detectFormat('r.ndjson', '{"hello": 1}\n')).toMatchObject({ format: 'unknown', error: expect.stringMatching(/not a device reading/) });
  });
  it("leaves a FHIR bulk export's log.ndjson alone: it holds no clinical data", () => {
    // the first line of test/fixtures/samples/smart_bulk_fhir_10/log.ndjson
    const line = '{"exportId": "export-10", "timestamp": "2024-08-06T14:11:57.560606-04:00", "eventId": "kickoff", "eventDetail": {}}';
    expect(detectFormat('log.ndjson', `${line}\n`)).toEqual({ format: 'not-read', reason: 'a FHIR bulk-export log (exportId, eventId): it holds no clinical data' });
  });
  it('reports what it could not recognise', () => {
    expect(detectFormat('notes.txt', 'hello world\n')).toMatchObject({ format: 'unknown', error: expect.stringMatching(/person_id/) });
    expect(detectFormat('empty.csv', '')).toMatchObject({ format: 'unknown' });
  });
});

describe('units', () => {
  it('converts to the canonical unit, whatever the case of the unit sent', () => {
    expect(toCanonical(MEASURES.get('29463-7')!, 100, '[LB_AV]', 'v')).toBeCloseTo(45.359237, 9);
    expect(toCanonical(MEASURES.get('2339-0')!, 10, 'mmol/l', 'v')).toBeCloseTo(180.16, 9);
  });
  it('checks the range after conversion', () => {
    expect(rejection(() => toCanonical(MEASURES.get('29463-7')!, 700, 'lb', 'v'))).toBe('implausible value'); // 317.5 kg
    expect(rejection(() => toCanonical(MEASURES.get('2708-6')!, 101, '%', 'v'))).toBe('implausible value');
    expect(rejection(() => toCanonical(MEASURES.get('8867-4')!, 60, null, 'v'))).toBe('missing unit');
  });
});

describe('PoundsLabelledKg', () => {
  it('needs one earlier weight, then flags about 2.2046 times the median of the recent ones', () => {
    const p = new PoundsLabelledKg();
    expect(p.looksLikePounds('A', 154.3)).toBe(false); // no reference yet
    p.remember('A', 70);
    expect(p.looksLikePounds('A', 154.3)).toBe(true); // 70 kg is 154.3 lb
    p.remember('A', 71);
    p.remember('A', 70.5);
    expect(p.looksLikePounds('A', 155.4)).toBe(true); // median 70.5 kg in pounds
    expect(p.looksLikePounds('A', 146)).toBe(false); // ratio 2.07: outside the 5% tolerance
    expect(p.looksLikePounds('A', 72)).toBe(false);
    expect(p.looksLikePounds('B', 155.4)).toBe(false);
  });
});

describe('ndc11', () => {
  it('pads the hyphenated 10-digit layouts to 5-4-2', () => {
    expect(ndc11('49999057690', 'ndc')).toBe('49999057690');
    expect(ndc11('0002-3227-30', 'ndc')).toBe('00002322730');
    expect(ndc11('50090-539-02', 'ndc')).toBe('50090053902');
    expect(ndc11('50090-5396-2', 'ndc')).toBe('50090539602');
    expect(rejection(() => ndc11('5009-53-02', 'ndc'))).toBe('not an NDC');
  });
});
