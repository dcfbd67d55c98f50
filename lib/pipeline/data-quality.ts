/**
 * The data-quality stage: runs queries/data_quality.sql for the as-of date (the claims conventions detected, shares of
 * claims without diagnoses or with impossible codes, paid per member per month with outliers flagged, members
 * without eligibility) and stores it as the `data_quality` table at `data_quality/as_of=<date>/`, which `stratify sql`
 * and Athena read like the other outputs.
 */
import { readTableRows } from '../parquet/reader.js';
import { queryMemory } from '../sql/memory.js';
import { data_quality, type Row } from '../tables/index.js';
import type { PipelineContext } from './context.js';
import { composeModels, featureParams, type ClaimAmounts } from './features.js';

export type DataQualityRow = Row<typeof data_quality>;

export const DATA_QUALITY_MODELS = ['as_of_windows', 'claim_conventions', 'claim_totals', 'data_quality'] as const;

export function dataQualityKey(asOf: string): string {
  return `data_quality/as_of=${asOf}/data_quality.parquet`;
}

export async function buildDataQuality(ctx: PipelineContext, asOf: string, claimAmounts: ClaimAmounts = 'detect'): Promise<DataQualityRow[]> {
  const key = dataQualityKey(asOf);
  // held to the features' memory (lib/sql/memory.ts): it reads what they read
  await ctx.engine.withMemoryLimit(queryMemory(), () => ctx.engine.materialize(composeModels(DATA_QUALITY_MODELS), key, featureParams(asOf, claimAmounts)));
  await ctx.engine.refresh();
  return readTableRows(ctx.store, data_quality, asOf);
}
