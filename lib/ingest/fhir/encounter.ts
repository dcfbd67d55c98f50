/**
 * Encounter → one `medical_claims` row (claim_id `Encounter/<id>`, line 1, claim_type 'clinical') and its reason
 * codes → `diagnoses` (positions 1.. in the order given; SNOMED-only reasons through snomed_icd10.csv, reasons
 * without an ICD-10-CM code are not stored). The setting comes from Encounter.class (v3 ActEncounterCode):
 *   IMP, ACUTE, NONAC → inpatient (admission/discharge dates from the period); EMER → ed; HH → home_health;
 *   AMB, OBSENC, SS → outpatient; anything else (VR, PRENC, FLD, ...) → professional.
 * A planned or cancelled Encounter did not happen and is skipped; one entered in error is rejected.
 */
import { diagnoses, medical_claims } from '../../tables/index.js';
import type { CuratedRow, Mapped } from '../mapper.js';
import { reject } from '../rejection.js';
import { checkRow } from '../row-schema.js';
import { diagnosisCode } from './codes.js';
import type { ResourceContext } from './context.js';
import { careDate } from './dates.js';
import { encounter, parseResource } from './schemas.js';

const SETTING_BY_CLASS: Readonly<Record<string, string>> = {
  IMP: 'inpatient',
  ACUTE: 'inpatient',
  NONAC: 'inpatient',
  EMER: 'ed',
  HH: 'home_health',
  AMB: 'outpatient',
  OBSENC: 'outpatient',
  SS: 'outpatient',
};

const NOT_HAPPENED = new Set(['planned', 'cancelled']);

export function mapEncounter(json: unknown, ctx: ResourceContext): Mapped {
  const e = parseResource(encounter, json);
  if (e.status === 'entered-in-error') reject('status', 'entered in error', e.status);
  if (NOT_HAPPENED.has(e.status)) return { skip: `${e.status} Encounter` };
  const personId = ctx.person(e.subject, 'subject');
  const start = careDate(e.period?.start, 'period.start') ?? reject('period.start', 'no start date', null);
  const end = careDate(e.period?.end, 'period.end');
  if (end !== null && end < start) reject('period.end', 'end before start', e.period?.end);
  const setting = SETTING_BY_CLASS[e.class.code ?? ''] ?? 'professional';
  const claimId = `Encounter/${e.id}`;
  const claim = {
    claim_id: claimId,
    claim_line_number: 1,
    person_id: personId,
    claim_type: 'clinical',
    setting,
    claim_start_date: start,
    claim_end_date: end ?? start,
    admission_date: setting === 'inpatient' ? start : null,
    discharge_date: setting === 'inpatient' ? end : null,
    bill_type_code: null,
    place_of_service_code: null,
    revenue_center_code: null,
    hcpcs_code: null,
    drg_code: null,
    discharge_disposition_code: null,
    admit_type_code: null,
    paid_amount: null,
    allowed_amount: null,
    source_file: ctx.env.sourceFile,
  };
  checkRow(medical_claims, claim);
  const rows: CuratedRow[] = [{ table: medical_claims, row: claim }];
  const codes = new Set<string>();
  for (const [i, reason] of (e.reasonCode ?? []).entries()) {
    const dx = diagnosisCode(reason, `reasonCode.${i}`);
    if ('icd10' in dx) codes.add(dx.icd10);
  }
  for (const [i, code] of [...codes].entries()) {
    const row = {
      claim_id: claimId,
      person_id: personId,
      service_date: start,
      claim_type: 'clinical',
      setting,
      position: i + 1,
      icd10_code: code,
      source_file: ctx.env.sourceFile,
    };
    checkRow(diagnoses, row);
    rows.push({ table: diagnoses, row });
  }
  return { rows };
}
