/**
 * Partner feedback: partners drop NDJSON files under `feedback/<partner>/`, one line per member contact outcome,
 * `{"person_id": "...", "status": "enrolled", "reported_at": "2024-06-01T09:30:00Z"}` (a plain date is accepted too).
 * A person's latest outcome is what counts: `enrolled` excludes them from that partner's program (score stage),
 * `declined` and `unreachable` keep them off the partner's list for a cool-off period (dispatch, lib/queue/suppression.ts).
 * `contacted` is not an outcome: it feeds the partner scorecard only, so a `contacted` reported after an `enrolled`
 * (a partner's follow-up call) does not put the member back on the list. Extra fields are ignored; lines that do not
 * parse are counted, not fatal.
 */
import { z } from 'zod';
import type { ObjectStore } from '../store/port.js';
import { parseNdjson } from './ndjson.js';

export const FEEDBACK_STATUSES = ['contacted', 'enrolled', 'declined', 'unreachable'] as const;
export type FeedbackStatus = (typeof FEEDBACK_STATUSES)[number];

export const feedbackSchema = z.object({
  person_id: z.string().min(1),
  status: z.enum(FEEDBACK_STATUSES),
  reported_at: z.union([z.iso.date(), z.iso.datetime({ offset: true })]),
});

export interface Feedback {
  readonly person_id: string;
  readonly status: FeedbackStatus;
  /** the UTC calendar date of `reported_at` */
  readonly reported_on: string;
}

/** A report that decides whether the member is sent again (everything but `contacted`). */
export type Outcome = Feedback & { readonly status: Exclude<FeedbackStatus, 'contacted'> };
const isOutcome = (r: Feedback): r is Outcome => r.status !== 'contacted';

export function feedbackPrefix(partner: string): string {
  return `feedback/${partner}/`;
}

/**
 * The partner's reports in the order they were made: by the instant of `reported_at` (a plain date counts as its
 * midnight UTC), reports of the same instant, and plain dates of the same day, in file and line order. Two reports of
 * one day are thus ordered by their time although `reported_on` keeps only the day.
 */
export async function readFeedback(store: ObjectStore, partner: string): Promise<{ records: Feedback[]; invalid: number }> {
  const files = (await store.list(feedbackPrefix(partner))).filter((f) => f.key.endsWith('.ndjson'));
  const reports: { at: number; record: Feedback }[] = [];
  let invalid = 0;
  for (const f of files) {
    const parsed = parseNdjson(new TextDecoder().decode(await store.get(f.key)), feedbackSchema);
    invalid += parsed.invalid;
    for (const r of parsed.records) {
      const at = Date.parse(r.reported_at);
      reports.push({ at, record: { person_id: r.person_id, status: r.status, reported_on: new Date(at).toISOString().slice(0, 10) } });
    }
  }
  return { records: reports.sort((a, b) => a.at - b.at).map((r) => r.record), invalid };
}

/**
 * Each person's latest outcome (enrolled, declined or unreachable; `contacted` is skipped). Records are taken in
 * report order (readFeedback's), so between two reports of the same day the later one wins.
 */
export function latestOutcome(records: readonly Feedback[]): Map<string, Outcome> {
  const latest = new Map<string, Outcome>();
  for (const r of records) {
    if (!isOutcome(r)) continue;
    const seen = latest.get(r.person_id);
    if (seen === undefined || r.reported_on >= seen.reported_on) latest.set(r.person_id, r);
  }
  return latest;
}
