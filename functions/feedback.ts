/**
 * Feedback function: an SQS batch of S3 notifications for partner files dropped in the landing bucket under
 * `feedback/<partner>/`, each validated and stored in the lake by lib/queue/feedback-drop.ts. A file for a partner not
 * in the configuration, or one that cannot be read, fails its message.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { storeFeedback } from '../lib/queue/feedback-drop.js';
import { log } from './shared/log.js';
import { batchResponse, deliveredObjects } from './shared/s3-batch.js';
import { landingStore, lakeStore, once, shippedConfig } from './shared/wiring.js';

const FEEDBACK_DROP = /^feedback\/([^/]+)\/[^/]+$/;

const wiring = once(() => ({ landing: landingStore(), lake: lakeStore(), config: shippedConfig() }));

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
