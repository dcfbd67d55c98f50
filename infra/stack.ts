/**
 * The Stratify stack, assembled from one construct per concern, and the app around it. The configuration file
 * (validated by lib/config's zod schema) decides the partners (one queue each), the schedule, the Athena cutoff and
 * the names. The file itself is copied into every function's bundle as config/stratify.json (Lambda's 4 KB of
 * environment variables would not hold it), so a change of configuration deploys as new code. The stack is
 * environment-agnostic (no account or region at synth time), so `cdk synth` needs no credentials.
 */
import { join } from 'node:path';
import { App, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { loadConfig, type StratifyConfig } from '../lib/config/index.js';
import { Alarms, metricsNamespace } from './alarms.js';
import { Catalog } from './catalog.js';
import { Dashboard } from './dashboard.js';
import { PartnerQueues } from './dispatch.js';
import { Ingest } from './ingest.js';
import { Keys } from './keys.js';
import { acknowledgeStackWide, attachNag } from './nag.js';
import { Pipeline } from './pipeline.js';
import { seedTables } from './seeds.js';
import type { FunctionDefaults } from './stage-function.js';
import { Storage } from './storage.js';

export interface StratifyStackProps extends StackProps {
  readonly config: StratifyConfig;
  /** the configuration file, copied into each function's bundle */
  readonly configPath: string;
  /** the project root: package-lock.json, functions/, queries/ */
  readonly projectRoot: string;
}

export class StratifyStack extends Stack {
  public readonly keys: Keys;
  public readonly storage: Storage;
  public readonly catalog: Catalog;
  public readonly partnerQueues: PartnerQueues;
  public readonly ingest: Ingest;
  public readonly pipeline: Pipeline;
  public readonly alarms: Alarms;
  public readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: StratifyStackProps) {
    super(scope, id, props);
    const { config, projectRoot } = props;
    const deploy = config.deploy;

    this.keys = new Keys(this, 'Keys');
    this.storage = new Storage(this, 'Storage', { key: this.keys.data, deploy });
    const { landing, lake, athenaResults } = this.storage;
    this.catalog = new Catalog(this, 'Catalog', {
      lake,
      results: athenaResults,
      key: this.keys.data,
      deploy,
      seeds: seedTables(join(projectRoot, 'queries', 'seeds')),
    });
    this.partnerQueues = new PartnerQueues(this, 'Partners', { partners: config.partners, key: this.keys.data });

    const defaults: FunctionDefaults = {
      projectRoot,
      configPath: props.configPath,
      key: this.keys.data,
      logRetention: deploy.log_retention_days as logs.RetentionDays,
      metricsNamespace: metricsNamespace(deploy.name),
      logLevel: deploy.log_level,
      grants: { landing, lake, results: athenaResults, key: this.keys.data, catalog: this.catalog },
      environment: {
        STRATIFY_LANDING_BUCKET: landing.bucketName,
        STRATIFY_LAKE_BUCKET: lake.bucketName,
        STRATIFY_ATHENA_WORKGROUP: this.catalog.workGroupName,
        STRATIFY_GLUE_DATABASE: this.catalog.database.databaseName,
        STRATIFY_QUEUE_URLS: this.partnerQueues.queueUrlsJson(),
      },
    };
    this.ingest = new Ingest(this, 'Ingest', { landing, notificationKey: this.keys.notifications, defaults, deploy, key: this.keys.data });
    this.pipeline = new Pipeline(this, 'Pipeline', { defaults, key: this.keys.data, partnerQueues: this.partnerQueues, deploy });

    const deadLetterQueues = new Map([
      ['ingest', this.ingest.ingestQueue.dlq],
      ['feedback', this.ingest.feedbackQueue.dlq],
      ...[...this.partnerQueues.byPartner].map(([name, q]) => [`partner-${name}`, q.dlq] as const),
    ]);
    const functions = new Map(
      [this.ingest.ingest, this.ingest.feedback, this.pipeline.features, this.pipeline.score, this.pipeline.dispatch].map((f) => [f.stage, f.fn] as const),
    );
    this.alarms = new Alarms(this, 'Alarms', {
      key: this.keys.data,
      deadLetterQueues,
      functions,
      stateMachine: this.pipeline.stateMachine,
      ingestMachine: this.ingest.stateMachine,
      schedule: this.pipeline.schedule,
      deploy,
    });
    const queues = new Map<string, sqs.IQueue>([
      ['ingest', this.ingest.ingestQueue.queue],
      ['feedback', this.ingest.feedbackQueue.queue],
      ...[...this.partnerQueues.byPartner].map(([name, q]) => [`partner-${name}`, q.queue] as const),
      ...[...deadLetterQueues].map(([name, q]) => [`${name} DLQ`, q] as const),
    ]);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      deployName: deploy.name,
      partners: config.partners.map((p) => p.name),
      stateMachine: this.pipeline.stateMachine,
      queues,
      alarms: this.alarms.alarms,
    });

    const outputs: Record<string, [string, string]> = {
      LandingBucket: [landing.bucketName, 'drop delivered files under landing/, partner feedback under feedback/<partner>/'],
      LakeBucket: [lake.bucketName, 'curated/, quarantine/, manifests/, ingesting/, features/, scores/, flags/, worklists/, dispatch/ledger/'],
      AthenaWorkGroup: [this.catalog.workGroupName, 'the Athena workgroup to query in (engine v3)'],
      GlueDatabase: [this.catalog.database.databaseName, 'the Glue database of the tables'],
      StateMachine: [this.pipeline.stateMachine.stateMachineArn, 'the daily run; start it by hand with input {"asOf":"YYYY-MM-DD"}'],
      AlarmTopic: [this.alarms.topic.topicArn, 'subscribe here to be told of failures'],
      DashboardName: [this.dashboard.dashboard.dashboardName, 'the CloudWatch dashboard of this deployment'],
    };
    for (const p of config.partners) {
      const q = this.partnerQueues.byPartner.get(p.name)!;
      outputs[`QueueUrl${p.name.replaceAll('-', '')}`] = [q.queue.queueUrl, `the SQS queue of partner ${p.name} (${p.program} program)`];
    }
    for (const [name, [value, description]] of Object.entries(outputs)) new CfnOutput(this, name, { value, description });
    acknowledgeStackWide(this);
  }
}

export interface BuildOptions {
  /** the configuration file @default config/stratify.json of the project */
  readonly configPath?: string;
  readonly projectRoot: string;
  /** attach the cdk-nag packs @default true */
  readonly nag?: boolean;
}

/** Validates the configuration, then adds the stack (named after `deploy.name`) and the cdk-nag packs to `app`. */
export function buildStratifyApp(app: App, options: BuildOptions): StratifyStack {
  const configPath = options.configPath ?? join(options.projectRoot, 'config', 'stratify.json');
  const config = loadConfig(configPath);
  // server access logs are delivered under a bucket policy (the log bucket keeps ACLs disabled)
  app.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
  const stack = new StratifyStack(app, config.deploy.name.replaceAll('_', '-'), {
    config,
    configPath,
    projectRoot: options.projectRoot,
    description: `Stratify (${config.deploy.name}): ingest, features, scoring and partner dispatch`,
  });
  if (options.nag ?? true) attachNag(app);
  return stack;
}
