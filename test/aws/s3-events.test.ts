/** S3 notifications delivered through SQS (Powertools Parser's S3 schema): keys decoded, the test event ignored, other bodies refused with a reason. */
import { describe, expect, it } from 'vitest';
import { decodeS3Key, objectsInNotification } from '../../lib/aws/s3-events.js';
import { notification } from './sdk-fakes.js';

describe('S3 notifications', () => {
  it('decodes keys as S3 encodes them: + for a space, %XX for the rest', () => {
    expect(decodeS3Key('landing/June+2026/claims%2B%C3%A9.csv')).toBe('landing/June 2026/claims+é.csv');
  });

  it('lists the objects of a notification and none for the test event', () => {
    expect(objectsInNotification(notification('landing-b', 'landing/a+b.csv', 42))).toEqual([
      { bucket: 'landing-b', key: 'landing/a b.csv', size: 42, eTag: 'd41d8cd98f00b204e9800998ecf8427e' },
    ]);
    expect(objectsInNotification(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'landing-b' }))).toEqual([]);
  });

  it('says why a body is not a notification', () => {
    const withoutKey = JSON.parse(notification('b', 'landing/x.csv')) as { Records: { s3: { object: Record<string, unknown> } }[] };
    delete withoutKey.Records[0]!.s3.object['key'];
    expect(() => objectsInNotification(JSON.stringify(withoutKey))).toThrow(
      'message body is not an S3 notification: Records.0.s3.object.key: Invalid input: expected string, received undefined',
    );
    expect(() => objectsInNotification('{oops')).toThrow(/^message body is not JSON/);
    expect(() => objectsInNotification(JSON.stringify({ Records: [{ s3: { bucket: { name: 'b' } } }] }))).toThrow(
      'message body is not an S3 notification: Records.0.eventVersion: Invalid input: expected string, received undefined',
    );
  });
});
