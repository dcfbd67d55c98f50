/**
 * Scoring a whole as-of population: the model per member (lib/scoring/model.ts), then rank, tier, program and
 * exclusion, then the flags: members of a program with a partner, not excluded, in a dispatched tier or in transition
 * of care with a LACE at or above the dispatch threshold, ranked within each partner. Pure: rows in, rows out.
 */
import type { StratifyConfig } from '../config/schema.js';
import type { Row, flags, scores } from '../tables/index.js';
import type { FeatureRow } from './member.js';
import { scoreMember, type MemberScore, type PreviousScore } from './model.js';
import { exclusionOf, matchProgram } from './programs.js';
import { rankAndTier } from './tiers.js';
import type { Program } from './vocabulary.js';

export type ScoreRow = Row<typeof scores>;
export type FlagRow = Row<typeof flags>;

/** What the score stage knows besides the features: earlier scores and partner feedback. */
export interface PopulationContext {
  /** each member's latest score before this as-of date */
  readonly previous: ReadonlyMap<string, PreviousScore>;
  /** people each program's partner reported enrolled (latest status) */
  readonly enrolled: ReadonlyMap<Program, ReadonlySet<string>>;
}

export const NO_CONTEXT: PopulationContext = { previous: new Map(), enrolled: new Map() };

export function scorePopulation(
  rows: readonly FeatureRow[],
  config: StratifyConfig,
  context: PopulationContext = NO_CONTEXT,
): { scores: ScoreRow[]; flags: FlagRow[] } {
  const members = new Map<string, { row: FeatureRow; m: MemberScore }>();
  for (const row of rows) {
    if (members.has(row.person_id)) throw new Error(`features hold more than one row for ${row.person_id} on ${row.as_of_date}`);
    members.set(row.person_id, { row, m: scoreMember(row, config.scoring, context.previous.get(row.person_id)) });
  }

  const ranked = rankAndTier([...members.values()].map(({ m }) => ({ person_id: m.person_id, score: m.score, actionable: m.actionable })), config.tiers);
  const scoreRows: ScoreRow[] = ranked.map((r) => {
    const { row, m } = members.get(r.person_id)!;
    const program = matchProgram(row, m.contributions);
    const previous = context.previous.get(r.person_id);
    return {
      person_id: r.person_id,
      as_of_date: row.as_of_date,
      score: r.score,
      rank: r.rank,
      percentile: r.percentile,
      tier: r.tier,
      program,
      reasons: JSON.stringify(m.contributions.map((c) => c.reason)),
      prospective_points: m.components.prospective,
      comorbidity_points: m.components.comorbidity,
      utilization_points: m.components.utilization,
      monitoring_points: m.components.monitoring,
      trend_points: m.components.trend,
      hcc_score: m.hcc.score,
      hcc_segment: m.hcc.segment,
      hccs: m.hcc.hccs.length > 0 ? m.hcc.hccs.join(',') : null,
      charlson_index: m.charlson,
      elixhauser_index: m.elixhauser,
      lace: m.lace?.score ?? null,
      alert_severity: m.alerts[0]?.severity ?? null,
      alert_count: m.alerts.length,
      actionable: m.actionable,
      score_change: m.change,
      previous_as_of: previous?.as_of_date ?? null,
      exclusion: exclusionOf(row, program, config.dispatch.exclusions, context.enrolled),
    };
  });
  return { scores: scoreRows, flags: selectFlags(scoreRows, config) };
}

/** Flags from score rows already in rank order; the partner rank follows the population rank. */
export function selectFlags(scoreRows: readonly ScoreRow[], config: StratifyConfig): FlagRow[] {
  const partnerOf = new Map(config.partners.map((p) => [p.program as string, p.name]));
  const dispatched = new Set<string>(config.dispatch.tiers);
  const laceAt = config.scoring.transitions.dispatch_lace_at;
  const nextRank = new Map<string, number>();
  const out: FlagRow[] = [];
  for (const s of scoreRows) {
    if (s.program === null || s.exclusion !== null) continue;
    const transitions = s.lace !== null && s.lace >= laceAt;
    if (!dispatched.has(s.tier) && !transitions) continue;
    const partner = partnerOf.get(s.program);
    if (partner === undefined) continue;
    const rank = (nextRank.get(partner) ?? 0) + 1;
    nextRank.set(partner, rank);
    out.push({
      person_id: s.person_id,
      as_of_date: s.as_of_date,
      partner,
      program: s.program,
      tier: s.tier,
      rank,
      score: s.score,
      reasons: s.reasons,
      transitions_of_care: transitions,
    });
  }
  return out;
}
