/**
 * Medical claims (Tuva `medical_claim`, one row per claim line) of a demo member over the two years to the as-of
 * date: office visits (professional, POS 11), ED visits (institutional, bill type 131, revenue code 0450) and inpatient
 * stays (bill type 111, with readmissions), at rates close to Medicare's for people with these conditions. Every line
 * of a claim repeats the claim's diagnoses, as real files do.
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

interface Claim {
  readonly kind: 'office' | 'ed' | 'inpatient';
  readonly start: number;
  readonly end: number;
  readonly diagnoses: readonly string[];
  readonly lines: readonly Line[];
  readonly paid: number;
  readonly drg?: string;
  readonly disposition?: string;
}

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

function unique(codes: readonly string[]): string[] {
  return [...new Set(codes)].slice(0, MAX_DIAGNOSES);
}

class MemberClaims {
  readonly claims: Claim[] = [];
  readonly documented: readonly string[];
  readonly chronic: boolean;

  constructor(
    private readonly person: Person,
    private readonly rng: Random,
    private readonly run: DemoRun,
  ) {
    this.documented = [...person.codes].filter(([c]) => !person.underDocumented.has(c)).map(([, code]) => code);
    this.chronic = person.conditions.size > 0;
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
  }

  ed(day: number, principal?: string): void {
    const { rng } = this;
    const reason = principal ?? (this.documented.length > 0 && rng.chance(0.3) ? rng.pick(this.documented) : rng.pick(ED_REASON_CODES));
    const lines: Line[] = [{ revenue: '0450', hcpcs: rng.chance(0.5) ? ED_VISIT_CODES[0] : ED_VISIT_CODES[1], units: 1, weight: 3 }];
    for (let n = rng.int(1, 3); n > 0; n--) lines.push({ ...rng.pick(ED_EXTRA_LINES), units: 1, weight: 1 });
    this.claims.push({ kind: 'ed', start: day, end: day, diagnoses: unique([reason, ...this.documented]), lines, paid: rng.uniform(800, 2000) });
  }

  /** an inpatient stay from `day`; returns the discharge day */
  inpatient(day: number): number {
    const { rng, person } = this;
    const reasons = [...person.conditions].filter((c) => this.has(c));
    let principal: string;
    let drg: string;
    if (reasons.length > 0 && rng.chance(0.55)) {
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
    const disposition = rng.weighted([['01', 65], ['06', 20], ['03', 15]] as const);
    const end = day + stay;
    this.claims.push({
      kind: 'inpatient',
      start: day,
      end,
      diagnoses: unique([principal, ...this.documented]),
      lines,
      paid: rng.uniform(8_000, 25_000),
      drg,
      disposition,
    });
    return end;
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
    for (const day of this.days(ipRate)) {
      const discharge = this.inpatient(day);
      if (rng.chance(readmitChance)) this.inpatient(discharge + rng.int(2, 29));
    }
    const alive = (day: number) => person.death === undefined || day <= person.death;
    return this.claims
      .filter((c) => c.end <= this.run.asOf && enrolledOn(person, c.start) && enrolledOn(person, c.end) && alive(c.end))
      .sort((a, b) => a.start - b.start);
  }
}

function corrupt(clean: MedicalRecord, defects: Defects): Corruption<Column> {
  const kind = defects.rng.weighted([['invalid_icd10', 3], ['impossible_date', 3], ['unknown_person', 2], ['negative_amount', 2]] as const);
  switch (kind) {
    case 'invalid_icd10':
      return { record: { ...clean, diagnosis_code_1: defects.invalidIcd10() }, field: 'diagnosis_code_1', kind };
    case 'unknown_person': {
      const id = defects.unknownPersonId();
      return { record: { ...clean, person_id: id, member_id: id }, field: 'person_id', kind };
    }
    case 'negative_amount':
      return { record: { ...clean, paid_amount: defects.negativeAmount(clean.paid_amount ?? '') }, field: 'paid_amount', kind };
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

const BILL_TYPE: Readonly<Record<Claim['kind'], string>> = { office: '', ed: '131', inpatient: '111' };

/** the columns every line of a claim shares */
function claimFields(claim: Claim, person: Person, run: DemoRun, rng: Random): MedicalRecord {
  const start = isoOf(claim.start);
  const end = isoOf(claim.end);
  const inpatient = claim.kind === 'inpatient';
  const record: MedicalRecord = {
    claim_id: nextMedicalClaimId(run),
    claim_type: claim.kind === 'office' ? 'professional' : 'institutional',
    person_id: person.id,
    member_id: person.id,
    payer: 'medicare',
    plan: 'medicare advantage',
    claim_start_date: start,
    claim_end_date: end,
    claim_line_start_date: start,
    claim_line_end_date: end,
    place_of_service_code: claim.kind === 'office' ? '11' : '',
    bill_type_code: BILL_TYPE[claim.kind],
    rendering_npi: npi(claim.kind === 'office' ? person.pcpNpi : 9_000 + rng.int(0, 999)),
    billing_npi: npi(claim.kind === 'office' ? person.pcpNpi : person.hospitalNpi),
    facility_npi: claim.kind === 'office' ? '' : npi(person.hospitalNpi),
    paid_date: isoOf(Math.min(run.asOf, claim.end + rng.int(10, 30))),
    diagnosis_code_type: 'icd-10-cm',
    in_network_flag: '1',
    data_source: DATA_SOURCE,
    file_name: 'medical_claim.csv',
    file_date: isoOf(run.asOf),
  };
  if (inpatient) {
    Object.assign(record, {
      admission_date: start,
      discharge_date: end,
      admit_source_code: rng.chance(0.7) ? '7' : '1',
      admit_type_code: rng.chance(0.8) ? '1' : '3',
      discharge_disposition_code: claim.disposition,
      drg_code_type: 'ms-drg',
      drg_code: claim.drg,
    } satisfies MedicalRecord);
  } else if (claim.kind === 'ed') {
    record.discharge_disposition_code = '01';
  }
  claim.diagnoses.forEach((code, i) => {
    record[`diagnosis_code_${i + 1}` as Column] = code;
    if (inpatient) record[`diagnosis_poa_${i + 1}` as Column] = 'Y';
  });
  return record;
}

/**
 * Share of claims the payer sends again, unchanged, in a later file (a batch resent after a transmission error, or a
 * refresh that repeats it): ingest counts each line once, the latest delivery winning (lib/tables/deliveries.ts).
 */
const RESEND_RATE = 0.02;

export function writeMedicalClaims(person: Person, run: DemoRun, defects: Defects | undefined): void {
  const rng = new Random(run.seed, person.index, STREAM.medical);
  // its own stream, so the resends change none of the records drawn from the others
  const resend = new Random(run.seed, person.index, STREAM.resend);
  const corruptCopy = (clean: MedicalRecord, d: Defects) =>
    corrupt({ ...clean, claim_id: nextMedicalClaimId(run), claim_line_number: '1' }, d);
  for (const claim of new MemberClaims(person, rng, run).build()) {
    const shared = claimFields(claim, person, run, rng);
    const resent = resend.chance(RESEND_RATE);
    const chargeRatio = rng.uniform(2, 4);
    let totalWeight = 0;
    for (const line of claim.lines) totalWeight += line.weight;
    claim.lines.forEach((line, i) => {
      const paid = (claim.paid * line.weight) / totalWeight;
      const allowed = paid / 0.8;
      const record: MedicalRecord = {
        ...shared,
        claim_line_number: String(i + 1),
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
}
