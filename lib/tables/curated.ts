/**
 * The curated tables: what ingest writes to `curated/<table>/` as Parquet, whatever format the sender used.
 * Column names follow the Tuva Project input layer where one exists, so analysts who know Tuva know these.
 */
import { defineTable } from './define.js';

export const members = defineTable('members', 'curated/members/', 'One row per eligibility span of a person.', [
  ['person_id', 'string', 'required', 'stable person identifier across all sources'],
  ['member_id', 'string', 'optional', "the payer's member identifier"],
  ['birth_date', 'date', 'required', 'date of birth'],
  ['sex', 'string', 'required', "'female', 'male' or 'unknown'"],
  ['death_date', 'date', 'optional', 'date of death, when known'],
  ['enrollment_start_date', 'date', 'required', 'first day of the span'],
  ['enrollment_end_date', 'date', 'required', 'last day of the span (inclusive)'],
  ['payer', 'string', 'optional', 'payer name'],
  ['payer_type', 'string', 'optional', 'medicare, medicaid, commercial, …'],
  ['dual_status_code', 'string', 'optional', 'Medicare-Medicaid dual status code (CMS)'],
  ['hospice_flag', 'boolean', 'optional', 'in hospice during the span'],
  ['institutional_flag', 'boolean', 'optional', 'long-term institutional resident or institutional SNP'],
  ['source_file', 'string', 'required', 'the landing file this row came from'],
  ['source_record', 'int', 'optional', 'its record number in that file (1-based): of two versions of a key in one file, the later wins'],
  ['source_sha256', 'string', 'optional', 'sha256 of the content of that file: the delivery the row belongs to (deliveries.sha256)'],
]);

export const medical_claims = defineTable(
  'medical_claims',
  'curated/medical_claims/',
  'One row per medical claim line (institutional or professional).',
  [
    ['claim_id', 'string', 'required', 'claim identifier'],
    ['claim_line_number', 'int', 'required', 'line number within the claim'],
    ['person_id', 'string', 'required', 'person the claim is for'],
    ['claim_type', 'string', 'required', "'institutional' or 'professional'"],
    ['setting', 'string', 'required', 'inpatient, snf, home_health, outpatient (HOP), ed, professional (carrier)'],
    ['claim_start_date', 'date', 'required', 'first date of service'],
    ['claim_end_date', 'date', 'required', 'last date of service'],
    ['admission_date', 'date', 'optional', 'inpatient admission date'],
    ['discharge_date', 'date', 'optional', 'inpatient discharge date'],
    ['bill_type_code', 'string', 'optional', 'UB-04 type of bill (institutional)'],
    ['place_of_service_code', 'string', 'optional', 'CMS place of service (professional)'],
    ['revenue_center_code', 'string', 'optional', 'UB-04 revenue code'],
    ['hcpcs_code', 'string', 'optional', 'HCPCS level II code (CPT codes are not stored)'],
    ['drg_code', 'string', 'optional', 'MS-DRG'],
    ['discharge_disposition_code', 'string', 'optional', 'UB-04 patient discharge status'],
    ['admit_type_code', 'string', 'optional', 'UB-04 priority (type) of admission: 1 emergency, 2 urgent, 3 elective, 5 trauma'],
    ['paid_amount', 'double', 'optional', 'amount paid by the plan, USD'],
    ['allowed_amount', 'double', 'optional', 'allowed amount, USD'],
    ['source_file', 'string', 'required', 'the landing file this row came from'],
    ['source_record', 'int', 'optional', 'its record number in that file (1-based): of two versions of a key in one file, the later wins'],
    ['source_sha256', 'string', 'optional', 'sha256 of the content of that file: the delivery the row belongs to (deliveries.sha256)'],
  ],
);

export const diagnoses = defineTable(
  'diagnoses',
  'curated/diagnoses/',
  'Long form of the claim diagnoses: one row per claim, position and ICD-10-CM code.',
  [
    ['claim_id', 'string', 'required', 'claim identifier'],
    ['person_id', 'string', 'required', 'person the claim is for'],
    ['service_date', 'date', 'required', 'claim start date'],
    ['claim_type', 'string', 'required', "'institutional' or 'professional'"],
    ['setting', 'string', 'required', 'inpatient, snf, home_health, outpatient, ed, professional'],
    ['position', 'int', 'required', '1 for the principal diagnosis, up to 25'],
    ['icd10_code', 'string', 'required', 'ICD-10-CM code, upper case, without the dot'],
    ['source_file', 'string', 'required', 'the landing file this row came from'],
    ['source_record', 'int', 'optional', 'its record number in that file (1-based): of two versions of a key in one file, the later wins'],
    ['source_sha256', 'string', 'optional', 'sha256 of the content of that file: the delivery the row belongs to (deliveries.sha256)'],
  ],
);

export const pharmacy_claims = defineTable('pharmacy_claims', 'curated/pharmacy_claims/', 'One row per pharmacy claim line.', [
  ['claim_id', 'string', 'required', 'claim identifier'],
  ['claim_line_number', 'int', 'required', 'line number within the claim'],
  ['person_id', 'string', 'required', 'person the fill is for'],
  ['dispensing_date', 'date', 'required', 'date the drug was dispensed'],
  ['ndc_code', 'string', 'required', '11-digit National Drug Code'],
  ['quantity', 'double', 'optional', 'quantity dispensed'],
  ['days_supply', 'int', 'optional', 'days of supply'],
  ['paid_amount', 'double', 'optional', 'amount paid by the plan, USD'],
  ['source_file', 'string', 'required', 'the landing file this row came from'],
  ['source_record', 'int', 'optional', 'its record number in that file (1-based): of two versions of a key in one file, the later wins'],
  ['source_sha256', 'string', 'optional', 'sha256 of the content of that file: the delivery the row belongs to (deliveries.sha256)'],
]);

export const observations = defineTable(
  'observations',
  'curated/observations/',
  'Measurements (remote-monitoring devices, clinic vitals, labs), LOINC-coded, in canonical units.',
  [
    ['person_id', 'string', 'required', 'person measured'],
    ['observed_at', 'timestamp', 'required', 'instant of the measurement, UTC'],
    ['loinc_code', 'string', 'required', 'LOINC code of the measure'],
    ['value', 'double', 'required', 'value in the canonical unit'],
    ['unit', 'string', 'required', 'canonical unit (UCUM): mm[Hg], kg, %, mg/dL, /min'],
    ['device_id', 'string', 'optional', 'device that took the reading, when it came from a device'],
    ['source', 'string', 'required', "'device', 'clinic' or 'lab'"],
    ['source_file', 'string', 'required', 'the landing file this row came from'],
    ['source_record', 'int', 'optional', 'its record number in that file (1-based): of two versions of a key in one file, the later wins'],
    ['source_sha256', 'string', 'optional', 'sha256 of the content of that file: the delivery the row belongs to (deliveries.sha256)'],
  ],
);

export const CURATED_TABLES = [members, medical_claims, diagnoses, pharmacy_claims, observations] as const;
export type CuratedTableName = (typeof CURATED_TABLES)[number]['name'];
