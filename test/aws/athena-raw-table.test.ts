/**
 * The `raw_records` of the Athena ingest (lib/ingest/athena/raw-table.ts) over a staged landing file: the landing
 * object copied server-side into the emulated S3 (fauxqs), its per-file OpenCSVSerde table created by DDL, and the
 * relation run through AthenaEngine with Athena answered by DuckDB. Columns are bound by the header's positions, the
 * raw record is rebuilt as quarantine keeps it locally (lib/csv.ts), a gzip copy reads as the plain one, and the SQL
 * around it parses with a real Trino grammar. Also the file's result table (lib/ingest/athena/result-table.ts).
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { TrinoSQL } from 'dt-sql-parser';
import { interceptLocalhostDns, startFauxqs, type FauxqsServer } from 'fauxqs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeAwsClients } from '../../lib/aws/clients.js';
import { csvQuoted } from '../../lib/csv.js';
import { NumberedLines } from '../../lib/ingest/athena/numbered-lines.js';
import { createLinesTableSql, createRawTableSql, dropTableSql, linesRawRecordsSql, rawRecordsSql, rawTableName, withItems } from '../../lib/ingest/athena/raw-table.js';
import { IngestDb } from '../../lib/ingest/sql/db.js';
import { DEVICE_FIELDS, ndjsonRawRecordsSql } from '../../lib/ingest/sql/ndjson-records.js';
import type { SqlFormat } from '../../lib/ingest/sql/format.js';
import { bindHeader } from '../../lib/ingest/sql/header.js';
import { resultTableName, resultTableSqls } from '../../lib/ingest/athena/result-table.js';
import { stageLandingFile, stageNumberedLines, stagedOutputFolder, stagedRawFolder, stagedResultFolder } from '../../lib/ingest/athena/stage.js';
import { AthenaEngine } from '../../lib/sql/athena.js';
import { S3ObjectStore } from '../../lib/store/s3.js';
import { AthenaOnDuckDb } from './athena-on-duckdb.js';

const athena = mockClient(AthenaClient);
// a header in its own order and case; a name with a comma, a quoted quote, an empty field, a field with a comma only
const RECORDS = [
  ['Birth_Date', 'PERSON_ID', 'name', 'note'],
  ['1950-02-01', 'P1', 'Smith, Ann', 'said "hi"'],
  ['1961-07-30', 'P2', '', 'plain'],
  ['', 'P3', 'Lee', ','],
];
const CSV = RECORDS.map((r) => r.map(csvQuoted).join(',')).join('\r\n') + '\r\n';
// the runner's binding: by name, any case and order; death_date absent (a NULL column)
const FORMAT: SqlFormat = {
  kind: 'csv',
  format: 'tuva-eligibility',
  query: 'tuva_eligibility',
  tables: [],
  columns: [{ name: 'person_id', aliases: ['patient_id'], required: true }, { name: 'birth_date' }, { name: 'death_date' }],
};
const HEADER = bindHeader(RECORDS[0]!, FORMAT);

// device NDJSON as feeds send it: a byte-order mark, CRLF, a blank line, JSON null, an absent field, a nested array, a
// line that is not JSON, one that is JSON but no object, a key sent twice, an escaped quote, no newline at the end
const NDJSON = [
  '\ufeff{"person_id":"P1","device_id":"D1","measured_at":"2026-03-04T07:11:23Z","code":"8867-4","value":70.50,"unit":"/min"}',
  '',
  '{"person_id":"P1","device_id":null,"code":"8867-4","value":1e2,"unit":"/min"}',
  '{"person_id":"P2","code":"85354-9","components":[{"code":"8480-6","value":132,"unit":"mm[Hg]"}],"unit":"a \\"b\\""}',
  '{"person_id":"P1",',
  '[1,2]',
  '   ',
  '{"person_id":"P3","person_id":"P4","value":null}',
].join('\r\n');

describe('raw_records on Athena over a staged landing file', () => {
  let server: FauxqsServer;
  let restoreDns: () => void;
  let work: string;
  let landing: S3ObjectStore;
  let lake: S3ObjectStore;
  let engine: AthenaEngine;

  beforeAll(async () => {
    server = await startFauxqs({ port: 0, logger: false, host: 'localhost' });
    restoreDns = interceptLocalhostDns();
    server.createBucket('landing');
    server.createBucket('lake');
    for (const [k, v] of Object.entries({ AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_ENDPOINT_URL_S3: `http://s3.localhost:${server.port}` })) {
      vi.stubEnv(k, v);
    }
    const clients = makeAwsClients();
    landing = new S3ObjectStore({ client: clients.s3, bucket: 'landing' });
    lake = new S3ObjectStore({ client: clients.s3, bucket: 'lake' });
    work = await mkdtemp(join(tmpdir(), 'stratify-raw-table-'));
    new AthenaOnDuckDb(lake, work).install(athena);
    engine = new AthenaEngine({ client: clients.athena, workgroup: 'stratify', database: 'stratify', store: lake, poll: { baseMs: 1, maxMs: 5 } });
  });

  afterAll(async () => {
    restoreDns?.();
    await server?.stop();
    vi.unstubAllEnvs();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it.each([
    ['plain', '0123456789abcdef', Buffer.from(CSV)],
    ['gzip', 'fedcba9876543210', gzipSync(CSV)],
  ])('binds the columns by position and rebuilds each raw record (%s)', async (kind, sha16, bytes) => {
    const key = `landing/2026-06-30/eligibility${kind === 'gzip' ? '.csv.gz' : '.csv'}`;
    await landing.put(key, bytes);
    await stageLandingFile(landing, key, bytes.length, lake, sha16, kind === 'gzip');
    const table = rawTableName(sha16);
    await engine.execute(createRawTableSql(table, 4, lake.urlOf(stagedRawFolder(sha16))));
    const sql = withItems('-- the format SQL reads raw_records\nselect * from raw_records order by person_id;\n', [['raw_records', rawRecordsSql(table, HEADER)]]);
    const rows = await engine.query(sql);
    expect(rows).toEqual(
      RECORDS.slice(1).map((r) => ({
        source_record: null, // Athena has no record number
        raw_record: r.map(csvQuoted).join(','),
        person_id: r[1],
        birth_date: r[0] === '' ? null : r[0], // an empty field is NULL, as the runner's raw_records gives it
        death_date: null,
      })),
    );
    expect(rows[0]!['raw_record']).toBe('1950-02-01,P1,"Smith, Ann","said ""hi"""');
    await engine.execute(dropTableSql(table));
    await expect(engine.query(`select * from ${table}`)).rejects.toThrow(/failed/);
  });

  it('puts raw_records first in the format SQL\'s own WITH, and the result parses as Trino', () => {
    const relation = rawRecordsSql('ingest_raw_0123456789abcdef', HEADER);
    const merged = withItems('/* header */ WITH kept AS (select * from raw_records) select * from kept', [['raw_records', relation]]);
    expect(merged).toMatch(/^WITH raw_records AS \([\s\S]*\),\nkept AS \(select \* from raw_records\) select \* from kept$/);
    const trino = new TrinoSQL();
    expect(trino.validate(merged)).toEqual([]);
    expect(trino.validate(withItems('select person_id from raw_records', [['raw_records', relation]]))).toEqual([]);
    expect(() => rawRecordsSql('ingest_raw_0123456789abcdef', { width: 4, columns: [{ name: 'person_id', field: 'person_id', position: 5 }] })).toThrow(
      /no position 5 in 4 columns/,
    );
    expect(() => rawTableName('../x')).toThrow(/content hash/);
  });

  it('makes a result table once from the staged file, in its staging folder, which later queries read; refuses columns no Hive table holds', async () => {
    const sha16 = '00112233445566aa';
    await landing.put('landing/result.csv', Buffer.from(CSV));
    await stageLandingFile(landing, 'landing/result.csv', CSV.length, lake, sha16, false);
    const raw = rawTableName(sha16);
    await engine.execute(createRawTableSql(raw, 4, lake.urlOf(stagedRawFolder(sha16))));
    const query = withItems('select person_id, birth_date, raw_record from raw_records', [['raw_records', rawRecordsSql(raw, HEADER)]]);
    const result = resultTableName(sha16);
    const statements = resultTableSqls(result, query, lake.urlOf(stagedResultFolder(sha16)));
    // the CTAS and the INSERT parse as Trino (ALTER TABLE SET LOCATION is Athena's Hive DDL, not Trino's grammar)
    expect(new TrinoSQL().validate(statements[0]!)).toEqual([]);
    expect(new TrinoSQL().validate(statements[2]!)).toEqual([]);
    for (const sql of statements) await engine.execute(sql);
    expect((await lake.list(stagedResultFolder(sha16))).length).toBe(1);
    // 3 records; P2's birth_date empty is NULL
    expect(await engine.query(`select person_id, birth_date from ${result} order by person_id`)).toEqual([
      { person_id: 'P1', birth_date: '1950-02-01' },
      { person_id: 'P2', birth_date: '1961-07-30' },
      { person_id: 'P3', birth_date: null },
    ]);
    // the name is taken until the table is dropped
    await expect(engine.execute(statements[0]!)).rejects.toThrow(/already exists/);
    await engine.execute(dropTableSql(result));
    // a timestamp with a time zone is no Hive column type, nor are two columns of one name: Athena fails the statement
    for (const [select, error] of [
      ["select cast('2026-06-30 07:00:00+00' as timestamp with time zone) as measured_at", /Unsupported Hive type for column measured_at/],
      ['select 1 as one, 2 as one', /Column name 'one' specified more than once/],
    ] as const) {
      const statements = resultTableSqls(result, select, lake.urlOf(stagedOutputFolder(sha16, 'refused')));
      await engine.execute(statements[0]!);
      await engine.execute(statements[1]!);
      await expect(engine.execute(statements[2]!)).rejects.toThrow(error);
      await engine.execute(dropTableSql(result));
    }
  });

  it('numbers an NDJSON file\'s lines however its chunks are cut, CR and byte-order mark dropped', async () => {
    const bytes = Buffer.from(NDJSON);
    const numbered = new NumberedLines();
    // one byte a chunk: a line, a CRLF and the mark all cut across chunks
    const out = Buffer.concat(await Readable.from([...bytes].map((b) => Buffer.from([b]))).pipe(numbered).toArray());
    const expected = NDJSON.replace('\ufeff', '').split('\r\n').map((l, i) => `${i + 1}\x01${l}\n`).join('');
    expect(out.toString()).toBe(expected);
    expect(numbered.lines).toBe(8);
  });

  it.each([
    ['plain', '1111222233334444', false],
    ['gzip', '5555666677778888', true],
  ])('gives an NDJSON file\'s raw_records as the local runner does: numbers, lines, each field\'s JSON text (%s)', async (_kind, sha16, gzip) => {
    const bytes = gzip ? gzipSync(NDJSON) : Buffer.from(NDJSON);
    expect(await stageNumberedLines({ name: 'landing/devices.ndjson', size: bytes.length, open: () => Readable.from([bytes]) }, gzip, 'utf8', lake, sha16)).toBe(8);
    const table = rawTableName(sha16);
    await engine.execute(createLinesTableSql(table, lake.urlOf(stagedRawFolder(sha16))));
    const onAthena = await engine.query(withItems('select * from raw_records order by source_record', [['raw_records', linesRawRecordsSql(table, DEVICE_FIELDS)]]));
    const path = join(work, `devices-${sha16}.ndjson${gzip ? '.gz' : ''}`);
    await writeFile(path, bytes);
    const db = await IngestDb.open();
    try {
      for (const statement of ndjsonRawRecordsSql({ path, gzip, encoding: 'utf8' })) await db.run(statement);
      const local = await db.query('select * from raw_records order by source_record');
      // lines 2 and 7 are blank (numbered, not read): 6 records, numbered as the file's lines
      expect(onAthena.map((r) => r['source_record'])).toEqual([1, 3, 4, 5, 6, 8]);
      expect(onAthena).toEqual(local);
      // JSON null and absent are both NULL; the line that is not JSON has no field
      expect(onAthena[1]).toMatchObject({ device_id: null, measured_at: null, unit: '"/min"' });
      expect(onAthena[3]).toMatchObject({ raw_record: '{"person_id":"P1",', person_id: null });
    } finally {
      db.close();
    }
    await engine.execute(dropTableSql(table));
    const trino = new TrinoSQL();
    expect(trino.validate(withItems('select * from raw_records', [['raw_records', linesRawRecordsSql(table, DEVICE_FIELDS)]]))).toEqual([]);
  });
});
