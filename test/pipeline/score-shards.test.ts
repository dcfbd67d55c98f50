/**
 * Scoring in shards (lib/pipeline/score-shards.ts) gives every member the score, rank, percentile, tier, program,
 * reasons and exclusion the unsharded stage gives, and the same flags with the same partner ranks: on the demo's
 * population (1,000 members, 4 shards), with a previous run a week earlier so that rising risk is in the scores.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocal, type LocalContext } from '../../lib/cli/local.js';
import { loadConfig } from '../../lib/config/index.js';
import { generateDemo } from '../../lib/demo/index.js';
import { readParquetFolder, readTableRows } from '../../lib/parquet/reader.js';
import { buildFeatures } from '../../lib/pipeline/features.js';
import { ingest, sourcesFromStore } from '../../lib/pipeline/ingest.js';
import { scoreInShards, shardCount, shardInputFolder, shardOf } from '../../lib/pipeline/score-shards.js';
import { scoreMembers, type ScoreResult } from '../../lib/pipeline/score.js';
import { rankAndTier } from '../../lib/scoring/tiers.js';
import { features, flags, scores, type Row } from '../../lib/tables/index.js';

const AS_OF = '2026-06-30';
const WEEK_BEFORE = '2026-06-23';
const SHARDS = 4;
const config = loadConfig();

const byPerson = <T extends { person_id: string }>(rows: readonly T[]): T[] => [...rows].sort((a, b) => (a.person_id < b.person_id ? -1 : 1));
const byPartnerRank = <T extends { partner: string; rank: number }>(rows: readonly T[]): T[] => [...rows].sort((a, b) => a.partner.localeCompare(b.partner) || a.rank - b.rank);

describe('score in shards', () => {
  let home: string;
  let ctx: LocalContext;
  let unsharded: { result: ScoreResult; scores: Row<typeof scores>[]; flags: Row<typeof flags>[] };
  let sharded: { result: ScoreResult; scores: Row<typeof scores>[]; flags: Row<typeof flags>[] };

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'stratify-shards-'));
    ctx = await openLocal(home, () => {});
    await generateDemo(ctx.store, { members: 1000, seed: 5, asOf: AS_OF });
    await ingest(ctx, await sourcesFromStore(ctx.store, 'landing/'));
    await buildFeatures(ctx, WEEK_BEFORE);
    await scoreMembers(ctx, WEEK_BEFORE, config);
    await buildFeatures(ctx, AS_OF);
    const result = await scoreMembers(ctx, AS_OF, config);
    unsharded = { result, scores: await readTableRows(ctx.store, scores, AS_OF), flags: await readTableRows(ctx.store, flags, AS_OF) };
    const shardedResult = await scoreInShards(ctx, AS_OF, config, SHARDS);
    sharded = { result: shardedResult, scores: await readTableRows(ctx.store, scores, AS_OF), flags: await readTableRows(ctx.store, flags, AS_OF) };
  }, 120_000);
  afterAll(async () => {
    await ctx.engine.close();
    await rm(home, { recursive: true, force: true });
  });

  it('puts each member in exactly one shard, by person-hash bucket, and every shard gets some', async () => {
    const all = await readTableRows(ctx.store, features, AS_OF);
    const seen: string[] = [];
    for (let k = 0; k < SHARDS; k++) {
      const ids = (await readParquetFolder(ctx.store, shardInputFolder(AS_OF, k), features)).map((r) => r.person_id);
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) expect(shardOf(id, SHARDS)).toBe(k);
      seen.push(...ids);
    }
    expect(seen.sort()).toEqual(all.map((r) => r.person_id).sort());
  });

  it('gives every member the same row of scores as unsharded: score, rank, percentile, tier, program, reasons, exclusion, change', () => {
    expect(sharded.scores.length).toBe(unsharded.scores.length);
    expect(sharded.scores.filter((s) => s.previous_as_of === WEEK_BEFORE).length).toBeGreaterThan(0);
    expect(byPerson(sharded.scores)).toEqual(byPerson(unsharded.scores));
  });

  it('flags the same members for the same partners, with the same partner ranks', () => {
    expect(sharded.flags.length).toBeGreaterThan(10);
    expect(byPartnerRank(sharded.flags)).toEqual(byPartnerRank(unsharded.flags));
  });

  it('reports the same counts: members, per tier, flagged per partner and tier, excluded, set aside', () => {
    const { scoresKey: _a, ...a } = sharded.result;
    const { scoresKey: _b, ...b } = unsharded.result;
    expect(a).toEqual(b);
  });

  it('needs the global ranking: ranking each shard on its own would tier some members differently', () => {
    const scored = unsharded.scores.filter((s) => s.error === null) as (Row<typeof scores> & { score: number; actionable: boolean })[];
    const global = new Map(scored.map((s) => [s.person_id, s.tier]));
    let differ = 0;
    for (let k = 0; k < SHARDS; k++) {
      const local = rankAndTier(scored.filter((s) => shardOf(s.person_id, SHARDS) === k), config.tiers);
      differ += local.filter((r) => r.tier !== global.get(r.person_id)).length;
    }
    expect(differ).toBeGreaterThan(0);
  });

  it('shards only above the threshold: one shard per threshold members, rounded up', () => {
    // 1,000,000 members at 400,000 a shard: 2.5, so 3 shards; at or under the threshold, none (unsharded)
    expect([shardCount(1_000_000, 400_000), shardCount(400_000, 400_000), shardCount(399_999, 400_000), shardCount(400_001, 400_000)]).toEqual([3, 0, 0, 2]);
  });
});
