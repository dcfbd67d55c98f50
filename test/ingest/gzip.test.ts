/**
 * gzip input: known by its magic bytes (not its name), read through zlib, with the same result as the plain file;
 * its outputs are named by the sha256 of the decompressed content, so the same records sent again compressed are the
 * same file. A gzip file that breaks off fails as a whole and leaves nothing behind.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gunzipHead, isGzip } from '../../lib/ingest/decode.js';
import { ingest, type IngestReport, type IngestSource } from '../../lib/pipeline/ingest.js';
import { SAMPLES, testContext, type TestContext } from './helpers.js';

function bytesSource(name: string, bytes: Buffer, chunk = 16 * 1024): IngestSource {
  const chunks = Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) => bytes.subarray(i * chunk, (i + 1) * chunk));
  return { name, size: bytes.length, open: () => Readable.from(chunks) };
}

const counts = ({ format, layout, read, accepted, quarantined, skippedRecords, reasons, rows, notes }: IngestReport) => ({
  format,
  layout,
  read,
  accepted,
  quarantined,
  skippedRecords,
  reasons,
  rows,
  notes,
});

describe('ingest: gzip round trip', () => {
  let plain: TestContext;
  let zipped: TestContext;
  let plainReports: IngestReport[];
  let zippedReports: IngestReport[];
  let claimsGz: Buffer;

  beforeAll(async () => {
    [plain, zipped] = [await testContext(), await testContext()];
    const eligibility = await readFile(join(SAMPLES, 'eligibility_seed.csv'));
    const claims = await readFile(join(SAMPLES, 'medical_claim_seed.csv'));
    claimsGz = gzipSync(claims);
    plainReports = await ingest(plain, [bytesSource('eligibility.csv', eligibility), bytesSource('medical_claim.csv', claims)]);
    // named without .gz on purpose: the magic bytes decide
    zippedReports = await ingest(zipped, [bytesSource('eligibility.csv.gz', gzipSync(eligibility)), bytesSource('medical_claim.csv', claimsGz)]);
  });
  afterAll(async () => {
    await plain.dispose();
    await zipped.dispose();
  });

  it('gives the plain file’s counts, and says it was gzip', () => {
    expect(zippedReports.map(counts)).toEqual(plainReports.map(counts));
    expect(zippedReports.map((r) => r.gzip)).toEqual([true, true]);
    expect(plainReports.map((r) => r.gzip)).toEqual([false, false]);
    expect(zippedReports[1]).toMatchObject({ read: 2075, accepted: 2075, rows: { medical_claims: 2075, diagnoses: 2450 } });
  });

  it('names the outputs by the hash of the decompressed content', async () => {
    expect(zippedReports[1]!.sha256).toBe(createHash('sha256').update(gunzipSync(claimsGz)).digest('hex'));
    expect(zippedReports[1]!.sha256).toBe(plainReports[1]!.sha256);
    expect((await zipped.store.list('manifests/')).map((o) => o.key)).toContain(`manifests/${zippedReports[1]!.sha256.slice(0, 16)}.json`);
  });

  it('takes the same claims sent again gzip-compressed (under another name) for the file it already has', async () => {
    // the reproduction: the plain file after its .gz doubled every count (2 × 2,075 lines)
    const claims = gunzipSync(claimsGz);
    const [again] = await ingest(zipped, [bytesSource('medical_claim_resent.csv', claims)]);
    expect(again).toMatchObject({ skipped: 'already-ingested', accepted: 2075 });
    expect(await zipped.engine.query('SELECT count(*) AS n FROM medical_claims')).toEqual([{ n: 2075 }]);
  });

  it('stores the same rows', async () => {
    const digest = `SELECT count(*) AS n, round(sum(paid_amount), 2) AS paid, count(DISTINCT claim_id) AS claims, max(discharge_date) AS last FROM medical_claims`;
    expect(await zipped.engine.query(digest)).toEqual(await plain.engine.query(digest));
    const dx = `SELECT icd10_code, count(*) AS n FROM diagnoses GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5`;
    expect(await zipped.engine.query(dx)).toEqual(await plain.engine.query(dx));
  });

  it('reports progress in compressed bytes, up to the compressed size', () => {
    const done = zipped.events.filter((e) => e.message.startsWith('medical_claim.csv') && e.total !== undefined);
    expect(done.at(-1)).toMatchObject({ done: claimsGz.length, total: claimsGz.length });
  });
});

describe('ingest: a broken gzip file', () => {
  let ctx: TestContext;
  beforeAll(async () => (ctx = await testContext()));
  afterAll(() => ctx.dispose());

  it('fails as a whole when the stream breaks off, and leaves nothing behind', async () => {
    const claims = gzipSync(await readFile(join(SAMPLES, 'medical_claim_seed.csv')));
    const [report] = await ingest(ctx, [bytesSource('medical_claim.csv.gz', claims.subarray(0, claims.length - 2000))], { flushEvery: 100 });
    // the content hash reads the whole stream first, so the break is found before any part is written
    expect(report).toMatchObject({ file: 'medical_claim.csv.gz', error: 'cannot read: not a valid gzip stream: unexpected end of file' });
    expect(await ctx.store.list('curated/')).toEqual([]);
    expect(await ctx.store.list('manifests/')).toEqual([]);
  });

  it('goes by the name inside the .gz: a device file whose first line is bad is still device NDJSON', async () => {
    const good = JSON.stringify({ person_id: 'P1', measured_at: '2025-06-01T07:00:00Z', code: '8867-4', value: 70, unit: '/min' });
    const [report] = await ingest(ctx, [bytesSource('readings.ndjson.gz', gzipSync(`{"person_id": "P1"}\n${good}\n`))]);
    expect(report).toMatchObject({ format: 'device-ndjson', gzip: true, read: 2, accepted: 1, quarantined: 1 });
  });

  it('names a file that starts like gzip but is not', async () => {
    const [report] = await ingest(ctx, [bytesSource('x.csv', Buffer.from([0x1f, 0x8b, 0x00, 0x01, 0x02, 0x03]))]);
    expect(report).toMatchObject({ format: 'unknown', error: expect.stringMatching(/cannot read: x\.csv starts like gzip but does not decompress/) });
  });
});

describe('gunzipHead', () => {
  // claim lines of pseudo-random digits compress about 2:1, so 64 KiB of text needs some 30 KiB of gzip: more than the
  // first 1 KiB and the next 4 KiB read, so the prefix has to grow (1, 4, 16, then 64 KiB)
  let seed = 7;
  const digits = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), String(seed).padStart(10, '0'));
  const text = Buffer.from(Array.from({ length: 20_000 }, () => `${digits()},${digits()},${digits()}\n`).join(''));
  const gz = gzipSync(text);

  it('knows gzip by its magic bytes', () => {
    expect(isGzip(gz)).toBe(true);
    expect(isGzip(text)).toBe(false);
  });

  it('decompresses the start of a stream cut anywhere: exactly the start of the text', () => {
    const head = gunzipHead(gz.subarray(0, 300), 64 * 1024);
    expect(head.length).toBeGreaterThan(0);
    expect(head.equals(text.subarray(0, head.length))).toBe(true);
  });

  it('reads more of the compressed prefix until it yields the size asked', () => {
    expect(gunzipSync(gz.subarray(0, 4096), { finishFlush: constants.Z_SYNC_FLUSH }).length).toBeLessThan(64 * 1024);
    expect(gz.length).toBeGreaterThan(64 * 1024);
    expect(gunzipHead(gz, 64 * 1024).equals(text.subarray(0, 64 * 1024))).toBe(true);
  });
});
