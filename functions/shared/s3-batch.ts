/**
 * An SQS batch of S3 notifications, processed with Powertools' Batch utility: each message's body is parsed
 * (lib/aws/s3-events.ts, Powertools Parser) and each object it announces handed to the handler, one message at a
 * time in batch order; the partial batch response hands back only the messages whose notification could not be read
 * or whose object's handler threw (the queue redelivers those, then moves them to its dead-letter queue).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { objectsInNotification, type S3ObjectRef } from '../../lib/aws/s3-events.js';
import { logger } from './powertools.js';

export interface DeliveredObject extends S3ObjectRef {
  readonly messageId: string;
}

/** What a handler throws for an object that fails its message, after logging why (the batch utility logs nothing). */
export class ObjectFailed extends Error {
  constructor(readonly key: string) {
    super(`${key}: not processed`);
    this.name = 'ObjectFailed';
  }
}

export function processS3Batch(event: SQSEvent, context: Context, handle: (o: DeliveredObject) => Promise<void>): Promise<SQSBatchResponse> {
  const record = async (r: SQSRecord): Promise<void> => {
    let objects: S3ObjectRef[];
    try {
      objects = objectsInNotification(r.body);
    } catch (e) {
      logger.error('unreadable notification', { messageId: r.messageId, error: (e as Error).message });
      throw e;
    }
    for (const o of objects) await handle({ ...o, messageId: r.messageId });
  };
  // sequential: an eligibility file earlier in a batch is ingested before the claims after it
  return processPartialResponse(event, record, new BatchProcessor(EventType.SQS), { context, processInParallel: false, throwOnFullBatchFailure: false });
}
