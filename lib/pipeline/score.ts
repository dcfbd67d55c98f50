/** Score stage: features of the as-of date in, scores and flags Parquet out. The maths is in lib/scoring. */
import type { StratifyConfig } from '../config/index.js';
import { rowsToParquet } from '../parquet/writer.js';
import { scorePopulation } from '../scoring/population.js';
import type { FeatureRow } from '../scoring/rules.js';
import { TIERS, type Tier } from '../scoring/vocabulary.js';
import { features, flags, isCalendarDate, scores, zodSchema } from '../tables/index.js';
import type { PipelineContext } from './context.js';

export interface ScoreResult {
  asOf: string;
  members: number;
  byTier: Record<string, number>;
  flagged: { partner: string; program: string; tier: string; count: number }[];
  scoresKey: string;
  flagsKey: string;
}

const featureRows = zodSchema(features).array();

export function scoresKey(asOf: string): string {
  return `${scores.prefix}as_of=${asOf}/scores.parquet`;
}

export function flagsKey(asOf: string): string {
  return `${flags.prefix}as_of=${asOf}/flags.parquet`;
}

export async function scoreMembers(ctx: PipelineContext, asOf: string, config: StratifyConfig): Promise<ScoreResult> {
  if (!isCalendarDate(asOf)) throw new Error(`as-of date ${asOf} is not a calendar date (YYYY-MM-DD)`);
  ctx.progress({ stage: 'score', message: `reading features for ${asOf}` });
  const rows = featureRows.parse(await ctx.engine.query('select * from features where as_of_date = ?', [{ date: asOf }])) as FeatureRow[];

  ctx.progress({ stage: 'score', message: `scoring ${rows.length} members`, done: 0, total: rows.length });
  const out = scorePopulation(rows, config);
  await ctx.store.put(scoresKey(asOf), rowsToParquet(scores, out.scores));
  await ctx.store.put(flagsKey(asOf), rowsToParquet(flags, out.flags));
  await ctx.engine.refresh();
  ctx.progress({ stage: 'score', message: `scored ${rows.length} members, flagged ${out.flags.length}`, done: rows.length, total: rows.length });

  const byTier = Object.fromEntries(TIERS.map((t) => [t, out.scores.filter((s) => s.tier === t).length]));
  const groups = new Map<string, ScoreResult['flagged'][number]>();
  for (const f of out.flags) {
    const key = `${f.partner}|${f.tier}`;
    const g = groups.get(key) ?? { partner: f.partner, program: f.program, tier: f.tier, count: 0 };
    g.count++;
    groups.set(key, g);
  }
  const flagged = [...groups.values()].sort((a, b) => a.partner.localeCompare(b.partner) || TIERS.indexOf(a.tier as Tier) - TIERS.indexOf(b.tier as Tier));
  return { asOf, members: rows.length, byTier, flagged, scoresKey: scoresKey(asOf), flagsKey: flagsKey(asOf) };
}
