/**
 * The `raw_records` relation of the ingest SQL (queries/ingest/<format>.sql) on Athena, over the staging copy of one
 * landing file (stage.ts):
 *
 * - a per-file external table `ingest_raw_<sha16>`, OpenCSVSerde, one string column per header field by position
 *   (`c1` … `cN`: the header's own names may repeat or differ in case), the header line skipped;
 * - the relation itself, put before the format's SQL as a WITH item: the header binding of the local runner (the
 *   canonical lowercase name of each column the format reads, from the file's position; NULL for a column the file
 *   lacks), `raw_record` rebuilt as quarantine keeps a record (each field quoted as lib/csv.ts csvQuoted does,
 *   joined by commas), and `source_record` NULL: Athena reads a text file in splits and has no record number.
 *
 * So the format's SQL text runs unchanged; only what stands for `raw_records` differs from DuckDB's read_csv.
 */

/** the prefix of the per-file tables, which the ingest roles may create and drop (infra/layout.ts) */
export const RAW_TABLE_PREFIX = 'ingest_raw_';

export function rawTableName(sha16: string): string {
  if (!/^[0-9a-f]{16}$/.test(sha16)) throw new Error(`not a content hash prefix: ${sha16}`);
  return `${RAW_TABLE_PREFIX}${sha16}`;
}

/** a column of `raw_records`: its canonical name and its 1-based position in the file, none when the file lacks it */
export interface BoundColumn {
  readonly name: string;
  readonly position: number | undefined;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function quoteUrl(url: string): string {
  if (!url.startsWith('s3://') || !url.endsWith('/')) throw new Error(`an external table reads an s3:// folder, not ${url}`);
  return `'${url.replaceAll("'", "''")}'`;
}

/** the DDL of the file's table: `width` string columns over the folder `location` (an s3:// URL ending in /) */
export function createRawTableSql(table: string, width: number, location: string): string {
  if (!Number.isInteger(width) || width < 1) throw new Error(`a raw table needs at least one column, not ${width}`);
  const columns = Array.from({ length: width }, (_, i) => `  c${i + 1} string`).join(',\n');
  return [
    `CREATE EXTERNAL TABLE ${table} (`,
    columns,
    ')',
    "ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'",
    "WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '\"', 'escapeChar' = '\\\\')",
    'STORED AS TEXTFILE',
    `LOCATION ${quoteUrl(location)}`,
    "TBLPROPERTIES ('skip.header.line.count' = '1')",
  ].join('\n');
}

export function dropRawTableSql(table: string): string {
  return `DROP TABLE IF EXISTS ${table}`;
}

/** a field as quarantine keeps it (lib/csv.ts csvQuoted): quoted, quotes doubled, only when it holds `"` `,` CR or LF */
function quotedField(column: string): string {
  return `CASE WHEN regexp_like(${column}, '[",\\r\\n]') THEN '"' || replace(${column}, '"', '""') || '"' ELSE ${column} END`;
}

/** the SELECT that stands for `raw_records` over the file's table of `width` columns */
export function rawRecordsSql(table: string, width: number, columns: readonly BoundColumn[]): string {
  const fields = Array.from({ length: width }, (_, i) => quotedField(`c${i + 1}`));
  const select = [
    'CAST(NULL AS BIGINT) AS source_record',
    `concat_ws(',', ${fields.join(', ')}) AS raw_record`,
    ...columns.map((c) => {
      if (!IDENTIFIER.test(c.name)) throw new Error(`not a canonical column name: ${c.name}`);
      if (c.position === undefined) return `CAST(NULL AS VARCHAR) AS ${c.name}`;
      if (!Number.isInteger(c.position) || c.position < 1 || c.position > width) throw new Error(`column ${c.name}: no position ${c.position} in ${width} columns`);
      return `c${c.position} AS ${c.name}`;
    }),
  ];
  return `SELECT\n  ${select.join(',\n  ')}\nFROM ${table}`;
}

const LEADING = /^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/;

/** `sql` (one query, which reads `raw_records`) with `raw_records AS (relation)` as its first WITH item */
export function withRawRecords(sql: string, relation: string): string {
  const lead = LEADING.exec(sql)![0];
  const body = sql.slice(lead.length).replace(/;\s*$/, '');
  const item = `raw_records AS (\n${relation}\n)`;
  const withKeyword = /^with\s/i.exec(body);
  if (withKeyword) {
    if (/^with\s+recursive\s/i.test(body)) throw new Error('the ingest SQL may not use WITH RECURSIVE');
    return `WITH ${item},\n${body.slice(withKeyword[0].length)}`;
  }
  return `WITH ${item}\n${body}`;
}
