/**
 * AthenaEngine against a mocked Athena client: throttled starts, FAILED / CANCELLED with Athena's reason, the
 * deadline, one ClientRequestToken per call across retries, typed results and the header row, UNLOAD for
 * materialize with its rows counted from the Parquet it wrote.
 */
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetQueryRuntimeStatisticsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type QueryExecutionState,
} from '@aws-sdk/client-athena';
import { DeleteObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AthenaEngine, AthenaQueryError, type AthenaEngineOptions } from '../../lib/sql/athena.js';
import { QueryFailedError, type QueryStatistics } from '../../lib/sql/port.js';
import { S3ObjectStore } from '../../lib/store/s3.js';
import { rowsToParquet } from '../../lib/parquet/writer.js';
import { defineTable } from '../../lib/tables/define.js';
import { memoryS3, serviceError } from './sdk-fakes.js';

const athena = mockClient(AthenaClient);
const s3 = mockClient(S3Client);

function engine(options: Partial<AthenaEngineOptions> = {}): AthenaEngine {
  return new AthenaEngine({
    ...options,
    client: new AthenaClient({ region: 'us-east-1' }),
    workgroup: 'stratify',
    database: 'stratify_db',
    store: new S3ObjectStore({ client: new S3Client({ region: 'us-east-1' }), bucket: 'lake' }),
    deadlineMs: 200,
    poll: { baseMs: 5, maxMs: 20 },
    startRetry: { attempts: 4, baseMs: 1, maxMs: 5 },
  });
}

function state(s: QueryExecutionState, reason?: string) {
  return { QueryExecution: { QueryExecutionId: 'q1', Status: { State: s, ...(reason ? { StateChangeReason: reason } : {}) } } };
}

const col = (Name: string, Type: string) => ({ Name, Type });
const row = (...values: (string | undefined)[]) => ({ Data: values.map((v) => (v === undefined ? {} : { VarCharValue: v })) });

describe('AthenaEngine', () => {
  beforeEach(() => {
    athena.reset();
    s3.reset();
  });

  it('retries a throttled start with the same ClientRequestToken, then returns typed rows', async () => {
    athena
      .on(StartQueryExecutionCommand)
      .rejectsOnce(serviceError('TooManyRequestsException', 400, 'Query concurrency limit exceeded'))
      .rejectsOnce(serviceError('TooManyRequestsException', 400))
      .resolves({ QueryExecutionId: 'q1' });
    athena.on(GetQueryExecutionCommand).resolvesOnce(state('QUEUED')).resolvesOnce(state('RUNNING')).resolves(state('SUCCEEDED'));
    const columns = [col('person_id', 'varchar'), col('d', 'date'), col('n', 'integer'), col('b', 'bigint'), col('x', 'double'), col('ok', 'boolean'), col('at', 'timestamp'), col('as_of', 'varchar')];
    athena
      .on(GetQueryResultsCommand)
      .resolvesOnce({
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: columns },
          Rows: [row('person_id', 'd', 'n', 'b', 'x', 'ok', 'at', 'as_of'), row('P1', '2026-06-30', '3', '9007199254740991', '156.5', 'true', '2026-06-30 07:31:00.250', '2026-06-30')],
        },
        NextToken: 't2',
      })
      .resolvesOnce({ ResultSet: { ResultSetMetadata: { ColumnInfo: columns }, Rows: [row('P2', undefined, '0', '1', 'NaN', 'false', undefined, '2026-06-30')] } });

    const rows = await engine().query('select * from features where as_of_date = ? and person_id <> ?', [{ date: '2026-06-30' }, { string: "O'Brien" }]);

    expect(rows).toEqual([
      { person_id: 'P1', d: '2026-06-30', n: 3, b: 9007199254740991, x: 156.5, ok: true, at: Date.UTC(2026, 5, 30, 7, 31, 0, 250), as_of: '2026-06-30' },
      { person_id: 'P2', d: null, n: 0, b: 1, x: NaN, ok: false, at: null, as_of: '2026-06-30' },
    ]);
    expect(athena.commandCalls(StartQueryExecutionCommand).length).toBe(3);
    const inputs = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input);
    expect(new Set(inputs.map((i) => i.ClientRequestToken)).size).toBe(1);
    expect(inputs[0]!.ClientRequestToken).toMatch(/^[0-9a-f]{64}$/);
    expect(inputs[0]).toMatchObject({
      WorkGroup: 'stratify',
      QueryExecutionContext: { Database: 'stratify_db' },
      QueryString: "select * from features where as_of_date = DATE '2026-06-30' and person_id <> 'O''Brien'",
    });
    expect(athena.commandCalls(GetQueryResultsCommand)[1]!.args[0].input.NextToken).toBe('t2');
  });

  it('reports the bytes scanned and engine time of each query that succeeded (the features function publishes them)', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q1' });
    const succeeded = state('SUCCEEDED');
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: { ...succeeded.QueryExecution, Statistics: { DataScannedInBytes: 52_428_800, EngineExecutionTimeInMillis: 4_210, TotalExecutionTimeInMillis: 4_900 } },
    });
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [] }, Rows: [] } });
    const seen: QueryStatistics[] = [];
    await engine({ onStatistics: (s) => seen.push(s) }).query('select 1');
    expect(seen).toEqual([{ queryExecutionId: 'q1', dataScannedBytes: 52_428_800, engineExecutionTimeMs: 4_210 }]);
  });

  it('gives each call its own token, so a repeated query is a new execution', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q1' });
    athena.on(GetQueryExecutionCommand).resolves(state('SUCCEEDED'));
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [] }, Rows: [] } });
    const e = engine();
    await e.query('select distinct person_id from members');
    await e.query('select distinct person_id from members');
    const tokens = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input.ClientRequestToken);
    expect(tokens[0]).not.toBe(tokens[1]);
  });

  it("surfaces a FAILED query with Athena's StateChangeReason", async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q1' });
    athena.on(GetQueryExecutionCommand).resolves(state('FAILED', "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved"));
    const err = await engine().query('select nope from members').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AthenaQueryError);
    expect(err).toBeInstanceOf(QueryFailedError);
    expect((err as AthenaQueryError).message).toBe("Athena query q1 failed: COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved");
    expect((err as AthenaQueryError).state).toBe('FAILED');
    expect((err as AthenaQueryError).sql).toBe('select nope from members');
  });

  it('surfaces a CANCELLED query with its reason', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q1' });
    athena.on(GetQueryExecutionCommand).resolvesOnce(state('RUNNING')).resolves(state('CANCELLED', 'Query cancelled by user'));
    await expect(engine().query('select 1')).rejects.toThrow('Athena query q1 was cancelled: Query cancelled by user');
  });

  it('stops a query still running at its deadline and says so', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q1' });
    athena.on(GetQueryExecutionCommand).resolves(state('RUNNING'));
    athena.on(StopQueryExecutionCommand).resolves({});
    const err = (await engine().query('select 1').catch((e: unknown) => e)) as AthenaQueryError;
    expect(err.state).toBe('DEADLINE');
    expect(err.message).toMatch(/^Athena query q1 stopped at its deadline: still RUNNING after 0 s$/);
    expect(athena.commandCalls(StopQueryExecutionCommand)[0]!.args[0].input.QueryExecutionId).toBe('q1');
  });

  it('does not retry a start refused for a reason other than throttling', async () => {
    athena.on(StartQueryExecutionCommand).rejects(serviceError('InvalidRequestException', 400, 'line 1:1: mismatched input'));
    await expect(engine().query('selec 1')).rejects.toThrow('Athena refused to start the query: InvalidRequestException: line 1:1: mismatched input');
    expect(athena.commandCalls(StartQueryExecutionCommand).length).toBe(1);
  });

  it('gives up on throttling after its attempts, naming the error', async () => {
    athena.on(StartQueryExecutionCommand).rejects(serviceError('TooManyRequestsException', 400, 'Rate exceeded'));
    await expect(engine().query('select 1')).rejects.toThrow('Athena refused to start the query: TooManyRequestsException: Rate exceeded');
    expect(athena.commandCalls(StartQueryExecutionCommand).length).toBe(4);
  });

  it('refuses a parameter that is not a calendar date before calling Athena', async () => {
    await expect(engine().query('select ?', [{ date: "2026-06-30' or 1=1 --" }])).rejects.toThrow(/calendar date/);
    expect(athena.commandCalls(StartQueryExecutionCommand).length).toBe(0);
  });

  it('skips the first row of the first page whatever it holds, and keeps a later row equal to the column names', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q1' });
    athena.on(GetQueryExecutionCommand).resolves(state('SUCCEEDED'));
    const columns = [{ Name: 'code', Label: 'Code', Type: 'varchar' }];
    athena
      .on(GetQueryResultsCommand)
      // the header row carries the label, not the name: comparing it with the names would keep it as a row
      .resolvesOnce({ ResultSet: { ResultSetMetadata: { ColumnInfo: columns }, Rows: [row('Code'), row('code')] }, NextToken: 't2' })
      .resolvesOnce({ ResultSet: { ResultSetMetadata: { ColumnInfo: columns }, Rows: [row('Code')] } });
    expect(await engine().query('select code from codes')).toEqual([{ code: 'code' }, { code: 'Code' }]);
  });

  it('materializes as an UNLOAD to the cleared folder of the key, in ZSTD Parquet, counting the rows of the files it wrote', async () => {
    const objects = memoryS3(s3);
    const table = defineTable('t', 't/', 'test', [['person_id', 'string', 'required', 'person']]);
    objects.set('lake/t/as_of=2026-06-30/old_0', Buffer.from(rowsToParquet(table, [{ person_id: 'P0' }])));
    athena.on(StartQueryExecutionCommand).callsFake(() => {
      // the UNLOAD writes two files, of two rows and one
      objects.set('lake/t/as_of=2026-06-30/q1_0', Buffer.from(rowsToParquet(table, [{ person_id: 'P1' }, { person_id: 'P2' }])));
      objects.set('lake/t/as_of=2026-06-30/q1_1', Buffer.from(rowsToParquet(table, [{ person_id: 'P3' }])));
      return { QueryExecutionId: 'q1' };
    });
    athena.on(GetQueryExecutionCommand).resolves(state('SUCCEEDED'));

    const n = await engine().materialize('select * from x where d = ?;\n', 't/as_of=2026-06-30/t.parquet', [{ date: '2026-06-30' }]);

    expect(n).toBe(3);
    expect(s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input.Key)).toEqual(['t/as_of=2026-06-30/old_0']);
    expect(athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input.QueryString).toBe(
      "UNLOAD (\nselect * from x where d = DATE '2026-06-30'\n) TO 's3://lake/t/as_of=2026-06-30/' WITH (format = 'PARQUET', compression = 'ZSTD')",
    );
    // OutputRows of the runtime statistics counts rows returned, not rows UNLOADed: never asked
    expect(athena.commandCalls(GetQueryRuntimeStatisticsCommand)).toHaveLength(0);
  });

  it('names the query and the folder when the UNLOADed files cannot be read back', async () => {
    // the folder is listed to clear it, then refused when listed to count what the UNLOAD wrote
    s3.on(ListObjectsV2Command).resolvesOnce({ Contents: [], IsTruncated: false }).rejects(serviceError('AccessDenied', 403, 'Access Denied'));
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q1' });
    athena.on(GetQueryExecutionCommand).resolves(state('SUCCEEDED'));
    const err = await engine().materialize('select 1', 't/as_of=2026-06-30/t.parquet').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryFailedError);
    expect((err as Error).message).toMatch(/^Athena query q1: counting the rows UNLOADed to s3:\/\/lake\/t\/as_of=2026-06-30\/ failed: S3 list/);
  });
});
