/**
 * `npm run bench [-- --members N]`: the whole local pipeline on a generated population, with each ingest figure set
 * against DuckDB's own CSV/JSON → Parquet COPY of the same file, measured in the same run on the same machine.
 * Ratios, not absolute times, are what to compare across machines. Nothing here is asserted by tests.
 *
 * Steps run in this order so that the process's max RSS after each one (it only grows) tells which step needed the
 * memory: generate, ingest, features, score, dispatch, ingest again with nothing new (the daily run's usual case),
 * and the DuckDB baseline last.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { toTable } from '../lib/cli/format.js';
import { openLocal } from '../lib/cli/local.js';
import { progressReporter } from '../lib/cli/progress.js';
import { loadConfig } from '../lib/config/index.js';
import { generateDemo } from '../lib/demo/index.js';
import { dispatch } from '../lib/pipeline/dispatch.js';
import { buildFeatures } from '../lib/pipeline/features.js';
import { KNOWN_PREFIX } from '../lib/ingest/known-files.js';
import { ingest, sourcesFromStore } from '../lib/pipeline/ingest.js';
import { scoreMembers } from '../lib/pipeline/score.js';
import { parseMapping } from '../lib/ingest/vendor-mapping.js';
import { duckdbCopySeconds } from './duckdb-copy.js';
import { VENDOR_MAPPING, writeVendorExport } from './vendor-export.js';

const { values } = parseArgs({
  options: { members: { type: 'string', default: '100000' }, seed: { type: 'string', default: '7' }, home: { type: 'string' } },
});
const members = Number(values.members);
const asOf = '2026-06-30';
const home = values.home ?? (await mkdtemp(join(tmpdir(), 'stratify-bench-')));
const progress = progressReporter();
const ctx = await openLocal(home, progress);
const config = loadConfig();

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const steps: { step: string; seconds: number; 'max RSS after': string }[] = [];

async function step<T>(name: string | ((out: T) => string), fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await fn();
  const seconds = Math.round((performance.now() - t0) / 10) / 100;
  progress.end();
  steps.push({ step: typeof name === 'string' ? name : name(out), seconds, 'max RSS after': mib(process.resourceUsage().maxRSS * 1024) });
  return out;
}

console.log(`Stratify bench: ${members.toLocaleString('en-US')} members, as of ${asOf}, in ${home}`);
await step('generate (not part of the pipeline)', () => generateDemo(ctx.store, { members, seed: Number(values.seed), asOf, progress }));
await step('vendor CSV export of the device readings (not part of the pipeline)', () => writeVendorExport(ctx.store, 'landing/device_readings.ndjson'));
const landing = await sourcesFromStore(ctx.store, 'landing/');
const reports = await step('ingest (all files)', () => ingest(ctx, landing, { mapping: parseMapping('vendor-mapping.json', VENDOR_MAPPING) }));
await step((f) => `features (${f.members.toLocaleString('en-US')} members)`, () => buildFeatures(ctx, asOf));
await step('score', () => scoreMembers(ctx, asOf, config));
await step((d) => `dispatch (${d.partners.reduce((s, p) => s + p.sent, 0).toLocaleString('en-US')} messages)`, () => dispatch(ctx, asOf, config));
// the daily run's ingest step when nothing is new: files known by name, size and modification time (not read), then
// the same with the known/ entries removed, as before they existed (every file hashed, then found by its manifest)
await step(
  (r) => `ingest again, nothing new (${r.filter((x) => x.skipped === 'already-ingested').length} files known, unread)`,
  async () => ingest(ctx, await sourcesFromStore(ctx.store, 'landing/')),
);
for (const { key } of await ctx.store.list(KNOWN_PREFIX)) await ctx.store.delete(key);
await step('ingest again, nothing new, every file hashed (no known/ entries)', async () => ingest(ctx, await sourcesFromStore(ctx.store, 'landing/')));

// Baseline: DuckDB reads each file and writes zstd Parquet itself, the limit the ingest chases (`npm run bench:ingest`
// times the two in turns, for the ratio alone)
const ingestRows = [];
let baselineSeconds = 0;
for (const report of reports) {
  const seconds = await duckdbCopySeconds(ctx.store.pathOf(report.file));
  baselineSeconds += seconds;
  const baseRate = report.read / seconds;
  const rate = report.read / (report.seconds ?? Number.NaN);
  ingestRows.push({
    file: report.file.split('/').at(-1),
    size: mib(landing.find((s) => s.name === report.file)?.size ?? 0),
    records: report.read,
    'ours rows/s': Math.round(rate),
    'duckdb rows/s': Math.round(baseRate),
    'duckdb/ours': Math.round((baseRate / rate) * 10) / 10,
    quarantined: report.quarantined,
  });
}
steps.push({ step: 'DuckDB COPY baseline (all files)', seconds: Math.round(baselineSeconds * 100) / 100, 'max RSS after': mib(process.resourceUsage().maxRSS * 1024) });

const bytesUnder = async (prefix: string) => (await ctx.store.list(prefix)).reduce((s, o) => s + o.size, 0);
console.log('\nIngest, per file (duckdb/ours > 1: DuckDB COPY is that many times faster)');
process.stdout.write(toTable(ingestRows));
console.log('\nSteps');
process.stdout.write(toTable(steps));
console.log(`\nParquet written: curated ${mib(await bytesUnder('curated/'))}, features ${mib(await bytesUnder('features/'))}, scores ${mib(await bytesUnder('scores/'))}`);
await ctx.engine.close();
if (!values.home) await rm(home, { recursive: true, force: true });
