/**
 * The risk model: one member's score as a sum of five components, each made of contributions a care manager can
 * read (every contribution is one reason, and reasons are listed by the points they earned):
 *
 *   score = prospective + comorbidity + utilization + monitoring + trend
 *
 *   prospective  = points_per_unit × CMS-HCC score (V28 by default, payment year normalization and MA coding
 *                  intensity applied, or the configured `normalization` and `coding_intensity`) from the member's ICD-10 codes of the last 12 months
 *                  that CMS risk adjustment counts (queries/claim_totals.sql; the reason names those set aside), age, sex and segment
 *                  (dual status, institutional; new enrollee only when enrolled under 12 of the last 12 months with no
 *                  diagnosis history: hcc/segment.ts)
 *   comorbidity  = charlson_points × Charlson index (Quan 2011 weights by default)
 *                  + elixhauser_points × max(0, Elixhauser index with van Walraven weights)
 *   utilization  = points of the level rules on admissions, 30-day readmissions, ED visits in 90 days, cost,
 *                  and LACE when the member was discharged within the transitions-of-care window
 *   monitoring   = Σ over the member's monitoring alerts of the points of the alert's severity
 *   trend        = points of the level rules on the 30-day slopes of systolic, weight and glucose, and on the rise
 *                  of (score − trend) since the member's previous run
 *
 * With the default weights, one urgent alert (40) outweighs a CMS-HCC score of 4 (32 points), so an acutely
 * deteriorating member outranks a member whose risk is only fixed; the ranking (lib/scoring/tiers.ts) goes further
 * and puts every actionable member (a monitoring alert, a rising monitoring slope or a recent discharge) above the
 * others; a rising score alone is not actionable.
 */
import type { ScoringConfig } from '../config/schema.js';
import { charlson, elixhauser } from './comorbidity/index.js';
import { dualStatus, hccCode, scoreHcc, segmentFor, type HccResult } from './hcc/index.js';
import { lace, type Lace } from './lace.js';
import { diagnosisCodes, type FeatureRow } from './member.js';
import { monitoringAlerts, type Alert } from './monitoring.js';
import { listing, num, reasonFor } from './reasons.js';
import { evaluateRules, type RuleInput } from './rules.js';
import type { Program } from './vocabulary.js';

export const COMPONENTS = ['monitoring', 'utilization', 'trend', 'prospective', 'comorbidity'] as const;
export type ComponentName = (typeof COMPONENTS)[number];

/** One reason and the points it earned; `programs` are those its points count toward when matching a program. */
export interface Contribution {
  readonly component: ComponentName;
  readonly points: number;
  readonly programs: readonly Program[];
  readonly reason: string;
}

/** The member's score of an earlier run: its date and the score without its trend part. */
export interface PreviousScore {
  readonly as_of_date: string;
  readonly base: number;
}

export interface MemberScore {
  readonly person_id: string;
  readonly score: number;
  readonly components: Readonly<Record<ComponentName, number>>;
  /** strongest first */
  readonly contributions: readonly Contribution[];
  readonly alerts: readonly Alert[];
  readonly hcc: HccResult;
  readonly charlson: number;
  readonly elixhauser: number;
  /** LACE of the last stay when the member is in the transitions-of-care window */
  readonly lace: Lace | null;
  /** score change (without trend) since the previous run, when there was one */
  readonly change: number | null;
  /** a monitoring alert, a rising monitoring slope or a recent discharge: something a care manager can act on now */
  readonly actionable: boolean;
}

const round2 = (v: number): number => Math.round(v * 100) / 100;

/** which model scored a member with a short enrollment, and why (segment.ts: new enrollee only when the data says so) */
function enrolleeNote(hcc: HccResult, enrolledMonths: number): string {
  if (enrolledMonths >= 12) return '';
  return hcc.segment === 'NE'
    ? ` (new-enrollee model: ${enrolledMonths} of 12 months enrolled and no diagnosis history)`
    : ` (continuing-enrollee model: ${enrolledMonths} of 12 months enrolled, with a diagnosis history)`;
}

/** the codes CMS risk adjustment would not count (found only on lab, DME, ambulance or off-list facility claims) */
function setAsideNote(row: FeatureRow): string {
  if (row.dx_codes_set_aside_12m === '') return '';
  const codes = row.dx_codes_set_aside_12m.split(',');
  const from = row.dx_set_aside_from.split(',').join(', ');
  return `; ${codes.length === 1 ? '1 code' : `${codes.length} codes`} set aside, found only on claims CMS risk adjustment does not count (${from}): ${codes.join(', ')}`;
}

function hccReason(hcc: HccResult, sexUnknown: boolean, enrolledMonths: number, setAside: string): string {
  const named = hcc.factors
    .filter((f) => f.kind === 'disease' || f.kind === 'interaction')
    .sort((a, b) => b.coefficient - a.coefficient)
    .map((f) => (f.kind === 'disease' ? `${f.description} (${hccCode(f.code)})` : f.description));
  const demographic = hcc.factors.filter((f) => f.kind === 'demographic').map((f) => f.description);
  // a new enrollee is scored on the demographic cell alone, whatever HCCs their codes map to
  const what = hcc.segment === 'NE' ? `new enrollee: scored on demographics only; ${listing(demographic)}` : named.length > 0 ? listing(named) : `no payment HCC; ${listing(demographic)}`;
  const note = sexUnknown ? '; sex unknown, scored as female' : '';
  return `CMS-HCC ${hcc.model.toUpperCase()} risk score ${num(hcc.score, 2)}${enrolleeNote(hcc, enrolledMonths)}: ${what}${note}${setAside}`;
}

function comorbidityReason(c: ReturnType<typeof charlson>, weights: string, elix: number): string {
  const conditions = [...c.conditions].sort((a, b) => b.weight - a.weight).map((x) => x.description);
  const named = conditions.length > 0 ? `: ${listing(conditions)}` : '';
  return `Charlson index ${num(c.score)} (${weights === 'quan2011' ? 'Quan 2011' : 'original'} weights)${named}; Elixhauser index ${num(elix)} (van Walraven)`;
}

export function scoreMember(row: FeatureRow, cfg: ScoringConfig, previous?: PreviousScore): MemberScore {
  const dx = diagnosisCodes(row);
  const contributions: Contribution[] = [];
  const add = (component: ComponentName, points: number, programs: readonly Program[], reason: string): void => {
    if (points > 0) contributions.push({ component, points: round2(points), programs, reason });
  };

  const segment = segmentFor({
    age: row.age,
    dualStatusCode: row.dual_status_code,
    institutional: row.institutional,
    enrolledMonths: row.enrolled_months_12m,
    diagnosisHistory: dx.length > 0,
  });
  const sex = row.sex === 'male' ? 'male' : 'female';
  // Medicaid is a full or partial dual: it adds the INS Medicaid factor and picks the new-enrollee Medicaid cell
  const medicaid = dualStatus(row.dual_status_code) !== 'non';
  const { model, payment_year: paymentYear, normalization, coding_intensity: codingIntensity } = cfg.prospective;
  const adjustment = normalization !== undefined && codingIntensity !== undefined ? { normalizationFactor: normalization, codingIntensity } : undefined;
  let hcc: HccResult;
  try {
    hcc = scoreHcc({ age: row.age, sex, dx, segment, medicaid, model, paymentYear, ...(adjustment && { adjustment }) });
  } catch (e) {
    throw new Error(`features of ${row.person_id} as of ${row.as_of_date}: CMS-HCC cannot score them: ${(e as Error).message}`, { cause: e });
  }
  add('prospective', cfg.prospective.points_per_unit * hcc.score, [], hccReason(hcc, row.sex === 'unknown', row.enrolled_months_12m, setAsideNote(row)));

  const ch = charlson(dx, cfg.comorbidity.charlson_weights);
  const elix = elixhauser(dx).score;
  add('comorbidity', cfg.comorbidity.charlson_points * ch.score + cfg.comorbidity.elixhauser_points * Math.max(0, elix), [], comorbidityReason(ch, cfg.comorbidity.charlson_weights, elix));

  const alerts = monitoringAlerts(row, cfg.monitoring);
  for (const a of alerts) add('monitoring', cfg.monitoring.severity_points[a.severity], a.program ? [a.program] : [], `${a.reason} [${a.severity}]`);

  // the window runs from the discharge to the community (after a SNF stay, its end); none in post-acute care,
  // hospice or after death (queries/utilization.sql community_discharge_date)
  const inTransition = row.days_since_community_discharge !== null && row.days_since_community_discharge <= cfg.transitions.discharge_within_days;
  const laceIndex = inTransition
    ? lace({
        losDays: row.last_stay_los_days ?? 0,
        emergent: row.last_admission_emergent ?? false,
        charlson: cfg.comorbidity.charlson_weights === 'original' ? ch.score : charlson(dx, 'original').score,
        edVisits6m: row.ed_visits_6m_before_admission ?? 0,
      })
    : null;

  // the rules that read the score change need the other components first: utilization rules do not read it
  const partial: RuleInput = { row, lace: laceIndex, change: null };
  const utilization = evaluateRules(partial, cfg.rules).filter((h) => h.component === 'utilization');
  for (const h of utilization) add('utilization', h.points, h.programs, reasonFor(h, partial));

  const base = contributions.reduce((s, c) => s + c.points, 0);
  const input: RuleInput = previous ? { ...partial, change: { points: base - previous.base, since: previous.as_of_date } } : partial;
  const trend = evaluateRules(input, cfg.rules).filter((x) => x.component === 'trend');
  for (const h of trend) add('trend', h.points, h.programs, reasonFor(h, input));

  contributions.sort((a, b) => b.points - a.points || COMPONENTS.indexOf(a.component) - COMPONENTS.indexOf(b.component));
  const components = Object.fromEntries(COMPONENTS.map((c) => [c, round2(contributions.filter((x) => x.component === c).reduce((s, x) => s + x.points, 0))])) as Record<
    ComponentName,
    number
  >;
  return {
    person_id: row.person_id,
    score: round2(contributions.reduce((s, c) => s + c.points, 0)),
    components,
    contributions,
    alerts,
    hcc,
    charlson: ch.score,
    elixhauser: elix,
    lace: laceIndex,
    change: input.change === null ? null : round2(input.change.points),
    // a rise of the score alone is no signal to act on: it echoes the components that rose, fixed risk included
    actionable: alerts.length > 0 || inTransition || trend.some((h) => h.rule !== 'score_rising' && h.points > 0),
  };
}

/** The part of a score the next run compares against: everything but the trend. */
export function baseScore(s: { score: number; trend_points: number }): number {
  return s.score - s.trend_points;
}
