/**
 * The two drop prefixes of the landing bucket and what consumes them. An object created under `landing/` sends an
 * S3 event to the ingest queue, whose messages invoke the ingest function one file at a time; an object under
 * `feedback/` goes the same way to the feedback function. Both functions report partial batch failures, so a bad
 * file is retried alone and, after three failed receives, parked in its queue's dead-letter queue (alarmed) instead
 * of blocking the files behind it. The queues use the notifications key (see infra/keys.ts for why it is separate).
 */
import { Duration } from 'aws-cdk-lib';
import * as lambdaEvents from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import { Construct } from 'constructs';
import type { DeployConfig } from '../lib/config/deploy.js';
import { FEEDBACK_PREFIX, LANDING_PREFIX } from './layout.js';
import { queueWithDlq, type QueueWithDlq } from './queue-with-dlq.js';
import { StageFunction, type FunctionDefaults } from './stage-function.js';

export interface IngestProps {
  readonly landing: s3.IBucket;
  readonly notificationKey: kms.IKey;
  readonly defaults: FunctionDefaults;
  readonly deploy: DeployConfig;
}

/** Lambda's longest timeout: a 600 MB claims file takes about 40 s at 100,000 members, ten times that at 1M */
const INGEST_TIMEOUT = Duration.minutes(15);
const FEEDBACK_TIMEOUT = Duration.minutes(2);

export class Ingest extends Construct {
  public readonly ingest: StageFunction;
  public readonly feedback: StageFunction;
  public readonly ingestQueue: QueueWithDlq;
  public readonly feedbackQueue: QueueWithDlq;

  constructor(scope: Construct, id: string, { landing, notificationKey, defaults, deploy }: IngestProps) {
    super(scope, id);
    this.ingest = new StageFunction(this, 'IngestFunction', {
      stage: 'ingest',
      defaults,
      description: 'Stratify: validate one landing file into curated/ Parquet, quarantine its bad records',
      memorySize: 3008,
      // a file's rejected records gather in /tmp before their one put: a quarantined Tuva claim line took 515 bytes
      // on the demo (185,569 bytes for 360), so 4 GiB holds about 8 million
      ephemeralStorageMiB: 4096,
      timeout: INGEST_TIMEOUT,
      reservedConcurrency: deploy.ingest_max_concurrency,
    });
    this.feedback = new StageFunction(this, 'FeedbackFunction', {
      stage: 'feedback',
      defaults,
      description: 'Stratify: validate one partner feedback file into the lake',
      memorySize: 512,
      timeout: FEEDBACK_TIMEOUT,
      reservedConcurrency: 2,
    });
    this.ingestQueue = this.route('Ingest', landing, LANDING_PREFIX, this.ingest, notificationKey, INGEST_TIMEOUT, {
      batchSize: 1,
      maxConcurrency: deploy.ingest_max_concurrency,
    });
    this.feedbackQueue = this.route('Feedback', landing, FEEDBACK_PREFIX, this.feedback, notificationKey, FEEDBACK_TIMEOUT, {
      batchSize: 10,
      maxConcurrency: 2,
    });
  }

  private route(
    id: string,
    landing: s3.IBucket,
    prefix: string,
    consumer: StageFunction,
    key: kms.IKey,
    timeout: Duration,
    source: { batchSize: number; maxConcurrency: number },
  ): QueueWithDlq {
    // AWS's guidance for an SQS event source: visibility at least six times the function timeout
    const q = queueWithDlq(this, `${id}Queue`, {
      key,
      maxReceiveCount: 3,
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      retention: Duration.days(14),
    });
    landing.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(q.queue), { prefix });
    consumer.fn.addEventSource(new lambdaEvents.SqsEventSource(q.queue, { ...source, reportBatchItemFailures: true }));
    return q;
  }
}
