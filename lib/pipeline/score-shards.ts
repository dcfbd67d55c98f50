/**
 * The score stage in shards, for a population whose features do not fit one function's memory (the threshold is
 * `deploy.score_shard_members`; lib/config/deploy.ts says how it was measured). Four steps, each bounded by a part of
 * the population, which the state machine runs as Lambda tasks (infra/pipeline.ts) and `scoreInShards` runs in turn:
 *
 * 1. plan: the feature files of the date (Athena's UNLOAD writes several) and the shard count;
 * 2. split, per feature file: each row to `score_input/as_of=<date>/shard=<k>/`, k the member's person-hash bucket, so
 *    all the rows of one member meet in one shard (a member with two rows is set aside, as unsharded);
 * 3. shard, per bucket: its members scored as the whole population would score them (lib/scoring/population.ts
 *    scoreEach: score, program, reasons, exclusion), to `score_shards/as_of=<date>/shard=<k>.parquet`, unranked;
 * 4. merge: the global ranking from three columns of every shard (person_id, score, actionable), then each shard's
 *    rows with their rank, percentile and tier to `scores/as_of=<date>/scores-<k>.parquet`, one shard in memory at a
 *    time, and the flags of all shards numbered per partner in the global rank order.
 *
 * The ranking is the population's, not each shard's, so tiers, ranks, percentiles and flags equal the unsharded
 * stage's (test/pipeline/score-shards.test.ts). What the merge holds is ~100 bytes a member instead of a feature row.
 */
import { createHash } from 'node:crypto';
import type { StratifyConfig } from '../config/schema.js';
import { parquetRows, readParquetFolder } from '../parquet/reader.js';
import { rowsToParquet } from '../parquet/writer.js';
import { checkFeatures } from '../scoring/feature-check.js';
import { scoreEach, selectFlags, setAsideRow, withRank, type FlagRow, type ScoreRow, type SetAside, type UnrankedRow } from '../scoring/population.js';
import { rankAndTier, type Ranked } from '../scoring/tiers.js';
import type { ObjectStore } from '../store/port.js';
import { features, flags, isCalendarDate, pickColumns, scores } from '../tables/index.js';
import type { PipelineContext } from './context.js';
import { exclusive } from './exclusive.js';
import { addToTally, emptyTally, enrolledByProgram, flagsKey, previousScores, replaceScores, summarize, type ScoreResult } from './score.js';

export const SHARD_INPUT_PREFIX = 'score_input/';
export const SHARD_OUTPUT_PREFIX = 'score_shards/';

/** the shards a population needs: none below the threshold (0 = score unsharded), else one per `perShard` members */
export function shardCount(members: number, perShard: number): number {
  return members > perShard ? Math.ceil(members / perShard) : 0;
}

/** the person-hash bucket of a member: the first 4 bytes of the sha256 of its person_id, modulo the shard count */
export function shardOf(personId: string, shards: number): number {
  return createHash('sha256').update(personId).digest().readUInt32BE(0) % shards;
}

function featuresFolder(asOf: string): string {
  return `${features.prefix}as_of=${asOf}/`;
}

export function shardInputFolder(asOf: string, shard: number): string {
  return `${SHARD_INPUT_PREFIX}as_of=${asOf}/shard=${shard}/`;
}

export function shardOutputKey(asOf: string, shard: number): string {
  return `${SHARD_OUTPUT_PREFIX}as_of=${asOf}/shard=${shard}.parquet`;
}

function checkedDate(asOf: string): string {
  if (!isCalendarDate(asOf)) throw new Error(`as-of date ${asOf} is not a calendar date (YYYY-MM-DD)`);
  return asOf;
}

export interface ShardPlan {
  readonly asOf: string;
  readonly shards: number;
  /** the feature files of the date, one split task each */
  readonly files: string[];
  /** 0 … shards - 1, one shard task each (the state machine's Map reads it) */
  readonly buckets: number[];
}

/** Step 1: the feature files of the date; clears what an earlier sharded scoring of the date left. */
export async function planShards(store: ObjectStore, asOf: string, shards: number): Promise<ShardPlan> {
  checkedDate(asOf);
  if (!Number.isInteger(shards) || shards < 1) throw new Error(`shard count ${shards} is not a positive whole number`);
  for (const prefix of [`${SHARD_INPUT_PREFIX}as_of=${asOf}/`, `${SHARD_OUTPUT_PREFIX}as_of=${asOf}/`]) {
    for (const { key } of await store.list(prefix)) await store.delete(key);
  }
  const files = (await store.list(featuresFolder(asOf))).filter((o) => o.size > 0).map((o) => o.key);
  return { asOf, shards, files, buckets: Array.from({ length: shards }, (_, k) => k) };
}

/** Step 2: one feature file's rows to the input folders of their shards; returns the rows written per shard. */
export async function splitFeatureFile(store: ObjectStore, asOf: string, file: string, shards: number): Promise<number[]> {
  if (!file.startsWith(featuresFolder(checkedDate(asOf)))) throw new Error(`${file} is not a feature file of ${asOf}`);
  const rows = parquetRows(await store.get(file), features, `${store.location}/${file}`);
  const byShard: (typeof rows)[] = Array.from({ length: shards }, () => []);
  for (const row of rows) byShard[shardOf(String(row.person_id ?? ''), shards)]!.push(row);
  // named by the feature file, so a retried split task writes the same keys again
  const name = createHash('sha256').update(file).digest('hex').slice(0, 16);
  for (const [k, part] of byShard.entries()) if (part.length > 0) await store.put(`${shardInputFolder(asOf, k)}${name}.parquet`, rowsToParquet(features, part));
  return byShard.map((p) => p.length);
}

/** Step 3: one shard's members scored, unranked; returns how many were scored and set aside. */
export async function scoreShard(ctx: PipelineContext, asOf: string, config: StratifyConfig, shard: number, shards: number): Promise<{ scored: number; setAside: number }> {
  const { rows, setAside: unfit } = checkFeatures(await readParquetFolder(ctx.store, shardInputFolder(checkedDate(asOf), shard), features));
  const mine = (personId: string): boolean => shardOf(personId, shards) === shard;
  const context = { previous: await previousScores(ctx.store, asOf, mine), enrolled: await enrolledByProgram(ctx.store, asOf, config) };
  const { unranked, setAside } = scoreEach(rows, config, context);
  const unrankedRows: ScoreRow[] = unranked.map((u) => ({ ...u, rank: null, percentile: null, tier: null }));
  const aside = [...unfit, ...setAside].map((s) => setAsideRow(s, asOf));
  await ctx.store.put(shardOutputKey(asOf, shard), rowsToParquet(scores, [...unrankedRows, ...aside]));
  return { scored: unranked.length, setAside: aside.length };
}

/** the columns of a shard's output the global ranking reads */
const RANKING_COLUMNS = pickColumns(scores, ['person_id', 'score', 'actionable', 'error']);

/** Step 4: the global ranking, then each shard's rows ranked into scores/, and the flags of all of them. */
export async function mergeShards(ctx: PipelineContext, asOf: string, config: StratifyConfig, shards: number): Promise<ScoreResult> {
  const keys = Array.from({ length: shards }, (_, k) => shardOutputKey(checkedDate(asOf), k));
  const rankable: { person_id: string; score: number; actionable: boolean }[] = [];
  for (const key of keys) {
    for (const r of parquetRows(await ctx.store.get(key), RANKING_COLUMNS, key)) {
      if (r.error === null && r.score !== null && r.actionable !== null) rankable.push({ person_id: r.person_id, score: r.score, actionable: r.actionable });
    }
  }
  const ranking = new Map<string, Ranked>(rankAndTier(rankable, config.tiers).map((r) => [r.person_id, r]));
  rankable.length = 0;

  const tally = emptyTally();
  const setAside: SetAside[] = [];
  const flagged = await exclusive(ctx, 'score', `runs/score/as_of=${asOf}.json`, `scoring of ${asOf}`, async () => {
    const written: string[] = [];
    const candidates: { rank: number; flag: FlagRow }[] = [];
    for (const [k, key] of keys.entries()) {
      const rows = parquetRows(await ctx.store.get(key), scores, key);
      const ranked = rows
        .filter((r) => r.error === null)
        .map((r) => withRank(r as unknown as UnrankedRow, ranking.get(r.person_id)!))
        .sort((a, b) => a.rank - b.rank);
      const aside = rows.filter((r) => r.error !== null);
      for (const a of aside) setAside.push({ person_id: a.person_id, reason: a.error! });
      const out = `${scores.prefix}as_of=${asOf}/scores-${String(k).padStart(5, '0')}.parquet`;
      await ctx.store.put(out, rowsToParquet(scores, [...ranked, ...aside]));
      written.push(out);
      addToTally(tally, ranked);
      // this shard's flags; numbered per partner in the global rank order once every shard is in
      for (const flag of selectFlags(ranked, config)) candidates.push({ rank: ranking.get(flag.person_id)!.rank, flag });
    }
    await replaceScores(ctx.store, asOf, written);
    const nextRank = new Map<string, number>();
    const merged = candidates.sort((a, b) => a.rank - b.rank).map(({ flag }) => {
      const rank = (nextRank.get(flag.partner) ?? 0) + 1;
      nextRank.set(flag.partner, rank);
      return { ...flag, rank };
    });
    await ctx.store.put(flagsKey(asOf), rowsToParquet(flags, merged));
    return merged;
  });
  await ctx.engine.refresh();
  setAside.sort((a, b) => (a.person_id < b.person_id ? -1 : a.person_id > b.person_id ? 1 : 0));
  return summarize(asOf, tally, flagged, setAside, config, `${scores.prefix}as_of=${asOf}/`);
}

/** The whole sharded scoring of a date in this process, step after step (what the state machine runs as tasks). */
export async function scoreInShards(ctx: PipelineContext, asOf: string, config: StratifyConfig, shards: number): Promise<ScoreResult> {
  const plan = await planShards(ctx.store, asOf, shards);
  ctx.progress({ stage: 'score', message: `scoring in ${shards} shards: splitting ${plan.files.length} feature files` });
  for (const file of plan.files) await splitFeatureFile(ctx.store, asOf, file, shards);
  for (const k of plan.buckets) {
    ctx.progress({ stage: 'score', message: `scoring shard ${k + 1} of ${shards}`, done: k, total: shards });
    await scoreShard(ctx, asOf, config, k, shards);
  }
  return mergeShards(ctx, asOf, config, shards);
}
