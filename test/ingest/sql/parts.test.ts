/**
 * How the SQL runner cuts a table's rows into Parquet parts when a record gives several rows (diagnoses, observations):
 * a part is a range of records, starting at the record that holds its first row counted in record order, so a
 * record's rows are never split and a part holds about flushEvery rows.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IngestDb } from '../../../lib/ingest/sql/db.js';
import { countRecords, writeParts } from '../../../lib/ingest/sql/parts.js';
import { LocalFolderStore } from '../../../lib/store/local.js';
import { diagnoses } from '../../../lib/tables/index.js';

const SHA256 = 'ab'.repeat(32);

/** `rows` diagnoses for each record of `records` (record → its rows) */
function diagnosesSql(records: string): string {
  return (
    `SELECT r.record AS source_record, 'C' || r.record AS claim_id, 'P1' AS person_id, DATE '2024-01-01' AS service_date, ` +
    `'professional' AS claim_type, 'professional' AS setting, p.position, 'E119' AS icd10_code, 'f.csv' AS source_file ` +
    `FROM (${records}) AS r, range(1, 26) AS p(position) WHERE p.position <= r.n`
  );
}

describe('writeParts', () => {
  let root: string;
  let store: LocalFolderStore;
  let db: IngestDb;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'stratify-parts-'));
    store = new LocalFolderStore(root);
    db = await IngestDb.open();
  });
  afterEach(async () => {
    db.close();
    await rm(root, { recursive: true, force: true });
  });

  /** each part's rows and its first and last record */
  async function parts(): Promise<{ rows: number; first: number; last: number }[]> {
    const keys = (await store.list(diagnoses.prefix)).map((o) => o.key).sort();
    const out = [];
    for (const key of keys) {
      const [row] = await db.query<{ rows: number; first: number; last: number }>(
        `SELECT count(*) AS rows, min(source_record) AS first, max(source_record) AS last FROM read_parquet('${store.pathOf(key)}')`,
      );
      out.push(row!);
    }
    return out;
  }

  it('starts part k at the record holding row k × flushEvery, a record whole in one part', async () => {
    // records 1 … 3,000, an odd one 1 row, an even one 2: 4,500 rows. Rows before odd record 2k+1: 3k; before even
    // record 2k: 3k - 2. Row 1,000 is the first of record 668 (3·334 - 2 = 1,000); row 2,000 the second of record
    // 1,334 (3·667 - 2 = 1,999); row 3,000 the only one of record 2,001 (3·1,000); row 4,000 the first of record
    // 2,668 (3·1,334 - 2). Parts: records 1-667 (1,000 rows), 668-1,333 (1,999 - 1,000 = 999), 1,334-2,000
    // (3,000 - 1,999 = 1,001), 2,001-2,667 (1,000), 2,668-3,000 (500).
    const records = 'SELECT range AS record, CASE WHEN range % 2 = 0 THEN 2 ELSE 1 END AS n FROM range(1, 3001)';
    expect(await writeParts(db, store, diagnoses, `(${diagnosesSql(records)})`, 'ab'.repeat(8), SHA256, 1000)).toBe(4500);
    expect(await parts()).toEqual([
      { rows: 1000, first: 1, last: 667 },
      { rows: 999, first: 668, last: 1333 },
      { rows: 1001, first: 1334, last: 2000 },
      { rows: 1000, first: 2001, last: 2667 },
      { rows: 500, first: 2668, last: 3000 },
    ]);
  });

  it('gives a record with more rows than a part holds one part of its own', async () => {
    // records 1 (1 row), 2 (5 rows: rows 1-5), 3 (1 row: row 6); flushEvery 2: rows 2 and 4 are record 2's, row 6 record 3's
    const records = 'SELECT * FROM (VALUES (1, 1), (2, 5), (3, 1)) AS r(record, n)';
    expect(await writeParts(db, store, diagnoses, `(${diagnosesSql(records)})`, 'ab'.repeat(8), SHA256, 2)).toBe(7);
    expect(await parts()).toEqual([
      { rows: 1, first: 1, last: 1 },
      { rows: 5, first: 2, last: 2 },
      { rows: 1, first: 3, last: 3 },
    ]);
  });

  /** each part's record numbers as its rows hold them */
  async function recordsOfParts(): Promise<number[][]> {
    const keys = (await store.list(diagnoses.prefix)).map((o) => o.key).sort();
    const out = [];
    for (const key of keys) {
      const rows = await db.query<{ r: number }>(`SELECT source_record AS r FROM read_parquet('${store.pathOf(key)}')`);
      out.push(rows.map((row) => row.r));
    }
    return out;
  }

  const ascending = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('writes a counted table in record order, sorting the parts its rows leave out of order', async () => {
    // one diagnosis a record, inserted as records 1-10, then 20 down to 11, then 21-30: the table holds records 11-20
    // backwards (their descents 19 < 20, 18 < 19, … 11 < 12); 10 rows a part: 1-10, 11-20, 21-30, each ascending
    await db.run(`CREATE TABLE t AS ${diagnosesSql('SELECT range AS record, 1 AS n FROM range(1, 11)')}`);
    await db.run(`INSERT INTO t ${diagnosesSql('SELECT range AS record, 1 AS n FROM range(20, 10, -1)')}`);
    await db.run(`INSERT INTO t ${diagnosesSql('SELECT range AS record, 1 AS n FROM range(21, 31)')}`);
    const counts = await countRecords(db, 't', 'true');
    expect(counts.descents).toEqual(ascending(11, 19).reverse().map((r) => [r, r + 1]));
    expect(await writeParts(db, store, diagnoses, 't', 'ab'.repeat(8), SHA256, 10, counts)).toBe(30);
    expect(await recordsOfParts()).toEqual([ascending(1, 10), ascending(11, 20), ascending(21, 30)]);
  });

  it('sorts every part of a table with more descents than it lists', async () => {
    // records 2,000 down to 1: 1,999 descents, past the 1,000 listed; 1,000 rows a part
    await db.run(`CREATE TABLE t AS ${diagnosesSql('SELECT range AS record, 1 AS n FROM range(2000, 0, -1)')}`);
    const counts = await countRecords(db, 't', 'true');
    expect(counts.descents).toBeUndefined();
    expect(await writeParts(db, store, diagnoses, 't', 'ab'.repeat(8), SHA256, 1000, counts)).toBe(2000);
    expect(await recordsOfParts()).toEqual([ascending(1, 1000), ascending(1001, 2000)]);
  });

  it('leaves the database on the threads and the memory it had', async () => {
    await db.run('SET threads = 2');
    const before = await db.query(`SELECT current_setting('memory_limit') AS memory`);
    const records = 'SELECT range AS record, 2 AS n FROM range(1, 11)';
    expect(await writeParts(db, store, diagnoses, `(${diagnosesSql(records)})`, 'ab'.repeat(8), SHA256, 4)).toBe(20);
    // 10 records of 2 rows, 4 rows a part: 5 parts
    expect((await parts()).length).toBe(5);
    expect(await db.query(`SELECT current_setting('threads') AS threads`)).toEqual([{ threads: 2 }]);
    expect(await db.query(`SELECT current_setting('memory_limit') AS memory`)).toEqual(before);
  });
});

describe('countRecords', () => {
  it('counts records, accepted records and accepted rows, with the accepted rows by bucket of 1,024 records', async () => {
    const db = await IngestDb.open();
    try {
      // records 1 … 3,000: record r has (r % 3) + 1 rows; its rows are accepted when r % 5 ≠ 0, and of a record
      // r % 5 = 0 with 3 rows the first is accepted too. Records 60, 61, 62, 63, 64, 65 and 127, 128 straddle
      // the 64-record words, 1,023 and 1,024 the buckets.
      await db.run(
        `CREATE TABLE t AS SELECT r AS source_record, p AS position, (r % 5 <> 0 OR (r % 3 = 2 AND p = 1)) AS ok ` +
          'FROM range(1, 3001) AS x(r), range(1, 4) AS y(p) WHERE p <= r % 3 + 1',
      );
      const counts = await countRecords(db, 't', 'ok');
      // taken: the 3,000 records. Rows: 1,000 records of each residue mod 3 (r = 3 … 3,000 for 0, 1 … 2,998 for 1,
      // 2 … 2,999 for 2), so 1,000·(1 + 2 + 3) = 6,000 rows. Records r % 5 = 0: 600, 200 of each residue mod 3 (r
      // ≡ 0 mod 15, 10 mod 15, 5 mod 15); their rows 200·(1 + 2 + 3) = 1,200, of which the 200 with r % 3 = 2
      // (r ≡ 5 mod 15) keep one row. Accepted records: 3,000 - 600 + 200 = 2,600; rows 6,000 - 1,200 + 200 = 5,000.
      expect({ taken: counts.taken, accepted: counts.accepted, rows: counts.rows }).toEqual({ taken: 3000, accepted: 2600, rows: 5000 });
      // buckets: records 1-1,023 (bucket 0), 1,024-2,047 (1), 2,048-3,000 (2); each the relation's accepted rows there
      const [expected] = await db.query<{ b0: number; b1: number; b2: number }>(
        'SELECT count(*) FILTER (WHERE source_record < 1024) AS b0, count(*) FILTER (WHERE source_record BETWEEN 1024 AND 2047) AS b1, ' +
          'count(*) FILTER (WHERE source_record >= 2048) AS b2 FROM t WHERE ok',
      );
      expect(counts.buckets).toEqual([
        { bucket: 0, n: expected!.b0 },
        { bucket: 1, n: expected!.b1 },
        { bucket: 2, n: expected!.b2 },
      ]);
      expect(expected!.b0 + expected!.b1 + expected!.b2).toBe(5000);
    } finally {
      db.close();
    }
  });
});
