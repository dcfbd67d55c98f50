/**
 * Score function (Step Functions task): the score stage over the lake, as locally: features of the as-of date in,
 * scores/ and flags/ Parquet out. Input `{ asOf? }` (the features task's output), default today (UTC).
 */
import { scoreMembers } from '../lib/pipeline/score.js';
import { asOfOf } from './shared/stage-input.js';
import { once, pipelineContext, shippedConfig } from './shared/wiring.js';

const wiring = once(() => ({ ctx: pipelineContext(), config: shippedConfig() }));

export async function handler(event: unknown): Promise<{ asOf: string; members: number; byTier: Record<string, number> }> {
  const asOf = asOfOf(event);
  const { ctx, config } = wiring();
  const result = await scoreMembers(ctx, asOf, config);
  return { asOf, members: result.members, byTier: result.byTier };
}
