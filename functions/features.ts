/**
 * Features function (Step Functions task): uploads the reference seeds the models join (queries/seeds/*.csv, shipped
 * in the bundle) to `seeds/<name>/<name>.csv` in the lake, where the Glue catalog reads them, then builds the features
 * of the as-of date with Athena (an UNLOAD to features/as_of=<date>/). Input `{ asOf? }`, default today (UTC).
 * Publishes the members with features, and each query's bytes scanned and engine time (shared/wiring.ts).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { assetPath } from '../lib/assets.js';
import { buildFeatures } from '../lib/pipeline/features.js';
import type { ObjectStore } from '../lib/store/port.js';
import { featuresMetrics } from '../lib/pipeline/metrics.js';
import { instrumented, logger, measured } from './shared/powertools.js';
import { asOfOf } from './shared/stage-input.js';
import { once, pipelineContext } from './shared/wiring.js';

const context = once(() => pipelineContext());

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
    const ctx = context();
    const seeds = await uploadSeeds(ctx.store);
    logger.info('seeds uploaded', { seeds });
    const result = await buildFeatures(ctx, asOf);
    collect(featuresMetrics(result));
    return { asOf, members: result.members };
  });
});
