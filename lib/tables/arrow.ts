/** The Arrow schema of a table, derived from its definition (define.ts); the Parquet writer builds its columns with it. */
import * as arrow from 'apache-arrow';
import type { ColumnType, TableDef } from './define.js';

function arrowTypeFor(type: ColumnType): arrow.DataType {
  switch (type) {
    case 'string':
    case 'list':
      return new arrow.Utf8();
    case 'date':
      return new arrow.DateDay();
    case 'timestamp':
      return new arrow.TimestampMillisecond('UTC');
    case 'int':
      return new arrow.Int32();
    case 'double':
      return new arrow.Float64();
    case 'boolean':
      return new arrow.Bool();
  }
}

export function arrowSchema(table: TableDef<string, unknown>): arrow.Schema {
  return new arrow.Schema(table.columns.map((c) => new arrow.Field(c.name, arrowTypeFor(c.type), c.nullable)));
}
