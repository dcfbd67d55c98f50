/**
 * An SQS queue as every queue of Stratify is built: encrypted with a customer-managed key, TLS-only, and a
 * dead-letter queue (same key, 14 days of retention, the SQS maximum) that takes a message after `maxReceiveCount`
 * failed receives. infra/alarms.ts alarms on every dead-letter queue this returns.
 */
import { Duration } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface QueueWithDlqProps {
  readonly key: kms.IKey;
  readonly maxReceiveCount: number;
  readonly visibilityTimeout: Duration;
  readonly retention: Duration;
  /** a fixed name (e.g. for a queue another account reads) @default a name CloudFormation generates */
  readonly queueName?: string;
}

export interface QueueWithDlq {
  readonly queue: sqs.Queue;
  readonly dlq: sqs.Queue;
}

export function queueWithDlq(scope: Construct, id: string, props: QueueWithDlqProps): QueueWithDlq {
  const secure = { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: props.key, enforceSSL: true, dataKeyReuse: Duration.hours(1) };
  const dlq = new sqs.Queue(scope, `${id}Dlq`, { ...secure, retentionPeriod: Duration.days(14) });
  const queue = new sqs.Queue(scope, id, {
    ...secure,
    visibilityTimeout: props.visibilityTimeout,
    retentionPeriod: props.retention,
    deadLetterQueue: { queue: dlq, maxReceiveCount: props.maxReceiveCount },
    ...(props.queueName === undefined ? {} : { queueName: props.queueName }),
  });
  return { queue, dlq };
}
