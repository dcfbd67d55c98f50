/**
 * Backtest: score the population as of a past date T with the current model and configuration, then compare the
 * ranking with what happened over the next 180 days (queries/outcomes.sql: admissions and ED visits in
 * (T, T + 180 days]). Nothing is written: the features of T are computed in the query and the scores kept in memory,
 * so a backtest never becomes the "previous run" of a daily run. The scores of T see no earlier run (no rising-risk
 * points) and no partner feedback: the figures judge the model, not the dispatch.
 */
import type { StratifyConfig } from '../config/schema.js';
import { addDays } from '../dates.js';
import { auc, calibration, liftByTier, type Decile, type Scored, type TierLift } from '../scoring/backtest.js';
import { checkFeatures } from '../scoring/feature-check.js';
import { scorePopulation } from '../scoring/population.js';
import { isCalendarDate } from '../tables/index.js';
import type { PipelineContext } from './context.js';
import { featureParams, featuresQuery, outcomesQuery } from './features.js';

export const OUTCOME_DAYS = 180;

export interface BacktestResult {
  readonly asOf: string;
  /** the last day of the outcome window, T + 180 days */
  readonly windowEnd: string;
  /** the latest claim end date in the store: when before windowEnd, the window is not fully observed */
  readonly dataThrough: string | null;
  readonly members: number;
  readonly withAdmission: number;
  readonly withAcuteEvent: number;
  /** AUC of the ranking for an admission, and for an admission or ED visit */
  readonly aucAdmission: number | null;
  readonly aucAcute: number | null;
  /** AUC for an admission or ED visit of the score alone, without putting actionable members first */
  readonly aucAcuteScoreOnly: number | null;
  /** lift and calibration for an admission or ED visit */
  readonly lift: TierLift[];
  readonly calibration: Decile[];
}



export async function backtest(ctx: PipelineContext, asOf: string, config: StratifyConfig): Promise<BacktestResult> {
  if (!isCalendarDate(asOf)) throw new Error(`as-of date ${asOf} is not a calendar date (YYYY-MM-DD)`);
  ctx.progress({ stage: 'score', message: `backtest: features as of ${asOf}` });
  const checked = checkFeatures(await ctx.engine.query(featuresQuery(), featureParams(asOf, config.claims.amounts)));
  ctx.progress({ stage: 'score', message: `backtest: scoring ${checked.rows.length} members` });
  const { scores, setAside } = scorePopulation(checked.rows, config);
  const aside = checked.setAside.length + setAside.length;
  if (aside > 0) ctx.progress({ stage: 'score', message: `backtest: ${aside} members the model cannot score left out (see the scores table's error column of a run)` });

  const outcomes = await ctx.engine.query<{ person_id: string; admissions_180d_after: number; ed_visits_180d_after: number }>(
    outcomesQuery(),
    featureParams(asOf, config.claims.amounts),
  );
  const byPerson = new Map(outcomes.map((o) => [o.person_id, o]));
  const scored: (Scored & { admitted: boolean })[] = scores.map((s) => {
    const o = byPerson.get(s.person_id);
    const admitted = (o?.admissions_180d_after ?? 0) > 0;
    return { ...s, admitted, outcome: admitted || (o?.ed_visits_180d_after ?? 0) > 0 };
  });

  const [through] = await ctx.engine.query<{ d: string | null }>('select max(claim_end_date) as d from medical_claims');
  return {
    asOf,
    windowEnd: addDays(asOf, OUTCOME_DAYS),
    dataThrough: through?.d ?? null,
    members: scored.length,
    withAdmission: scored.filter((s) => s.admitted).length,
    withAcuteEvent: scored.filter((s) => s.outcome).length,
    aucAdmission: auc(scored, (m) => m.admitted),
    aucAcute: auc(scored, (m) => m.outcome),
    aucAcuteScoreOnly: auc(
      scored.map((m) => ({ ...m, actionable: false })),
      (m) => m.outcome,
    ),
    lift: liftByTier(scored),
    calibration: calibration(scored),
  };
}
