/**
 * Score function (Step Functions task): the score stage over the lake, as locally: features of the as-of date in,
 * scores/ and flags/ Parquet out. Input `{ asOf? }` (the features task's output), default today (UTC). Publishes the
 * members scored, in total and per tier, and the members set aside (the model cannot score them; scores/ holds each
 * with its error).
 *
 * Above `deploy.score_shard_members` members the state machine runs the same function as the steps of the sharded
 * score stage (lib/pipeline/score-shards.ts), told by `action`: `plan` (`{ asOf, members }` → the shard count, the feature
 * files and the buckets), `split` (`{ asOf, shards, file }`, one feature file a task), `shard` (`{ asOf, shards, shard }`, one
 * bucket a task) and `merge` (`{ asOf, shards }`: the global ranking, scores and flags; its output is the unsharded
 * task's, so dispatch follows either).
 */
import { z } from 'zod';
import { scoreMetrics } from '../lib/pipeline/metrics.js';
import { mergeShards, planShards, scoreShard, shardCount, splitFeatureFile } from '../lib/pipeline/score-shards.js';
import { scoreMembers, type ScoreResult } from '../lib/pipeline/score.js';
import { instrumented, logger, measured } from './shared/powertools.js';
import { asOfOf } from './shared/stage-input.js';
import { once, pipelineContext, shippedConfig } from './shared/wiring.js';

const wiring = once(() => ({ ctx: pipelineContext(), config: shippedConfig() }));

const count = z.number().int().nonnegative();
const shardInput = z.discriminatedUnion('action', [
  // `shards` forces a count (a manual start; the loopback test); by default the members decide
  z.object({ action: z.literal('plan'), members: count, shards: count.min(1).optional() }),
  z.object({ action: z.literal('split'), shards: count.min(1), file: z.string().min(1) }),
  z.object({ action: z.literal('shard'), shards: count.min(1), shard: count }),
  z.object({ action: z.literal('merge'), shards: count.min(1) }),
]);

type Scored = { asOf: string; members: number; byTier: Record<string, number>; setAside: number };

/** what the task returns and publishes once the scores and flags of the date are written */
function scored(asOf: string, result: ScoreResult, collect: (data: ReturnType<typeof scoreMetrics>) => void): Scored {
  collect(scoreMetrics(result));
  if (result.setAside.length > 0) logger.warn('members set aside: the model cannot score them (scores/ holds each with its error)', { set_aside: result.setAside.length });
  return { asOf, members: result.members, byTier: result.byTier, setAside: result.setAside.length };
}

export const handler = instrumented(async (event: unknown): Promise<unknown> => {
  const asOf = asOfOf(event);
  logger.appendKeys({ as_of: asOf });
  const action = (event as { action?: unknown } | null)?.action;
  if (action === undefined) return measured('score', async (collect) => scored(asOf, await scoreMembers(wiring().ctx, asOf, wiring().config), collect));
  const parsed = shardInput.safeParse(event);
  if (!parsed.success) throw new Error(`task input: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`).join('; ')}`);
  const input = parsed.data;
  return measured('score', async (collect) => {
    const { ctx, config } = wiring();
    switch (input.action) {
      case 'plan': {
        const shards = input.shards ?? Math.max(1, shardCount(input.members, config.deploy.score_shard_members));
        const plan = await planShards(ctx.store, asOf, shards);
        logger.info('scoring in shards', { members: input.members, shards, feature_files: plan.files.length });
        return plan;
      }
      case 'split':
        return { asOf, file: input.file, rows: await splitFeatureFile(ctx.store, asOf, input.file, input.shards) };
      case 'shard':
        return { asOf, shard: input.shard, ...(await scoreShard(ctx, asOf, config, input.shard, input.shards)) };
      case 'merge':
        return scored(asOf, await mergeShards(ctx, asOf, config, input.shards), collect);
    }
  });
});
