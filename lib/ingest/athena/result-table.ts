/**
 * The format's result on Athena, made once: a per-file Parquet table `ingest_result_<sha16>` under the file's staging
 * folder, which every output then reads (its curated tables, the records not accepted, the finding), as the local
 * runner reads its `ingest_result` (lib/ingest/sql/run-file.ts). Athena bills the bytes a query scans, and the
 * format's query inlined into each UNLOAD read the staged file once per output (2 to 4 times).
 *
 * Why three statements and not one CTAS: the workgroup enforces its result location (infra/catalog.ts), and Athena
 * then fails a CTAS that names an `external_location` (and would put the table's data under the results bucket). So
 * the table is created WITH NO DATA (Trino plans the query, reads nothing, and takes its column types from it), moved
 * to the staging folder with ALTER TABLE SET LOCATION, and filled by one INSERT INTO, which writes where the table
 * lives. The ingest function drops the table after the commit or an abandon, and before a new try of the same content.
 */

/** the prefix of the per-file result tables, which the ingest roles may create, point and drop (infra/layout.ts) */
export const RESULT_TABLE_PREFIX = 'ingest_result_';

export function resultTableName(sha16: string): string {
  if (!/^[0-9a-f]{16}$/.test(sha16)) throw new Error(`not a content hash prefix: ${sha16}`);
  return `${RESULT_TABLE_PREFIX}${sha16}`;
}

/** the statements that make `table` the result of `query` (with its WITH items) in the folder `location` (s3://…/) */
export function resultTableSqls(table: string, query: string, location: string): string[] {
  if (!location.startsWith('s3://') || !location.endsWith('/')) throw new Error(`a result table lives in an s3:// folder, not ${location}`);
  return [
    `CREATE TABLE ${table} WITH (format = 'PARQUET', write_compression = 'ZSTD') AS\n${query}\nWITH NO DATA`,
    `ALTER TABLE ${table} SET LOCATION '${location.replaceAll("'", "''")}'`,
    `INSERT INTO ${table}\n${query}`,
  ];
}
