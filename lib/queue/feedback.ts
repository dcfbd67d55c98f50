/**
 * Partner feedback: partners drop NDJSON files under `feedback/<partner>/`, one line per member contact outcome,
 * `{"person_id": "...", "status": "enrolled", "reported_at": "2024-06-01T09:30:00Z"}` (a plain date is accepted too).
 * A person's latest status is what counts: `enrolled` excludes them from that partner's program (score stage),
 * `declined` and `unreachable` keep them off the partner's list for a cool-off period (dispatch, lib/queue/suppression.ts),
 * and every status feeds the partner scorecard. Extra fields are ignored; lines that do not parse are counted, not fatal.
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

export function feedbackPrefix(partner: string): string {
  return `feedback/${partner}/`;
}

export async function readFeedback(store: ObjectStore, partner: string): Promise<{ records: Feedback[]; invalid: number }> {
  const files = (await store.list(feedbackPrefix(partner))).filter((f) => f.key.endsWith('.ndjson'));
  const records: Feedback[] = [];
  let invalid = 0;
  for (const f of files) {
    const parsed = parseNdjson(new TextDecoder().decode(await store.get(f.key)), feedbackSchema);
    invalid += parsed.invalid;
    for (const r of parsed.records) {
      records.push({ person_id: r.person_id, status: r.status, reported_on: new Date(r.reported_at).toISOString().slice(0, 10) });
    }
  }
  return { records, invalid };
}

/** Each person's latest reported status (the last line wins between two reports of the same day). */
export function latestFeedback(records: readonly Feedback[]): Map<string, Feedback> {
  const latest = new Map<string, Feedback>();
  for (const r of records) {
    const seen = latest.get(r.person_id);
    if (seen === undefined || r.reported_on >= seen.reported_on) latest.set(r.person_id, r);
  }
  return latest;
}
