/**
 * Feedback function: an SQS batch of S3 notifications for partner files dropped in the landing bucket under
 * `feedback/<partner>/` (NDJSON lines `{"person_id", "status", "reported_at"}`). Each file is validated line by line:
 * valid lines are stored, reduced to those three fields, at `feedback/<partner>/<sha16>.ndjson` in the lake, where
 * dispatch reads them (lib/queue/feedback.ts); invalid lines go to `quarantine/<sha16>.ndjson` with their line number,
 * field and reason. Files are named by content hash, so a redelivered file changes nothing. A file for a partner not
 * in the configuration, or one that cannot be read, fails its message.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createHash } from 'node:crypto';
import type { QuarantineLine } from '../lib/ingest/types.js';
import { feedbackPrefix, feedbackSchema } from '../lib/queue/feedback.js';
import { toNdjson } from '../lib/queue/ndjson.js';
import type { ObjectStore } from '../lib/store/port.js';
import { log } from './shared/log.js';
import { batchResponse, deliveredObjects } from './shared/s3-batch.js';
import { landingStore, lakeStore, once, shippedConfig } from './shared/wiring.js';

const FEEDBACK_DROP = /^feedback\/([^/]+)\/[^/]+$/;

const wiring = once(() => ({ landing: landingStore(), lake: lakeStore(), config: shippedConfig() }));

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
      const field = issue.path.join('.');
      const value = typeof json === 'object' && json !== null && field in json ? (json as Record<string, unknown>)[field] : null;
      rejected.push({ file, record: i + 1, field, reason: issue.message, value, raw });
    }
  });
  if (accepted.length > 0) await lake.put(`${feedbackPrefix(partner)}${sha16}.ndjson`, toNdjson(accepted));
  if (rejected.length > 0) await lake.put(`quarantine/${sha16}.ndjson`, toNdjson(rejected));
  return { accepted: accepted.length, rejected: rejected.length };
}

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const { landing, lake, config } = wiring();
  const partners = new Set(config.partners.map((p) => p.name));
  const failed = new Set<string>();
  for (const o of deliveredObjects(event, failed)) {
    const partner = FEEDBACK_DROP.exec(o.key)?.[1];
    if (o.bucket !== landing.bucket || partner === undefined || !partners.has(partner)) {
      log('error', 'not a feedback file of a configured partner (expected feedback/<partner>/<file> in the landing bucket)', {
        bucket: o.bucket,
        key: o.key,
        partners: [...partners],
      });
      failed.add(o.messageId);
      continue;
    }
    try {
      const counts = await storeFeedback(landing, lake, partner, o.key);
      log(counts.rejected > 0 ? 'warn' : 'info', 'feedback stored', { key: o.key, partner, ...counts });
    } catch (e) {
      log('error', 'feedback file not stored', { key: o.key, error: (e as Error).message });
      failed.add(o.messageId);
    }
  }
  return batchResponse(failed);
}
