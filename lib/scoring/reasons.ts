/**
 * Reasons in words a care manager acts on: the member's actual figure, rounded for reading, and the threshold it
 * crossed. The model (lib/scoring/model.ts) orders them by the points each contributed, strongest first.
 */
import type { RuleId } from '../config/schema.js';
import type { Hit, RuleInput } from './rules.js';
import { SNF_TRANSFER } from './vocabulary.js';

/** Round to at most `decimals` places and drop trailing zeros: 1.25 → "1.3", 2.0 → "2". */
export function num(value: number, decimals = 0): string {
  const f = 10 ** decimals;
  return String(Math.round(value * f) / f);
}

const plural = (n: number, one: string, many: string): string => `${num(n)} ${n === 1 ? one : many}`;
const dollars = (v: number): string => `$${Math.round(v).toLocaleString('en-US')}`;

type Phrase = (hit: Hit, input: RuleInput) => string;

/** discharge statuses of a transfer to skilled nursing: the window then opens at the end of the SNF stay */

const PHRASES: Record<RuleId, Phrase> = {
  lace: (h, { row, lace }) =>
    `Discharged ${plural(row.days_since_community_discharge ?? 0, 'day', 'days')} ago` +
    `${SNF_TRANSFER.includes(row.last_discharge_disposition ?? '') ? ' from skilled nursing' : ''} after a ${num(row.last_stay_los_days ?? 0)}-day ` +
    `${row.last_admission_emergent ? 'emergent' : 'planned'} stay: LACE ${num(h.value)} of 19 ` +
    `(L ${lace!.l}, A ${lace!.a}, C ${lace!.c}, E ${lace!.e}${h.value >= 10 ? '; 10 or more is a high readmission risk' : ''})`,
  sbp_rising: (h) => `Systolic rising ${num(h.value, 1)} mmHg a day over 30 days (>= ${h.threshold})`,
  weight_rising: (h) => `Weight rising ${num(h.value, 2)} kg a day over 30 days (>= ${h.threshold})`,
  glucose_rising: (h) => `Glucose rising ${num(h.value, 1)} mg/dL a day over 30 days (>= ${h.threshold})`,
  score_rising: (h, { change }) => `Risk score up ${num(h.value)} points since the run of ${change!.since} (>= ${h.threshold})`,
  admissions: (h) => `${plural(h.value, 'hospital admission', 'hospital admissions')} in the last 12 months`,
  readmissions: (h) => `${plural(h.value, 'readmission', 'readmissions')} within 30 days of a discharge in the last 12 months`,
  ed_visits: (h) => `${plural(h.value, 'ED visit', 'ED visits')} in the last 90 days`,
  cost: (h) => `${dollars(h.value)} paid for care in the last 12 months (>= ${dollars(h.threshold)})`,
};

export function reasonFor(hit: Hit, input: RuleInput): string {
  return PHRASES[hit.rule](hit, input);
}

/** "a, b and c" */
export function listing(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
