/**
 * Reasons in words a care manager acts on: the member's actual figure, rounded for reading, and the threshold it
 * crossed. One sentence per rule met, strongest first (the order of evaluateMember).
 */
import type { RuleId } from '../config/index.js';
import { CONDITIONS, type FeatureRow, type Hit } from './rules.js';

/** Round to at most `decimals` places and drop trailing zeros: 1.25 → "1.3", 2.0 → "2". */
export function num(value: number, decimals = 0): string {
  const f = 10 ** decimals;
  return String(Math.round(value * f) / f);
}

const plural = (n: number, one: string, many: string): string => `${num(n)} ${n === 1 ? one : many}`;
const dollars = (v: number): string => `$${Math.round(v).toLocaleString('en-US')}`;
const percent = (share: number): string => `${num(share * 100)}%`;

type Phrase = (value: number, threshold: string, row: FeatureRow) => string;

/** The phrase receives the threshold formatted as "(>= 140)", the number as configured unless the rule formats it. */
const PHRASES: Record<RuleId, { readonly text: Phrase; readonly threshold?: (at: number) => string }> = {
  sbp_mean_high: { text: (v, t) => `Average systolic ${num(v)} mmHg over the last 30 days ${t}` },
  bp_uncontrolled: { text: (v, t) => `${percent(v)} of blood-pressure readings at or above 140/90 in the last 30 days ${t}`, threshold: percent },
  sbp_rising: { text: (v, t) => `Systolic rising ${num(v, 1)} mmHg a day over 30 days ${t}` },
  weight_gain: { text: (v, t) => `Weight up ${num(v, 1)} kg in 7 days ${t}` },
  spo2_low: { text: (v, t) => `Lowest SpO2 ${num(v, 1)}% in the last 30 days ${t}` },
  glucose_mean_high: { text: (v, t) => `Average glucose ${num(v)} mg/dL over the last 30 days ${t}` },
  glucose_max_high: { text: (v, t) => `Highest glucose ${num(v)} mg/dL in the last 30 days ${t}` },
  glucose_low: { text: (v, t) => `Lowest glucose ${num(v)} mg/dL in the last 30 days ${t}` },
  no_recent_reading: { text: (v, t) => `No device reading for ${num(v)} days ${t}` },
  ed_visits: { text: (v) => `${plural(v, 'ED visit', 'ED visits')} in the last 90 days` },
  admissions: { text: (v) => `${plural(v, 'hospital admission', 'hospital admissions')} in the last 12 months` },
  readmissions: { text: (v) => `${plural(v, 'readmission', 'readmissions')} within 30 days of a discharge in the last 12 months` },
  multimorbidity: {
    text: (v, _t, row) => `${num(v)} chronic conditions: ${CONDITIONS.filter(([col]) => row[col]).map(([, name]) => name).join(', ')}`,
  },
  age: { text: (v, t) => `Age ${num(v)} ${t}` },
  cost: { text: (v, t) => `${dollars(v)} paid for care in the last 12 months ${t}`, threshold: dollars },
};

export function reasonFor(hit: Hit, row: FeatureRow): string {
  const p = PHRASES[hit.rule];
  return p.text(hit.value, `(${hit.compare} ${(p.threshold ?? String)(hit.threshold)})`, row);
}

export function reasonsFor(hits: readonly Hit[], row: FeatureRow): string[] {
  return hits.map((h) => reasonFor(h, row));
}
