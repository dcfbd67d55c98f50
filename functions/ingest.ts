/**
 * Ingest function: an SQS batch of S3 object-created notifications for `landing/` in the landing bucket. The files
 * of the batch go through the same ingest stage as locally (content-hash dedupe, bad records to quarantine/ in the
 * lake), read straight from the landing bucket under their own keys. A file that cannot be ingested fails only the
 * message that announced it (partial batch response); the others are done.
 *
 * Eligibility first does not hold across files by itself here: the event source hands over one file a message (batch
 * size 1) with up to `deploy.ingest_max_concurrency` ingests at once, and a claim is checked against the members known
 * when its file starts. So a file that makes no members is not read while another invocation ingests one that does
 * (an eligibility file, or FHIR holding Patients: its marker under ingesting/, lib/ingest/in-progress.ts):
 * its message fails, and SQS delivers it again after the visibility timeout. A claims file whose ingest started
 * before the eligibility file's marker was written (that file's hashing pass comes first) is still checked against
 * the members known then, and its claims of persons that file brings are quarantined for good ("unknown person"):
 * whoever delivers sends eligibility first.
 *
 * S3 notifications come at least once, and the same bytes may arrive under two keys, so two invocations can start on
 * one content at once: the ingest stage claims each file's content hash (the same marker, created only if absent),
 * and the one that loses fails its message, which SQS delivers again; by then the manifest exists and the file is
 * answered "already ingested".
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
  // the records a file replaced are not counted here (that is an Athena query per file); `<table>_versions` answers it
  const reports = await ingest(ctx, sources, { waitForMembers: true, countReplaced: false });
  reports.forEach((r, i) => {
    const { key, messageId } = files[i]!;
    if (r.waitsFor !== undefined) {
      // the landing keys and formats of the files waited for, no record content
      log('warn', 'file waits for members being ingested; retried after the visibility timeout', {
        key,
        messageId,
        format: r.format,
        waits_for: r.waitsFor.map((w) => ({ key: w.file, format: w.format, started_at: w.started_at })),
      });
      failed.add(messageId);
    } else if (r.heldBy !== undefined) {
      // the landing keys and formats of both files, no record content
      log('warn', 'another ingest of the same content is in progress; retried after the visibility timeout', {
        key,
        messageId,
        format: r.format,
        held_by: { key: r.heldBy.file, format: r.heldBy.format, started_at: r.heldBy.started_at },
      });
      failed.add(messageId);
    } else if (r.error !== undefined) {
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
