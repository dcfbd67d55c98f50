/**
 * The Lambda handlers with mocked S3 (a bucket in memory), Athena (answered by DuckDB) and SQS: a batch with one good
 * and one bad file fails only the bad file's message, and ingest validates eligibility with Athena; a file whose content another invocation is
 * ingesting, or whose members it waits for, fails its message for SQS to retry; feedback drops are validated into the lake;
 * score reports and publishes the members it set aside;
 * dispatch fails its task when a queue refused a message, after writing worklists and ledger; the environment and the
 * task input are checked with errors naming what is wrong.
 */
import { AthenaClient, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, SQSClient, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as feedbackHandler } from '../../functions/feedback.js';
import type { PartnerDispatched } from '../../functions/dispatch.js';
import { handler as ingestHandler } from '../../functions/ingest.js';
import { readEnv } from '../../functions/shared/env.js';
import { asOfOf } from '../../functions/shared/stage-input.js';
import { loadConfig } from '../../lib/config/index.js';
import { rowsToParquet } from '../../lib/parquet/writer.js';
import { readFeedback } from '../../lib/queue/feedback.js';
import { ledgerKey } from '../../lib/queue/ledger.js';
import { S3ObjectStore } from '../../lib/store/s3.js';
import { features, flags } from '../../lib/tables/index.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaOnDuckDb } from './athena-on-duckdb.js';
import { member } from '../scoring/fixtures.js';
import { lambdaContext } from './lambda-context.js';
import { captureConsole } from './powertools-output.js';
import { HANDLER_ENV as ENV, memoryS3, notification, serviceError } from './sdk-fakes.js';

const s3 = mockClient(S3Client);
const athena = mockClient(AthenaClient);
const sqs = mockClient(SQSClient);
const config = loadConfig();

const ELIGIBILITY = [
  'person_id,gender,birth_date,enrollment_start_date,enrollment_end_date',
  'P1,female,1950-06-15,2024-01-01,2026-12-31',
  'P2,male,1950-02-30,2024-01-01,2026-12-31',
].join('\n');

function sqsEvent(...bodies: [messageId: string, body: string][]): SQSEvent {
  return { Records: bodies.map(([messageId, body]) => ({ messageId, body }) as SQSEvent['Records'][number]) };
}

const text = (objects: Map<string, Buffer>, key: string) => objects.get(key)?.toString('utf8');

describe('handlers', () => {
  let objects: Map<string, Buffer>;
  let out: ReturnType<typeof captureConsole>;
  let work: string;
  beforeAll(async () => {
    for (const [k, v] of Object.entries(ENV)) vi.stubEnv(k, v);
    work = await mkdtemp(join(tmpdir(), 'stratify-handlers-'));
  });
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });
  beforeEach(() => {
    s3.reset();
    athena.reset();
    sqs.reset();
    objects = memoryS3(s3);
    // eligibility is a SQL format: the function validates it with Athena (lib/ingest/athena/)
    new AthenaOnDuckDb(new S3ObjectStore({ client: new S3Client({}), bucket: 'stratify-lake' }), work).install(athena);
    out = captureConsole();
  });
  afterEach(() => vi.restoreAllMocks());

  it('ingest: fails only the message of the file that cannot be ingested; the good file is curated and its bad record quarantined', async () => {
    objects.set('stratify-landing/landing/eligibility 2026.csv', Buffer.from(ELIGIBILITY));
    objects.set('stratify-landing/landing/notes.txt', Buffer.from('hello, this is not a claims file\n'));
    const result = await ingestHandler(
      sqsEvent(
        ['m-bad', notification('stratify-landing', 'landing/notes.txt')],
        ['m-good', notification('stratify-landing', 'landing/eligibility+2026.csv')],
        ['m-test', JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent' })],
      ),
      lambdaContext('ingest'),
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-bad' }] });

    const lake = [...objects.keys()].filter((k) => k.startsWith('stratify-lake/')).sort();
    expect(lake.filter((k) => k.includes('/manifests/')).length).toBe(1);
    expect(lake.some((k) => k.startsWith('stratify-lake/curated/members/'))).toBe(true);
    const quarantine = lake.find((k) => k.startsWith('stratify-lake/quarantine/'))!;
    // on Athena a quarantine line has no record number: its raw record says which
    expect(JSON.parse(text(objects, quarantine)!.trim())).toMatchObject({ file: 'landing/eligibility 2026.csv', record: null, field: 'birth_date', raw: 'P2,male,1950-02-30,2024-01-01,2026-12-31' });
    const manifest = JSON.parse(text(objects, lake.find((k) => k.includes('/manifests/'))!)!);
    expect(manifest).toMatchObject({ file: 'landing/eligibility 2026.csv', read: 2, accepted: 1, quarantined: 1 });
    // eligibility went through Athena: an earlier try's result table dropped, the file's table, its result table made
    // (without data, moved, filled), an UNLOAD of members and one of the rest from it, both tables dropped
    const statements = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input.QueryString!.split(/[\s(]/, 2).join(' '));
    expect(statements).toEqual(['DROP TABLE', 'CREATE EXTERNAL', 'CREATE TABLE', 'ALTER TABLE', 'INSERT INTO', 'UNLOAD ', 'UNLOAD ', 'DROP TABLE', 'DROP TABLE']);
  });

  it('ingest: publishes the file\'s counts and quarantine rate as EMF, by format and in total, and logs with the Lambda context, no record content', async () => {
    vi.stubEnv('_X_AMZN_TRACE_ID', 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1');
    objects.set('stratify-landing/landing/eligibility.csv', Buffer.from(ELIGIBILITY));
    const context = lambdaContext('ingest');
    await ingestHandler(sqsEvent(['m1', notification('stratify-landing', 'landing/eligibility.csv')]), context);

    // 2 records read, P1 accepted, P2 (30 February) quarantined: rate 100 × 1 / 2 = 50 %
    const published = out.metrics().filter((m) => !['ColdStart', 'StageDuration', 'AthenaBytesScanned', 'AthenaQueryTime'].includes(m.name));
    // and each of its 9 Athena queries (as above) its bytes scanned, which the scan alarm watches
    expect(out.metrics().filter((m) => m.name === 'AthenaBytesScanned')).toHaveLength(9);
    const expected = (dimensions: Record<string, string>) => [
      { name: 'RecordsRead', unit: 'Count', value: 2, dimensions },
      { name: 'RecordsAccepted', unit: 'Count', value: 1, dimensions },
      { name: 'RecordsQuarantined', unit: 'Count', value: 1, dimensions },
      { name: 'RecordsSkipped', unit: 'Count', value: 0, dimensions },
      { name: 'QuarantineRate', unit: 'Percent', value: 50, dimensions },
    ];
    const service = 'stratify'; // POWERTOOLS_SERVICE_NAME is stratify-<stage> on AWS (infra/stage-function.ts)
    expect(published).toEqual(
      [...expected({ service, format: 'tuva-eligibility' }), ...expected({ service })].map((m) => ({ namespace: 'Stratify', ...m })),
    );
    expect(out.metrics().find((m) => m.name === 'StageDuration')).toMatchObject({ unit: 'Milliseconds', dimensions: { service, stage: 'ingest' } });

    const ingested = out.logs().find((l) => l.message === 'file ingested')!;
    expect(ingested).toMatchObject({
      level: 'INFO',
      service,
      landing_key: 'landing/eligibility.csv',
      function_name: 'stratify-ingest',
      function_request_id: context.awsRequestId,
      xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793',
      read: 2,
      quarantined: 1,
    });
    expect(typeof ingested['cold_start']).toBe('boolean');
    // the quarantined record's values stay in quarantine/: neither its person id nor its birth date is logged
    const text = JSON.stringify(out.logs());
    for (const value of ['P1', 'P2', '1950-02-30', '1950-06-15']) expect(text).not.toContain(value);
  });

  it('ingest: a redelivered file is recognised by its content hash and changes nothing', async () => {
    objects.set('stratify-landing/landing/eligibility.csv', Buffer.from(ELIGIBILITY));
    const event = sqsEvent(['m1', notification('stratify-landing', 'landing/eligibility.csv')]);
    await ingestHandler(event, lambdaContext('ingest'));
    const before = new Map(objects);
    expect(await ingestHandler(event, lambdaContext('ingest'))).toEqual({ batchItemFailures: [] });
    expect(objects).toEqual(before);
  });

  it('ingest: a notification of a key already ingested, with the same size and ETag, is answered without reading the file; a new ETag is read', async () => {
    objects.set('stratify-landing/landing/eligibility.csv', Buffer.from(ELIGIBILITY));
    const landingReads = () => s3.commandCalls(GetObjectCommand).filter((c) => c.args[0].input.Bucket === 'stratify-landing').length;
    await ingestHandler(sqsEvent(['m1', notification('stratify-landing', 'landing/eligibility.csv', ELIGIBILITY.length, 'etag-1')]), lambdaContext('ingest'));
    // the first delivery is read once, by the hashing pass: Athena reads the copy S3 makes of it (lib/ingest/athena)
    expect(landingReads()).toBe(1);
    s3.resetHistory();
    await ingestHandler(sqsEvent(['m2', notification('stratify-landing', 'landing/eligibility.csv', ELIGIBILITY.length, 'etag-1')]), lambdaContext('ingest'));
    expect(landingReads()).toBe(0);
    expect(out.logs().filter((l) => l.message === 'file already ingested')).toHaveLength(1);
    // the same key uploaded again (same bytes here, a new ETag): hashed once, then answered by its manifest
    await ingestHandler(sqsEvent(['m3', notification('stratify-landing', 'landing/eligibility.csv', ELIGIBILITY.length, 'etag-2')]), lambdaContext('ingest'));
    expect(landingReads()).toBe(1);
    expect(out.logs().filter((l) => l.message === 'file already ingested')).toHaveLength(2);
  });

  it('ingest: a missing object and a notification for another bucket fail their messages', async () => {
    const result = await ingestHandler(
      sqsEvent(['m-gone', notification('stratify-landing', 'landing/gone.csv')], ['m-other', notification('someone-elses', 'landing/x.csv')], ['m-junk', 'not json']), lambdaContext('ingest'),

    );
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m-gone', 'm-junk', 'm-other']);
  });

  describe('ingest: a claims file while another invocation ingests an eligibility file', () => {
    const CLAIMS =
      [
        'claim_id,claim_line_number,claim_type,person_id,claim_start_date,claim_end_date,paid_amount,diagnosis_code_type,diagnosis_code_1',
        'C1,1,professional,P1,2025-03-01,2025-03-01,10.00,icd-10-cm,E11.9',
      ].join('\n') + '\n';
    const MARKER = 'stratify-lake/ingesting/0123456789abcdef.json';
    const marker = (minutesAgo: number) =>
      Buffer.from(
        JSON.stringify({ file: 'landing/big eligibility.csv', format: 'tuva-eligibility', makes_members: true, started_at: new Date(Date.now() - minutesAgo * 60_000).toISOString() }),
      );
    const lakeKeys = () => [...objects.keys()].filter((k) => k.startsWith('stratify-lake/') && k !== MARKER);

    beforeEach(() => {
      objects.set('stratify-landing/landing/medical_claim.csv', Buffer.from(CLAIMS));
      objects.set('stratify-landing/landing/eligibility.csv', Buffer.from(ELIGIBILITY));
    });

    it('fails the claims message unread while the marker is fresh, naming the file it waits for; eligibility in the batch is ingested', async () => {
      objects.set(MARKER, marker(1));
      const result = await ingestHandler(
        sqsEvent(['m-claims', notification('stratify-landing', 'landing/medical_claim.csv')], ['m-elig', notification('stratify-landing', 'landing/eligibility.csv')]), lambdaContext('ingest'),

      );
      expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-claims' }] });
      // only the eligibility file's members part, quarantine log (P2's birth date), manifest and known-file entry
      const lake = lakeKeys();
      expect(lake.filter((k) => k.includes('/manifests/')).map((k) => JSON.parse(text(objects, k)!).file)).toEqual(['landing/eligibility.csv']);
      expect(lake.every((k) => /^stratify-lake\/(curated\/members|quarantine|manifests|known)\//.test(k)), lake.join(' ')).toBe(true);
      expect(lake.filter((k) => k.includes('/known/')).map((k) => JSON.parse(text(objects, k)!).name)).toEqual(['landing/eligibility.csv']);
      expect(out.logs().find((l) => l['key'] === 'landing/medical_claim.csv')).toMatchObject({
        level: 'WARN',
        landing_key: 'landing/medical_claim.csv',
        waits_for: [{ key: 'landing/big eligibility.csv', format: 'tuva-eligibility' }],
      });
    });

    it('ingests the claims file when the marker is stale (21 minutes: its invocation crashed or timed out)', async () => {
      objects.set(MARKER, marker(21));
      const result = await ingestHandler(sqsEvent(['m-claims', notification('stratify-landing', 'landing/medical_claim.csv')]), lambdaContext('ingest'));
      expect(result).toEqual({ batchItemFailures: [] });
      const manifest = lakeKeys().find((k) => k.includes('/manifests/'))!;
      expect(JSON.parse(text(objects, manifest)!)).toMatchObject({ file: 'landing/medical_claim.csv', read: 1, accepted: 1 });
    });
  });

  describe('ingest: a file whose content another invocation is ingesting (a redelivery, or the same bytes under another key)', () => {
    const MARKER = `stratify-lake/ingesting/${createHash('sha256').update(ELIGIBILITY).digest('hex').slice(0, 16)}.json`;
    const marker = (minutesAgo: number) =>
      Buffer.from(JSON.stringify({ file: 'landing/eligibility.csv', format: 'tuva-eligibility', makes_members: true, started_at: new Date(Date.now() - minutesAgo * 60_000).toISOString() }));

    beforeEach(() => {
      // S3's conditional put: If-None-Match * on an existing key is refused with 412
      s3.on(PutObjectCommand, { IfNoneMatch: '*' }).callsFake((input: { Bucket: string; Key: string; Body: Uint8Array }) => {
        const at = `${input.Bucket}/${input.Key}`;
        if (objects.has(at)) throw serviceError('PreconditionFailed', 412);
        objects.set(at, Buffer.from(input.Body));
        return {};
      });
      objects.set('stratify-landing/landing/copy/eligibility.csv', Buffer.from(ELIGIBILITY));
    });

    it('fails its message unread while the other claim is fresh, logging a warn naming the other file', async () => {
      objects.set(MARKER, marker(1));
      const result = await ingestHandler(sqsEvent(['m-copy', notification('stratify-landing', 'landing/copy/eligibility.csv')]), lambdaContext('ingest'));
      expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-copy' }] });
      expect([...objects.keys()].filter((k) => k.startsWith('stratify-lake/'))).toEqual([MARKER]);
      expect(out.logs().find((l) => l['key'] === 'landing/copy/eligibility.csv')).toMatchObject({
        level: 'WARN',
        messageId: 'm-copy',
        held_by: { key: 'landing/eligibility.csv', format: 'tuva-eligibility' },
      });
    });

    it('ingests the file when the other claim is stale, and removes the marker', async () => {
      objects.set(MARKER, marker(21));
      const result = await ingestHandler(sqsEvent(['m-copy', notification('stratify-landing', 'landing/copy/eligibility.csv')]), lambdaContext('ingest'));
      expect(result).toEqual({ batchItemFailures: [] });
      expect(objects.has(MARKER)).toBe(false);
      const manifest = [...objects.keys()].find((k) => k.startsWith('stratify-lake/manifests/'))!;
      expect(JSON.parse(text(objects, manifest)!)).toMatchObject({ file: 'landing/copy/eligibility.csv', read: 2, accepted: 1 });
    });
  });

  it('feedback: stores the valid lines where dispatch reads them and quarantines the rest; an unknown partner fails', async () => {
    const lines = [
      '{"person_id":"P1","status":"enrolled","reported_at":"2026-06-01T09:30:00Z","nurse":"Ann"}',
      '{"person_id":"P2","status":"maybe","reported_at":"2026-06-01"}',
      'not json',
    ];
    objects.set('stratify-landing/feedback/heartline/june.ndjson', Buffer.from(lines.join('\n') + '\n'));
    const result = await feedbackHandler(
      sqsEvent(['m-ok', notification('stratify-landing', 'feedback/heartline/june.ndjson')], ['m-who', notification('stratify-landing', 'feedback/nobody/x.ndjson')]), lambdaContext('feedback'),

    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-who' }] });

    const lake = new S3ObjectStore({ client: new S3Client({}), bucket: 'stratify-lake' });
    expect(await readFeedback(lake, 'heartline')).toEqual({ records: [{ person_id: 'P1', status: 'enrolled', reported_on: '2026-06-01' }], invalid: 0 });
    const stored = [...objects.keys()].find((k) => k.startsWith('stratify-lake/feedback/heartline/'))!;
    expect(text(objects, stored)).toBe('{"person_id":"P1","status":"enrolled","reported_at":"2026-06-01T09:30:00Z"}\n');
    const quarantined = text(objects, [...objects.keys()].find((k) => k.startsWith('stratify-lake/quarantine/'))!)!
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { record: number; field: string; reason: string; value: unknown });
    expect(quarantined.map(({ record, field, value }) => ({ record, field, value }))).toEqual([
      { record: 2, field: 'status', value: 'maybe' },
      { record: 3, field: '', value: null },
    ]);
  });

  it('score: returns and publishes the count of members the model cannot score (MembersSetAside), besides those scored', async () => {
    // 3 feature rows: P1 and P2 scorable, X1 aged -4 (born after the as-of date), which CMS-HCC cannot score
    const rows = [member('P1'), member('P2'), member('X1', { age: -4 })].map((r) => ({ ...r, as_of_date: '2026-06-30' }));
    objects.set('stratify-lake/features/as_of=2026-06-30/features.parquet', Buffer.from(rowsToParquet(features, rows)));
    const { handler } = await import('../../functions/score.js');
    const result = await handler({ asOf: '2026-06-30' }, lambdaContext('score'));
    expect(result).toMatchObject({ asOf: '2026-06-30', members: 2, setAside: 1 });
    const value = (name: string) => out.metrics().find((m) => m.name === name && Object.keys(m.dimensions).length === 1)?.value;
    expect([value('MembersScored'), value('MembersSetAside')]).toEqual([2, 1]);
    expect(out.logs().find((l) => l.level === 'WARN')).toMatchObject({ as_of: '2026-06-30', set_aside: 1 });
  });

  it('score: refuses a sharded step whose input lacks what it needs, naming the field', async () => {
    const { handler } = await import('../../functions/score.js');
    await expect(handler({ asOf: '2026-06-30', action: 'shard', shards: 4 }, lambdaContext('score'))).rejects.toThrow('task input: shard: ');
    await expect(handler({ asOf: '2026-06-30', action: 'sort' }, lambdaContext('score'))).rejects.toThrow('task input: action: ');
  });

  it('dispatch: refuses to start when a configured partner has no queue URL, naming it', async () => {
    const [first, ...rest] = config.partners.map((p) => p.name);
    vi.stubEnv('STRATIFY_QUEUE_URLS', JSON.stringify({ [first!]: 'https://sqs.us-east-1.amazonaws.com/123456789012/q' }));
    const { handler } = await import('../../functions/dispatch.js');
    await expect(handler({ asOf: '2026-06-30' }, lambdaContext('dispatch'))).rejects.toThrow(`environment variable STRATIFY_QUEUE_URLS has no queue URL for partner ${rest.join(', ')}`);
  });

  /** flags for two partners (2 and 1 members), and SQS refusing the first partner's second message */
  function refusingQueue() {
    const partners = config.partners.map((p) => p.name);
    const urls = Object.fromEntries(partners.map((p) => [p, `https://sqs.us-east-1.amazonaws.com/123456789012/stratify-${p}`]));
    vi.stubEnv('STRATIFY_QUEUE_URLS', JSON.stringify(urls));
    const [first, second] = config.partners;
    const flag = (person_id: string, p: { name: string; program: string }, rank: number) => ({
      person_id, as_of_date: '2026-06-30', partner: p.name, program: p.program, tier: 'high', rank, score: 50 - rank, reasons: '["2 ED visits in 180 days"]', transitions_of_care: false,
    });
    const rows = [flag('P1', first!, 1), flag('P2', first!, 2), flag('P3', second!, 1)];
    objects.set('stratify-lake/flags/as_of=2026-06-30/flags.parquet', Buffer.from(rowsToParquet(flags, rows)));
    // the first partner's queue refuses its second message as malformed (not retried); everything else is accepted
    sqs.on(SendMessageBatchCommand).callsFake((input: { QueueUrl: string; Entries: SendMessageBatchRequestEntry[] }) => {
      const refused = input.QueueUrl === urls[first!.name] ? input.Entries.slice(1) : [];
      return {
        Successful: input.Entries.filter((e) => !refused.includes(e)).map((e) => ({ Id: e.Id!, MessageId: `m-${e.Id}`, MD5OfMessageBody: '' })),
        Failed: refused.map((e) => ({ Id: e.Id!, SenderFault: true, Code: 'InvalidMessageContents', Message: 'refused' })),
      };
    });
    return { partners, first: first!, second: second! };
  }
  const refusedMessage = (partner: string) =>
    `dispatch 2026-06-30: 1 messages not accepted by their queues (${partner} 1); worklists and ledger are written, a rerun sends only these`;

  it('dispatch, one task per partner (the state machine\'s Map): a refused message fails no partner task; the report task publishes the totals and fails the run', async () => {
    const { partners, first } = refusingQueue();
    const { handler } = await import('../../functions/dispatch.js');
    const each = (await Promise.all(partners.map((partner) => handler({ asOf: '2026-06-30', partner }, lambdaContext('dispatch'))))) as PartnerDispatched[];
    expect(each.find((r) => r.partner === first.name)).toEqual({ asOf: '2026-06-30', partner: first.name, flagged: 2, sent: 1, suppressed: 0, failed: 1 });
    // each task publishes its partner's counts, none the totals (they would count each partner again)
    const totals = () => out.metrics().filter((m) => ['MembersFlagged', 'MessagesSent', 'MessagesFailed'].includes(m.name) && Object.keys(m.dimensions).length === 1);
    expect(totals()).toEqual([]);
    await expect(handler({ asOf: '2026-06-30', action: 'report', partners: each.map(({ asOf: _, ...counts }) => counts) }, lambdaContext('dispatch'))).rejects.toThrow(refusedMessage(first.name));
    expect(totals().map((m) => [m.name, m.value])).toEqual([['MembersFlagged', 3], ['MessagesSent', 2], ['MessagesFailed', 1]]);
    expect(objects.has('stratify-lake/reports/as_of=2026-06-30/index.html')).toBe(true);
    await expect(handler({ asOf: '2026-06-30', partner: 'nobody' }, lambdaContext('dispatch'))).rejects.toThrow('partner nobody is not in the configuration');
  });

  it('dispatch: fails the task when a queue refused a message, after writing every worklist and the ledger of what was sent', async () => {
    const { partners, first, second } = refusingQueue();
    const { handler } = await import('../../functions/dispatch.js');

    await expect(handler({ asOf: '2026-06-30' }, lambdaContext('dispatch'))).rejects.toThrow(refusedMessage(first.name));
    for (const p of partners) expect(objects.has(`stratify-lake/worklists/as_of=2026-06-30/${p}.csv`), p).toBe(true);
    const ledgerLines = (p: string) => (text(objects, `stratify-lake/${ledgerKey(p)}`) ?? '').split('\n').filter((l) => l !== '').length;
    expect([ledgerLines(first!.name), ledgerLines(second!.name)]).toEqual([1, 1]);
    // the metrics are published although the task fails: the first partner flagged 2, sent 1, failed 1; the second 1, 1, 0
    const value = (name: string, partner?: string) =>
      out.metrics().find((m) => m.name === name && m.dimensions['partner'] === partner && (partner !== undefined || Object.keys(m.dimensions).length === 1))?.value;
    expect([value('MembersFlagged', first!.name), value('MessagesSent', first!.name), value('MessagesFailed', first!.name)]).toEqual([2, 1, 1]);
    expect([value('MembersFlagged', second!.name), value('MessagesSent', second!.name), value('MessagesFailed', second!.name)]).toEqual([1, 1, 0]);
    expect([value('MembersFlagged'), value('MessagesSent'), value('MessagesFailed')]).toEqual([3, 2, 1]);
    expect(out.logs().find((l) => l.level === 'ERROR')).toMatchObject({ as_of: '2026-06-30', function_name: 'stratify-dispatch' });
    // and the run's report, in the lake under reports/as_of=<date>/: the overview, a page per partner and per flagged member
    const report = [...objects.keys()].filter((k) => k.startsWith('stratify-lake/reports/as_of=2026-06-30/')).sort();
    expect(report).toEqual([
      'stratify-lake/reports/as_of=2026-06-30/index.html',
      'stratify-lake/reports/as_of=2026-06-30/members/P1.html',
      'stratify-lake/reports/as_of=2026-06-30/members/P2.html',
      'stratify-lake/reports/as_of=2026-06-30/members/P3.html',
      ...partners.map((p) => `stratify-lake/reports/as_of=2026-06-30/partners/${p}.html`).sort(),
    ]);
    expect(text(objects, `stratify-lake/reports/as_of=2026-06-30/partners/${second!.name}.html`)).toContain('>P3</a>');
  });

  it('names a missing or malformed environment variable', () => {
    expect(() => readEnv(['STRATIFY_LAKE_BUCKET'], {})).toThrow('environment variable STRATIFY_LAKE_BUCKET is not set');
    expect(() => readEnv(['STRATIFY_QUEUE_URLS'], { STRATIFY_QUEUE_URLS: '{"heartline": 1}' })).toThrow(/^environment variable STRATIFY_QUEUE_URLS is invalid: heartline: /);
    expect(() => readEnv(['STRATIFY_QUEUE_URLS'], { STRATIFY_QUEUE_URLS: '{' })).toThrow(/^environment variable STRATIFY_QUEUE_URLS is invalid: not JSON/);
  });

  it('takes the as-of date from the task input, today (UTC) when absent, and refuses a date that is not one', () => {
    expect(asOfOf({ asOf: '2026-06-30', 'detail-type': 'Scheduled Event' })).toBe('2026-06-30');
    expect(asOfOf({}, new Date('2026-07-01T23:30:00-05:00'))).toBe('2026-07-02');
    expect(asOfOf(undefined, new Date('2026-07-01T00:00:00Z'))).toBe('2026-07-01');
    expect(() => asOfOf({ asOf: '2026-02-30' })).toThrow('task input: asOf: not a calendar date (YYYY-MM-DD)');
  });
});
