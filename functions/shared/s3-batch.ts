/**
 * An SQS batch of S3 notifications as the objects it announces, each tagged with the message that carried it, and
 * the partial-batch response that hands back only the messages whose objects failed (the queue redelivers those,
 * then moves them to its dead-letter queue).
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { objectsInNotification, type S3ObjectRef } from '../../lib/aws/s3-events.js';
import { log } from './log.js';

export interface DeliveredObject extends S3ObjectRef {
  readonly messageId: string;
}

/** The objects of the batch in message order; a message that is not an S3 notification is logged and failed. */
export function deliveredObjects(event: SQSEvent, failed: Set<string>): DeliveredObject[] {
  const out: DeliveredObject[] = [];
  for (const record of event.Records) {
    try {
      for (const ref of objectsInNotification(record.body)) out.push({ ...ref, messageId: record.messageId });
    } catch (e) {
      log('error', 'unreadable notification', { messageId: record.messageId, error: (e as Error).message });
      failed.add(record.messageId);
    }
  }
  return out;
}

export function batchResponse(failed: ReadonlySet<string>): SQSBatchResponse {
  return { batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })) };
}
