/**
 * The daily run: a Step Functions state machine features → score → dispatch, started by an EventBridge rule on the
 * configured schedule with an empty input (the features function then takes today's UTC date). Each task passes the
 * function's own result on (`payloadResponseOnly`), so the `{ asOf }` the features function returns is the input of
 * score, and score's of dispatch. Lambda service errors and throttling (the stage functions have a reserved
 * concurrency of one) are retried with backoff; any other failure fails the execution, which is alarmed. Execution
 * history goes to an encrypted log group without the state data, and executions are traced with X-Ray.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { DeployConfig } from '../lib/config/deploy.js';
import type { PartnerQueues } from './dispatch.js';
import { logicalIdOf } from './nag.js';
import { StageFunction, type FunctionDefaults } from './stage-function.js';

export interface PipelineProps {
  readonly defaults: FunctionDefaults;
  readonly key: kms.IKey;
  readonly partnerQueues: PartnerQueues;
  readonly deploy: DeployConfig;
}

export class Pipeline extends Construct {
  public readonly features: StageFunction;
  public readonly score: StageFunction;
  public readonly dispatch: StageFunction;
  public readonly stateMachine: sfn.StateMachine;
  public readonly schedule: events.Rule;

  constructor(scope: Construct, id: string, { defaults, key, partnerQueues, deploy }: PipelineProps) {
    super(scope, id);
    const stage = (name: 'features' | 'score' | 'dispatch', description: string, memorySize: number, minutes: number) =>
      new StageFunction(this, `${name[0]!.toUpperCase()}${name.slice(1)}Function`, {
        stage: name,
        defaults,
        description,
        memorySize,
        timeout: Duration.minutes(minutes),
        reservedConcurrency: 1,
      });
    // 2 GiB for the compaction before the query: compacting 100,000 members' curated tables (90 parts, 60 MiB) peaked at
    // 885 MB RSS in bench/cost-scan.ts --compact (DuckDB included); at 512 MB a million claim lines would not fit
    this.features = stage('features', 'Stratify: compact the curated tables, upload seeds, UNLOAD the features query for the as-of date', 2048, 15);
    this.score = stage('score', 'Stratify: score the features, write scores and flags', 3008, 15);
    this.dispatch = stage('dispatch', 'Stratify: worklists and one message per flagged member on the partner queues', 1024, 10);
    for (const { queue, key: queueKey } of partnerQueues.byPartner.values()) {
      this.dispatch.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], resources: [queue.queueArn] }),
      );
      // a partner reading from another account has its queue's own key (infra/dispatch.ts); the data key is granted already
      if (queueKey !== key) this.dispatch.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [queueKey.keyArn] }));
    }

    const definition = this.invoke('Features', this.features.fn)
      .next(this.invoke('Score', this.score.fn))
      .next(this.invoke('Dispatch', this.dispatch.fn))
      .next(new sfn.Succeed(this, 'Done'));
    const logGroup = new logs.LogGroup(this, 'ExecutionLogs', {
      encryptionKey: key,
      retention: defaults.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new sfn.StateMachine(this, 'DailyRun', {
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      stateMachineType: sfn.StateMachineType.STANDARD,
      timeout: Duration.hours(2),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Step Functions needs X-Ray (PutTraceSegments, PutTelemetryRecords, GetSampling*) and CloudWatch Logs delivery (CreateLogDelivery, ' +
        'DescribeResourcePolicies, …) for its tracing and execution logs; AWS documents these actions as not supporting resource-level permissions',
    });
    for (const fn of [this.features.fn, this.score.fn, this.dispatch.fn]) {
      Validations.of(this.stateMachine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(fn)}.Arn>:*]`,
        reason: `the state machine may invoke only the stage function ${fn.node.path.split('/').slice(-2, -1)[0]}; the :* suffix covers its versions and aliases`,
      });
    }

    this.schedule = new events.Rule(this, 'Schedule', {
      description: 'Stratify daily run: features, score, dispatch',
      schedule: events.Schedule.expression(deploy.schedule),
      targets: [new targets.SfnStateMachine(this.stateMachine, { input: events.RuleTargetInput.fromObject({}), retryAttempts: 4 })],
    });
  }

  private invoke(id: string, fn: lambda.IFunction): tasks.LambdaInvoke {
    const task = new tasks.LambdaInvoke(this, id, { lambdaFunction: fn, payloadResponseOnly: true, retryOnServiceExceptions: true });
    task.addRetry({ errors: ['Lambda.TooManyRequestsException'], interval: Duration.seconds(30), backoffRate: 2, maxAttempts: 5 });
    return task;
  }
}
