/**
 * S3 object-created notifications as they reach a Lambda through an SQS queue: each SQS record's body is the JSON
 * S3 sends (an S3 event, validated by Powertools Parser's own zod schema of it), or, once when the notification is
 * configured, `{"Event": "s3:TestEvent", …}`, which carries no object. Keys arrive URL-encoded with `+` for spaces.
 */
import { parse } from '@aws-lambda-powertools/parser';
import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import { S3Schema } from '@aws-lambda-powertools/parser/schemas/s3';
import { z } from 'zod';

export interface S3ObjectRef {
  readonly bucket: string;
  readonly key: string;
  readonly size?: number;
  /** the object's ETag as the notification carries it: with key and size, recognises a file already ingested unread */
  readonly eTag?: string;
}

const testEvent = z.object({ Event: z.literal('s3:TestEvent') });
const body = JSONStringified(z.union([testEvent, S3Schema]));
/** how Parser's JSONStringified begins the issue of a string that is not JSON */
const INVALID_JSON = 'Invalid JSON - ';

/** `a/b+c%2B.csv` → `a/b c+.csv` */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replaceAll('+', ' '));
}

/**
 * The objects an SQS message body announces: none for S3's test event; an error naming what is wrong for a body
 * that is not an S3 notification (the first problem of the S3 event's shape, when the body is JSON).
 */
export function objectsInNotification(text: string): S3ObjectRef[] {
  const parsed = parse(text, undefined, body, true);
  if (!parsed.success) {
    // the Parser's error holds the schema's issues as its cause
    const issues = (parsed.error.cause ?? []) as readonly { message: string }[];
    const notJson = issues.find((i) => i.message.startsWith(INVALID_JSON));
    if (notJson !== undefined) throw new Error(`message body is not JSON: ${notJson.message.slice(INVALID_JSON.length)}`);
    // not the test event either: say what the S3 event lacks
    const issue = S3Schema.safeParse(JSON.parse(text)).error?.issues[0];
    throw new Error(`message body is not an S3 notification: ${issue?.path.join('.') || '(top level)'}: ${issue?.message ?? parsed.error.message}`);
  }
  if ('Event' in parsed.data) return [];
  return parsed.data.Records.map((r) => ({
    bucket: r.s3.bucket.name,
    key: decodeS3Key(r.s3.object.key),
    ...(r.s3.object.size === undefined ? {} : { size: r.s3.object.size }),
    ...(r.s3.object.eTag === undefined ? {} : { eTag: r.s3.object.eTag }),
  }));
}
