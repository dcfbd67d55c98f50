/**
 * Which CMS-HCC segment scores a member. New enrollees take the demographic-only new-enrollee factors whatever else
 * holds; long-term institutional members the institutional model; everyone else a community segment by dual status
 * (MMR dual status code) and age (aged: 65 or older).
 *
 * New enrollee is CMS's "fewer than 12 months of Medicare Part B entitlement in the data collection year": a fact
 * of Medicare entitlement, not of one payer's eligibility file. A gap in a payer's file (a lapsed month, a plan
 * switch, a late first delivery) says nothing about entitlement, and the new-enrollee model ignores every
 * diagnosis: on the Tuva synthetic claims it scored 6 of 10 members, most of them aged over 66 with years of
 * claims, on demographics alone. So a member is a new enrollee only when the data says so: fewer than 12 enrolled
 * months AND no diagnosis history in those months (nothing to score a continuing enrollee on). A member with
 * short eligibility but a diagnosis history is scored as a continuing enrollee.
 */
import { HccInputError } from './errors.js';
import type { HccSegment } from './types.js';

export type DualStatus = 'non' | 'full' | 'partial';

/** CMS dual status codes: 02, 04, 08 full-benefit dual; 01, 03, 05, 06 partial-benefit; 00, 09, 10, 99 not dual */
const DUAL_CODES: Readonly<Record<string, DualStatus>> = {
  '00': 'non', '09': 'non', '10': 'non', '99': 'non', NA: 'non',
  '02': 'full', '04': 'full', '08': 'full',
  '01': 'partial', '03': 'partial', '05': 'partial', '06': 'partial',
};

/** the dual status of a code as eligibility files carry it (padded or not, any case), undefined when not on the list */
const lookupDual = (code: string): DualStatus | undefined => {
  const key = code.trim().toUpperCase();
  return DUAL_CODES[/^\d$/.test(key) ? `0${key}` : key];
};

/** a code of the CMS list (two digits, or `NA`), as eligibility files carry it */
export function isDualStatusCode(code: string): boolean {
  return lookupDual(code) !== undefined;
}

/** the dual status of a member; no code (null or blank) is not dual */
export function dualStatus(code: string | null | undefined): DualStatus {
  if ((code ?? '').trim() === '') return 'non';
  const status = lookupDual(code!);
  if (!status) throw new HccInputError('dual_status_code', code, 'not a CMS dual status code (00-06, 08, 09, 10, 99)');
  return status;
}

export interface SegmentInput {
  readonly age: number;
  readonly dualStatusCode?: string | null;
  readonly institutional?: boolean;
  /** months enrolled in the 12 months to the as-of date; fewer than 12 with no diagnosis history makes a new enrollee */
  readonly enrolledMonths?: number;
  /** the member has diagnoses in the 12 months (claims history the continuing-enrollee model can score) @default true */
  readonly diagnosisHistory?: boolean;
}

const COMMUNITY: Record<DualStatus, 'CN' | 'CF' | 'CP'> = { non: 'CN', full: 'CF', partial: 'CP' };

export function segmentFor(m: SegmentInput): HccSegment {
  if (isNewEnrollee(m)) return 'NE';
  if (m.institutional) return 'INS';
  return `${COMMUNITY[dualStatus(m.dualStatusCode)]}${isAged(m.age) ? 'A' : 'D'}`;
}

/** fewer than 12 enrolled months and no diagnosis history: the data says the member is new (see the header) */
function isNewEnrollee(m: Pick<SegmentInput, 'enrolledMonths' | 'diagnosisHistory'>): boolean {
  return m.enrolledMonths !== undefined && m.enrolledMonths < 12 && m.diagnosisHistory === false;
}

export function isAged(age: number): boolean {
  return age >= 65;
}

export const SEGMENTS: Readonly<Record<HccSegment, string>> = {
  CNA: 'community, non-dual, aged',
  CND: 'community, non-dual, disabled',
  CFA: 'community, full-benefit dual, aged',
  CFD: 'community, full-benefit dual, disabled',
  CPA: 'community, partial-benefit dual, aged',
  CPD: 'community, partial-benefit dual, disabled',
  INS: 'long-term institutional',
  NE: 'new enrollee',
};
