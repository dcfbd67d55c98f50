/**
 * Who is not sent again, decided from a partner's ledger and feedback (pure):
 * - already sent: the same idempotency key is in the ledger (a rerun of the same as-of date);
 * - sent recently: the member was sent to this partner for an as-of date less than `windowDays` away;
 * - feedback: the partner reported a suppressing status (by default enrolled or declined) less than `windowDays` ago.
 * Distances are in whole days either way, so a backfill of an older date is suppressed by a newer send too.
 */
import type { Feedback, FeedbackStatus } from './feedback.js';
import type { LedgerEntry } from './ledger.js';

export type Suppression = 'already sent' | 'sent recently' | 'partner feedback';

const MS_PER_DAY = 86_400_000;

export function daysApart(a: string, b: string): number {
  return Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / MS_PER_DAY;
}

export interface SuppressionPolicy {
  readonly asOf: string;
  readonly windowDays: number;
  readonly suppressingStatuses: readonly FeedbackStatus[];
}

/** A function telling, for a candidate message, why it is suppressed, or null to send it. */
export function suppressor(
  ledger: readonly LedgerEntry[],
  feedback: readonly Feedback[],
  policy: SuppressionPolicy,
): (candidate: { idempotency_key: string; person_id: string }) => Suppression | null {
  const sentKeys = new Set(ledger.map((e) => e.idempotency_key));
  const recent = (date: string): boolean => daysApart(date, policy.asOf) < policy.windowDays;
  const sentRecently = new Set(ledger.filter((e) => recent(e.as_of_date)).map((e) => e.person_id));
  const reported = new Set(
    feedback.filter((f) => policy.suppressingStatuses.includes(f.status) && recent(f.reported_on)).map((f) => f.person_id),
  );
  return (c) => (sentKeys.has(c.idempotency_key) ? 'already sent' : sentRecently.has(c.person_id) ? 'sent recently' : reported.has(c.person_id) ? 'partner feedback' : null);
}
