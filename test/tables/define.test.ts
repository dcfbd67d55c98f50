import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../lib/sql/duckdb.js';
import { LocalFolderStore } from '../../lib/store/local.js';
import { arrowSchema } from '../../lib/tables/arrow.js';
import { ALL_TABLES, glueColumns, isCalendarDate, observations, sqlDdl, zodSchema, members, type Row } from '../../lib/tables/index.js';
import { commitDelivery } from '../delivery.js';

const member: Row<typeof members> = {
  person_id: 'P1',
  member_id: null,
  birth_date: '1950-02-28',
  sex: 'female',
  death_date: null,
  enrollment_start_date: '2024-01-01',
  enrollment_end_date: '2025-12-31',
  payer: 'medicare',
  payer_type: 'medicare',
  dual_status_code: '02',
  hospice_flag: false,
  institutional_flag: null,
  source_file: 'eligibility.csv',
  source_record: 1,
  source_sha256: null,
};

describe('table definitions', () => {
  it('validate rows with the derived zod schema, naming the failing field', () => {
    const schema = zodSchema(members);
    expect(schema.safeParse(member).success).toBe(true);
    const bad = schema.safeParse({ ...member, birth_date: '1950-02-30' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['birth_date']);
    expect(schema.safeParse({ ...member, person_id: null }).success).toBe(false);
    expect(schema.safeParse({ ...member, extra: 1 }).success).toBe(false);
  });

  it('recognise calendar dates only', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2024-13-01')).toBe(false);
    expect(isCalendarDate('20240101')).toBe(false);
  });

  it('derive Arrow types, DDL and Glue columns from the same columns', () => {
    const fields = arrowSchema(observations).fields;
    expect(fields.map((f) => f.name)).toEqual(observations.columns.map((c) => c.name));
    expect(String(fields.find((f) => f.name === 'observed_at')!.type)).toBe('Timestamp<MILLISECOND, UTC>');
    expect(sqlDdl(observations)).toContain('  observed_at TIMESTAMP NOT NULL,');
    expect(sqlDdl(observations)).toContain('  device_id VARCHAR,');
    expect(glueColumns(observations).find((c) => c.name === 'value')).toMatchObject({ type: 'double' });
  });

  it('give every table unique, lower-case column names', () => {
    for (const t of ALL_TABLES) {
      const names = t.columns.map((c) => c.name);
      expect(new Set(names).size).toBe(names.length);
      for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9_]*$/);
    }
  });
});

describe('Parquet written from a definition', () => {
  let dir: string;
  let engine: DuckDbEngine;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratify-tables-'));
    const store = new LocalFolderStore(dir);
    const at = Date.UTC(2025, 5, 30, 23, 59, 59, 500);
    await commitDelivery(store, 'a', [
      [members, [member, { ...member, person_id: 'P2', hospice_flag: true, death_date: '2025-03-01' }]],
      [observations, [{ person_id: 'P1', observed_at: at, loinc_code: '29463-7', value: 81.25, unit: 'kg', device_id: null, source: 'device', source_file: 'd.ndjson', source_record: 1 }]],
    ]);
    engine = await DuckDbEngine.open(store);
  });
  afterAll(async () => {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads back through DuckDB with the same values and types', async () => {
    const rows = await engine.query('select * from members order by person_id');
    expect(rows).toEqual([member, { ...member, person_id: 'P2', hospice_flag: true, death_date: '2025-03-01' }]);
    const [obs] = await engine.query<{ observed_at: number; day: string; value: number }>(
      'select observed_at, cast(cast(observed_at as date) as varchar) as day, value from observations',
    );
    expect(obs).toEqual({ observed_at: Date.UTC(2025, 5, 30, 23, 59, 59, 500), day: '2025-06-30', value: 81.25 });
  });

  it('keeps non-ASCII text intact beside ASCII text in the same column', async () => {
    const dir2 = await mkdtemp(join(tmpdir(), 'stratify-utf8-'));
    const store = new LocalFolderStore(dir2);
    const payers = ['Zoë Health', 'plain', '医疗保险 😀', '', null];
    await commitDelivery(store, 'u', [[members, payers.map((payer, i) => ({ ...member, person_id: `U${i}`, payer }))]]);
    const e2 = await DuckDbEngine.open(store);
    const rows = await e2.query<{ payer: string | null }>('select payer from members order by person_id');
    await e2.close();
    await rm(dir2, { recursive: true, force: true });
    expect(rows.map((r) => r.payer)).toEqual(payers);
  });

  it('leaves tables with no files empty but typed', async () => {
    const [row] = await engine.query<{ n: number }>('select count(*) as n from pharmacy_claims');
    expect(row!.n).toBe(0);
  });
});
