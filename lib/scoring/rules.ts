/**
 * Level rules: each reads one figure of a member (a feature, the LACE index, the change of the score since the last
 * run) and compares it with the thresholds of its configured levels; the member earns the points of the highest
 * level met (figures at or above the level's `at`). They make two components of the model (lib/scoring/model.ts):
 * acute utilization (admissions, readmissions, ED visits, cost, LACE after a recent discharge) and trend (monitoring
 * slopes and the rise of the score since the previous run).
 */
import type { RuleId, RulesConfig } from '../config/schema.js';
import type { Lace } from './lace.js';
import type { FeatureRow } from './member.js';
import { settle } from './monitoring.js';
import type { Program } from './vocabulary.js';

/** What a rule can read: the feature row and the figures the model derives before the rules run. */
export interface RuleInput {
  readonly row: FeatureRow;
  /** LACE of the last stay, when the member was discharged within the transitions-of-care window */
  readonly lace: Lace | null;
  /** change of the score (without its trend part) since the previous run, and that run's date */
  readonly change: { readonly points: number; readonly since: string } | null;
}

export type Component = 'utilization' | 'trend';

interface RuleDef<K extends RuleId> {
  readonly component: Component;
  /** the figure the rule judges, or null when the rule does not apply to the member */
  readonly value: (input: RuleInput, rule: RulesConfig[K]) => number | null;
}

/** a slope counts when its own measure was read on at least `min_days` days of the 30 (the SQL needs only 2) */
const slope = (days: number, value: number | null, rule: { min_days: number }): number | null => (days >= rule.min_days ? value : null);

/** In the order reasons are listed when two rules earn the same points. */
export const RULES: { readonly [K in RuleId]: RuleDef<K> } = {
  lace: { component: 'utilization', value: (i) => i.lace?.score ?? null },
  sbp_rising: { component: 'trend', value: (i, rule) => slope(i.row.bp_days_30d, i.row.sbp_slope_30d, rule) },
  weight_rising: { component: 'trend', value: (i, rule) => slope(i.row.weight_days_30d, i.row.weight_slope_30d, rule) },
  glucose_rising: { component: 'trend', value: (i, rule) => slope(i.row.glucose_days_30d, i.row.glucose_slope_30d, rule) },
  score_rising: { component: 'trend', value: (i) => i.change?.points ?? null },
  admissions: { component: 'utilization', value: (i) => i.row.ip_admissions_12m },
  readmissions: { component: 'utilization', value: (i) => i.row.readmissions_30d_12m },
  ed_visits: { component: 'utilization', value: (i) => i.row.ed_visits_90d },
  cost: { component: 'utilization', value: (i) => i.row.total_paid_12m },
};

const RULE_ORDER = Object.keys(RULES) as RuleId[];

/** One rule a member met: the figure, the threshold of the level reached and the points earned. */
export interface Hit {
  readonly rule: RuleId;
  readonly component: Component;
  readonly value: number;
  readonly threshold: number;
  readonly points: number;
  readonly programs: readonly Program[];
}

function evaluate<K extends RuleId>(id: K, input: RuleInput, rules: RulesConfig): Hit | null {
  const def = RULES[id] as RuleDef<K>;
  const rule = rules[id];
  const raw = def.value(input, rule);
  if (raw === null || !Number.isFinite(raw)) return null;
  const value = settle(raw);
  let best: Hit | null = null;
  for (const l of rule.levels) {
    if (value >= l.at && (best === null || l.points > best.points)) {
      best = { rule: id, component: def.component, value, threshold: l.at, points: l.points, programs: rule.programs };
    }
  }
  return best;
}

/** The rules a member meets, strongest first (ties in the fixed rule order). */
export function evaluateRules(input: RuleInput, rules: RulesConfig): Hit[] {
  return RULE_ORDER.map((id) => evaluate(id, input, rules))
    .filter((h): h is Hit => h !== null)
    .sort((a, b) => b.points - a.points || RULE_ORDER.indexOf(a.rule) - RULE_ORDER.indexOf(b.rule));
}
