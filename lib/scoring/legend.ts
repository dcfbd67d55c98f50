/**
 * Reasons as a care manager reads them on a worklist: the member's own figures in plain words, without the threshold
 * each reason carries for the record (`(>= 140/90)`, `(< 88%)`), and a legend that gives the thresholds once, from
 * the configuration the run used (a program's overrides shown beside the default). The scores table and the queue
 * messages keep the full text.
 */
import type { StratifyConfig } from '../config/index.js';

/** a reason without its bracketed threshold: "Low oxygen: lowest SpO2 86% in the last 7 days (< 88%) [high]" → "Low oxygen: lowest SpO2 86% in the last 7 days [high]" */
export function plainReason(reason: string): string {
  return reason.replace(/\s*\((?:>=|<=|<|>) [^)]*\)/g, '');
}

type Monitoring = StratifyConfig['scoring']['monitoring']['rules'];
type Rule<K extends keyof Monitoring> = Monitoring[K];

const ALERTS: { readonly [K in keyof Monitoring]: (r: Rule<K>) => string } = {
  bp_crisis: (r) => `Blood pressure crisis: a reading of ${r.at} systolic or ${r.diastolic_at} diastolic mmHg or more in the last 7 days`,
  bp_uncontrolled: (r) => `Blood pressure uncontrolled: a 30-day average of ${r.at} systolic or ${r.diastolic_at} diastolic mmHg or more`,
  hypotension: (r) => `Low blood pressure: a systolic reading under ${r.at} mmHg in the last 7 days`,
  weight_gain_24h: (r) => `Weight up within 24 hours: a gain of ${r.at} lb or more between readings at most a day apart, in the last 7 days`,
  weight_gain_7d: (r) => `Weight up in 7 days: a gain of ${r.at} lb or more from the first to the last reading of the week`,
  spo2_low: (r) => `Low oxygen: an SpO2 reading under ${r.at}% in the last 7 days`,
  glucose_low_level1: (r) => `Hypoglycaemia level 1: a glucose reading under ${r.at} mg/dL in the last 7 days`,
  glucose_low_level2: (r) => `Hypoglycaemia level 2: a glucose reading under ${r.at} mg/dL in the last 7 days`,
  glucose_sustained_high: (r) => `Glucose high for 3 days: every reading of the last 3 days (at least ${r.min_readings}) above ${r.at} mg/dL`,
  sbp_above_baseline: (r) => `Systolic above the member's own median: ${r.at} mmHg or more over their median of the previous 30 days`,
  weight_above_baseline: (r) => `Weight above the member's own median: ${r.at} kg or more over their median of the previous 30 days`,
  glucose_above_baseline: (r) => `Glucose above the member's own median: every reading of the last 3 days ${r.at} mg/dL or more over their 30-day median`,
  spo2_below_baseline: (r) => `SpO2 below the member's own average: ${r.at} points or more under their average of the previous 30 days`,
  non_adherent: (r) => `Not adherent: device readings on fewer than ${r.at} of the last 30 days`,
  no_transmission: (r) => `No transmission: no device reading for ${r.at} days or more, from members who sent readings in the last ${r.monitored_within_days} days`,
};

export interface LegendEntry {
  readonly term: string;
  readonly definition: string;
}

/** the thresholds behind the reasons, one entry per monitoring rule and per utilization or trend rule */
export function reasonLegend(config: StratifyConfig): LegendEntry[] {
  const m = config.scoring.monitoring;
  const entries: LegendEntry[] = [];
  for (const id of Object.keys(ALERTS) as (keyof Monitoring)[]) {
    const rule = m.rules[id];
    const text = (ALERTS[id] as (r: typeof rule) => string)(rule);
    const colon = text.indexOf(':');
    const overrides = Object.entries(m.overrides)
      .filter(([, o]) => o?.[id] !== undefined)
      .map(([program, o]) => `${program.replace('_', ' ')}: ${Object.entries(o![id]!).map(([k, v]) => `${k.replace('_', ' ')} ${v}`).join(', ')}`);
    entries.push({
      term: text.slice(0, colon),
      definition: `${text.slice(colon + 2)}; ${rule.severity} (${m.severity_points[rule.severity]} points)${overrides.length > 0 ? `; overridden for ${overrides.join('; ')}` : ''}`,
    });
  }
  const r = config.scoring.rules;
  const levels = (l: readonly { at: number; points: number }[], unit = '') => l.map((x) => `${x.at}${unit}: ${x.points} points`).join(', ');
  entries.push(
    { term: 'Hospital admissions', definition: `in the last 12 months, ${levels(r.admissions.levels)}` },
    { term: 'Readmissions', definition: `within 30 days of a discharge, in the last 12 months, ${levels(r.readmissions.levels)}` },
    { term: 'ED visits', definition: `days with an emergency department visit in the last 90 days, ${levels(r.ed_visits.levels)}` },
    { term: 'Cost', definition: `paid for care in the last 12 months, ${r.cost.levels.map((x) => `$${x.at.toLocaleString('en-US')}: ${x.points} points`).join(', ')}` },
    { term: 'Systolic, weight or glucose rising', definition: `30-day slope of at least ${r.sbp_rising.levels[0]?.at} mmHg, ${r.weight_rising.levels[0]?.at} kg or ${r.glucose_rising.levels[0]?.at} mg/dL a day` },
    { term: 'Risk score up', definition: `since the member's previous run, ${levels(r.score_rising.levels, ' points')}` },
  );
  return entries;
}
