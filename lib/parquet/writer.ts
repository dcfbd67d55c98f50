/**
 * Rows → Arrow → Parquet (zstd) through parquet-wasm, the writer the Lambda side uses too.
 * Columns are built from typed buffers with makeData rather than vectorFromArray, which is about 10x slower.
 */
import * as arrow from 'apache-arrow';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm';
import { dayOf } from '../dates.js';
import { arrowSchema } from '../tables/arrow.js';
import type { ColumnDef, TableDef } from '../tables/define.js';


function validity(values: readonly unknown[]): { bitmap: Uint8Array; nulls: number } {
  const bitmap = new Uint8Array(Math.ceil(values.length / 8));
  let nulls = 0;
  values.forEach((v, i) => {
    if (v === null || v === undefined) nulls++;
    else bitmap[i >> 3]! |= 1 << (i & 7);
  });
  return { bitmap, nulls };
}

function columnData(col: ColumnDef, values: readonly unknown[]): arrow.Data {
  const length = values.length;
  const { bitmap, nulls } = validity(values);
  const nullBitmap = nulls > 0 ? bitmap : undefined;
  switch (col.type) {
    case 'string':
    case 'list': {
      // One join and one encode for the whole column; when it is all ASCII (ids, codes, dates: nearly always),
      // byte offsets equal character offsets and no string is measured on its own.
      const strings = values.map((v) => (v === null || v === undefined ? '' : String(v)));
      const data = Buffer.from(strings.join(''), 'utf8');
      const offsets = new Int32Array(length + 1);
      const chars = strings.reduce((n, s) => n + s.length, 0);
      const size = data.length === chars ? (s: string) => s.length : (s: string) => Buffer.byteLength(s, 'utf8');
      let at = 0;
      strings.forEach((s, i) => (offsets[i + 1] = at += size(s)));
      return arrow.makeData({ type: new arrow.Utf8(), length, nullCount: nulls, nullBitmap, valueOffsets: offsets, data });
    }
    case 'date': {
      const data = new Int32Array(length);
      values.forEach((v, i) => {
        if (typeof v === 'string') data[i] = dayOf(v);
      });
      return arrow.makeData({ type: new arrow.DateDay(), length, nullCount: nulls, nullBitmap, data });
    }
    case 'timestamp': {
      const data = new BigInt64Array(length);
      values.forEach((v, i) => {
        if (typeof v === 'number') data[i] = BigInt(Math.round(v));
      });
      return arrow.makeData({ type: new arrow.TimestampMillisecond('UTC'), length, nullCount: nulls, nullBitmap, data });
    }
    case 'int': {
      const data = new Int32Array(length);
      values.forEach((v, i) => {
        if (typeof v === 'number') data[i] = v;
      });
      return arrow.makeData({ type: new arrow.Int32(), length, nullCount: nulls, nullBitmap, data });
    }
    case 'double': {
      const data = new Float64Array(length);
      values.forEach((v, i) => {
        if (typeof v === 'number') data[i] = v;
      });
      return arrow.makeData({ type: new arrow.Float64(), length, nullCount: nulls, nullBitmap, data });
    }
    case 'boolean': {
      const data = new Uint8Array(Math.ceil(length / 8));
      values.forEach((v, i) => {
        if (v === true) data[i >> 3]! |= 1 << (i & 7);
      });
      return arrow.makeData({ type: new arrow.Bool(), length, nullCount: nulls, nullBitmap, data });
    }
  }
}

/** Build an Arrow table with the table definition's schema from row objects. */
export function rowsToArrow(table: TableDef<string, unknown>, rows: readonly Record<string, unknown>[]): arrow.Table {
  const schema = arrowSchema(table);
  const children = table.columns.map((c) => columnData(c, rows.map((r) => r[c.name])));
  const struct = arrow.makeData({ type: new arrow.Struct(schema.fields), length: rows.length, nullCount: 0, children });
  return new arrow.Table(schema, new arrow.RecordBatch(schema, struct));
}

/** Encode an Arrow table as one Parquet file (zstd). */
export function arrowToParquet(table: arrow.Table): Uint8Array {
  const props = new WriterPropertiesBuilder().setCompression(Compression.ZSTD).build();
  return writeParquet(WasmTable.fromIPCStream(arrow.tableToIPC(table, 'stream')), props);
}

export function rowsToParquet(table: TableDef<string, unknown>, rows: readonly Record<string, unknown>[]): Uint8Array {
  return arrowToParquet(rowsToArrow(table, rows));
}
