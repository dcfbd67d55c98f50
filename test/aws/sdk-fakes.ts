/** Small builders for the SDK's side of fault tests: service errors as the SDK throws them, and an S3 bucket in memory. */
import {
  CopyObjectCommand,
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

/**
 * the SQS message body S3 sends for a new object, whole (event structure version 2.1, as in the S3 user guide's
 * example), since the handlers validate it with Powertools Parser's S3 schema; `key` as S3 writes it (URL-encoded, +
 * for spaces)
 */
export function notification(bucket: string, key: string, size = 10, eTag = 'd41d8cd98f00b204e9800998ecf8427e'): string {
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: '2026-06-30T05:12:40.123Z',
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:AIDAEXAMPLE' },
        requestParameters: { sourceIPAddress: '203.0.113.7' },
        responseElements: { 'x-amz-request-id': 'C3D13FE58DE4C810', 'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'landing-notification',
          bucket: { name: bucket, ownerIdentity: { principalId: 'A3NL1KOZZKExample' }, arn: `arn:aws:s3:::${bucket}` },
          object: { key, size, eTag, sequencer: '0055AED6DCD90281E5' },
        },
      },
    ],
  });
}

/** GetObject's Body as the Node SDK returns it: a Readable of the bytes */
export function body(bytes: Uint8Array | string): Readable {
  return Readable.from([Buffer.from(bytes)], { objectMode: false });
}

/** Answers Put/Get/Head/List/Delete/Copy of one mocked S3 client from a map of bucket/key → bytes. */
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
  mock.on(CopyObjectCommand).callsFake((input: { Bucket: string; Key: string; CopySource: string }) => {
    const bytes = objects.get(decodeURIComponent(input.CopySource));
    if (bytes === undefined) throw missing('NoSuchKey');
    objects.set(at(input), bytes);
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

/** the environment the CDK app gives the handlers, with the buckets memoryS3 holds */
export const HANDLER_ENV = {
  AWS_REGION: 'us-east-1',
  STRATIFY_LANDING_BUCKET: 'stratify-landing',
  STRATIFY_LAKE_BUCKET: 'stratify-lake',
  STRATIFY_ATHENA_WORKGROUP: 'stratify',
  STRATIFY_GLUE_DATABASE: 'stratify',
};
