/**
 * Partner feedback: partners drop NDJSON files under `feedback/<partner>/`, one line per member contact outcome,
 * `{"person_id": "...", "status": "enrolled", "reported_at": "2024-06-01T09:30:00Z"}` (a plain date is accepted too).
 * Dispatch reads them to suppress members a partner has already enrolled or who declined (which statuses suppress,
 * and for how long, is configuration). Extra fields are ignored; lines that do not parse are counted, not fatal.
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
