/**
 * Who the demo members are: a Medicare-like population (mostly 65-95, some under-65 disabled) with correlated chronic
 * conditions, enrollment spans, remote-monitoring enrollment, and the planted deteriorating members the pipeline
 * should find. Each member is drawn from their own random stream, so members can be made one chunk at a time.
 */
import { PROGRAMS, type Program } from '../scoring/vocabulary.js';
import type { Condition, ConditionCodes } from './codes.js';
import { addYears, firstOfMonth, lastOfMonth, US_TIME_ZONES, type TimeZone } from './dates.js';
import { HISTORY_DAYS } from './output.js';
import { Random } from './random.js';

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Monitoring {
  readonly programs: readonly Program[];
  /** first day the member could send readings */
  readonly start: number;
  /** last day the member sent readings (before the as-of date when they stopped) */
  readonly end: number;
  /** chance of a reading on a given day */
  readonly adherence: number;
  /** non-deteriorating members who look alarming at a glance */
  readonly lookAlike: 'none' | 'stably_uncontrolled' | 'isolated_high';
}

export interface Deterioration {
  readonly program: Program;
  /** first day of the slide: the signal grows from here to the as-of date */
  readonly start: number;
  readonly edVisit: number;
}

export interface Person {
  readonly index: number;
  readonly id: string;
  readonly sex: 'female' | 'male';
  readonly race: string;
  readonly birth: number;
  readonly death: number | undefined;
  /** under 65 and entitled through disability */
  readonly disabled: boolean;
  readonly dualStatus: string;
  /** enrollment spans, in order; the member is enrolled on the as-of date when the last one covers it */
  readonly spans: readonly Span[];
  readonly conditions: ReadonlySet<Condition>;
  /** the member's ICD-10-CM code of each condition they have */
  readonly codes: ReadonlyMap<Condition, string>;
  /** conditions coded on one outpatient claim only, so the CCW rule does not find them */
  readonly underDocumented: ReadonlySet<Condition>;
  readonly zone: TimeZone;
  readonly pcpNpi: number;
  readonly hospitalNpi: number;
  readonly monitoring: Monitoring | undefined;
  readonly deterioration: Deterioration | undefined;
}

/** Random streams per member: one per purpose, so each part of the output can change without moving the others. */
export const STREAM = { person: 1, medical: 2, pharmacy: 3, devices: 4, claimQuirks: 5, eligibilityQuirks: 6, labs: 7, resend: 8 } as const;

const PERSON_ID_DIGITS = 7;

export function personId(n: number): string {
  return `P${String(n).padStart(PERSON_ID_DIGITS, '0')}`;
}

/** share of members whose enrollment ended before the as-of date, and share with a gap between two spans */
const ENDED_SHARE = 0.04;
const TWO_SPANS_SHARE = 0.025;
const DETERIORATING_SHARE = 0.03;
const MONITORED_SHARE = 0.4;
const UNDER_DOCUMENTED_SHARE = 0.06;
/**
 * share of members whose payer file misses 1 or 2 months of the last year (a lapse, a plan change, a late delivery):
 * short eligibility but a long diagnosis history, not new to Medicare (issue 11)
 */
const FILE_GAP_SHARE = 0.06;
/** remote monitoring keeps 120 days of history before the as-of date */
export const MONITORING_DAYS = 120;

/** how the deteriorating members spread over the programs they could be in (HF and COPD slide more often) */
const DETERIORATION_WEIGHT: Readonly<Record<Program, number>> = { heart_failure: 3, copd: 3, diabetes: 2, hypertension: 1 };

function draw(rng: Random, age: number, disabled: boolean): Set<Condition> {
  const old = disabled ? 0 : Math.min(1, (age - 65) / 30);
  const has = new Set<Condition>();
  const add = (c: Condition, p: number) => {
    if (rng.chance(p)) has.add(c);
  };
  add('hypertension', disabled ? 0.38 : 0.44 + 0.25 * old);
  add('diabetes', 0.21 + (has.has('hypertension') ? 0.11 : 0));
  add('ckd', 0.07 + (has.has('diabetes') ? 0.12 : 0) + (has.has('hypertension') ? 0.11 : 0) + 0.08 * old);
  add('copd', 0.11);
  add('heart_failure', 0.022 + (has.has('hypertension') ? 0.07 : 0) + (has.has('ckd') ? 0.05 : 0) + 0.04 * old);
  return has;
}

function enrollment(rng: Random, birth: number, disabled: boolean, asOf: number): Span[] {
  const historyStart = asOf - HISTORY_DAYS + 1;
  const currentEnd = lastOfMonth(asOf);
  const entitled = disabled ? asOf - rng.int(60, 3650) : Math.max(addYears(birth, 65), asOf - rng.int(0, 12 * 365));
  const start = firstOfMonth(entitled);
  const u = rng.next();
  if (u < ENDED_SHARE) {
    const end = lastOfMonth(rng.int(historyStart + 60, asOf - 45));
    if (end > start + 60) return [{ start, end }];
  } else if (u < ENDED_SHARE + TWO_SPANS_SHARE) {
    const firstEnd = lastOfMonth(rng.int(historyStart + 30, asOf - 240));
    const secondStart = firstOfMonth(firstEnd + 1 + 30 * rng.int(1, 4));
    if (firstEnd > start + 60) return [{ start, end: firstEnd }, { start: secondStart, end: currentEnd }];
  }
  return [{ start, end: currentEnd }];
}

/** the spans with a 1-2 month hole in the last year's file, for FILE_GAP_SHARE of the members enrolled all along */
function fileGap(seed: number, index: number, spans: Span[], asOf: number): Span[] {
  const rng = new Random(seed, index, STREAM.eligibilityQuirks);
  const last = spans[spans.length - 1]!;
  if (!rng.chance(FILE_GAP_SHARE) || last.end < asOf || last.start > asOf - 450) return spans;
  const gapStart = firstOfMonth(asOf - rng.int(90, 300));
  const gapEnd = lastOfMonth(gapStart + 31 * rng.int(0, 1));
  return [...spans.slice(0, -1), { start: last.start, end: gapStart - 1 }, { start: gapEnd + 1, end: last.end }];
}

function deterioration(rng: Random, conditions: Set<Condition>, asOf: number): Deterioration {
  const own = PROGRAMS.filter((p) => conditions.has(p));
  const candidates = own.length > 0 ? own : PROGRAMS;
  const program = rng.weighted(candidates.map((p) => [p, DETERIORATION_WEIGHT[p]] as const));
  return { program, start: asOf - rng.int(14, 21), edVisit: asOf - rng.int(1, 10) };
}

export function makePerson(seed: number, index: number, asOf: number, codes: ConditionCodes): Person {
  const rng = new Random(seed, index, STREAM.person);
  const disabled = rng.chance(0.12);
  const age = disabled ? rng.int(35, 64) : 65 + Math.min(30, Math.floor(-Math.log(1 - rng.next()) * 11));
  const birth = addYears(asOf, -age) - rng.int(1, 364);
  const sex = rng.chance(0.55) ? 'female' : 'male';
  const race = rng.weighted([['white', 76], ['black', 10], ['hispanic', 7], ['asian', 4], ['other', 3]] as const);
  const dualStatus = rng.chance(disabled ? 0.4 : 0.12) ? rng.pick(['02', '04', '08']) : '';
  const spans = fileGap(seed, index, enrollment(rng, birth, disabled, asOf), asOf);
  const last = spans[spans.length - 1] as Span;
  const enrolledNow = last.end >= asOf && last.start <= asOf - 30;
  const death = last.end < asOf && rng.chance(0.4) ? last.end - rng.int(0, 25) : undefined;

  const conditions = draw(rng, age, disabled);
  const det = enrolledNow && rng.chance(DETERIORATING_SHARE) ? deterioration(rng, conditions, asOf) : undefined;
  if (det) conditions.add(det.program);

  const memberCodes = new Map<Condition, string>();
  const underDocumented = new Set<Condition>();
  for (const c of conditions) {
    memberCodes.set(c, rng.chance(0.8) ? rng.pick(codes.common[c]) : rng.pick(codes.all[c]));
    if (c !== det?.program && rng.chance(UNDER_DOCUMENTED_SHARE)) underDocumented.add(c);
  }

  const programs = PROGRAMS.filter((p) => conditions.has(p));
  let monitoring: Monitoring | undefined;
  if (det) {
    monitoring = { programs, start: asOf - rng.int(60, MONITORING_DAYS), end: asOf, adherence: rng.uniform(0.8, 0.97), lookAlike: 'none' };
  } else if (enrolledNow && programs.length > 0 && rng.chance(MONITORED_SHARE)) {
    const start = Math.max(last.start, asOf - rng.int(10, MONITORING_DAYS));
    const stopped = rng.chance(0.12) ? asOf - rng.int(20, 60) : asOf;
    const lookAlike = rng.weighted([['none', 84], ['stably_uncontrolled', 6], ['isolated_high', 10]] as const);
    monitoring = { programs, start, end: Math.max(start, stopped), adherence: rng.uniform(0.3, 0.95), lookAlike };
  }

  return {
    index,
    id: personId(index + 1),
    sex,
    race,
    birth,
    death,
    disabled,
    dualStatus,
    spans,
    conditions,
    codes: memberCodes,
    underDocumented,
    zone: rng.weighted(US_TIME_ZONES),
    pcpNpi: rng.int(0, 4_999),
    hospitalNpi: 5_000 + rng.int(0, 149),
    monitoring,
    deterioration: det,
  };
}

export function enrolledOn(person: Person, day: number): boolean {
  return person.spans.some((s) => s.start <= day && day <= s.end);
}
