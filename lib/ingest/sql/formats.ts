/**
 * The volume formats ingested by SQL: which columns each reads (in the order its TypeScript reader looked them up,
 * so the first missing required one is the one named) and the query of queries/ingest/ that holds its rules.
 */
import { members, pharmacy_claims } from '../../tables/index.js';
import type { InputFormat } from '../types.js';
import { deviceNdjsonSql } from './devices.js';
import type { SqlColumn, SqlFormat } from './format.js';
import { tuvaMedicalClaimSql } from './tuva-medical-claim.js';

/** the person column of either Tuva layout: `person_id` (current) or `patient_id` (older) */
const PERSON: SqlColumn = { name: 'person_id', aliases: ['patient_id'], required: true };

export const tuvaEligibilitySql: SqlFormat = {
  kind: 'csv',
  format: 'tuva-eligibility',
  query: 'tuva_eligibility',
  tables: [members],
  makesMembers: true,
  columns: [
    PERSON,
    { name: 'member_id' },
    { name: 'birth_date', required: true },
    { name: 'gender' },
    { name: 'death_date' },
    { name: 'enrollment_start_date', required: true },
    { name: 'enrollment_end_date', required: true },
    { name: 'payer' },
    { name: 'payer_type' },
    { name: 'dual_status_code' },
    { name: 'hospice_flag' },
    { name: 'long_term_institutional_flag' },
    { name: 'institutional_snp_flag' },
  ],
};

export const tuvaPharmacyClaimSql: SqlFormat = {
  kind: 'csv',
  format: 'tuva-pharmacy-claim',
  query: 'tuva_pharmacy_claim',
  tables: [pharmacy_claims],
  columns: [
    { name: 'claim_id', required: true },
    { name: 'claim_line_number', required: true },
    PERSON,
    { name: 'dispensing_date', required: true },
    { name: 'ndc_code', required: true },
    { name: 'quantity' },
    { name: 'days_supply' },
    { name: 'paid_amount', absent: 'null on every line, so costs count none of it' },
  ],
};

/** the formats ingested by SQL (and a vendor CSV, through its mapping: vendor-csv.ts); the others keep their TypeScript reader (lib/ingest/formats.ts) */
export const SQL_FORMATS: Readonly<Partial<Record<InputFormat, SqlFormat>>> = {
  'tuva-eligibility': tuvaEligibilitySql,
  'tuva-pharmacy-claim': tuvaPharmacyClaimSql,
  'device-ndjson': deviceNdjsonSql,
  'tuva-medical-claim': tuvaMedicalClaimSql,
};
