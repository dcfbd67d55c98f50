/**
 * The daily run: a Step Functions state machine features → score → dispatch, started by an EventBridge rule on the
 * configured schedule with an empty input (the features function then takes today's UTC date). Each task passes the
 * function's own result on (`payloadResponseOnly`), so the `{ asOf, members }` the features function returns is the
 * input of score, and score's of dispatch. Above `deploy.score_shard_members` members score runs in shards
 * (lib/pipeline/score-shards.ts): PlanShards, a Distributed Map splitting each feature file by person-hash bucket, a
 * Distributed Map scoring each bucket (`deploy.score_max_concurrency` at once), and MergeShards ranking the whole
 * population. Dispatch is a Map of one task per partner, all at once (each holds its own partner's lock, intent and
 * ledger), then Report, which writes the run's report and fails the run if a queue refused a message. Lambda service errors and throttling (the stage functions have a reserved
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
    const stage = (name: 'features' | 'score' | 'dispatch', description: string, memorySize: number, minutes: number, reservedConcurrency = 1) =>
      new StageFunction(this, `${name[0]!.toUpperCase()}${name.slice(1)}Function`, {
        stage: name,
        defaults,
        description,
        memorySize,
        timeout: Duration.minutes(minutes),
        reservedConcurrency,
      });
    const partners = [...partnerQueues.byPartner.keys()];
    // 2 GiB for the compaction before the query: compacting 100,000 members' curated tables (90 parts, 60 MiB) peaked at
    // 885 MB RSS in bench/cost-scan.ts --compact (DuckDB included); at 512 MB a million claim lines would not fit
    this.features = stage('features', 'Stratify: compact the curated tables, upload seeds, UNLOAD the features query for the as-of date', 2048, 15);
    // the score tasks of one run: its shards at once (deploy.score_max_concurrency), or the one unsharded task
    this.score = stage('score', 'Stratify: score the features (whole, or one step of the sharded scoring), write scores and flags', 3008, 15, deploy.score_max_concurrency);
    // one dispatch task per partner at once
    this.dispatch = stage('dispatch', 'Stratify: worklists and one message per flagged member on the partner queues', 1024, 10, Math.max(1, partners.length));
    for (const { queue, key: queueKey } of partnerQueues.byPartner.values()) {
      this.dispatch.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], resources: [queue.queueArn] }),
      );
      // a partner reading from another account has its queue's own key (infra/dispatch.ts); the data key is granted already
      if (queueKey !== key) this.dispatch.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [queueKey.keyArn] }));
    }

    const dispatch = new sfn.Pass(this, 'Partners', { result: sfn.Result.fromArray(partners), resultPath: '$.partners' })
      .next(
        new sfn.Map(this, 'DispatchPerPartner', {
          itemsPath: '$.partners',
          itemSelector: { asOf: sfn.JsonPath.stringAt('$.asOf'), partner: sfn.JsonPath.stringAt('$$.Map.Item.Value') },
          maxConcurrency: Math.max(1, partners.length),
          resultPath: '$.dispatched',
        }).itemProcessor(this.invoke('Dispatch', this.dispatch.fn)),
      )
      .next(this.invoke('Report', this.dispatch.fn, { action: 'report', asOf: sfn.JsonPath.stringAt('$.asOf'), partners: sfn.JsonPath.objectAt('$.dispatched') }))
      .next(new sfn.Succeed(this, 'Done'));
    const sharded = this.invoke('PlanShards', this.score.fn, { action: 'plan', asOf: sfn.JsonPath.stringAt('$.asOf'), members: sfn.JsonPath.numberAt('$.members') })
      .next(this.shardMap('SplitFeatures', '$.files', { action: 'split', file: sfn.JsonPath.stringAt('$$.Map.Item.Value') }, deploy))
      .next(this.shardMap('ScoreShards', '$.buckets', { action: 'shard', shard: sfn.JsonPath.numberAt('$$.Map.Item.Value') }, deploy))
      .next(this.invoke('MergeShards', this.score.fn, { action: 'merge', asOf: sfn.JsonPath.stringAt('$.asOf'), shards: sfn.JsonPath.numberAt('$.shards') }))
      .next(dispatch);
    const definition = this.invoke('Features', this.features.fn).next(
      new sfn.Choice(this, 'ScoreInShards?')
        // lib/config/deploy.ts says how the threshold was measured
        .when(sfn.Condition.numberGreaterThan('$.members', deploy.score_shard_members), sharded)
        .otherwise(this.invoke('Score', this.score.fn).next(dispatch)),
    );
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
    // a Distributed Map runs its items as child executions of this state machine, which it may describe and stop
    const self = logicalIdOf(this.stateMachine);
    for (const executions of [':*', '/*:*']) {
      Validations.of(this.stateMachine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${self}"}]}]}${executions}]`,
        reason: 'the Distributed Maps of the sharded scoring run their items as child executions of this state machine, named at run time; the grant covers the executions of this state machine alone',
      });
    }
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

  /** a Distributed Map of score tasks over a list of the plan (its feature files, its buckets), each told the date and shard count */
  private shardMap(id: string, itemsPath: string, item: Record<string, unknown>, deploy: DeployConfig): sfn.DistributedMap {
    return new sfn.DistributedMap(this, id, {
      itemsPath,
      itemSelector: { ...item, asOf: sfn.JsonPath.stringAt('$.asOf'), shards: sfn.JsonPath.numberAt('$.shards') },
      maxConcurrency: deploy.score_max_concurrency,
      // the plan ({ asOf, shards, files, buckets }) goes on to the next state; the tasks' outputs are in the store
      resultPath: sfn.JsonPath.DISCARD,
    }).itemProcessor(this.invoke(`${id}Task`, this.score.fn));
  }

  private invoke(id: string, fn: lambda.IFunction, payload?: Record<string, unknown>): tasks.LambdaInvoke {
    const task = new tasks.LambdaInvoke(this, id, {
      lambdaFunction: fn,
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
      ...(payload === undefined ? {} : { payload: sfn.TaskInput.fromObject(payload) }),
    });
    task.addRetry({ errors: ['Lambda.TooManyRequestsException'], interval: Duration.seconds(30), backoffRate: 2, maxAttempts: 5 });
    return task;
  }
}
