/**
 * The features stage: runs the models of queries/ for one as-of date through the engine and stores one row per
 * enrolled member at `features/as_of=<date>/features.parquet` (the `features` table of lib/tables/outputs.ts).
 *
 * Each model file is one standalone SELECT that reads the curated tables, the seeds and earlier models by name.
 * The stage composes them into a single query, `with <model> as (<file>), … select * from features`, which runs
 * unchanged on DuckDB and on Athena (where the adapter wraps it in UNLOAD). Its two placeholders, in
 * as_of_windows.sql, are the as-of date and the claim-amount convention (featureParams).
 */
import { queryMemory } from '../sql/memory.js';
import { loadQuery } from '../sql/queries.js';
import { isCalendarDate } from '../tables/define.js';
import type { SqlParam } from '../sql/port.js';
import type { PipelineContext } from './context.js';
import { exclusive } from './exclusive.js';

/** how medical-claims files state their amounts: detected per file (claim_conventions.sql), or one for every file */
export type ClaimAmounts = 'detect' | 'header' | 'line';

/** the parameters of the features and outcomes queries: the as-of date and the claim-amount convention */
export function featureParams(asOf: string, claimAmounts: ClaimAmounts = 'detect'): SqlParam[] {
  return [{ date: asOf }, { string: claimAmounts }];
}

/** The models the features query is built from, each listed after the models it reads; the last is the output. */
export const FEATURE_MODELS = [
  'as_of_windows',
  'claim_conventions',
  'claim_totals',
  'kept_medical_claims',
  'kept_diagnoses',
  'member_roster',
  'diagnosis_summary',
  'chronic_conditions',
  'utilization',
  'monitoring',
  'labs',
  'features',
] as const;

/** The models of the backtest's outcomes (what happened in the 180 days after the as-of date); not features. */
export const OUTCOME_MODELS = ['as_of_windows', 'claim_conventions', 'claim_totals', 'kept_medical_claims', 'member_roster', 'outcomes'] as const;

export interface FeaturesResult {
  asOf: string;
  /** `features/as_of=<date>/features.parquet` */
  key: string;
  /** rows written: members enrolled on the as-of date */
  members: number;
}

/** One query selecting every row of the last model: the earlier ones become CTEs of it, in the order given. */
export function composeModels(models: readonly string[]): string {
  const target = models.at(-1);
  if (target === undefined) throw new Error('composeModels needs at least one model');
  const ctes = models.map((name) => `${name} as (\n${loadQuery(name).trim().replace(/;$/, '')}\n)`);
  return `with\n${ctes.join('\n, ')}\nselect * from ${target}\n`;
}

/** The composed features query; bind featureParams() to its placeholders. */
export function featuresQuery(): string {
  return composeModels(FEATURE_MODELS);
}

/** The composed outcomes query, one row per member enrolled on the as-of date; bind featureParams() as above. */
export function outcomesQuery(): string {
  return composeModels(OUTCOME_MODELS);
}

export function featuresKey(asOf: string): string {
  return `features/as_of=${asOf}/features.parquet`;
}

/**
 * Build the features of every member enrolled on `asOf` (YYYY-MM-DD); a rerun overwrites the same key.
 * `claimAmounts` is the configuration's `claims.amounts` (detect per file unless overridden).
 */
export async function buildFeatures(ctx: PipelineContext, asOf: string, claimAmounts: ClaimAmounts = 'detect'): Promise<FeaturesResult> {
  if (!isCalendarDate(asOf)) throw new Error(`as-of date is not a calendar date (YYYY-MM-DD): ${asOf}`);
  const key = featuresKey(asOf);
  ctx.progress({ stage: 'features', message: `building features as of ${asOf}` });
  // one build of a date at a time: on Athena a build clears the date's folder before its UNLOAD writes there; the
  // query held to the stage's memory (lib/sql/memory.ts), spilling past it, not to DuckDB's 80 % of the machine
  const members = await exclusive(ctx, 'features', `runs/features/as_of=${asOf}.json`, `features build of ${asOf}`, () =>
    ctx.engine.withMemoryLimit(queryMemory(), () => ctx.engine.materialize(featuresQuery(), key, featureParams(asOf, claimAmounts))),
  );
  await ctx.engine.refresh();
  const folder = key.slice(0, key.lastIndexOf('/') + 1);
  ctx.progress({ stage: 'features', message: `${members} members as of ${asOf} written to ${folder}`, done: members, total: members });
  return { asOf, key, members };
}
