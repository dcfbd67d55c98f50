/**
 * Dispatch function (Step Functions task): the dispatch stage with one SQS queue per partner. Worklists go to
 * worklists/as_of=<date>/, the ledger to dispatch/ledger/ and the run's HTML report to reports/as_of=<date>/ in the lake; a message already in the ledger, recently
 * sent or suppressed by partner feedback is not sent again, so a rerun sends nothing new. Input `{ asOf? }`.
 *
 * A message a queue did not accept fails the task, after every partner's worklist and ledger are written: the run
 * then ends FAILED, which raises the RunFailed alarm (a warning in the logs alone would go unseen). The failed
 * messages are not in the ledger, so a rerun of the date sends exactly those. Publishes, per partner and in total, the
 * members flagged and the messages sent, suppressed and failed (also when it fails the task).
 *
 * The state machine dispatches to each partner in parallel (a Map state): `{ asOf, partner }` does that partner alone
 * and returns its counts without failing on refused messages; then `{ asOf, action: 'report', partners: [those
 * counts] }` writes the report and fails the run when any partner's queue refused a message, as the whole dispatch does.
 */
import { z } from 'zod';
import { dispatch } from '../lib/pipeline/dispatch.js';
import { SqsQueue } from '../lib/queue/sqs.js';
import { writeReport } from '../lib/report/index.js';
import { readEnv } from './shared/env.js';
import { dispatchMetrics, dispatchTotalMetrics, partnerDispatchMetrics } from '../lib/pipeline/metrics.js';
import { instrumented, logger, measured } from './shared/powertools.js';
import { asOfOf } from './shared/stage-input.js';
import { clients, once, pipelineContext, shippedConfig } from './shared/wiring.js';

const wiring = once(() => {
  const config = shippedConfig();
  const env = readEnv(['STRATIFY_QUEUE_URLS']);
  const missing = config.partners.map((p) => p.name).filter((p) => env.STRATIFY_QUEUE_URLS[p] === undefined);
  if (missing.length > 0) throw new Error(`environment variable STRATIFY_QUEUE_URLS has no queue URL for partner ${missing.join(', ')}`);
  const queue = new SqsQueue({ client: clients().sqs, queueUrls: env.STRATIFY_QUEUE_URLS });
  return { ctx: pipelineContext(queue), config };
});

export type Dispatched = { asOf: string; report: string; partners: { partner: string; flagged: number; sent: number; suppressed: number; failed: number }[] };

type Counts = Dispatched['partners'][number];
/** the output of a one-partner task */
export type PartnerDispatched = { asOf: string } & Counts;
const counts = z.object({ partner: z.string(), flagged: z.number(), sent: z.number(), suppressed: z.number(), failed: z.number() });
const input = z.union([
  z.object({ partner: z.string().min(1) }),
  z.object({ action: z.literal('report'), partners: z.array(counts) }),
  z.object({ partner: z.undefined().optional(), action: z.undefined().optional() }),
]);

export const handler = instrumented(async (event: unknown): Promise<Dispatched | PartnerDispatched> => {
  const asOf = asOfOf(event);
  logger.appendKeys({ as_of: asOf });
  const parsed = input.safeParse(event ?? {});
  if (!parsed.success) throw new Error(`task input: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`).join('; ')}`);
  const task = parsed.data;
  return measured('dispatch', async (collect) => {
    const { ctx, config } = wiring();
    if ('action' in task && task.action === 'report') {
      collect(dispatchTotalMetrics(task.partners));
      return reportAndCheck(ctx, asOf, config, task.partners);
    }
    const only = 'partner' in task ? task.partner : undefined;
    const result = await dispatch(ctx, asOf, config, only);
    const partners = result.partners.map(({ partner, flagged, sent, suppressed, failed }) => ({ partner, flagged, sent, suppressed, failed }));
    // a one-partner task publishes that partner's counts; the report task, which sees them all, the totals
    collect(only === undefined ? dispatchMetrics(result) : partnerDispatchMetrics(partners));
    if (only !== undefined) return { asOf, ...partners[0]! };
    return reportAndCheck(ctx, asOf, config, partners);
  });
});

/** the run's report, then the task fails when a queue refused a message (every worklist and ledger is written by then) */
async function reportAndCheck(ctx: ReturnType<typeof wiring>['ctx'], asOf: string, config: ReturnType<typeof wiring>['config'], partners: Counts[]): Promise<Dispatched> {
  // the run's HTML report, to reports/as_of=<date>/ in the lake (README: open it with a presigned URL)
  const report = await writeReport(ctx.store, asOf, config);
  logger.info('report written', { key: report.index, pages: report.pages });
  const failed = partners.reduce((n, p) => n + p.failed, 0);
  if (failed > 0) {
    logger.error(`${failed} messages not accepted by their queues; a rerun of ${asOf} sends them again`, { partners });
    const which = partners.filter((p) => p.failed > 0).map((p) => `${p.partner} ${p.failed}`);
    throw new Error(`dispatch ${asOf}: ${failed} messages not accepted by their queues (${which.join(', ')}); worklists and ledger are written, a rerun sends only these`);
  }
  return { asOf, report: report.index, partners };
}
