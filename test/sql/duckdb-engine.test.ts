/** The DuckDB adapter: the compat prelude gives Trino's answers to DESIGN.md's known traps, and materialize is all or nothing. */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../lib/sql/duckdb.js';
import { QueryFailedError } from '../../lib/sql/port.js';
import { LocalFolderStore } from '../../lib/store/local.js';

let dir: string;
let store: LocalFolderStore;
let engine: DuckDbEngine;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stratify-duckdb-'));
  store = new LocalFolderStore(dir);
  engine = await DuckDbEngine.open(store);
});
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

describe('DuckDB compat prelude', () => {
  it('answers as Trino does: integer division, DATE arithmetic, regexp_like, from_iso8601_date', async () => {
    const [row] = await engine.query(
      `select 7 / 2 as half
            , date_add('day', 30, date '2024-01-31') as plus30
            , typeof(date_add('day', 1, date '2024-01-31')) as plus_type
            , date_add('month', 1, date '2024-01-31') as plus_month
            , date_add('year', -1, date '2024-02-29') as minus_year
            , regexp_like('E1165', '^E11') as like_e11
            , from_iso8601_date('2024-06-30') as parsed`,
    );
    expect(row).toEqual({
      half: 3,
      plus30: '2024-03-01',
      plus_type: 'DATE',
      plus_month: '2024-02-29',
      minus_year: '2023-02-28',
      like_e11: true,
      parsed: '2024-06-30',
    });
  });

  it("joins a sorted array as Trino's array_join does", async () => {
    const [row] = await engine.query(`select array_join(array_sort(array_agg(c)), ',') as codes from (values ('I10'), ('E119'), ('A4154')) as t(c)`);
    expect(row).toEqual({ codes: 'A4154,E119,I10' });
  });

  it('loads every seed as a table', async () => {
    const [row] = await engine.query<{ n: number }>("select count(*) as n from ccw_program_conditions where feature_column like 'has_%'");
    expect(row!.n).toBe(5);
  });
});

describe('DuckDbEngine.materialize', () => {
  it('writes the Parquet file and returns its row count', async () => {
    const n = await engine.materialize('select * from (values (1), (2), (3)) as t(x) where x >= ?', 'out/as_of=2024-01-01/x.parquet', [{ number: 2 }]);
    expect(n).toBe(2);
    expect((await store.list('out/')).map((o) => o.key)).toEqual(['out/as_of=2024-01-01/x.parquet']);
  });

  it('leaves nothing behind when the query fails, and says why', async () => {
    await expect(engine.materialize('select no_such_column from members', 'out/bad.parquet')).rejects.toBeInstanceOf(QueryFailedError);
    expect((await store.list('out/')).map((o) => o.key)).toEqual(['out/as_of=2024-01-01/x.parquet']);
    expect(await readdir(join(dir, 'out'))).toEqual(['as_of=2024-01-01']); // no partial file either
  });
});

describe('DuckDbEngine.withMemoryLimit', () => {
  const limit = async () => (await engine.query<{ l: string }>("select current_setting('memory_limit') as l"))[0]!.l;

  it('holds DuckDB to the limit while the function runs, and to its default again after, even when it fails', async () => {
    const before = await limit();
    // 1GB is 10^9 bytes: 953.6 MiB as DuckDB prints it
    expect(await engine.withMemoryLimit('1GB', limit)).toBe('953.6 MiB');
    expect(await limit()).toBe(before);
    await expect(engine.withMemoryLimit('1GB', () => engine.query('select no_such_column from members'))).rejects.toBeInstanceOf(QueryFailedError);
    expect(await limit()).toBe(before);
    expect(before).not.toBe('953.6 MiB');
  });
});

describe('DuckDbEngine views', () => {
  it('reads a column that no file has yet as NULL, so a home written by an earlier version still opens', async () => {
    // a features file of an earlier version: only two of the columns lib/tables now defines
    await engine.materialize("select 'p1' as person_id, date '2024-01-01' as as_of_date", 'features/as_of=2024-01-01/features.parquet');
    await engine.refresh();
    const rows = await engine.query('select person_id, as_of_date, age, dx_codes_12m from features');
    expect(rows).toEqual([{ person_id: 'p1', as_of_date: '2024-01-01', age: null, dx_codes_12m: null }]);
  });
});
