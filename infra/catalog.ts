/**
 * The analysts' side: the Glue database, one table per table of lib/tables plus one per seed CSV, and the Athena
 * workgroup every query runs in. No crawler: columns come from the one definition in lib/tables (glueColumns), and
 * the date partitions of features/scores/flags (`<prefix>as_of=YYYY-MM-DD/`) are found by partition projection, so a
 * new day's output is queryable the moment it is written.
 *
 * The workgroup enforces its configuration on every client: Athena engine v3 (the Trino dialect queries/ is written
 * in), results in the results bucket encrypted with the data CMK, and a per-query bytes-scanned cutoff that stops a
 * runaway query before it costs more than the cutoff (Athena bills per byte scanned).
 */
import { Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { DeployConfig } from '../lib/config/deploy.js';
import { ALL_TABLES, OUTPUT_TABLES, glueColumns, type TableDef } from '../lib/tables/index.js';
import { RESULTS_PREFIX, SEEDS_PREFIX } from './layout.js';
import type { SeedTable } from './seeds.js';

export interface CatalogProps {
  readonly lake: s3.IBucket;
  readonly results: s3.IBucket;
  readonly key: kms.IKey;
  readonly deploy: DeployConfig;
  readonly seeds: readonly SeedTable[];
}

/** the partition column of the output tables and its projection: one partition per day since this date */
const PARTITION_KEY = 'as_of';
const PROJECTION_START = '2020-01-01';

const PARTITIONED = new Set<string>(OUTPUT_TABLES.map((t) => t.name));

const asColumn = (c: { name: string; type: string; comment?: string }): glue.Column => ({
  name: c.name,
  type: { inputString: c.type, isPrimitive: true },
  ...(c.comment === undefined ? {} : { comment: c.comment }),
});

export class Catalog extends Construct {
  public readonly database: glue.Database;
  /** every table by its SQL name */
  public readonly tables: ReadonlyMap<string, glue.S3Table>;
  public readonly seedTableNames: readonly string[];
  public readonly workGroupName: string;
  public readonly workGroupArn: string;

  constructor(scope: Construct, id: string, { lake, results, key, deploy, seeds }: CatalogProps) {
    super(scope, id);
    this.database = new glue.Database(this, 'Database', {
      databaseName: deploy.name,
      description: 'Stratify: curated claims, eligibility and readings; features, scores and flags by as-of date; seeds',
    });
    const tables = new Map<string, glue.S3Table>();
    for (const def of ALL_TABLES) tables.set(def.name, this.parquetTable(def, lake));
    for (const seed of seeds) {
      tables.set(
        seed.name,
        new glue.S3Table(this, `Seed_${seed.name}`, {
          database: this.database,
          tableName: seed.name,
          description: `reference table from queries/seeds/${seed.name}.csv`,
          columns: seed.columns.map(asColumn),
          dataFormat: glue.DataFormat.CSV,
          // table property (TBLPROPERTIES) for Athena, storage parameter for other readers of the catalog
          parameters: { 'skip.header.line.count': '1' },
          storageParameters: [glue.StorageParameter.skipHeaderLineCount(1)],
          storage: glue.S3TableStorage.fromBucket(lake),
          s3Prefix: `${SEEDS_PREFIX}${seed.name}/`,
          hasEncryptedData: false,
        }),
      );
    }
    this.tables = tables;
    this.seedTableNames = seeds.map((s) => s.name);

    this.workGroupName = deploy.name;
    const workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: this.workGroupName,
      description: 'Stratify: every query of the pipeline and of analysts',
      state: 'ENABLED',
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        bytesScannedCutoffPerQuery: deploy.athena_bytes_scanned_cutoff,
        publishCloudWatchMetricsEnabled: true,
        requesterPaysEnabled: false,
        resultConfiguration: {
          outputLocation: results.s3UrlForObject(RESULTS_PREFIX),
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: key.keyArn },
        },
      },
    });
    this.workGroupArn = Stack.of(this).formatArn({ service: 'athena', resource: 'workgroup', resourceName: workGroup.name });
  }

  private parquetTable(def: TableDef<string, unknown>, lake: s3.IBucket): glue.S3Table {
    const partitioned = PARTITIONED.has(def.name);
    return new glue.S3Table(this, `Table_${def.name}`, {
      database: this.database,
      tableName: def.name,
      description: def.doc,
      columns: glueColumns(def).map(asColumn),
      dataFormat: glue.DataFormat.PARQUET,
      storage: glue.S3TableStorage.fromBucket(lake),
      s3Prefix: def.prefix,
      hasEncryptedData: false,
      ...(partitioned
        ? {
            partitionKeys: [{ name: PARTITION_KEY, type: glue.Schema.STRING, comment: 'as-of date, YYYY-MM-DD (the folder as_of=<date>/)' }],
            partitionProjection: {
              [PARTITION_KEY]: glue.PartitionProjectionConfiguration.date({
                min: PROJECTION_START,
                max: 'NOW',
                format: 'yyyy-MM-dd',
                step: { interval: 1, intervalUnit: glue.DateIntervalUnit.DAYS },
              }),
            },
            parameters: { 'storage.location.template': `${lake.s3UrlForObject(def.prefix)}${PARTITION_KEY}=\${${PARTITION_KEY}}/` },
          }
        : {}),
    });
  }
}
