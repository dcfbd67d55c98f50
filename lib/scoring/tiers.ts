/**
 * Ranking and tiers. Members with an actionable signal (a monitoring alert, a rising slope or a recent discharge)
 * rank above every member without one, whose risk is only fixed (HCC, comorbidity, history); within each group rank 1
 * is the highest score, and equal scores are ordered by person_id so every run ranks the same way. Tiers are cut by
 * rank position against the population size (critical = the top 2 % of ranks, …), so tier sizes are exactly the
 * configured shares: partners budget their capacity on them. Members tied on a score that a cut-off falls through are
 * split by that same person_id order. A member scoring under `min_score` is routine whatever the rank: with no signal
 * there is nothing to explain, so nothing to flag.
 *
 * The percentile is the share of the population ranked at or below the member, members tied on both the actionable
 * flag and the score sharing it (the scores table's contract). This is computed from the ranking rather than with
 * simple-statistics' quantileRank, which gives tied values the mean of their positions ("at or below" is wanted).
 */
import type { TiersConfig } from '../config/schema.js';
import type { Tier } from './vocabulary.js';

export interface Rankable {
  readonly person_id: string;
  readonly score: number;
  readonly actionable: boolean;
}

export interface Ranked extends Rankable {
  readonly rank: number;
  readonly percentile: number;
  readonly tier: Tier;
}

/** the order of the ranking without the person_id tie-break: negative when `a` ranks above `b` */
export const byRisk = (a: Rankable, b: Rankable): number => Number(b.actionable) - Number(a.actionable) || b.score - a.score;

/** the order of the ranking: rank 1 first */
export const byRiskThenId = (a: Rankable, b: Rankable): number => byRisk(a, b) || (a.person_id < b.person_id ? -1 : a.person_id > b.person_id ? 1 : 0);

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
export function rankAndTier(members: readonly Rankable[], cfg: TiersConfig): Ranked[] {
  const sorted = [...members].sort(byRiskThenId);
  const n = sorted.length;
  let firstOfScore = 0;
  return sorted.map((m, i) => {
    if (i > 0 && byRisk(sorted[i - 1]!, m) !== 0) firstOfScore = i;
    const rank = i + 1;
    return { person_id: m.person_id, score: m.score, actionable: m.actionable, rank, percentile: (100 * (n - firstOfScore)) / n, tier: tierFor(rank, n, m.score, cfg) };
  });
}
