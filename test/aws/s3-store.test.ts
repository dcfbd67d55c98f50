/** S3ObjectStore against a mocked S3 client: missing and forbidden objects, paging, multipart, streamed puts, append, conditional create, key prefix. */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { beforeEach, describe, expect, it } from 'vitest';
import { ObjectNotFoundError } from '../../lib/store/port.js';
import { COPY_PART_SIZE, S3ObjectStore } from '../../lib/store/s3.js';
import { body, memoryS3, serviceError } from './sdk-fakes.js';

const s3 = mockClient(S3Client);
const client = new S3Client({ region: 'us-east-1' });

describe('S3ObjectStore', () => {
  beforeEach(() => s3.reset());

  it('reports a missing key as ObjectNotFoundError from get, read and exists', async () => {
    s3.on(GetObjectCommand).rejects(serviceError('NoSuchKey', 404, 'The specified key does not exist.'));
    s3.on(HeadObjectCommand).rejects(serviceError('NotFound', 404));
    const store = new S3ObjectStore({ client, bucket: 'lake' });
    await expect(store.get('curated/x.parquet')).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(text(store.read('curated/x.parquet'))).rejects.toBeInstanceOf(ObjectNotFoundError);
    expect(await store.exists('curated/x.parquet')).toBe(false);
  });

  it('names the bucket, key and code when access is denied, and does not call that a missing object', async () => {
    s3.on(GetObjectCommand).rejects(serviceError('AccessDenied', 403, 'Access Denied'));
    s3.on(HeadObjectCommand).rejects(serviceError('Forbidden', 403));
    const store = new S3ObjectStore({ client, bucket: 'lake' });
    const err = await store.get('manifests/a.json').catch((e: Error) => e);
    expect(err).not.toBeInstanceOf(ObjectNotFoundError);
    expect((err as Error).message).toMatch(/^S3 get s3:\/\/lake\/manifests\/a\.json failed: AccessDenied: Access Denied \(check the function role/);
    await expect(store.exists('manifests/a.json')).rejects.toThrow(/s3:\/\/lake\/manifests\/a\.json failed: Forbidden/);
  });

  it('creates with a conditional PutObject (If-None-Match: *): an existing key (412) or a racing create (409) answers false', async () => {
    const store = new S3ObjectStore({ client, bucket: 'lake', prefix: 't/' });
    s3.on(PutObjectCommand)
      .resolvesOnce({})
      .rejectsOnce(serviceError('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold'))
      .rejectsOnce(serviceError('ConditionalRequestConflict', 409))
      .rejectsOnce(serviceError('AccessDenied', 403, 'Access Denied'));
    expect(await store.create('ingesting/a.json', '{"file":"a"}')).toBe(true);
    expect(await store.create('ingesting/a.json', '{"file":"b"}')).toBe(false);
    expect(await store.create('ingesting/a.json', '{"file":"c"}')).toBe(false);
    await expect(store.create('ingesting/a.json', '{"file":"d"}')).rejects.toThrow(/^S3 create s3:\/\/lake\/t\/ingesting\/a\.json failed: AccessDenied/);
    const inputs = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(inputs.map(({ Bucket, Key, IfNoneMatch }) => ({ Bucket, Key, IfNoneMatch }))).toEqual(
      Array.from({ length: 4 }, () => ({ Bucket: 'lake', Key: 't/ingesting/a.json', IfNoneMatch: '*' })),
    );
    expect(Buffer.from(inputs[0]!.Body as Uint8Array).toString('utf8')).toBe('{"file":"a"}');
  });

  it('streams an object body', async () => {
    s3.on(GetObjectCommand, { Bucket: 'landing', Key: 'landing/a.csv' }).resolves({ Body: body('a,b\n1,2\n') } as never);
    expect(await text(new S3ObjectStore({ client, bucket: 'landing' }).read('landing/a.csv'))).toBe('a,b\n1,2\n');
  });

  it('follows continuation tokens, strips the store prefix and sorts by key', async () => {
    s3.on(ListObjectsV2Command, { Prefix: 't/curated/' })
      .resolvesOnce({ Contents: [{ Key: 't/curated/b', Size: 2 }, { Key: 't/curated/dir/' , Size: 0 }], IsTruncated: true, NextContinuationToken: 'page2' })
      .resolvesOnce({ Contents: [{ Key: 't/curated/a', Size: 1, ETag: '"9b2cf535f27731c974343645a3985328"' }], IsTruncated: false });
    const store = new S3ObjectStore({ client, bucket: 'lake', prefix: 't/' });
    // the ETag, when the listing gives one, unquoted as S3 notifications carry it: the stamp of that version
    expect(await store.list('curated/')).toEqual([
      { key: 'curated/a', size: 1, stamp: 'etag:9b2cf535f27731c974343645a3985328' },
      { key: 'curated/b', size: 2 },
    ]);
    const calls = s3.commandCalls(ListObjectsV2Command);
    expect(calls.map((c) => c.args[0].input.ContinuationToken)).toEqual([undefined, 'page2']);
  });

  it('puts a body of one part with PutObject and a larger one as a multipart upload', async () => {
    s3.on(PutObjectCommand).resolves({});
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u1' });
    s3.on(UploadPartCommand).resolves({ ETag: '"e"' });
    s3.on(CompleteMultipartUploadCommand).resolves({});
    const partSize = 5 * 1024 * 1024;
    const store = new S3ObjectStore({ client, bucket: 'lake', partSize });
    await store.put('small.txt', 'hello');
    await store.put('big.bin', new Uint8Array(partSize * 2 + 10));
    expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key)).toEqual(['small.txt']);
    expect(s3.commandCalls(UploadPartCommand).length).toBe(3);
    expect(s3.commandCalls(CompleteMultipartUploadCommand)[0]!.args[0].input.Key).toBe('big.bin');
  });

  it('puts a stream through Upload: one PutObject when it ends within a part, else a multipart upload of part-size parts', async () => {
    s3.on(PutObjectCommand).resolves({});
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u1' });
    s3.on(UploadPartCommand).resolves({ ETag: '"e"' });
    s3.on(CompleteMultipartUploadCommand).resolves({});
    const partSize = 5 * 1024 * 1024;
    const store = new S3ObjectStore({ client, bucket: 'lake', prefix: 't/', partSize });
    await store.put('quarantine/small.ndjson', Readable.from([Buffer.from('{"record":1}\n'), Buffer.from('{"record":2}\n')]));
    const [put] = s3.commandCalls(PutObjectCommand);
    expect(put!.args[0].input.Key).toBe('t/quarantine/small.ndjson');
    expect(Buffer.from(put!.args[0].input.Body as Uint8Array).toString()).toBe('{"record":1}\n{"record":2}\n');
    expect(s3.commandCalls(CreateMultipartUploadCommand)).toEqual([]);

    // 2 parts and 10 bytes, arriving in 1 MiB chunks: the adapter never holds the body whole
    const MiB = 1024 * 1024;
    async function* chunks() {
      for (let i = 0; i < 10; i++) yield Buffer.alloc(MiB, i);
      yield Buffer.alloc(10, 10);
    }
    await store.put('quarantine/big.ndjson', Readable.from(chunks()));
    expect(s3.commandCalls(PutObjectCommand).length).toBe(1);
    expect(s3.commandCalls(CreateMultipartUploadCommand)[0]!.args[0].input.Key).toBe('t/quarantine/big.ndjson');
    const parts = s3.commandCalls(UploadPartCommand).map((c) => c.args[0].input);
    expect(parts.map((p) => [p.PartNumber, (p.Body as Uint8Array).byteLength])).toEqual([[1, partSize], [2, partSize], [3, 10]]);
    expect(s3.commandCalls(CompleteMultipartUploadCommand)[0]!.args[0].input.Key).toBe('t/quarantine/big.ndjson');
  });

  it('appends by reading and rewriting, creating the object when absent', async () => {
    const objects = memoryS3(s3);
    const store = new S3ObjectStore({ client, bucket: 'lake' });
    await store.append('dispatch/ledger/p.ndjson', 'a\n');
    await store.append('dispatch/ledger/p.ndjson', 'b\n');
    expect(objects.get('lake/dispatch/ledger/p.ndjson')!.toString()).toBe('a\nb\n');
  });

  it('refuses parts smaller than S3 allows', () => {
    expect(() => new S3ObjectStore({ client, bucket: 'lake', partSize: 1024 })).toThrow(/at least 5 MiB/);
  });

  it('copies server-side: one CopyObject up to 5 GiB, above it 512 MiB UploadPartCopy ranges, aborted when a part fails', async () => {
    s3.on(CopyObjectCommand).resolves({});
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u1' });
    s3.on(UploadPartCopyCommand).callsFake((input: { PartNumber: number }) => ({ CopyPartResult: { ETag: `e${input.PartNumber}` } }));
    s3.on(CompleteMultipartUploadCommand).resolves({});
    const landing = new S3ObjectStore({ client, bucket: 'landing' });
    const lake = new S3ObjectStore({ client, bucket: 'lake' });
    await landing.copyTo('landing/2026-06-30/claims file.csv', 5 * 1024 ** 3, lake, 'staging/0123456789abcdef/raw/data.csv');
    expect(s3.commandCalls(CopyObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'lake', Key: 'staging/0123456789abcdef/raw/data.csv', CopySource: 'landing/landing/2026-06-30/claims%20file.csv' },
    ]);
    // 5 GiB + 1 byte: ten parts of 512 MiB and a last one of 1 byte
    const size = 5 * 1024 ** 3 + 1;
    await landing.copyTo('landing/big.csv', size, lake, 'staging/x/raw/data.csv');
    const ranges = s3.commandCalls(UploadPartCopyCommand).map((c) => [c.args[0].input.PartNumber, c.args[0].input.CopySourceRange]);
    expect(ranges.length).toBe(11);
    expect(ranges[0]).toEqual([1, `bytes=0-${COPY_PART_SIZE - 1}`]);
    expect(ranges[10]).toEqual([11, `bytes=${10 * COPY_PART_SIZE}-${size - 1}`]);
    expect(s3.commandCalls(CompleteMultipartUploadCommand)[0]!.args[0].input.MultipartUpload!.Parts!.map((p) => p.ETag)).toEqual(
      Array.from({ length: 11 }, (_, i) => `e${i + 1}`),
    );
    s3.on(UploadPartCopyCommand).rejects(serviceError('InternalError', 500));
    s3.on(AbortMultipartUploadCommand).resolves({});
    await expect(landing.copyTo('landing/big.csv', size, lake, 'staging/x/raw/data.csv')).rejects.toThrow(/copy to s3:\/\/lake\/staging\/x\/raw\/data\.csv of s3:\/\/landing\/landing\/big\.csv failed: InternalError/);
    expect(s3.commandCalls(AbortMultipartUploadCommand).map((c) => c.args[0].input.UploadId)).toEqual(['u1']);
  });
});
