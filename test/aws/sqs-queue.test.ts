/** SqsQueue against a mocked SQS client: batching in tens and by bytes, partial failures, permanent failures, FIFO. */
import { SendMessageBatchCommand, SQSClient, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { QueueMessage } from '../../lib/queue/port.js';
import { entryId, MAX_SQS_BYTES, SqsQueue } from '../../lib/queue/sqs.js';
import { serviceError } from './sdk-fakes.js';

const sqs = mockClient(SQSClient);
const URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/stratify-heartline';

function queue(url = URL): SqsQueue {
  return new SqsQueue({ client: new SQSClient({ region: 'us-east-1' }), queueUrls: { heartline: url }, attempts: 3, backoff: { baseMs: 1, maxMs: 2 } });
}

function messages(n: number, bodyBytes = 20): QueueMessage[] {
  return Array.from({ length: n }, (_, i) => ({ idempotencyKey: `key-${i}`, body: `${i}`.padEnd(bodyBytes, '.') }));
}

const entriesOf = (call: number) => sqs.commandCalls(SendMessageBatchCommand)[call]!.args[0].input.Entries!;
const accept = (entries: SendMessageBatchRequestEntry[]) => ({ Successful: entries.map((e) => ({ Id: e.Id!, MessageId: `m-${e.Id}`, MD5OfMessageBody: '' })), Failed: [] });

describe('SqsQueue', () => {
  beforeEach(() => sqs.reset());

  it('sends in batches of ten with distinct valid entry ids', async () => {
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: SendMessageBatchRequestEntry[] }) => accept(input.Entries));
    const result = await queue().send('heartline', messages(23));
    expect(result).toEqual({ sent: 23, failed: [] });
    expect([0, 1, 2].map((i) => entriesOf(i).length)).toEqual([10, 10, 3]);
    const ids = [0, 1, 2].flatMap((i) => entriesOf(i).map((e) => e.Id!));
    expect(new Set(ids).size).toBe(23);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    expect(entriesOf(0)[0]).toEqual({
      Id: entryId('key-0'),
      MessageBody: messages(1)[0]!.body,
      MessageAttributes: { idempotency_key: { DataType: 'String', StringValue: 'key-0' } },
    });
  });

  it('keeps each call under 256 KiB of bodies', async () => {
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: SendMessageBatchRequestEntry[] }) => accept(input.Entries));
    // 60 KiB bodies: four make 240 KiB, a fifth would pass 256 KiB
    await queue().send('heartline', messages(10, 60 * 1024));
    expect(sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries!.length)).toEqual([4, 4, 2]);
  });

  it('retries only the entries SQS failed on its side, and they succeed', async () => {
    const batch = messages(5);
    const [id1, id3] = [entryId('key-1'), entryId('key-3')];
    sqs
      .on(SendMessageBatchCommand)
      .callsFakeOnce((input: { Entries: SendMessageBatchRequestEntry[] }) => ({
        Successful: accept(input.Entries.filter((e) => e.Id !== id1 && e.Id !== id3)).Successful,
        Failed: [id1, id3].map((Id) => ({ Id, SenderFault: false, Code: 'InternalError', Message: 'try again' })),
      }))
      .callsFake((input: { Entries: SendMessageBatchRequestEntry[] }) => accept(input.Entries));
    expect(await queue().send('heartline', batch)).toEqual({ sent: 5, failed: [] });
    expect(entriesOf(1).map((e) => e.Id)).toEqual([id1, id3]);
  });

  it('reports an entry refused as malformed without retrying it, and one still failing after every attempt', async () => {
    const [id0, id1] = [entryId('key-0'), entryId('key-1')];
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: SendMessageBatchRequestEntry[] }) => ({
      Successful: accept(input.Entries.filter((e) => e.Id !== id0 && e.Id !== id1)).Successful,
      Failed: [
        ...(input.Entries.some((e) => e.Id === id0) ? [{ Id: id0, SenderFault: true, Code: 'InvalidMessageContents', Message: 'bad character' }] : []),
        { Id: id1, SenderFault: false, Code: 'ServiceUnavailable', Message: 'busy' },
      ],
    }));
    const result = await queue().send('heartline', messages(3));
    expect(result.sent).toBe(1);
    expect(result.failed).toEqual([
      { idempotencyKey: 'key-0', reason: 'InvalidMessageContents: bad character' },
      { idempotencyKey: 'key-1', reason: 'ServiceUnavailable: busy (after 3 attempts)' },
    ]);
    expect(sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries!.length)).toEqual([3, 1, 1]);
  });

  it('retries a call that failed as a whole for throttling, a 5xx or the network, then reports its entries with the error', async () => {
    const socketHangUp = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    sqs
      .on(SendMessageBatchCommand)
      .rejectsOnce(serviceError('RequestThrottled', 400, 'slow down'))
      .rejectsOnce(serviceError('InternalError', 500, 'we had a problem'))
      .callsFakeOnce((input: { Entries: SendMessageBatchRequestEntry[] }) => accept(input.Entries))
      .rejectsOnce(socketHangUp)
      .callsFake((input: { Entries: SendMessageBatchRequestEntry[] }) => accept(input.Entries));
    // three attempts per batch: the first batch of ten is throttled, then gets a 5xx, then goes; the second batch of two is hung up on once
    expect(await queue().send('heartline', messages(12))).toEqual({ sent: 12, failed: [] });
    expect(sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries!.length)).toEqual([10, 10, 10, 2, 2]);

    sqs.reset();
    sqs.on(SendMessageBatchCommand).rejects(serviceError('ServiceUnavailable', 503, 'busy'));
    const result = await queue().send('heartline', messages(2));
    expect(result.sent).toBe(0);
    expect(result.failed.map((f) => f.reason)).toEqual(['ServiceUnavailable: busy (after 3 attempts)', 'ServiceUnavailable: busy (after 3 attempts)']);
  });

  it('fails the rest of the partner at once, without retrying, when a call is refused with another 4xx', async () => {
    sqs.on(SendMessageBatchCommand).rejects(serviceError('AccessDenied', 403, 'not authorized to use the key'));
    const result = await queue().send('heartline', messages(12));
    expect(result.sent).toBe(0);
    expect(result.failed).toHaveLength(12);
    expect(new Set(result.failed.map((f) => f.reason))).toEqual(new Set(['AccessDenied: not authorized to use the key']));
    // one call: neither a retry of the first batch nor a call for the second
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
  });

  it('fails a message over 256 KiB with its attributes on its own and sends the rest', async () => {
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: SendMessageBatchRequestEntry[] }) => accept(input.Entries));
    // a body 10 bytes under the limit, plus its attribute: 'idempotency_key' (15) + 'String' (6) + 'big' (3) = 24
    // bytes, so 262,134 + 24 = 262,158 bytes, 14 over
    const big = { idempotencyKey: 'big', body: 'x'.repeat(MAX_SQS_BYTES - 10) };
    const result = await queue().send('heartline', [big, ...messages(2)]);
    expect(result).toEqual({ sent: 2, failed: [{ idempotencyKey: 'big', reason: 'message is 262158 bytes with its attributes, over the 262144-byte SQS limit' }] });
  });

  it('adds deduplication and group ids on a FIFO queue only', async () => {
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: SendMessageBatchRequestEntry[] }) => accept(input.Entries));
    await queue(`${URL}.fifo`).send('heartline', messages(1));
    expect(entriesOf(0)[0]).toMatchObject({ MessageDeduplicationId: entryId('key-0'), MessageGroupId: 'heartline' });
  });

  it('names a partner with no queue', async () => {
    await expect(queue().send('sugarwise', messages(1))).rejects.toThrow('no SQS queue URL for partner sugarwise (configured: heartline)');
  });
});
