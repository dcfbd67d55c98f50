/**
 * Scoring a whole as-of population: points and reasons per member, then rank, tier and program, then the flags
 * (members of the dispatched tiers whose program has a partner), ranked within each partner. Pure: rows in, rows out.
 */
import type { StratifyConfig } from '../config/index.js';
import type { Row, flags, scores } from '../tables/index.js';
import { matchProgram } from './programs.js';
import { reasonsFor } from './reasons.js';
import { evaluateMember, totalPoints, type FeatureRow } from './rules.js';
import { rankAndTier } from './tiers.js';

export type ScoreRow = Row<typeof scores>;
export type FlagRow = Row<typeof flags>;

export function scorePopulation(rows: readonly FeatureRow[], config: StratifyConfig): { scores: ScoreRow[]; flags: FlagRow[] } {
  const members = new Map(
    rows.map((row) => {
      const hits = evaluateMember(row, config.scoring.rules);
      return [row.person_id, { row, score: totalPoints(hits), program: matchProgram(row, hits), reasons: reasonsFor(hits, row) }] as const;
    }),
  );
  if (members.size !== rows.length) throw new Error('features hold more than one row for a member on the same as-of date');

  const scoreRows: ScoreRow[] = rankAndTier([...members.values()].map((m) => ({ person_id: m.row.person_id, score: m.score })), config.tiers).map((r) => {
    const m = members.get(r.person_id)!;
    return { ...r, as_of_date: m.row.as_of_date, program: m.program, reasons: JSON.stringify(m.reasons) };
  });
  return { scores: scoreRows, flags: selectFlags(scoreRows, config) };
}

/** Flags from score rows already in rank order; the partner rank follows the population rank. */
export function selectFlags(scoreRows: readonly ScoreRow[], config: StratifyConfig): FlagRow[] {
  const partnerOf = new Map(config.partners.map((p) => [p.program as string, p.name]));
  const dispatched = new Set<string>(config.dispatch.tiers);
  const nextRank = new Map<string, number>();
  const out: FlagRow[] = [];
  for (const s of scoreRows) {
    if (s.program === null || !dispatched.has(s.tier)) continue;
    const partner = partnerOf.get(s.program);
    if (partner === undefined) continue;
    const rank = (nextRank.get(partner) ?? 0) + 1;
    nextRank.set(partner, rank);
    out.push({ person_id: s.person_id, as_of_date: s.as_of_date, partner, program: s.program, tier: s.tier, rank, score: s.score, reasons: s.reasons });
  }
  return out;
}
