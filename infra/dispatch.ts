/**
 * One SQS queue per partner of the configuration, the AWS side of the local `outbox/<partner>.ndjson`: dispatch sends
 * one `stratify.flag/v1` message per flagged member, the partner receives and deletes. A message a partner's consumer
 * fails to process five times moves to the partner's dead-letter queue (alarmed). Messages wait 14 days, the SQS
 * maximum, and SQS then deletes them unread: a partner that stops reading for longer loses those messages, although
 * the ledger records them as sent (so dispatch does not send them again while the suppression window lasts). Their
 * members are still listed on the worklists under worklists/as_of=<date>/.
 *
 * A partner with `account_id` reads from its own AWS account, from the queue `<stack>-partner-<name>`: its queue's
 * policy lets that account receive, delete
 * and change the visibility of messages on that queue only, and the queue (with its dead-letter queue) is encrypted
 * with a key of its own whose policy lets that account decrypt through SQS for that queue only. The data key stays
 * private to this account: granting it would open every bucket object it encrypts to the partner's key use.
 */
import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { StratifyConfig } from '../lib/config/index.js';
import { queueWithDlq, type QueueWithDlq } from './queue-with-dlq.js';

export interface PartnerQueuesProps {
  readonly partners: StratifyConfig['partners'];
  readonly key: kms.IKey;
}

export interface PartnerQueue extends QueueWithDlq {
  /** the key of the queue: the data key, or the partner's own when it reads from another account */
  readonly key: kms.IKey;
}

/** what a partner's account may do on its queue: read, delete, and hold a message longer while it works on it */
export const PARTNER_QUEUE_ACTIONS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'];

export class PartnerQueues extends Construct {
  /** partner name → its queue, dead-letter queue and key */
  public readonly byPartner: ReadonlyMap<string, PartnerQueue>;

  constructor(scope: Construct, id: string, { partners, key }: PartnerQueuesProps) {
    super(scope, id);
    const byPartner = new Map<string, PartnerQueue>();
    for (const p of partners) {
      const own =
        p.account_id === undefined
          ? undefined
          : new kms.Key(this, `${p.name}Key`, {
              description: `Stratify: the queue of partner ${p.name}, read from its account ${p.account_id}`,
              enableKeyRotation: true,
              removalPolicy: RemovalPolicy.RETAIN,
            });
      const queueKey = own ?? key;
      // a queue read from another account has a fixed name (its URL is known before deploying, and its ARN in the key
      // policy does not make the key and the queue depend on each other)
      const queueName = own === undefined ? undefined : `${Stack.of(this).stackName}-partner-${p.name}`;
      const q = queueWithDlq(this, p.name, {
        key: queueKey,
        maxReceiveCount: 5,
        visibilityTimeout: Duration.minutes(5),
        retention: Duration.days(14),
        ...(queueName === undefined ? {} : { queueName }),
      });
      if (own !== undefined && p.account_id !== undefined && queueName !== undefined) {
        const account = new iam.AccountPrincipal(p.account_id);
        q.queue.addToResourcePolicy(new iam.PolicyStatement({ principals: [account], actions: PARTNER_QUEUE_ACTIONS, resources: [q.queue.queueArn] }));
        own.addToResourcePolicy(
          new iam.PolicyStatement({
            principals: [account],
            actions: ['kms:Decrypt'],
            resources: ['*'],
            conditions: {
              StringEquals: {
                'kms:ViaService': `sqs.${Aws.REGION}.amazonaws.com`,
                'kms:EncryptionContext:aws:sqs:arn': `arn:${Aws.PARTITION}:sqs:${Aws.REGION}:${Aws.ACCOUNT_ID}:${queueName}`,
              },
            },
          }),
        );
      }
      byPartner.set(p.name, { ...q, key: queueKey });
    }
    this.byPartner = byPartner;
  }

  /** the STRATIFY_QUEUE_URLS value: a JSON object partner → queue URL (URLs resolve at deploy time) */
  queueUrlsJson(): string {
    return Stack.of(this).toJsonString(Object.fromEntries([...this.byPartner].map(([name, q]) => [name, q.queue.queueUrl])));
  }
}
