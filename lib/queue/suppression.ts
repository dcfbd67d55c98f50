/**
 * Who is sent to a partner today, decided from the partner's ledger and feedback (pure), in this order:
 * - already sent: the same idempotency key is in the ledger (a rerun of the same as-of date);
 * - partner feedback, the person's latest outcome reported on or before the as-of date (`contacted` is no outcome):
 *   `enrolled` keeps them off (the score stage excludes them already), `declined` and `unreachable` keep them off for
 *   their cool-off days;
 * - sent recently: the member was sent to this partner for an as-of date less than `windowDays` away, unless their
 *   tier is now worse than every tier they were sent with in that window (then they are sent again). A ledger entry
 *   written before tiers were recorded counts as sent at the most urgent tier: its tier is unknown, and calling every
 *   such member "worsened" would resend the whole window once after the upgrade.
 * Distances are in whole days either way, so a backfill of an older date is suppressed by a newer send too.
 */
import { daysApart } from '../dates.js';
import { TIERS, type Tier } from '../scoring/vocabulary.js';
import { latestOutcome, type Feedback } from './feedback.js';
import type { LedgerEntry } from './ledger.js';

export type Suppression = 'already sent' | 'sent recently' | 'partner: enrolled' | 'partner: declined' | 'partner: unreachable';
/** what becomes of a candidate today: the worklist shows it as the member's status */
export type Decision = 'sent' | 'sent: tier worsened' | Suppression;

export interface SuppressionPolicy {
  readonly asOf: string;
  readonly windowDays: number;
  readonly cooloffDays: { readonly declined: number; readonly unreachable: number };
}

export interface Candidate {
  readonly idempotency_key: string;
  readonly person_id: string;
  readonly tier: string;
}

/** 0 for the most urgent tier; a missing tier (an old ledger entry) as the most urgent, so it is never worsened */
const urgency = (tier: string | undefined): number => (tier === undefined ? 0 : TIERS.indexOf(tier as Tier));

/** A function telling, for a candidate message, whether it goes out today and why (not). */
export function suppressor(ledger: readonly LedgerEntry[], feedback: readonly Feedback[], policy: SuppressionPolicy): (candidate: Candidate) => Decision {
  const sentKeys = new Set(ledger.map((e) => e.idempotency_key));
  /** per person, the most urgent tier sent within the window */
  const sentWithin = new Map<string, number>();
  for (const e of ledger) {
    if (daysApart(e.as_of_date, policy.asOf) >= policy.windowDays) continue;
    sentWithin.set(e.person_id, Math.min(sentWithin.get(e.person_id) ?? Infinity, urgency(e.tier)));
  }
  const latest = latestOutcome(feedback.filter((f) => f.reported_on <= policy.asOf));
  const feedbackBlocks = (person: string): Suppression | null => {
    const f = latest.get(person);
    if (f === undefined) return null;
    if (f.status === 'enrolled') return 'partner: enrolled';
    return daysApart(f.reported_on, policy.asOf) < policy.cooloffDays[f.status] ? `partner: ${f.status}` : null;
  };
  return (c) => {
    if (sentKeys.has(c.idempotency_key)) return 'already sent';
    const fb = feedbackBlocks(c.person_id);
    if (fb !== null) return fb;
    const sentTier = sentWithin.get(c.person_id);
    if (sentTier === undefined) return 'sent';
    return urgency(c.tier) < sentTier ? 'sent: tier worsened' : 'sent recently';
  };
}
