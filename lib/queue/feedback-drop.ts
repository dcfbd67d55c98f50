/**
 * A partner's feedback file as delivered (NDJSON lines `{"person_id", "status", "reported_at"}`), validated line by
 * line: valid lines are stored, reduced to those three fields, at `feedback/<partner>/<sha16>.ndjson` in the lake,
 * where the score and dispatch stages read them (feedback.ts); invalid lines go to `quarantine/<sha16>.ndjson` with
 * their line number, field and reason. Files are named by content hash, so a redelivered file changes nothing.
 */
import { createHash } from 'node:crypto';
import { valueAt } from '../ingest/json.js';
import { quarantineKey } from '../ingest/quarantine.js';
import type { QuarantineLine } from '../ingest/types.js';
import type { ObjectStore } from '../store/port.js';
import { feedbackPrefix, feedbackSchema } from './feedback.js';
import { toNdjson } from './ndjson.js';

/** Reads one dropped file from the landing store, validates it and stores its valid and invalid lines in the lake; returns the counts. */
export async function storeFeedback(landing: ObjectStore, lake: ObjectStore, partner: string, file: string): Promise<{ accepted: number; rejected: number }> {
  const bytes = await landing.get(file);
  const sha16 = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const accepted: unknown[] = [];
  const rejected: QuarantineLine[] = [];
  new TextDecoder().decode(bytes).split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      rejected.push({ file, record: i + 1, field: '', reason: 'not JSON', value: null, raw });
      return;
    }
    const parsed = feedbackSchema.safeParse(json);
    if (parsed.success) accepted.push({ person_id: parsed.data.person_id, status: parsed.data.status, reported_at: parsed.data.reported_at });
    else {
      const issue = parsed.error.issues[0]!;
      rejected.push({ file, record: i + 1, field: issue.path.join('.'), reason: issue.message, value: valueAt(json, issue.path), raw });
    }
  });
  if (accepted.length > 0) await lake.put(`${feedbackPrefix(partner)}${sha16}.ndjson`, toNdjson(accepted));
  if (rejected.length > 0) await lake.put(quarantineKey(sha16), toNdjson(rejected));
  return { accepted: accepted.length, rejected: rejected.length };
}
