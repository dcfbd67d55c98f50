/**
 * The memory the query engine may hold in this process while the features stage runs, past which DuckDB spills to
 * the engine's private scratch folder (lib/sql/duckdb.ts). Without it DuckDB takes 80 % of the machine's RAM.
 * Kept apart from the ingest's STRATIFY_INGEST_MEMORY (lib/ingest/sql/memory.ts): the two are different DuckDB
 * instances with different needs, and a user tunes the one that hits the wall. The stages run one after the other,
 * so the process needs the larger of the two, not their sum.
 */

/** DuckDB's memory for the features query (STRATIFY_QUERY_MEMORY overrides it, in DuckDB's units: '2GB') */
export const QUERY_MEMORY = '1GB';

/** the memory limit of the features stage, the setting's or QUERY_MEMORY */
export const queryMemory = (): string => process.env.STRATIFY_QUERY_MEMORY ?? QUERY_MEMORY;
