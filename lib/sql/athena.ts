/**
 * QueryEngine on Athena (engine v3, Trino) over the lake bucket's tables in the Glue catalog.
 *
 * A query is started in the project's workgroup, then polled with growing pauses until it succeeds, fails, is
 * cancelled or passes its deadline (it is then stopped). FAILED and CANCELLED surface Athena's own reason. Starts
 * refused for concurrency (TooManyRequestsException) are retried with backoff on top of the SDK's own retries.
 *
 * ClientRequestToken: a hash of the statement and an id drawn once per call, so every retry of one start (the SDK's
 * and ours) names the same execution and Athena never runs it twice. The id is per call on purpose: a token that
 * depended on the text alone would make Athena answer tomorrow's identical `select distinct person_id from members`
 * with today's execution and its stale result.
 *
 * `query` reads small results through GetQueryResults, typed by Athena's column info like the DuckDB adapter's
 * values (dates `YYYY-MM-DD`, timestamps epoch ms, numbers as numbers); the first row of a SELECT's first page is
 * always the header, whatever its values. `materialize` is an UNLOAD to the folder of the key, in ZSTD Parquet,
 * after the folder is cleared: the files there get Athena's names, not the key's file name, and large results are
 * read back from them (lib/parquet/reader.ts) rather than paged through GetQueryResults. The rows written are
 * counted from those files' Parquet footers: GetQueryRuntimeStatistics' OutputRows is documented as the rows a query
 * returned, which for an UNLOAD is not the rows it wrote.
 * Parameters are bound as validated, quoted literals (params.ts), as Athena's execution parameters would be.
 */
import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type ColumnInfo,
  type GetQueryResultsCommandOutput,
} from '@aws-sdk/client-athena';
import { createHash, randomUUID } from 'node:crypto';
import { type BackoffOptions, sleep, withRetries } from '../aws/backoff.js';
import { errorCode, errorMessage, isThrottling } from '../aws/sdk-errors.js';
import { countParquetRows } from '../parquet/reader.js';
import type { S3ObjectStore } from '../store/s3.js';
import { bindParams } from './params.js';
import { QueryFailedError, type QueryEngine, type QueryStatistics, type SqlParam, type SqlRow } from './port.js';

export interface AthenaEngineOptions {
  readonly client: AthenaClient;
  readonly workgroup: string;
  /** the Glue database holding the project's tables */
  readonly database: string;
  /** the lake bucket: UNLOAD targets are folders of it */
  readonly store: S3ObjectStore;
  /** a query still running this long after its start is stopped and reported @default 600_000 (10 minutes) */
  readonly deadlineMs?: number;
  /** pauses between status polls grow from baseMs to maxMs @default { baseMs: 250, maxMs: 5_000 } */
  readonly poll?: BackoffOptions;
  /** our retries of a start refused for concurrency, after the SDK's @default { attempts: 6, baseMs: 1_000, maxMs: 20_000 } */
  readonly startRetry?: BackoffOptions & { readonly attempts?: number };
  /** told the bytes scanned and engine time of each query that succeeded (the features function publishes them as metrics) */
  readonly onStatistics?: (statistics: QueryStatistics) => void;
}

/** A query Athena reported FAILED or CANCELLED, or one stopped at its deadline, with Athena's reason. */
export class AthenaQueryError extends QueryFailedError {
  constructor(
    message: string,
    sql: string,
    readonly queryExecutionId: string,
    readonly state: 'FAILED' | 'CANCELLED' | 'DEADLINE',
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(message, sql, options);
    this.name = 'AthenaQueryError';
  }
}

/** the token of one call: 64 hex digits (Athena accepts 32 to 128 characters) */
export function requestToken(sql: string, callId: string): string {
  return createHash('sha256').update(sql).update('\n').update(callId).digest('hex');
}

const NUMERIC = new Set(['tinyint', 'smallint', 'integer', 'int', 'bigint', 'double', 'float', 'real', 'decimal']);
const ATHENA_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)(?: UTC)?$/;

/** One GetQueryResults cell as the DuckDB adapter would return it, by the column's Athena type. */
export function athenaValue(text: string | undefined, column: ColumnInfo): unknown {
  if (text === undefined) return null;
  const type = (column.Type ?? 'varchar').toLowerCase();
  if (type === 'boolean') return text === 'true';
  if (NUMERIC.has(type)) return Number(text);
  if (type.startsWith('timestamp')) {
    const m = ATHENA_TIMESTAMP.exec(text);
    if (m === null) throw new Error(`column ${column.Name}: cannot read Athena timestamp ${JSON.stringify(text)} (only UTC is expected)`);
    return Date.parse(`${m[1]}T${m[2]!.slice(0, 12)}Z`);
  }
  return text;
}

export class AthenaEngine implements QueryEngine {
  readonly #client: AthenaClient;
  readonly #workgroup: string;
  readonly #database: string;
  readonly #store: S3ObjectStore;
  readonly #deadlineMs: number;
  readonly #poll: Required<BackoffOptions>;
  readonly #startRetry: BackoffOptions & { readonly attempts?: number };
  readonly #onStatistics: ((statistics: QueryStatistics) => void) | undefined;

  constructor(options: AthenaEngineOptions) {
    this.#client = options.client;
    this.#workgroup = options.workgroup;
    this.#database = options.database;
    this.#store = options.store;
    this.#deadlineMs = options.deadlineMs ?? 600_000;
    this.#poll = { baseMs: 250, maxMs: 5_000, ...options.poll };
    this.#startRetry = { attempts: 6, baseMs: 1_000, maxMs: 20_000, ...options.startRetry };
    this.#onStatistics = options.onStatistics;
  }

  async query<T extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    const text = statement(sql, params);
    const id = await this.#execute(text);
    const rows: T[] = [];
    let columns: ColumnInfo[] = [];
    let token: string | undefined;
    let first = true;
    do {
      let page: GetQueryResultsCommandOutput;
      try {
        page = await this.#client.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1000, ...(token ? { NextToken: token } : {}) }));
      } catch (e) {
        throw new QueryFailedError(`Athena query ${id}: reading results failed: ${errorCode(e)}: ${errorMessage(e)}`, text, { cause: e });
      }
      if (first) columns = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
      const data = page.ResultSet?.Rows ?? [];
      // Athena always sends the column labels as the first row of a SELECT's first page: skipped whatever it holds,
      // since comparing it with the column names could keep a header or drop a real row
      for (const row of data.slice(first ? 1 : 0)) {
        const o: SqlRow = {};
        columns.forEach((c, i) => {
          o[c.Name ?? `_col${i}`] = athenaValue(row.Data?.[i]?.VarCharValue, c);
        });
        rows.push(o as T);
      }
      first = false;
      token = page.NextToken;
    } while (token !== undefined);
    return rows;
  }

  async materialize(sql: string, key: string, params: readonly SqlParam[] = []): Promise<number> {
    const text = statement(sql, params);
    const folder = key.slice(0, key.lastIndexOf('/') + 1);
    if (folder === '') throw new Error(`materialize on Athena needs a key inside a folder (UNLOAD writes a folder), not ${key}`);
    for (const o of await this.#store.list(folder)) await this.#store.delete(o.key);
    const target = this.#store.urlOf(folder);
    const id = await this.#execute(unloadSql(text, target));
    try {
      return await countParquetRows(this.#store, folder);
    } catch (e) {
      throw new QueryFailedError(`Athena query ${id}: counting the rows UNLOADed to ${target} failed: ${errorMessage(e)}`, text, { cause: e });
    }
  }

  /** run a statement that returns no rows to read (DDL, an UNLOAD built by the caller); returns its execution id */
  async execute(sql: string): Promise<string> {
    return this.#execute(statement(sql, []));
  }

  /** Glue tables read their S3 prefixes (and partition projection) at query time: nothing to refresh. */
  async refresh(): Promise<void> {}

  async withMemoryLimit<T>(_limit: string, fn: () => Promise<T>): Promise<T> {
    return await fn();
  }

  /** the client belongs to the caller, which may share it */
  async close(): Promise<void> {}

  /** start the statement and wait for it to succeed; returns its execution id */
  async #execute(text: string): Promise<string> {
    const token = requestToken(text, randomUUID());
    let id: string | undefined;
    try {
      const started = await withRetries(
        () =>
          this.#client.send(
            new StartQueryExecutionCommand({
              QueryString: text,
              WorkGroup: this.#workgroup,
              QueryExecutionContext: { Database: this.#database },
              ClientRequestToken: token,
            }),
          ),
        { ...this.#startRetry, retryable: isThrottling },
      );
      id = started.QueryExecutionId;
    } catch (e) {
      throw new QueryFailedError(`Athena refused to start the query: ${errorCode(e)}: ${errorMessage(e)}`, text, { cause: e });
    }
    if (id === undefined) throw new QueryFailedError('Athena returned no query execution id', text);

    const deadline = Date.now() + this.#deadlineMs;
    for (let poll = 0; ; poll++) {
      let q;
      try {
        q = (await this.#client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution;
      } catch (e) {
        throw new QueryFailedError(`Athena query ${id}: status check failed: ${errorCode(e)}: ${errorMessage(e)}`, text, { cause: e });
      }
      const state = q?.Status?.State;
      const reason = q?.Status?.StateChangeReason ?? q?.Status?.AthenaError?.ErrorMessage ?? 'no reason given';
      if (state === 'SUCCEEDED') {
        this.#onStatistics?.({
          queryExecutionId: id,
          dataScannedBytes: q?.Statistics?.DataScannedInBytes ?? 0,
          engineExecutionTimeMs: q?.Statistics?.EngineExecutionTimeInMillis ?? 0,
        });
        return id;
      }
      if (state === 'FAILED' || state === 'CANCELLED') {
        throw new AthenaQueryError(`Athena query ${id} ${state === 'FAILED' ? 'failed' : 'was cancelled'}: ${reason}`, text, id, state, reason);
      }
      if (Date.now() >= deadline) {
        try {
          await this.#client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
        } catch {
          // the deadline error below is what matters; a query that cannot be stopped ends at the workgroup's limits
        }
        const why = `still ${state ?? 'in an unknown state'} after ${Math.round(this.#deadlineMs / 1000)} s`;
        throw new AthenaQueryError(`Athena query ${id} stopped at its deadline: ${why}`, text, id, 'DEADLINE', why);
      }
      await sleep(Math.min(this.#poll.maxMs, this.#poll.baseMs * 1.5 ** poll, Math.max(0, deadline - Date.now())));
    }
  }
}

/** `query`'s rows written as ZSTD Parquet into the (empty) folder `url`, files named by Athena */
export function unloadSql(query: string, url: string): string {
  return `UNLOAD (\n${query}\n) TO '${url.replaceAll("'", "''")}' WITH (format = 'PARQUET', compression = 'ZSTD')`;
}

/** the bound statement, without the trailing semicolon Athena refuses inside UNLOAD */
function statement(sql: string, params: readonly SqlParam[]): string {
  return bindParams(sql, params).trim().replace(/;\s*$/, '');
}
