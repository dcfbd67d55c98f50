/**
 * The baseline every ingest figure is set against: DuckDB's own COPY of a landing file to zstd Parquet, in a fresh
 * DuckDB instance with its default settings (CSV read all VARCHAR, NDJSON with its types detected), the limit the
 * ingest chases. Returns its seconds.
 */
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { sqlString } from '../lib/sql/params.js';

export async function duckdbCopySeconds(path: string): Promise<number> {
  const out = join(tmpdir(), `stratify-bench-copy-${process.pid}.parquet`);
  const reader = path.endsWith('.ndjson') ? `read_json(${sqlString(path)}, format = 'newline_delimited')` : `read_csv(${sqlString(path)}, header = true, all_varchar = true)`;
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const t0 = performance.now();
    await connection.run(`COPY (SELECT * FROM ${reader}) TO ${sqlString(out)} (FORMAT parquet, COMPRESSION zstd)`);
    return (performance.now() - t0) / 1000;
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(out, { force: true });
  }
}
