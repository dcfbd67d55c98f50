/**
 * A partner's ranked worklist as CSV (RFC 4180 quoting), the file a care manager opens. Reasons are in plain words,
 * without their thresholds (lib/scoring/legend.ts gives those once: `stratify worklist` and the report print it).
 */
import { csvField } from '../csv.js';
import { daysApart } from '../dates.js';
import { latestOutcome, type Feedback } from './feedback.js';
import { plainReason } from '../scoring/legend.js';
import type { LedgerEntry } from './ledger.js';
import type { Decision, SuppressionPolicy } from './suppression.js';

export const WORKLIST_HEADER = ['rank', 'person_id', 'program', 'tier', 'score', 'status', 'reasons'] as const;

export interface WorklistRow {
  readonly rank: number;
  readonly person_id: string;
  readonly program: string;
  readonly tier: string;
  readonly score: number;
  readonly reasons: readonly string[];
}

/**
 * What dispatch did with the member today, so a care manager sees who is new on the list: `sent`; `sent: tier
 * worsened` (sent again within the suppression window because the tier got worse); `already sent` (a rerun of the
 * same date); `sent recently` (within the suppression window); `partner: enrolled|declined|unreachable` (the
 * partner's latest feedback, within its cool-off); `send failed` (the queue refused it; it is retried on the next run).
 */
export type WorklistStatus = Decision | 'send failed';

/**
 * The status a person reads on the worklist: the decision with the dates behind it. `sent 2026-06-30` (also on a
 * rerun of that date: the member was sent that day), `sent 2026-06-30: tier worsened (sent 2026-06-21 as high)`,
 * `sent 2026-06-21, within 30 days`, `suppressed: enrolled 2026-06-12`, `suppressed: declined 2026-06-20 (90-day
 * cool-off)`, `send failed: retried on the next run`. `ledger` and `feedback` are what the decision was made from.
 */
export function statusDescriber(
  ledger: readonly LedgerEntry[],
  feedback: readonly Feedback[],
  policy: SuppressionPolicy,
): (person: string, status: WorklistStatus) => string {
  /** per person, the latest send of another date within the window (a backfill counts a later send too) */
  const sentOther = new Map<string, LedgerEntry>();
  for (const e of ledger) {
    if (e.as_of_date === policy.asOf || daysApart(e.as_of_date, policy.asOf) >= policy.windowDays) continue;
    const seen = sentOther.get(e.person_id);
    if (seen === undefined || e.as_of_date > seen.as_of_date) sentOther.set(e.person_id, e);
  }
  const latest = latestOutcome(feedback.filter((f) => f.reported_on <= policy.asOf));
  return (person, status) => {
    switch (status) {
      case 'sent':
      case 'already sent':
        return `sent ${policy.asOf}`;
      case 'sent: tier worsened': {
        const was = sentOther.get(person);
        return `sent ${policy.asOf}: tier worsened${was ? ` (sent ${was.as_of_date}${was.tier ? ` as ${was.tier}` : ''})` : ''}`;
      }
      case 'sent recently':
        return `sent ${sentOther.get(person)?.as_of_date ?? 'earlier'}, within ${policy.windowDays} days`;
      case 'partner: enrolled':
        return `suppressed: enrolled ${latest.get(person)?.reported_on ?? ''}`.trimEnd();
      case 'partner: declined':
      case 'partner: unreachable': {
        const outcome = status === 'partner: declined' ? 'declined' : 'unreachable';
        return `suppressed: ${outcome} ${latest.get(person)?.reported_on ?? ''} (${policy.cooloffDays[outcome]}-day cool-off)`;
      }
      case 'send failed':
        return 'send failed: retried on the next run';
    }
  };
}

export function worklistCsv(rows: readonly WorklistRow[], statusOf: (row: WorklistRow) => string): string {
  const lines = [WORKLIST_HEADER.join(',')];
  for (const r of [...rows].sort((a, b) => a.rank - b.rank)) {
    lines.push([String(r.rank), r.person_id, r.program, r.tier, String(r.score), statusOf(r), r.reasons.map(plainReason).join('; ')].map(csvField).join(','));
  }
  return lines.join('\n') + '\n';
}
