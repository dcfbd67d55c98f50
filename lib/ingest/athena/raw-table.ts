/**
 * What stands on Athena for the relations the ingest SQL (queries/ingest/<format>.sql) reads, over the staging copy of
 * one landing file (stage.ts):
 *
 * - a per-file external table `ingest_raw_<sha16>`, OpenCSVSerde, one string column per header field by position
 *   (`c1` … `cN`, as the local runner's read_csv names them), the header line skipped;
 * - `raw_records` over it, as the runner's is over DuckDB's read_csv: the columns named by the runner's own header
 *   binding (lib/ingest/sql/header.ts), `raw_record` rebuilt as quarantine keeps a record (each field quoted as
 *   lib/csv.ts csvQuoted does, joined by commas), and `source_record` NULL, since Athena reads a text file in
 *   splits and exposes no record number;
 * - for an NDJSON format, a table of two columns over the numbered staging copy (numbered-lines.ts): `record`, the
 *   line's number, and `line`; `raw_records` gives `source_record` from it, and each field of a reading as the JSON
 *   text DuckDB's `from_json(line, '{"f":"JSON"}')` gives locally (lib/ingest/sql/ndjson-records.ts): null when the
 *   field is absent or JSON null, or the line is not a JSON object;
 * - `raw_records` and `ingest_params` put before the format's SQL as WITH items, so its text runs unchanged.
 */

import type { BoundHeader } from '../sql/header.js';
import { boundColumnsSql } from '../sql/raw-records.js';

/** the prefix of the per-file tables, which the ingest roles may create and drop (infra/layout.ts) */
export const RAW_TABLE_PREFIX = 'ingest_raw_';

export function rawTableName(sha16: string): string {
  if (!/^[0-9a-f]{16}$/.test(sha16)) throw new Error(`not a content hash prefix: ${sha16}`);
  return `${RAW_TABLE_PREFIX}${sha16}`;
}

function quoteUrl(url: string): string {
  if (!url.startsWith('s3://') || !url.endsWith('/')) throw new Error(`an external table reads an s3:// folder, not ${url}`);
  return `'${url.replaceAll("'", "''")}'`;
}

/**
 * The DDL of the file's table: `width` string columns over the folder `location` (an s3:// URL ending in /). Only if
 * absent: a table an ingest that died left behind is the same (same content, same header, same folder).
 */
export function createRawTableSql(table: string, width: number, location: string): string {
  if (!Number.isInteger(width) || width < 1) throw new Error(`a raw table needs at least one column, not ${width}`);
  const columns = Array.from({ length: width }, (_, i) => `  c${i + 1} string`).join(',\n');
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${table} (`,
    columns,
    ')',
    "ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'",
    "WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '\"', 'escapeChar' = '\\\\')",
    'STORED AS TEXTFILE',
    `LOCATION ${quoteUrl(location)}`,
    "TBLPROPERTIES ('skip.header.line.count' = '1')",
  ].join('\n');
}

/** The DDL of an NDJSON file's table over its numbered staging copy (`<n>\x01<line>` a line). Only if absent, as above. */
export function createLinesTableSql(table: string, location: string): string {
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${table} (`,
    '  record bigint,',
    '  line string',
    ')',
    "ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\001'",
    'STORED AS TEXTFILE',
    `LOCATION ${quoteUrl(location)}`,
    // LazySimpleSerDe reads a field `\N` as NULL by default: a line `\N` is then a line (not valid JSON), as locally
    "TBLPROPERTIES ('serialization.null.format' = '')",
  ].join('\n');
}

/**
 * `raw_records` over an NDJSON file's table: each non-blank line (blank ones keep their number, as locally), the line
 * as quarantine keeps it, and `fields` each as its JSON text: `json_format(json_extract(…))`, NULL for JSON null
 * (DuckDB's from_json gives NULL there; device_ndjson.sql tells an absent field from a null one by the line itself),
 * and NULL for every field of a line that is not JSON (the line is parsed once, under try).
 */
export function linesRawRecordsSql(table: string, fields: readonly string[]): string {
  for (const f of fields) if (!/^[a-z_][a-z0-9_]*$/.test(f)) throw new Error(`not a canonical field name: ${f}`);
  const columns = fields.map((f) => `nullif(json_format(json_extract(doc, '$.${f}')), 'null') AS ${f}`);
  return (
    `SELECT source_record, raw_record, ${columns.join(', ')} FROM (` +
    `SELECT record AS source_record, line AS raw_record, try(json_parse(line)) AS doc FROM ${table} WHERE trim(line) <> '') AS lines`
  );
}

/** drops a per-file table (the file's, or its result table: result-table.ts) */
export function dropTableSql(table: string): string {
  return `DROP TABLE IF EXISTS ${table}`;
}

/** a field as quarantine keeps it (lib/csv.ts csvQuoted): quoted, quotes doubled, only when it holds `"` `,` CR or LF */
function quotedField(column: string): string {
  return `CASE WHEN ${column} IS NULL THEN '' WHEN regexp_like(${column}, '[",\\r\\n]') THEN '"' || replace(${column}, '"', '""') || '"' ELSE ${column} END`;
}

/**
 * `raw_records` over the file's table: `source_record` NULL (see the header), `raw_record` re-quoted from the fields,
 * and the columns as the runner's `raw_records` gives them (lib/ingest/sql/raw-records.ts boundColumnsSql), from the
 * positions its header binding found (lib/ingest/sql/header.ts bindHeader).
 */
export function rawRecordsSql(table: string, header: Pick<BoundHeader, 'width' | 'columns'>): string {
  const raw = Array.from({ length: header.width }, (_, i) => quotedField(`c${i + 1}`)).join(" || ',' || ");
  for (const c of header.columns) {
    if (!/^[a-z_][a-z0-9_]*$/.test(c.name)) throw new Error(`not a canonical column name: ${c.name}`);
    if (c.position > header.width) throw new Error(`column ${c.name}: no position ${c.position} in ${header.width} columns`);
  }
  return `SELECT CAST(NULL AS BIGINT) AS source_record, ${raw} AS raw_record, ${boundColumnsSql(header).join(', ')} FROM ${table}`;
}

const LEADING = /^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/;

/** `sql` (one query) with `items` ([name, relation]) as its first WITH items, before its own */
export function withItems(sql: string, items: readonly (readonly [name: string, relation: string])[]): string {
  const lead = LEADING.exec(sql)![0];
  const body = sql.slice(lead.length).replace(/;\s*$/, '');
  const defined = items.map(([name, relation]) => `${name} AS (\n${relation}\n)`).join(',\n');
  const withKeyword = /^with\s/i.exec(body);
  if (withKeyword) {
    if (/^with\s+recursive\s/i.test(body)) throw new Error('the ingest SQL may not use WITH RECURSIVE');
    return `WITH ${defined},\n${body.slice(withKeyword[0].length)}`;
  }
  return `WITH ${defined}\n${body}`;
}
