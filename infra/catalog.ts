/**
 * The analysts' side: the Glue database, one table per table of lib/tables plus one per seed CSV, and the Athena
 * workgroup every query runs in. No crawler: columns come from the one definition in lib/tables (glueColumns), and
 * the date partitions of features/scores/flags (`<prefix>as_of=YYYY-MM-DD/`) are found by partition projection, so a
 * new day's output is queryable the moment it is written.
 *
 * A curated table is what lib/tables/deliveries.ts says, with the same names as locally: the Glue table
 * `<table>_parts` over every part written under its prefix, `deliveries` over the manifests (one line of JSON each),
 * and two Athena views, `<table>_versions` (the parts of committed deliveries, each row ranked among the versions of
 * its key) and `<table>` (the latest version of each key). So neither the features query nor an analyst ever reads
 * the parts of an ingest that is still running or died before its manifest, nor a record twice because it was
 * delivered twice. A view is a Glue table of type VIRTUAL_VIEW whose original text is the Presto/Trino view
 * definition, base64 JSON in a `/* Presto View: … *\/` comment, as Athena's own CREATE VIEW stores it.
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
import { Construct, type IConstruct } from 'constructs';
import type { DeployConfig } from '../lib/config/deploy.js';
import {
  ALL_TABLES,
  CURATED_TABLES,
  OUTPUT_TABLES,
  deliveries,
  glueColumns,
  latestSql,
  partsName,
  versionsName,
  versionsSql,
  type ColumnType,
  type TableDef,
} from '../lib/tables/index.js';
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
const CURATED = new Set<string>(CURATED_TABLES.map((t) => t.name));

/** a view's column types as Trino names them in the view definition */
const TRINO_TYPES: Record<ColumnType, string> = {
  string: 'varchar',
  list: 'varchar',
  date: 'date',
  timestamp: 'timestamp(3)',
  int: 'integer',
  double: 'double',
  boolean: 'boolean',
};

/** an Athena view in the catalog: its ARN, and the tables it reads (a query on it needs their grants too) */
export interface CatalogView {
  readonly tableArn: string;
  readonly reads: readonly string[];
}

const asColumn = (c: { name: string; type: string; comment?: string }): glue.Column => ({
  name: c.name,
  type: { inputString: c.type, isPrimitive: true },
  ...(c.comment === undefined ? {} : { comment: c.comment }),
});

export class Catalog extends Construct {
  public readonly database: glue.Database;
  /** every table stored in the lake by its SQL name (a curated table's by `<table>_parts`) */
  public readonly tables: ReadonlyMap<string, glue.S3Table>;
  /** the views over the curated tables, by SQL name: `<table>_versions` and `<table>` */
  public readonly views: ReadonlyMap<string, CatalogView>;
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
    for (const def of ALL_TABLES) {
      const name = CURATED.has(def.name) ? partsName(def) : def.name;
      tables.set(name, this.parquetTable(def, name, lake));
    }
    tables.set(
      deliveries.name,
      new glue.S3Table(this, 'Table_deliveries', {
        database: this.database,
        tableName: deliveries.name,
        description: deliveries.doc,
        columns: glueColumns(deliveries).map(asColumn),
        dataFormat: glue.DataFormat.JSON,
        storage: glue.S3TableStorage.fromBucket(lake),
        s3Prefix: deliveries.prefix,
        hasEncryptedData: false,
      }),
    );
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
    const views = new Map<string, CatalogView>();
    for (const def of CURATED_TABLES) {
      const bases = [tables.get(partsName(def))!, tables.get(deliveries.name)!];
      const extra = [
        { name: 'delivery_sha256', type: 'varchar', hive: 'string' },
        { name: 'delivered_at', type: 'varchar', hive: 'string' },
        { name: 'version_rank', type: 'bigint', hive: 'bigint' },
      ];
      const versions = this.view(versionsName(def), `${def.doc} Every committed version, ranked per key (1 = latest).`, versionsSql(def), def, extra, bases);
      views.set(versionsName(def), { tableArn: versions.arn, reads: [partsName(def), deliveries.name] });
      const latest = this.view(def.name, `${def.doc} The latest delivery of each key.`, latestSql(def), def, [], [versions.resource]);
      views.set(def.name, { tableArn: latest.arn, reads: [versionsName(def)] });
    }
    this.views = views;
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

  /** a Glue VIRTUAL_VIEW Athena reads as a view: `sql` over the tables it depends on, columns `def`'s then `extra` */
  private view(
    name: string,
    description: string,
    sql: string,
    def: TableDef<string, unknown>,
    extra: readonly { name: string; type: string; hive: string }[],
    dependsOn: readonly IConstruct[],
  ): { resource: glue.CfnTable; arn: string } {
    const columns = [...def.columns.map((c) => ({ name: c.name, type: TRINO_TYPES[c.type] })), ...extra.map(({ name: n, type }) => ({ name: n, type }))];
    const hive = [...glueColumns(def).map(({ name: n, type }) => ({ name: n, type })), ...extra.map(({ name: n, hive: type }) => ({ name: n, type }))];
    const presto = { originalSql: sql, catalog: 'awsdatacatalog', schema: this.database.databaseName, columns };
    const resource = new glue.CfnTable(this, `View_${name}`, {
      catalogId: Stack.of(this).account,
      databaseName: this.database.databaseName,
      tableInput: {
        name,
        description,
        tableType: 'VIRTUAL_VIEW',
        parameters: { presto_view: 'true', comment: 'Presto View' },
        viewOriginalText: `/* Presto View: ${Buffer.from(JSON.stringify(presto), 'utf8').toString('base64')} */`,
        viewExpandedText: '/* Presto View */',
        storageDescriptor: { columns: hive, serdeInfo: {} },
      },
    });
    for (const d of dependsOn) resource.node.addDependency(d);
    return { resource, arn: Stack.of(this).formatArn({ service: 'glue', resource: 'table', resourceName: `${this.database.databaseName}/${name}` }) };
  }

  private parquetTable(def: TableDef<string, unknown>, name: string, lake: s3.IBucket): glue.S3Table {
    const partitioned = PARTITIONED.has(def.name);
    return new glue.S3Table(this, `Table_${name}`, {
      database: this.database,
      tableName: name,
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
