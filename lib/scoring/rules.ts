/**
 * The points-based composite. Each rule reads one figure from a member's feature row and compares it with the
 * thresholds of its configured levels; the member earns the points of the highest level met. The score is the sum.
 *
 * The default weights (config/stratify.json) make an acutely deteriorating monitored member outrank a chronically
 * high utilizer: one acute signal is worth 12–30 points and they tend to come together (high and rising systolic:
 * 20 + 18 + 6), while utilization, cost, age and multimorbidity together top out near 40 and a typical heavy user
 * earns 25–35, which still lands in the top tiers of a population where most members score under 10.
 */
import type { RuleId, RulesConfig } from '../config/index.js';
import type { Row, features } from '../tables/index.js';
import type { Program } from './vocabulary.js';

export type FeatureRow = Row<typeof features>;

export type Comparison = '>=' | '>' | '<';

interface RuleDef<K extends RuleId> {
  readonly compare: Comparison;
  /** the figure the rule judges, or null when the rule does not apply to the member */
  readonly value: (row: FeatureRow, rule: RulesConfig[K]) => number | null;
}

export const CONDITIONS = [
  ['has_diabetes', 'diabetes'],
  ['has_hypertension', 'hypertension'],
  ['has_copd', 'COPD'],
  ['has_heart_failure', 'heart failure'],
  ['has_ckd', 'chronic kidney disease'],
] as const satisfies readonly (readonly [keyof FeatureRow, string])[];

export function conditionCount(row: FeatureRow): number {
  return CONDITIONS.filter(([col]) => row[col]).length;
}

/** In the order reasons are listed when two rules earn the same points: monitoring signals before history. */
export const RULES: { readonly [K in RuleId]: RuleDef<K> } = {
  weight_gain: { compare: '>=', value: (r) => r.weight_change_7d },
  spo2_low: { compare: '<', value: (r) => r.spo2_min_30d },
  sbp_mean_high: { compare: '>=', value: (r) => r.sbp_mean_30d },
  sbp_rising: { compare: '>=', value: (r, rule) => (r.bp_days_30d >= rule.min_bp_days ? r.sbp_slope_30d : null) },
  bp_uncontrolled: { compare: '>=', value: (r) => r.bp_uncontrolled_share_30d },
  glucose_low: { compare: '<', value: (r) => r.glucose_min_30d },
  glucose_mean_high: { compare: '>', value: (r) => r.glucose_mean_30d },
  glucose_max_high: { compare: '>', value: (r) => r.glucose_max_30d },
  no_recent_reading: {
    compare: '>=',
    value: (r, rule) => (r.days_since_last_reading !== null && r.days_since_last_reading <= rule.monitored_within_days ? r.days_since_last_reading : null),
  },
  admissions: { compare: '>=', value: (r) => r.ip_admissions_12m },
  readmissions: { compare: '>=', value: (r) => r.readmissions_30d_12m },
  ed_visits: { compare: '>=', value: (r) => r.ed_visits_90d },
  multimorbidity: { compare: '>=', value: conditionCount },
  age: { compare: '>=', value: (r) => r.age },
  cost: { compare: '>=', value: (r) => r.total_paid_12m },
};

const RULE_ORDER = Object.keys(RULES) as RuleId[];

/** One rule a member met: the figure, the threshold of the level reached and the points earned. */
export interface Hit {
  readonly rule: RuleId;
  readonly value: number;
  readonly threshold: number;
  readonly compare: Comparison;
  readonly points: number;
  readonly programs: readonly Program[];
}

function meets(value: number, compare: Comparison, at: number): boolean {
  return compare === '>=' ? value >= at : compare === '>' ? value > at : value < at;
}

/**
 * Figures are compared at 6 decimals: SQL engines aggregate in parallel, so a mean or slope can differ in its last
 * bits between two runs over the same data, and a threshold must not flip (and resend a member) because of that.
 */
const settle = (v: number): number => Math.round(v * 1e6) / 1e6;

function evaluate<K extends RuleId>(id: K, row: FeatureRow, rules: RulesConfig): Hit | null {
  const def = RULES[id] as RuleDef<K>;
  const rule = rules[id];
  const raw = def.value(row, rule);
  if (raw === null || !Number.isFinite(raw)) return null;
  const value = settle(raw);
  let best: Hit | null = null;
  for (const l of rule.levels) {
    if (meets(value, def.compare, l.at) && (best === null || l.points > best.points)) {
      best = { rule: id, value, threshold: l.at, compare: def.compare, points: l.points, programs: rule.programs };
    }
  }
  return best;
}

/** The rules a member meets, strongest first (ties in the fixed rule order). */
export function evaluateMember(row: FeatureRow, rules: RulesConfig): Hit[] {
  return RULE_ORDER.map((id) => evaluate(id, row, rules))
    .filter((h): h is Hit => h !== null)
    .sort((a, b) => b.points - a.points || RULE_ORDER.indexOf(a.rule) - RULE_ORDER.indexOf(b.rule));
}

export function totalPoints(hits: readonly Hit[]): number {
  return hits.reduce((sum, h) => sum + h.points, 0);
}
