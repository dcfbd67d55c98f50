/**
 * Ingest function: an SQS batch of S3 object-created notifications for `landing/` in the landing bucket. The files
 * of the batch go through the same ingest stage as locally (content-hash dedupe, bad records to quarantine/ in the
 * lake), read straight from the landing bucket under their own keys. A file that cannot be ingested fails only the
 * message that announced it (partial batch response); the others are done.
 *
 * Eligibility first does NOT hold across files here: the event source hands over one file a message (batch size 1)
 * with up to `deploy.ingest_max_concurrency` ingests at once, so a claims file can be checked against the members
 * before an eligibility file delivered with it is written, and its claims of persons that file brings are
 * quarantined for good ("unknown person"). Whoever delivers must send eligibility first and wait until it is
 * ingested, i.e. until `manifests/<sha16>.json` (the first 16 hex digits of the file's sha256) exists in the lake or
 * the "file ingested" log line names its key, before delivering claims or readings of new members. This function
 * cannot enforce it: an eligibility ingest in flight leaves no trace until it flushes its first 100,000 rows.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { IngestSource } from '../lib/ingest/types.js';
import { ingest } from '../lib/pipeline/ingest.js';
import { log } from './shared/log.js';
import { batchResponse, deliveredObjects, type DeliveredObject } from './shared/s3-batch.js';
import { landingStore, once, pipelineContext } from './shared/wiring.js';

const LANDING_PREFIX = 'landing/';

const wiring = once(() => ({ landing: landingStore(), ctx: pipelineContext() }));

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const { landing, ctx } = wiring();
  const failed = new Set<string>();
  const files: DeliveredObject[] = [];
  for (const o of deliveredObjects(event, failed)) {
    if (o.bucket !== landing.bucket) {
      log('error', 'notification for another bucket', { bucket: o.bucket, key: o.key, messageId: o.messageId });
      failed.add(o.messageId);
    } else if (!o.key.startsWith(LANDING_PREFIX)) {
      log('warn', `not under ${LANDING_PREFIX}: ignored`, { key: o.key });
    } else files.push(o);
  }

  const sources: IngestSource[] = files.map((o) => ({ name: o.key, ...(o.size === undefined ? {} : { size: o.size }), open: () => landing.read(o.key) }));
  const reports = await ingest(ctx, sources);
  reports.forEach((r, i) => {
    const { key, messageId } = files[i]!;
    if (r.error !== undefined) {
      log('error', 'file not ingested', { key, messageId, format: r.format, error: r.error });
      failed.add(messageId);
    } else {
      const message = { 'already-ingested': 'file already ingested', 'not-read': 'file of a kind Stratify does not read' } as const;
      log('info', r.skipped ? message[r.skipped] : 'file ingested', {
        key,
        format: r.format,
        read: r.read,
        accepted: r.accepted,
        quarantined: r.quarantined,
        skipped_records: r.skippedRecords,
        reasons: r.reasons,
        notes: r.notes,
      });
    }
  });
  return batchResponse(failed);
}
