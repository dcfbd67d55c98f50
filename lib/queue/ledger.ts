/**
 * The dispatch ledger: one NDJSON object per message a partner's queue accepted, at `dispatch/ledger/<partner>.ndjson`.
 * It is appended after the send; the intent written before the send (intent.ts) lets the next dispatch complete a
 * send that a crash cut off before its record.
 */
import { z } from 'zod';
import type { ObjectStore } from '../store/port.js';
import { isCalendarDate } from '../tables/define.js';
import { appendLines, parseNdjson, toNdjson } from './ndjson.js';

export const ledgerEntrySchema = z.object({
  idempotency_key: z.string().min(1),
  person_id: z.string().min(1),
  program: z.string().min(1),
  as_of_date: z.string().refine(isCalendarDate),
  /** the tier the member was sent with (entries written before tiers were recorded have none: suppression counts them as critical) */
  tier: z.string().optional(),
  sent_at: z.string(),
});

export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

export function ledgerKey(partner: string): string {
  return `dispatch/ledger/${partner}.ndjson`;
}

/** The partner's ledger; a line that does not parse (a torn append) is counted and skipped. */
export async function readLedger(store: ObjectStore, partner: string): Promise<{ records: LedgerEntry[]; invalid: number }> {
  const key = ledgerKey(partner);
  if (!(await store.exists(key))) return { records: [], invalid: 0 };
  return parseNdjson(new TextDecoder().decode(await store.get(key)), ledgerEntrySchema);
}

export async function appendLedger(store: ObjectStore, partner: string, entries: readonly LedgerEntry[]): Promise<void> {
  await appendLines(store, ledgerKey(partner), toNdjson(entries));
}
