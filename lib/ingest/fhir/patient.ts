/**
 * Patient → one `members` row. FHIR clinical exports (Synthea bulk data, device gateways) carry no Coverage, so a
 * Patient is a member from birth to death, open-ended while alive (end 9999-12-31): the population is everyone the
 * sender holds records for. When the same Bundle holds Coverage for the Patient, the Coverage periods are the spans
 * instead (coverage.ts) and the Patient makes none of its own.
 */
import { members } from '../../tables/index.js';
import type { Mapped } from '../mapper.js';
import { reject } from '../rejection.js';
import { checkRow } from '../row-schema.js';
import type { ResourceContext } from './context.js';
import { patientId } from './context.js';
import { careDate } from './dates.js';
import { parseResource, patient, type Patient } from './schemas.js';

export const OPEN_END = '9999-12-31';
const PATIENT_WITH_COVERAGE = 'Patient with Coverage in the same file (members spans from the Coverage)';

const SEX: Readonly<Record<string, string>> = { female: 'female', male: 'male' };

/**
 * the columns of a members row that come from the Patient, as its schema has read it (once per record): birth, sex
 * ('unknown' unless female/male), death
 */
export function demographics(p: Patient, personId: string) {
  const birth = careDate(p.birthDate, 'birthDate') ?? reject('birthDate', 'missing birthDate (a member needs one)', null);
  const death = careDate(p.deceasedDateTime, 'deceasedDateTime');
  if (death !== null && death < birth) reject('deceasedDateTime', 'death before birth', p.deceasedDateTime);
  return {
    person_id: personId,
    birth_date: birth,
    sex: SEX[p.gender ?? ''] ?? 'unknown',
    death_date: death,
    dual_status_code: null,
    hospice_flag: null,
    institutional_flag: null,
  };
}

export function mapPatient(json: unknown, fullUrl: string | undefined, ctx: ResourceContext): Mapped {
  const p = parseResource(patient, json);
  const personId = patientId(p.id, fullUrl) ?? reject('id', 'Patient without id', null);
  if (ctx.patients.covered(personId)) return { skip: PATIENT_WITH_COVERAGE };
  const person = demographics(p, personId);
  const row = {
    ...person,
    member_id: null,
    enrollment_start_date: person.birth_date,
    enrollment_end_date: person.death_date ?? OPEN_END,
    payer: null,
    payer_type: null,
    source_file: ctx.env.sourceFile,
  };
  checkRow(members, row);
  ctx.env.addPerson(personId);
  return { rows: [{ table: members, row }] };
}
