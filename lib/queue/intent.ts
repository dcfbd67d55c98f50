/**
 * The intent of a partner's dispatch, written before its messages are sent: `dispatch/pending/<partner>.ndjson`,
 * one line per message about to go out, `{entry, body}` (the ledger entry it will become and the message). The
 * send and its record (the ledger) can then never disagree for good after a crash at any point:
 *
 *   write intent → send → append the accepted to the ledger → remove intent
 *
 * A dispatch that finds an intent left by a crash first completes it (`reconcile`): every message of it not in the
 * ledger is sent again and recorded. Locally that send is idempotent (the outbox appends only keys it does not hold,
 * lib/queue/outbox.ts), so the member is in the outbox and the ledger exactly once; on SQS a message sent just before
 * the crash can go out twice, with the same `idempotency_key` (a message attribute too) for the partner to drop it.
 */
import { z } from 'zod';
import type { ObjectStore } from '../store/port.js';
import { ledgerEntrySchema, type LedgerEntry } from './ledger.js';
import { parseNdjson, toNdjson } from './ndjson.js';
import type { QueueMessage } from './port.js';

const intentSchema = z.object({ entry: ledgerEntrySchema, body: z.string().min(1) });

export interface Intent {
  readonly entry: LedgerEntry;
  readonly body: string;
}

export function intentKey(partner: string): string {
  return `dispatch/pending/${partner}.ndjson`;
}

/** the intent a crashed dispatch left for `partner`; empty when there is none */
export async function readIntent(store: ObjectStore, partner: string): Promise<Intent[]> {
  const key = intentKey(partner);
  if (!(await store.exists(key))) return [];
  return parseNdjson(new TextDecoder().decode(await store.get(key)), intentSchema).records;
}

/** recorded in one put, so a crash leaves the whole intent or none */
export async function writeIntent(store: ObjectStore, partner: string, intents: readonly Intent[]): Promise<void> {
  await store.put(intentKey(partner), toNdjson(intents));
}

export async function clearIntent(store: ObjectStore, partner: string): Promise<void> {
  await store.delete(intentKey(partner));
}

export function asQueueMessage(intent: Intent): QueueMessage {
  return { idempotencyKey: intent.entry.idempotency_key, body: intent.body };
}
