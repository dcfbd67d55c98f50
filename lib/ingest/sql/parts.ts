/**
 * Accepted rows → `curated/<table>/<sha16>-<part>.parquet` by DuckDB's own COPY, with the keys, columns and types
 * batch-writer.ts gives them: the table's columns of lib/tables (cast to their types), `source_record` and
 * `source_sha256`, rows in record order, `flushEvery` rows a part (one row group each: DuckDB's row group is 122,880).
 * On a local folder store the part is written beside its key under a temporary name (`<key>.tmp-<pid>`, which
 * the store's listing skips and removeDeadTemporaries clears after a crash), made 0600 and renamed into place; on any
 * other store it is written in the private scratch folder and put.
 */
import { createReadStream } from 'node:fs';
import { chmod, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { crashPoint } from '../../crash.js';
import { scratchDir } from '../../scratch.js';
import { SQL_TYPES } from '../../tables/define.js';
import { sqlString } from './db.js';
import { LocalFolderStore, PRIVATE_DIR, PRIVATE_FILE } from '../../store/local.js';
import type { ObjectStore } from '../../store/port.js';
import { partKey } from '../batch-writer.js';
import type { CuratedTable } from '../mapper.js';
import type { IngestDb } from './db.js';

/**
 * the table's columns over `rows`, typed; the delivery's sha256 is the same on every row. Timestamps are written in
 * milliseconds, as the TypeScript writer's parts are: compaction (parquet-wasm) read DuckDB's microseconds as
 * milliseconds, a thousand times later.
 */
function columnsOf(table: CuratedTable, sha256: string): string {
  const type = (c: CuratedTable['columns'][number]) => (c.type === 'timestamp' ? 'TIMESTAMP_MS' : SQL_TYPES[c.type]);
  return table.columns.map((c) => (c.name === 'source_sha256' ? `${sqlString(sha256)} AS source_sha256` : `CAST(${c.name} AS ${type(c)}) AS ${c.name}`)).join(', ');
}

async function copyToStore(db: IngestDb, store: ObjectStore, select: string, key: string): Promise<void> {
  const local = store instanceof LocalFolderStore;
  const path = local ? `${store.pathOf(key)}.tmp-${process.pid}` : join(await scratchDir(), `part-${randomUUID()}.parquet`);
  if (local) await mkdir(dirname(path), { recursive: true, mode: PRIVATE_DIR });
  try {
    await db.run(`COPY (${select}) TO ${sqlString(path)} (FORMAT parquet, COMPRESSION zstd)`);
    await chmod(path, PRIVATE_FILE);
    if (local) await rename(path, store.pathOf(key));
    else {
      const body = createReadStream(path);
      try {
        await store.put(key, body);
      } finally {
        body.destroy();
      }
    }
  } finally {
    await rm(path, { force: true });
  }
}

/**
 * Writes the rows of `accepted` (a relation with `source_record` and the table's columns) as the table's parts;
 * returns the rows written. A part is a range of record numbers when each record gave one row (cut where every
 * flushEvery-th row starts, found by sorting the record numbers alone); otherwise the rows are numbered once, in a
 * copy of the relation, and a part is a range of those numbers.
 */
export async function writeParts(
  db: IngestDb,
  store: ObjectStore,
  table: CuratedTable,
  accepted: string,
  sha16: string,
  sha256: string,
  flushEvery: number,
  /** the relation's rows and distinct records, when the caller has counted them */
  size?: { readonly rows: number; readonly records: number },
): Promise<number> {
  // a relation not counted yet is a query (diagnoses in long form): evaluated once, into the numbered copy
  if (size === undefined) await db.run(`CREATE OR REPLACE TABLE ingest_ordered AS SELECT row_number() OVER (ORDER BY source_record) - 1 AS part_row, * FROM ${accepted}`);
  const [{ rows: n, records } = { rows: 0, records: 0 }] = size
    ? [size]
    : await db.query<{ rows: number; records: number }>('SELECT count(*) AS rows, count(DISTINCT source_record) AS records FROM ingest_ordered');
  const ordered = size === undefined;
  if (n === 0) {
    if (ordered) await db.run('DROP TABLE ingest_ordered');
    return 0;
  }
  const columns = columnsOf(table, sha256);
  const parts: { from: string; where: string; order: string }[] = [];
  if (n <= flushEvery) parts.push({ from: ordered ? 'ingest_ordered' : accepted, where: '', order: 'source_record' });
  else if (records === n && !ordered) {
    const starts = await db.query<{ source_record: number }>(
      `SELECT source_record FROM (SELECT source_record, row_number() OVER (ORDER BY source_record) AS i FROM ${accepted}) WHERE (i - 1) % ${flushEvery} = 0 ORDER BY source_record`,
    );
    for (const [part, { source_record: from }] of starts.entries()) {
      const to = starts[part + 1]?.source_record;
      parts.push({ from: accepted, where: ` WHERE source_record >= ${from}${to === undefined ? '' : ` AND source_record < ${to}`}`, order: 'source_record' });
    }
  } else {
    if (!ordered) await db.run(`CREATE OR REPLACE TABLE ingest_ordered AS SELECT row_number() OVER (ORDER BY source_record) - 1 AS part_row, * FROM ${accepted}`);
    for (let part = 0; part * flushEvery < n; part++) {
      parts.push({ from: 'ingest_ordered', where: ` WHERE part_row >= ${part * flushEvery} AND part_row < ${(part + 1) * flushEvery}`, order: 'part_row' });
    }
  }
  // two parts at once, on two connections: DuckDB writes the one row group of a part on one thread
  const second = parts.length > 1 ? await db.another() : undefined;
  let next = 0;
  const worker = async (on: IngestDb) => {
    for (let part = next++; part < parts.length; part = next++) {
      const { from, where, order } = parts[part]!;
      await copyToStore(on, store, `SELECT ${columns} FROM ${from}${where} ORDER BY ${order}`, partKey(table, sha16, part));
      crashPoint('ingest:after-part');
    }
  };
  try {
    await Promise.all([worker(db), ...(second ? [worker(second)] : [])]);
  } finally {
    second?.close();
  }
  if (ordered || parts[0]!.from === 'ingest_ordered') await db.run('DROP TABLE ingest_ordered');
  return n;
}
