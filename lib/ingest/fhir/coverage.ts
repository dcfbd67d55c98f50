/**
 * Coverage → one `members` row per coverage period, when its beneficiary's Patient is in the same file (a payer's
 * Bundle: Patient with its Coverages), since a members row needs the Patient's birth date and sex. The span is
 * Coverage.period (open-ended without an end), payer the payor's name, payer_type 'medicare'/'medicaid' when the
 * plan group says so (Blue Button: class group "Medicare"), member_id the subscriberId. Such a Patient then makes no
 * span of its own (patient.ts). A Coverage whose Patient is elsewhere is skipped: the Patient's own span stands.
 * Cancelled Coverage is skipped; one entered in error is rejected, as is one whose period is not a start day with an
 * end day not before it, and its Patient then keeps its own span (makesSpan checks the period as mapCoverage does).
 */
import { members } from '../../tables/index.js';
import type { Mapped } from '../mapper.js';
import { RecordRejected, reject } from '../rejection.js';
import { checkRow } from '../row-schema.js';
import { hasCode } from './codes.js';
import type { ResourceContext } from './context.js';
import { careDate } from './dates.js';
import { OPEN_END, demographics } from './patient.js';
import { coverage, parseResource, patient as patientSchema, type Coverage } from './schemas.js';

const COVERAGE_WITHOUT_PATIENT = 'Coverage without its Patient in the same file (members span from the Patient)';
const SPANLESS = new Set(['cancelled', 'entered-in-error']);

/**
 * The members span of a Coverage that is not cancelled: a start day and an end day not before it (open-ended without
 * one), or the record rejected. Both makesSpan and mapCoverage go through it, so a Patient gives up its own span only
 * for a Coverage that will really make one.
 */
export function coverageSpan(c: Coverage): { start: string; end: string } {
  const start = careDate(c.period?.start, 'period.start') ?? reject('period.start', 'no coverage period', null);
  const end = careDate(c.period?.end, 'period.end') ?? OPEN_END;
  if (end < start) reject('period.end', 'end before start', c.period?.end);
  return { start, end };
}

/** a Coverage that will make a members span for its Patient (so the Patient makes none) */
export function makesSpan(json: unknown): boolean {
  const c = coverage.safeParse(json);
  if (!c.success || SPANLESS.has(c.data.status)) return false;
  try {
    coverageSpan(c.data);
    return true;
  } catch (e) {
    if (e instanceof RecordRejected) return false;
    throw e;
  }
}

function payerType(c: { class?: { type: { coding?: { code?: string }[] }; value: string }[] | undefined }): string | null {
  const group = c.class?.find((k) => hasCode(k.type, 'group'))?.value.toLowerCase() ?? '';
  return group.includes('medicare') ? 'medicare' : group.includes('medicaid') ? 'medicaid' : null;
}

export function mapCoverage(json: unknown, ctx: ResourceContext): Mapped {
  const c = parseResource(coverage, json);
  if (c.status === 'entered-in-error') reject('status', 'entered in error', c.status);
  if (SPANLESS.has(c.status)) return { skip: `${c.status} Coverage` };
  const patient = ctx.patients.get(c.beneficiary.reference);
  if (patient === undefined) return { skip: COVERAGE_WITHOUT_PATIENT };
  const { start, end } = coverageSpan(c);
  const payor = c.payor?.[0];
  const row = {
    ...demographics(parseResource(patientSchema, patient.json), patient.personId),
    member_id: c.subscriberId ?? null,
    enrollment_start_date: start,
    enrollment_end_date: end,
    payer: payor?.display ?? payor?.identifier?.value ?? null,
    payer_type: payerType(c),
    source_file: ctx.env.sourceFile,
  };
  checkRow(members, row);
  ctx.env.addPerson(patient.personId);
  return { rows: [{ table: members, row }] };
}
