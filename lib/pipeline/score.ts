/**
 * Score stage: features of the as-of date in, scores and flags Parquet out. The maths is in lib/scoring; this stage
 * reads the features Parquet of the date and gathers what the model needs besides: each member's previous score
 * (the latest earlier scores partition, for rising risk) and the members each partner reported enrolled (feedback
 * reported on or before the as-of date, the latest outcome per person: a later `contacted` does not undo it).
 */
import type { StratifyConfig } from '../config/schema.js';
import { crashPoint } from '../crash.js';
import { readTableRows } from '../parquet/reader.js';
import { rowsToParquet } from '../parquet/writer.js';
import { latestOutcome, readFeedback } from '../queue/feedback.js';
import type { FeatureRow } from '../scoring/member.js';
import { baseScore, type PreviousScore } from '../scoring/model.js';
import { scorePopulation, type PopulationContext } from '../scoring/population.js';
import { TIERS, type Program, type Tier } from '../scoring/vocabulary.js';
import type { ObjectStore } from '../store/port.js';
import { features, flags, isCalendarDate, scores, zodSchema } from '../tables/index.js';
import type { PipelineContext } from './context.js';
import { exclusive } from './exclusive.js';

export interface ScoreResult {
  asOf: string;
  members: number;
  byTier: Record<string, number>;
  flagged: { partner: string; program: string; tier: string; count: number }[];
  /** members excluded from their program, by reason */
  excluded: Record<string, number>;
  /** members sent for transitions of care although their tier is not dispatched */
  transitionsOnly: number;
  scoresKey: string;
  flagsKey: string;
}

/** feature rows as the model reads them */
export const featureRows = zodSchema(features).array();

export function scoresKey(asOf: string): string {
  return `${scores.prefix}as_of=${asOf}/scores.parquet`;
}

export function flagsKey(asOf: string): string {
  return `${flags.prefix}as_of=${asOf}/flags.parquet`;
}

/** The as-of dates of the scores partitions in the store, from their keys (`scores/as_of=<date>/…`). */
async function scoredDates(store: ObjectStore): Promise<string[]> {
  const dates = (await store.list(scores.prefix)).map((o) => /^as_of=(\d{4}-\d{2}-\d{2})\//.exec(o.key.slice(scores.prefix.length))?.[1]);
  return [...new Set(dates.filter((d): d is string => d !== undefined))].sort();
}

/**
 * Each member's score in the latest scores partition before `asOf`, read from that partition's Parquet alone (a
 * query filtering on as_of_date would read every partition on Athena, whose partition key is `as_of`).
 */
export async function previousScores(store: ObjectStore, asOf: string): Promise<Map<string, PreviousScore>> {
  const previous = (await scoredDates(store)).filter((d) => d < asOf).at(-1);
  if (previous === undefined) return new Map();
  const rows = await readTableRows(store, scores, previous);
  return new Map(rows.map((r) => [r.person_id, { as_of_date: r.as_of_date, base: baseScore(r) }]));
}

/** The people each program's partner reported enrolled, by their latest outcome reported on or before `asOf`. */
export async function enrolledByProgram(store: ObjectStore, asOf: string, config: StratifyConfig): Promise<Map<Program, Set<string>>> {
  const out = new Map<Program, Set<string>>();
  for (const { name, program } of config.partners) {
    const { records } = await readFeedback(store, name);
    const latest = latestOutcome(records.filter((r) => r.reported_on <= asOf));
    out.set(program, new Set([...latest.values()].filter((f) => f.status === 'enrolled').map((f) => f.person_id)));
  }
  return out;
}

/** Everything the score stage reads: the features of the date and the context the model needs. */
export async function scoringInputs(ctx: PipelineContext, asOf: string, config: StratifyConfig): Promise<{ rows: FeatureRow[]; context: PopulationContext }> {
  // the features stage's own Parquet, read straight from the store: on Athena this avoids paging every member
  // through GetQueryResults
  const rows = featureRows.parse(await readTableRows(ctx.store, features, asOf)) as FeatureRow[];
  return { rows, context: { previous: await previousScores(ctx.store, asOf), enrolled: await enrolledByProgram(ctx.store, asOf, config) } };
}

export async function scoreMembers(ctx: PipelineContext, asOf: string, config: StratifyConfig): Promise<ScoreResult> {
  if (!isCalendarDate(asOf)) throw new Error(`as-of date ${asOf} is not a calendar date (YYYY-MM-DD)`);
  ctx.progress({ stage: 'score', message: `reading features for ${asOf}` });
  const { rows, context } = await scoringInputs(ctx, asOf, config);

  ctx.progress({ stage: 'score', message: `scoring ${rows.length} members`, done: 0, total: rows.length });
  const out = scorePopulation(rows, config, context);
  // one writer of a date's scores and flags at a time (two executions of one date on AWS)
  await exclusive(ctx, 'score', `runs/score/as_of=${asOf}.json`, `scoring of ${asOf}`, async () => {
    await ctx.store.put(scoresKey(asOf), rowsToParquet(scores, out.scores));
    crashPoint('score:after-scores');
    await ctx.store.put(flagsKey(asOf), rowsToParquet(flags, out.flags));
  });
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
  const excluded: Record<string, number> = {};
  for (const s of out.scores) if (s.exclusion !== null && s.program !== null) excluded[s.exclusion] = (excluded[s.exclusion] ?? 0) + 1;
  const transitionsOnly = out.flags.filter((f) => f.transitions_of_care && !config.dispatch.tiers.includes(f.tier as Tier)).length;
  return { asOf, members: rows.length, byTier, flagged, excluded, transitionsOnly, scoresKey: scoresKey(asOf), flagsKey: flagsKey(asOf) };
}
