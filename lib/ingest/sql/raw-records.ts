/**
 * `raw_records`, the relation every format's SQL reads: the file through DuckDB's `read_csv` into a temporary
 * table, every column VARCHAR, with `source_record` (1-based record number, header excluded) and `raw_record` (the
 * record as quarantine keeps it: its fields re-quoted as csv.ts quotes them, as today's reader did). The dialect is
 * fixed (comma, double quote escaped by doubling) and strict: a record with a malformed quote or the wrong number of
 * fields goes to DuckDB's rejects table (csv-rejects.ts), not into `raw_records`. Record numbers are the table's
 * rowid, which keeps the file's order; csv-rejects.ts shifts them past the records the parser rejected. The table
 * is in memory and spills to the private scratch folder (db.ts) when memory runs short.
 */
import { sqlString } from '../../sql/params.js';
import type { Encoding } from '../encoding.js';
import type { BoundHeader } from './header.js';

export const REJECTS_TABLE = 'ingest_csv_rejects';
const REJECTS_SCAN = 'ingest_csv_scans';

export interface CsvFile {
  readonly path: string;
  readonly gzip: boolean;
  readonly encoding: Encoding;
}

const position = (p: number) => `c${p}`;

/** `read_csv(...)` of the file, its columns named c1…cN by position */
export function readCsvSql(file: CsvFile, width: number): string {
  const columns = Array.from({ length: width }, (_, i) => `'${position(i + 1)}': 'VARCHAR'`).join(', ');
  return (
    `read_csv(${sqlString(file.path)}, header = true, columns = {${columns}}, delim = ',', quote = '"', escape = '"', ` +
    `auto_detect = false, strict_mode = true, store_rejects = true, rejects_table = '${REJECTS_TABLE}', rejects_scan = '${REJECTS_SCAN}', ` +
    `compression = '${file.gzip ? 'gzip' : 'none'}', encoding = '${file.encoding === 'latin1' ? 'latin-1' : 'utf-8'}')`
  );
}

/**
 * `ingest_csv`: the columns the format reads (and every copy of one named twice) of the records the parser took, in
 * file order: a table's rowid follows the order rows were inserted in, which DuckDB keeps (checked on 300,000 rows).
 * The parser still checks every record's fields; the columns not read are not kept, which halved the table's cost
 * on the bench's pharmacy claims (25 columns, 8 read).
 */
export function csvTableSql(file: CsvFile, header: BoundHeader): string {
  return `CREATE TABLE ${CSV_TABLE} AS SELECT ${csvColumns(header).join(', ')} FROM ${readCsvSql(file, header.width)}`;
}

/** the file's columns `ingest_csv` keeps: those the format reads, and every copy of one named twice */
function csvColumns(header: BoundHeader): string[] {
  const positions = new Set([...header.columns.map((c) => c.position), ...header.duplicates.flatMap((d) => d.positions)]);
  positions.delete(0);
  return [...positions].sort((a, b) => a - b).map(position);
}

/**
 * The fields of `ingest_csv` numbered as the records the parser took, read from the file as the query runs, not
 * stored first: for a file of about one row group of records, whose query runs on one thread anyway (run-file.ts).
 * `row_number() OVER ()` is DuckDB's streaming window, which reads the file in order on one thread.
 */
export function numberedCsvSql(file: CsvFile, header: BoundHeader): string {
  return `SELECT row_number() OVER () AS source_record, ${csvColumns(header).join(', ')} FROM ${readCsvSql(file, header.width)}`;
}

export const CSV_TABLE = 'ingest_csv';
/** 1-based number among the records the parser took (csv-rejects.ts shifts it past those it rejected) */
const TAKEN = 'rowid + 1';

/** `ingest_csv`'s fields numbered by its rowid, which keeps the file's order */
const NUMBERED_TABLE = `SELECT ${TAKEN} AS source_record, * FROM ${CSV_TABLE}`;

/** a copy of a column named twice as copies are compared: trimmed (trimmedSql), an absent value counting as empty */
const copyOf = (p: number) => `coalesce(${trimmedSql(position(p))}, '')`;

/** the first copy of a column named twice equals every other copy */
const agrees = (d: BoundHeader['duplicates'][number]) => d.positions.slice(1).map((p) => `${copyOf(d.positions[0]!)} = ${copyOf(p)}`).join(' AND ');

/** every column named twice agrees with itself */
function copiesAgree(header: BoundHeader): string {
  return header.duplicates.map(agrees).join(' AND ');
}

/**
 * JavaScript's trim() set, which the TypeScript readers trimmed every field of: tab, LF, VT, FF, CR, space, U+00A0,
 * U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF (neither engine's trim() takes the same)
 */
const JS_SPACE = '[\\s\\x{b}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}]';

/**
 * a field trimmed as JavaScript's trim() does, NULL when empty (fields.ts: empty means empty after trimming, in every
 * format). Only a field with something other than printable ASCII at an end goes through the trim: two
 * regexp_replace, as each replaces its one match on both engines (DuckDB's replaces the first match, Trino's every
 * one). The check costs what DuckDB's trim() of spaces did (0.9 s of CPU on 700,000 medical claim lines, 43 fields),
 * where trim with a set of characters took 14 s; and the text stays short, as Athena's plan carries the query twice
 * (lib/ingest/athena/result-table.ts) and Step Functions takes 256 KiB of it.
 */
export function trimmedSql(field: string): string {
  const trimmed = `regexp_replace(regexp_replace(${field}, '\\A${JS_SPACE}+', ''), '${JS_SPACE}+\\z', '')`;
  return `nullif(CASE WHEN regexp_like(${field}, '\\A[^!-~]|[^!-~]\\z') THEN ${trimmed} ELSE ${field} END, '')`;
}

/**
 * The canonical columns of `raw_records` over a relation with the file's fields as c1…cN: trimmed as JavaScript
 * trims, NULL when empty (trimmedSql), NULL for a column the file lacks. Athena's `raw_records`
 * (lib/ingest/athena/raw-table.ts) binds the header with them too.
 */
export function boundColumnsSql(header: Pick<BoundHeader, 'columns'>): string[] {
  return header.columns.map((c) => `${c.position > 0 ? trimmedSql(position(c.position)) : 'CAST(NULL AS VARCHAR)'} AS ${c.name}`);
}

/**
 * `raw_records` over `ingest_csv`: the canonical columns, trimmed as boundColumnsSql trims them, NULL when empty; when
 * the header names a column twice, only the records
 * whose copies agree (duplicateRejectsSql has the others). `raw_record` is NULL here: DuckDB would build it for
 * every record, which cost more than all the format's rules (1.0 s of CPU for 410,716 pharmacy lines, against
 * 0.4 s), so the runner fills it for the rejected records alone, after the query (record-lines.ts).
 */
export function rawRecordsSql(header: BoundHeader, numbered = NUMBERED_TABLE): string {
  const read = header.columns.filter((c) => c.position > 0).map((c) => position(c.position));
  // the local runner's fast path: a record whose fields all start and end in printable ASCII is trimmed by nothing,
  // found by one pattern over the record's fields (a quarter less CPU than one a field); the others go through trimmedSql.
  // An empty field is not clean (the pattern finds a separator at an end or beside another, or the text empty): a clean
  // field is then NULL or not empty, and passes as it is, without nullif (medical claims' query 6 % less CPU)
  const clean = read.length === 0 ? 'true' : `NOT regexp_like(concat_ws(chr(1), ${read.join(', ')}), '\\A\\z|(\\A|\\x{1})[^!-~]|[^!-~](\\x{1}|\\z)')`;
  const columns = header.columns.map((c) => {
    const field = position(c.position);
    return `${c.position > 0 ? `CASE WHEN clean THEN ${field} ELSE ${trimmedSql(field)} END` : 'CAST(NULL AS VARCHAR)'} AS ${c.name}`;
  });
  const where = header.duplicates.length > 0 ? ` WHERE ${copiesAgree(header)}` : '';
  return (
    `SELECT source_record, CAST(NULL AS VARCHAR) AS raw_record, ${columns.join(', ')} ` +
    `FROM (SELECT ${clean} AS clean, * FROM (${numbered}) AS numbered) AS fields${where}`
  );
}

/**
 * The distinct values of `raw_records`' column `name`, NULL left out, as raw_records gives them (trimmed, NULL when
 * empty), read field by field: the distinct fields of `ingest_csv` first, then each trimmed once. raw_records' own
 * fast path tests every field of a record for one column's value (a vendor file's zones, on the bench's 2,622,450
 * records: 0.9 → 0.45 s of CPU). A header that names a column twice leaves some records out of raw_records: read
 * through it then.
 */
export function distinctValuesSql(header: BoundHeader, name: string): string {
  const column = header.columns.find((c) => c.name === name);
  if (column === undefined) throw new Error(`raw_records has no column ${name}`);
  if (column.position === 0 || header.duplicates.length > 0) return `SELECT DISTINCT ${name} FROM raw_records WHERE ${name} IS NOT NULL`;
  const field = position(column.position);
  return `SELECT DISTINCT ${name} FROM (SELECT ${trimmedSql(field)} AS ${name} FROM (SELECT DISTINCT ${field} FROM ${CSV_TABLE}) AS f) AS t WHERE ${name} IS NOT NULL`;
}

/** the records whose copies of a column named twice differ: the first such column, and its copies' values */
export function duplicateRejectsSql(header: BoundHeader): string {
  const cases = header.duplicates.map((d) => {
    const values = d.positions.map(copyOf).join(', ');
    return { agree: agrees(d), field: d.name, values: `[${values}]` };
  });
  const field = `CASE ${cases.map((c) => `WHEN NOT (${c.agree}) THEN ${sqlString(c.field)}`).join(' ')} END`;
  const values = `CASE ${cases.map((c) => `WHEN NOT (${c.agree}) THEN ${c.values}`).join(' ')} END`;
  return `SELECT ${TAKEN} AS source_record, ${field} AS field, ${values} AS copies FROM ${CSV_TABLE} WHERE NOT (${copiesAgree(header)})`;
}
