/**
 * The AWS path end to end on loopback: S3 and SQS served by fauxqs on 127.0.0.1, Athena's client answered by DuckDB
 * (athena-on-duckdb.ts), and the real handlers run in order on a generated demo population: ingest (S3 notifications
 * through SQS), features, score in shards and dispatch per partner at once (the state machine's path for a large
 * population), then a partner's feedback drop. The flagged members must be those of a
 * local run on the same population, the messages must really be in the partners' queues, and a second dispatch must
 * send nothing.
 *
 * The files of a SQL format (queries/ingest/) above a test threshold of `deploy.ingest_large_file_bytes` take the
 * large-file path: the function stages them and starts the ingest state machine (its StartExecution captured by
 * aws-sdk-client-mock: no Step Functions runs off AWS), whose steps ingest-machine.ts runs (the Athena .sync queries,
 * then the function's commit). Their curated rows, counts and quarantine lines must be the local ingest's, but for the
 * record numbers Athena does not have for a CSV file (device NDJSON is staged numbered and keeps them).
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { interceptLocalhostDns, startFauxqs, type FauxqsServer } from 'fauxqs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as dispatchHandler, type Dispatched, type PartnerDispatched } from '../../functions/dispatch.js';
import { handler as feedbackHandler } from '../../functions/feedback.js';
import { handler as featuresHandler } from '../../functions/features.js';
import { handler as ingestHandler } from '../../functions/ingest.js';
import { handler as scoreHandler } from '../../functions/score.js';
import { makeAwsClients } from '../../lib/aws/clients.js';
import { openLocal, type LocalContext } from '../../lib/cli/local.js';
import { loadConfig } from '../../lib/config/index.js';
import { generateDemo } from '../../lib/demo/index.js';
import { readFeedback } from '../../lib/queue/feedback.js';
import { readTableRows } from '../../lib/parquet/reader.js';
import { runMetrics } from '../../lib/pipeline/metrics.js';
import { runPipeline, type RunResult } from '../../lib/pipeline/run.js';
import { S3ObjectStore } from '../../lib/store/s3.js';
import type { ShardPlan } from '../../lib/pipeline/score-shards.js';
import type { ObjectStore } from '../../lib/store/port.js';
import { CURATED_TABLES, data_quality, features, flags, scores } from '../../lib/tables/index.js';
import { readManifest, manifestKey } from '../../lib/ingest/manifests.js';
import type { AthenaIngestPlan } from '../../lib/ingest/athena/plan.js';
import { SQL_FORMATS } from '../../lib/ingest/sql/formats.js';
import { readParquetFolder } from '../../lib/parquet/reader.js';
import type { IngestManifest, QuarantineLine } from '../../lib/ingest/types.js';
import { AthenaOnDuckDb } from './athena-on-duckdb.js';
import { runIngestMachine } from './ingest-machine.js';
import { lambdaContext } from './lambda-context.js';
import { captureConsole } from './powertools-output.js';
import { notification } from './sdk-fakes.js';

const AS_OF = '2026-06-30';
const LANDING = 'stratify-landing';
const LAKE = 'stratify-lake';
/** the landing files of a SQL format above this many bytes go to the ingest state machine (the demo's eligibility is ~0.3 MB) */
const LARGE_FILE_BYTES = 64 * 1024;
vi.mock('../../lib/config/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../lib/config/index.js')>();
  return { ...original, loadConfig: (path?: string) => {
    const c = original.loadConfig(path);
    return { ...c, deploy: { ...c.deploy, ingest_large_file_bytes: LARGE_FILE_BYTES } };
  } };
});
const config = loadConfig();
const athena = mockClient(AthenaClient);
const sfn = mockClient(SFNClient);

/**
 * every message waiting in a queue, received ten at a time (they stay in flight, so a second call sees only new
 * ones), checking that each carries its idempotency key as a message attribute too
 */
async function receiveAll(sqs: SQSClient, url: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 300, WaitTimeSeconds: 0, MessageAttributeNames: ['All'] }),
    );
    if (Messages.length === 0) return bodies;
    for (const m of Messages) {
      expect(m.MessageAttributes?.['idempotency_key']?.StringValue).toBe((JSON.parse(m.Body!) as { idempotency_key: string }).idempotency_key);
      bodies.push(m.Body!);
    }
  }
}

const pairs = (rows: readonly { person_id: string; partner: string }[]) => rows.map((r) => `${r.partner}|${r.person_id}`).sort();

describe('AWS handlers on loopback S3/SQS with Athena answered by DuckDB', () => {
  let server: FauxqsServer;
  let restoreDns: () => void;
  let work: string;
  let athenaDouble: AthenaOnDuckDb;
  let local: LocalContext;
  let localRun: RunResult;
  let lake: S3ObjectStore;
  let sqs: SQSClient;
  let out: ReturnType<typeof captureConsole>;
  const queueUrls: Record<string, string> = {};

  beforeAll(async () => {
    server = await startFauxqs({ port: 0, logger: false, host: 'localhost' });
    restoreDns = interceptLocalhostDns();
    server.createBucket(LANDING);
    server.createBucket(LAKE);
    for (const { name } of config.partners) queueUrls[name] = server.createQueue(`stratify-${name}`).queueUrl;
    const env = {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_S3: `http://s3.localhost:${server.port}`,
      AWS_ENDPOINT_URL_SQS: `http://sqs.us-east-1.localhost:${server.port}`,
      STRATIFY_LANDING_BUCKET: LANDING,
      STRATIFY_LAKE_BUCKET: LAKE,
      STRATIFY_ATHENA_WORKGROUP: 'stratify',
      STRATIFY_GLUE_DATABASE: 'stratify',
      STRATIFY_QUEUE_URLS: JSON.stringify(queueUrls),
      STRATIFY_INGEST_STATE_MACHINE: 'arn:aws:states:us-east-1:123456789012:stateMachine:stratify-ingest',
    };
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
    out = captureConsole();

    const clients = makeAwsClients();
    sqs = clients.sqs;
    lake = new S3ObjectStore({ client: clients.s3, bucket: LAKE });
    work = await mkdtemp(join(tmpdir(), 'stratify-loopback-'));
    athenaDouble = new AthenaOnDuckDb(lake, join(work, 'athena'));
    athenaDouble.install(athena);

    // the same population, run locally for the reference, and delivered to the landing bucket
    local = await openLocal(join(work, 'local'), () => {});
    await generateDemo(local.store, { members: 1500, seed: 23, asOf: AS_OF });
    localRun = await runPipeline(local, AS_OF, config);
    const landing = new S3ObjectStore({ client: clients.s3, bucket: LANDING });
    for (const { key } of await local.store.list('landing/')) await landing.put(key, await local.store.get(key));
  });

  afterAll(async () => {
    await local?.engine.close();
    restoreDns?.();
    await server?.stop();
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('runs ingest, features, score and dispatch, flagging the members the local run flags, with their messages in the queues', async () => {
    // one file an invocation, as the deployed event source delivers them (batch size 1), eligibility first; a file
    // handed to the ingest state machine is committed by it before the next is delivered
    const started: AthenaIngestPlan[] = [];
    sfn.on(StartExecutionCommand).callsFake((input: { input: string; name: string }) => {
      started.push(JSON.parse(input.input) as AthenaIngestPlan);
      return { executionArn: `arn:aws:states:us-east-1:123456789012:execution:stratify-ingest:${input.name}`, startDate: new Date() };
    });
    const landed = (await local.store.list('landing/')).sort((a, b) => Number(!a.key.includes('eligibility')) - Number(!b.key.includes('eligibility')));
    for (const [i, { key, size }] of landed.entries()) {
      const event = { Records: [{ messageId: `m${i}`, body: notification(LANDING, encodeURIComponent(key).replaceAll('%2F', '/'), size) }] } as SQSEvent;
      expect(await ingestHandler(event, lambdaContext('ingest')), key).toEqual({ batchItemFailures: [] });
      const plan = started.find((p) => p.file === key);
      if (plan !== undefined) {
        expect(await runIngestMachine(makeAwsClients().athena, { workgroup: 'stratify', database: 'stratify' }, plan, (e) => ingestHandler(e, lambdaContext('ingest'))), key).toBe('Ingested');
      }
    }
    const localManifests = new Map<string, IngestManifest>();
    for (const { key } of await local.store.list('manifests/')) {
      const m = await readManifest(local.store, key);
      localManifests.set(m.file, m);
    }
    // every file of a SQL format above the threshold went through the state machine (at 1,500 members:
    // eligibility.csv, 292,029 bytes, pharmacy_claim.csv, 6,038,211 bytes, both medical claims files and
    // device_readings.ndjson), and no other file
    const large = landed.filter((o) => SQL_FORMATS[localManifests.get(o.key)!.format] !== undefined && o.size > LARGE_FILE_BYTES).map((o) => o.key);
    const expectedLarge = ['landing/eligibility.csv', 'landing/pharmacy_claim.csv', 'landing/medical_claim.csv', 'landing/medical_claim_resent.csv', 'landing/device_readings.ndjson'];
    expect(large).toEqual(expect.arrayContaining(expectedLarge));
    expect(started.map((p) => p.file).sort()).toEqual(large.sort());
    for (const { key } of landed) {
      const plan = started.find((p) => p.file === key);
      if (plan === undefined) continue;
      const fp = plan.sha256.slice(0, 16);
      // Athena reads the staged file once, into the file's result table, which the outputs read (the curated tables,
      // the records not accepted, the medical claims' conventions); device readings' rejected lines a second time
      const scans = athenaDouble.executions.filter((e) => e.reads.includes(plan.rawTable)).map((e) => e.sql.split('\n')[0]);
      expect(scans, key).toEqual([`INSERT INTO ${plan.resultTable}`, ...(plan.numbered ? ['UNLOAD ('] : [])]);
      // the manifest says what the local one says: counts, reasons, rows, notes (not the instant of the commit); at
      // 1,500 members eligibility reads 1,596 records (2 quarantined), pharmacy claims 31,518 (70 quarantined), device
      // readings 38,239 (21 weights in pounds labelled kg quarantined; accepted counted by record, not by observation)
      const { ingested_at: _a, ...onAws } = await readManifest(lake, manifestKey(fp));
      const { ingested_at: _b, replaced: _c, ...onLocal } = localManifests.get(key)!;
      expect(onAws, key).toEqual(onLocal);
      // the curated rows are the local ones, a CSV file's without their record numbers
      for (const t of SQL_FORMATS[plan.format]!.tables) {
        const rowsOf = async (store: typeof lake | typeof local.store) =>
          (await readParquetFolder(store, t.prefix, t)).filter((r) => (r as { source_sha256: string }).source_sha256 === plan.sha256).map((r) => JSON.stringify({ ...r, source_record: plan.numbered ? (r as { source_record: number | null }).source_record : null })).sort();
        const aws = await rowsOf(lake);
        expect(aws.length, `${key} ${t.name}`).toBe(onLocal.rows[t.name]);
        expect(aws, `${key} ${t.name}`).toEqual(await rowsOf(local.store));
      }
      // the quarantine lines are the local ones; a CSV file's with `record` null and in the order of their raw text
      const lines = async (store: typeof lake | typeof local.store) =>
        (await store.exists(`quarantine/${fp}.ndjson`))
          ? Buffer.from(await store.get(`quarantine/${fp}.ndjson`)).toString().trim().split('\n').map((l) => JSON.parse(l) as QuarantineLine)
          : [];
      const expected = plan.numbered ? await lines(local.store) : (await lines(local.store)).map((l) => ({ ...l, record: null })).sort((a, b) => (a.raw < b.raw ? -1 : 1));
      expect(await lines(lake), key).toEqual(expected);
    }
    // the other files' bad records are quarantined exactly as locally: same keys, same lines
    const quarantine = await local.store.list('quarantine/');
    expect((await lake.list('quarantine/')).map((o) => o.key)).toEqual(quarantine.map((o) => o.key));
    const athenaShas = new Set(started.map((p) => p.sha256.slice(0, 16)));
    for (const { key } of quarantine.filter((o) => !athenaShas.has(o.key.slice('quarantine/'.length, -'.ndjson'.length)))) {
      expect(Buffer.from(await lake.get(key)).toString()).toBe(Buffer.from(await local.store.get(key)).toString());
    }
    // nothing is left of the staging copies
    expect(await lake.list('staging/')).toEqual([]);

    const partsBefore = new Map<string, number>();
    for (const t of CURATED_TABLES) partsBefore.set(t.name, (await lake.list(t.prefix)).length);
    const built = await featuresHandler({ asOf: AS_OF }, lambdaContext('features'));
    // the features function compacts the curated tables first: one part per table (each well under 1,000,000 rows),
    // a compacted one where the files had made two or more (this population's files make one each: test/ingest/compact.test.ts
    // compacts many)
    for (const t of CURATED_TABLES) {
      const objects = (await lake.list(t.prefix)).map((o) => o.key.slice(t.prefix.length));
      expect(objects.length, t.name).toBe(1);
      if (partsBefore.get(t.name)! > 1) expect(objects[0], t.name).toMatch(/^c-[0-9a-f]{16}-0000\.parquet$/);
      expect(out.metrics().find((m) => m.name === 'CuratedObjects' && m.dimensions['table'] === t.name)?.value, t.name).toBe(1);
    }
    expect(built).toEqual({ asOf: AS_OF, members: localRun.features.members });
    expect((await readTableRows(lake, features, AS_OF)).length).toBe(localRun.features.members);
    // the run's data-quality checks, as the local run wrote them (to 1e-6: compacted parts sum the amounts in another order)
    const checks = (rows: readonly { check_name: string; scope: string; value: number | null; detail: string | null; flagged: boolean }[]) =>
      rows.map((r) => JSON.stringify([r.check_name, r.scope, r.value === null ? null : Number(r.value.toFixed(6)), r.detail, r.flagged])).sort();
    expect(localRun.dataQuality.length).toBeGreaterThan(0);
    expect(checks(await readTableRows(lake, data_quality, AS_OF))).toEqual(checks(localRun.dataQuality));

    // scored as the state machine does above deploy.score_shard_members (infra/pipeline.ts), here in 3 shards: plan,
    // a split task per feature file, a score task per person-hash bucket, the merge with the global ranking
    const plan = (await scoreHandler({ asOf: AS_OF, action: 'plan', members: built.members, shards: 3 }, lambdaContext('score'))) as ShardPlan;
    expect(plan.buckets).toEqual([0, 1, 2]);
    expect(plan.files.length).toBeGreaterThan(0);
    for (const file of plan.files) await scoreHandler({ asOf: AS_OF, action: 'split', shards: 3, file }, lambdaContext('score'));
    const shards = (await Promise.all(plan.buckets.map((shard) => scoreHandler({ asOf: AS_OF, action: 'shard', shards: 3, shard }, lambdaContext('score'))))) as { scored: number }[];
    expect(shards.reduce((n, s) => n + s.scored, 0)).toBe(localRun.score.members);
    const scored = await scoreHandler({ asOf: AS_OF, action: 'merge', shards: 3 }, lambdaContext('score'));
    expect(scored).toMatchObject({ asOf: AS_OF, members: localRun.score.members, byTier: localRun.score.byTier, setAside: localRun.score.setAside.length });
    // the very scores and flags of the local (unsharded) run
    const scoreRows = async (store: ObjectStore) => (await readTableRows(store, scores, AS_OF)).map((r) => JSON.stringify(r)).sort();
    expect(await scoreRows(lake)).toEqual(await scoreRows(local.store));
    expect((await readTableRows(lake, flags, AS_OF)).map((r) => JSON.stringify(r)).sort()).toEqual((await readTableRows(local.store, flags, AS_OF)).map((r) => JSON.stringify(r)).sort());

    // dispatched as the state machine does: one task per partner at once (a Map state), then the report task
    const perPartner = (await Promise.all(config.partners.map(({ name }) => dispatchHandler({ asOf: AS_OF, partner: name }, lambdaContext('dispatch'))))) as PartnerDispatched[];
    const dispatched = (await dispatchHandler({ asOf: AS_OF, action: 'report', partners: perPartner.map(({ asOf: _, ...counts }) => counts) }, lambdaContext('dispatch'))) as Dispatched;
    const localFlags = await local.engine.query<{ person_id: string; partner: string }>('select person_id, partner from flags where as_of_date = ?', [{ date: AS_OF }]);
    expect(localFlags.length).toBeGreaterThan(0);
    expect(pairs(await readTableRows(lake, flags, AS_OF))).toEqual(pairs(localFlags));
    expect(dispatched.partners.map((p) => [p.partner, p.sent, p.failed])).toEqual(localRun.dispatch.partners.map((p) => [p.partner, p.sent, 0]));

    const received: { person_id: string; partner: string }[] = [];
    for (const [partner, url] of Object.entries(queueUrls)) {
      for (const body of await receiveAll(sqs, url)) received.push({ ...(JSON.parse(body) as { person_id: string }), partner });
    }
    expect(received.length).toBe(dispatched.partners.reduce((n, p) => n + p.sent, 0));
    expect(pairs(received)).toEqual(pairs(localFlags));
    // the metrics the handlers published are those `stratify run --json` prints for the local run (timings aside)
    const stable = (m: { name: string; unit: string; value: number; dimensions: Readonly<Record<string, string>> }) =>
      JSON.stringify([m.name, m.unit, m.value, Object.entries(m.dimensions).filter(([k]) => k !== 'service').sort()]);
    // (Athena and the compaction before the features query are the AWS side's alone)
    const published = out.metrics().filter((m) => !['ColdStart', 'StageDuration', 'AthenaBytesScanned', 'AthenaQueryTime', 'CuratedObjects'].includes(m.name));
    const expected = runMetrics(localRun).filter((m) => m.name !== 'StageDuration');
    expect(expected.length).toBeGreaterThan(50);
    expect(published.map(stable).sort()).toEqual(expected.map(stable).sort());
    const worklists = await lake.list(`worklists/as_of=${AS_OF}/`);
    expect(worklists.map((o) => o.key)).toEqual(config.partners.map((p) => `worklists/as_of=${AS_OF}/${p.name}.csv`).sort());
  });

  it('stores a partner feedback drop where dispatch reads it', async () => {
    const { person_id, partner } = (await readTableRows(lake, flags, AS_OF))[0]!;
    const landing = new S3ObjectStore({ client: makeAwsClients().s3, bucket: LANDING });
    const key = `feedback/${partner}/2026-07-01 update.ndjson`;
    await landing.put(key, `${JSON.stringify({ person_id, status: 'enrolled', reported_at: '2026-07-01T10:00:00Z' })}\n{"person_id":"X"}\n`);
    const event = { Records: [{ messageId: 'f1', body: notification(LANDING, key.replaceAll(' ', '+')) }] } as SQSEvent;
    expect(await feedbackHandler(event, lambdaContext('feedback'))).toEqual({ batchItemFailures: [] });
    expect(await readFeedback(lake, partner)).toEqual({ records: [{ person_id, status: 'enrolled', reported_on: '2026-07-01' }], invalid: 0 });
    expect((await lake.list('quarantine/')).length).toBe((await local.store.list('quarantine/')).length + 1);
  });

  it('sends nothing new when dispatch runs again for the same date', async () => {
    const again = (await dispatchHandler({ asOf: AS_OF }, lambdaContext('dispatch'))) as Dispatched;
    expect(again.partners.map((p) => p.sent)).toEqual(config.partners.map(() => 0));
    for (const url of Object.values(queueUrls)) expect(await receiveAll(sqs, url)).toEqual([]);
  });
});
