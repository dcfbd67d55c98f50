/**
 * Feedback function: an SQS batch of S3 notifications for partner files dropped in the landing bucket under
 * `feedback/<partner>/`, each validated and stored in the lake by lib/queue/feedback-drop.ts. A file for a partner not
 * in the configuration, or one that cannot be read, fails its message (Powertools Batch partial response); its log
 * lines carry its `landing_key`.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { storeFeedback } from '../lib/queue/feedback-drop.js';
import { instrumented, logger, measured } from './shared/powertools.js';
import { ObjectFailed, processS3Batch, type DeliveredObject } from './shared/s3-batch.js';
import { landingStore, lakeStore, once, shippedConfig } from './shared/wiring.js';

const FEEDBACK_DROP = /^feedback\/([^/]+)\/[^/]+$/;

const wiring = once(() => ({ landing: landingStore(), lake: lakeStore(), config: shippedConfig() }));

async function storeObject(o: DeliveredObject): Promise<void> {
  const { landing, lake, config } = wiring();
  const partners = new Set(config.partners.map((p) => p.name));
  const partner = FEEDBACK_DROP.exec(o.key)?.[1];
  if (o.bucket !== landing.bucket || partner === undefined || !partners.has(partner)) {
    logger.error('not a feedback file of a configured partner (expected feedback/<partner>/<file> in the landing bucket)', {
      bucket: o.bucket,
      key: o.key,
      partners: [...partners],
    });
    throw new ObjectFailed(o.key);
  }
  logger.appendKeys({ landing_key: o.key });
  try {
    const counts = await storeFeedback(landing, lake, partner, o.key);
    logger[counts.rejected > 0 ? 'warn' : 'info']('feedback stored', { key: o.key, partner, ...counts });
  } catch (e) {
    logger.error('feedback file not stored', { key: o.key, error: (e as Error).message });
    throw new ObjectFailed(o.key);
  } finally {
    logger.removeKeys(['landing_key']);
  }
}

export const handler = instrumented(
  (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => measured('feedback', () => processS3Batch(event, context, storeObject)),
);
