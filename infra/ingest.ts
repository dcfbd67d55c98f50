/**
 * The two drop prefixes of the landing bucket and what consumes them. An object created under `landing/` sends an
 * S3 event to the ingest queue, whose messages invoke the ingest function one file at a time; an object under
 * `feedback/` goes the same way to the feedback function. Both functions report partial batch failures, so a bad
 * file is retried alone and, after three failed receives, parked in its queue's dead-letter queue (alarmed) instead
 * of blocking the files behind it. The queues use the notifications key (see infra/keys.ts for why it is separate).
 *
 * The ingest state machine takes the landing files of a SQL format above `deploy.ingest_large_file_bytes` from the
 * ingest function: the function stages the file and plans its queries (lib/ingest/athena/), the machine runs them one
 * after the other as Athena .sync tasks (no 15-minute limit; Step Functions polls, and stops the query when the
 * execution stops), then invokes the function again to commit the file, or, when a query failed, to remove what it
 * wrote and release the file's marker, before it fails (alarmed with the other executions' failures).
 */
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as lambdaEvents from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import { Construct } from 'constructs';
import type { DeployConfig } from '../lib/config/deploy.js';
import { INGEST_MACHINE_TIMEOUT_MS, ingestMachineName } from '../lib/ingest/athena/machine.js';
import { grantStage } from './grants.js';
import { FEEDBACK_PREFIX, INGEST_STATE_MACHINE_ACCESS, LANDING_PREFIX } from './layout.js';
import { logicalIdOf } from './nag.js';
import { queueWithDlq, type QueueWithDlq } from './queue-with-dlq.js';
import { StageFunction, type FunctionDefaults } from './stage-function.js';

export interface IngestProps {
  readonly landing: s3.IBucket;
  readonly notificationKey: kms.IKey;
  readonly defaults: FunctionDefaults;
  readonly deploy: DeployConfig;
  /** the data key: the state machine's execution logs */
  readonly key: kms.IKey;
}

/** Lambda's longest timeout: a 600 MB claims file takes about 40 s at 100,000 members, ten times that at 1M */
const INGEST_TIMEOUT = Duration.minutes(15);
const FEEDBACK_TIMEOUT = Duration.minutes(2);

export class Ingest extends Construct {
  public readonly ingest: StageFunction;
  public readonly feedback: StageFunction;
  public readonly ingestQueue: QueueWithDlq;
  public readonly feedbackQueue: QueueWithDlq;
  /** runs the Athena queries of the large landing files (see the header) */
  public readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, { landing, notificationKey, defaults, deploy, key }: IngestProps) {
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
    this.stateMachine = this.largeFileMachine(defaults, deploy, key);
    this.feedbackQueue = this.route('Feedback', landing, FEEDBACK_PREFIX, this.feedback, notificationKey, FEEDBACK_TIMEOUT, {
      batchSize: 10,
      maxConcurrency: 2,
    });
  }

  private largeFileMachine(defaults: FunctionDefaults, deploy: DeployConfig, key: kms.IKey): sfn.StateMachine {
    const { catalog } = defaults.grants;
    const stack = Stack.of(this);
    const name = ingestMachineName(deploy.name);
    // one statement a task, in order (the file's table first); Step Functions retries a start Athena refuses for concurrency
    const query = new sfn.CustomState(this, 'RunQuery', {
      stateJson: {
        Type: 'Task',
        Resource: `arn:${stack.partition}:states:::athena:startQueryExecution.sync`,
        Parameters: {
          'QueryString.$': '$.sql',
          'ClientRequestToken.$': '$.token',
          WorkGroup: catalog.workGroupName,
          QueryExecutionContext: { Database: catalog.database.databaseName },
        },
        ResultPath: null,
        Retry: [{ ErrorEquals: ['Athena.TooManyRequestsException'], IntervalSeconds: 10, BackoffRate: 2, MaxAttempts: 6 }],
      },
    });
    const queries = new sfn.Map(this, 'Queries', { itemsPath: '$.statements', maxConcurrency: 1, resultPath: sfn.JsonPath.DISCARD });
    queries.itemProcessor(query);
    const invoke = (id: string, event: string) => {
      const task = new tasks.LambdaInvoke(this, id, {
        lambdaFunction: this.ingest.fn,
        payload: sfn.TaskInput.fromObject({ [`${event}.$`]: '$' }),
        payloadResponseOnly: true,
        retryOnServiceExceptions: true,
        resultPath: sfn.JsonPath.DISCARD,
      });
      task.addRetry({ errors: ['Lambda.TooManyRequestsException'], interval: Duration.seconds(30), backoffRate: 2, maxAttempts: 5 });
      return task;
    };
    const abandon = invoke('Abandon', 'athena_abandon').next(new sfn.Fail(this, 'NotIngested', { error: 'IngestFailed', causePath: '$.error.Cause' }));
    const commit = invoke('Commit', 'athena_commit');
    queries.addCatch(abandon, { resultPath: '$.error' });
    commit.addCatch(abandon, { resultPath: '$.error' });
    const machine = new sfn.StateMachine(this, 'LargeFiles', {
      stateMachineName: name,
      definitionBody: sfn.DefinitionBody.fromChainable(queries.next(commit).next(new sfn.Succeed(this, 'Ingested'))),
      stateMachineType: sfn.StateMachineType.STANDARD,
      timeout: Duration.millis(INGEST_MACHINE_TIMEOUT_MS),
      tracingEnabled: true,
      logs: {
        destination: new logs.LogGroup(this, 'LargeFileLogs', { encryptionKey: key, retention: defaults.logRetention, removalPolicy: RemovalPolicy.RETAIN }),
        level: sfn.LogLevel.ALL,
        includeExecutionData: false,
      },
    });
    grantStage(machine.role, machine, INGEST_STATE_MACHINE_ACCESS, defaults.grants);
    Validations.of(machine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Step Functions needs X-Ray (PutTraceSegments, PutTelemetryRecords, GetSampling*) and CloudWatch Logs delivery (CreateLogDelivery, ' +
        'DescribeResourcePolicies, …) for its tracing and execution logs; AWS documents these actions as not supporting resource-level permissions',
    });
    Validations.of(machine).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(this.ingest.fn)}.Arn>:*]`,
      reason: 'the ingest state machine may invoke only the ingest function (commit or abandon a file); the :* suffix covers its versions and aliases',
    });
    // the function starts the machine by its ARN, built from its name: no CloudFormation reference, so no cycle
    const arn = stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.ingest.fn.addEnvironment('STRATIFY_INGEST_STATE_MACHINE', arn);
    this.ingest.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [arn] }));
    return machine;
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
