/**
 * What the template promises about PHI and cost, read from the synthesized CloudFormation (bundling skipped):
 * encryption with the right CMK everywhere, TLS-only policies, blocked public access, a dead-letter queue behind every
 * queue, least-privilege IAM, the Athena workgroup's guard rails, the catalog, the daily run and its alarms.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config/index.js';
import { CURATED_TABLES, OUTPUT_TABLES, glueColumns, latestSql, partsName, versionsName, versionsSql } from '../../lib/tables/index.js';
import { seedTables } from '../../infra/seeds.js';
import {
  DEFAULT_CONFIG,
  PROJECT_ROOT,
  asList,
  buildApp,
  flatArn,
  refId,
  resourcesOf,
  writeConfig,
  type Built,
  type Resources,
  type Statement,
} from './synth-helpers.js';

const config = loadConfig(DEFAULT_CONFIG);
const FOURTEEN_DAYS_S = 14 * 24 * 3600; // 1,209,600 s, the SQS maximum

let built: Built;
let keyIds: { data: string; notifications: string };

beforeAll(() => {
  built = buildApp();
  const keys = Object.keys(resourcesOf(built.template, 'AWS::KMS::Key'));
  keyIds = { data: keys.find((k) => k.startsWith('KeysData'))!, notifications: keys.find((k) => k.startsWith('KeysNotifications'))! };
});

/** every allow statement of every policy in the template (AWS::IAM::Policy and inline role policies), with its owner */
function allowStatements(): { owner: string; statement: Statement }[] {
  const out: { owner: string; statement: Statement }[] = [];
  for (const [id, r] of Object.entries(resourcesOf(built.template, 'AWS::IAM::Policy'))) {
    for (const s of (r.Properties!['PolicyDocument'] as { Statement: Statement[] }).Statement) if (s.Effect === 'Allow') out.push({ owner: id, statement: s });
  }
  for (const [id, r] of Object.entries(resourcesOf(built.template, 'AWS::IAM::Role'))) {
    for (const p of asList(r.Properties!['Policies'] as { PolicyDocument: { Statement: Statement[] } }[] | undefined)) {
      for (const s of p.PolicyDocument.Statement) if (s.Effect === 'Allow') out.push({ owner: id, statement: s });
    }
  }
  return out;
}

function denyWithoutTls(policies: Resources, targetKey: 'Bucket' | 'Queues', id: string): boolean {
  return Object.values(policies).some((p) => {
    const targets = asList(p.Properties![targetKey] as unknown[]).map(refId);
    const statements = (p.Properties!['PolicyDocument'] as { Statement: Statement[] }).Statement;
    return (
      targets.includes(id) &&
      statements.some((s) => s.Effect === 'Deny' && JSON.stringify(s.Condition ?? {}) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }))
    );
  });
}

describe('KMS keys', () => {
  it('are two customer-managed keys with yearly rotation, retained on stack deletion', () => {
    const keys = resourcesOf(built.template, 'AWS::KMS::Key');
    expect(Object.keys(keys)).toHaveLength(2);
    for (const k of Object.values(keys)) {
      expect(k.Properties!['EnableKeyRotation']).toBe(true);
      expect(k.DeletionPolicy).toBe('Retain');
    }
  });
});

describe('buckets', () => {
  it('block all public access, keep versions, refuse plain HTTP and are retained', () => {
    const buckets = resourcesOf(built.template, 'AWS::S3::Bucket');
    const policies = resourcesOf(built.template, 'AWS::S3::BucketPolicy');
    expect(Object.keys(buckets)).toHaveLength(4);
    for (const [id, b] of Object.entries(buckets)) {
      expect(b.Properties!['PublicAccessBlockConfiguration'], id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(b.Properties!['VersioningConfiguration'], id).toEqual({ Status: 'Enabled' });
      expect(b.DeletionPolicy, id).toBe('Retain');
      expect(denyWithoutTls(policies, 'Bucket', id), `${id} has a TLS-only policy`).toBe(true);
    }
  });

  it('encrypt the landing, lake and results buckets with the data CMK and log their access to the log bucket', () => {
    const buckets = resourcesOf(built.template, 'AWS::S3::Bucket');
    const logBucket = Object.keys(buckets).find((k) => k.startsWith('StorageAccessLogs'))!;
    for (const name of ['StorageLanding', 'StorageLake', 'StorageAthenaResults']) {
      const [id, b] = Object.entries(buckets).find(([k]) => k.startsWith(name))!;
      const rule = (b.Properties!['BucketEncryption'] as { ServerSideEncryptionConfiguration: Record<string, unknown>[] }).ServerSideEncryptionConfiguration[0]!;
      const sse = rule['ServerSideEncryptionByDefault'] as { SSEAlgorithm: string; KMSMasterKeyID: unknown };
      expect(sse.SSEAlgorithm, id).toBe('aws:kms');
      expect(refId(sse.KMSMasterKeyID), id).toBe(keyIds.data);
      expect(rule['BucketKeyEnabled'], id).toBe(true);
      expect(refId((b.Properties!['LoggingConfiguration'] as { DestinationBucketName: unknown }).DestinationBucketName), id).toBe(logBucket);
    }
  });

  it('move landing files to cheaper storage and expire Athena results and old versions as configured', () => {
    const buckets = resourcesOf(built.template, 'AWS::S3::Bucket');
    const rules = (prefix: string) =>
      (Object.entries(buckets).find(([k]) => k.startsWith(prefix))![1].Properties!['LifecycleConfiguration'] as { Rules: Record<string, unknown>[] }).Rules;
    const d = config.deploy;
    expect(rules('StorageLanding')).toContainEqual(
      expect.objectContaining({
        Transitions: [
          { StorageClass: 'STANDARD_IA', TransitionInDays: d.landing_infrequent_access_after_days },
          { StorageClass: 'GLACIER_IR', TransitionInDays: d.landing_infrequent_access_after_days + 90 },
        ],
      }),
    );
    expect(rules('StorageAthenaResults')).toContainEqual(expect.objectContaining({ ExpirationInDays: d.athena_results_expire_days, Prefix: 'results/' }));
    for (const prefix of ['StorageLanding', 'StorageLake', 'StorageAthenaResults', 'StorageAccessLogs']) {
      expect(rules(prefix)).toContainEqual(expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: d.noncurrent_versions_expire_days } }));
      expect(rules(prefix)).toContainEqual(expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }));
    }
  });
});

describe('queues', () => {
  it('each have a dead-letter queue kept 14 days, a CMK and a TLS-only policy', () => {
    const queues = resourcesOf(built.template, 'AWS::SQS::Queue');
    const policies = resourcesOf(built.template, 'AWS::SQS::QueuePolicy');
    const dlqs = new Set(
      Object.values(queues)
        .map((q) => refId((q.Properties!['RedrivePolicy'] as { deadLetterTargetArn?: unknown } | undefined)?.deadLetterTargetArn))
        .filter((x) => x !== undefined),
    );
    // ingest + feedback + one per partner, each with its own dead-letter queue
    expect(Object.keys(queues)).toHaveLength(2 * (2 + config.partners.length));
    expect(dlqs.size).toBe(2 + config.partners.length);
    for (const [id, q] of Object.entries(queues)) {
      if (dlqs.has(id)) expect(q.Properties!['MessageRetentionPeriod'], id).toBe(FOURTEEN_DAYS_S);
      else expect((q.Properties!['RedrivePolicy'] as { maxReceiveCount: number }).maxReceiveCount, id).toBeGreaterThan(0);
      const key = refId(q.Properties!['KmsMasterKeyId']);
      expect(key, id).toBe(id.startsWith('IngestIngestQueue') || id.startsWith('IngestFeedbackQueue') ? keyIds.notifications : keyIds.data);
      expect(denyWithoutTls(policies, 'Queues', id), `${id} has a TLS-only policy`).toBe(true);
    }
  });

  it('include one queue per configured partner, its URL given to the functions as STRATIFY_QUEUE_URLS', () => {
    expect([...built.stack.partnerQueues.byPartner.keys()]).toEqual(config.partners.map((p) => p.name));
    const fn = Object.values(resourcesOf(built.template, 'AWS::Lambda::Function')).find((f) => f.Properties!['Runtime'] === 'nodejs24.x')!;
    const urls = flatArn((fn.Properties!['Environment'] as { Variables: Record<string, unknown> }).Variables['STRATIFY_QUEUE_URLS']);
    for (const p of config.partners) expect(urls).toMatch(new RegExp(`"${p.name}":"<Partners${p.name.replaceAll('-', '')}[A-F0-9]{8}>"`));
  });

  it('receive the landing bucket events under landing/ and feedback/, consumed with partial batch failures', () => {
    const notifications = Object.values(resourcesOf(built.template, 'Custom::S3BucketNotifications'))[0]!;
    const configs = (notifications.Properties!['NotificationConfiguration'] as { QueueConfigurations: Record<string, unknown>[] }).QueueConfigurations;
    const byPrefix = Object.fromEntries(
      configs.map((c) => [
        ((c['Filter'] as { Key: { FilterRules: { Value: string }[] } }).Key.FilterRules[0]!.Value),
        refId(c['QueueArn']),
      ]),
    );
    expect(Object.keys(byPrefix).sort()).toEqual(['feedback/', 'landing/']);
    expect(byPrefix['landing/']).toMatch(/^IngestIngestQueue/);
    expect(byPrefix['feedback/']).toMatch(/^IngestFeedbackQueue/);
    built.template.resourcePropertiesCountIs('AWS::Lambda::EventSourceMapping', { FunctionResponseTypes: ['ReportBatchItemFailures'] }, 2);
  });
});

describe('IAM', () => {
  const DATA_ACTION = /^(s3:(Get|Put|Delete)Object|s3:List|s3:AbortMultipartUpload|athena:|glue:)/;

  it('gives no s3, athena or glue data action on a * resource or a whole bucket of objects', () => {
    const checked = allowStatements().filter(({ statement }) => asList(statement.Action).some((a) => DATA_ACTION.test(a)));
    // 19 with cdk.json's @aws-cdk/aws-iam:minimizePolicies, which merges a role's statements of the same actions
    expect(checked.length).toBeGreaterThan(15);
    for (const { owner, statement } of checked) {
      for (const r of asList(statement.Resource).map(flatArn)) {
        expect(r, `${owner}: ${asList(statement.Action).join(',')}`).not.toBe('*');
        // a wildcard only ever ends a prefix of one of the stack's buckets: `<bucket arn>/curated/members/*`, never `<bucket arn>/*`,
        // or a name prefix of the Athena ingest's per-file tables in the stack's database
        if (r.includes('*') && r.includes(':glue:')) expect(r, owner).toMatch(/^arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:table\/<CatalogDatabase[A-F0-9]{8}>\/ingest_(raw|result)_\*$/);
        else if (r.includes('*')) expect(r, owner).toMatch(/^<Storage[A-Za-z]+[A-F0-9]{8}\.Arn>\/[a-z_]+\/([a-z_]+\/)?\*$/);
      }
    }
  });

  it('scopes each function to the prefixes of its stage', () => {
    const prefixesOf = (fnPrefix: string) =>
      allowStatements()
        .filter(({ owner }) => owner.startsWith(fnPrefix))
        .flatMap(({ statement }) => asList(statement.Resource).map(flatArn))
        .filter((r) => r.endsWith('*') && r.startsWith('<Storage'))
        .map((r) => r.replace(/^<Storage([A-Za-z]+)[A-F0-9]{8}\.Arn>\//, '$1:'))
        .sort();
    expect(prefixesOf('IngestFeedbackFunction')).toEqual(['Lake:feedback/*', 'Lake:quarantine/*', 'Landing:feedback/*']);
    // score reads the Parquet of the features stage and of its own previous run straight from the lake: no Athena
    // (and, scoring in shards, its own split features and unranked shard scores)
    expect(prefixesOf('PipelineScoreFunction')).toEqual([
      'Lake:features/*',
      'Lake:feedback/*',
      'Lake:flags/*',
      'Lake:runs/score/*',
      'Lake:score_input/*',
      'Lake:score_shards/*',
      'Lake:scores/*',
    ]);
    // dispatch also writes the run report, reading what the report shows
    expect(prefixesOf('PipelineDispatchFunction')).toEqual([
      'Lake:curated/medical_claims/*',
      'Lake:curated/observations/*',
      'Lake:dispatch/*',
      'Lake:features/*',
      'Lake:feedback/*',
      'Lake:flags/*',
      'Lake:manifests/*',
      'Lake:reports/*',
      'Lake:scores/*',
      'Lake:worklists/*',
    ]);
    const dispatchWrites = allowStatements()
      .filter(({ owner, statement }) => owner.startsWith('PipelineDispatchFunction') && asList(statement.Action).includes('s3:PutObject'))
      .flatMap(({ statement }) => asList(statement.Resource).map(flatArn))
      .map((r) => r.replace(/^<Storage([A-Za-z]+)[A-F0-9]{8}\.Arn>\//, '$1:'))
      .sort();
    expect(dispatchWrites).toEqual(['Lake:dispatch/*', 'Lake:reports/*', 'Lake:worklists/*']);
    const ingest = prefixesOf('IngestIngestFunction');
    expect(ingest).toContain('Landing:landing/*');
    for (const t of CURATED_TABLES) expect(ingest).toContain(`Lake:${t.prefix}*`);
    expect(ingest.some((p) => p.startsWith('Lake:features') || p.startsWith('Lake:scores'))).toBe(false);
    // the known landing files (lib/ingest/known-files.ts) are ingest's alone
    expect(ingest).toContain('Lake:known/*');
  });

  it('lets only the features function and the Athena ingest (function and state machine) query with Athena', () => {
    const starters = allowStatements().filter(({ statement }) => asList(statement.Action).includes('athena:StartQueryExecution'));
    expect(new Set(starters.map((s) => s.owner.replace(/[A-F0-9]{8}$/, '')))).toEqual(
      new Set(['PipelineFeaturesFunctionRoleDefaultPolicy', 'IngestIngestFunctionRoleDefaultPolicy', 'IngestLargeFilesRoleDefaultPolicy']),
    );
    // only they create tables, only ingest_raw_<content hash> and ingest_result_<content hash> ones; only a result
    // table is moved (ALTER TABLE SET LOCATION), and only the function drops them
    const creators = allowStatements().filter(({ statement }) => asList(statement.Action).includes('glue:CreateTable'));
    const tablesOf = (s: (typeof creators)[number]) =>
      asList(s.statement.Resource).map(flatArn).filter((r) => r.endsWith('*')).map((r) => r.replace(/^.*\//, ''));
    expect(
      creators
        .map((s) => [s.owner.replace(/[A-F0-9]{8}$/, ''), tablesOf(s).join(), asList(s.statement.Action).includes('glue:UpdateTable'), asList(s.statement.Action).includes('glue:DeleteTable')])
        .sort(),
    ).toEqual([
      ['IngestIngestFunctionRoleDefaultPolicy', 'ingest_raw_*', false, true],
      ['IngestIngestFunctionRoleDefaultPolicy', 'ingest_result_*', true, true],
      ['IngestLargeFilesRoleDefaultPolicy', 'ingest_raw_*', false, false],
      ['IngestLargeFilesRoleDefaultPolicy', 'ingest_result_*', true, false],
    ]);
  });

  it('lets only the dispatch function send to the partner queues', () => {
    const senders = allowStatements().filter(({ statement }) => asList(statement.Action).includes('sqs:SendMessage'));
    expect(new Set(senders.map((s) => s.owner.replace(/[A-F0-9]{8}$/, '')))).toEqual(new Set(['PipelineDispatchFunctionRoleDefaultPolicy']));
    expect(senders.flatMap((s) => asList(s.statement.Resource).map(refId))).toHaveLength(config.partners.length);
  });
});

describe('Athena workgroup', () => {
  it('is pinned to engine v3, enforced, KMS-encrypted and stops queries at the configured byte cutoff', () => {
    const wg = Object.values(resourcesOf(built.template, 'AWS::Athena::WorkGroup'));
    expect(wg).toHaveLength(1);
    expect(wg[0]!.Properties!['Name']).toBe(config.deploy.name);
    const c = wg[0]!.Properties!['WorkGroupConfiguration'] as Record<string, unknown>;
    expect(c['EnforceWorkGroupConfiguration']).toBe(true);
    expect(c['EngineVersion']).toEqual({ SelectedEngineVersion: 'Athena engine version 3' });
    expect(c['BytesScannedCutoffPerQuery']).toBe(config.deploy.athena_bytes_scanned_cutoff);
    const result = c['ResultConfiguration'] as { OutputLocation: unknown; EncryptionConfiguration: { EncryptionOption: string; KmsKey: unknown } };
    expect(result.EncryptionConfiguration.EncryptionOption).toBe('SSE_KMS');
    expect(refId(result.EncryptionConfiguration.KmsKey)).toBe(keyIds.data);
    expect(flatArn(result.OutputLocation)).toMatch(/^s3:\/\/<StorageAthenaResults[A-F0-9]{8}>\/results\/$/);
  });
});

describe('Glue catalog', () => {
  const tables = () =>
    Object.fromEntries(
      Object.values(resourcesOf(built.template, 'AWS::Glue::Table')).map((t) => {
        const input = t.Properties!['TableInput'] as Record<string, unknown>;
        return [input['Name'] as string, input];
      }),
    );

  it('declares every table of lib/tables with its columns (a curated one as its parts and two views), the deliveries, and one table per seed CSV', () => {
    const seeds = seedTables(join(PROJECT_ROOT, 'queries', 'seeds'));
    const all = tables();
    const curated = CURATED_TABLES.flatMap((t): string[] => [t.name, partsName(t), versionsName(t)]);
    expect(Object.keys(all).sort()).toEqual([...curated, ...OUTPUT_TABLES.map((t): string => t.name), 'deliveries', ...seeds.map((s) => s.name)].sort());
    for (const def of [...CURATED_TABLES, ...OUTPUT_TABLES]) {
      const name = CURATED_TABLES.some((t) => t === def) ? `${def.name}_parts` : def.name;
      const sd = all[name]!['StorageDescriptor'] as { Columns: { Name: string; Type: string }[]; SerdeInfo: { SerializationLibrary: string } };
      expect(sd.Columns.map((c) => [c.Name, c.Type])).toEqual(glueColumns(def).map((c) => [c.name, c.type]));
      expect(sd.SerdeInfo.SerializationLibrary).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
    }
  });

  it('reads the manifests as the deliveries table, one JSON line each', () => {
    const sd = tables()['deliveries']!['StorageDescriptor'] as { SerdeInfo: { SerializationLibrary: string }; Location: unknown };
    expect(sd.SerdeInfo.SerializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
    expect(flatArn(sd.Location)).toMatch(/^s3:\/\/<StorageLake[A-F0-9]{8}>\/manifests\/$/);
  });

  it('stores each curated view as Athena stores a CREATE VIEW: the SQL DuckDB runs locally, with its columns', () => {
    const all = tables();
    for (const def of CURATED_TABLES) {
      for (const [name, sql, extra] of [
        [versionsName(def), versionsSql(def), ['delivery_sha256', 'delivered_at', 'version_rank']],
        [def.name, latestSql(def), []],
      ] as const) {
        const t = all[name]!;
        expect(t['TableType'], name).toBe('VIRTUAL_VIEW');
        expect(t['Parameters']).toEqual({ presto_view: 'true', comment: 'Presto View' });
        const text = /^\/\* Presto View: ([A-Za-z0-9+/=]+) \*\/$/.exec(t['ViewOriginalText'] as string)![1]!;
        const view = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as { originalSql: string; catalog: string; columns: { name: string }[] };
        expect(view.originalSql).toBe(sql);
        expect(view.catalog).toBe('awsdatacatalog');
        expect(view.columns.map((c) => c.name)).toEqual([...def.columns.map((c) => c.name), ...extra]);
      }
    }
  });

  it('partitions features, scores and flags by as_of with date projection, the curated tables not at all', () => {
    const all = tables();
    for (const def of OUTPUT_TABLES) {
      const t = all[def.name]!;
      expect(t['PartitionKeys']).toEqual([expect.objectContaining({ Name: 'as_of', Type: 'string' })]);
      const p = t['Parameters'] as Record<string, unknown>;
      expect(p).toMatchObject({
        'projection.enabled': 'true',
        'projection.as_of.type': 'date',
        'projection.as_of.format': 'yyyy-MM-dd',
        'projection.as_of.range': '2020-01-01,NOW',
      });
      expect(flatArn(p['storage.location.template'])).toMatch(new RegExp(`^s3://<StorageLake[A-F0-9]{8}>/${def.prefix}as_of=\\$\\{as_of\\}/$`));
    }
    for (const def of CURATED_TABLES) expect(all[partsName(def)]!['PartitionKeys'], def.name).toBeUndefined();
  });

  it('reads each seed CSV with OpenCSVSerde, skipping the header, under seeds/<name>/, with the columns of its header, all string', () => {
    const all = tables();
    for (const seed of seedTables(join(PROJECT_ROOT, 'queries', 'seeds'))) {
      const t = all[seed.name]!;
      const sd = t['StorageDescriptor'] as { Columns: { Name: string; Type: string }[]; SerdeInfo: { SerializationLibrary: string }; Location: unknown };
      expect(sd.SerdeInfo.SerializationLibrary).toBe('org.apache.hadoop.hive.serde2.OpenCSVSerde');
      expect((t['Parameters'] as Record<string, unknown>)['skip.header.line.count'], seed.name).toBe('1');
      expect(flatArn(sd.Location)).toMatch(new RegExp(`^s3://<StorageLake[A-F0-9]{8}>/seeds/${seed.name}/$`));
      const header = readFileSync(seed.file, 'utf8').split(/\r?\n/, 1)[0]!.split(',');
      expect(sd.Columns.map((c) => c.Name)).toEqual(header);
      // DuckDB reads the seeds all_varchar and the SQL casts what it needs: Athena must see the same types
      expect(sd.Columns.map((c) => c.Type), seed.name).toEqual(header.map(() => 'string'));
    }
  });
});

describe('functions', () => {
  it('run on Node.js 24 on ARM64 with their environment, a reserved concurrency and an encrypted log group', () => {
    const fns = Object.entries(resourcesOf(built.template, 'AWS::Lambda::Function')).filter(([, f]) => f.Properties!['Runtime'] === 'nodejs24.x');
    expect(fns.map(([id]) => id.replace(/[A-F0-9]{8}$/, '')).sort()).toEqual(
      ['IngestFeedbackFunction', 'IngestIngestFunction', 'PipelineDispatchFunction', 'PipelineFeaturesFunction', 'PipelineScoreFunction'].sort(),
    );
    const logGroups = resourcesOf(built.template, 'AWS::Logs::LogGroup');
    for (const [id, f] of fns) {
      expect(f.Properties!['Architectures'], id).toEqual(['arm64']);
      expect(f.Properties!['ReservedConcurrentExecutions'], id).toBeGreaterThan(0);
      // the ingest function gathers a file's rejected records in /tmp before its one put to quarantine/
      if (id.startsWith('IngestIngestFunction')) expect(f.Properties!['EphemeralStorage'], id).toEqual({ Size: 4096 });
      const vars = (f.Properties!['Environment'] as { Variables: Record<string, unknown> }).Variables;
      for (const v of ['STRATIFY_LANDING_BUCKET', 'STRATIFY_LAKE_BUCKET', 'STRATIFY_ATHENA_WORKGROUP', 'STRATIFY_GLUE_DATABASE', 'STRATIFY_QUEUE_URLS']) {
        expect(vars[v], `${id} ${v}`).toBeDefined();
      }
      const logGroup = logGroups[refId((f.Properties!['LoggingConfig'] as { LogGroup: unknown }).LogGroup)!]!;
      expect(refId(logGroup.Properties!['KmsKeyId']), id).toBe(keyIds.data);
      expect(logGroup.Properties!['RetentionInDays'], id).toBe(config.deploy.log_retention_days);
    }
  });

  it('are traced with X-Ray (Active) and configure Powertools: service per function, the deployment\'s namespace, the log level', () => {
    const fns = Object.entries(resourcesOf(built.template, 'AWS::Lambda::Function')).filter(([, f]) => f.Properties!['Runtime'] === 'nodejs24.x');
    const services = fns.map(([id, f]) => {
      expect(f.Properties!['TracingConfig'], id).toEqual({ Mode: 'Active' });
      const vars = (f.Properties!['Environment'] as { Variables: Record<string, string> }).Variables;
      expect([vars['POWERTOOLS_METRICS_NAMESPACE'], vars['POWERTOOLS_LOG_LEVEL']], id).toEqual(['Stratify/stratify', 'INFO']);
      return vars['POWERTOOLS_SERVICE_NAME'];
    });
    expect(services.sort()).toEqual(['stratify-dispatch', 'stratify-features', 'stratify-feedback', 'stratify-ingest', 'stratify-score']);
    // each role may write trace segments (the X-Ray actions have no resource-level permissions)
    const xray = allowStatements().filter(({ statement }) => asList(statement.Action).includes('xray:PutTraceSegments'));
    for (const [id] of fns) expect(xray.some(({ owner }) => owner.startsWith(id.replace(/[A-F0-9]{8}$/, 'Role'))), id).toBe(true);
  });
});

describe('daily run', () => {
  interface State {
    Next?: string;
    Type: string;
    Default?: string;
    Choices?: { Variable: string; NumericGreaterThan: number; Next: string }[];
    Retry?: { ErrorEquals: string[] }[];
    ItemsPath?: string;
    ItemSelector?: Record<string, unknown>;
    ItemProcessor?: { ProcessorConfig?: { Mode: string; ExecutionType?: string }; StartAt: string; States: Record<string, State> };
    MaxConcurrency?: number;
    ResultPath?: string | null;
    Parameters?: Record<string, unknown>;
    Result?: unknown;
  }
  const dailyRunOf = (b: Built = built) => Object.entries(resourcesOf(b.template, 'AWS::StepFunctions::StateMachine')).find(([id]) => id.startsWith('PipelineDailyRun'))![1];
  const definitionOf = (b: Built = built) => {
    const sm = dailyRunOf(b);
    return JSON.parse(
      (sm.Properties!['DefinitionString'] as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].map((p) => (typeof p === 'string' ? p : '"x"')).join('').replaceAll('""x""', '"x"'),
    ) as { StartAt: string; States: Record<string, State> };
  };
  const chain = (states: Record<string, State>, from: string): string[] => {
    const order: string[] = [];
    for (let s: string | undefined = from; s !== undefined; s = states[s]!.Next) order.push(s);
    return order;
  };
  const retriesLambda = (s: State) => expect(s.Retry!.flatMap((r) => r.ErrorEquals)).toEqual(expect.arrayContaining(['Lambda.ServiceException', 'Lambda.TooManyRequestsException']));

  it('chains features → score → dispatch, scoring in shards above the configured members, retrying Lambda service errors, traced and logged', () => {
    const { StartAt, States } = definitionOf();
    expect(chain(States, StartAt)).toEqual(['Features', 'ScoreInShards?']);
    const choice = States['ScoreInShards?']!;
    expect(choice.Choices).toEqual([{ Variable: '$.members', NumericGreaterThan: config.deploy.score_shard_members, Next: 'PlanShards' }]);
    expect(chain(States, choice.Default!)).toEqual(['Score', 'Partners', 'DispatchPerPartner', 'Report', 'Done']);
    expect(chain(States, 'PlanShards')).toEqual(['PlanShards', 'SplitFeatures', 'ScoreShards', 'MergeShards', 'Partners', 'DispatchPerPartner', 'Report', 'Done']);
    for (const name of ['Features', 'Score', 'PlanShards', 'MergeShards', 'Report']) retriesLambda(States[name]!);
    const sm = dailyRunOf();
    expect(sm.Properties!['TracingConfiguration']).toEqual({ Enabled: true });
    expect(sm.Properties!['LoggingConfiguration']).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
  });

  it('scores in shards with two Distributed Maps (feature files, then person-hash buckets) at the configured concurrency, then merges', () => {
    const { States } = definitionOf();
    expect(States['PlanShards']!.Parameters).toEqual({ action: 'plan', 'asOf.$': '$.asOf', 'members.$': '$.members' });
    for (const [name, items, item] of [
      ['SplitFeatures', '$.files', { action: 'split', 'file.$': '$$.Map.Item.Value' }],
      ['ScoreShards', '$.buckets', { action: 'shard', 'shard.$': '$$.Map.Item.Value' }],
    ] as const) {
      const map = States[name]!;
      expect(map.ItemProcessor!.ProcessorConfig).toMatchObject({ Mode: 'DISTRIBUTED' });
      expect([map.ItemsPath, map.MaxConcurrency, map.ResultPath]).toEqual([items, config.deploy.score_max_concurrency, null]);
      expect(map.ItemSelector).toEqual({ ...item, 'asOf.$': '$.asOf', 'shards.$': '$.shards' });
      const task = Object.values(map.ItemProcessor!.States)[0]!;
      retriesLambda(task);
    }
    expect(States['MergeShards']!.Parameters).toEqual({ action: 'merge', 'asOf.$': '$.asOf', 'shards.$': '$.shards' });
    // the score function may run that many shards at once
    const score = Object.entries(resourcesOf(built.template, 'AWS::Lambda::Function')).find(([id]) => id.startsWith('PipelineScoreFunction'))![1];
    expect(score.Properties!['ReservedConcurrentExecutions']).toBe(config.deploy.score_max_concurrency);
  });

  it('dispatches to every partner at once, one task each, then writes the report from their counts', () => {
    const { States } = definitionOf();
    const partners = config.partners.map((p) => p.name);
    expect(States['Partners']!.Result).toEqual(partners);
    const map = States['DispatchPerPartner']!;
    expect([map.ItemsPath, map.MaxConcurrency, map.ResultPath]).toEqual(['$.partners', partners.length, '$.dispatched']);
    expect(map.ItemSelector).toEqual({ 'asOf.$': '$.asOf', 'partner.$': '$$.Map.Item.Value' });
    retriesLambda(map.ItemProcessor!.States['Dispatch']!);
    expect(States['Report']!.Parameters).toEqual({ action: 'report', 'asOf.$': '$.asOf', 'partners.$': '$.dispatched' });
    const dispatch = Object.entries(resourcesOf(built.template, 'AWS::Lambda::Function')).find(([id]) => id.startsWith('PipelineDispatchFunction'))![1];
    expect(dispatch.Properties!['ReservedConcurrentExecutions']).toBe(partners.length);
  });

  it('starts on the configured schedule with an empty input', () => {
    built.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: config.deploy.schedule,
      Targets: [Match.objectLike({ Input: '{}', Arn: { Ref: Match.stringLikeRegexp('^PipelineDailyRun') } })],
    });
  });
});

describe('ingest of large files', () => {
  /** the state machine's definition, each CloudFormation token inside it as "x" (or as the text around it) */
  const definition = () => {
    const sm = Object.entries(resourcesOf(built.template, 'AWS::StepFunctions::StateMachine')).find(([id]) => id.startsWith('IngestLargeFiles'))![1];
    const parts = (sm.Properties!['DefinitionString'] as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
    return { sm, states: (JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'x')).join('')) as { StartAt: string; TimeoutSeconds: number; States: Record<string, any> }) };
  };

  it('runs the planned statements one at a time as Athena .sync tasks, then has the ingest function commit, or abandon on a failure', () => {
    const { sm, states } = definition();
    expect(states.StartAt).toBe('Queries');
    const queries = states.States['Queries'];
    expect(queries).toMatchObject({ Type: 'Map', ItemsPath: '$.statements', MaxConcurrency: 1, ResultPath: null, Next: 'Commit' });
    const run = queries.ItemProcessor.States['RunQuery'];
    expect(run.Resource).toBe('arn:x:states:::athena:startQueryExecution.sync');
    expect(run.Parameters).toEqual({
      'QueryString.$': '$.sql',
      'ClientRequestToken.$': '$.token',
      WorkGroup: config.deploy.name,
      QueryExecutionContext: { Database: 'x' }, // the Glue database's Ref
    });
    expect(states.States['Commit']).toMatchObject({ Type: 'Task', Next: 'Ingested', Parameters: { 'athena_commit.$': '$' } });
    for (const from of ['Queries', 'Commit']) expect(states.States[from].Catch, from).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Abandon' }]);
    expect(states.States['Abandon']).toMatchObject({ Parameters: { 'athena_abandon.$': '$' }, Next: 'NotIngested' });
    expect(states.States['NotIngested'].Type).toBe('Fail');
    // the lease the file's marker is handed over with (lib/ingest/athena/machine.ts): 6 h = 21,600 s
    expect(states.TimeoutSeconds).toBe(21_600);
    expect(sm.Properties!['StateMachineName']).toBe(`${config.deploy.name}-ingest`);
    expect(sm.Properties!['TracingConfiguration']).toEqual({ Enabled: true });
    expect(sm.Properties!['LoggingConfiguration']).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
  });

  it('is started by the ingest function through an ARN built from its name, and reads and writes only the staging folders', () => {
    const fns = resourcesOf(built.template, 'AWS::Lambda::Function');
    const ingest = Object.entries(fns).find(([id]) => id.startsWith('IngestIngestFunction'))![1];
    const arn = (ingest.Properties!['Environment'] as { Variables: Record<string, unknown> }).Variables['STRATIFY_INGEST_STATE_MACHINE'];
    expect(JSON.stringify(arn)).toMatch(/:stateMachine:stratify-ingest"\]\]\}$/);
    // (the schedule's role starts the daily run, and the daily run's Distributed Maps their child executions)
    const starts = allowStatements().filter(({ owner, statement }) => asList(statement.Action).includes('states:StartExecution') && !owner.startsWith('PipelineDailyRun'));
    expect(starts.map((s) => s.owner.replace(/[A-F0-9]{8}$/, ''))).toEqual(['IngestIngestFunctionRoleDefaultPolicy']);
    expect(starts[0]!.statement.Resource).toEqual(arn);
    const prefixes = allowStatements()
      .filter(({ owner }) => owner.startsWith('IngestLargeFilesRole'))
      .flatMap(({ statement }) => asList(statement.Resource).map(flatArn))
      .filter((r) => r.endsWith('*') && r.startsWith('<Storage'))
      .map((r) => r.replace(/^<Storage([A-Za-z]+)[A-F0-9]{8}\.Arn>\//, '$1:'))
      .sort();
    // the file's copy and the UNLOADs; the committed members the known-person join reads (view → parts and deliveries)
    expect(prefixes).toEqual(['AthenaResults:results/*', 'Lake:curated/members/*', 'Lake:manifests/*', 'Lake:staging/*']);
  });
});

describe('alarms', () => {
  /** alarm name (logical id without the construct prefix and hash) → properties */
  const alarms = (b: Built = built) =>
    new Map(Object.entries(resourcesOf(b.template, 'AWS::CloudWatch::Alarm')).map(([id, a]) => [id.replace(/^Alarms/, '').replace(/[A-F0-9]{8}$/, ''), a.Properties!]));
  const ownMetric = (name: string, service: string) => ({
    Namespace: 'Stratify/stratify',
    MetricName: name,
    Dimensions: [{ Name: 'service', Value: service }],
  });

  it('fire at the first dead-letter message, failed or timed-out run, failed schedule and function error, all to the encrypted topic', () => {
    const all = alarms();
    const topic = Object.entries(resourcesOf(built.template, 'AWS::SNS::Topic'))[0]!;
    expect(refId(topic[1].Properties!['KmsMasterKeyId'])).toBe(keyIds.data);
    const first = [...all].filter(([name]) => /^(Dlq|Errors|RunFailed|RunTimedOut|ScheduleFailed|LargeFileNotIngested)/.test(name));
    expect(first.filter(([, a]) => a['MetricName'] === 'ApproximateNumberOfMessagesVisible').length).toBe(2 + config.partners.length);
    expect(first.filter(([, a]) => a['MetricName'] === 'Errors').length).toBe(5);
    expect(first.length).toBe(2 + config.partners.length + 5 + 4);
    for (const [name, a] of first) {
      const period = a['Period'] ?? (a['Metrics'] as { Id: string; Expression?: string; MetricStat?: { Period: number } }[]).find((m) => m.Expression === undefined)!.MetricStat!.Period;
      expect([a['Threshold'], a['ComparisonOperator'], period], name).toEqual([0, 'GreaterThanThreshold', 300]);
    }
    // the ingest state machine's failed and timed-out executions, in one alarm
    expect((all.get('LargeFileNotIngested')!['Metrics'] as { Expression?: string }[]).find((m) => m.Expression)!.Expression).toBe('failed + timedOut');
    for (const [name, a] of all) expect(asList(a['AlarmActions'] as unknown[]).map(refId), name).toEqual([topic[0]]);
    // 2 + 4 dead-letter queues, 5 functions, 3 run and schedule alarms, 1 on the large files' ingest, 8 on data, schedule and bill
    expect(all.size).toBe(6 + 5 + 3 + 1 + 8);
  });

  it('watch the data, the schedule and the bill with the thresholds of deploy.alarms (defaults)', () => {
    const all = alarms();
    expect(all.get('QuarantineRateFile')).toMatchObject({ ...ownMetric('QuarantineRate', 'stratify-ingest'), Statistic: 'Maximum', Threshold: 20, ComparisonOperator: 'GreaterThanThreshold' });
    // the day's rate: 100 × (quarantined in the UTC day) / (read in the UTC day), one-day periods
    const day = all.get('QuarantineRateDay')!;
    expect(day['Threshold']).toBe(5);
    const dayMetrics = day['Metrics'] as { Id: string; Expression?: string; MetricStat?: { Metric: unknown; Period: number; Stat: string } }[];
    expect(dayMetrics.find((m) => m.Expression !== undefined)?.Expression).toBe('100 * quarantined / read');
    expect(dayMetrics.filter((m) => m.MetricStat).map((m) => [m.Id, m.MetricStat!.Metric, m.MetricStat!.Period, m.MetricStat!.Stat])).toEqual([
      ['quarantined', ownMetric('RecordsQuarantined', 'stratify-ingest'), 86_400, 'Sum'],
      ['read', ownMetric('RecordsRead', 'stratify-ingest'), 86_400, 'Sum'],
    ]);
    for (const [name, counted, service] of [['NothingScored', 'MembersScored', 'stratify-score'], ['NothingFlagged', 'MembersFlagged', 'stratify-dispatch']] as const) {
      const a = all.get(name)!;
      const ms = a['Metrics'] as { Id: string; Expression?: string; MetricStat?: { Metric: unknown } }[];
      expect(ms.find((m) => m.Expression)?.Expression, name).toBe('IF(members > 0 AND FILL(counted, 0) == 0, 1, 0)');
      expect(Object.fromEntries(ms.filter((m) => m.MetricStat).map((m) => [m.Id, m.MetricStat!.Metric])), name).toEqual({
        members: ownMetric('MembersWithFeatures', 'stratify-features'),
        counted: ownMetric(counted, service),
      });
      expect([a['Threshold'], a['ComparisonOperator']], name).toEqual([0, 'GreaterThanThreshold']);
    }
    // a member set aside by the score stage (a feature the model cannot take): at the first, in 5 minutes
    expect(all.get('MembersSetAside')).toMatchObject({ ...ownMetric('MembersSetAside', 'stratify-score'), Statistic: 'Sum', Period: 300, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    // no execution started in 25 hourly periods (24 h + 1 h of slack), none succeeded in 27; no data is no run
    for (const [name, metric, hours] of [['RunNotStarted', 'ExecutionsStarted', 25], ['RunNotFinished', 'ExecutionsSucceeded', 27]] as const) {
      expect(all.get(name), name).toMatchObject({
        Namespace: 'AWS/States',
        MetricName: metric,
        Period: 3600,
        EvaluationPeriods: hours,
        DatapointsToAlarm: hours,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
      });
    }
    // 80 % of the default 10 GiB cutoff: 0.8 × 10,737,418,240 = 8,589,934,592 bytes in one query
    expect(all.get('AthenaScanNearCutoff')).toMatchObject({ ...ownMetric('AthenaBytesScanned', 'stratify-features'), Statistic: 'Maximum', Threshold: 8_589_934_592 });
  });
});

describe('dashboard', () => {
  it('shows the alarms, the records per format, members per tier, partners, Athena, stage durations, executions and queue depths', () => {
    const dashboards = Object.values(resourcesOf(built.template, 'AWS::CloudWatch::Dashboard'));
    expect(dashboards.length).toBe(1);
    expect(dashboards[0]!.Properties!['DashboardName']).toBe('Stratify-stratify');
    const body = JSON.parse(flatArn(dashboards[0]!.Properties!['DashboardBody'])) as {
      widgets: { properties: { title: string; metrics?: unknown[][]; alarms?: string[] } }[];
    };
    const byTitle = new Map(body.widgets.map((w) => [w.properties.title, w.properties]));
    expect([...byTitle.keys()]).toEqual([
      'Alarms',
      'Records read per file format',
      'Records quarantined and skipped per file format',
      'Quarantine rate per file format (highest file, %)',
      'Members with features and scored',
      'Members scored per tier',
      'Members flagged per partner',
      'Messages sent per partner',
      'Messages failed per partner',
      'Athena bytes scanned and query time',
      'Stage duration (ms, longest)',
      'Daily run executions',
      'Queue depths (messages visible)',
    ]);
    expect(byTitle.get('Alarms')!.alarms!.length).toBe(23);
    const text = (title: string) => JSON.stringify(byTitle.get(title)!.metrics);
    expect(text('Records read per file format')).toContain(`SEARCH('{Stratify/stratify,format,service} MetricName=\\"RecordsRead\\" service=\\"stratify-ingest\\"', 'Sum', 3600)`);
    expect(text('Members scored per tier')).toContain('{Stratify/stratify,tier,service} MetricName=');
    for (const title of ['Members flagged per partner', 'Messages sent per partner', 'Messages failed per partner']) {
      expect(byTitle.get(title)!.metrics!.length, title).toBe(config.partners.length);
      for (const p of config.partners) expect(text(title), title).toContain(`"partner","${p.name}"`);
    }
    expect(text('Athena bytes scanned and query time')).toMatch(/AthenaBytesScanned.*stratify-features.*AthenaBytesScanned.*stratify-ingest.*AthenaQueryTime/);
    expect(byTitle.get('Stage duration (ms, longest)')!.metrics!.length).toBe(5);
    expect(text('Daily run executions')).toMatch(/ExecutionsStarted.*ExecutionsSucceeded.*ExecutionsFailed.*ExecutionsTimedOut/);
    // ingest, feedback and one queue per partner, and the dead-letter queue of each
    expect(byTitle.get('Queue depths (messages visible)')!.metrics!.length).toBe(2 * (2 + config.partners.length));
  });
});

describe('a custom configuration', () => {
  it('changes the partners, the schedule, the cutoff and the names', () => {
    const raw = JSON.parse(readFileSync(DEFAULT_CONFIG, 'utf8')) as Record<string, unknown> & { partners: unknown[] };
    const path = writeConfig({
      ...raw,
      partners: raw.partners.slice(0, 2),
      deploy: {
        name: 'stratify_test',
        schedule: 'cron(30 4 * * ? *)',
        athena_bytes_scanned_cutoff: 2_000_000_000,
        alarm_email: 'oncall@example.org',
        alarms: { quarantine_rate_file_percent: 35, run_started_within_hours: 30, athena_scan_percent_of_cutoff: 50 },
      },
    });
    const custom = buildApp({ configPath: path });
    expect(custom.stack.stackName).toBe('stratify-test');
    custom.template.resourceCountIs('AWS::SQS::Queue', 2 * (2 + 2));
    custom.template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(30 4 * * ? *)' });
    custom.template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'stratify_test',
      WorkGroupConfiguration: Match.objectLike({ BytesScannedCutoffPerQuery: 2_000_000_000 }),
    });
    custom.template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: Match.objectLike({ Name: 'stratify_test' }) });
    custom.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.org' });
    // the alarm thresholds of deploy.alarms, the others at their defaults; the metrics in the deployment's namespace
    custom.template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'QuarantineRate', Namespace: 'Stratify/stratify_test', Threshold: 35 });
    custom.template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ExecutionsStarted', EvaluationPeriods: 30 });
    custom.template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ExecutionsSucceeded', EvaluationPeriods: 27 });
    // 50 % of 2,000,000,000 bytes
    custom.template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AthenaBytesScanned', Threshold: 1_000_000_000 });
    custom.template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'Stratify-stratify_test' });
  });
});
