/**
 * `npm run bench [-- --members N]`: the whole local pipeline on a generated population, with each ingest figure set
 * against DuckDB's own CSV/JSON → Parquet COPY of the same file, measured in the same run on the same machine.
 * Ratios, not absolute times, are what to compare across machines. Nothing here is asserted by tests.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config/index.js';
import { generateDemo } from '../lib/demo/index.js';
import { toTable } from '../lib/cli/format.js';
import { openLocal } from '../lib/cli/local.js';
import { progressReporter } from '../lib/cli/progress.js';
import { dispatch } from '../lib/pipeline/dispatch.js';
import { buildFeatures } from '../lib/pipeline/features.js';
import { ingest, sourcesFromStore } from '../lib/pipeline/ingest.js';
import { scoreMembers } from '../lib/pipeline/score.js';

const { values } = parseArgs({
  options: { members: { type: 'string', default: '100000' }, seed: { type: 'string', default: '7' }, home: { type: 'string' }, keep: { type: 'boolean' } },
});
const members = Number(values.members);
const asOf = '2026-06-30';
const home = values.home ?? (await mkdtemp(join(tmpdir(), 'stratify-bench-')));
const progress = progressReporter();
const ctx = await openLocal(home, progress);

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const out = await fn();
  return [out, (performance.now() - t0) / 1000];
}
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

console.log(`Stratify bench: ${members.toLocaleString('en-US')} members, as of ${asOf}, in ${home}`);
const [, genSeconds] = await timed(() => generateDemo(ctx.store, { members, seed: Number(values.seed), asOf, progress }));
progress.end();
const landing = await sourcesFromStore(ctx.store, 'landing/');

// Baseline: DuckDB reads each file and writes zstd Parquet itself, the limit the ingest chases.
const baseline = new Map<string, { rows: number; seconds: number }>();
for (const src of landing) {
  const path = ctx.store.pathOf(`landing/${src.name.split('/').at(-1)}`);
  const reader = path.endsWith('.ndjson') ? `read_json('${path}', format = 'newline_delimited')` : `read_csv('${path}', header = true, all_varchar = true)`;
  const [res, seconds] = await timed(() =>
    ctx.engine.connection.runAndReadAll(`COPY (SELECT * FROM ${reader}) TO '${join(home, 'baseline.parquet')}' (FORMAT parquet, COMPRESSION zstd)`),
  );
  baseline.set(src.name, { rows: Number(res.getRows()[0]?.[0] ?? 0), seconds });
}
await rm(join(home, 'baseline.parquet'), { force: true });

const ingestRows: Record<string, unknown>[] = [];
let ingestSeconds = 0;
for (const src of landing) {
  const [[report], seconds] = await timed(() => ingest(ctx, [src]));
  ingestSeconds += seconds;
  const base = baseline.get(src.name)!;
  const rate = report!.read / seconds;
  const baseRate = base.rows / base.seconds;
  ingestRows.push({
    file: src.name.split('/').at(-1),
    size: mib(src.size ?? 0),
    records: report!.read,
    'rows/s': Math.round(rate),
    'duckdb rows/s': Math.round(baseRate),
    'duckdb/ours': Math.round((baseRate / rate) * 10) / 10,
    quarantined: report!.quarantined,
  });
}
progress.end();
const config = loadConfig();
const [feat, featuresSeconds] = await timed(() => buildFeatures(ctx, asOf));
const [, scoreSeconds] = await timed(() => scoreMembers(ctx, asOf, config));
const [disp, dispatchSeconds] = await timed(() => dispatch(ctx, asOf, config));
progress.end();

const curatedBytes = (await ctx.store.list('curated/')).reduce((s, o) => s + o.size, 0);
const featureBytes = (await ctx.store.list('features/')).reduce((s, o) => s + o.size, 0);
console.log('\nIngest, per file (ratio > 1: DuckDB COPY is that many times faster)');
process.stdout.write(toTable(ingestRows));
console.log('\nStages');
process.stdout.write(
  toTable([
    { stage: 'generate (not part of the pipeline)', seconds: genSeconds },
    { stage: 'ingest (all files)', seconds: ingestSeconds },
    { stage: `features (${feat.members.toLocaleString('en-US')} members)`, seconds: featuresSeconds },
    { stage: 'score', seconds: scoreSeconds },
    { stage: `dispatch (${disp.partners.reduce((s, p) => s + p.sent, 0)} messages)`, seconds: dispatchSeconds },
  ]),
);
console.log(`\nCurated Parquet: ${mib(curatedBytes)}; features Parquet: ${mib(featureBytes)}`);
console.log(`Peak memory (max RSS): ${mib(process.resourceUsage().maxRSS * 1024)}`);
await ctx.engine.close();
if (!values.keep && !values.home) await rm(home, { recursive: true, force: true });
