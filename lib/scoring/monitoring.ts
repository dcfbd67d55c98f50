/**
 * Remote-monitoring alerts: absolute thresholds from clinical guidance and deviations from the member's own 30-day
 * baseline, each with a severity and a sentence naming the member's figure and the threshold crossed.
 *
 * Defaults (config/stratify.json, `scoring.monitoring.rules`), from the guidance the issue cites:
 * - blood pressure: >= 180/110 in the last 7 days is a hypertensive crisis (urgent); a 30-day average >= 140/90 is
 *   uncontrolled (moderate); a systolic < 90 in the last 7 days is hypotension (high);
 * - heart failure: a weight gain >= 2 lb within 24 hours or >= 5 lb in 7 days (high). Features are in kg, the
 *   thresholds in lb as clinicians state them, converted with the pound factor of lib/ingest/units.ts;
 * - COPD: SpO2 < 88% in the last 7 days (high);
 * - diabetes: glucose < 70 mg/dL (level 1 hypoglycaemia, high) and < 54 (level 2, urgent; it replaces level 1);
 *   sustained > 300: every reading of the last 3 days above it, with at least 2 readings (high);
 * - baselines (the member's own readings of days −29..−3): the latest systolic >= 20 mmHg over its median
 *   (moderate) and the latest weight >= 2 kg over it (high), each only when that latest reading was taken in the last
 *   3 days (`sbp_latest_3d`, `weight_latest_3d`: a week-old reading is no news); every glucose of the last 3 days
 *   >= 80 mg/dL over its median (moderate); the lowest SpO2 of 7 days >= 3 points under the baseline mean (moderate;
 *   the features carry no SpO2 median);
 * - adherence: readings on fewer than 16 of the last 30 days (moderate) for a member who was already sending before
 *   those 30 days; no reading for 7 days or more (moderate) for a member who sent one within the last 90 days.
 *
 * A rule applies to members having one of its `programs` (every monitored member when the list is empty). A program
 * can override a rule's threshold or severity (`scoring.monitoring.overrides.<program>.<rule>`); a member in two
 * programs is judged by each and keeps the most severe result.
 */
import type { AlertRuleId, MonitoringConfig } from '../config/schema.js';
import { POUND_KG } from '../ingest/units.js';
import type { FeatureRow } from './member.js';
import { memberPrograms } from './programs.js';
import { num } from './reasons.js';
import { SEVERITIES, type Program, type Severity } from './vocabulary.js';

export interface Alert {
  readonly rule: AlertRuleId;
  readonly severity: Severity;
  /** the program whose rule fired; null for rules of every monitored member */
  readonly program: Program | null;
  readonly reason: string;
}

type Params = { at: number; diastolic_at?: number; min_readings?: number; monitored_within_days?: number };

/** A rule's test: the reason sentence when it fires for the row, else null. */
type Check = (row: FeatureRow, p: Params) => string | null;

const present = (v: number | null): v is number => v !== null && Number.isFinite(v);
/** latest minus baseline, when both are known */
const above = (latest: number | null, baseline: number | null): number | null => (present(latest) && present(baseline) ? latest - baseline : null);
const lb = (kg: number): string => num(kg / POUND_KG, 1);
/** a figure that may be missing (one half of a blood pressure) */
const fig = (v: number | null): string => (v === null ? '–' : num(v));

/**
 * Figures are compared at 6 decimals: SQL engines aggregate in parallel, so a median or slope can differ in its last
 * bits between two runs over the same data, and a threshold must not flip (and resend a member) because of that.
 */
export const settle = (v: number): number => Math.round(v * 1e6) / 1e6;

const CHECKS: Record<AlertRuleId, Check> = {
  bp_crisis: (r, p) => {
    const sbp = r.sbp_max_7d;
    const dbp = r.dbp_max_7d;
    if (!((sbp !== null && settle(sbp) >= p.at) || (dbp !== null && settle(dbp) >= p.diastolic_at!))) return null;
    return `Blood pressure crisis: highest ${fig(sbp)}/${fig(dbp)} mmHg in the last 7 days (>= ${p.at}/${p.diastolic_at})`;
  },
  bp_uncontrolled: (r, p) => {
    const sbp = r.sbp_mean_30d;
    const dbp = r.dbp_mean_30d;
    if (!((sbp !== null && settle(sbp) >= p.at) || (dbp !== null && settle(dbp) >= p.diastolic_at!))) return null;
    return `Blood pressure uncontrolled: average ${fig(sbp)}/${fig(dbp)} mmHg over the last 30 days (>= ${p.at}/${p.diastolic_at})`;
  },
  hypotension: (r, p) =>
    present(r.sbp_min_7d) && settle(r.sbp_min_7d) < p.at ? `Low blood pressure: lowest systolic ${num(r.sbp_min_7d)} mmHg in the last 7 days (< ${p.at})` : null,
  weight_gain_24h: (r, p) =>
    present(r.weight_gain_24h_max) && settle(r.weight_gain_24h_max) >= settle(p.at * POUND_KG)
      ? `Weight up ${lb(r.weight_gain_24h_max)} lb (${num(r.weight_gain_24h_max, 1)} kg) within 24 hours in the last 7 days (>= ${p.at} lb)`
      : null,
  weight_gain_7d: (r, p) =>
    present(r.weight_change_7d) && settle(r.weight_change_7d) >= settle(p.at * POUND_KG)
      ? `Weight up ${lb(r.weight_change_7d)} lb (${num(r.weight_change_7d, 1)} kg) in 7 days (>= ${p.at} lb)`
      : null,
  spo2_low: (r, p) => (present(r.spo2_min_7d) && settle(r.spo2_min_7d) < p.at ? `Low oxygen: lowest SpO2 ${num(r.spo2_min_7d, 1)}% in the last 7 days (< ${p.at}%)` : null),
  glucose_low_level1: (r, p) =>
    present(r.glucose_min_7d) && settle(r.glucose_min_7d) < p.at
      ? `Hypoglycaemia level 1: lowest glucose ${num(r.glucose_min_7d)} mg/dL in the last 7 days (< ${p.at})`
      : null,
  glucose_low_level2: (r, p) =>
    present(r.glucose_min_7d) && settle(r.glucose_min_7d) < p.at
      ? `Hypoglycaemia level 2: lowest glucose ${num(r.glucose_min_7d)} mg/dL in the last 7 days (< ${p.at})`
      : null,
  glucose_sustained_high: (r, p) =>
    present(r.glucose_min_3d) && settle(r.glucose_min_3d) > p.at && r.glucose_readings_3d >= p.min_readings!
      ? `Glucose high for 3 days: all ${r.glucose_readings_3d} readings above ${p.at} mg/dL, lowest ${num(r.glucose_min_3d)}`
      : null,
  sbp_above_baseline: (r, p) => {
    const d = above(r.sbp_latest_3d, r.sbp_median_30d);
    return d !== null && settle(d) >= p.at
      ? `Systolic ${num(r.sbp_latest_3d!)} mmHg, ${num(d)} above the member's 30-day median of ${num(r.sbp_median_30d!)} (>= +${p.at})`
      : null;
  },
  weight_above_baseline: (r, p) => {
    const d = above(r.weight_latest_3d, r.weight_median_30d);
    return d !== null && settle(d) >= p.at
      ? `Weight ${num(r.weight_latest_3d!, 1)} kg, ${num(d, 1)} kg above the member's 30-day median of ${num(r.weight_median_30d!, 1)} (>= +${p.at} kg)`
      : null;
  },
  glucose_above_baseline: (r, p) => {
    const d = above(r.glucose_min_3d, r.glucose_median_30d);
    return d !== null && settle(d) >= p.at
      ? `Glucose of the last 3 days at least ${num(d)} mg/dL above the member's 30-day median of ${num(r.glucose_median_30d!)} (>= +${p.at})`
      : null;
  },
  spo2_below_baseline: (r, p) => {
    const d = above(r.spo2_mean_baseline, r.spo2_min_7d);
    return d !== null && settle(d) >= p.at
      ? `Lowest SpO2 ${num(r.spo2_min_7d!, 1)}% in the last 7 days, ${num(d, 1)} points under the member's 30-day average of ${num(r.spo2_mean_baseline!, 1)}% (>= ${p.at})`
      : null;
  },
  non_adherent: (r, p) =>
    r.reading_days_90d > r.reading_days_30d && r.reading_days_30d < p.at
      ? `Not adherent: device readings on ${r.reading_days_30d} of the last 30 days (< ${p.at})`
      : null,
  no_transmission: (r, p) =>
    // within N days = the window as-of − (N − 1) .. as-of, as every feature window: at most N − 1 days since
    r.days_since_last_reading !== null && r.days_since_last_reading >= p.at && r.days_since_last_reading < p.monitored_within_days!
      ? `No device reading for ${r.days_since_last_reading} days (>= ${p.at})`
      : null,
};

/** an alert that makes another of the same member redundant */
const SUPERSEDES: Partial<Record<AlertRuleId, AlertRuleId>> = { glucose_low_level2: 'glucose_low_level1' };

const RULE_ORDER = Object.keys(CHECKS) as AlertRuleId[];
const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

/** The member's alerts, most severe first (ties in rule order). */
export function monitoringAlerts(row: FeatureRow, cfg: MonitoringConfig): Alert[] {
  const mine = memberPrograms(row);
  const alerts: Alert[] = [];
  for (const id of RULE_ORDER) {
    const rule = cfg.rules[id];
    const judgedBy: (Program | null)[] = rule.programs.length > 0 ? rule.programs.filter((p) => mine.includes(p)) : mine.length > 0 ? mine : [null];
    let best: Alert | null = null;
    for (const program of judgedBy) {
      const params = { ...rule, ...(program === null ? {} : cfg.overrides[program]?.[id]) };
      const reason = CHECKS[id](row, params);
      if (reason === null) continue;
      const alert: Alert = { rule: id, severity: params.severity, program: rule.programs.length > 0 ? program : null, reason };
      if (best === null || severityRank(alert.severity) < severityRank(best.severity)) best = alert;
    }
    if (best) alerts.push(best);
  }
  const dropped = new Set(alerts.map((a) => SUPERSEDES[a.rule]).filter((r) => r !== undefined));
  return alerts
    .filter((a) => !dropped.has(a.rule))
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || RULE_ORDER.indexOf(a.rule) - RULE_ORDER.indexOf(b.rule));
}
