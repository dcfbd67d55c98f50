/** Queue on the local default: each partner's messages are appended, one JSON object a line, to `outbox/<partner>.ndjson`. */
import type { ObjectStore } from '../store/port.js';
import type { Queue, QueueMessage, SendResult } from './port.js';

export class OutboxQueue implements Queue {
  readonly location: string;
  constructor(private readonly store: ObjectStore) {
    this.location = `${store.location}/outbox`;
  }

  static keyFor(partner: string): string {
    return `outbox/${partner}.ndjson`;
  }

  locationOf(partner: string): string {
    return `${this.store.location}/${OutboxQueue.keyFor(partner)}`;
  }

  async send(partner: string, messages: readonly QueueMessage[]): Promise<SendResult> {
    if (messages.length === 0) return { sent: 0, failed: [] };
    await this.store.append(OutboxQueue.keyFor(partner), messages.map((m) => m.body + '\n').join(''));
    return { sent: messages.length, failed: [] };
  }
}
