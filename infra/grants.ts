/**
 * Turns a stage's entry of infra/layout.ts into IAM statements on its function's role: object actions on
 * `arn:…:bucket/<prefix>*` only, listing of the buckets it touches, the data key for exactly the S3 encrypt/decrypt
 * calls, Athena on the one workgroup, Glue reads on the named tables. No statement of an s3:, athena: or glue: data
 * action has a `*` resource (test/infra asserts it over the whole template).
 *
 * A prefix still ends in `*`, which cdk-nag's AwsSolutions-IAM5 reports once per prefix; each is acknowledged here
 * with the prefix's own reason from layout.ts, so the acknowledgement cannot outlive or drift from the grant.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import type { Catalog } from './catalog.js';
import { RESULTS_PREFIX, type StageAccess, type TableCreation } from './layout.js';
import { logicalIdOf } from './nag.js';

export interface GrantTargets {
  readonly landing: s3.IBucket;
  readonly lake: s3.IBucket;
  readonly results: s3.IBucket;
  readonly key: kms.IKey;
  readonly catalog: Catalog;
}

interface PrefixRule {
  readonly bucket: s3.IBucket;
  readonly prefix: string;
  readonly read?: boolean;
  readonly write?: boolean;
  readonly delete?: boolean;
  readonly why: string;
}

/** the name cdk-nag gives `<bucket arn>/<prefix>*` in its IAM5 finding */
function nagResource(bucket: s3.IBucket, prefix: string): string {
  return `Resource::<${logicalIdOf(bucket)}.Arn>/${prefix}*`;
}

function grantPrefix(role: iam.IRole, owner: IConstruct, rule: PrefixRule): void {
  const actions = [
    ...(rule.read ? ['s3:GetObject'] : []),
    ...(rule.write ? ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'] : []),
    ...(rule.delete ? ['s3:DeleteObject'] : []),
  ];
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [rule.bucket.arnForObjects(`${rule.prefix}*`)] }));
  Validations.of(owner).acknowledge({ id: `AwsSolutions-IAM5[${nagResource(rule.bucket, rule.prefix)}]`, reason: rule.why });
}

/** object access, key use and (when the stage queries) Athena + Glue for one function */
export function grantStage(role: iam.IRole, owner: IConstruct, access: StageAccess, t: GrantTargets): void {
  const byName = { landing: t.landing, lake: t.lake };
  const rules: PrefixRule[] = access.objects.map((o) => ({ ...o, bucket: byName[o.bucket] }));
  const tableNames = [...access.queries, ...(access.readsSeeds ? t.catalog.seedTableNames : [])];
  if (tableNames.length > 0) rules.push(...grantQueries(role, tableNames, t));
  for (const tables of access.createsTables ?? []) grantTableCreation(role, owner, tables, t.catalog);
  for (const rule of mergeRules(rules)) grantPrefix(role, owner, rule);
  // Listing is not conditioned on s3:prefix: HeadObject of a missing key (a manifest or ledger not written yet) answers
  // 404 only to a caller allowed s3:ListBucket without condition, and 403 to everyone else. Key names hold no PHI.
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['s3:ListBucket', 's3:ListBucketMultipartUploads', 's3:GetBucketLocation'],
      resources: [...new Set(rules.map((r) => r.bucket.bucketArn))],
    }),
  );
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [t.key.keyArn] }));
}

/**
 * One rule per bucket and prefix, with the union of the actions and the reason of the first (the stage's own); a
 * rule is dropped when another on the same bucket covers its prefix and its actions (seeds/ covers seeds/<name>/).
 */
function mergeRules(rules: readonly PrefixRule[]): PrefixRule[] {
  const merged = new Map<string, PrefixRule>();
  for (const r of rules) {
    const key = `${r.bucket.node.path} ${r.prefix}`;
    const seen = merged.get(key);
    merged.set(key, seen === undefined ? r : { ...seen, read: seen.read || r.read, write: seen.write || r.write, delete: seen.delete || r.delete });
  }
  const all = [...merged.values()];
  const covers = (q: PrefixRule, r: PrefixRule) =>
    q !== r && q.bucket === r.bucket && r.prefix.startsWith(q.prefix) && (!r.read || q.read) && (!r.write || q.write) && (!r.delete || q.delete);
  return all.filter((r) => !all.some((q) => covers(q, r)));
}

/** Glue create (and move, and drop) of the tables whose names start with `prefix`, in the catalog's database only */
function grantTableCreation(role: iam.IRole, owner: IConstruct, tables: TableCreation, catalog: Catalog): void {
  const { database } = catalog;
  const pattern = Stack.of(owner).formatArn({ service: 'glue', resource: 'table', resourceName: `${database.databaseName}/${tables.prefix}*` });
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['glue:CreateTable', 'glue:GetTable', ...(tables.alters ? ['glue:UpdateTable'] : []), ...(tables.drops ? ['glue:DeleteTable'] : [])],
      resources: [database.catalog.catalogArn, database.databaseArn, pattern],
    }),
  );
  Validations.of(owner).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:table/<${logicalIdOf(database)}>/${tables.prefix}*]`,
    reason: tables.why,
  });
}

/** Athena on the workgroup and Glue reads on the tables; returns the object prefixes Athena reads and writes as the caller */
function grantQueries(role: iam.IRole, tableNames: readonly string[], t: GrantTargets): PrefixRule[] {
  const { catalog } = t;
  // a view is granted with the tables it reads, down to the stored ones whose objects Athena fetches
  const viewArns: string[] = [];
  const stored = new Set<string>();
  const resolve = (name: string): void => {
    const view = catalog.views.get(name);
    if (view !== undefined) {
      viewArns.push(view.tableArn);
      view.reads.forEach(resolve);
    } else if (catalog.tables.has(name)) stored.add(name);
    else throw new Error(`infra/layout.ts: a stage queries table ${name}, which the catalog does not declare`);
  };
  tableNames.forEach(resolve);
  const tables = [...stored].map((name) => ({ name, table: catalog.tables.get(name)! }));
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution', 'athena:GetWorkGroup'],
      resources: [catalog.workGroupArn],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions'],
      resources: [catalog.database.catalog.catalogArn, catalog.database.databaseArn, ...[...new Set(viewArns)], ...tables.map((x) => x.table.tableArn)],
    }),
  );
  return [
    ...tables.map(({ name, table }) => ({
      bucket: t.lake,
      prefix: table.s3Prefix,
      read: true,
      why: `Athena reads the objects of table ${name} under ${table.s3Prefix} with this function's role; the pipeline names them by content hash or date`,
    })),
    {
      bucket: t.results,
      prefix: RESULTS_PREFIX,
      read: true,
      write: true,
      why: "Athena writes each query's result under results/<query id> of the results bucket with this function's role, which then reads it",
    },
  ];
}
