/**
 * Tuva `medical_claim` → `medical_claims` (one row per line) + `diagnoses` (long form of diagnosis_code_1..25), by
 * the rules of queries/ingest/tuva_medical_claim.sql (its header lists them, in the order a line is judged). The
 * diagnoses come from queries/ingest/tuva_medical_claim_diagnoses.sql (a claim's position once, from its first
 * accepted line), and what the file says about its amounts and codes from tuva_medical_claim_conventions.sql, which
 * takes the amount convention from the features' own model (queries/claim_conventions.sql, over the file's accepted
 * lines, detected): the manifest's `conventions`, the report's note on them (claim-amounts.ts), and how many
 * inpatient lines were given the claim's dates for want of admission and discharge dates.
 */
import type { SqlRow } from '../../sql/port.js';
import { loadQuery } from '../../sql/queries.js';
import { diagnoses, medical_claims } from '../../tables/index.js';
import { conventionsNote, type ClaimConventions } from '../claim-amounts.js';
import type { SqlColumn, SqlFinding, SqlFormat } from './format.js';
import { loadIngestQuery } from './queries.js';

export const STAY_FROM_CLAIM_DATES = 'inpatient (bill type 11x) without admission and discharge dates: claim start and end dates used';

const NO_AMOUNT = 'null on every line, so costs count none of it';

/** in the order today's reader looked them up: the first required one missing is the one named */
const COLUMNS: readonly SqlColumn[] = [
  { name: 'claim_id', required: true },
  { name: 'claim_line_number', required: true },
  { name: 'claim_type', required: true },
  { name: 'person_id', aliases: ['patient_id'], required: true },
  { name: 'claim_start_date', required: true },
  { name: 'claim_end_date', required: true },
  ...['admission_date', 'discharge_date', 'bill_type_code', 'place_of_service_code', 'revenue_center_code', 'hcpcs_code', 'drg_code',
    'discharge_disposition_code', 'admit_type_code', 'diagnosis_code_type'].map((name) => ({ name })),
  { name: 'paid_amount', absent: NO_AMOUNT },
  { name: 'allowed_amount', absent: NO_AMOUNT },
  ...Array.from({ length: 25 }, (_, i) => ({ name: `diagnosis_code_${i + 1}` })),
];

/** tuva_medical_claim_conventions.sql with the relations it reads: the file's accepted lines as medical_claims, amounts detected */
export function conventionsSql(): string {
  return [
    'with medical_claims as (select * from ingest_accepted)',
    ", as_of_windows as (select cast('detect' as varchar) as claim_amounts)",
    `, claim_conventions as (${loadQuery('claim_conventions')})`,
    `select * from (${loadIngestQuery('tuva_medical_claim_conventions')})`,
  ].join('\n');
}

/** the conventions row's columns, which medicalClaimFinding reads by name (as text or numbers) */
const FINDING_COLUMNS = [
  'amounts',
  'multi_line_claims',
  'identical_amount_claims',
  'negative_lines',
  'lines_without_diagnoses',
  'impossible_bill_types',
  'impossible_places_of_service',
  'stays_from_claim_dates',
];

/** the conventions row → the manifest's conventions, the report's note, and the inpatient lines completed */
export function medicalClaimFinding(row: SqlRow): SqlFinding {
  const n = (name: string) => Number(row[name]);
  const conventions: ClaimConventions = {
    amounts: row.amounts === 'header' ? 'header' : 'line',
    multi_line_claims: n('multi_line_claims'),
    identical_amount_claims: n('identical_amount_claims'),
    negative_lines: n('negative_lines'),
    lines_without_diagnoses: n('lines_without_diagnoses'),
    impossible_bill_types: n('impossible_bill_types'),
    impossible_places_of_service: n('impossible_places_of_service'),
  };
  const stays = n('stays_from_claim_dates');
  return { conventions, note: conventionsNote(conventions), decisions: stays > 0 ? { [STAY_FROM_CLAIM_DATES]: stays } : {} };
}

export const tuvaMedicalClaimSql: SqlFormat = {
  kind: 'csv',
  format: 'tuva-medical-claim',
  query: 'tuva_medical_claim',
  tables: [medical_claims, diagnoses],
  tableQueries: { diagnoses: 'tuva_medical_claim_diagnoses' },
  finding: { sql: conventionsSql, columns: FINDING_COLUMNS, of: medicalClaimFinding },
  columns: COLUMNS,
};
