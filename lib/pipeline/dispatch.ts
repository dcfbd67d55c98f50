/**
 * Dispatch stage: the flags of an as-of date become, per configured partner, a ranked worklist CSV in the store and
 * one queue message per member not suppressed (see lib/queue/suppression.ts). Messages the queue accepts go into the
 * partner's ledger; failed ones do not, so the next run sends them again.
 */
import type { StratifyConfig } from '../config/schema.js';
import { readTableRows } from '../parquet/reader.js';
import { quarantineKey } from '../ingest/quarantine.js';
import type { QuarantineLine } from '../ingest/types.js';
import { inReportOrder, readFeedbackFiles, type Feedback } from '../queue/feedback.js';
import { toNdjson } from '../queue/ndjson.js';
import { appendLedger, readLedger, type LedgerEntry } from '../queue/ledger.js';
import { flagMessage, toQueueMessage, type FlagMessage } from '../queue/message.js';
import type { SendResult } from '../queue/port.js';
import { suppressor } from '../queue/suppression.js';
import { statusDescriber, worklistCsv, type WorklistStatus } from '../queue/worklist.js';
import type { FlagRow } from '../scoring/population.js';
import { flags, isCalendarDate, zodSchema } from '../tables/index.js';
import type { PipelineContext } from './context.js';

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

export async function dispatch(ctx: PipelineContext, asOf: string, config: StratifyConfig): Promise<DispatchResult> {
  if (!isCalendarDate(asOf)) throw new Error(`as-of date ${asOf} is not a calendar date (YYYY-MM-DD)`);
  const rows = (flagRows.parse(await readTableRows(ctx.store, flags, asOf)) as FlagRow[]).sort(
    (a, b) => a.partner.localeCompare(b.partner) || a.rank - b.rank,
  );

  const configured = new Set(config.partners.map((p) => p.name));
  const unknown = rows.filter((r) => !configured.has(r.partner)).length;
  if (unknown > 0) ctx.progress({ stage: 'dispatch', message: `${unknown} flags name a partner not in the configuration; not sent` });

  const partners: DispatchResult['partners'] = [];
  const feedbackRejected: QuarantineLine[] = [];
  for (const [i, { name, program }] of config.partners.entries()) {
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
    partners.push({ partner: name, program, flagged: messages.length, ...counts, worklistKey: key, outboxLocation: ctx.queue.locationOf?.(name) ?? ctx.queue.location });
    ctx.progress({
      stage: 'dispatch',
      message: `${name}: ${messages.length} flagged, ${counts.sent} sent, ${counts.suppressed} suppressed, ${counts.failed} failed`,
      done: i + 1,
      total: config.partners.length,
    });
  }
  return { asOf, partners, feedbackRejected };
}

async function sendToPartner(
  ctx: PipelineContext,
  partner: string,
  messages: readonly FlagMessage[],
  feedback: readonly Feedback[],
  asOf: string,
  config: StratifyConfig,
): Promise<{ sent: number; suppressed: number; failed: number; status: Map<string, string> }> {
  const ledger = await readLedger(ctx.store, partner);
  if (ledger.invalid > 0) ctx.progress({ stage: 'dispatch', message: `${partner}: skipped ${ledger.invalid} unreadable ledger lines` });
  const policy = { asOf, windowDays: config.dispatch.suppression_days, cooloffDays: config.dispatch.cooloff_days };
  const decide = suppressor(ledger.records, feedback, policy);
  const status = new Map<string, WorklistStatus>();
  for (const m of messages) status.set(m.person_id, decide(m));
  const toSend = messages.filter((m) => SENDING.has(status.get(m.person_id)!));

  let result: SendResult;
  try {
    result = await ctx.queue.send(partner, toSend.map(toQueueMessage));
  } catch (e) {
    // a queue that is down fails this partner's batch; the other partners still get theirs
    result = { sent: 0, failed: toSend.map((m) => ({ idempotencyKey: m.idempotency_key, reason: (e as Error).message })) };
  }
  const failed = new Set(result.failed.map((f) => f.idempotencyKey));
  for (const m of toSend) if (failed.has(m.idempotency_key)) status.set(m.person_id, 'send failed');
  if (failed.size > 0) {
    const why = [...new Set(result.failed.map((f) => f.reason))].join('; ');
    ctx.progress({ stage: 'dispatch', message: `${partner}: ${failed.size} messages failed (${why}); they will be retried on the next run` });
  }

  const sentAt = new Date().toISOString();
  const accepted: LedgerEntry[] = toSend
    .filter((m) => !failed.has(m.idempotency_key))
    .map((m) => ({ idempotency_key: m.idempotency_key, person_id: m.person_id, program: m.program, as_of_date: m.as_of_date, tier: m.tier, sent_at: sentAt }));
  await appendLedger(ctx.store, partner, accepted);
  const describe = statusDescriber(ledger.records, feedback, policy);
  const text = new Map([...status].map(([person, s]) => [person, describe(person, s)]));
  return { sent: accepted.length, suppressed: messages.length - toSend.length, failed: toSend.length - accepted.length, status: text };
}
