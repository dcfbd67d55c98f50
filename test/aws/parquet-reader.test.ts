/**
 * The Parquet reader over a store folder: rows shaped by a table definition whatever the writer (parquet-wasm here,
 * DuckDB's COPY standing in for Athena's UNLOAD: BIGINT columns, microsecond timestamps, files without a suffix).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { wasmMemory } from 'parquet-wasm';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countParquetRows, readParquetFolder, readTableRows } from '../../lib/parquet/reader.js';
import { rowsToParquet } from '../../lib/parquet/writer.js';
import { LocalFolderStore } from '../../lib/store/local.js';
import { defineTable } from '../../lib/tables/define.js';

const readings = defineTable('readings', 'readings/', 'test table', [
  ['person_id', 'string', 'required', 'person'],
  ['as_of_date', 'date', 'required', 'date'],
  ['observed_at', 'timestamp', 'optional', 'instant'],
  ['n', 'int', 'required', 'count'],
  ['x', 'double', 'optional', 'value'],
  ['ok', 'boolean', 'required', 'flag'],
]);

describe('Parquet reader', () => {
  let dir: string;
  let store: LocalFolderStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratify-reader-'));
    store = new LocalFolderStore(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads back what the parquet-wasm writer wrote, nulls included', async () => {
    const rows = [
      { person_id: 'P1', as_of_date: '2026-06-30', observed_at: Date.UTC(2026, 5, 29, 23, 59, 59, 1), n: 3, x: 156.25, ok: true },
      { person_id: 'P2', as_of_date: '2026-06-30', observed_at: null, n: 0, x: null, ok: false },
    ];
    await store.put('readings/as_of=2026-06-30/readings.parquet', rowsToParquet(readings, rows));
    expect(await readTableRows(store, readings, '2026-06-30')).toEqual(rows);
    expect(await readTableRows(store, readings, '2026-07-01')).toEqual([]);
  });

  it('reads every object of an UNLOAD-like folder: 64-bit integers and microsecond timestamps as numbers, extra columns ignored', async () => {
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const folder = join(dir, 'readings/as_of=2026-06-30');
    await mkdir(folder, { recursive: true });
    await db.run(`create table t as select 'P' || i as person_id, DATE '2026-06-30' as as_of_date, TIMESTAMP '2026-06-30 07:31:00.250' as observed_at,
                  i::BIGINT as n, i / 4 as x, i % 2 = 0 as ok, 'extra' as as_of from range(5) r(i)`);
    await db.run(`copy (select * from t where n < 3) to '${folder}/20260630_q1_0' (format parquet, compression zstd)`);
    await db.run(`copy (select * from t where n >= 3) to '${folder}/20260630_q1_1' (format parquet, compression zstd)`);
    db.closeSync();

    const rows = await readTableRows(store, readings, '2026-06-30');
    expect(rows.map((r) => r.person_id)).toEqual(['P0', 'P1', 'P2', 'P3', 'P4']);
    expect(rows[3]).toEqual({ person_id: 'P3', as_of_date: '2026-06-30', observed_at: Date.UTC(2026, 5, 30, 7, 31, 0, 250), n: 3, x: 0.75, ok: false });
    expect(await countParquetRows(store, 'readings/as_of=2026-06-30/')).toBe(5);
  });

  it('keeps nulls, decimals and non-ASCII text in place across batches of a large file', async () => {
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const folder = join(dir, 'readings/as_of=2026-06-30');
    await mkdir(folder, { recursive: true });
    // 70,000 rows span two Arrow batches of 65,536; x (a DECIMAL(.., 1), negative below row 35,000) is null on every
    // third row; the name is accented on every seventh
    await db.run(`copy (select case when i % 7 = 0 then 'Zoé' || i else 'P' || i end as person_id, DATE '2026-06-30' - (i % 400)::INTEGER as as_of_date,
                  NULL::TIMESTAMP as observed_at, i::INTEGER as n, case when i % 3 = 0 then NULL else (i - 35000) * 0.5 end as x, i % 5 = 0 as ok
                  from range(70000) r(i)) to '${folder}/part_0' (format parquet, compression zstd)`);
    db.closeSync();

    const rows = await readTableRows(store, readings, '2026-06-30');
    expect(rows.length).toBe(70_000);
    expect(rows.filter((r) => r.x === null).length).toBe(23_334);
    expect(rows.filter((r) => r.person_id.startsWith('Zoé')).length).toBe(10_000);
    expect(rows[65_537]).toEqual({ person_id: 'P65537', as_of_date: '2025-07-28', observed_at: null, n: 65_537, x: 15_268.5, ok: false });
    expect(rows[1]!.x).toBe(-17_499.5);
    expect(rows[69_993]).toEqual({ person_id: 'Zoé69993', as_of_date: '2025-06-02', observed_at: null, n: 69_993, x: null, ok: false });
  });

  it("decodes only the definition's columns of an object: a wide column it does not name leaves parquet-wasm's memory as it was", async () => {
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const folder = join(dir, 'readings/as_of=2026-06-30');
    await mkdir(folder, { recursive: true });
    // 100,000 rows of a 400-character note: 38 MiB once decoded (100,000 × 400 bytes), a few KiB compressed
    await db.run(`copy (select 'P' || i as person_id, repeat('x', 400) as note from range(100000) r(i)) to '${folder}/part_0' (format parquet, compression zstd)`);
    db.closeSync();
    const persons = defineTable('persons', 'readings/', 'person ids', [['person_id', 'string', 'required', 'person']]);
    const before = wasmMemory().buffer.byteLength;
    const rows = await readTableRows(store, persons, '2026-06-30');
    expect(rows.length).toBe(100_000);
    expect(rows[99_999]).toEqual({ person_id: 'P99999' });
    // person_id alone is under 1 MiB (100,000 × 6 bytes and offsets); the note decoded too took 38 MiB and its IPC copy as much
    expect(wasmMemory().buffer.byteLength - before).toBeLessThan(16 * 2 ** 20);
  });

  it('names the object and the column when a column is missing, and refuses an object that is not Parquet', async () => {
    const narrower = defineTable('narrower', 'narrower/', 'fewer columns', [['person_id', 'string', 'required', 'person']]);
    await store.put('readings/as_of=2026-06-30/a.parquet', rowsToParquet(narrower, [{ person_id: 'P1' }]));
    await expect(readTableRows(store, readings, '2026-06-30')).rejects.toThrow(`${dir}/readings/as_of=2026-06-30/a.parquet: column as_of_date of table readings is missing`);
    await store.put('junk/manifest.csv', 'a,b\n');
    await expect(readParquetFolder(store, 'junk/', readings)).rejects.toThrow('junk/manifest.csv: not a Parquet file (no PAR1 header)');
  });
});
