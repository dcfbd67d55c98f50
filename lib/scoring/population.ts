/**
 * Scoring a whole as-of population: the model per member (lib/scoring/model.ts), then rank, tier, program and
 * exclusion, then the flags: members of a program with a partner (or of none, for a `review` partner), not excluded,
 * in a dispatched tier or in transition of care with a LACE at or above the dispatch threshold, ranked within each
 * partner. Pure: rows in, rows out.
 */
import type { StratifyConfig } from '../config/schema.js';
import type { Row, flags, scores } from '../tables/index.js';
import { HccInputError } from './hcc/errors.js';
import type { FeatureRow } from './member.js';
import { scoreMember, type MemberScore, type PreviousScore } from './model.js';
import { exclusionOf, routeMember } from './programs.js';
import { rankAndTier, type Ranked } from './tiers.js';
import { REVIEW, type Program } from './vocabulary.js';

/** a row of the scores table: a member scored, or a member set aside (`error`, every score column null) */
export type ScoreRow = Row<typeof scores>;
export type FlagRow = Row<typeof flags>;

/** the columns the model fills for every member it scores (null only for a member set aside) */
type Computed = 'score' | 'rank' | 'percentile' | 'tier' | 'routing' | 'reasons' | 'prospective_points' | 'comorbidity_points' | 'utilization_points'
  | 'monitoring_points' | 'trend_points' | 'hcc_score' | 'hcc_segment' | 'charlson_index' | 'elixhauser_index' | 'alert_count' | 'actionable';
/** the scores row of a member the model scored */
export type ScoredRow = Omit<ScoreRow, Computed | 'error'> & { [K in Computed]: NonNullable<ScoreRow[K]> } & { error: null };

/** A member the model could not score, and why: the feature, its value and the reason. */
export interface SetAside {
  readonly person_id: string;
  readonly reason: string;
}

/** the scores row of a member set aside: nothing computed, the reason in `error` */
export function setAsideRow(s: SetAside, asOf: string): ScoreRow {
  return {
    person_id: s.person_id, as_of_date: asOf, score: null, rank: null, percentile: null, tier: null, program: null, routing: null, reasons: null,
    prospective_points: null, comorbidity_points: null, utilization_points: null, monitoring_points: null, trend_points: null,
    hcc_score: null, hcc_segment: null, hccs: null, charlson_index: null, elixhauser_index: null, lace: null, alert_severity: null,
    alert_count: null, actionable: null, score_change: null, previous_as_of: null, exclusion: null, error: s.reason,
  };
}

/** HccInputError fields that are not feature names */
const HCC_FEATURE: Readonly<Record<string, string>> = { dx: 'dx_codes_12m' };

/** why scoring one member failed, naming the feature where the model says which */
function reasonOf(e: unknown): string {
  const hcc = e instanceof HccInputError ? e : (e as Error).cause instanceof HccInputError ? ((e as Error).cause as HccInputError) : undefined;
  if (hcc) return `${HCC_FEATURE[hcc.field] ?? hcc.field} ${JSON.stringify(hcc.value)}: CMS-HCC cannot score it: ${hcc.reason}`;
  return (e as Error).message;
}

/** What the score stage knows besides the features: earlier scores and partner feedback. */
export interface PopulationContext {
  /** each member's latest score before this as-of date */
  readonly previous: ReadonlyMap<string, PreviousScore>;
  /** people each program's partner reported enrolled (latest status) */
  readonly enrolled: ReadonlyMap<Program, ReadonlySet<string>>;
}

export const NO_CONTEXT: PopulationContext = { previous: new Map(), enrolled: new Map() };

/** the scores row of a member the model scored, before the population's ranking gives its rank, percentile and tier */
export type UnrankedRow = Omit<ScoredRow, 'rank' | 'percentile' | 'tier'>;

export function scorePopulation(
  rows: readonly FeatureRow[],
  config: StratifyConfig,
  context: PopulationContext = NO_CONTEXT,
): { scores: ScoredRow[]; flags: FlagRow[]; setAside: SetAside[] } {
  const { unranked, setAside } = scoreEach(rows, config, context);
  const scores = rankRows(unranked, config);
  return { scores, flags: selectFlags(scores, config), setAside };
}

/**
 * Each member's score, program, reasons and exclusion: everything but what the ranking of the whole population
 * decides. A part of the population (a shard, lib/pipeline/score-shards.ts) gives each of its members the row the
 * whole population would; a member with several feature rows is set aside, so all of a member's rows must be in the
 * same part.
 */
export function scoreEach(rows: readonly FeatureRow[], config: StratifyConfig, context: PopulationContext = NO_CONTEXT): { unranked: UnrankedRow[]; setAside: SetAside[] } {
  const members = new Map<string, { row: FeatureRow; m: MemberScore }>();
  const setAside: SetAside[] = [];
  const rowsOf = new Map<string, number>();
  for (const row of rows) rowsOf.set(row.person_id, (rowsOf.get(row.person_id) ?? 0) + 1);
  for (const [person_id, n] of rowsOf) if (n > 1) setAside.push({ person_id, reason: `features hold ${n} rows for this member: which one to score is unknown` });
  for (const row of rows) {
    if (rowsOf.get(row.person_id)! > 1) continue;
    try {
      members.set(row.person_id, { row, m: scoreMember(row, config.scoring, context.previous.get(row.person_id)) });
    } catch (e) {
      // one member the model cannot score must not stop the others: set aside with the reason, the rest go on
      setAside.push({ person_id: row.person_id, reason: reasonOf(e) });
    }
  }

  const unranked = [...members.values()].map(({ row, m }): UnrankedRow => {
    const { program, routing } = routeMember(row, m.contributions, m.hcc);
    const previous = context.previous.get(m.person_id);
    return {
      person_id: m.person_id,
      as_of_date: row.as_of_date,
      score: m.score,
      program,
      routing,
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
      error: null,
    };
  });
  return { unranked, setAside };
}

/** Members in rank order with their rank, percentile and tier, ranked against each other (lib/scoring/tiers.ts). */
export function rankRows(unranked: readonly UnrankedRow[], config: StratifyConfig): ScoredRow[] {
  const byPerson = new Map(unranked.map((u) => [u.person_id, u]));
  return rankAndTier(unranked, config.tiers).map((r) => withRank(byPerson.get(r.person_id)!, r));
}

/** an unranked row with its place in the ranking (replacing the nulls of a row read back from a shard's Parquet) */
export function withRank(u: UnrankedRow, r: Pick<Ranked, 'rank' | 'percentile' | 'tier'>): ScoredRow {
  return { ...u, rank: r.rank, percentile: r.percentile, tier: r.tier };
}

/**
 * Flags from score rows already in rank order; the partner rank follows the population rank. A member with no
 * program (their leading risk belongs to none) goes to the partner of the `review` program when one is configured
 * (off by default), the routing sentence first among the reasons.
 */
export function selectFlags(scoreRows: readonly ScoredRow[], config: StratifyConfig): FlagRow[] {
  const targetOf = flagTargets(config);
  const nextRank = new Map<string, number>();
  const out: FlagRow[] = [];
  for (const s of scoreRows) {
    const target = targetOf(s);
    if (target === undefined || !flaggedAt(s.tier, target, config)) continue;
    const rank = (nextRank.get(target.partner) ?? 0) + 1;
    nextRank.set(target.partner, rank);
    out.push(flagRow(s, target, rank));
  }
  return out;
}

/** where a member's flag would go, whatever its tier: its partner, program and transition of care */
export interface FlagTarget {
  readonly partner: string;
  readonly program: string;
  readonly transitions: boolean;
}

/** the flag target of a scored member, undefined when it is excluded or its program has no partner */
export function flagTargets(config: StratifyConfig): (s: Pick<ScoredRow, 'exclusion' | 'lace' | 'program'>) => FlagTarget | undefined {
  const partnerOf = new Map(config.partners.map((p) => [p.program as string, p.name]));
  const laceAt = config.scoring.transitions.dispatch_lace_at;
  return (s) => {
    if (s.exclusion !== null) return undefined;
    const program = s.program ?? REVIEW;
    const partner = partnerOf.get(program);
    return partner === undefined ? undefined : { partner, program, transitions: s.lace !== null && s.lace >= laceAt };
  };
}

/** a member with a flag target is flagged in a dispatched tier, or in transition of care whatever its tier */
export function flaggedAt(tier: string, target: FlagTarget, config: StratifyConfig): boolean {
  return (config.dispatch.tiers as readonly string[]).includes(tier) || target.transitions;
}

/** the flags row of a member flagged, `rank` its place among its partner's flags */
export function flagRow(s: ScoredRow, target: FlagTarget, rank: number): FlagRow {
  return {
    person_id: s.person_id,
    as_of_date: s.as_of_date,
    partner: target.partner,
    program: target.program,
    tier: s.tier,
    rank,
    score: s.score,
    reasons: s.program === null ? JSON.stringify([capitalize(s.routing), ...(JSON.parse(s.reasons) as string[])]) : s.reasons,
    transitions_of_care: target.transitions,
  };
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
