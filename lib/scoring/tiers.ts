/**
 * Ranking and tiers. Rank 1 is the highest score; equal scores are ordered by person_id so every run ranks the same
 * way. Tiers are cut by rank position against the population size (critical = the top 2 % of ranks, …), so tier
 * sizes are exactly the configured shares: partners budget their capacity on them. Members tied on a score that a
 * cut-off falls through are split by that same person_id order. A member scoring under `min_score` is routine
 * whatever the rank: with no signal there is nothing to explain, so nothing to flag.
 *
 * The percentile is the share of the population scoring at or below the member (the scores table's contract). This
 * is computed from the ranking rather than with simple-statistics' quantileRank, which gives tied values the mean
 * of their positions and so reports less than "at or below" for ties.
 */
import type { TiersConfig } from '../config/index.js';
import type { Tier } from './vocabulary.js';

export interface Ranked {
  readonly person_id: string;
  readonly score: number;
  readonly rank: number;
  readonly percentile: number;
  readonly tier: Tier;
}

const byScoreThenId = (a: { person_id: string; score: number }, b: { person_id: string; score: number }): number =>
  b.score - a.score || (a.person_id < b.person_id ? -1 : a.person_id > b.person_id ? 1 : 0);

export function tierFor(rank: number, population: number, score: number, cfg: TiersConfig): Tier {
  if (score < cfg.min_score) return 'routine';
  // compare rank <= share × n in integers of basis points so 2 % of 100 is exactly 2 whatever the float rounding
  const within = (topPercent: number): boolean => rank * 10_000 <= Math.round(topPercent * 100) * population;
  if (within(cfg.top_percent.critical)) return 'critical';
  if (within(cfg.top_percent.high)) return 'high';
  if (within(cfg.top_percent.elevated)) return 'elevated';
  return 'routine';
}

/** Members in rank order with rank, percentile and tier. */
export function rankAndTier(members: readonly { person_id: string; score: number }[], cfg: TiersConfig): Ranked[] {
  const sorted = [...members].sort(byScoreThenId);
  const n = sorted.length;
  let firstOfScore = 0;
  return sorted.map((m, i) => {
    if (i > 0 && m.score !== sorted[i - 1]!.score) firstOfScore = i;
    const rank = i + 1;
    return { person_id: m.person_id, score: m.score, rank, percentile: (100 * (n - firstOfScore)) / n, tier: tierFor(rank, n, m.score, cfg) };
  });
}
