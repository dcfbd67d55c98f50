/**
 * The DuckDB instance one file is ingested in: in memory, the compat prelude loaded (the format's SQL is Trino text,
 * as the feature queries are), and what it spills to disk in the process's private scratch folder (0700). Its
 * tables are the database's own (not TEMP), so that a second connection sees them. DuckDB is imported when a file
 * is ingested, never with this module: the Lambda bundles leave its native module out (infra/stage-function.ts), and
 * a bundler hoists a static import of it to the top of the bundle, which would stop every format there.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assetPath } from '../../assets.js';
import { scratchDir } from '../../scratch.js';
import type { SqlRow } from '../../sql/port.js';
import { ingestMemory } from '../../sql/memory.js';

const PRELUDE = readFileSync(assetPath('lib/sql/duckdb-prelude.sql'), 'utf8');

import { sqlString } from '../../sql/params.js';

/** literal quoting, as lib/sql/params.ts has it (parts.ts and raw-records.ts take it from here) */
export { sqlString };

/** DuckDB's JS values with BIGINT as numbers (counts and record numbers), inside lists too */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

/** DuckDB flushes its allocator after a bulk free past this (open()); its own default is DUCKDB_BULK_FLUSH */
const BULK_FLUSH = '8MB';
const DUCKDB_BULK_FLUSH = '512MB';

export class IngestDb {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    /** the settings open() gave, as given: DuckDB reports a size rounded (1GB as 953.6 MiB, 8MB as 7.6 MiB: less) */
    private readonly opened: Readonly<Record<string, string>>,
    private readonly owner = true,
  ) {}

  static async open(): Promise<IngestDb> {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'true' });
    const connection = await instance.connect();
    await connection.run(`SET temp_directory = ${sqlString(join(await scratchDir(), 'duckdb'))}`);
    // memory flat in file size: past this, the file's tables spill to the scratch folder (DuckDB's default is 80 % of RAM)
    const memory = ingestMemory();
    await connection.run(`SET memory_limit = ${sqlString(memory)}`);
    // memory freed by a statement goes back to the system soon, not at the allocator's leisure: on the 2 GB claims
    // file the peak RSS was 1,495 and 1,557 MiB with these settings against 1,619 and 1,716 MiB without (paired runs)
    await connection.run(`SET allocator_flush_threshold = '32MB'`);
    await connection.run(`SET allocator_background_threads = true`);
    // and so does the memory DuckDB frees in bulk, as when it spills blocks to make room (default: past 512 MB): on the
    // 2 GB claims file the CSV read, which spills its table as it goes, peaked at 1,104-1,130 MiB of RSS so against
    // 1,165-1,311 MiB (the read alone in a fresh process, 3 runs against 6; jemalloc's resident bytes at most 1,073-1,089
    // against 1,082-1,163 MiB, the rest pages it had kept after freeing them)
    await connection.run(`SET allocator_bulk_deallocation_flush_threshold = ${sqlString(BULK_FLUSH)}`);
    await connection.run(PRELUDE);
    return new IngestDb(instance, connection, { memory_limit: memory, allocator_bulk_deallocation_flush_threshold: BULK_FLUSH });
  }

  /**
   * runs `read`, which stores a file of `bytes` in a table (its fields, or its lines). The flush of bulk frees (open())
   * is for a read that may spill: a file larger than the memory limit, or a gzip one, whose size does not tell. A
   * smaller file is read with DuckDB's default: flushing then gave each of the CSV reader's buffers back to the system
   * once read, to be faulted in again (the lines' table of the bench's 2,622,450 NDJSON lines: 0.95-1.19 → 0.78-0.91 s
   * of CPU, the read alone 0.54-0.61 → 0.35-0.45 s, the ingest's peak RSS unchanged at 1.16-1.18 GB)
   */
  async readingFile<T>(bytes: number, gzip: boolean, read: () => Promise<T>): Promise<T> {
    if (gzip || bytes > (await this.memoryLimit())) return await read();
    return await this.withSettings({ allocator_bulk_deallocation_flush_threshold: DUCKDB_BULK_FLUSH }, read);
  }

  async run(sql: string): Promise<void> {
    await this.connection.run(sql);
  }

  async query<T extends SqlRow = SqlRow>(sql: string): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql);
    const names = reader.columnNames();
    return reader.getRowsJS().map((row) => Object.fromEntries(row.map((v, i) => [names[i]!, plain(v)])) as T);
  }

  /**
   * runs `fn` with DuckDB's settings `settings`, then puts them back as they were (they are the database's, every
   * connection's); one that open() gave goes back to what open() gave
   */
  async withSettings<T>(settings: Readonly<Record<string, string>>, fn: () => Promise<T>): Promise<T> {
    const names = Object.keys(settings);
    const [before] = await this.query<Record<string, string>>(`SELECT ${names.map((n) => `CAST(current_setting(${sqlString(n)}) AS VARCHAR) AS ${n}`).join(', ')}`);
    for (const n of names) await this.run(`SET ${n} = ${sqlString(settings[n]!)}`);
    try {
      return await fn();
    } finally {
      for (const n of names) await this.run(`SET ${n} = ${sqlString(this.opened[n] ?? before![n]!)}`);
    }
  }

  /** DuckDB's memory limit in bytes, to the precision DuckDB gives it (`953.6 MiB`) */
  async memoryLimit(): Promise<number> {
    const [{ limit } = { limit: '' }] = await this.query<{ limit: string }>(`SELECT current_setting('memory_limit') AS limit`);
    const [, amount, unit] = /^([\d.]+) ?(bytes|KiB|MiB|GiB|TiB)$/.exec(limit) ?? [];
    if (amount === undefined) throw new Error(`DuckDB's memory limit is not in a unit known here: ${limit}`);
    return Number(amount) * 1024 ** ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'].indexOf(unit!);
  }

  /** the rows of `sql` in chunks (DuckDB's own, about 2,048 rows), so a large result is never held whole; scalar columns only */
  async *chunks<T extends SqlRow = SqlRow>(sql: string): AsyncGenerator<T[]> {
    const result = await this.connection.stream(sql);
    const names = result.columnNames();
    for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      yield chunk.getRows().map((row) => Object.fromEntries(row.map((v, i) => [names[i]!, plain(v)])) as T);
    }
  }

  /** another connection to the same database, to run a statement beside this one's (parts.ts writes two parts at once) */
  async another(): Promise<IngestDb> {
    return new IngestDb(this.instance, await this.instance.connect(), this.opened, false);
  }

  close(): void {
    if (!this.owner) {
      this.connection.closeSync();
      return;
    }
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
