import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCalendarDate } from '../../lib/tables/define.js';
import { deviceReadingSchema, type DeviceReading } from '../../lib/ingest/device-format.js';
import { LANDING_KEYS, TRUTH_KEY } from '../../lib/demo/index.js';
import { dayOf } from '../../lib/dates.js';
import { loadConditionCodes } from '../../lib/demo/codes.js';
import { LAB_RESULT_HEADER } from '../../lib/demo/labs.js';
import { makePerson } from '../../lib/demo/population.js';
import { ELIGIBILITY_HEADER, MEDICAL_CLAIM_HEADER, PHARMACY_CLAIM_HEADER } from '../../lib/demo/tuva-layout.js';
import { AS_OF, generate, type Generated } from './fixture.js';

import { TUVA_SAMPLES as SAMPLES } from '../samples.js';
const SEED = 7;
const DAY = 86_400_000;
const asOfMs = Date.parse(`${AS_OF}T00:00:00Z`);
const daysBeforeAsOf = (iso: string) => Math.round((asOfMs - Date.parse(`${iso}T00:00:00Z`)) / DAY);
const ICD10_SHAPE = /^[A-Z][0-9][0-9A-Z]{1,5}$/;
const SIGNAL = { hypertension: 'rising_bp', heart_failure: 'weight_gain', copd: 'falling_spo2', diabetes: 'high_glucose' } as const;

function readingsByPerson(readings: DeviceReading[]): Map<string, DeviceReading[]> {
  const out = new Map<string, DeviceReading[]>();
  for (const r of readings) out.set(r.person_id, [...(out.get(r.person_id) ?? []), r]);
  return out;
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/** which program measures of a member slide near the as-of date, judged on the readings alone (canonical units) */
function slides(readings: DeviceReading[]): Record<keyof typeof SIGNAL, boolean> {
  const within = (days: number, code: string) => readings.filter((r) => r.code === code && daysBeforeAsOf(r.measured_at.slice(0, 10)) < days);
  const between = (from: number, to: number, code: string) =>
    readings.filter((r) => r.code === code && daysBeforeAsOf(r.measured_at.slice(0, 10)) >= from && daysBeforeAsOf(r.measured_at.slice(0, 10)) < to);
  const sbp = (rs: DeviceReading[]) => rs.map((r) => r.components!.find((c) => c.code === '8480-6')!.value);
  const kg = (rs: DeviceReading[]) => rs.map((r) => (r.unit === '[lb_av]' ? r.value! * 0.45359237 : r.value!));
  const mgdl = (rs: DeviceReading[]) => rs.map((r) => (r.unit === 'mmol/L' ? r.value! * 18.016 : r.value!));
  const recentBp = sbp(within(5, '85354-9'));
  const earlyBp = sbp(between(25, 60, '85354-9'));
  const week = kg(within(7, '29463-7'));
  const spo2 = within(5, '59408-5').map((r) => r.value!);
  const earlySpo2 = between(25, 60, '59408-5').map((r) => r.value!);
  const glucose = mgdl(within(14, '41653-7'));
  return {
    hypertension: recentBp.length >= 2 && earlyBp.length >= 2 && mean(recentBp) > 150 && mean(recentBp) - mean(earlyBp) >= 15,
    heart_failure: week.length >= 2 && week.at(-1)! - week[0]! >= 1.8,
    copd: spo2.length >= 2 && earlySpo2.length >= 2 && Math.min(...spo2) <= 89 && mean(spo2) <= 91 && mean(earlySpo2) - mean(spo2) >= 3,
    diabetes: glucose.length >= 3 && mean(glucose) > 220,
  };
}

describe('generateDemo on 2,000 members', () => {
  let g: Generated;
  let eligibility: Record<string, string>[];
  let medical: Record<string, string>[];
  let pharmacy: Record<string, string>[];
  let devices: unknown[];
  let labs: Record<string, string>[];
  let resent: Record<string, string>[];

  beforeAll(async () => {
    g = await generate(2_000, SEED);
    [eligibility, medical, pharmacy, devices, labs, resent] = await Promise.all([
      g.csv(LANDING_KEYS.eligibility),
      g.csv(LANDING_KEYS.medicalClaims),
      g.csv(LANDING_KEYS.pharmacyClaims),
      g.ndjson(LANDING_KEYS.deviceReadings),
      g.csv(LANDING_KEYS.labResults),
      g.csv(LANDING_KEYS.medicalClaimsResent),
    ]);
  });
  afterAll(() => g.dispose());

  it('writes the Tuva input-layer headers, identical to the Tuva sample files', async () => {
    const files = [
      [LANDING_KEYS.eligibility, ELIGIBILITY_HEADER, 'eligibility_seed.csv'],
      [LANDING_KEYS.medicalClaims, MEDICAL_CLAIM_HEADER, 'medical_claim_seed.csv'],
      [LANDING_KEYS.pharmacyClaims, PHARMACY_CLAIM_HEADER, 'pharmacy_claim_seed.csv'],
    ] as const;
    for (const [key, header, sample] of files) {
      expect((await g.text(key)).slice(0, header.length + 1)).toBe(`${header}\n`);
      expect(header.split(',')).toContain('person_id');
      const path = `${SAMPLES}/${sample}`;
      expect(readFileSync(path, 'utf8').split(/\r?\n/)[0]).toBe(header);
    }
    expect(MEDICAL_CLAIM_HEADER.split(',')).toHaveLength(148);
    // the lab sample quotes every header field; the names and their order are the same
    expect((await g.text(LANDING_KEYS.labResults)).split('\n')[0]).toBe(LAB_RESULT_HEADER);
    expect(readFileSync(`${SAMPLES}/lab_result_seed.csv`, 'utf8').split(/\r?\n/)[0]!.replaceAll('"', '')).toBe(LAB_RESULT_HEADER);
  });

  it('writes HbA1c results for most members with diabetes, every few months of the last year, spread as in Medicare', async () => {
    const codes = await loadConditionCodes();
    const people = Array.from({ length: 2_000 }, (_, i) => makePerson(SEED, i, dayOf(AS_OF), codes));
    const diabetic = new Set(people.filter((p) => p.conditions.has('diabetes')).map((p) => p.id));
    const tested = new Set(labs.map((r) => r.person_id!));
    for (const p of tested) expect(diabetic.has(p), p).toBe(true);
    // 80 % of members with diabetes are tested (NO_TEST_SHARE 0.2)
    const share = [...diabetic].filter((p) => tested.has(p)).length / diabetic.size;
    expect(share).toBeGreaterThan(0.72);
    expect(share).toBeLessThan(0.88);
    const values = labs.map((r) => Number(r.result));
    for (const r of labs) {
      expect(r.normalized_component_code).toBe('4548-4');
      expect(r.source_units).toBe('%');
      expect(daysBeforeAsOf(r.result_datetime!.slice(0, 10))).toBeGreaterThanOrEqual(0);
      expect(daysBeforeAsOf(r.result_datetime!.slice(0, 10))).toBeLessThan(365);
    }
    expect(Math.min(...values)).toBeGreaterThanOrEqual(5.4);
    expect(Math.max(...values)).toBeLessThanOrEqual(14);
    // mean 7.3 % (MEAN), one result a quarter: about 4 per member tested
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeGreaterThan(7.0);
    expect(mean).toBeLessThan(7.7);
    expect(labs.length / tested.size).toBeGreaterThan(3);
    expect(labs.length / tested.size).toBeLessThanOrEqual(5);
  });

  it('reports the records it wrote per file and stores the truth', async () => {
    const counts = Object.fromEntries(g.truth.files.map((f) => [f.key, f.records]));
    expect(counts).toEqual({
      [LANDING_KEYS.eligibility]: eligibility.length,
      [LANDING_KEYS.medicalClaims]: medical.length,
      [LANDING_KEYS.medicalClaimsResent]: resent.length,
      [LANDING_KEYS.pharmacyClaims]: pharmacy.length,
      [LANDING_KEYS.deviceReadings]: devices.length,
      [LANDING_KEYS.labResults]: labs.length,
    });
    expect(JSON.parse(await g.text(TRUTH_KEY))).toEqual(g.truth);
    expect(g.truth).toMatchObject({ asOf: AS_OF, seed: SEED, members: 2_000 });
  });

  it('resends about 2% of the claims, whole and unchanged, in a later file (ingest counts each line once)', () => {
    const line = (r: Record<string, string>) => JSON.stringify(r);
    const main = new Set(medical.map(line));
    expect(resent.every((r) => main.has(line(r)))).toBe(true);
    const claims = (rows: Record<string, string>[]) => new Set(rows.map((r) => r.claim_id!));
    const share = claims(resent).size / claims(medical).size;
    expect(share).toBeGreaterThan(0.01);
    expect(share).toBeLessThan(0.03);
    // whole claims: every line of a resent claim is resent
    const linesOf = (rows: Record<string, string>[], id: string) => rows.filter((r) => r.claim_id === id).length;
    for (const id of [...claims(resent)].slice(0, 20)) expect(linesOf(resent, id)).toBe(linesOf(medical, id));
  });

  it('enrolls everyone on the as-of date but a small share, some with several spans', () => {
    const spans = new Map<string, Record<string, string>[]>();
    for (const r of eligibility.filter((r) => isCalendarDate(r.enrollment_start_date!) && r.enrollment_end_date! >= r.enrollment_start_date!)) {
      spans.set(r.person_id!, [...(spans.get(r.person_id!) ?? []), r]);
    }
    expect(spans.size).toBe(2_000);
    expect([...spans.keys()][0]).toBe('P0000001');
    const enrolled = [...spans.values()].filter((s) => s.some((r) => r.enrollment_start_date! <= AS_OF && AS_OF <= r.enrollment_end_date!));
    expect(enrolled.length / 2_000).toBeGreaterThan(0.93);
    expect(enrolled.length).toBeLessThan(2_000);
    // 2.5 % with a gap of 1-4 months before the last 8 months, and the file gaps of the quirks (6 % of those enrolled
    // for over 15 months): about 50 + 100 of 2,000
    const several = [...spans.values()].filter((s) => s.length > 1).length;
    expect(several).toBeGreaterThan(60);
    expect(several).toBeLessThan(260);
    const ages = [...spans.values()].map((s) => Math.floor(daysBeforeAsOf(s[0]!.birth_date!) / 365.25));
    const aged = ages.filter((a) => a >= 65 && a <= 96).length / ages.length;
    expect(aged).toBeGreaterThan(0.8);
    expect(aged).toBeLessThan(0.95);
  });

  it('gives the population Medicare-like prevalence by the CMS CCW rule, read back from the claims CSV', () => {
    const seed = readFileSync(new URL('../../queries/seeds/ccw_chronic_conditions.csv', import.meta.url), 'utf8');
    const pools = new Map<string, Set<string>>();
    for (const line of seed.split('\n').slice(1)) {
      const f = line.trim().split(',');
      if (f[7] !== 'Include' || f[8] !== 'ICD-10-CM') continue;
      pools.set(f[2]!, (pools.get(f[2]!) ?? new Set()).add(f[9]!));
    }
    const known = new Set(eligibility.map((r) => r.person_id));
    const prevalence = (column: string) => {
      const pool = pools.get(column)!;
      const inpatient = new Set<string>();
      const outpatientClaims = new Map<string, Set<string>>();
      // the CCW rule as the features apply it: 1 inpatient claim, or claims on 2 different days
      for (const r of medical) {
        if (!known.has(r.person_id) || !pool.has(r.diagnosis_code_1!) && !Object.keys(r).some((k) => k.startsWith('diagnosis_code_') && pool.has(r[k]!))) continue;
        if (r.bill_type_code?.startsWith('11')) inpatient.add(r.person_id!);
        else outpatientClaims.set(r.person_id!, (outpatientClaims.get(r.person_id!) ?? new Set()).add(r.claim_start_date!));
      }
      for (const [p, days] of outpatientClaims) if (days.size >= 2) inpatient.add(p);
      return inpatient.size / 2_000;
    };
    const ranges: [string, number, number][] = [
      ['hypertension', 0.3, 0.6],
      ['diabetes', 0.2, 0.3],
      ['chronic_kidney_disease', 0.13, 0.22],
      ['chronic_obstructive_pulmonary_disease', 0.07, 0.13],
      ['heart_failure_and_non_ischemic_heart_disease', 0.05, 0.1],
    ];
    for (const [column, lo, hi] of ranges) {
      const p = prevalence(column);
      expect(p, column).toBeGreaterThanOrEqual(lo);
      expect(p, column).toBeLessThanOrEqual(hi);
    }
  });

  it('has utilization at Medicare-like rates and amounts', () => {
    // institutional lines repeat the claim's header amount (the file's convention): counted once; professional
    // lines are summed; a reversal nets its claim to 0, so it drops out with the unpaid ones
    const claims = new Map<string, { kind: string; paid: number; person: string; lines: number }>();
    const header = new Map<string, { top: number; bottom: number }>();
    for (const r of medical) {
      const kind = r.bill_type_code === '111' ? 'inpatient' : r.bill_type_code === '131' ? 'ed' : r.place_of_service_code === '11' ? 'office' : 'other';
      const c = claims.get(r.claim_id!) ?? { kind, paid: 0, person: r.person_id!, lines: 0 };
      const amount = Number(r.paid_amount);
      if (r.claim_type === 'professional') c.paid += amount;
      else {
        const h = header.get(r.claim_id!) ?? { top: 0, bottom: 0 };
        header.set(r.claim_id!, { top: Math.max(h.top, amount), bottom: Math.min(h.bottom, amount) });
      }
      c.lines++;
      claims.set(r.claim_id!, c);
    }
    for (const [id, h] of header) claims.get(id)!.paid = h.top + h.bottom;
    const clean = [...claims.values()].filter((c) => c.paid > 0);
    const median = (kind: string) => {
      const v = clean.filter((c) => c.kind === kind).map((c) => c.paid).sort((a, b) => a - b);
      return v[Math.floor(v.length / 2)]!;
    };
    expect(median('office')).toBeGreaterThan(100);
    expect(median('office')).toBeLessThan(200);
    expect(median('ed')).toBeGreaterThan(800);
    expect(median('ed')).toBeLessThan(2_000);
    expect(median('inpatient')).toBeGreaterThan(8_000);
    expect(median('inpatient')).toBeLessThan(25_000);
    const perMemberYear = (kind: string) => clean.filter((c) => c.kind === kind).length / 2_000 / 2;
    expect(perMemberYear('inpatient')).toBeGreaterThan(0.12);
    expect(perMemberYear('inpatient')).toBeLessThan(0.35);
    expect(perMemberYear('ed')).toBeGreaterThan(0.25);
    expect(perMemberYear('ed')).toBeLessThan(0.7);
    expect(perMemberYear('office')).toBeGreaterThan(2);
    expect(clean.some((c) => c.lines > 1)).toBe(true);
    expect(medical.every((r) => r.claim_type === 'institutional' || r.claim_type === 'professional')).toBe(true);
    // ED revenue lines: ED claims, and emergency stays that began in the ED
    expect(medical.filter((r) => r.revenue_center_code === '0450').every((r) => r.bill_type_code === '131' || r.bill_type_code === '111')).toBe(true);
  });

  it('carries the quirks of real payer extracts at realistic rates (issue 11)', () => {
    const byClaim = new Map<string, Record<string, string>[]>();
    for (const r of medical) byClaim.set(r.claim_id!, [...(byClaim.get(r.claim_id!) ?? []), r]);
    const claims = [...byClaim.values()];
    const share = (n: number, of: number) => n / of;
    // header amounts: every multi-line institutional claim repeats one amount on each of its non-negative lines
    const multi = claims.filter((c) => c[0]!.claim_type === 'institutional' && c.filter((l) => Number(l.paid_amount) >= 0).length >= 2);
    expect(multi.length).toBeGreaterThan(1_000);
    expect(multi.every((c) => new Set(c.filter((l) => Number(l.paid_amount) >= 0).map((l) => l.paid_amount)).size === 1)).toBe(true);
    // reversal pairs: 2 % of claims carry negative lines netting them to 0 (each sent again under a new id)
    const reversed = claims.filter((c) => c.some((l) => Number(l.paid_amount) < 0));
    expect(share(reversed.length, claims.length)).toBeGreaterThan(0.012);
    expect(share(reversed.length, claims.length)).toBeLessThan(0.03);
    // lab-only claims at an independent laboratory (POS 81), some with a code no visit supports
    const labs = claims.filter((c) => c[0]!.place_of_service_code === '81');
    expect(share(labs.length, 2_000 * 2)).toBeGreaterThan(1);
    expect(labs.some((c) => c[0]!.diagnosis_code_1 === 'B20')).toBe(true);
    // several professional claims of one visit on one day: 15 % of office visits
    const visits = new Map<string, number>();
    for (const c of claims.filter((x) => x[0]!.place_of_service_code === '11')) {
      const key = `${c[0]!.person_id}|${c[0]!.claim_start_date}`;
      visits.set(key, (visits.get(key) ?? 0) + 1);
    }
    const sameDay = [...visits.values()].filter((n) => n > 1).length / visits.size;
    expect(sameDay).toBeGreaterThan(0.1);
    expect(sameDay).toBeLessThan(0.25);
    // hospice, SNF and home-health claims, by type of bill
    const bills = (prefix: string) => claims.filter((c) => c[0]!.bill_type_code!.startsWith(prefix)).length;
    expect(bills('21')).toBeGreaterThan(20);
    expect(bills('32')).toBeGreaterThan(30);
    expect(bills('81')).toBeGreaterThan(0);
    // emergency admissions (55 %) and stays that began in the ED (revenue 0450 on a 111 claim)
    const stays = claims.filter((c) => c[0]!.bill_type_code === '111' && c[0]!.drg_code !== '945');
    expect(share(stays.filter((c) => c[0]!.admit_type_code === '1').length, stays.length)).toBeGreaterThan(0.45);
    expect(stays.some((c) => c.some((l) => l.revenue_center_code === '0450'))).toBe(true);
    // discharges to SNF (15 %) and rehabilitation (6 %), each followed by its stay
    const disposition = (code: string) => share(stays.filter((c) => c[0]!.discharge_disposition_code === code).length, stays.length);
    expect(disposition('03')).toBeGreaterThan(0.1);
    expect(disposition('62')).toBeGreaterThan(0.03);
    expect(claims.some((c) => c[0]!.drg_code === '945')).toBe(true);
    // risk in no program: metastatic cancer for 1.5 % of members
    // (coded on their visits; a lab's rule-out C787 is no cancer history)
    const onVisits = medical.filter((r) => r.place_of_service_code === '11' && Object.entries(r).some(([k, v]) => k.startsWith('diagnosis_code_') && ['C787', 'C7951', 'C7800'].includes(v)));
    const cancer = new Set(onVisits.map((r) => r.person_id));
    expect(cancer.size).toBeGreaterThan(15);
    expect(cancer.size).toBeLessThan(80);
  });

  it('fills maintenance drugs every 30 or 90 days', () => {
    const clean = pharmacy.filter((r) => Number(r.paid_amount) > 0);
    expect(clean.length / 2_000).toBeGreaterThan(5);
    expect(new Set(clean.map((r) => r.days_supply))).toEqual(new Set(['30', '90']));
    expect(clean.every((r) => /^\d{11}$/.test(r.ndc_code!))).toBe(true);
  });

  it('writes device lines that all parse, in time-zoned ISO 8601, within 120 days of the as-of date', () => {
    for (const line of devices) {
      const r = deviceReadingSchema.parse(line);
      expect(r.measured_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-(0[4-9]|10):00$/);
      const day = daysBeforeAsOf(r.measured_at.slice(0, 10));
      expect(day).toBeGreaterThanOrEqual(0);
      expect(day).toBeLessThan(120);
    }
    const units = new Set((devices as DeviceReading[]).map((r) => `${r.code} ${r.unit ?? r.components?.map((c) => c.unit).join('/')}`));
    expect(units).toEqual(
      new Set(['85354-9 mm[Hg]/mm[Hg]', '8867-4 /min', '29463-7 kg', '29463-7 [lb_av]', '59408-5 %', '41653-7 mg/dL', '41653-7 mmol/L']),
    );
  });

  it('makes about 3% of members deteriorate, each monitored, sliding on their program measure, with a recent ED visit', () => {
    const det = g.truth.deteriorating;
    expect(det.length / 2_000).toBeGreaterThan(0.02);
    expect(det.length / 2_000).toBeLessThan(0.04);
    expect(new Set(det.map((d) => d.program))).toEqual(new Set(['diabetes', 'hypertension', 'copd', 'heart_failure']));
    const byPerson = readingsByPerson(devices as DeviceReading[]);
    for (const d of det) {
      const mine = byPerson.get(d.person_id) ?? [];
      expect(mine.length, d.person_id).toBeGreaterThan(20);
      expect(slides(mine)[d.program], `${d.person_id} ${d.program}`).toBe(true);
      const ed = medical.filter(
        (r) => r.person_id === d.person_id && r.revenue_center_code === '0450' && r.bill_type_code === '131' && daysBeforeAsOf(r.claim_start_date!) < 30,
      );
      expect(ed.length, d.person_id).toBeGreaterThan(0);
      expect(d.signals).toEqual([SIGNAL[d.program], 'ed_visit']);
    }
  });

  it('keeps the look-alikes (stably uncontrolled, one high reading) from sliding', () => {
    const det = new Set(g.truth.deteriorating.map((d) => d.person_id));
    let monitored = 0;
    let falsePositives = 0;
    for (const [person, mine] of readingsByPerson(devices as DeviceReading[])) {
      if (det.has(person)) continue;
      monitored++;
      if (Object.values(slides(mine)).some(Boolean)) falsePositives++;
    }
    expect(monitored).toBeGreaterThan(300);
    expect(falsePositives / monitored).toBeLessThan(0.03);
    const systolic = (devices as DeviceReading[]).flatMap((r) => r.components?.filter((c) => c.code === '8480-6').map((c) => c.value) ?? []);
    expect(systolic.filter((v) => v >= 140).length / systolic.length).toBeGreaterThan(0.05);
  });

  it('plants bad records exactly where the truth says, and nowhere else', async () => {
    const bad = g.truth.badRecords;
    const known = new Set(eligibility.map((r) => r.person_id));
    const rowsOf: Record<string, Record<string, string>[]> = {
      [LANDING_KEYS.eligibility]: eligibility,
      [LANDING_KEYS.medicalClaims]: medical,
      [LANDING_KEYS.pharmacyClaims]: pharmacy,
    };
    const kgOf = new Map<string, number[]>();
    for (const r of devices as DeviceReading[]) {
      if (r.code === '29463-7') kgOf.set(r.person_id, [...(kgOf.get(r.person_id) ?? []), r.unit === 'kg' ? r.value! : r.value! * 0.45359237]);
    }
    for (const b of bad) {
      if (b.file === LANDING_KEYS.deviceReadings) {
        const r = devices[b.record - 1] as DeviceReading;
        expect(b).toMatchObject({ kind: 'pounds_as_kg', field: 'value' });
        expect(r).toMatchObject({ code: '29463-7', unit: 'kg' });
        const weights = kgOf.get(r.person_id)!.sort((x, y) => x - y);
        expect(r.value!, JSON.stringify(b)).toBeGreaterThan(1.8 * weights[Math.floor(weights.length / 2)]!);
        continue;
      }
      const r = rowsOf[b.file]![b.record - 1]!;
      const value = r[b.field]!;
      switch (b.kind) {
        case 'invalid_icd10':
          expect(ICD10_SHAPE.test(value.replace('.', '')), value).toBe(false);
          break;
        case 'unknown_person':
          expect(known.has(value)).toBe(false);
          break;
        case 'negative_amount':
          expect(Number(value)).toBeLessThan(0);
          break;
        case 'impossible_date': {
          const start = r.claim_start_date ?? r.enrollment_start_date;
          const endBeforeStart = b.field.endsWith('end_date') && start !== undefined && value < start;
          expect(!isCalendarDate(value) || endBeforeStart, `${b.file}#${b.record} ${value}`).toBe(true);
          break;
        }
        default:
          throw new Error(`unexpected ${b.kind} in ${b.file}`);
      }
    }
    // the converse: the defects a test can find without the truth are all in the truth
    const noted = new Set(bad.map((b) => `${b.file}#${b.record}`));
    for (const [file, rows] of Object.entries(rowsOf)) {
      rows.forEach((r, i) => {
        const defective =
          !known.has(r.person_id) ||
          (file === LANDING_KEYS.pharmacyClaims && Number(r.paid_amount) < 0) ||
          (r.diagnosis_code_1 !== undefined && r.diagnosis_code_1 !== '' && !ICD10_SHAPE.test(r.diagnosis_code_1)) ||
          Object.entries(r).some(([k, v]) => k.endsWith('_date') && v !== '' && k !== 'ingest_datetime' && !isCalendarDate(v));
        if (defective) expect(noted.has(`${file}#${i + 1}`), `${file}#${i + 1}`).toBe(true);
      });
    }
    for (const file of [LANDING_KEYS.medicalClaims, LANDING_KEYS.pharmacyClaims]) {
      const share = bad.filter((b) => b.file === file).length / rowsOf[file]!.length;
      expect(share, file).toBeGreaterThan(0.001);
      expect(share, file).toBeLessThan(0.004);
    }
    expect(bad.some((b) => b.file === LANDING_KEYS.deviceReadings)).toBe(true);
  });
});
