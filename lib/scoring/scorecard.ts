/**
 * A partner's scorecard (pure), from its ledger (what it was sent) and its feedback (what it reported back), over the
 * members it was sent and the reports made on or after their first send (an earlier report answered something else):
 * - sent: messages accepted by the partner's queue, and the distinct members they carried;
 * - contacted: members the partner reached (any report of contacted, enrolled or declined);
 * - enrolled, declined, unreachable: members whose latest outcome is that (a later `contacted` does not change it);
 * - median days to contact: from a member's first send (its as-of date) to the first report that they were reached,
 *   over the members reached.
 */
import { median } from 'simple-statistics';
import { latestOutcome, type Feedback } from '../queue/feedback.js';
import type { LedgerEntry } from '../queue/ledger.js';
import { daysApart } from '../dates.js';

export type Scorecard = {
  readonly partner: string;
  readonly sent: number;
  readonly members: number;
  readonly contacted: number;
  readonly enrolled: number;
  readonly declined: number;
  readonly unreachable: number;
  readonly median_days_to_contact: number | null;
};

const REACHED = new Set(['contacted', 'enrolled', 'declined']);

export function scorecard(partner: string, ledger: readonly LedgerEntry[], feedback: readonly Feedback[]): Scorecard {
  const firstSent = new Map<string, string>();
  for (const e of ledger) if (!firstSent.has(e.person_id) || e.as_of_date < firstSent.get(e.person_id)!) firstSent.set(e.person_id, e.as_of_date);
  const mine = feedback.filter((f) => firstSent.has(f.person_id) && f.reported_on >= firstSent.get(f.person_id)!);

  const firstReached = new Map<string, string>();
  for (const f of mine) {
    if (!REACHED.has(f.status)) continue;
    if (!firstReached.has(f.person_id) || f.reported_on < firstReached.get(f.person_id)!) firstReached.set(f.person_id, f.reported_on);
  }
  const latest = [...latestOutcome(mine).values()];
  const latestIs = (status: string): number => latest.filter((f) => f.status === status).length;
  const days = [...firstReached].map(([person, on]) => daysApart(firstSent.get(person)!, on));
  return {
    partner,
    sent: ledger.length,
    members: firstSent.size,
    contacted: firstReached.size,
    enrolled: latestIs('enrolled'),
    declined: latestIs('declined'),
    unreachable: latestIs('unreachable'),
    median_days_to_contact: days.length === 0 ? null : median(days),
  };
}
