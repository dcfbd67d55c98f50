/**
 * Medical claims (Tuva `medical_claim`, one row per claim line) of a demo member over the two years to the as-of
 * date: office visits (professional, POS 11), ED visits (institutional, bill type 131, revenue code 0450) and inpatient
 * stays (bill type 111, with readmissions), at rates close to Medicare's for people with these conditions. Every line
 * of a claim repeats the claim's diagnoses, as real files do.
 *
 * The quirks of real payer extracts (issue 11), each from its own random stream (STREAM.claimQuirks) so the clean
 * claims stay as they were:
 *   - header amounts: every line of an institutional claim repeats the claim's paid, allowed and charge amounts (as
 *     many extracts do; professional lines keep their own), so the file is detected as header amounts;
 *   - reversal and replacement pairs: 2 % of claims are reversed (their lines again, amounts negated, on the same
 *     claim id) and sent again under a new claim id, at 90-105 % of the first amount;
 *   - lab-only claims (independent laboratory, POS 81) carrying diagnoses: 1 a year (3 for the chronically ill), 6 %
 *     of them with a code no visit supports (HIV B20, metastatic cancer C787, a heart-failure code for a member
 *     without it: a rule-out coded as a diagnosis);
 *   - several claims of one visit on one day: 15 % of office visits come with a second professional claim the same day;
 *   - hospice, SNF and home-health claims: a transfer to SNF (03) is followed by a SNF stay (bill type 211), a
 *     discharge to home health (06) by a home-health episode (321), a discharge to hospice (50, in the last 90 days)
 *     by a hospice claim (811), a transfer to inpatient rehabilitation (62) by a rehabilitation stay (111, DRG 945);
 *   - emergency admissions through the ED: admission types emergency 55 %, urgent 15 %, elective 30 %; half the
 *     emergency stays carry an ED revenue line (0450), a third come with an ED claim the day of admission or before;
 *   - discharges: home 52 %, home health 20 %, SNF 15 %, rehabilitation 6 %, other hospital 2 %, hospice 2 % (recent
 *     stays only), against advice 3 %;
 *   - high-risk members whose risk belongs to no program: 1.5 % have metastatic cancer (C787, C7951, C7800), coded on
 *     their visits, with admissions for it.
 */
import {
  CONDITION_DRGS,
  ED_REASON_CODES,
  npi,
  OTHER_ADMISSIONS,
  ROUTINE_VISIT_CODES,
  type Condition,
} from './codes.js';
import type { CsvRecord } from './csv.js';
import { isoOf } from '../dates.js';
import { writeCsvRecord, type Corruption, type Defects } from './defects.js';
import { DATA_SOURCE, type DemoRun } from './output.js';
import { enrolledOn, STREAM, type Person } from './population.js';
import { Random } from './random.js';
import { medicalClaimLayout } from './tuva-layout.js';

type Column = (typeof medicalClaimLayout.columns)[number];
type MedicalRecord = CsvRecord<Column>;

const MAX_DIAGNOSES = 25;

interface Line {
  readonly revenue?: string;
  readonly hcpcs?: string;
  readonly units: number;
  /** share of the claim's amount */
  readonly weight: number;
}

type ClaimKind = 'office' | 'lab' | 'ed' | 'inpatient' | 'rehab' | 'snf' | 'home_health' | 'hospice';

interface Claim {
  readonly kind: ClaimKind;
  readonly start: number;
  readonly end: number;
  readonly diagnoses: readonly string[];
  readonly lines: readonly Line[];
  readonly paid: number;
  readonly drg?: string;
  readonly admitType?: string;
  readonly disposition?: string;
  /** reversed, then sent again under a new claim id at this share of the amount */
  readonly replacedAt?: number;
}

/** the quirks' rates (see the header) */
const QUIRK = {
  reversed: 0.02,
  sameDaySecondClaim: 0.15,
  labsPerYear: { chronic: 3, other: 1 },
  labRuleOut: 0.06,
  emergencyViaEdRevenue: 0.5,
  emergencyViaEdClaim: 0.33,
  hospiceWithinDays: 90,
  cancer: 0.015,
} as const;

/** codes a lab draw can carry that no visit supports: rule-outs coded as diagnoses */
const LAB_RULE_OUT_CODES = ['B20', 'C787', 'I5022'];
const CANCER_CODES = ['C787', 'C7951', 'C7800'];
const CANCER_DRGS = ['180', '181', '182', '542', '543'];

/** how much more often than others a member with the condition is admitted for it */
const ADMISSION_WEIGHT: Readonly<Record<Condition, number>> = { heart_failure: 3, copd: 3, ckd: 1, diabetes: 1, hypertension: 0.5 };

/*
 * Procedure codes are HCPCS Level II only: CPT codes (the usual office and ED visit codes) are licensed by the AMA and
 * must not ship with the project (see shared reference PROVENANCE). So an office visit is billed here with Medicare's
 * wellness-visit G codes, an ED visit with the type B emergency visit G codes, and ancillary lines with revenue codes.
 */
const OFFICE_VISIT_CODES = ['G0439', 'G0438'];
const OFFICE_EXTRA_LINES = ['G2211', 'G0444', 'G0442', 'G0446'];
const ED_VISIT_CODES = ['G0383', 'G0384'];
const ED_EXTRA_LINES = [
  { revenue: '0300', hcpcs: '' },
  { revenue: '0320', hcpcs: '' },
  { revenue: '0250', hcpcs: 'J7030' },
  { revenue: '0730', hcpcs: '' },
];
const INPATIENT_EXTRA_LINES = ['0250', '0300', '0270', '0320', '0730', '0410'];
const POST_ACUTE_LINES: Readonly<Record<'snf' | 'home_health' | 'hospice' | 'rehab', readonly string[]>> = {
  snf: ['0191', '0250', '0420', '0430'],
  home_health: ['0023', '0551', '0421', '0431'],
  hospice: ['0651', '0652', '0657'],
  rehab: ['0118', '0420', '0430', '0440'],
};

function unique(codes: readonly string[]): string[] {
  return [...new Set(codes)].slice(0, MAX_DIAGNOSES);
}

class MemberClaims {
  readonly claims: Claim[] = [];
  readonly documented: readonly string[];
  readonly chronic: boolean;
  /** metastatic cancer, coded on visits and admitted for: risk that belongs to no program */
  readonly cancer: string | undefined;

  constructor(
    private readonly person: Person,
    private readonly rng: Random,
    private readonly quirks: Random,
    private readonly run: DemoRun,
  ) {
    this.cancer = quirks.chance(QUIRK.cancer) ? quirks.pick(CANCER_CODES) : undefined;
    const program = [...person.codes].filter(([c]) => !person.underDocumented.has(c)).map(([, code]) => code);
    this.documented = this.cancer ? [this.cancer, ...program] : program;
    this.chronic = person.conditions.size > 0 || this.cancer !== undefined;
  }

  has(c: Condition): boolean {
    return this.person.conditions.has(c) && !this.person.underDocumented.has(c);
  }

  /** event days: a Poisson number per year, spread uniformly over the history */
  days(perYear: number): number[] {
    const n = this.rng.poisson(perYear * 2);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(this.rng.int(this.run.historyStart, this.run.asOf));
    return out.sort((a, b) => a - b);
  }

  office(day: number, extraCode?: string): void {
    const { rng } = this;
    const reason = this.documented.length > 0 && rng.chance(0.7) ? rng.pick(this.documented) : rng.pick(ROUTINE_VISIT_CODES);
    const lines: Line[] = [{ hcpcs: rng.chance(0.6) ? OFFICE_VISIT_CODES[0] : OFFICE_VISIT_CODES[1], units: 1, weight: 4 }];
    for (let n = rng.int(0, 2); n > 0; n--) lines.push({ hcpcs: rng.pick(OFFICE_EXTRA_LINES), units: 1, weight: 1 });
    const diagnoses = unique([reason, ...this.documented, ...(extraCode ? [extraCode] : [])]);
    this.claims.push({ kind: 'office', start: day, end: day, diagnoses, lines, paid: rng.uniform(95, 175) + 12 * (lines.length - 1) });
    // the same visit billed on a second claim (another clinician of the practice): one day, not two claims
    if (this.quirks.chance(QUIRK.sameDaySecondClaim)) {
      this.claims.push({ kind: 'office', start: day, end: day, diagnoses, lines: [{ hcpcs: rng.pick(OFFICE_EXTRA_LINES), units: 1, weight: 1 }], paid: this.quirks.uniform(20, 80) });
    }
  }

  /** a draw at an independent laboratory, coded with the member's conditions or, now and then, a rule-out */
  lab(day: number): void {
    const q = this.quirks;
    const coded = this.documented.length > 0 ? [q.pick(this.documented)] : [q.pick(ROUTINE_VISIT_CODES)];
    const ruleOut = q.chance(QUIRK.labRuleOut) ? [q.pick(LAB_RULE_OUT_CODES)] : [];
    const lines: Line[] = Array.from({ length: q.int(1, 3) }, () => ({ units: 1, weight: 1 }));
    this.claims.push({ kind: 'lab', start: day, end: day, diagnoses: unique([...ruleOut, ...coded]), lines, paid: q.uniform(12, 60) * lines.length });
  }

  ed(day: number, principal?: string): void {
    const { rng } = this;
    const reason = principal ?? (this.documented.length > 0 && rng.chance(0.3) ? rng.pick(this.documented) : rng.pick(ED_REASON_CODES));
    const lines: Line[] = [{ revenue: '0450', hcpcs: rng.chance(0.5) ? ED_VISIT_CODES[0] : ED_VISIT_CODES[1], units: 1, weight: 3 }];
    for (let n = rng.int(1, 3); n > 0; n--) lines.push({ ...rng.pick(ED_EXTRA_LINES), units: 1, weight: 1 });
    this.claims.push({ kind: 'ed', start: day, end: day, diagnoses: unique([reason, ...this.documented]), lines, paid: rng.uniform(800, 2000) });
  }

  /** an inpatient stay from `day`, with what followed it; returns the discharge day (to the community, or not) */
  inpatient(day: number): number {
    const { rng, person } = this;
    const q = this.quirks;
    const reasons = [...person.conditions].filter((c) => this.has(c));
    let principal: string;
    let drg: string;
    if (this.cancer && q.chance(0.5)) {
      principal = this.cancer;
      drg = q.pick(CANCER_DRGS);
    } else if (reasons.length > 0 && rng.chance(0.55)) {
      const c = rng.weighted(reasons.map((r) => [r, ADMISSION_WEIGHT[r]] as const));
      principal = person.codes.get(c) as string;
      drg = rng.pick(CONDITION_DRGS[c]);
    } else {
      const other = rng.pick(OTHER_ADMISSIONS);
      principal = rng.pick(other.diagnosis);
      drg = rng.pick(other.drg);
    }
    const stay = 2 + rng.poisson(2.5);
    const lines: Line[] = [{ revenue: '0120', units: stay, weight: 6 }];
    for (let n = rng.int(2, 5); n > 0; n--) lines.push({ revenue: rng.pick(INPATIENT_EXTRA_LINES), units: rng.int(1, 12), weight: 1 });
    rng.weighted([['01', 65], ['06', 20], ['03', 15]] as const); // the clean draw, kept so the other draws stay where they were
    const admitType = q.weighted([['1', 55], ['2', 15], ['3', 30]] as const);
    if (admitType === '1' && q.chance(QUIRK.emergencyViaEdRevenue)) lines.push({ revenue: '0450', units: 1, weight: 1 });
    else if (admitType === '1' && q.chance(QUIRK.emergencyViaEdClaim)) this.ed(day - q.int(0, 1), principal);
    const end = day + stay;
    const recent = end >= this.run.asOf - QUIRK.hospiceWithinDays;
    const disposition = q.weighted([['01', 52], ['06', 20], ['03', 15], ['62', 6], ['02', 2], ['50', recent ? 2 : 0], ['07', 3]] as const);
    const diagnoses = unique([principal, ...this.documented]);
    this.claims.push({ kind: 'inpatient', start: day, end, diagnoses, lines, paid: rng.uniform(8_000, 25_000), drg, admitType, disposition });
    return this.postAcute(disposition, end, diagnoses);
  }

  /** the post-acute stay a disposition leads to; returns the day the member is back in the community */
  private postAcute(disposition: string, discharge: number, diagnoses: readonly string[]): number {
    const q = this.quirks;
    const stay = (kind: 'snf' | 'home_health' | 'hospice' | 'rehab', start: number, days: number, paid: number, extra: Partial<Claim> = {}): number => {
      const lines: Line[] = POST_ACUTE_LINES[kind].slice(0, q.int(2, 4)).map((revenue, i) => ({ revenue, units: i === 0 ? days : q.int(1, 10), weight: i === 0 ? 4 : 1 }));
      this.claims.push({ kind, start, end: start + days, diagnoses, lines, paid, disposition: '01', ...extra });
      return start + days;
    };
    switch (disposition) {
      case '03':
        return stay('snf', discharge, q.int(7, 25), q.uniform(6_000, 14_000), { admitType: '3' });
      case '62':
        return stay('rehab', discharge, q.int(8, 14), q.uniform(15_000, 24_000), { admitType: '3', drg: '945', disposition: q.chance(0.7) ? '01' : '06' });
      case '06':
        stay('home_health', discharge + 1, q.int(30, 60), q.uniform(2_000, 4_500));
        return discharge;
      case '50':
        stay('hospice', discharge, q.int(10, 40), q.uniform(4_000, 9_000), { disposition: '40' });
        return discharge;
      default:
        return discharge;
    }
  }

  build(): Claim[] {
    const { person, rng } = this;
    const conditionsCoded = this.documented.length;
    const officeDays = this.days(this.chronic ? 3.5 + 0.8 * conditionsCoded : 1.8);
    const underDocumented = [...person.underDocumented].map((c) => person.codes.get(c) as string);
    officeDays.forEach((day, i) => this.office(day, underDocumented[i]));

    const edRate = this.chronic ? 0.5 + (this.has('heart_failure') ? 0.25 : 0) + (this.has('copd') ? 0.2 : 0) : 0.15;
    for (const day of this.days(edRate)) this.ed(day);
    const det = person.deterioration;
    if (det) this.ed(det.edVisit, person.codes.get(det.program));

    const ipRate = this.chronic
      ? 0.17 + (this.has('heart_failure') ? 0.2 : 0) + (this.has('copd') ? 0.12 : 0) + (this.has('ckd') ? 0.05 : 0) + (this.has('diabetes') ? 0.04 : 0)
      : 0.04;
    const readmitChance = this.has('heart_failure') ? 0.22 : 0.14;
    for (const day of this.days(ipRate + (this.cancer ? 0.8 : 0))) {
      const home = this.inpatient(day);
      if (rng.chance(readmitChance)) this.inpatient(home + rng.int(2, 29));
    }
    const labs = this.quirks.poisson(2 * (this.chronic ? QUIRK.labsPerYear.chronic : QUIRK.labsPerYear.other));
    for (let i = 0; i < labs; i++) this.lab(this.quirks.int(this.run.historyStart, this.run.asOf));

    const alive = (day: number) => person.death === undefined || day <= person.death;
    return this.claims
      .filter((c) => c.end <= this.run.asOf && enrolledOn(person, c.start) && enrolledOn(person, c.end) && alive(c.end))
      .map((c) => (this.quirks.chance(QUIRK.reversed) ? { ...c, replacedAt: this.quirks.uniform(0.9, 1.05) } : c))
      .sort((a, b) => a.start - b.start);
  }
}

function corrupt(clean: MedicalRecord, defects: Defects): Corruption<Column> {
  // a negative amount is no defect of a medical claim: it reverses or adjusts it (the quirks above)
  const kind = defects.rng.weighted([['invalid_icd10', 3], ['impossible_date', 3], ['unknown_person', 2]] as const);
  switch (kind) {
    case 'invalid_icd10':
      return { record: { ...clean, diagnosis_code_1: defects.invalidIcd10() }, field: 'diagnosis_code_1', kind };
    case 'unknown_person': {
      const id = defects.unknownPersonId();
      return { record: { ...clean, person_id: id, member_id: id }, field: 'person_id', kind };
    }
    case 'impossible_date': {
      const start = clean.claim_start_date ?? '';
      if (defects.rng.chance(0.5)) {
        const end = defects.dateBefore(start);
        return { record: { ...clean, claim_end_date: end, claim_line_end_date: end }, field: 'claim_end_date', kind };
      }
      const bad = defects.impossibleDate(start);
      return { record: { ...clean, claim_start_date: bad, claim_line_start_date: bad }, field: 'claim_start_date', kind };
    }
  }
}

function money(n: number): string {
  return n.toFixed(2);
}

export function nextMedicalClaimId(run: DemoRun): string {
  return `MC${String(++run.claimIds.medical).padStart(10, '0')}`;
}

const BILL_TYPE: Readonly<Record<ClaimKind, string>> = { office: '', lab: '', ed: '131', inpatient: '111', rehab: '111', snf: '211', home_health: '321', hospice: '811' };
const PLACE_OF_SERVICE: Readonly<Record<ClaimKind, string>> = { office: '11', lab: '81', ed: '', inpatient: '', rehab: '', snf: '', home_health: '', hospice: '' };
const professional = (kind: ClaimKind): boolean => kind === 'office' || kind === 'lab';

/** the columns every line of a claim shares */
function claimFields(claim: Claim, person: Person, run: DemoRun, rng: Random): MedicalRecord {
  const start = isoOf(claim.start);
  const end = isoOf(claim.end);
  const stay = claim.kind === 'inpatient' || claim.kind === 'rehab' || claim.kind === 'snf';
  const prof = professional(claim.kind);
  const record: MedicalRecord = {
    claim_id: nextMedicalClaimId(run),
    claim_type: prof ? 'professional' : 'institutional',
    person_id: person.id,
    member_id: person.id,
    payer: 'medicare',
    plan: 'medicare advantage',
    claim_start_date: start,
    claim_end_date: end,
    claim_line_start_date: start,
    claim_line_end_date: end,
    place_of_service_code: PLACE_OF_SERVICE[claim.kind],
    bill_type_code: BILL_TYPE[claim.kind],
    rendering_npi: npi(claim.kind === 'office' ? person.pcpNpi : 9_000 + rng.int(0, 999)),
    billing_npi: npi(claim.kind === 'office' ? person.pcpNpi : person.hospitalNpi),
    facility_npi: prof ? '' : npi(person.hospitalNpi),
    paid_date: isoOf(Math.min(run.asOf, claim.end + rng.int(10, 30))),
    diagnosis_code_type: 'icd-10-cm',
    in_network_flag: '1',
    data_source: DATA_SOURCE,
    file_name: 'medical_claim.csv',
    file_date: isoOf(run.asOf),
  };
  if (stay) {
    Object.assign(record, {
      admission_date: start,
      discharge_date: end,
      admit_source_code: claim.kind === 'inpatient' ? (rng.chance(0.7) ? '7' : '1') : '4',
      admit_type_code: claim.admitType ?? '3',
      discharge_disposition_code: claim.disposition,
      ...(claim.drg && { drg_code_type: 'ms-drg', drg_code: claim.drg }),
    } satisfies MedicalRecord);
  } else if (!prof) {
    record.discharge_disposition_code = claim.disposition ?? '01';
  }
  claim.diagnoses.forEach((code, i) => {
    record[`diagnosis_code_${i + 1}` as Column] = code;
    if (stay) record[`diagnosis_poa_${i + 1}` as Column] = 'Y';
  });
  return record;
}

/**
 * The lines of one claim: a professional claim's lines share its amount by weight; an institutional claim's lines
 * each repeat the claim's header amounts (the file's convention, see the header). `sign` -1 writes the reversal.
 */
function writeClaimLines(
  claim: Claim,
  shared: MedicalRecord,
  run: DemoRun,
  defects: Defects | undefined,
  chargeRatio: number,
  first = 1,
  sign = 1,
  share = 1,
  resent = false,
): void {
  const corruptCopy = (clean: MedicalRecord, d: Defects) => corrupt({ ...clean, claim_id: nextMedicalClaimId(run), claim_line_number: '1' }, d);
  let totalWeight = 0;
  for (const line of claim.lines) totalWeight += line.weight;
  const header = !professional(claim.kind);
  claim.lines.forEach((line, i) => {
    const paid = sign * share * (header ? claim.paid : (claim.paid * line.weight) / totalWeight);
    const allowed = paid / 0.8;
    const record: MedicalRecord = {
      ...shared,
      claim_line_number: String(first + i),
      revenue_center_code: line.revenue ?? '',
      hcpcs_code: line.hcpcs ?? '',
      service_unit_quantity: String(line.units),
      paid_amount: money(paid),
      allowed_amount: money(allowed),
      charge_amount: money(allowed * chargeRatio),
      coinsurance_amount: money(allowed - paid),
    };
    writeCsvRecord(run.medicalClaims, medicalClaimLayout, record, defects, corruptCopy);
    if (resent) run.medicalClaimsResent.write(medicalClaimLayout.row(record));
  });
}

/**
 * Share of claims the payer sends again, unchanged, in a later file (a batch resent after a transmission error, or a
 * refresh that repeats it): ingest counts each line once, the latest delivery winning (lib/tables/deliveries.ts).
 */
const RESEND_RATE = 0.02;

export function writeMedicalClaims(person: Person, run: DemoRun, defects: Defects | undefined): void {
  const rng = new Random(run.seed, person.index, STREAM.medical);
  const quirks = new Random(run.seed, person.index, STREAM.claimQuirks);
  // its own stream, so the resends change none of the records drawn from the others
  const resend = new Random(run.seed, person.index, STREAM.resend);
  for (const claim of new MemberClaims(person, rng, quirks, run).build()) {
    const shared = claimFields(claim, person, run, rng);
    const resent = resend.chance(RESEND_RATE);
    const chargeRatio = rng.uniform(2, 4);
    writeClaimLines(claim, shared, run, defects, chargeRatio, 1, 1, 1, resent);
    if (claim.replacedAt === undefined) continue;
    // reversed (the same claim id, its lines again with the amounts negated) and sent again under a new id
    writeClaimLines(claim, shared, run, undefined, chargeRatio, claim.lines.length + 1, -1);
    writeClaimLines(claim, { ...shared, claim_id: nextMedicalClaimId(run) }, run, undefined, chargeRatio, 1, 1, claim.replacedAt);
  }
}
