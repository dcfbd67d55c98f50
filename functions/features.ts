/**
 * Features function (Step Functions task): uploads the reference seeds the models join (queries/seeds/*.csv, shipped
 * in the bundle) to `seeds/<name>/<name>.csv` in the lake, where the Glue catalog reads them, then builds the features
 * of the as-of date with Athena (an UNLOAD to features/as_of=<date>/), and the run's data-quality checks (the
 * `data_quality` table, data_quality/as_of=<date>/), both with the configuration's `claims.amounts`, as a local run
 * does (lib/pipeline/run.ts). Input `{ asOf? }`, default today (UTC).
 * First it compacts the curated tables (lib/pipeline/compact.ts): the parts ingested since the last run are rewritten
 * into parts of up to 1,000,000 rows, so the objects Athena opens stay few as deliveries accumulate. Publishes each
 * curated table's object count, the members with features, and each query's bytes scanned and engine time
 * (shared/wiring.ts).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { assetPath } from '../lib/assets.js';
import { buildDataQuality } from '../lib/pipeline/data-quality.js';
import { buildFeatures } from '../lib/pipeline/features.js';
import type { ObjectStore } from '../lib/store/port.js';
import { compactCurated } from '../lib/pipeline/compact.js';
import { compactionMetrics, featuresMetrics } from '../lib/pipeline/metrics.js';
import { instrumented, logger, measured } from './shared/powertools.js';
import { asOfOf } from './shared/stage-input.js';
import { once, pipelineContext, shippedConfig } from './shared/wiring.js';

const wiring = once(() => ({ ctx: pipelineContext(), config: shippedConfig() }));

function seedKey(name: string): string {
  return `seeds/${name}/${name}.csv`;
}

/** Puts every shipped seed at its key; the same bytes each run, so a rerun changes nothing. */
export async function uploadSeeds(store: ObjectStore): Promise<string[]> {
  const dir = assetPath('queries/seeds/');
  const names = readdirSync(dir).filter((f) => f.endsWith('.csv')).map((f) => f.slice(0, -4)).sort();
  for (const name of names) await store.put(seedKey(name), readFileSync(`${dir}${name}.csv`));
  return names;
}

export const handler = instrumented(async (event: unknown): Promise<{ asOf: string; members: number }> => {
  const asOf = asOfOf(event);
  logger.appendKeys({ as_of: asOf });
  return measured('features', async (collect) => {
    const { ctx, config } = wiring();
    // curated parts of the files ingested since the last run, rewritten into large parts before Athena scans them
    const compacted = await compactCurated(ctx.store);
    await ctx.engine.refresh();
    logger.info('curated tables compacted', { tables: compacted.filter((t) => t.partsAfter !== t.partsBefore) });
    collect(compactionMetrics(compacted));
    const seeds = await uploadSeeds(ctx.store);
    logger.info('seeds uploaded', { seeds });
    const result = await buildFeatures(ctx, asOf, config.claims.amounts);
    collect(featuresMetrics(result));
    const dataQuality = await buildDataQuality(ctx, asOf, config.claims.amounts);
    logger.info('data-quality checks written', { checks: dataQuality.length, flagged: dataQuality.filter((r) => r.flagged).length });
    return { asOf, members: result.members };
  });
});
