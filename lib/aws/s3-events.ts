/**
 * S3 object-created notifications as they reach a Lambda through an SQS queue: each SQS record's body is the JSON
 * S3 sends, `{"Records": [{"s3": {"bucket": {"name"}, "object": {"key", "size"}}}]}`, or, once when the notification
 * is configured, `{"Event": "s3:TestEvent", …}`, which carries no object. Keys arrive URL-encoded with `+` for spaces.
 */
import { z } from 'zod';

export interface S3ObjectRef {
  readonly bucket: string;
  readonly key: string;
  readonly size?: number;
}

const notification = z.object({
  Records: z
    .array(
      z.object({
        s3: z.object({
          bucket: z.object({ name: z.string().min(1) }),
          object: z.object({ key: z.string().min(1), size: z.number().int().nonnegative().optional() }),
        }),
      }),
    )
    .min(1),
});

const testEvent = z.object({ Event: z.literal('s3:TestEvent') });

/** `a/b+c%2B.csv` → `a/b c+.csv` */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replaceAll('+', ' '));
}

/**
 * The objects an SQS message body announces: none for S3's test event; an error naming what is wrong for a body
 * that is not an S3 notification.
 */
export function objectsInNotification(body: string): S3ObjectRef[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (e) {
    throw new Error(`message body is not JSON: ${(e as Error).message}`, { cause: e });
  }
  if (testEvent.safeParse(json).success) return [];
  const parsed = notification.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`message body is not an S3 notification: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data.Records.map((r) => ({
    bucket: r.s3.bucket.name,
    key: decodeS3Key(r.s3.object.key),
    ...(r.s3.object.size === undefined ? {} : { size: r.s3.object.size }),
  }));
}
