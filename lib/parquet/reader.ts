/**
 * Parquet → Arrow (parquet-wasm) → plain rows shaped by a lib/tables definition: dates as `YYYY-MM-DD`, timestamps
 * as epoch ms, 64-bit integers as numbers, whatever physical types the writer chose (DuckDB's COPY, parquet-wasm, or
 * Athena's UNLOAD, whose files carry no `.parquet` suffix). Every object under the folder is read, one at a time.
 *
 * Speed, measured on 200,000 feature rows of 62 columns on the shared 2-core machine (load average about 14):
 * Arrow's per-cell `get` with rows grown one property at a time took 21 to 29 s; decoding each column chunk from its
 * buffers and building each row as one object literal takes 4.6 to 8.6 s (DuckDB's `select *` of the same rows
 * through the DuckDB adapter: 18.5 s).
 */
import * as arrow from 'apache-arrow';
import { ParquetFile, readParquet, type Schema } from 'parquet-wasm';
import { isoOf } from '../dates.js';
import type { ObjectInfo, ObjectStore } from '../store/port.js';
import type { ColumnDef, Row, TableDef } from '../tables/define.js';

const PARQUET_MAGIC = 'PAR1';
/** parquet-wasm's default of 1,024 rows a batch made decoding 200,000 feature rows take 5 s instead of 1 s */
const BATCH_ROWS = 65_536;

function isParquet(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && Buffer.from(bytes.subarray(0, 4)).toString('latin1') === PARQUET_MAGIC;
}


/** one cell through Arrow's own accessor, for the type pairs without a fast path */
function plain(value: unknown, col: ColumnDef): unknown {
  if (value === null || value === undefined) return null;
  if (col.type === 'date') return new Date(value instanceof Date ? value.getTime() : Number(value)).toISOString().slice(0, 10);
  if (col.type === 'timestamp') return value instanceof Date ? value.getTime() : Number(value);
  if (col.type === 'int' || col.type === 'double') return Number(value);
  return value;
}

const TIMESTAMP_TO_MS: Record<arrow.TimeUnit, number> = {
  [arrow.TimeUnit.SECOND]: 1000,
  [arrow.TimeUnit.MILLISECOND]: 1,
  [arrow.TimeUnit.MICROSECOND]: 1e-3,
  [arrow.TimeUnit.NANOSECOND]: 1e-6,
};

/**
 * DECIMAL cells (Trino types `0.5 * x` as a decimal, and so do DuckDB and Athena's UNLOAD): little-endian two's
 * complement words of 32 bits, scaled by 10^scale.
 */
function decimalReader(words: Uint32Array, type: arrow.Decimal): (i: number) => number {
  const per = type.bitWidth / 32;
  const scale = 10 ** type.scale;
  const wrap = 1n << BigInt(type.bitWidth);
  return (i) => {
    let unscaled = 0n;
    for (let w = per - 1; w >= 0; w--) unscaled = (unscaled << 32n) | BigInt(words[i * per + w]!);
    if (words[i * per + per - 1]! >= 0x8000_0000) unscaled -= wrap;
    return Number(unscaled) / scale;
  };
}

/** a reader of the value at buffer index i of a chunk, as the column's TypeScript value */
function valueReader(data: arrow.Data, col: ColumnDef): (i: number) => unknown {
  const type = data.type as arrow.DataType;
  const values = data.values as ArrayLike<number | bigint> & Uint8Array;
  if ((col.type === 'string' || col.type === 'list') && arrow.DataType.isUtf8(type)) {
    const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    const text = bytes.toString('utf8');
    const offsets = data.valueOffsets as Int32Array;
    // all ASCII (ids, codes): byte offsets are character offsets into one decoded string
    if (text.length === bytes.length) return (i) => text.slice(offsets[i]!, offsets[i + 1]!);
    return (i) => bytes.toString('utf8', offsets[i]!, offsets[i + 1]!);
  }
  if (col.type === 'boolean' && arrow.DataType.isBool(type)) return (i) => ((values[i >> 3]! >> (i & 7)) & 1) === 1;
  if ((col.type === 'int' || col.type === 'double') && arrow.DataType.isInt(type)) {
    return type.bitWidth === 64 ? (i) => Number(values[i]) : (i) => values[i];
  }
  if (col.type === 'double' && arrow.DataType.isFloat(type) && type.precision !== arrow.Precision.HALF) return (i) => values[i];
  if ((col.type === 'double' || col.type === 'int') && arrow.DataType.isDecimal(type)) return decimalReader(data.values as Uint32Array, type);
  if (col.type === 'date' && arrow.DataType.isDate(type) && type.unit === arrow.DateUnit.DAY) return (i) => isoOf(values[i] as number);
  if (col.type === 'timestamp' && arrow.DataType.isTimestamp(type)) {
    const toMs = TIMESTAMP_TO_MS[type.unit];
    return (i) => Math.round(Number(values[i]) * toMs);
  }
  const vector = arrow.makeVector(data);
  return (i) => plain(vector.get(i - data.offset), col);
}

/** the column's values over all its chunks, null where the validity bitmap says so */
function columnValues(vector: arrow.Vector, col: ColumnDef): unknown[] {
  const out: unknown[] = new Array(vector.length);
  let at = 0;
  for (const data of vector.data) {
    const read = valueReader(data, col);
    const valid = data.nullCount > 0 ? data.nullBitmap : undefined;
    for (let i = data.offset; i < data.offset + data.length; i++) {
      out[at++] = valid !== undefined && ((valid[i >> 3]! >> (i & 7)) & 1) === 0 ? null : read(i);
    }
  }
  return out;
}

/**
 * A function building row i from the column arrays as one object literal, generated from the table's column names
 * (quoted as JSON strings, so any name is a safe key): V8 then gives every row the same fixed shape; adding the 62
 * properties one by one took 6 to 10 s of the figures above.
 */
function rowBuilder(table: TableDef<string, unknown>): (columns: readonly unknown[][], i: number) => Record<string, unknown> {
  const fields = table.columns.map((c, j) => `${JSON.stringify(c.name)}: c[${j}][i]`).join(', ');
  return new Function('c', 'i', `return { ${fields} };`) as (columns: readonly unknown[][], i: number) => Record<string, unknown>;
}

/** the rows of one object's Arrow table, shaped by `table`; `name` (the object's key) is what errors cite */
function tableRows<T extends TableDef<string, unknown>>(t: arrow.Table, table: T, name: string): Row<T>[] {
  const columns = table.columns.map((c) => {
    const vector = t.getChild(c.name);
    if (vector === null) throw new Error(`${name}: column ${c.name} of table ${table.name} is missing`);
    return columnValues(vector, c);
  });
  const build = rowBuilder(table);
  const rows: Record<string, unknown>[] = new Array(t.numRows);
  for (let i = 0; i < t.numRows; i++) rows[i] = build(columns, i);
  return rows as Row<T>[];
}

/** the object's schema has the column (indexOf throws for one it lacks) */
function has(schema: Schema, column: string): boolean {
  try {
    return schema.indexOf(column) >= 0;
  } catch {
    return false;
  }
}

function checkParquet(bytes: Uint8Array, name: string): void {
  if (!isParquet(bytes)) throw new Error(`${name}: not a Parquet file (no PAR1 header)`);
}

/**
 * The rows of one Parquet object; `name` (its key) is what errors cite. Every column of the object is decoded (the
 * synchronous readParquet of parquet-wasm 0.8.0 ignores its `columns` option): a definition naming a few columns of
 * a wide object is read with readParquetObjects, which decodes those alone.
 */
export function parquetRows<T extends TableDef<string, unknown>>(bytes: Uint8Array, table: T, name: string): Row<T>[] {
  checkParquet(bytes, name);
  return tableRows(arrow.tableFromIPC(readParquet(bytes, { batchSize: BATCH_ROWS }).intoIPCStream()), table, name);
}

/**
 * The rows of one Parquet object with only the columns `table` defines decoded (ParquetFile.read projects them).
 * parquet-wasm's memory grows to what one object decodes and never shrinks: a members part of 100,000 rows and 15
 * columns left it at 101 MiB with every column decoded, at 9 MiB with person_id alone (what known-persons.ts reads);
 * the 2 GB claims of bench:large (202,000 members) then start their ingest at 244 MiB of RSS instead of 335.
 */
async function projectedRows<T extends TableDef<string, unknown>>(bytes: Uint8Array, table: T, name: string): Promise<Row<T>[]> {
  checkParquet(bytes, name);
  const file = await ParquetFile.fromFile(new Blob([new Uint8Array(bytes)]));
  try {
    const schema = file.schema();
    // a column the object lacks is not asked for: tableRows names it
    const columns = table.columns.map((c) => c.name).filter((c) => has(schema, c));
    schema.free();
    return tableRows(arrow.tableFromIPC((await file.read({ batchSize: BATCH_ROWS, columns })).intoIPCStream()), table, name);
  } finally {
    file.free();
  }
}

/** Every row of every non-empty object under `folder`, in key order. */
export async function readParquetFolder<T extends TableDef<string, unknown>>(store: ObjectStore, folder: string, table: T): Promise<Row<T>[]> {
  return readParquetObjects(store, await store.list(folder), table);
}

/** Every row of the non-empty objects listed, in the order given. */
export async function readParquetObjects<T extends TableDef<string, unknown>>(store: ObjectStore, objects: readonly ObjectInfo[], table: T): Promise<Row<T>[]> {
  const out: Row<T>[] = [];
  for (const o of objects) {
    if (o.size === 0) continue;
    for (const row of await projectedRows(await store.get(o.key), table, `${store.location}/${o.key}`)) out.push(row);
  }
  return out;
}

/** The rows of a table partitioned by as-of date (features, scores, flags): `<prefix>as_of=<date>/`. */
export function readTableRows<T extends TableDef<string, unknown>>(store: ObjectStore, table: T, asOf: string): Promise<Row<T>[]> {
  return readParquetFolder(store, `${table.prefix}as_of=${asOf}/`, table);
}

/**
 * Rows in the Parquet objects under `folder`, from their footers. Each object is fetched whole: the ObjectStore port
 * has no ranged read, which would let this fetch the last 8 bytes and then the footer alone.
 */
export async function countParquetRows(store: ObjectStore, folder: string): Promise<number> {
  let rows = 0;
  for (const o of await store.list(folder)) {
    if (o.size === 0) continue;
    const file = await ParquetFile.fromFile(new Blob([new Uint8Array(await store.get(o.key))]));
    rows += file.metadata().fileMetadata().numRows();
    file.free();
  }
  return rows;
}
