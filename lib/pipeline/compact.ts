/**
 * Compaction of the curated tables: ingest writes one Parquet part per 100,000 rows of each delivered file
 * (`curated/<table>/<sha16>-NNNN.parquet`, about 1 MiB), so a table's object count grows with every delivery, and
 * Athena pays an S3 request and a footer read for each object it scans. This rewrites the small parts of ingested
 * files into parts of up to `rowsPerPart` rows (`curated/<table>/c-<digest>-NNNN.parquet`), the same rows.
 *
 * Only parts of committed files are taken (their manifest exists): a file being ingested, or one whose earlier try
 * failed, keeps its parts under its own sha16, which ingest clears on a retry; a compacted part's name never starts
 * with a sha16, so that clearing cannot touch it. A re-delivered file is still answered by its manifest.
 *
 * Each group of inputs is rewritten in two phases, recorded in `compactions/<digest>.json`: the record is written
 * first (`pending`, with the inputs), then the outputs, then the record again (`done`), then the inputs are deleted
 * and the record last. A run that finds a record finishes its work: `pending` → its partial outputs are deleted
 * (the inputs are intact); `done` → the inputs still present are deleted. Between the outputs' write and the inputs'
 * delete a reader of the folder sees the group's rows twice: on AWS compaction runs in the features function, just
 * before the features query, so the daily run itself never reads in that window (an analyst's query might).
 */
import { createHash } from 'node:crypto';
import * as arrow from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { arrowToParquet } from '../parquet/writer.js';
import type { ObjectInfo, ObjectStore } from '../store/port.js';
import { COMPACTED_PART_NAME, CURATED_TABLES, type TableDef } from '../tables/index.js';
import { committedDeliveries, partDelivery } from '../ingest/manifests.js';

export const COMPACTIONS_PREFIX = 'compactions/';

export interface CompactOptions {
  /** rows per compacted part @default 1_000_000 (about 10 MiB of claims) */
  readonly rowsPerPart?: number;
  /** a part at least this large is left as it is @default 8 MiB */
  readonly smallBytes?: number;
}

export interface TableCompaction {
  readonly table: string;
  readonly partsBefore: number;
  readonly partsAfter: number;
  readonly bytesBefore: number;
  readonly bytesAfter: number;
  readonly rows: number;
}

interface CompactionRecord {
  readonly table: string;
  readonly state: 'pending' | 'done';
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

const recordKey = (digest: string) => `${COMPACTIONS_PREFIX}${digest}.json`;

/** Finishes what an interrupted run left (see the header). */
async function recover(store: ObjectStore): Promise<void> {
  for (const o of await store.list(COMPACTIONS_PREFIX)) {
    const record = JSON.parse(new TextDecoder().decode(await store.get(o.key))) as CompactionRecord;
    const digest = o.key.slice(COMPACTIONS_PREFIX.length, -'.json'.length);
    if (record.state === 'pending') {
      const table = CURATED_TABLES.find((t) => t.name === record.table);
      for (const part of table === undefined ? [] : await store.list(`${table.prefix}c-${digest}-`)) await store.delete(part.key);
    } else {
      for (const key of record.inputs) if (await store.exists(key)) await store.delete(key);
    }
    await store.delete(o.key);
  }
}

/** the parts of committed files and earlier compactions that are smaller than `smallBytes`, in key order */
async function smallCommittedParts(store: ObjectStore, table: TableDef<string, unknown>, smallBytes: number, committed: ReadonlySet<string>): Promise<{ all: ObjectInfo[]; small: ObjectInfo[] }> {
  const all = (await store.list(table.prefix)).filter((o) => o.key.endsWith('.parquet'));
  const small = all.filter((o) => {
    if (o.size >= smallBytes) return false;
    const sha16 = partDelivery(o.key);
    return COMPACTED_PART_NAME.test(o.key) || (sha16 !== undefined && committed.has(sha16));
  });
  return { all, small };
}

async function compactTable(store: ObjectStore, table: TableDef<string, unknown>, rowsPerPart: number, smallBytes: number, committed: ReadonlySet<string>): Promise<TableCompaction> {
  const { all, small } = await smallCommittedParts(store, table, smallBytes, committed);
  const bytes = (os: readonly ObjectInfo[]) => os.reduce((n, o) => n + o.size, 0);
  const unchanged = { table: table.name, partsBefore: all.length, partsAfter: all.length, bytesBefore: bytes(all), bytesAfter: bytes(all), rows: 0 };
  if (small.length < 2) return unchanged;

  const inputs = small.map((o) => o.key);
  const digest = createHash('sha256').update(inputs.join('\n')).digest('hex').slice(0, 16);
  const record = (state: CompactionRecord['state'], outputs: string[]) => JSON.stringify({ table: table.name, state, inputs, outputs } satisfies CompactionRecord);
  await store.put(recordKey(digest), record('pending', []));

  // Arrow columns straight from each part to the output, never rows: a million claim lines stay a few hundred MB
  const outputs: string[] = [];
  let pending: arrow.Table | undefined;
  let rows = 0;
  const flush = async (part: arrow.Table) => {
    const key = `${table.prefix}c-${digest}-${String(outputs.length).padStart(4, '0')}.parquet`;
    await store.put(key, arrowToParquet(part));
    outputs.push(key);
  };
  for (const key of inputs) {
    const part = timestampsInMillis(arrow.tableFromIPC(readParquet(await store.get(key)).intoIPCStream()));
    rows += part.numRows;
    pending = pending === undefined ? part : pending.concat(part);
    while (pending.numRows >= rowsPerPart) {
      await flush(pending.slice(0, rowsPerPart));
      pending = pending.slice(rowsPerPart);
    }
  }
  if (pending !== undefined && pending.numRows > 0) await flush(pending);

  await store.put(recordKey(digest), record('done', outputs));
  for (const key of inputs) await store.delete(key);
  await store.delete(recordKey(digest));

  const after = (await store.list(table.prefix)).filter((o) => o.key.endsWith('.parquet'));
  return { ...unchanged, partsAfter: after.length, bytesAfter: bytes(after), rows };
}

const PER_MS: Partial<Record<arrow.TimeUnit, bigint>> = { [arrow.TimeUnit.MICROSECOND]: 1000n, [arrow.TimeUnit.NANOSECOND]: 1_000_000n };

/**
 * `part` with its timestamps in milliseconds, the unit every writer of the curated tables uses (lib/parquet/writer.ts,
 * the local runner's TIMESTAMP_MS) but an Athena UNLOAD, which writes its engine's own: the parts are concatenated as
 * Arrow columns, which takes the first part's unit for all, so microseconds would be read as milliseconds.
 */
function timestampsInMillis(part: arrow.Table): arrow.Table {
  const odd = part.schema.fields.filter((f) => arrow.DataType.isTimestamp(f.type) && PER_MS[(f.type as arrow.Timestamp).unit] !== undefined);
  if (odd.length === 0) return part;
  const columns: Record<string, arrow.Vector> = {};
  for (const f of part.schema.fields) {
    const vector = part.getChild(f.name)!;
    const per = arrow.DataType.isTimestamp(f.type) ? PER_MS[(f.type as arrow.Timestamp).unit] : undefined;
    if (per === undefined) {
      columns[f.name] = vector;
      continue;
    }
    const type = new arrow.TimestampMillisecond((f.type as arrow.Timestamp).timezone);
    const data = vector.data.map((d) => {
      const from = d.values as unknown as BigInt64Array;
      const values = new BigInt64Array(d.length);
      for (let i = 0; i < d.length; i++) values[i] = from[d.offset + i]! / per;
      return arrow.makeData({ type, length: d.length, nullCount: d.nullCount, nullBitmap: d.nullCount > 0 ? copyBitmap(d) : null, data: values });
    });
    columns[f.name] = new arrow.Vector(data);
  }
  return new arrow.Table(columns);
}

/** the validity bitmap of `d` from its offset on */
function copyBitmap(d: arrow.Data): Uint8Array {
  const out = new Uint8Array(Math.ceil(d.length / 8));
  for (let i = 0; i < d.length; i++) if ((d.nullBitmap![(d.offset + i) >> 3]! >> ((d.offset + i) & 7)) & 1) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

/** Compacts every curated table, after finishing an interrupted run; one line per table of what changed. */
export async function compactCurated(store: ObjectStore, options: CompactOptions = {}): Promise<TableCompaction[]> {
  const rowsPerPart = options.rowsPerPart ?? 1_000_000;
  const smallBytes = options.smallBytes ?? 8 * 1024 ** 2;
  await recover(store);
  // one LIST of the manifests for every table, instead of a HEAD per delivery and table
  const committed = await committedDeliveries(store);
  const out: TableCompaction[] = [];
  for (const table of CURATED_TABLES) out.push(await compactTable(store, table, rowsPerPart, smallBytes, committed));
  return out;
}
