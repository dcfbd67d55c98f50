/**
 * Athena's API answered by a real DuckDB engine, for the loopback end-to-end test (there is no Athena off AWS).
 *
 * StartQueryExecution copies the lake's table prefixes (as the Glue tables would read them) from the emulated S3 into
 * a fresh folder, runs the statement on a DuckDbEngine there, and keeps the result: a SELECT's rows for
 * GetQueryResults in Athena's text form with column types, or, for an UNLOAD, a Parquet file written back into the
 * emulated S3 under the UNLOAD prefix with an Athena-like name (no `.parquet` suffix). Like the Glue tables, the partitioned ones (features, scores, flags) also have the
 * projection key `as_of` as a column. A query naming a seed fails unless the lake holds that seed where the Glue catalog reads
 * it, so the features function's seed upload is checked too. A repeated ClientRequestToken returns the first
 * execution, as Athena does.
 *
 * The Athena ingest's per-file tables (lib/ingest/athena/raw-table.ts): CREATE EXTERNAL TABLE with OpenCSVSerde is
 * kept as a catalog entry (its location and width) and, in every later query, becomes a DuckDB view of read_csv over
 * the objects under that location (all VARCHAR, the header skipped, an empty field an empty string as OpenCSVSerde
 * gives it; a `.gz` object decompressed by its name, as Hive does); an NDJSON file's table of numbered lines
 * (`record bigint, line string`, fields terminated by \001) a view of read_csv on that separator, without quote or
 * escape. An ingest's result table (lib/ingest/athena/result-table.ts): CREATE TABLE … WITH NO DATA is a catalog entry
 * (failing when the name is taken, as Athena does), ALTER TABLE SET LOCATION points it at a lake folder, INSERT INTO
 * runs its query and writes a Parquet object there (failing on a column of a type a Hive table cannot hold, JSON or a
 * timestamp with a time zone, or on two columns of one name; not on a bare NULL, Trino's type unknown, which DuckDB
 * types INTEGER), and later queries read it as a view of read_parquet. DROP TABLE removes
 * an entry. Only the per-file tables a query names are set up for it, and each execution records them (`reads`): a
 * test counts how often the staged file is read. One difference is not reproduced: OpenCSVSerde's escape character
 * (a backslash) is read as text here.
 */
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  type ColumnInfo,
  type Row,
} from '@aws-sdk/client-athena';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { assetPath } from '../../lib/assets.js';
import { DuckDbEngine, toPlain } from '../../lib/sql/duckdb.js';
import { LocalFolderStore } from '../../lib/store/local.js';
import type { S3ObjectStore } from '../../lib/store/s3.js';
import { ALL_TABLES, deliveries, type TableDef } from '../../lib/tables/index.js';

interface Execution {
  readonly id: string;
  readonly sql: string;
  state: 'SUCCEEDED' | 'FAILED';
  reason?: string;
  columns: ColumnInfo[];
  rows: Row[];
  /** the per-file tables (external or result) the query read */
  reads: string[];
}

/** a per-file table: a CSV file's string columns, a numbered lines file, or a result table's Parquet objects */
type PerFileTable = { readonly kind: 'csv'; readonly prefix: string; readonly columns: string[] } | { readonly kind: 'lines'; readonly prefix: string } | { readonly kind: 'parquet'; prefix: string };

const CREATE_CSV_TABLE =
  /^CREATE EXTERNAL TABLE IF NOT EXISTS (\w+) \(\n([\s\S]*?)\n\)\nROW FORMAT SERDE 'org\.apache\.hadoop\.hive\.serde2\.OpenCSVSerde'[\s\S]*\nLOCATION 's3:\/\/([^/]+)\/([^']*)'\nTBLPROPERTIES \('skip\.header\.line\.count' = '1'\)$/;
const CREATE_LINES_TABLE =
  /^CREATE EXTERNAL TABLE IF NOT EXISTS (\w+) \(\n  record bigint,\n  line string\n\)\nROW FORMAT DELIMITED FIELDS TERMINATED BY '\\001'\nSTORED AS TEXTFILE\nLOCATION 's3:\/\/([^/]+)\/([^']*)'\nTBLPROPERTIES \('serialization\.null\.format' = ''\)$/;
const DROP_TABLE = /^DROP TABLE IF EXISTS (\w+)$/;
const CREATE_NO_DATA = /^CREATE TABLE (\w+) WITH \(format = 'PARQUET', write_compression = 'ZSTD'\) AS\n[\s\S]*\nWITH NO DATA$/;
const SET_LOCATION = /^ALTER TABLE (\w+) SET LOCATION 's3:\/\/([^/]+)\/([^']*)'$/;
const INSERT = /^INSERT INTO (\w+)\n([\s\S]*)$/;
/** DuckDB's names of the types a Hive table cannot hold (Athena fails a CTAS with such a column) */
const NOT_HIVE = /^(JSON|TIMESTAMP WITH TIME ZONE)$/;

const UNLOAD = /^UNLOAD \(\n([\s\S]*)\n\) TO 's3:\/\/([^/]+)\/([^']*)' WITH \(format = 'PARQUET', compression = 'ZSTD'\)$/;

function athenaType(duckType: string): string {
  if (duckType === 'VARCHAR') return 'varchar';
  if (duckType === 'INTEGER' || duckType === 'SMALLINT' || duckType === 'TINYINT') return 'integer';
  if (duckType === 'BIGINT' || duckType === 'HUGEINT') return 'bigint';
  if (duckType === 'DOUBLE' || duckType === 'FLOAT') return 'double';
  if (duckType.startsWith('DECIMAL')) return 'decimal';
  if (duckType.startsWith('TIMESTAMP')) return 'timestamp';
  if (duckType === 'BOOLEAN' || duckType === 'DATE') return duckType.toLowerCase();
  return 'varchar';
}

/** a value as Athena prints it in GetQueryResults */
function athenaText(value: unknown, type: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (type === 'timestamp') return new Date(value as number).toISOString().replace('T', ' ').replace('Z', '');
  return String(value);
}

export class AthenaOnDuckDb {
  readonly executions: Execution[] = [];
  readonly #byToken = new Map<string, string>();
  /** the per-file tables created by DDL, by name */
  readonly #external = new Map<string, PerFileTable>();

  constructor(
    private readonly lake: S3ObjectStore,
    private readonly workdir: string,
  ) {}

  /** the per-file tables the catalog holds (created and not dropped) */
  tableNames(): string[] {
    return [...this.#external.keys()].sort();
  }

  install(athena: AwsClientStub<AthenaClient>): void {
    athena.on(StartQueryExecutionCommand).callsFake((input: { QueryString: string; ClientRequestToken?: string }) => this.#start(input));
    athena.on(GetQueryExecutionCommand).callsFake((input: { QueryExecutionId: string }) => {
      const e = this.#get(input.QueryExecutionId);
      return { QueryExecution: { QueryExecutionId: e.id, Status: { State: e.state, ...(e.reason ? { StateChangeReason: e.reason } : {}) } } };
    });
    athena.on(GetQueryResultsCommand).callsFake((input: { QueryExecutionId: string; NextToken?: string; MaxResults?: number }) => {
      const e = this.#get(input.QueryExecutionId);
      const max = input.MaxResults ?? 1000;
      const header: Row = { Data: e.columns.map((c) => ({ VarCharValue: c.Name })) };
      const all = [header, ...e.rows];
      const from = Number(input.NextToken ?? 0);
      const next = from + max < all.length ? String(from + max) : undefined;
      return { ResultSet: { ResultSetMetadata: { ColumnInfo: e.columns }, Rows: all.slice(from, from + max) }, ...(next ? { NextToken: next } : {}) };
    });
  }

  #get(id: string): Execution {
    const e = this.executions.find((x) => x.id === id);
    if (e === undefined) throw Object.assign(new Error(`QueryExecution ${id} was not found`), { name: 'InvalidRequestException' });
    return e;
  }

  async #start(input: { QueryString: string; ClientRequestToken?: string }): Promise<{ QueryExecutionId: string }> {
    const known = input.ClientRequestToken && this.#byToken.get(input.ClientRequestToken);
    if (known) return { QueryExecutionId: known };
    const e: Execution = { id: `q${this.executions.length + 1}`, sql: input.QueryString, state: 'SUCCEEDED', columns: [], rows: [], reads: [] };
    this.executions.push(e);
    if (input.ClientRequestToken) this.#byToken.set(input.ClientRequestToken, e.id);
    const folder = join(this.workdir, e.id);
    try {
      if (this.#ddl(e.sql)) return { QueryExecutionId: e.id };
      await this.#checkSeeds(e.sql);
      const partitioned = await this.#syncTables(folder);
      const engine = await DuckDbEngine.open(new LocalFolderStore(folder));
      try {
        await this.#addPartitionKeys(engine, folder, partitioned);
        e.reads = await this.#addExternalTables(engine, folder, e.sql);
        await this.#run(e, engine, folder);
      } finally {
        await engine.close();
      }
    } catch (err) {
      e.state = 'FAILED';
      e.reason = (err as Error).message;
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
    return { QueryExecutionId: e.id };
  }

  /** CREATE EXTERNAL TABLE (OpenCSVSerde) and DROP TABLE act on the catalog alone; true when `sql` was one */
  #ddl(sql: string): boolean {
    const create = CREATE_CSV_TABLE.exec(sql);
    if (create) {
      const [, name, columns, bucket, prefix] = create;
      if (bucket !== this.lake.bucket) throw new Error(`table ${name} reads bucket ${bucket}, not the lake`);
      if (!this.#external.has(name!)) this.#external.set(name!, { kind: 'csv', prefix: prefix!, columns: columns!.split(',\n').map((c) => /^\s*(\w+) string$/.exec(c)![1]!) });
      return true;
    }
    const lines = CREATE_LINES_TABLE.exec(sql);
    if (lines) {
      const [, name, bucket, prefix] = lines;
      if (bucket !== this.lake.bucket) throw new Error(`table ${name} reads bucket ${bucket}, not the lake`);
      if (!this.#external.has(name!)) this.#external.set(name!, { kind: 'lines', prefix: prefix! });
      return true;
    }
    const noData = CREATE_NO_DATA.exec(sql);
    if (noData) {
      const name = noData[1]!;
      if (this.#external.has(name)) throw new Error(`AlreadyExistsException: Table already exists: ${name}`);
      // Athena puts a CTAS's table under the workgroup's results when it enforces its location; no object yet
      this.#external.set(name, { kind: 'parquet', prefix: `results/tables/${name}/` });
      return true;
    }
    const location = SET_LOCATION.exec(sql);
    if (location) {
      const [, name, bucket, prefix] = location;
      const table = this.#external.get(name!);
      if (table?.kind !== 'parquet') throw new Error(`EntityNotFoundException: Table ${name} not found`);
      if (bucket !== this.lake.bucket) throw new Error(`table ${name} moved to bucket ${bucket}, not the lake`);
      table.prefix = prefix!;
      return true;
    }
    const drop = DROP_TABLE.exec(sql);
    if (drop) {
      this.#external.delete(drop[1]!);
      return true;
    }
    return false;
  }

  /** each per-file table `sql` names as a view over its objects, copied from the lake; returns their names */
  async #addExternalTables(engine: DuckDbEngine, folder: string, sql: string): Promise<string[]> {
    // an INSERT's target is written, not read
    const target = INSERT.exec(sql)?.[1];
    const named = [...this.#external].filter(([name]) => name !== target && new RegExp(`\\b${name}\\b`).test(sql));
    for (const [name, table] of named) {
      const files: string[] = [];
      for (const o of await this.lake.list(table.prefix)) {
        const path = join(folder, 'external', name, o.key.slice(table.prefix.length));
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, await this.lake.get(o.key));
        files.push(`'${path}'`);
      }
      if (files.length === 0) throw new Error(`HIVE_CANNOT_OPEN_SPLIT: table ${name} has no object under ${table.prefix}`);
      if (table.kind === 'parquet') {
        await engine.connection.run(`CREATE OR REPLACE VIEW ${name} AS SELECT * FROM read_parquet([${files.join(', ')}])`);
        continue;
      }
      if (table.kind === 'lines') {
        // LazySimpleSerDe on \001: no quote, no escape; an empty field is an empty string
        await engine.connection.run(
          `CREATE OR REPLACE VIEW ${name} AS SELECT * FROM read_csv([${files.join(', ')}], header = false, delim = '\u0001', quote = '', escape = '', ` +
            `auto_detect = false, strict_mode = false, columns = {'record': 'BIGINT', 'line': 'VARCHAR'}, null_padding = true, force_not_null = ['line'])`,
        );
        continue;
      }
      const types = table.columns.map((c) => `'${c}': 'VARCHAR'`).join(', ');
      const notNull = table.columns.map((c) => `'${c}'`).join(', ');
      await engine.connection.run(
        `CREATE OR REPLACE VIEW ${name} AS SELECT * FROM read_csv([${files.join(', ')}], header = false, skip = 1, delim = ',', quote = '"', escape = '"', ` +
          `auto_detect = false, columns = {${types}}, null_padding = true, force_not_null = [${notNull}])`,
      );
    }
    return named.map(([name]) => name);
  }

  async #checkSeeds(sql: string): Promise<void> {
    const dir = assetPath('queries/seeds/');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.csv'))) {
      const name = f.slice(0, -4);
      if (!new RegExp(`\\b${name}\\b`).test(sql)) continue;
      const key = `seeds/${name}/${name}.csv`;
      const inLake = await this.lake.get(key).catch(() => undefined);
      if (inLake === undefined || !Buffer.from(inLake).equals(readFileSync(`${dir}${f}`))) {
        throw new Error(`TABLE_NOT_FOUND: seed table ${name} has no data at ${this.lake.urlOf(key)}`);
      }
    }
  }

  /**
   * The lake's table prefixes, each object as a .parquet file (DuckDB's views read only those), and the manifests; returns the tables
   * stored in `as_of=<date>/` partitions.
   */
  async #syncTables(folder: string): Promise<TableDef<string, unknown>[]> {
    const partitioned: TableDef<string, unknown>[] = [];
    for (const t of ALL_TABLES) {
      const objects = await this.lake.list(t.prefix);
      if (objects.some((o) => o.key.startsWith(`${t.prefix}as_of=`))) partitioned.push(t);
      for (const o of objects) {
        const path = join(folder, o.key.endsWith('.parquet') ? o.key : `${o.key}.parquet`);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, await this.lake.get(o.key));
      }
    }
    // the deliveries table (the manifests), through which the curated views read only committed parts
    for (const o of await this.lake.list(deliveries.prefix)) {
      await mkdir(dirname(join(folder, o.key)), { recursive: true });
      await writeFile(join(folder, o.key), await this.lake.get(o.key));
    }
    return partitioned;
  }

  /** as the Glue tables do, partitioned tables also show their projection key `as_of` (a string) as a column */
  async #addPartitionKeys(engine: DuckDbEngine, folder: string, tables: readonly TableDef<string, unknown>[]): Promise<void> {
    for (const t of tables) {
      const files = `${join(folder, t.prefix)}as_of=*/*.parquet`;
      await engine.connection.run(
        `CREATE OR REPLACE VIEW ${t.name} AS SELECT * FROM read_parquet('${files}', hive_partitioning = true, hive_types = {'as_of': VARCHAR}, union_by_name = true)`,
      );
    }
  }

  async #run(e: Execution, engine: DuckDbEngine, folder: string): Promise<void> {
    const insert = INSERT.exec(e.sql);
    if (insert) {
      const [, name, query] = insert;
      const table = this.#external.get(name!);
      if (table?.kind !== 'parquet') throw new Error(`TABLE_NOT_FOUND: Table ${name} does not exist`);
      const described = await engine.connection.runAndReadAll(`DESCRIBE ${query!}`);
      const seen = new Set<string>();
      for (const [column, type] of described.getRows()) {
        if (NOT_HIVE.test(String(type))) throw new Error(`NOT_SUPPORTED: Unsupported Hive type for column ${String(column)}: ${String(type)}`);
        // a Hive table's column names are lower case and unique
        const name = String(column).toLowerCase();
        if (seen.has(name)) throw new Error(`DUPLICATE_COLUMN_NAME: Column name '${name}' specified more than once`);
        seen.add(name);
      }
      await engine.materialize(query!, 'insert/result.parquet');
      await this.lake.put(`${table.prefix}${e.id}_00000`, await readFile(join(folder, 'insert/result.parquet')));
      return;
    }
    const unload = UNLOAD.exec(e.sql);
    if (unload) {
      const [, inner, bucket, prefix] = unload;
      if (bucket !== this.lake.bucket) throw new Error(`UNLOAD target bucket ${bucket} is not the lake`);
      await engine.materialize(inner!, 'unload/result.parquet');
      await this.lake.put(`${prefix}${e.id}_00000`, await readFile(join(folder, 'unload/result.parquet')));
      return;
    }
    const reader = await engine.connection.runAndReadAll(e.sql);
    const types = reader.columnTypes().map((t) => athenaType(t.toString()));
    e.columns = reader.columnNames().map((Name, i) => ({ Name, Type: types[i]! }));
    e.rows = reader.getRows().map((row) => ({ Data: row.map((v, i) => {
      const text = athenaText(toPlain(v), types[i]!);
      return text === undefined ? {} : { VarCharValue: text };
    }) }));
  }
}
