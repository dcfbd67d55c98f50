/**
 * Accepted rows → `curated/<table>/<sha16>-<part>.parquet` by DuckDB's own COPY, with the keys, columns and types
 * batch-writer.ts gives them: the table's columns of lib/tables (cast to their types), `source_record` and
 * `source_sha256`, rows in record order, a range of whole records of about `flushEvery` rows a part (one row group
 * each: DuckDB's row group is 122,880).
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

/** countRecords' word holds 2^6 = 64 records, one bit each */
const WORD_BITS = 6;

/** a bucket spans 2^10 = 1,024 record numbers (16 words), when the first pass counts rows by ranges of records */
const BUCKET_BITS = 10;
const BUCKET = 2 ** BUCKET_BITS;

/** rows per bucket of BUCKET record numbers, in bucket order */
export type BucketCounts = readonly { readonly bucket: number; readonly n: number }[];

/**
 * Where a table's rows are out of record order, as it holds them (the order a scan without ORDER BY gives: DuckDB
 * keeps a table's insertion order): for each row whose record number is below the one of the row before it, the
 * range [its number, the one before]; undefined when there are too many to list (every part is then sorted).
 */
export type Descents = readonly (readonly [low: number, high: number])[] | undefined;

/** past this many descents a table is taken as unordered */
const MAX_DESCENTS = 1000;

/** DuckDB's row group: a table that fits one is scanned by one thread, so a query over it writes its rows in order */
const ROW_GROUP_ROWS = 122_880;

export interface RecordCounts {
  /** records with a row in the relation */
  readonly taken: number;
  /** records with an accepted row */
  readonly accepted: number;
  /** accepted rows */
  readonly rows: number;
  /** the accepted rows by bucket, for writeParts */
  readonly buckets: BucketCounts;
  /** where the relation's rows are out of record order, for writeParts */
  readonly descents: Descents;
}

/**
 * The records of `relation` (one row or more a record), those of them with an accepted row (`isAccepted`), and its
 * accepted rows by bucket, in one pass without a hash of every record number: a record is one bit of a 64-bit word
 * (its number's last 6 bits), and the records of a word are counted by the bits its rows set. A count per record
 * took 0.41 s of CPU on the bench's 3,464,300 device rows (2,622,450 records), and the buckets another 0.05 s;
 * this 0.22-0.29 s.
 */
export async function countRecords(db: IngestDb, relation: string, isAccepted: string): Promise<RecordCounts> {
  const bit = `CAST(1 AS UBIGINT) << (source_record & ${2 ** WORD_BITS - 1})`;
  const buckets = await db.query<{ bucket: number; taken: number; accepted: number; n: number }>(
    `SELECT word >> ${BUCKET_BITS - WORD_BITS} AS bucket, CAST(sum(taken) AS BIGINT) AS taken, CAST(sum(accepted) AS BIGINT) AS accepted, CAST(sum(n) AS BIGINT) AS n FROM (` +
      `SELECT source_record >> ${WORD_BITS} AS word, bit_count(bit_or(${bit})) AS taken, coalesce(bit_count(bit_or(${bit}) FILTER (WHERE ${isAccepted})), 0) AS accepted, ` +
      `count(*) FILTER (WHERE ${isAccepted}) AS n FROM ${relation} GROUP BY word) GROUP BY bucket ORDER BY bucket`,
  );
  const sum = (k: 'taken' | 'accepted' | 'n') => buckets.reduce((total, b) => total + b[k], 0);
  const rows = sum('n');
  // a table of more rows than DuckDB's row group was written by several threads at once, each appending its own
  // chunks (a query with a join, as every format's has, is not kept in order): its parts are sorted without looking
  const descents = rows <= ROW_GROUP_ROWS ? await descentsOf(db, relation) : undefined;
  return { taken: sum('taken'), accepted: sum('accepted'), rows, buckets: buckets.filter((b) => b.n > 0).map(({ bucket, n }) => ({ bucket, n })), descents };
}

/**
 * The descents of `table` (a table, whose scan keeps its insertion order), by one scan of its record numbers on one
 * thread (`lag() OVER ()` is DuckDB's streaming window: 0.01 s on the bench's 106,888 eligibility rows). A part's
 * rows are in record order unless a descent's range meets the part's: two of its rows out of order, the first
 * holding record a, means a row below a right after one at a or above, somewhere between them.
 */
async function descentsOf(db: IngestDb, table: string): Promise<Descents> {
  const rows = await db.query<{ low: number; high: number }>(
    `SELECT low, high FROM (SELECT source_record AS low, lag(source_record) OVER () AS high FROM ${table}) AS r WHERE low < high LIMIT ${MAX_DESCENTS + 1}`,
  );
  return rows.length > MAX_DESCENTS ? undefined : rows.map((r) => [r.low, r.high] as const);
}

/** a part of records [start, end) (either end open) needs sorting: it meets a descent's range, or the descents are not known */
function needsSort(descents: Descents, start: number | undefined, end: number | undefined): boolean {
  return descents === undefined || descents.some(([low, high]) => (end === undefined || low < end) && (start === undefined || high >= start));
}

/**
 * Where each part after the first starts: the record that holds the part's first row (rows counted in record order),
 * so part k starts at the record holding row k·flushEvery and a record's rows stay in one part. Found without sorting
 * the rows or numbering them: rows are counted per bucket of BUCKET record numbers (`buckets`), and only the buckets
 * that hold a part's first row are counted per record. Returns the first record of each part, from the second part on.
 */
async function partStarts(db: IngestDb, relation: string, buckets: BucketCounts, flushEvery: number): Promise<number[]> {
  // the first row of part k (k ≥ 1), and the bucket that holds it
  const wanted: { row: number; bucket: number; before: number }[] = [];
  let before = 0;
  for (const { bucket, n } of buckets) {
    for (let row = (wanted.length + 1) * flushEvery; row < before + n; row = (wanted.length + 1) * flushEvery) {
      wanted.push({ row, bucket, before });
    }
    before += n;
  }
  if (wanted.length === 0) return [];
  const within = await db.query<{ source_record: number; n: number }>(
    `SELECT source_record, count(*) AS n FROM ${relation} WHERE source_record // ${BUCKET} IN (${[...new Set(wanted.map((w) => w.bucket))].join(', ')}) ` +
      'GROUP BY source_record ORDER BY source_record',
  );
  const starts: number[] = [];
  let at = 0;
  for (const { row, bucket, before } of wanted) {
    while (within[at]!.source_record < bucket * BUCKET) at++;
    let counted = before;
    let i = at;
    while (counted + within[i]!.n <= row) counted += within[i++]!.n;
    // a record with more rows than a part holds the first rows of two parts: it starts one
    if (starts.at(-1) !== within[i]!.source_record) starts.push(within[i]!.source_record);
  }
  return starts;
}

/**
 * Writes the rows of `accepted` (a relation with `source_record` and the table's columns) as the table's parts;
 * returns the rows written. A part is a range of record numbers, about flushEvery rows (partStarts: fewer or more
 * by less than a record's rows), in record order. A relation whose rows the caller has not counted is a query
 * (diagnoses in long form): it is evaluated once, into a table the parts are read from.
 */
export async function writeParts(
  db: IngestDb,
  store: ObjectStore,
  table: CuratedTable,
  accepted: string,
  sha16: string,
  sha256: string,
  flushEvery: number,
  /** the relation's rows by bucket and its descents, when the caller has counted them (countRecords) over it as a table */
  counted?: Pick<RecordCounts, 'buckets' | 'descents'>,
): Promise<number> {
  const copied = counted === undefined;
  const from = copied ? COPY : accepted;
  try {
    // under DuckDB's whole limit, as the format's query ran: the lower one is for the Parquet writers alone, and the
    // diagnoses' 25 scans of the claims re-read more of what had spilled under it (the bench's medical claims, two
    // ingests each at a load of 4-6: 3.70 and 3.32 s of CPU at 70 %, 2.59 and 2.45 s at 100 %)
    if (copied) await db.run(`CREATE OR REPLACE TABLE ${COPY} AS SELECT * FROM ${accepted}`);
    const memory = `${Math.floor((await db.memoryLimit()) * PARTS_MEMORY_SHARE)}B`;
    return await db.withSettings({ memory_limit: memory }, async () => {
      const buckets =
        counted?.buckets ??
        (await db.query<{ bucket: number; n: number }>(`SELECT source_record // ${BUCKET} AS bucket, count(*) AS n FROM ${COPY} GROUP BY bucket ORDER BY bucket`));
      const n = buckets.reduce((total, b) => total + b.n, 0);
      if (n === 0) return 0;
      const columns = columnsOf(table, sha256);
      const starts = n <= flushEvery ? [] : await partStarts(db, from, buckets, flushEvery);
      const parts = [undefined, ...starts].map((start, part) => {
        const end = starts[part];
        const range = [...(start === undefined ? [] : [`source_record >= ${start}`]), ...(end === undefined ? [] : [`source_record < ${end}`])];
        // rows already in record order are written as scanned: the sort took a third to a half of a part's time (the
        // bench's eligibility, its first 100,000 members alone: 0.11-0.16 s against 0.07-0.08 s, one thread)
        const order = needsSort(counted?.descents, start, end) ? ' ORDER BY source_record' : '';
        return `SELECT ${columns} FROM ${from}${range.length > 0 ? ` WHERE ${range.join(' AND ')}` : ''}${order}`;
      });
      // two parts at once, on two connections, each on its own thread only: DuckDB writes the one row group of a part
      // on one thread, and its threads beside it cost CPU for nothing (writing the bench's 3,464,300 device rows took
      // 3.4-3.6 s of CPU so against 2.6-3.1 s, its 399,285 medical claims of 400,000 lines 0.71-0.76 s against 0.52-0.56 s)
      await db.withSettings({ threads: '1' }, async () => {
        const second = parts.length > 1 ? await db.another() : undefined;
        let next = 0;
        const worker = async (on: IngestDb) => {
          for (let part = next++; part < parts.length; part = next++) {
            await copyToStore(on, store, parts[part]!, partKey(table, sha16, part));
            crashPoint('ingest:after-part');
          }
        };
        try {
          await Promise.all([worker(db), ...(second ? [worker(second)] : [])]);
        } finally {
          second?.close();
        }
      });
      return n;
    });
  } finally {
    if (copied) await db.run(`DROP TABLE IF EXISTS ${COPY}`);
  }
}

/**
 * DuckDB's share of its memory limit while a table's parts are written: the Parquet writer of each part holds its row
 * group's pages outside that limit, two parts at once. On the bench's 991 MiB medical claims (RSS sampled every 50 ms
 * beside DuckDB's own count of its memory), the claims' parts peaked at 1,502-1,527 MiB with DuckDB at its 954 MiB,
 * 1,208 MiB with DuckDB at 70 %; the diagnoses' table and parts 1,447-1,559 MiB, and 1,099 MiB. The price: the
 * diagnoses' table, out of record order, is read again from what spilled by each part's scan (the bench's medical
 * claims ingest 13.8-14.0 s at 100 %, 14.7-15.5 s at 70 %, load 2).
 */
const PARTS_MEMORY_SHARE = 0.7;

/** the rows of a relation that is a query, evaluated once */
const COPY = 'ingest_table_rows';
