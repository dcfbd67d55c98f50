/**
 * Condition (problem list or encounter diagnosis) → one `diagnoses` row: claim_id `Condition/<id>`, claim_type
 * 'clinical', position 1. A condition still active (clinicalStatus active, recurrence or relapse, or no status)
 * gets setting 'problem_list' and its onset day (else the recorded day): the chronic-condition features count it
 * whatever its age, since the record says it is current. One that is inactive, in remission or resolved gets
 * setting 'problem_list_resolved', dated by its abatement (else the recorded day, else its onset), and counts only
 * inside the condition's lookback like any claim. An onset of a year or year-month only (FHIR allows `2019`) is no
 * day, so the recorded day is used instead; other partial dates are rejected. SNOMED-only codes go through
 * snomed_icd10.csv; a concept outside it is skipped, as is a refuted Condition; one entered in error is rejected.
 */
import { diagnoses } from '../../tables/index.js';
import type { Mapped } from '../mapper.js';
import { reject } from '../rejection.js';
import { checkRow } from '../row-schema.js';
import { codings, diagnosisCode, hasCode } from './codes.js';
import type { ResourceContext } from './context.js';
import { careDate, wholeCareDate } from './dates.js';
import { condition, parseResource } from './schemas.js';

const NO_ICD10 = 'no ICD-10-CM code (SNOMED CT concept not in snomed_icd10.csv)';
const ENDED = ['inactive', 'remission', 'resolved'];

export function mapCondition(json: unknown, ctx: ResourceContext): Mapped {
  const c = parseResource(condition, json);
  if (hasCode(c.verificationStatus, 'entered-in-error')) reject('verificationStatus', 'entered in error', 'entered-in-error');
  if (hasCode(c.verificationStatus, 'refuted')) return { skip: 'refuted Condition' };
  const personId = ctx.person(c.subject, 'subject');
  const dx = diagnosisCode(c.code, 'code');
  if ('none' in dx) {
    if (dx.none === 'icd9') reject('code', 'ICD-9 diagnoses are not accepted', codings(c.code)[0]?.code ?? null);
    return { skip: NO_ICD10 };
  }
  const onset = wholeCareDate(c.onsetDateTime, 'onsetDateTime') ?? wholeCareDate(c.onsetPeriod?.start, 'onsetPeriod.start');
  const recorded = careDate(c.recordedDate, 'recordedDate');
  const ended = ENDED.some((status) => hasCode(c.clinicalStatus, status));
  const abated = careDate(c.abatementDateTime, 'abatementDateTime') ?? careDate(c.abatementPeriod?.end, 'abatementPeriod.end');
  const day = (ended ? (abated ?? recorded ?? onset) : (onset ?? recorded)) ?? reject('onsetDateTime', 'no onset or recorded date', null);
  const row = {
    claim_id: `Condition/${c.id}`,
    person_id: personId,
    service_date: day,
    claim_type: 'clinical',
    setting: ended ? 'problem_list_resolved' : 'problem_list',
    position: 1,
    icd10_code: dx.icd10,
    source_file: ctx.env.sourceFile,
  };
  checkRow(diagnoses, row);
  return { rows: [{ table: diagnoses, row }] };
}
