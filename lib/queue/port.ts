/**
 * Queue: how flagged members reach a partner. Locally one NDJSON outbox file per partner; on AWS one SQS queue per
 * partner. `send` reports, per message, whether it was delivered: a message that fails is never dropped silently.
 */
export interface QueueMessage {
  /** deduplication key: the same key is never delivered twice by the dispatch stage */
  readonly idempotencyKey: string;
  readonly body: string;
}

export interface SendResult {
  readonly sent: number;
  readonly failed: readonly { idempotencyKey: string; reason: string }[];
}

export interface Queue {
  readonly location: string;
  /** where one partner's messages go (an outbox file, a queue URL), for reports; `location` when not given */
  locationOf?(partner: string): string;
  send(partner: string, messages: readonly QueueMessage[]): Promise<SendResult>;
}
