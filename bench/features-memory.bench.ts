/**
 * `npm run bench:features -- --home H [--keep out.parquet] [--compare ref.parquet]`: the features stage alone, on a
 * home that `npm run bench` has ingested, in a process of its own so that its peak RSS is the stage's and not the
 * ingest's. Run it once per setting, e.g. `STRATIFY_QUERY_MEMORY=19GB` (about DuckDB's own default here, 80 % of RAM)
 * against the default limit. While the query runs it samples, every 50 ms, the RSS, the Node heap and the bytes of
 * Arrow/Buffer memory JavaScript holds (DuckDB's COPY writes the Parquet itself: no rows reach JavaScript), and the
 * size of DuckDB's spill files in the scratch folder. `--compare`: how many members' features differ from an earlier
 * run's (doubles within 1e-9: lib/pipeline/features-diff.ts). Nothing here is asserted by tests.
 */
import { copyFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openLocal } from '../lib/cli/local.js';
import { progressReporter } from '../lib/cli/progress.js';
import { buildFeatures } from '../lib/pipeline/features.js';
import { featuresDiffering } from '../lib/pipeline/features-diff.js';
import { recordMaterializePeaks } from '../lib/sql/duckdb-profile.js';
import { queryMemory } from '../lib/sql/memory.js';
import { scratchDir } from '../lib/scratch.js';

const { values } = parseArgs({
  options: { home: { type: 'string' }, 'as-of': { type: 'string', default: '2026-06-30' }, keep: { type: 'string' }, compare: { type: 'string' } },
});
if (values.home === undefined) throw new Error('--home: a home `npm run bench` has ingested');
const ctx = await openLocal(values.home, progressReporter());
const spillDir = join(await scratchDir(), 'duckdb');
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

async function spillBytes(): Promise<number> {
  const names = await readdir(spillDir).catch(() => [] as string[]);
  const sizes = await Promise.all(names.map((n) => stat(join(spillDir, n)).then((s) => s.size, () => 0)));
  return sizes.reduce((a, b) => a + b, 0);
}

const peak = { rss: 0, heapUsed: 0, arrayBuffers: 0, spill: 0 };
let sampling = false;
const timer = setInterval(() => {
  const m = process.memoryUsage();
  peak.rss = Math.max(peak.rss, m.rss);
  peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
  peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers);
  if (sampling) return;
  sampling = true;
  void spillBytes().then((b) => ((peak.spill = Math.max(peak.spill, b)), (sampling = false)));
}, 50);

// DuckDB's own account of the features query (lib/sql/duckdb-profile.ts)
const duckPeaks = await recordMaterializePeaks(ctx.engine);

const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
const built = await buildFeatures(ctx, values['as-of']);
const seconds = (performance.now() - t0) / 1000;
clearInterval(timer);
const maxRss = process.resourceUsage().maxRSS * 1024;
const held = await ctx.engine.query<{ tag: string; bytes: number }>(
  'select tag, memory_usage_bytes as bytes from duckdb_memory() where memory_usage_bytes > 0 order by 2 desc',
);

console.log(`features: ${built.members} members in ${seconds.toFixed(1)} s, limit ${queryMemory()}`);
console.log(`RSS before ${mib(rssBefore)}, peak sampled ${mib(peak.rss)}, process max RSS ${mib(maxRss)}`);
console.log(`Node heap used peak ${mib(peak.heapUsed)}, ArrayBuffers peak ${mib(peak.arrayBuffers)}, spill files peak ${mib(peak.spill)}`);
const duck = duckPeaks.at(-1)!;
console.log(`DuckDB's peaks (profiling): buffer memory ${mib(duck.bufferBytes)} (reserved; can exceed the RSS), spill ${mib(duck.spillBytes)}`);
console.log(`DuckDB memory still held after the query: ${held.map((r) => `${r.tag} ${mib(r.bytes)}`).join(', ') || 'none'}`);
const out = ctx.store.pathOf(built.key);
if (values.compare !== undefined) {
  console.log(`members whose features differ from ${values.compare}'s (lib/pipeline/features-diff.ts): ${await featuresDiffering(ctx.engine, out, values.compare)}`);
}
if (values.keep !== undefined) await copyFile(out, values.keep);
await ctx.engine.close();
