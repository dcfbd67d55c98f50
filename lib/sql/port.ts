/**
 * QueryEngine: runs the Trino-dialect SQL of queries/ against the project's tables, by the names Athena uses.
 * DuckDB over the local folder is the default adapter; Athena implements the same port on AWS.
 */
export type SqlRow = Record<string, unknown>;

export interface QueryEngine {
  /** run a query and return its rows as plain JS values (dates as `YYYY-MM-DD`, timestamps as epoch ms, bigints as numbers) */
  query<T extends SqlRow = SqlRow>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /**
   * run a query and store its result as Parquet at `key` in the engine's store; returns the row count. On Athena
   * (an UNLOAD) this replaces the folder of `key`: everything under it is deleted first and the result is written
   * there as files named by Athena, not as `key`; readers read the folder (lib/parquet/reader.ts readParquetFolder).
   */
  materialize(sql: string, key: string, params?: readonly SqlParam[]): Promise<number>;
  /** make tables written since the engine opened visible to later queries */
  refresh(): Promise<void>;
  /**
   * runs `fn` with the engine's memory in this process held to `limit` (DuckDB's units: '1GB'), spilling past it, then
   * lets it go; an engine that holds no memory here (Athena) runs `fn` as it is
   */
  withMemoryLimit<T>(limit: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** what an engine that bills by the byte reports of one finished query (Athena's GetQueryExecution Statistics) */
export interface QueryStatistics {
  readonly queryExecutionId: string;
  readonly dataScannedBytes: number;
  readonly engineExecutionTimeMs: number;
}

/** A value bound to a `?` placeholder. Rendered as a literal only after validation (see params.ts). */
export type SqlParam = { date: string } | { string: string } | { number: number };

export class QueryFailedError extends Error {
  constructor(
    message: string,
    readonly sql: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'QueryFailedError';
  }
}
