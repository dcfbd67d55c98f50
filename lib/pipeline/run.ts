/**
 * One daily run: ingest whatever new files wait in landing/, then features (and the data-quality checks) → score →
 * dispatch for the as-of date.
 * Each stage reads what the previous one wrote in the store, so a failed run can simply be run again.
 */
import type { StratifyConfig } from '../config/index.js';
import type { PipelineContext } from './context.js';
import { dispatch, type DispatchResult } from './dispatch.js';
import { buildDataQuality, type DataQualityRow } from './data-quality.js';
import { buildFeatures, type FeaturesResult } from './features.js';
import { readManifest } from '../ingest/manifests.js';
import { ingest, sourcesFromStore, type IngestOptions, type IngestReport } from './ingest.js';
import { scoreMembers, type ScoreResult } from './score.js';

export interface RunResult {
  readonly asOf: string;
  readonly ingest: IngestReport[];
  readonly features: FeaturesResult;
  /** the data-quality checks of the claims read (queries/data_quality.sql) */
  readonly dataQuality: DataQualityRow[];
  readonly score: ScoreResult;
  readonly dispatch: DispatchResult;
  /** wall time of each stage (the StageDuration metric; lib/pipeline/metrics.ts) */
  readonly durationsMs: Readonly<Record<'ingest' | 'features' | 'score' | 'dispatch', number>>;
}

export async function runPipeline(ctx: PipelineContext, asOf: string, config: StratifyConfig, options: IngestOptions = {}): Promise<RunResult> {
  const durationsMs = { ingest: 0, features: 0, score: 0, dispatch: 0 };
  const timed = async <T>(stage: keyof typeof durationsMs, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await run();
    } finally {
      durationsMs[stage] = performance.now() - started;
    }
  };
  const reports = await timed('ingest', async () => ingest(ctx, await sourcesFromStore(ctx.store, 'landing/'), { limits: config.ingest, ...options }));
  // the data-quality checks read what the features read: timed with them
  const [features, dataQuality] = await timed('features', async () => {
    const built = await buildFeatures(ctx, asOf, config.claims.amounts);
    return [built, await buildDataQuality(ctx, asOf, config.claims.amounts)] as const;
  });
  const score = await timed('score', () => scoreMembers(ctx, asOf, config));
  const dispatched = await timed('dispatch', () => dispatch(ctx, asOf, config));
  return { asOf, ingest: reports, features, dataQuality, score, dispatch: dispatched, durationsMs };
}

export interface QuarantineTotals {
  readonly files: number;
  readonly read: number;
  readonly accepted: number;
  readonly quarantined: number;
  /** valid records holding nothing Stratify stores: read = accepted + quarantined + skipped */
  readonly skipped: number;
  /** accepted records whose key an earlier delivery had: they replaced it (counted once, the latest wins) */
  readonly replaced: number;
  readonly reasons: { reason: string; count: number }[];
}

/** Totals over every manifest in the store: what was ever ingested, and why records were set aside. */
export async function quarantineTotals(ctx: Pick<PipelineContext, 'store'>): Promise<QuarantineTotals> {
  const reasons = new Map<string, number>();
  let files = 0;
  let read = 0;
  let accepted = 0;
  let quarantined = 0;
  let skipped = 0;
  let replaced = 0;
  for (const { key } of await ctx.store.list('manifests/')) {
    if (!key.endsWith('.json')) continue;
    const m = await readManifest(ctx.store, key);
    files++;
    read += m.read;
    accepted += m.accepted;
    quarantined += m.quarantined;
    skipped += m.skipped;
    for (const n of Object.values(m.replaced ?? {})) replaced += n;
    for (const [r, n] of Object.entries(m.reasons ?? {})) reasons.set(r, (reasons.get(r) ?? 0) + n);
  }
  const sorted = [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count);
  return { files, read, accepted, quarantined, skipped, replaced, reasons: sorted };
}
