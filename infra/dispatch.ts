/**
 * One SQS queue per partner of the configuration, the AWS side of the local `outbox/<partner>.ndjson`: dispatch sends
 * one `stratify.flag/v1` message per flagged member, the partner receives and deletes. A message a partner's consumer
 * fails to process five times moves to the partner's dead-letter queue (alarmed). Messages wait 14 days, the SQS
 * maximum, and SQS then deletes them unread: a partner that stops reading for longer loses those messages, although
 * the ledger records them as sent (so dispatch does not send them again while the suppression window lasts). Their
 * members are still listed on the worklists under worklists/as_of=<date>/.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { StratifyConfig } from '../lib/config/index.js';
import { queueWithDlq, type QueueWithDlq } from './queue-with-dlq.js';

export interface PartnerQueuesProps {
  readonly partners: StratifyConfig['partners'];
  readonly key: kms.IKey;
}

export class PartnerQueues extends Construct {
  /** partner name → its queue and dead-letter queue */
  public readonly byPartner: ReadonlyMap<string, QueueWithDlq>;

  constructor(scope: Construct, id: string, { partners, key }: PartnerQueuesProps) {
    super(scope, id);
    const byPartner = new Map<string, QueueWithDlq>();
    for (const p of partners) {
      const q = queueWithDlq(this, p.name, { key, maxReceiveCount: 5, visibilityTimeout: Duration.minutes(5), retention: Duration.days(14) });
      byPartner.set(p.name, q);
    }
    this.byPartner = byPartner;
  }

  /** the STRATIFY_QUEUE_URLS value: a JSON object partner → queue URL (URLs resolve at deploy time) */
  queueUrlsJson(): string {
    return Stack.of(this).toJsonString(Object.fromEntries([...this.byPartner].map(([name, q]) => [name, q.queue.queueUrl])));
  }
}
