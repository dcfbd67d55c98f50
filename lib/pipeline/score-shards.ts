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
 * 4. merge: the global ranking, a k-way merge of the shards' rank orders over a few columns of each (person_id,
 *    score, actionable, and where a flag would go), then each shard's rows with their rank, percentile and tier to
 *    `scores/as_of=<date>/<k>.parquet` and its flags, numbered per partner in the global order, to
 *    `flags/as_of=<date>/<k>.parquet`, one shard's rows in memory at a time.
 *
 * The ranking is the population's, not each shard's, so tiers, ranks, percentiles and flags equal the unsharded
 * stage's (test/pipeline/score-shards.test.ts). What the merge keeps is about 120 bytes a member instead of a feature
 * row (`npm run bench:scale` measures it).
 *
 * Two executions of one date must not run the sharded steps at once (a plan clears the date's shard folders): the
 * merge holds the date's score lock as the unsharded stage does, the steps before it hold none.
 */
import { createHash } from 'node:crypto';
import type { StratifyConfig } from '../config/schema.js';
import { parquetRows, readParquetFolder } from '../parquet/reader.js';
import { rowsToParquet } from '../parquet/writer.js';
import { checkFeatures } from '../scoring/feature-check.js';
import { flaggedAt, flagRow, flagTargets, scoreEach, setAsideRow, withRank, type FlagRow, type FlagTarget, type ScoredRow, type ScoreRow, type SetAside, type UnrankedRow } from '../scoring/population.js';
import { TIERS } from '../scoring/vocabulary.js';
import { byRiskThenId, tierFor } from '../scoring/tiers.js';
import type { ObjectStore } from '../store/port.js';
import { features, flags, isCalendarDate, pickColumns, scores } from '../tables/index.js';
import type { PipelineContext } from './context.js';
import { exclusive } from './exclusive.js';
import { addToTally, emptyTally, enrolledByProgram, previousScores, replaceFolder, summarize, type ScoreResult } from './score.js';

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
  // in rank order (the population's order, restricted to this shard), for the merge to interleave the shards
  const unrankedRows: ScoreRow[] = unranked.sort(byRiskThenId).map((u) => ({ ...u, rank: null, percentile: null, tier: null }));
  const aside = [...unfit, ...setAside].map((s) => setAsideRow(s, asOf));
  await ctx.store.put(shardOutputKey(asOf, shard), rowsToParquet(scores, [...unrankedRows, ...aside]));
  return { scored: unranked.length, setAside: aside.length };
}

/** the columns of a shard's output the global ranking reads: the order, and whether and where a member is flagged */
const RANKING_COLUMNS = pickColumns(scores, ['person_id', 'score', 'actionable', 'program', 'exclusion', 'lace', 'error']);

/** one shard's scored members in its rank order, as columns, and what the merge gives each of them */
export interface ShardRanking {
  readonly ids: string[];
  readonly score: Float64Array;
  readonly actionable: Uint8Array;
  /** index into the targets of the merge, -1 for a member never flagged (excluded, or no partner for its program) */
  readonly target: Int32Array;
  readonly rank: Int32Array;
  readonly percentile: Float64Array;
  /** index into TIERS */
  readonly tier: Uint8Array;
  /** rank among its partner's flags, 0 when not flagged */
  readonly partnerRank: Int32Array;
}

/**
 * Step 4: the global ranking, then each shard's rows ranked into scores/ and its flags into flags/. Each shard's file
 * is in rank order, so the population's order is a k-way merge of the shards: what it holds is a few typed arrays
 * and the person id a member (about 120 bytes), never a shard's rows beside another's. Percentile (members tied on
 * actionable and score share it), tier (rank against the population size) and the partner rank of a flag follow
 * from the order as lib/scoring/tiers.ts and selectFlags compute them for the whole population.
 */
export async function mergeShards(ctx: PipelineContext, asOf: string, config: StratifyConfig, shards: number): Promise<ScoreResult> {
  return writeRanked(ctx, asOf, config, await rankShards(ctx.store, asOf, config, shards));
}

/** the global ranking (the first half of the merge: what it holds grows with the population) */
export interface GlobalRanking {
  readonly keys: readonly string[];
  readonly rankings: readonly ShardRanking[];
  readonly targets: readonly FlagTarget[];
}

export async function rankShards(store: ObjectStore, asOf: string, config: StratifyConfig, shards: number): Promise<GlobalRanking> {
  const keys = Array.from({ length: shards }, (_, k) => shardOutputKey(checkedDate(asOf), k));
  const targetOf = flagTargets(config);
  const targets: FlagTarget[] = [];
  const targetIndex = new Map<string, number>();
  const rankings: ShardRanking[] = [];
  for (const key of keys) {
    const rows = parquetRows(await store.get(key), RANKING_COLUMNS, key).filter((r) => r.error === null);
    const n = rows.length;
    const r: ShardRanking = {
      ids: rows.map((x) => x.person_id),
      score: Float64Array.from(rows, (x) => x.score!),
      actionable: Uint8Array.from(rows, (x) => Number(x.actionable)),
      target: Int32Array.from(rows, (x) => {
        const t = targetOf(x);
        if (t === undefined) return -1;
        const id = `${t.partner}|${t.program}|${t.transitions}`;
        if (!targetIndex.has(id)) targetIndex.set(id, targets.push(t) - 1);
        return targetIndex.get(id)!;
      }),
      rank: new Int32Array(n),
      percentile: new Float64Array(n),
      tier: new Uint8Array(n),
      partnerRank: new Int32Array(n),
    };
    rankings.push(r);
  }
  rankAcross(rankings, targets, config);
  return { keys, rankings, targets };
}

/** the second half of the merge: each shard's rows, ranked, to scores/ and its flags to flags/, one shard at a time */
export async function writeRanked(ctx: PipelineContext, asOf: string, config: StratifyConfig, { keys, rankings, targets }: GlobalRanking): Promise<ScoreResult> {
  const tally = emptyTally();
  const setAside: SetAside[] = [];
  const flagged: FlagRow[] = [];
  await exclusive(ctx, 'score', `runs/score/as_of=${asOf}.json`, `scoring of ${asOf}`, async () => {
    const written: string[] = [];
    const flagFiles: string[] = [];
    for (const [k, key] of keys.entries()) {
      const rows = parquetRows(await ctx.store.get(key), scores, key);
      const r = rankings[k]!;
      const ranked: ScoredRow[] = [];
      const shardFlags: FlagRow[] = [];
      for (const row of rows) {
        if (row.error !== null) {
          setAside.push({ person_id: row.person_id, reason: row.error });
          continue;
        }
        const i = ranked.length;
        const s = withRank(row as unknown as UnrankedRow, { rank: r.rank[i]!, percentile: r.percentile[i]!, tier: TIERS[r.tier[i]!]! });
        ranked.push(s);
        if (r.partnerRank[i]! > 0) shardFlags.push(flagRow(s, targets[r.target[i]!]!, r.partnerRank[i]!));
      }
      const name = `as_of=${asOf}/${String(k).padStart(5, '0')}.parquet`;
      await ctx.store.put(`${scores.prefix}${name}`, rowsToParquet(scores, [...ranked, ...rows.filter((x) => x.error !== null)]));
      await ctx.store.put(`${flags.prefix}${name}`, rowsToParquet(flags, shardFlags));
      written.push(`${scores.prefix}${name}`);
      flagFiles.push(`${flags.prefix}${name}`);
      addToTally(tally, ranked);
      for (const f of shardFlags) flagged.push({ ...f, reasons: '' });
    }
    await replaceFolder(ctx.store, `${scores.prefix}as_of=${asOf}/`, written);
    await replaceFolder(ctx.store, `${flags.prefix}as_of=${asOf}/`, flagFiles);
  });
  await ctx.engine.refresh();
  setAside.sort((a, b) => (a.person_id < b.person_id ? -1 : a.person_id > b.person_id ? 1 : 0));
  return summarize(asOf, tally, flagged, setAside, config, `${scores.prefix}as_of=${asOf}/`);
}

/** the k-way merge of the shards' rank orders: fills rank, percentile, tier and partner rank of every member */
function rankAcross(rankings: readonly ShardRanking[], targets: readonly FlagTarget[], config: StratifyConfig): void {
  const n = rankings.reduce((sum, r) => sum + r.ids.length, 0);
  const at = rankings.map(() => 0);
  // lib/scoring/tiers.ts byRiskThenId on the heads of two shards, without building their objects
  const ranksBefore = (a: number, b: number): boolean => {
    const ra = rankings[a]!;
    const rb = rankings[b]!;
    const i = at[a]!;
    const j = at[b]!;
    if (ra.actionable[i] !== rb.actionable[j]) return ra.actionable[i]! > rb.actionable[j]!;
    if (ra.score[i] !== rb.score[j]) return ra.score[i]! > rb.score[j]!;
    return ra.ids[i]! < rb.ids[j]!;
  };
  const flaggedTier = TIERS.map((t) => targets.map((target) => flaggedAt(t, target, config)));
  const nextPartnerRank = new Map<string, number>();
  let previousActionable = -1;
  let previousScore = Number.NaN;
  let firstOfScore = 0;
  for (let i = 0; i < n; i++) {
    // the shard whose next member ranks first (tens of shards: a scan is as good as a heap)
    let best = -1;
    for (let k = 0; k < rankings.length; k++) if (at[k]! < rankings[k]!.ids.length && (best < 0 || ranksBefore(k, best))) best = k;
    const r = rankings[best]!;
    const j = at[best]!++;
    const score = r.score[j]!;
    // members tied on actionable and score share the percentile of the first of them (tiers.ts)
    if (r.actionable[j] !== previousActionable || score !== previousScore) firstOfScore = i;
    previousActionable = r.actionable[j]!;
    previousScore = score;
    const rank = i + 1;
    const tier = tierFor(rank, n, score, config.tiers);
    r.rank[j] = rank;
    r.percentile[j] = (100 * (n - firstOfScore)) / n;
    r.tier[j] = TIERS.indexOf(tier);
    const t = r.target[j]!;
    if (t >= 0 && flaggedTier[r.tier[j]!]![t]) {
      const partner = targets[t]!.partner;
      const partnerRank = (nextPartnerRank.get(partner) ?? 0) + 1;
      nextPartnerRank.set(partner, partnerRank);
      r.partnerRank[j] = partnerRank;
    }
  }
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
