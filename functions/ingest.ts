/**
 * Ingest function: an SQS batch of S3 object-created notifications for `landing/` in the landing bucket. The files
 * of the batch go through the same ingest stage as locally (content-hash dedupe, bad records to quarantine/ in the
 * lake), read straight from the landing bucket under their own keys, one message at a time (Powertools Batch). A file
 * that cannot be ingested fails only the message that announced it (partial batch response); the others are done.
 * Each file read publishes its record counts and quarantine rate, by format and in total (lib/pipeline/metrics.ts);
 * its log lines carry its `landing_key`.
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
 *
 * Files of a SQL format (queries/ingest/) are validated by Athena with the same SQL as locally
 * (lib/ingest/athena/ingest-on-athena.ts): up to `deploy.ingest_large_file_bytes` within the invocation, above it by
 * the ingest state machine, which invokes this function again with `{ athena_commit }` once its queries succeeded
 * (the commit: parts, quarantine, manifest, the file's metrics) or `{ athena_abandon }` when one failed.
 */
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { dropFileTables } from '../lib/ingest/athena/commit.js';
import { abandonHandedOver, finishHandedOver, ingestOnAthena } from '../lib/ingest/athena/ingest-on-athena.js';
import type { AbandonEvent, CommitEvent } from '../lib/ingest/athena/machine.js';
import { ingestMetrics } from '../lib/pipeline/metrics.js';
import { ingest } from '../lib/pipeline/ingest.js';
import { etagStamp } from '../lib/store/s3.js';
import { readEnv } from './shared/env.js';
import { instrumented, logger, measured } from './shared/powertools.js';
import { ObjectFailed, processS3Batch, type DeliveredObject } from './shared/s3-batch.js';
import { athenaEngine, clients, lakeStore, landingStore, once, pipelineContext, shippedConfig } from './shared/wiring.js';

const LANDING_PREFIX = 'landing/';

const wiring = once(() => {
  const landing = landingStore();
  const lake = lakeStore();
  const engine = athenaEngine(lake);
  const config = shippedConfig();
  const sqlIngest = ingestOnAthena({
    landing,
    lake,
    engine,
    largeFileBytes: config.deploy.ingest_large_file_bytes,
    startMachine: async (name, plan) => {
      const machine = readEnv(['STRATIFY_INGEST_STATE_MACHINE']).STRATIFY_INGEST_STATE_MACHINE;
      await clients().sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name, input: JSON.stringify(plan) }));
    },
  });
  return { landing, lake, engine, ctx: pipelineContext(), config, sqlIngest };
});

async function ingestObject(o: DeliveredObject, collect: (data: ReturnType<typeof ingestMetrics>) => void): Promise<void> {
  const { landing, ctx, config } = wiring();
  const { key, messageId } = o;
  if (o.bucket !== landing.bucket) {
    logger.error('notification for another bucket', { bucket: o.bucket, key, messageId });
    throw new ObjectFailed(key);
  }
  if (!key.startsWith(LANDING_PREFIX)) {
    logger.warn(`not under ${LANDING_PREFIX}: ignored`, { key });
    return;
  }
  logger.appendKeys({ landing_key: key });
  try {
    // the records a file replaced are not counted here (an Athena query per file); `<table>_versions` answers it.
    // The plausibility ceilings are the configuration's (`ingest`), as in a local run.
    // the ETag, stamped as the landing store's listing stamps it, lets a notification of a file already ingested
    // (S3 sends some twice; the same key delivered again) be answered without reading the file (lib/ingest/known-files.ts)
    const source = { name: key, ...(o.size === undefined ? {} : { size: o.size }), ...(o.eTag === undefined ? {} : { stamp: etagStamp(o.eTag) }), open: () => landing.read(key) };
    const [r] = await ingest(ctx, [source], {
      limits: config.ingest,
      waitForMembers: true,
      countReplaced: false,
      sqlIngest: wiring().sqlIngest,
      dropTables: (sha16) => dropFileTables(wiring().engine, sha16),
    });
    if (r!.waitsFor !== undefined) {
      // the landing keys and formats of the files waited for, no record content
      logger.warn('file waits for members being ingested; retried after the visibility timeout', {
        key,
        messageId,
        format: r!.format,
        waits_for: r!.waitsFor.map((w) => ({ key: w.file, format: w.format, started_at: w.started_at })),
      });
      throw new ObjectFailed(key);
    }
    if (r!.heldBy !== undefined) {
      // the landing keys and formats of both files, no record content
      logger.warn('another ingest of the same content is in progress; retried after the visibility timeout', {
        key,
        messageId,
        format: r!.format,
        held_by: { key: r!.heldBy.file, format: r!.heldBy.format, started_at: r!.heldBy.started_at },
      });
      throw new ObjectFailed(key);
    }
    if (r!.error !== undefined) {
      logger.error('file not ingested', { key, messageId, format: r!.format, error: r!.error });
      throw new ObjectFailed(key);
    }
    const message = {
      'already-ingested': 'file already ingested',
      'not-read': 'file of a kind Stratify does not read',
      'handed-over': 'file handed to the ingest state machine',
    } as const;
    logger.info(r!.skipped ? message[r!.skipped] : 'file ingested', {
      key,
      format: r!.format,
      read: r!.read,
      accepted: r!.accepted,
      quarantined: r!.quarantined,
      skipped_records: r!.skippedRecords,
      reasons: r!.reasons,
      notes: r!.notes,
    });
    // a file handed over publishes its metrics at its commit
    if (r!.skipped !== 'handed-over') collect(ingestMetrics(r!));
  } finally {
    logger.removeKeys(['landing_key']);
  }
}

/** the ingest state machine's call back: commit a large file (its report) or abandon it */
async function finishLargeFile(event: CommitEvent | AbandonEvent, collect: (data: ReturnType<typeof ingestMetrics>) => void): Promise<{ file: string }> {
  const { lake, engine } = wiring();
  if ('athena_commit' in event) {
    const r = await finishHandedOver(lake, engine, event.athena_commit);
    logger.info('file ingested', { key: r.file, format: r.format, read: r.read, accepted: r.accepted, quarantined: r.quarantined, skipped_records: r.skippedRecords, reasons: r.reasons, notes: r.notes });
    collect(ingestMetrics(r));
    return { file: r.file };
  }
  const plan = event.athena_abandon;
  logger.error('file not ingested: an Athena query of the ingest state machine failed', { key: plan.file, format: plan.format, error: plan.error?.Cause ?? plan.error?.Error });
  await abandonHandedOver(lake, engine, plan);
  return { file: plan.file };
}

/** S3 notifications through SQS, or the ingest state machine's call back */
interface IngestHandler {
  (event: SQSEvent, context: Context): Promise<SQSBatchResponse>;
  (event: CommitEvent | AbandonEvent, context: Context): Promise<{ file: string }>;
}

export const handler: IngestHandler = instrumented(
  (event: SQSEvent | CommitEvent | AbandonEvent, context: Context): Promise<SQSBatchResponse | { file: string }> =>
    'Records' in event
      ? measured('ingest', (collect) => processS3Batch(event, context, (o) => ingestObject(o, collect)))
      : measured('ingest', (collect) => finishLargeFile(event, collect)),
) as IngestHandler;
