/**
 * A table is written once, here, as a list of typed columns. Everything else that needs its shape (the zod schema
 * that validates incoming records, the TypeScript type, the Arrow schema the Parquet writer uses, the SQL DDL, and
 * later the Glue columns) is derived from that one definition by the functions below (the Arrow schema in arrow.ts,
 * so that what needs only the columns, such as the CLI's start-up, does not load Apache Arrow).
 */
import { z } from 'zod';

/** `list`: a text column of comma-separated values, `''` when there are none (a non-empty `string` otherwise) */
export type ColumnType = 'string' | 'list' | 'date' | 'timestamp' | 'int' | 'double' | 'boolean';

export interface ColumnDef {
  readonly name: string;
  readonly type: ColumnType;
  /** false when every row must carry a value */
  readonly nullable: boolean;
  readonly doc: string;
}

export interface TableDef<N extends string = string, R = Record<string, unknown>> {
  readonly kind: 'table';
  readonly name: N;
  readonly doc: string;
  /** the store prefix the table's Parquet files live under, e.g. `curated/members/` */
  readonly prefix: string;
  readonly columns: readonly ColumnDef[];
  /** type-only: the row type derived from the column specs (never set at run time) */
  readonly __row?: R;
}

export type ColSpec = readonly [name: string, type: ColumnType, nullable: 'required' | 'optional', doc: string];

type RowOf<C extends readonly ColSpec[]> = {
  [K in C[number] as K[0]]: K[2] extends 'optional' ? ColumnValue[K[1]] | null : ColumnValue[K[1]];
};

export function defineTable<const N extends string, const C extends readonly ColSpec[]>(
  name: N,
  prefix: string,
  doc: string,
  cols: C,
): TableDef<N, RowOf<C>> {
  const seen = new Set<string>();
  const columns = cols.map(([colName, type, req, colDoc]) => {
    if (seen.has(colName)) throw new Error(`table ${name}: column ${colName} is defined twice`);
    seen.add(colName);
    return Object.freeze({ name: colName, type, nullable: req === 'optional', doc: colDoc });
  });
  return Object.freeze({ kind: 'table', name, doc, prefix, columns: Object.freeze(columns) });
}

/** The TypeScript value of each column type: dates are `YYYY-MM-DD` strings, timestamps are epoch milliseconds UTC. */
export interface ColumnValue {
  string: string;
  list: string;
  date: string;
  timestamp: number;
  int: number;
  double: number;
  boolean: boolean;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Verdicts are memoized: a claims file repeats a few thousand distinct dates millions of times, and building a Date
 * per check was 5% of ingest. The memo is dropped when it reaches MEMO_LIMIT entries, which bounds its memory.
 */
const MEMO_LIMIT = 100_000;
const calendarDates = new Map<string, boolean>();

/** True when `s` is a real calendar date in ISO form (rejects 2023-02-30). */
export function isCalendarDate(s: string): boolean {
  let ok = calendarDates.get(s);
  if (ok === undefined) {
    if (calendarDates.size >= MEMO_LIMIT) calendarDates.clear();
    const d = new Date(`${s}T00:00:00Z`);
    ok = ISO_DATE.test(s) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
    calendarDates.set(s, ok);
  }
  return ok;
}

function zodFor(type: ColumnType): z.ZodType {
  switch (type) {
    case 'string':
      return z.string().min(1);
    case 'list':
      return z.string();
    case 'date':
      return z.string().refine(isCalendarDate, { message: 'not a calendar date (YYYY-MM-DD)' });
    case 'timestamp':
      return z.number().int().finite();
    case 'int':
      return z.number().int().finite();
    case 'double':
      return z.number().finite();
    case 'boolean':
      return z.boolean();
  }
}

/** zod schema for one row of the table; optional columns accept null. */
export function zodSchema(table: TableDef<string, unknown>): z.ZodObject<Record<string, z.ZodType>> {
  const shape: Record<string, z.ZodType> = {};
  for (const c of table.columns) shape[c.name] = c.nullable ? zodFor(c.type).nullable() : zodFor(c.type);
  return z.object(shape).strict();
}

/** the SQL type of each column type, in the subset DuckDB and Trino share */
export const SQL_TYPES: Record<ColumnType, string> = {
  string: 'VARCHAR',
  list: 'VARCHAR',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  int: 'INTEGER',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
};

/** Glue/Hive type names, for the catalog the AWS side builds from the same definitions. */
const GLUE_TYPES: Record<ColumnType, string> = {
  string: 'string',
  list: 'string',
  date: 'date',
  timestamp: 'timestamp',
  int: 'int',
  double: 'double',
  boolean: 'boolean',
};

/** `CREATE TABLE` statement in the subset of SQL that DuckDB and Trino share. */
export function sqlDdl(table: TableDef<string, unknown>): string {
  const cols = table.columns.map((c) => `  ${c.name} ${SQL_TYPES[c.type]}${c.nullable ? '' : ' NOT NULL'}`);
  return `CREATE TABLE ${table.name} (\n${cols.join(',\n')}\n)`;
}

export function glueColumns(table: TableDef<string, unknown>): { name: string; type: string; comment: string }[] {
  return table.columns.map((c) => ({ name: c.name, type: GLUE_TYPES[c.type], comment: c.doc }));
}

/** A row type derived from the definition, e.g. `Row<typeof members>`. */
export type Row<T extends TableDef<string, unknown>> = NonNullable<T['__row']>;

/** The same table read through some of its columns only (a reader that decodes what it needs), types kept. */
export function pickColumns<N extends string, R, K extends keyof R & string>(t: TableDef<N, R>, names: readonly K[]): TableDef<N, Pick<R, K>> {
  return Object.freeze({ ...t, columns: t.columns.filter((c) => (names as readonly string[]).includes(c.name)), __row: undefined }) as TableDef<N, Pick<R, K>>;
}
