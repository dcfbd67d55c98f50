/** Small builders for the SDK's side of fault tests: service errors as the SDK throws them, and an S3 bucket in memory. */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { Readable } from 'node:stream';

/** an error shaped like the SDK's service exceptions: name = the service's code, plus the HTTP status */
export function serviceError(name: string, httpStatusCode: number, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
}

/** the SQS message body S3 sends for a new object; `key` as S3 writes it (URL-encoded, + for spaces) */
export function notification(bucket: string, key: string, size = 10): string {
  return JSON.stringify({ Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: bucket }, object: { key, size } } }] });
}

/** GetObject's Body as the Node SDK returns it: a Readable of the bytes */
export function body(bytes: Uint8Array | string): Readable {
  return Readable.from([Buffer.from(bytes)], { objectMode: false });
}

/** Answers Put/Get/Head/List/Delete of one mocked S3 client from a map of bucket/key → bytes. */
export function memoryS3(mock: AwsClientStub<S3Client>, objects = new Map<string, Buffer>()): Map<string, Buffer> {
  const at = (input: { Bucket?: string; Key?: string }) => `${input.Bucket}/${input.Key}`;
  const missing = (code: string) => serviceError(code, 404);
  mock.on(PutObjectCommand).callsFake((input: { Bucket: string; Key: string; Body: Uint8Array }) => {
    objects.set(at(input), Buffer.from(input.Body));
    return {};
  });
  mock.on(GetObjectCommand).callsFake((input: { Bucket: string; Key: string }) => {
    const bytes = objects.get(at(input));
    if (bytes === undefined) throw missing('NoSuchKey');
    return { Body: body(bytes) };
  });
  mock.on(HeadObjectCommand).callsFake((input: { Bucket: string; Key: string }) => {
    if (!objects.has(at(input))) throw missing('NotFound');
    return {};
  });
  mock.on(DeleteObjectCommand).callsFake((input: { Bucket: string; Key: string }) => {
    objects.delete(at(input));
    return {};
  });
  mock.on(ListObjectsV2Command).callsFake((input: { Bucket: string; Prefix?: string }) => {
    const head = `${input.Bucket}/${input.Prefix ?? ''}`;
    const Contents = [...objects]
      .filter(([k]) => k.startsWith(head))
      .map(([k, v]) => ({ Key: k.slice(input.Bucket.length + 1), Size: v.length }));
    return { Contents, IsTruncated: false };
  });
  return objects;
}
