/**
 * The memory DuckDB may hold in this process, past which it spills to the private scratch folder (without a limit it
 * takes 80 % of RAM): while one file is ingested (lib/ingest/sql/db.ts, and the replaced-records count after it in
 * lib/pipeline/ingest.ts), and while the features and data-quality queries run (the query engine, lib/sql/duckdb.ts).
 * Two settings, since a user tunes the stage that hits the wall; they are not held at once, as each file's ingest has
 * a DuckDB of its own, closed after the file. A module with no imports: the Lambda bundles, which carry no DuckDB
 * prelude, read it too.
 */

/** DuckDB's memory for one file's ingest (STRATIFY_INGEST_MEMORY overrides it, in DuckDB's units: '2GB') */
export const INGEST_MEMORY = '1GB';

/** the memory limit of an ingest, the setting's or INGEST_MEMORY */
export const ingestMemory = (): string => process.env.STRATIFY_INGEST_MEMORY ?? INGEST_MEMORY;

/** DuckDB's memory for the features and data-quality queries (STRATIFY_QUERY_MEMORY overrides it: '2GB') */
export const QUERY_MEMORY = '1GB';

/** the memory limit of the features stage, the setting's or QUERY_MEMORY */
export const queryMemory = (): string => process.env.STRATIFY_QUERY_MEMORY ?? QUERY_MEMORY;
