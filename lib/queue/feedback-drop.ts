/**
 * A partner's feedback file as delivered (NDJSON lines `{"person_id", "status", "reported_at"}`), validated line by
 * line: valid lines are stored, reduced to those three fields, at `feedback/<partner>/<sha16>.ndjson` in the lake,
 * where the score and dispatch stages read them (feedback.ts); invalid lines go to `quarantine/<sha16>.ndjson` with
 * their line number, field and reason. Files are named by content hash, so a redelivered file changes nothing.
 */
import { createHash } from 'node:crypto';
import { quarantineKey } from '../ingest/quarantine.js';
import type { ObjectStore } from '../store/port.js';
import { checkFeedbackText, feedbackPrefix } from './feedback.js';
import { toNdjson } from './ndjson.js';

/** Reads one dropped file from the landing store, validates it and stores its valid and invalid lines in the lake; returns the counts. */
export async function storeFeedback(landing: ObjectStore, lake: ObjectStore, partner: string, file: string): Promise<{ accepted: number; rejected: number }> {
  const bytes = await landing.get(file);
  const sha16 = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const { valid, rejected } = checkFeedbackText(file, new TextDecoder().decode(bytes), Date.now());
  if (valid.length > 0) await lake.put(`${feedbackPrefix(partner)}${sha16}.ndjson`, toNdjson(valid));
  if (rejected.length > 0) await lake.put(quarantineKey(sha16), toNdjson(rejected));
  return { accepted: valid.length, rejected: rejected.length };
}
