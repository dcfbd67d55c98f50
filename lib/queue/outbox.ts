/**
 * Queue on the local default: each partner's messages are appended, one JSON object a line, to `outbox/<partner>.ndjson`.
 * A send is idempotent by key: a message whose `idempotency_key` the outbox already holds is not appended again, so a
 * dispatch that completes a send cut off by a crash (lib/queue/intent.ts) puts each member in the outbox once.
 */
import type { ObjectStore } from '../store/port.js';
import { appendLines } from './ndjson.js';
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
    const key = OutboxQueue.keyFor(partner);
    const existing = (await this.store.exists(key)) ? await this.store.get(key) : new Uint8Array(0);
    const held = keysIn(new TextDecoder().decode(existing));
    const fresh = messages.filter((m) => !held.has(m.idempotencyKey));
    await appendLines(this.store, key, fresh.map((m) => m.body + '\n').join(''), existing);
    return { sent: messages.length, failed: [] };
  }
}

/** the idempotency keys of the outbox's messages (a torn or foreign line holds none) */
function keysIn(text: string): Set<string> {
  const keys = new Set<string>();
  for (const line of text.split('\n')) {
    try {
      const key = (JSON.parse(line) as { idempotency_key?: unknown }).idempotency_key;
      if (typeof key === 'string') keys.add(key);
    } catch {
      // a torn line: its message is sent again
    }
  }
  return keys;
}
