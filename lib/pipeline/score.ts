/**
 * Score stage: features of the as-of date in, scores and flags Parquet out. The maths is in lib/scoring; this stage
 * reads the features Parquet of the date and gathers what the model needs besides: each member's previous score
 * (the latest earlier scores partition, for rising risk) and the members each partner reported enrolled (feedback
 * reported on or before the as-of date, the latest outcome per person: a later `contacted` does not undo it).
 */
import type { StratifyConfig } from '../config/schema.js';
import { crashPoint } from '../crash.js';
import { parquetRows, readTableRows } from '../parquet/reader.js';
import { rowsToParquet } from '../parquet/writer.js';
import { latestOutcome, readFeedback } from '../queue/feedback.js';
import type { FeatureRow } from '../scoring/member.js';
import { baseScore, type PreviousScore } from '../scoring/model.js';
import { checkFeatures } from '../scoring/feature-check.js';
import { scorePopulation, setAsideRow, type FlagRow, type PopulationContext, type ScoredRow, type ScoreRow, type SetAside } from '../scoring/population.js';
import { REVIEW, TIERS, type Program, type Tier } from '../scoring/vocabulary.js';
import type { ObjectStore } from '../store/port.js';
import { features, flags, isCalendarDate, pickColumns, scores } from '../tables/index.js';
import type { PipelineContext } from './context.js';
import { exclusive } from './exclusive.js';

export interface ScoreResult {
  asOf: string;
  members: number;
  byTier: Record<string, number>;
  flagged: { partner: string; program: string; tier: string; count: number }[];
  /** members excluded from their program, by reason */
  excluded: Record<string, number>;
  /** members the model could not score, with the reason (scores' `error` column): not ranked, sent nowhere */
  setAside: SetAside[];
  /** members sent for transitions of care although their tier is not dispatched */
  transitionsOnly: number;
  scoresKey: string;
  flagsKey: string;
}

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

/** the columns of scores the next run reads: a partition written before a column was added still reads */
const PREVIOUS_COLUMNS = pickColumns(scores, ['person_id', 'as_of_date', 'score', 'trend_points']);

/**
 * Each member's score in the latest scores partition before `asOf`, read from that partition's Parquet alone (a
 * query filtering on as_of_date would read every partition on Athena, whose partition key is `as_of`).
 */
export async function previousScores(store: ObjectStore, asOf: string, keep: (personId: string) => boolean = () => true): Promise<Map<string, PreviousScore>> {
  const previous = (await scoredDates(store)).filter((d) => d < asOf).at(-1);
  if (previous === undefined) return new Map();
  const out = new Map<string, PreviousScore>();
  // file by file, keeping only the members asked for (a shard's): a sharded run's partition is one file per shard
  for (const o of await store.list(`${scores.prefix}as_of=${previous}/`)) {
    if (o.size === 0) continue;
    for (const r of parquetRows(await store.get(o.key), PREVIOUS_COLUMNS, `${store.location}/${o.key}`)) {
      if (r.score !== null && r.trend_points !== null && keep(r.person_id)) out.set(r.person_id, { as_of_date: r.as_of_date, base: baseScore({ score: r.score, trend_points: r.trend_points }) });
    }
  }
  return out;
}

/**
 * Makes `written` the content of a date's folder of scores/ or flags/: any other object there (the single file of an
 * unsharded run, the shard files of a sharded run with another shard count) is deleted, so a rerun never doubles a
 * member.
 */
export async function replaceFolder(store: ObjectStore, folder: string, written: readonly string[]): Promise<void> {
  const keep = new Set(written);
  for (const { key } of await store.list(folder)) if (!keep.has(key)) await store.delete(key);
}

/** the counts of the result over scored rows, added up a part at a time */
export interface Tally {
  members: number;
  byTier: Record<string, number>;
  excluded: Record<string, number>;
}

export function emptyTally(): Tally {
  return { members: 0, byTier: Object.fromEntries(TIERS.map((t) => [t, 0])), excluded: {} };
}

export function addToTally(tally: Tally, rows: readonly ScoredRow[]): Tally {
  for (const s of rows) {
    tally.members++;
    tally.byTier[s.tier] = (tally.byTier[s.tier] ?? 0) + 1;
    if (s.exclusion !== null && s.program !== null) tally.excluded[s.exclusion] = (tally.excluded[s.exclusion] ?? 0) + 1;
  }
  return tally;
}

/** the stage's result from the tally of its scored rows and its flags */
export function summarize(asOf: string, tally: Tally, flagRows: readonly FlagRow[], setAside: SetAside[], config: StratifyConfig, scoresKeyWritten: string): ScoreResult {
  const groups = new Map<string, ScoreResult['flagged'][number]>();
  for (const f of flagRows) {
    const key = `${f.partner}|${f.tier}`;
    const g = groups.get(key) ?? { partner: f.partner, program: f.program, tier: f.tier, count: 0 };
    g.count++;
    groups.set(key, g);
  }
  const flagged = [...groups.values()].sort((a, b) => a.partner.localeCompare(b.partner) || TIERS.indexOf(a.tier as Tier) - TIERS.indexOf(b.tier as Tier));
  const transitionsOnly = flagRows.filter((f) => f.transitions_of_care && !config.dispatch.tiers.includes(f.tier as Tier)).length;
  return { asOf, members: tally.members, byTier: tally.byTier, flagged, excluded: tally.excluded, setAside, transitionsOnly, scoresKey: scoresKeyWritten, flagsKey: flagsKey(asOf) };
}

/** The people each program's partner reported enrolled, by their latest outcome reported on or before `asOf`. */
export async function enrolledByProgram(store: ObjectStore, asOf: string, config: StratifyConfig): Promise<Map<Program, Set<string>>> {
  const out = new Map<Program, Set<string>>();
  for (const { name, program } of config.partners) {
    if (program === REVIEW) continue; // a review partner enrolls no one in a program
    const { records } = await readFeedback(store, name);
    const latest = latestOutcome(records.filter((r) => r.reported_on <= asOf));
    out.set(program, new Set([...latest.values()].filter((f) => f.status === 'enrolled').map((f) => f.person_id)));
  }
  return out;
}

/** Everything the score stage reads: the features of the date and the context the model needs. */
export async function scoringInputs(
  ctx: PipelineContext,
  asOf: string,
  config: StratifyConfig,
): Promise<{ rows: FeatureRow[]; setAside: SetAside[]; context: PopulationContext }> {
  // the features stage's own Parquet, read straight from the store: on Athena this avoids paging every member
  // through GetQueryResults
  const { rows, setAside } = checkFeatures(await readTableRows(ctx.store, features, asOf));
  return { rows, setAside, context: { previous: await previousScores(ctx.store, asOf), enrolled: await enrolledByProgram(ctx.store, asOf, config) } };
}

export async function scoreMembers(ctx: PipelineContext, asOf: string, config: StratifyConfig): Promise<ScoreResult> {
  if (!isCalendarDate(asOf)) throw new Error(`as-of date ${asOf} is not a calendar date (YYYY-MM-DD)`);
  ctx.progress({ stage: 'score', message: `reading features for ${asOf}` });
  const inputs = await scoringInputs(ctx, asOf, config);
  const { rows, context } = inputs;

  ctx.progress({ stage: 'score', message: `scoring ${rows.length} members`, done: 0, total: rows.length });
  const out = scorePopulation(rows, config, context);
  const setAside = [...inputs.setAside, ...out.setAside].sort((a, b) => (a.person_id < b.person_id ? -1 : a.person_id > b.person_id ? 1 : 0));
  const scoreRows: ScoreRow[] = [...out.scores, ...setAside.map((s) => setAsideRow(s, asOf))];
  // one writer of a date's scores and flags at a time (two executions of one date on AWS)
  await exclusive(ctx, 'score', `runs/score/as_of=${asOf}.json`, `scoring of ${asOf}`, async () => {
    await ctx.store.put(scoresKey(asOf), rowsToParquet(scores, scoreRows));
    await replaceFolder(ctx.store, `${scores.prefix}as_of=${asOf}/`, [scoresKey(asOf)]);
    crashPoint('score:after-scores');
    await ctx.store.put(flagsKey(asOf), rowsToParquet(flags, out.flags));
    await replaceFolder(ctx.store, `${flags.prefix}as_of=${asOf}/`, [flagsKey(asOf)]);
  });
  await ctx.engine.refresh();
  const aside = setAside.length > 0 ? `, set aside ${setAside.length} the model cannot score` : '';
  ctx.progress({ stage: 'score', message: `scored ${out.scores.length} members, flagged ${out.flags.length}${aside}`, done: rows.length, total: rows.length });

  return summarize(asOf, addToTally(emptyTally(), out.scores), out.flags, setAside, config, scoresKey(asOf));
}
