/**
 * Dispatch stage: the flags of an as-of date become, per configured partner, a ranked worklist CSV in the store and
 * one queue message per member not suppressed (see lib/queue/suppression.ts). Messages the queue accepts go into the
 * partner's ledger; failed ones do not, so the next run sends them again.
 *
 * Each member is sent once per partner, program and date, whatever crashes or runs beside it:
 * - one dispatch per partner at a time: `dispatch/lock/<partner>.json` (exclusive.ts), held from reading the ledger
 *   to recording the send; a second dispatch (another Step Functions execution of the same date) waits for it;
 * - the intent is recorded before the send and completed by the next dispatch after a crash (lib/queue/intent.ts).
 */
import type { StratifyConfig } from '../config/schema.js';
import { crashPoint } from '../crash.js';
import { readTableRows } from '../parquet/reader.js';
import { quarantineKey } from '../ingest/quarantine.js';
import type { QuarantineLine } from '../ingest/types.js';
import { inReportOrder, readFeedbackFiles, type Feedback } from '../queue/feedback.js';
import { toNdjson } from '../queue/ndjson.js';
import { asQueueMessage, clearIntent, readIntent, writeIntent } from '../queue/intent.js';
import { appendLedger, readLedger, type LedgerEntry } from '../queue/ledger.js';
import { flagMessage, toQueueMessage, type FlagMessage } from '../queue/message.js';
import type { SendResult } from '../queue/port.js';
import { suppressor } from '../queue/suppression.js';
import { statusDescriber, worklistCsv, type WorklistStatus } from '../queue/worklist.js';
import type { FlagRow } from '../scoring/population.js';
import { flags, isCalendarDate, zodSchema } from '../tables/index.js';
import type { PipelineContext } from './context.js';
import { exclusive } from './exclusive.js';

export interface DispatchResult {
  asOf: string;
  partners: { partner: string; program: string; flagged: number; sent: number; suppressed: number; failed: number; worklistKey: string; outboxLocation: string }[];
  /** partner feedback lines rejected (not JSON, a field missing or wrong, reported in the future), each quarantined */
  feedbackRejected: QuarantineLine[];
}

const flagRows = zodSchema(flags).array();

/** the worklist statuses of the members that go on the queue today */
const SENDING: ReadonlySet<WorklistStatus> = new Set(['sent', 'sent: tier worsened']);

export function worklistKey(asOf: string, partner: string): string {
  return `worklists/as_of=${asOf}/${partner}.csv`;
}

/**
 * `partner`: that partner alone (the state machine dispatches to each partner in a task of its own, in parallel; each
 * holds its own partner's lock, intent and ledger, so the rules above hold partner by partner)
 */
export async function dispatch(ctx: PipelineContext, asOf: string, config: StratifyConfig, partner?: string): Promise<DispatchResult> {
  if (!isCalendarDate(asOf)) throw new Error(`as-of date ${asOf} is not a calendar date (YYYY-MM-DD)`);
  if (partner !== undefined && !config.partners.some((p) => p.name === partner)) throw new Error(`partner ${partner} is not in the configuration`);
  const chosen = config.partners.filter((p) => partner === undefined || p.name === partner);
  const rows = (flagRows.parse(await readTableRows(ctx.store, flags, asOf)) as FlagRow[]).sort(
    (a, b) => a.partner.localeCompare(b.partner) || a.rank - b.rank,
  );

  const configured = new Set(config.partners.map((p) => p.name));
  const unknown = rows.filter((r) => !configured.has(r.partner)).length;
  if (unknown > 0 && partner === undefined) ctx.progress({ stage: 'dispatch', message: `${unknown} flags name a partner not in the configuration; not sent` });

  const partners: DispatchResult['partners'] = [];
  const feedbackRejected: QuarantineLine[] = [];
  for (const [i, { name, program }] of chosen.entries()) {
    const messages = rows.filter((r) => r.partner === name).map(flagMessage);
    const key = worklistKey(asOf, name);
    const feedback = await readFeedbackFiles(ctx.store, name);
    for (const f of feedback.filter((x) => x.rejected.length > 0)) {
      // named by the file's content hash, as ingest's logs: the same file read again writes the same log
      await ctx.store.put(quarantineKey(f.sha16), toNdjson(f.rejected));
      feedbackRejected.push(...f.rejected);
    }
    const { status, ...counts } = await sendToPartner(ctx, name, messages, inReportOrder(feedback), asOf, config);
    await ctx.store.put(key, worklistCsv(messages, (m) => status.get(m.person_id)!));
    crashPoint('dispatch:after-partner');
    partners.push({ partner: name, program, flagged: messages.length, ...counts, worklistKey: key, outboxLocation: ctx.queue.locationOf?.(name) ?? ctx.queue.location });
    ctx.progress({
      stage: 'dispatch',
      message: `${name}: ${messages.length} flagged, ${counts.sent} sent, ${counts.suppressed} suppressed, ${counts.failed} failed`,
      done: i + 1,
      total: chosen.length,
    });
  }
  return { asOf, partners, feedbackRejected };
}

export function dispatchLockKey(partner: string): string {
  return `dispatch/lock/${partner}.json`;
}

/** sends what a crashed dispatch intended and did not record; returns how many it sent */
async function reconcile(ctx: PipelineContext, partner: string): Promise<number> {
  const intent = await readIntent(ctx.store, partner);
  if (intent.length === 0) return 0;
  const recorded = new Set((await readLedger(ctx.store, partner)).records.map((e) => e.idempotency_key));
  const missing = intent.filter((i) => !recorded.has(i.entry.idempotency_key));
  const result = await ctx.queue.send(partner, missing.map(asQueueMessage));
  const failed = new Set(result.failed.map((f) => f.idempotencyKey));
  await appendLedger(ctx.store, partner, missing.filter((i) => !failed.has(i.entry.idempotency_key)).map((i) => i.entry));
  // what the queue refused again stays intended, for the next dispatch
  if (failed.size > 0) await writeIntent(ctx.store, partner, missing.filter((i) => failed.has(i.entry.idempotency_key)));
  else await clearIntent(ctx.store, partner);
  if (missing.length > 0) ctx.progress({ stage: 'dispatch', message: `${partner}: completed ${missing.length} sends an interrupted dispatch left unrecorded` });
  return missing.length - failed.size;
}

async function sendToPartner(
  ctx: PipelineContext,
  partner: string,
  messages: readonly FlagMessage[],
  feedback: readonly Feedback[],
  asOf: string,
  config: StratifyConfig,
): Promise<{ sent: number; suppressed: number; failed: number; status: Map<string, string> }> {
  return exclusive(ctx, 'dispatch', dispatchLockKey(partner), `dispatch to ${partner} (as of ${asOf})`, async () => {
    await reconcile(ctx, partner);
    const ledger = await readLedger(ctx.store, partner);
    if (ledger.invalid > 0) ctx.progress({ stage: 'dispatch', message: `${partner}: skipped ${ledger.invalid} unreadable ledger lines` });
    const policy = { asOf, windowDays: config.dispatch.suppression_days, cooloffDays: config.dispatch.cooloff_days };
    const decide = suppressor(ledger.records, feedback, policy);
    const status = new Map<string, WorklistStatus>();
    for (const m of messages) status.set(m.person_id, decide(m));
    const toSend = messages.filter((m) => SENDING.has(status.get(m.person_id)!));

    const sentAt = new Date().toISOString();
    const entryOf = (m: FlagMessage): LedgerEntry => ({
      idempotency_key: m.idempotency_key,
      person_id: m.person_id,
      program: m.program,
      as_of_date: m.as_of_date,
      tier: m.tier,
      sent_at: sentAt,
    });
    if (toSend.length > 0) await writeIntent(ctx.store, partner, toSend.map((m) => ({ entry: entryOf(m), body: toQueueMessage(m).body })));
    crashPoint('dispatch:after-intent');

    let result: SendResult;
    try {
      result = await ctx.queue.send(partner, toSend.map(toQueueMessage));
    } catch (e) {
      // a queue that is down fails this partner's batch; the other partners still get theirs
      result = { sent: 0, failed: toSend.map((m) => ({ idempotencyKey: m.idempotency_key, reason: (e as Error).message })) };
    }
    crashPoint('dispatch:after-send');
    const failed = new Set(result.failed.map((f) => f.idempotencyKey));
    for (const m of toSend) if (failed.has(m.idempotency_key)) status.set(m.person_id, 'send failed');
    if (failed.size > 0) {
      const why = [...new Set(result.failed.map((f) => f.reason))].join('; ');
      ctx.progress({ stage: 'dispatch', message: `${partner}: ${failed.size} messages failed (${why}); they will be retried on the next run` });
    }

    const accepted = toSend.filter((m) => !failed.has(m.idempotency_key)).map(entryOf);
    await appendLedger(ctx.store, partner, accepted);
    crashPoint('dispatch:after-record');
    if (toSend.length > 0) await clearIntent(ctx.store, partner);
    const describe = statusDescriber(ledger.records, feedback, policy);
    const text = new Map([...status].map(([person, s]) => [person, describe(person, s)]));
    return { sent: accepted.length, suppressed: messages.length - toSend.length, failed: toSend.length - accepted.length, status: text };
  });
}
