/**
 * The Athena ingest of a SQL-format landing file through the real ingest handler (S3 in memory, Athena answered by
 * DuckDB): within the invocation for a file up to `deploy.ingest_large_file_bytes`, handed to the ingest state
 * machine above it (its StartExecution mocked: no Step Functions off AWS; its steps run by ingest-machine.ts), and the
 * failures: a state machine that cannot be started, a query that fails. Each ends with the file fully committed or
 * nothing of it left (parts, quarantine, staging copy, table, marker).
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as ingestHandler } from '../../functions/ingest.js';
import { athenaEngine } from '../../functions/shared/wiring.js';
import { planAthenaIngest, type AthenaIngestPlan } from '../../lib/ingest/athena/plan.js';
import { INGEST_MACHINE_TIMEOUT_MS } from '../../lib/ingest/athena/machine.js';
import { readParquetFolder } from '../../lib/parquet/reader.js';
import { S3ObjectStore } from '../../lib/store/s3.js';
import { members, observations } from '../../lib/tables/index.js';
import { ingest } from '../../lib/pipeline/ingest.js';
import { quarantineLines, testContext, textSource } from '../ingest/helpers.js';
import { AthenaOnDuckDb } from './athena-on-duckdb.js';
import { runIngestMachine } from './ingest-machine.js';
import { lambdaContext } from './lambda-context.js';
import { captureConsole } from './powertools-output.js';
import { HANDLER_ENV, memoryS3, notification } from './sdk-fakes.js';

// the older layout (patient_id), columns in their own order; P3's span ends before it starts
const ELIGIBILITY = [
  'enrollment_end_date,patient_id,gender,birth_date,enrollment_start_date',
  '2026-12-31,P1,female,1950-06-15,2024-01-01',
  '2026-12-31,P2,male,1961-02-03,2025-01-01',
  '2023-12-31,P3,female,1970-01-01,2024-01-01',
].join('\n') + '\n';
const GIB = 2 ** 30;

// device readings of P1 and P2 (known from ELIGIBILITY), with the bad lines a device feed sends
const reading = (fields: Record<string, unknown>) => JSON.stringify({ person_id: 'P1', device_id: 'SCALE-1', ...fields });
const weight = (day: string, kg: number) => reading({ measured_at: `2026-03-${day}T07:00:00Z`, code: '29463-7', value: kg, unit: 'kg' });
const DEVICE_LINES = [
  reading({ device_id: 'GLU-1', measured_at: '2026-03-04T07:11:23-05:00', code: '41653-7', value: 110, unit: 'mg/dL' }), // 1 accepted
  '{"person_id":"P1","device_id":', // 2 not valid JSON
  '', // 3 blank: numbered, not read
  reading({ device_id: null, measured_at: '2026-03-04T08:00:00Z', code: '8867-4', value: 70, unit: '/min' }), // 4 JSON null device_id
  JSON.stringify({ person_id: 'P2', device_id: 'BP-1', measured_at: '2026-03-05T08:00:00+01:00', code: '85354-9', components: [
    { code: '8480-6', value: 132, unit: 'mm[Hg]' },
    { code: '8462-4', value: 84, unit: 'mm[Hg]' },
  ] }), // 5 a blood-pressure panel: 1 record, 2 observations
  weight('01', 80), // 6
  weight('02', 80.4), // 7
  weight('03', 79.8), // 8
  weight('04', 176.4), // 9 176.4 / 80 (the median of 6-8) = 2.205: pounds labelled kg
  reading({ device_id: 'GLU-1', measured_at: '2099-01-01T00:00:00Z', code: '41653-7', value: 120, unit: 'mg/dL' }), // 10 clock fault
].join('\n') + '\n';

const sha16Of = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);
const keysUnder = (objects: Map<string, Buffer>, prefix: string) => [...objects.keys()].filter((k) => k.startsWith(`stratify-lake/${prefix}`)).sort();

describe('Athena ingest through the ingest handler', () => {
  const s3 = mockClient(S3Client);
  const athena = mockClient(AthenaClient);
  const sfn = mockClient(SFNClient);
  let objects: Map<string, Buffer>;
  let work: string;
  let double: AthenaOnDuckDb;
  const lake = () => new S3ObjectStore({ client: new S3Client({}), bucket: 'stratify-lake' });
  /** the first line of each query that read the per-file table `table` */
  const readsOf = (table: string) => double.executions.filter((e) => e.reads.includes(table)).map((e) => e.sql.split('\n')[0]);
  const deliver = (key: string, size: number) =>
    ingestHandler({ Records: [{ messageId: key, body: notification('stratify-landing', key, size) }] } as SQSEvent, lambdaContext('ingest'));
  /** delivers `text` as `key` above the threshold; returns the plan the state machine was started on */
  const handedOver = async (key: string, text: string) => {
    objects.set(`stratify-landing/${key}`, Buffer.from(text));
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'x', startDate: new Date() });
    expect(await deliver(key, GIB + 1)).toEqual({ batchItemFailures: [] });
    return JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.input!) as AthenaIngestPlan;
  };

  beforeAll(async () => {
    for (const [k, v] of Object.entries(HANDLER_ENV)) vi.stubEnv(k, v);
    vi.stubEnv('STRATIFY_INGEST_STATE_MACHINE', 'arn:aws:states:us-east-1:123456789012:stateMachine:stratify-ingest');
    objects = memoryS3(s3);
    captureConsole();
    work = await mkdtemp(join(tmpdir(), 'stratify-athena-ingest-'));
    double = new AthenaOnDuckDb(lake(), work);
    double.install(athena);
  });

  beforeEach(() => sfn.reset());

  afterAll(async () => {
    vi.unstubAllEnvs();
    s3.restore();
    athena.restore();
    sfn.restore();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('runs the queries within the invocation for a file up to the threshold, and commits it as the local runner does', async () => {
    objects.set('stratify-landing/landing/eligibility.csv', Buffer.from(ELIGIBILITY));
    expect(await deliver('landing/eligibility.csv', ELIGIBILITY.length)).toEqual({ batchItemFailures: [] });
    const sha16 = sha16Of(ELIGIBILITY);
    // the staged file is read by one query, which fills the result table; members and the rejected records read that
    expect(readsOf(`ingest_raw_${sha16}`)).toEqual([`INSERT INTO ingest_result_${sha16}`]);
    expect(readsOf(`ingest_result_${sha16}`)).toEqual(['UNLOAD (', 'UNLOAD (']);
    const manifest = JSON.parse(objects.get(`stratify-lake/manifests/${sha16}.json`)!.toString()) as Record<string, unknown>;
    // 3 records read: P1 and P2 accepted, P3 quarantined (its end before its start)
    expect(manifest).toMatchObject({ file: 'landing/eligibility.csv', format: 'tuva-eligibility', read: 3, accepted: 2, quarantined: 1, skipped: 0, rows: { members: 2 } });
    expect(manifest['reasons']).toEqual({ 'enrollment_end_date before enrollment_start_date': 1 });
    const lines = objects.get(`stratify-lake/quarantine/${sha16}.ndjson`)!.toString().trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual([
      {
        file: 'landing/eligibility.csv',
        record: null, // Athena has no record number: the raw record says which
        field: 'enrollment_end_date',
        reason: 'enrollment_end_date before enrollment_start_date',
        value: '2023-12-31',
        raw: '2023-12-31,P3,female,1970-01-01,2024-01-01',
      },
    ]);
    // what the local runner (DuckDB) makes of the same file: the same manifest, the same lines but for their record number
    const local = await testContext();
    try {
      const [report] = await ingest(local, [textSource('landing/eligibility.csv', ELIGIBILITY)]);
      const { ingested_at: _a, ...onAws } = manifest;
      const { ingested_at: _b, replaced: _c, ...onLocal } = JSON.parse(Buffer.from(await local.store.get(`manifests/${sha16}.json`)).toString()) as Record<string, unknown>;
      expect(report).toMatchObject({ read: 3, quarantined: 1 });
      expect(onAws).toEqual(onLocal);
      expect((await quarantineLines(local)).map((l) => ({ ...l, record: null }))).toEqual(lines);
    } finally {
      await local.dispose();
    }
    expect(keysUnder(objects, 'curated/members/')).toEqual([`stratify-lake/curated/members/${sha16}-0000.parquet`]);
    const rows = await readParquetFolder(lake(), 'curated/members/', members);
    expect(rows.map((r) => [r.person_id, r.sex, r.birth_date, r.enrollment_start_date, r.source_record]).sort()).toEqual([
      ['P1', 'female', '1950-06-15', '2024-01-01', null],
      ['P2', 'male', '1961-02-03', '2025-01-01', null],
    ]);
    // nothing left but the commit: no staging copy, no marker, the file's table dropped
    expect(keysUnder(objects, 'staging/')).toEqual([]);
    expect(keysUnder(objects, 'ingesting/')).toEqual([]);
    expect(double.executions.at(-1)!.sql).toBe(`DROP TABLE IF EXISTS ingest_raw_${sha16}`);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('hands a file above the threshold to the state machine, which commits it through the function and releases its marker', async () => {
    const text = ELIGIBILITY.replace('P2', 'P4');
    objects.set('stratify-landing/landing/eligibility-2.csv', Buffer.from(text));
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:stratify-ingest:x', startDate: new Date() });
    // the notification's size decides: 1 GiB + 1 byte, above the default threshold of 1 GiB
    expect(await deliver('landing/eligibility-2.csv', GIB + 1)).toEqual({ batchItemFailures: [] });
    const [call] = sfn.commandCalls(StartExecutionCommand);
    const plan = JSON.parse(call!.args[0].input.input!) as AthenaIngestPlan;
    const sha16 = sha16Of(text);
    expect(call!.args[0].input.name).toMatch(new RegExp(`^${sha16}-\\d+$`));
    // the file's table; its result table, made without data, moved to the staging folder and filled by the one query
    // that reads the file; then an UNLOAD of members and one of the records not accepted, both from the result table
    expect(plan.statements.map((s) => s.sql.split('\n')[0])).toEqual([
      `CREATE EXTERNAL TABLE IF NOT EXISTS ingest_raw_${sha16} (`,
      `CREATE TABLE ingest_result_${sha16} WITH (format = 'PARQUET', write_compression = 'ZSTD') AS`,
      `ALTER TABLE ingest_result_${sha16} SET LOCATION 's3://stratify-lake/staging/${sha16}/result/'`,
      `INSERT INTO ingest_result_${sha16}`,
      'UNLOAD (',
      'UNLOAD (',
    ]);
    // meanwhile: staged, no manifest, the marker leased for the machine's whole timeout with the plan's token
    expect(keysUnder(objects, `staging/${sha16}/raw/`)).toEqual([`stratify-lake/staging/${sha16}/raw/data.csv`]);
    expect(objects.has(`stratify-lake/manifests/${sha16}.json`)).toBe(false);
    const marker = JSON.parse(objects.get(`stratify-lake/ingesting/${sha16}.json`)!.toString()) as { token: string; lease_until: string };
    expect(marker.token).toBe(plan.markerToken);
    expect(Date.parse(marker.lease_until) - Date.now()).toBeGreaterThan(INGEST_MACHINE_TIMEOUT_MS - 60_000);
    const machine = await runIngestMachine(new AthenaClient({}), { workgroup: 'stratify', database: 'stratify' }, plan, (e) => ingestHandler(e, lambdaContext('ingest')));
    expect(machine).toBe('Ingested');
    expect(readsOf(`ingest_raw_${sha16}`)).toEqual([`INSERT INTO ingest_result_${sha16}`]);
    expect(JSON.parse(objects.get(`stratify-lake/manifests/${sha16}.json`)!.toString())).toMatchObject({ read: 3, accepted: 2, quarantined: 1 });
    expect(keysUnder(objects, 'staging/')).toEqual([]);
    expect(keysUnder(objects, 'ingesting/')).toEqual([]);
  });

  it('fails the message and leaves nothing when the state machine cannot be started', async () => {
    const text = ELIGIBILITY.replace('P2', 'P5');
    objects.set('stratify-landing/landing/eligibility-3.csv', Buffer.from(text));
    sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    expect(await deliver('landing/eligibility-3.csv', GIB + 1)).toEqual({ batchItemFailures: [{ itemIdentifier: 'landing/eligibility-3.csv' }] });
    const sha16 = sha16Of(text);
    // the marker is released at once (not left leased for 6 hours), so SQS's next delivery ingests the file
    expect(keysUnder(objects, 'ingesting/')).toEqual([]);
    expect(keysUnder(objects, `staging/${sha16}/`)).toEqual([]);
    expect(objects.has(`stratify-lake/manifests/${sha16}.json`)).toBe(false);
  });

  it('removes what a file wrote and releases its marker when a query of the state machine fails', async () => {
    const text = ELIGIBILITY.replace('P2', 'P6');
    const plan = await handedOver('landing/eligibility-4.csv', text);
    // the members UNLOAD runs, then the last one fails
    const failing = { ...plan, statements: [...plan.statements.slice(0, -1), { sql: 'SELECT * FROM no_such_table', token: 't' }] };
    const machine = await runIngestMachine(new AthenaClient({}), { workgroup: 'stratify', database: 'stratify' }, failing, (e) => ingestHandler(e, lambdaContext('ingest')));
    expect(machine).toBe('NotIngested');
    const sha16 = sha16Of(text);
    expect(keysUnder(objects, `curated/members/${sha16}`)).toEqual([]);
    expect(keysUnder(objects, `staging/${sha16}/`)).toEqual([]);
    expect(double.tableNames().filter((t) => t.endsWith(sha16))).toEqual([]);
    expect(keysUnder(objects, 'ingesting/')).toEqual([]);
    expect(objects.has(`stratify-lake/manifests/${sha16}.json`)).toBe(false);
  });

  it("drops the tables of an ingest whose state machine died, with its staging folder, at the next file's ingest", async () => {
    const text = ELIGIBILITY.replace('P2', 'P7');
    const plan = await handedOver('landing/eligibility-5.csv', text);
    // the execution ran the queries and stopped before its commit (timed out); its marker's lease then ran out
    const engine = athenaEngine(lake());
    for (const s of plan.statements) await engine.execute(s.sql);
    const sha16 = sha16Of(text);
    const tables = [`ingest_raw_${sha16}`, `ingest_result_${sha16}`];
    expect(double.tableNames()).toEqual(expect.arrayContaining(tables));
    const markerKey = `stratify-lake/ingesting/${sha16}.json`;
    const marker = JSON.parse(objects.get(markerKey)!.toString()) as Record<string, unknown>;
    objects.set(markerKey, Buffer.from(JSON.stringify({ ...marker, lease_until: new Date(Date.now() - 1000).toISOString() })));
    // the next delivery, of another file, sweeps what the dead ingest left: tables, staging folder, marker
    const next = ELIGIBILITY.replace('P2', 'P8');
    objects.set('stratify-landing/landing/eligibility-6.csv', Buffer.from(next));
    expect(await deliver('landing/eligibility-6.csv', next.length)).toEqual({ batchItemFailures: [] });
    expect(double.tableNames().filter((t) => t.endsWith(sha16))).toEqual([]);
    expect(keysUnder(objects, `staging/${sha16}/`)).toEqual([]);
    expect(objects.has(markerKey)).toBe(false);
    expect(objects.has(`stratify-lake/manifests/${sha16}.json`)).toBe(false);
    expect(objects.has(`stratify-lake/manifests/${sha16Of(next)}.json`)).toBe(true);
  });

  it('ingests device NDJSON in the invocation as the local runner does: record numbers, accepted records, quarantine lines', async () => {
    objects.set('stratify-landing/landing/devices.ndjson', Buffer.from(DEVICE_LINES));
    expect(await deliver('landing/devices.ndjson', DEVICE_LINES.length)).toEqual({ batchItemFailures: [] });
    const sha16 = sha16Of(DEVICE_LINES);
    // the staged lines are read twice: by the query that fills the result table, and for the raw line of each record
    // not accepted (the result does not carry it: lib/ingest/sql/devices.ts); the accepted records are counted by Athena
    expect(readsOf(`ingest_raw_${sha16}`)).toEqual([`INSERT INTO ingest_result_${sha16}`, 'UNLOAD (']);
    expect(readsOf(`ingest_result_${sha16}`)).toEqual(['UNLOAD (', 'UNLOAD (', 'UNLOAD (']);
    const manifest = JSON.parse(objects.get(`stratify-lake/manifests/${sha16}.json`)!.toString()) as Record<string, unknown>;
    // 9 non-blank lines read; accepted 1, 5, 6, 7, 8 = 5 records (6 observations: the panel gives 2); quarantined 2, 4, 9, 10
    expect(manifest).toMatchObject({ format: 'device-ndjson', read: 9, accepted: 5, quarantined: 4, skipped: 0, rows: { observations: 6 } });
    const lines = objects.get(`stratify-lake/quarantine/${sha16}.ndjson`)!.toString().trim().split('\n').map((l) => JSON.parse(l) as { record: number; field: string });
    expect(lines.map((l) => [l.record, l.field])).toEqual([
      [2, ''],
      [4, 'device_id'],
      [9, 'value'],
      [10, 'measured_at'],
    ]);
    // the local runner (DuckDB) on the same persons and file: the same manifest and the same lines, record numbers included
    const local = await testContext();
    try {
      await ingest(local, [textSource('landing/eligibility.csv', ELIGIBILITY)]);
      await ingest(local, [textSource('landing/devices.ndjson', DEVICE_LINES)]);
      const { ingested_at: _a, ...onAws } = manifest;
      const { ingested_at: _b, replaced: _c, ...onLocal } = JSON.parse(Buffer.from(await local.store.get(`manifests/${sha16}.json`)).toString()) as Record<string, unknown>;
      expect(onAws).toEqual(onLocal);
      expect((await quarantineLines(local)).filter((l) => l.file === 'landing/devices.ndjson')).toEqual(lines);
      const rowsOf = async (store: S3ObjectStore | typeof local.store) =>
        (await readParquetFolder(store, 'curated/observations/', observations)).map((r) => [r.source_record, r.loinc_code, r.value, r.observed_at]).sort();
      expect(await rowsOf(lake())).toEqual(await rowsOf(local.store));
    } finally {
      await local.dispose();
    }
    // staged numbered, then removed
    expect(keysUnder(objects, 'staging/')).toEqual([]);
  });

  it('refuses a vendor device CSV, whose query needs the --map mapping the function does not take, naming the way', () => {
    const sha256 = 'c'.repeat(64);
    const fp = { sha256, sha16: sha256.slice(0, 16), bytes: 10, gzip: false, head: 'PatientMRN,Reading\n' };
    const vendor = { kind: 'csv', format: 'vendor-csv', query: async () => 'select 1', tables: [observations], columns: [] } as const;
    expect(() => planAthenaIngest({ lake: lake(), file: 'landing/hub.csv', fp, format: vendor, notes: [], params: {} })).toThrow(
      'landing/hub.csv: a vendor device CSV is read through a --map mapping, which the AWS ingest function does not take: ingest it with `stratify ingest --map`',
    );
  });
});
