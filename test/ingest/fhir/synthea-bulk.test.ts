/**
 * The SMART sample bulk export of 13 Synthea patients (test/fixtures/samples/smart_bulk_fhir_10), FHIR R4 NDJSON.
 * Expected figures counted by hand with jq on the files (commands in the comments).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFeatures } from '../../../lib/pipeline/features.js';
import { ingest, sourcesFromPaths, type IngestReport } from '../../../lib/pipeline/ingest.js';
import { SAMPLES_DIR } from '../../samples.js';
import { testContext, type TestContext } from '../helpers.js';

const DIR = join(SAMPLES_DIR, 'smart_bulk_fhir_10');
const DIABETIC = '79a66c97-6131-3213-f3c9-4606946ab056';

describe('ingest: Synthea bulk FHIR NDJSON', () => {
  let ctx: TestContext;
  let reports: Map<string, IngestReport>;

  beforeAll(async () => {
    ctx = await testContext();
    // the export's resource files, in name order: Condition and Encounter come before Patient
    const files = (await readdir(DIR)).filter((f) => f.endsWith('.000.ndjson')).sort();
    const list = await ingest(ctx, await sourcesFromPaths(files.map((f) => join(DIR, f))));
    reports = new Map(list.map((r) => [r.file.split('/').pop()!.replace('.000.ndjson', ''), r]));
  });
  afterAll(() => ctx.dispose());

  it('reconciles every file: read = accepted + quarantined + skipped', () => {
    expect(reports.size).toBe(12);
    for (const r of reports.values()) {
      expect(r.format).toBe('fhir-ndjson');
      expect(r.read).toBe(r.accepted + r.quarantined + r.skippedRecords);
      expect(r.quarantined).toBe(0);
    }
    // wc -l: 13 patients, 555 conditions, 1215 encounters; the other resource types are counted as skipped
    expect(reports.get('Patient')).toMatchObject({ read: 13, accepted: 13, rows: { members: 13 } });
    expect(reports.get('Encounter')).toMatchObject({ read: 1215, accepted: 1215, rows: { medical_claims: 1215, diagnoses: 493 } });
    expect(reports.get('Procedure')).toMatchObject({ read: 2056, skippedRecords: 2056, skipReasons: { 'Procedure resources are not read': 2056 } });
  });

  it('ingests Patient files first, so the conditions and encounters of the same delivery are checked against them', () => {
    expect(reports.get('Patient')!.notes.join(' ')).toMatch(/person ids not checked/);
    expect(reports.get('Condition')!.notes).toEqual([]);
    expect(reports.get('Encounter')!.notes).toEqual([]);
  });

  it('makes one open-ended members span per patient, ended by death', async () => {
    const rows = await ctx.engine.query(
      `SELECT person_id, birth_date, sex, death_date, enrollment_start_date, enrollment_end_date FROM members
       WHERE person_id IN ('129c6ac7-8d06-89de-ad63-0204a93e76c3', '63ee2253-bdd5-da55-2ad2-b4984d0ad700') ORDER BY person_id`,
    );
    expect(rows).toEqual([
      // deceasedDateTime 1989-05-09T20:35:22-04:00: the day as written
      { person_id: '129c6ac7-8d06-89de-ad63-0204a93e76c3', birth_date: '1927-05-21', sex: 'female', death_date: '1989-05-09', enrollment_start_date: '1927-05-21', enrollment_end_date: '1989-05-09' },
      { person_id: '63ee2253-bdd5-da55-2ad2-b4984d0ad700', birth_date: '2011-03-23', sex: 'male', death_date: null, enrollment_start_date: '2011-03-23', enrollment_end_date: '9999-12-31' },
    ]);
  });

  it('stores the 11 SNOMED conditions of snomed_icd10.csv as problem-list diagnoses and skips the other 544', async () => {
    expect(reports.get('Condition')).toMatchObject({
      read: 555,
      accepted: 11,
      skipReasons: { 'no ICD-10-CM code (SNOMED CT concept not in snomed_icd10.csv)': 544 },
    });
    const rows = await ctx.engine.query(
      `SELECT icd10_code, service_date, setting FROM diagnoses WHERE person_id = '${DIABETIC}' AND claim_type = 'clinical' AND claim_id LIKE 'Condition/%' ORDER BY service_date, icd10_code`,
    );
    // jq 'select(.subject.reference == "Patient/79a6…") | [.code.coding[0].code, .clinicalStatus.coding[0].code,
    //   .onsetDateTime, .abatementDateTime]' Condition.000.ndjson: active ones are dated by onset, resolved ones by
    //   their abatement (all four on 1990-10-28)
    const active = 'problem_list';
    const resolved = 'problem_list_resolved';
    expect(rows).toEqual([
      { icd10_code: 'E119', service_date: '1969-05-31', setting: active }, // 44054006 type 2 diabetes
      { icd10_code: 'I10', service_date: '1969-05-31', setting: active }, // 59621000 essential hypertension
      { icd10_code: 'E1129', service_date: '1970-06-06', setting: active }, // 127013003 kidney disorder due to diabetes
      { icd10_code: 'E1129', service_date: '1977-02-12', setting: active }, // 90781000119102 microalbuminuria due to T2DM
      { icd10_code: 'E1129', service_date: '1979-05-05', setting: active }, // 157141000119108 proteinuria due to T2DM
      { icd10_code: 'N184', service_date: '1985-08-31', setting: active }, // 431857002 CKD stage 4
      { icd10_code: 'N181', service_date: '1990-10-28', setting: resolved }, // 431855005 CKD stage 1
      { icd10_code: 'N182', service_date: '1990-10-28', setting: resolved }, // 431856006 CKD stage 2
      { icd10_code: 'N1830', service_date: '1990-10-28', setting: resolved }, // 433144002 CKD stage 3
      { icd10_code: 'N186', service_date: '1990-10-28', setting: resolved }, // 46177005 end-stage renal disease
    ]);
  });

  it('gives the features the conditions still active on the as-of date, however old their onset', async () => {
    // the patient died in 1994; on 1990-01-01 diabetes (1969), hypertension (1969) and CKD stage 4 (1985) are
    // active, and the resolved entries are dated after that day
    await buildFeatures(ctx, '1990-01-01');
    const [row] = await ctx.engine.query(
      `SELECT has_diabetes, has_hypertension, has_copd, has_heart_failure, has_ckd FROM features WHERE person_id = '${DIABETIC}' AND as_of_date = DATE '1990-01-01'`,
    );
    expect(row).toEqual({ has_diabetes: true, has_hypertension: true, has_copd: false, has_heart_failure: false, has_ckd: true });
  });

  it('finds the program conditions per person through the CCW code lists', async () => {
    const rows = await ctx.engine.query(
      `SELECT c.condition_column_name AS condition, count(DISTINCT d.person_id) AS persons, count(*) AS conditions
       FROM diagnoses d JOIN ccw_chronic_conditions c ON c.code = d.icd10_code
       WHERE d.setting LIKE 'problem_list%'
         AND c.condition_column_name IN ('diabetes', 'hypertension', 'chronic_obstructive_pulmonary_disease', 'heart_failure_and_non_ischemic_heart_disease', 'chronic_kidney_disease')
       GROUP BY 1 ORDER BY 1`,
    );
    // by hand: diabetes 44054006, 127013003, 90781000119102, 157141000119108 (one person); hypertension 59621000 (two
    // persons); CKD: stages 1-4, ESRD and the three diabetic kidney concepts (E1129 is on both CCW lists); no COPD or HF
    expect(rows).toEqual([
      { condition: 'chronic_kidney_disease', persons: 1, conditions: 8 },
      { condition: 'diabetes', persons: 1, conditions: 4 },
      { condition: 'hypertension', persons: 2, conditions: 2 },
    ]);
  });

  it('stores encounters by class with their dates and reason codes', async () => {
    // jq -r .class.code Encounter.000.ndjson | sort | uniq -c: AMB 1133, EMER 23, HH 9, IMP 49, VR 1
    const bySetting = await ctx.engine.query(`SELECT setting, count(*) AS n FROM medical_claims WHERE claim_type = 'clinical' GROUP BY 1 ORDER BY 1`);
    expect(bySetting).toEqual([
      { setting: 'ed', n: 23 },
      { setting: 'home_health', n: 9 },
      { setting: 'inpatient', n: 49 },
      { setting: 'outpatient', n: 1133 },
      { setting: 'professional', n: 1 },
    ]);
    const open = await ctx.engine.query(`SELECT count(*) AS n FROM medical_claims WHERE setting = 'inpatient' AND (admission_date IS NULL OR discharge_date IS NULL)`);
    expect(open).toEqual([{ n: 0 }]);
    // reasonCode: 358 × 431857002 (CKD 4) + 134 × 46177005 (ESRD) + 1 × 59621000 (hypertension) are in the table
    const reasons = await ctx.engine.query(`SELECT icd10_code, count(*) AS n FROM diagnoses WHERE claim_id LIKE 'Encounter/%' GROUP BY 1 ORDER BY 1`);
    expect(reasons).toEqual([
      { icd10_code: 'I10', n: 1 },
      { icd10_code: 'N184', n: 358 },
      { icd10_code: 'N186', n: 134 },
    ]);
  });
});
