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
import { DUCK_TYPES, sqlString } from '../../sql/duckdb.js';
import { LocalFolderStore, PRIVATE_DIR, PRIVATE_FILE } from '../../store/local.js';
import type { ObjectStore } from '../../store/port.js';
import { partKey } from '../batch-writer.js';
import type { CuratedTable } from '../mapper.js';
import type { IngestDb } from './db.js';

/** the table's columns over `rows`, typed; the delivery's sha256 is the same on every row */
function columnsOf(table: CuratedTable, sha256: string): string {
  return table.columns
    .map((c) => (c.name === 'source_sha256' ? `${sqlString(sha256)} AS source_sha256` : `CAST(${c.name} AS ${DUCK_TYPES[c.type]}) AS ${c.name}`))
    .join(', ');
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
 * Writes the accepted rows of `accepted` (a relation with `source_record` and the table's columns) as the table's
 * parts; returns the rows written.
 */
export async function writeParts(
  db: IngestDb,
  store: ObjectStore,
  table: CuratedTable,
  accepted: string,
  sha16: string,
  sha256: string,
  flushEvery: number,
): Promise<number> {
  const [{ n } = { n: 0 }] = await db.query<{ n: number }>(`SELECT count(*) AS n FROM ${accepted}`);
  if (n === 0) return 0;
  const columns = columnsOf(table, sha256);
  if (n <= flushEvery) {
    await copyToStore(db, store, `SELECT ${columns} FROM ${accepted} ORDER BY source_record`, partKey(table, sha16, 0));
    crashPoint('ingest:after-part');
    return n;
  }
  // numbered once in record order, so each part is a range of it
  await db.run(`CREATE OR REPLACE TEMP TABLE ingest_ordered AS SELECT row_number() OVER (ORDER BY source_record) - 1 AS part_row, * FROM ${accepted}`);
  for (let part = 0; part * flushEvery < n; part++) {
    const range = `part_row >= ${part * flushEvery} AND part_row < ${(part + 1) * flushEvery}`;
    await copyToStore(db, store, `SELECT ${columns} FROM ingest_ordered WHERE ${range} ORDER BY part_row`, partKey(table, sha16, part));
    crashPoint('ingest:after-part');
  }
  await db.run('DROP TABLE ingest_ordered');
  return n;
}
