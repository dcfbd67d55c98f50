/**
 * Score function (Step Functions task): the score stage over the lake, as locally: features of the as-of date in,
 * scores/ and flags/ Parquet out. Input `{ asOf? }` (the features task's output), default today (UTC). Publishes the
 * members scored, in total and per tier, and the members set aside (the model cannot score them; scores/ holds each
 * with its error).
 */
import { scoreMetrics } from '../lib/pipeline/metrics.js';
import { scoreMembers } from '../lib/pipeline/score.js';
import { instrumented, logger, measured } from './shared/powertools.js';
import { asOfOf } from './shared/stage-input.js';
import { once, pipelineContext, shippedConfig } from './shared/wiring.js';

const wiring = once(() => ({ ctx: pipelineContext(), config: shippedConfig() }));

export const handler = instrumented(async (event: unknown): Promise<{ asOf: string; members: number; byTier: Record<string, number>; setAside: number }> => {
  const asOf = asOfOf(event);
  logger.appendKeys({ as_of: asOf });
  return measured('score', async (collect) => {
    const { ctx, config } = wiring();
    const result = await scoreMembers(ctx, asOf, config);
    collect(scoreMetrics(result));
    if (result.setAside.length > 0) logger.warn('members set aside: the model cannot score them (scores/ holds each with its error)', { set_aside: result.setAside.length });
    return { asOf, members: result.members, byTier: result.byTier, setAside: result.setAside.length };
  });
});
