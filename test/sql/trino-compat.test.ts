/**
 * The Trino functions analysts reach for give Trino's answers on DuckDB too, through the compat prelude
 * (lib/sql/duckdb-prelude.sql). Each expected value is the one the Trino documentation gives for that call, or worked
 * out by hand from its definition (in the comment); each call also parses with the Trino grammar.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrinoSQL } from 'dt-sql-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../lib/sql/duckdb.js';
import { LocalFolderStore } from '../../lib/store/local.js';

const CASES: readonly [sql: string, expected: unknown][] = [
  ['cardinality(split(\'E1169,I5030,N186\', \',\'))', 3],
  ['element_at(split(\'E1169,I5030\', \',\'), 2)', 'I5030'],
  // Trino: a negative index counts from the end
  ['element_at(split(\'a,b,c\', \',\'), -1)', 'c'],
  ['split(\'a,b,c\', \',\')', ['a', 'b', 'c']],
  // whole days elapsed: 23:00 to 01:00 the next day is 2 hours, 0 days (DuckDB's own date_diff says 1)
  ["date_diff('day', timestamp '2026-01-01 23:00:00', timestamp '2026-01-02 01:00:00')", 0],
  ["date_diff('day', date '2026-01-01', date '2026-03-01')", 59],
  // Trino keeps the DATE type, and the end of month: Jan 31 + 1 month = Feb 28
  ["date_add('month', 1, date '2026-01-31')", '2026-02-28'],
  ["date_add('day', -30, date '2026-06-30')", '2026-05-31'],
  // MySQL specifiers: %i minutes, %s seconds, %W weekday name, %M month name, %e day without padding; 2026-06-01 was a Monday
  ["date_format(timestamp '2026-06-01 14:05:09', '%Y-%m-%d %H:%i:%s')", '2026-06-01 14:05:09'],
  ["date_format(timestamp '2026-06-01 14:05:09', '%W %e %M %Y, %r')", 'Monday 1 June 2026, 02:05:09 PM'],
  // 07:31 at UTC-05:00 is 12:31 UTC
  ["from_iso8601_timestamp('2026-06-01T07:31:00-05:00')", Date.UTC(2026, 5, 1, 12, 31)],
  ["from_iso8601_date('2026-06-01')", '2026-06-01'],
  ["regexp_like('E1169', '^E1[01]')", true],
  ["try_cast('12' as integer)", 12],
  ["try_cast('twelve' as integer)", null],
  // JSON, as the device ingest reads it: json_parse fails on text that is not JSON (try gives null), json_format is a
  // value's JSON text, json_extract_scalar a scalar's text and null for an array or object (Trino's documentation)
  ["try(json_parse('{\"a\": '))", null],
  ["json_format(json_extract('{\"a\": [1, 2]}', '$.a'))", '[1,2]'],
  ["json_extract_scalar('{\"a\": \"x\"}', '$.a')", 'x'],
  ["json_extract_scalar('{\"a\": [1]}', '$.a')", null],
  ['sequence(0, 2)', [0, 1, 2]],
  // New York's wall-clock 2026-06-01 07:31 is 11:31 UTC (EDT, UTC-4); 11:31 UTC is 20:31 in Tokyo (UTC+9)
  ["with_timezone(timestamp '2026-06-01 07:31:00', 'America/New_York')", Date.UTC(2026, 5, 1, 11, 31)],
  ["cast(at_timezone(with_timezone(timestamp '2026-06-01 11:31:00', 'UTC'), 'Asia/Tokyo') as timestamp)", Date.UTC(2026, 5, 1, 20, 31)],
];

describe('Trino functions on DuckDB through the compat prelude', () => {
  let home: string;
  let engine: DuckDbEngine;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'stratify-compat-'));
    engine = await DuckDbEngine.open(new LocalFolderStore(home));
  });
  afterAll(async () => {
    await engine.close();
    await rm(home, { recursive: true, force: true });
  });

  it.each(CASES)('%s', async (expr, expected) => {
    const sql = `select ${expr} as v`;
    expect(new TrinoSQL().validate(sql)).toEqual([]);
    const [row] = await engine.query<{ v: unknown }>(sql);
    expect(row!.v).toEqual(expected);
  });

  it('approx_percentile is the aggregate: the median of 1..9 is 5', async () => {
    const sql = 'select approx_percentile(x, 0.5) as v from (values (1), (2), (3), (4), (5), (6), (7), (8), (9)) as t(x)';
    expect(new TrinoSQL().validate(sql)).toEqual([]);
    expect((await engine.query<{ v: number }>(sql))[0]!.v).toBe(5);
  });
});
