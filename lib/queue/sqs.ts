/**
 * Queue on SQS: one queue URL per partner. Messages go out with SendMessageBatch, at most ten entries and 256 KiB a
 * call. Entries SQS refuses for its own reasons (SenderFault false) are retried with backoff, and so are whole calls
 * that fail for throttling, a 5xx or the network (lib/aws/sdk-errors.ts isTransient); entries refused as malformed
 * (SenderFault true) are not. A call refused with any other 4xx (AccessDenied, a missing queue, a KMS key the role
 * may not use) would be refused again: it fails the rest of that partner's messages at once, with the reason. A
 * message not sent is returned in `failed` with SQS's code and message, never dropped. A body over 256 KiB fails on
 * its own, before any call.
 *
 * Every message carries its `idempotency_key` as a message attribute too, for partners to deduplicate on.
 * Entry ids are a short hash of the idempotency key (SQS allows 80 letters, digits, `-` and `_`). A FIFO queue
 * (`.fifo`) also gets the key's hash as MessageDeduplicationId and the partner as MessageGroupId, which keeps each
 * worklist in rank order.
 */
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import { createHash } from 'node:crypto';
import { backoffDelay, sleep, type BackoffOptions } from '../aws/backoff.js';
import { errorCode, errorMessage, isTransient } from '../aws/sdk-errors.js';
import type { Queue, QueueMessage, SendResult } from './port.js';

/** SQS's classic limit on one message and on one batch call (larger queues accept 1 MiB; 256 KiB works everywhere) */
export const MAX_SQS_BYTES = 256 * 1024;
const MAX_BATCH_ENTRIES = 10;

export interface SqsQueueOptions {
  readonly client: SQSClient;
  /** partner name → queue URL */
  readonly queueUrls: Readonly<Record<string, string>>;
  /** calls per entry in all, the first included @default 5 */
  readonly attempts?: number;
  /** @default { baseMs: 200, maxMs: 5_000 } */
  readonly backoff?: BackoffOptions;
}

export function entryId(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40);
}

type Failure = SendResult['failed'][number];

/** what SQS counts of an entry against its size limits: the body, and each attribute's name, type and value */
function entryBytes(e: SendMessageBatchRequestEntry): number {
  let n = Buffer.byteLength(e.MessageBody ?? '', 'utf8');
  for (const [name, a] of Object.entries(e.MessageAttributes ?? {})) n += Buffer.byteLength(name + (a.DataType ?? '') + (a.StringValue ?? ''), 'utf8');
  return n;
}

/** Consecutive runs of at most ten entries and MAX_SQS_BYTES of messages (bodies and attributes). */
function batches(entries: readonly SendMessageBatchRequestEntry[]): SendMessageBatchRequestEntry[][] {
  const out: SendMessageBatchRequestEntry[][] = [];
  let current: SendMessageBatchRequestEntry[] = [];
  let bytes = 0;
  for (const e of entries) {
    const size = entryBytes(e);
    if (current.length === MAX_BATCH_ENTRIES || (current.length > 0 && bytes + size > MAX_SQS_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(e);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

export class SqsQueue implements Queue {
  readonly location = 'sqs';
  readonly #client: SQSClient;
  readonly #urls: Readonly<Record<string, string>>;
  readonly #attempts: number;
  readonly #backoff: BackoffOptions;

  constructor(options: SqsQueueOptions) {
    this.#client = options.client;
    this.#urls = { ...options.queueUrls };
    this.#attempts = options.attempts ?? 5;
    this.#backoff = options.backoff ?? {};
  }

  locationOf(partner: string): string {
    return this.#urls[partner] ?? `no queue configured for ${partner}`;
  }

  async send(partner: string, messages: readonly QueueMessage[]): Promise<SendResult> {
    const url = this.#urls[partner];
    if (url === undefined) throw new Error(`no SQS queue URL for partner ${partner} (configured: ${Object.keys(this.#urls).join(', ') || 'none'})`);
    const fifo = url.endsWith('.fifo');
    const keyOf = new Map<string, string>();
    const failed: Failure[] = [];
    const entries: SendMessageBatchRequestEntry[] = [];
    for (const m of messages) {
      const id = entryId(m.idempotencyKey);
      if (keyOf.has(id)) throw new Error(`idempotency key ${m.idempotencyKey} appears twice in one send to ${partner}`);
      keyOf.set(id, m.idempotencyKey);
      const entry: SendMessageBatchRequestEntry = {
        Id: id,
        MessageBody: m.body,
        // a standard queue delivers at least once, and a crash can make dispatch send a message again (intent.ts):
        // partners drop duplicates by this attribute (or the body's field of the same name)
        MessageAttributes: { idempotency_key: { DataType: 'String', StringValue: m.idempotencyKey } },
        ...(fifo ? { MessageDeduplicationId: id, MessageGroupId: partner } : {}),
      };
      const bytes = entryBytes(entry);
      if (bytes > MAX_SQS_BYTES) {
        failed.push({ idempotencyKey: m.idempotencyKey, reason: `message is ${bytes} bytes with its attributes, over the ${MAX_SQS_BYTES}-byte SQS limit` });
        continue;
      }
      entries.push(entry);
    }

    let sent = 0;
    let refused: string | undefined;
    for (const batch of batches(entries)) {
      const result = refused === undefined ? await this.#sendBatch(url, batch) : { sent: 0, failed: batch.map((e) => ({ id: e.Id!, reason: refused! })) };
      sent += result.sent;
      refused ??= result.refused;
      for (const f of result.failed) failed.push({ idempotencyKey: keyOf.get(f.id)!, reason: f.reason });
    }
    return { sent, failed };
  }

  /**
   * One batch, retrying what may succeed later; returns what was sent and, by entry id, what never was, and `refused`
   * when the call itself was refused for a reason a retry cannot change.
   */
  async #sendBatch(
    url: string,
    batch: readonly SendMessageBatchRequestEntry[],
  ): Promise<{ sent: number; failed: { id: string; reason: string }[]; refused?: string }> {
    let pending = [...batch];
    const permanent: { id: string; reason: string }[] = [];
    let sent = 0;
    let lastReason = new Map<string, string>();
    for (let attempt = 0; attempt < this.#attempts && pending.length > 0; attempt++) {
      if (attempt > 0) await sleep(backoffDelay(attempt - 1, this.#backoff));
      let res;
      try {
        res = await this.#client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: pending }));
      } catch (e) {
        const reason = `${errorCode(e)}: ${errorMessage(e)}`;
        if (!isTransient(e)) return { sent, failed: [...permanent, ...pending.map((p) => ({ id: p.Id!, reason }))], refused: reason };
        lastReason = new Map(pending.map((p) => [p.Id!, reason]));
        continue;
      }
      const accepted = new Set((res.Successful ?? []).map((s) => s.Id));
      const refused = new Map((res.Failed ?? []).map((f) => [f.Id, f]));
      lastReason = new Map();
      const retry: SendMessageBatchRequestEntry[] = [];
      for (const entry of pending) {
        const f = refused.get(entry.Id!);
        const reason = f === undefined ? 'SQS neither accepted nor refused the entry' : `${f.Code ?? 'Unknown'}: ${f.Message ?? 'no message'}`;
        if (accepted.has(entry.Id!)) sent++;
        else if (f?.SenderFault) permanent.push({ id: entry.Id!, reason });
        else {
          retry.push(entry);
          lastReason.set(entry.Id!, reason);
        }
      }
      pending = retry;
    }
    const exhausted = pending.map((p) => ({ id: p.Id!, reason: `${lastReason.get(p.Id!) ?? 'not sent'} (after ${this.#attempts} attempts)` }));
    return { sent, failed: [...permanent, ...exhausted] };
  }
}
