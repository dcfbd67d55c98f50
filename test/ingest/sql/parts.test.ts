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
import { writeParts } from '../../../lib/ingest/sql/parts.js';
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
});
