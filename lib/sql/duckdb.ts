/**
 * QueryEngine on embedded DuckDB over a LocalFolderStore. Each table of lib/tables is a view over the Parquet files
 * under its prefix (an empty typed view when there are none yet; for a curated table, only the committed deliveries,
 * latest delivery of a key winning: see refresh), and each CSV in queries/seeds/ is a reference table of the same name. The compat prelude runs first so the Trino text of queries/ means the same thing here.
 */
import {
  DuckDBConnection,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBInstance,
  DuckDBListValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import { readFileSync, readdirSync } from 'node:fs';
import { chmod, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { assetPath } from '../assets.js';
import { crashPoint } from '../crash.js';
import { committedManifests, committedParts } from '../ingest/manifests.js';
import type { IngestManifest } from '../ingest/types.js';
import { scratchDir } from '../scratch.js';
import { PRIVATE_DIR, PRIVATE_FILE, type LocalFolderStore } from '../store/local.js';
import type { ObjectInfo } from '../store/port.js';
import {
  ALL_TABLES,
  AS_OF_PARTITION,
  OUTPUT_TABLES,
  RECORD_KEYS,
  deliveries,
  latestSql,
  partsName,
  versionsName,
  versionsSql,
  type CuratedTableName,
  type TableDef,
} from '../tables/index.js';
import { bindParams, sqlString } from './params.js';
import { QueryFailedError, type QueryEngine, type SqlParam, type SqlRow } from './port.js';
import { QUERIES_DIR } from './queries.js';

const PRELUDE = readFileSync(assetPath('lib/sql/duckdb-prelude.sql'), 'utf8');
export const SEEDS_DIR = `${QUERIES_DIR}seeds/`;
const PARTITIONED = new Set<string>(OUTPUT_TABLES.map((t) => t.name));

function isCurated(t: TableDef<string, unknown>): t is TableDef<CuratedTableName, unknown> {
  return Object.hasOwn(RECORD_KEYS, t.name);
}

const DUCK_TYPES = { string: 'VARCHAR', list: 'VARCHAR', date: 'DATE', timestamp: 'TIMESTAMP', int: 'INTEGER', double: 'DOUBLE', boolean: 'BOOLEAN' } as const;

export { sqlString };

/** DuckDB values to plain JS: dates as ISO strings, timestamps as epoch ms, BIGINT and DECIMAL as numbers. */
export function toPlain(v: DuckDBValue): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof DuckDBDateValue) return v.toString();
  if (v instanceof DuckDBTimestampValue || v instanceof DuckDBTimestampTZValue) return Number(v.micros / 1000n);
  if (v instanceof DuckDBDecimalValue) return v.toDouble();
  if (v instanceof DuckDBListValue) return v.items.map(toPlain);
  return v;
}

/** toPlain, but a timestamp as ISO 8601 in UTC (`2026-06-01T12:31:00.000Z`), also inside lists */
function toDisplay(v: DuckDBValue): unknown {
  if (v instanceof DuckDBTimestampValue || v instanceof DuckDBTimestampTZValue) return new Date(Number(v.micros / 1000n)).toISOString();
  if (v instanceof DuckDBListValue) return v.items.map(toDisplay);
  return toPlain(v);
}

export class DuckDbEngine implements QueryEngine {
  readonly #instance: DuckDBInstance;
  readonly #conn: DuckDBConnection;
  readonly #store: LocalFolderStore;
  readonly #tables: readonly TableDef<string, unknown>[];
  /** the seed tables of queries/seeds/ not loaded yet */
  readonly #seedsPending = new Set(readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.csv')).map((f) => f.slice(0, -4)));

  private constructor(instance: DuckDBInstance, conn: DuckDBConnection, store: LocalFolderStore, tables: readonly TableDef<string, unknown>[]) {
    this.#instance = instance;
    this.#conn = conn;
    this.#store = store;
    this.#tables = tables;
  }

  static async open(store: LocalFolderStore, tables: readonly TableDef<string, unknown>[] = ALL_TABLES): Promise<DuckDbEngine> {
    const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'true' });
    const conn = await instance.connect();
    const engine = new DuckDbEngine(instance, conn, store, tables);
    // what DuckDB spills to disk under memory pressure holds rows of the curated tables: in the process's private
    // scratch folder (0700, removed at exit), not in `.tmp` of the working folder, its default in memory
    await conn.run(`SET temp_directory = ${sqlString(join(await scratchDir(), 'duckdb'))}`);
    await conn.run(PRELUDE);
    await engine.refresh();
    return engine;
  }

  /**
   * Seeds are loaded on first use: a query naming a seed table that is not loaded yet loads it first. Loading all five
   * at open took 235 ms of every `stratify sql` (the CCW code list is 1.5 MB of CSV), most of the command's start-up.
   */
  async #loadSeedsNamedIn(sql: string): Promise<void> {
    for (const name of this.#seedsPending) {
      if (!new RegExp(`\\b${name}\\b`, 'i').test(sql)) continue;
      await this.#conn.run(
        `CREATE OR REPLACE TABLE ${name} AS SELECT * FROM read_csv(${sqlString(`${SEEDS_DIR}${name}.csv`)}, header = true, all_varchar = true)`,
      );
      this.#seedsPending.delete(name);
    }
  }

  /**
   * The views over the store's Parquet, read again from the store. An output table (features, scores, flags) is one
   * view over its files. A curated table is three (lib/tables/deliveries.ts): `<table>_parts` over the parts of
   * committed deliveries only (an ingest still running, or one that died, has no manifest, and its parts are not
   * read), `<table>_versions` and `<table>`, the latest delivery of each key; `deliveries` is the manifests.
   */
  async refresh(): Promise<void> {
    const committed = await committedManifests(this.#store);
    await this.#createDeliveries(committed);
    for (const t of this.#tables) {
      if (!isCurated(t)) {
        await this.#parquetView(t.name, t, (await this.#store.list(t.prefix)).filter((f) => f.key.endsWith('.parquet')), false);
        continue;
      }
      await this.#parquetView(partsName(t), t, await committedParts(this.#store, t.prefix, committed), true);
      await this.#conn.run(`CREATE OR REPLACE VIEW ${versionsName(t)} AS ${versionsSql(t)}`);
      await this.#conn.run(`CREATE OR REPLACE VIEW ${t.name} AS ${latestSql(t)}`);
    }
  }

  async #createDeliveries(committed: ReadonlyMap<string, IngestManifest>): Promise<void> {
    const cols = deliveries.columns.map((c) => c.name);
    const rows = [...committed.values()].map((m) => `(${cols.map((c) => sqlString(String(m[c as keyof IngestManifest]))).join(', ')})`);
    const body = rows.length > 0 ? `SELECT * FROM (VALUES ${rows.join(', ')}) AS d(${cols.join(', ')})` : `SELECT ${cols.map((c) => `CAST(NULL AS VARCHAR) AS ${c}`).join(', ')} WHERE false`;
    await this.#conn.run(`CREATE OR REPLACE TABLE ${deliveries.name} AS ${body}`);
  }

  /**
   * A view of the table's columns over `files`. A column that no file has yet (files written before the column was
   * added to lib/tables) reads as NULL, so a home made by an earlier version still opens. The output tables show
   * their folder's date as the column `as_of`, a string, as Athena's partition key does. `withPath`: each row's file
   * as the column `"$path"`, Athena's name for it.
   */
  async #parquetView(name: string, t: TableDef<string, unknown>, files: readonly ObjectInfo[], withPath: boolean): Promise<void> {
    const parquet = files.map((f) => sqlString(this.#store.pathOf(f.key)));
    const partitioned = PARTITIONED.has(t.name);
    const hive = partitioned ? `, hive_partitioning = true, hive_types = {'${AS_OF_PARTITION.name}': VARCHAR}` : '';
    const source = `read_parquet([${parquet.join(', ')}], union_by_name = true${hive}${withPath ? ', filename = true' : ''})`;
    const present = parquet.length > 0 ? await this.#columnsOf(source) : new Set<string>();
    const cols = [...t.columns, ...(partitioned ? [{ name: AS_OF_PARTITION.name, type: AS_OF_PARTITION.type }] : [])].map(
      (c) => `CAST(${present.has(c.name) ? c.name : 'NULL'} AS ${DUCK_TYPES[c.type]}) AS ${c.name}`,
    );
    if (withPath) cols.push(`CAST(${parquet.length > 0 ? 'filename' : 'NULL'} AS VARCHAR) AS "$path"`);
    const body = parquet.length > 0 ? `SELECT ${cols.join(', ')} FROM ${source}` : `SELECT ${cols.join(', ')} WHERE false`;
    await this.#conn.run(`CREATE OR REPLACE VIEW ${name} AS ${body}`);
  }

  async #columnsOf(source: string): Promise<Set<string>> {
    const reader = await this.#conn.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
    return new Set(reader.getRows().map((row) => String(row[0])));
  }

  async query<T extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    const text = bindParams(sql, params);
    await this.#loadSeedsNamedIn(text);
    try {
      const reader = await this.#conn.runAndReadAll(text);
      const names = reader.columnNames();
      return reader.getRows().map((row) => {
        const o: SqlRow = {};
        row.forEach((v, i) => (o[names[i]!] = toPlain(v)));
        return o as T;
      });
    } catch (e) {
      throw new QueryFailedError(`DuckDB: ${(e as Error).message}`, text, { cause: e });
    }
  }

  /**
   * A query for a person to read (`stratify sql`): the column names even when no row comes back, and timestamps as
   * ISO 8601 strings in UTC instead of the epoch milliseconds the pipeline computes with.
   */
  async queryForDisplay(sql: string): Promise<{ columns: string[]; rows: SqlRow[] }> {
    await this.#loadSeedsNamedIn(sql);
    try {
      const reader = await this.#conn.runAndReadAll(sql);
      const columns = reader.columnNames();
      const rows = reader.getRows().map((row) => {
        const o: SqlRow = {};
        row.forEach((v, i) => (o[columns[i]!] = toDisplay(v)));
        return o;
      });
      return { columns, rows };
    } catch (e) {
      throw new QueryFailedError(`DuckDB: ${(e as Error).message}`, sql, { cause: e });
    }
  }

  async materialize(sql: string, key: string, params: readonly SqlParam[] = []): Promise<number> {
    const text = bindParams(sql, params).trim().replace(/;\s*$/, '');
    await this.#loadSeedsNamedIn(text);
    const path = this.#store.pathOf(key);
    // COPY writes beside the target and the file is renamed into place, so no reader ever sees half a Parquet file
    const partial = `${path}.tmp-${process.pid}`;
    await mkdir(dirname(path), { recursive: true, mode: PRIVATE_DIR });
    try {
      const rows = await this.#conn.runAndReadAll(`COPY (${text}) TO ${sqlString(partial)} (FORMAT parquet, COMPRESSION zstd)`);
      // DuckDB creates the file by the umask: private like everything the store writes
      await chmod(partial, PRIVATE_FILE);
      crashPoint('features:before-publish');
      await rename(partial, path);
      const count = rows.getRows()[0]?.[0];
      return count === undefined ? 0 : Number(count);
    } catch (e) {
      await rm(partial, { force: true });
      throw new QueryFailedError(`DuckDB: ${(e as Error).message}`, text, { cause: e });
    }
  }

  /** the raw connection, for the bench's DuckDB-native baseline and DuckDB's profiling (duckdb-profile.ts) only */
  get connection(): DuckDBConnection {
    return this.#conn;
  }

  /** the memory limit a withMemoryLimit in progress set, innermost; undefined: DuckDB's default (80 % of RAM) */
  #memoryLimit: string | undefined;

  /**
   * DuckDB's memory limit set to `limit` while `fn` runs, then put back to what it was: DuckDB's default, or the limit
   * of a withMemoryLimit around this one (kept here as given: DuckDB prints a limit rounded, '1.8 GiB' for '2GB')
   */
  async withMemoryLimit<T>(limit: string, fn: () => Promise<T>): Promise<T> {
    const outer = this.#memoryLimit;
    await this.#conn.run(`SET memory_limit = ${sqlString(limit)}`);
    this.#memoryLimit = limit;
    try {
      return await fn();
    } finally {
      this.#memoryLimit = outer;
      await this.#conn.run(outer === undefined ? 'RESET memory_limit' : `SET memory_limit = ${sqlString(outer)}`);
    }
  }

  async close(): Promise<void> {
    this.#conn.closeSync();
    this.#instance.closeSync();
  }
}
