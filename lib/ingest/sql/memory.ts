/**
 * The memory one file's ingest may hold in DuckDB, past which it spills (db.ts), and which the replaced-records count
 * after it is held to (lib/pipeline/ingest.ts). A module of its own: db.ts reads DuckDB's prelude when imported, which
 * the Lambda bundles do not carry.
 */

/** DuckDB's memory for one file's ingest (STRATIFY_INGEST_MEMORY overrides it, in DuckDB's units: '2GB') */
export const INGEST_MEMORY = '1GB';

/** the memory limit of an ingest, the setting's or INGEST_MEMORY */
export const ingestMemory = (): string => process.env.STRATIFY_INGEST_MEMORY ?? INGEST_MEMORY;
