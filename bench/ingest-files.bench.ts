/**
 * `npm run bench:ingest [-- --home DIR --members N --repeat K --file NAME]`: each volume file's ingest against DuckDB's
 * own COPY of the same file to zstd Parquet, the limit the ingest chases, timed in turns (ours, then the COPY, K
 * times) so that a change of load on this shared machine moves both alike. `npm run bench` times all of ours, then
 * all the COPYs; this one is for the ratio. Each of our runs ingests into a fresh home, after that home's eligibility
 * (not timed; eligibility itself goes first), so claims and readings are checked against the persons as in a daily run; the time is the one the
 * ingest report gives (hashing included: the COPY reads the file too). The COPY runs in a fresh DuckDB instance with
 * its default settings. The landing files of DIR are reused when they exist (a `npm run bench -- --home DIR` made
 * them); otherwise a population of N members is generated there first. Nothing here is asserted by tests.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { toTable } from '../lib/cli/format.js';
import { openLocal } from '../lib/cli/local.js';
import { progressReporter } from '../lib/cli/progress.js';
import { generateDemo } from '../lib/demo/index.js';
import { ingest, sourcesFromPaths } from '../lib/pipeline/ingest.js';
import { parseMapping } from '../lib/ingest/vendor-mapping.js';
import { deviceFloorSeconds } from './device-floor.js';
import { duckdbCopySeconds } from './duckdb-copy.js';
import { VENDOR_MAPPING, writeVendorExport } from './vendor-export.js';

const VOLUME_FILES = ['eligibility.csv', 'medical_claim.csv', 'pharmacy_claim.csv', 'device_readings.ndjson', 'vendor_readings.csv'];

const { values } = parseArgs({
  options: {
    home: { type: 'string' },
    members: { type: 'string', default: '100000' },
    repeat: { type: 'string', default: '3' },
    file: { type: 'string', multiple: true },
  },
});
const repeat = Number(values.repeat);
const home = values.home ?? (await mkdtemp(join(tmpdir(), 'stratify-bench-ingest-')));
const progress = progressReporter();
const landing = (name: string) => join(home, 'landing', name);

if (!existsSync(landing('eligibility.csv'))) {
  const ctx = await openLocal(home, progress);
  await generateDemo(ctx.store, { members: Number(values.members), seed: 7, asOf: '2026-06-30', progress });
  await ctx.engine.close();
  progress.end();
}
if (!existsSync(landing('vendor_readings.csv'))) {
  const ctx = await openLocal(home, progress);
  await writeVendorExport(ctx.store, 'landing/device_readings.ndjson');
  await ctx.engine.close();
}
const mapping = parseMapping('vendor-mapping.json', VENDOR_MAPPING);

/** our ingest of `file` into a fresh home that holds the members: its seconds and counts */
async function ours(file: string) {
  const work = await mkdtemp(join(tmpdir(), 'stratify-bench-run-'));
  try {
    const ctx = await openLocal(work, () => {});
    if (file !== 'eligibility.csv') await ingest(ctx, await sourcesFromPaths([landing('eligibility.csv')]));
    const [report] = await ingest(ctx, await sourcesFromPaths([landing(file)]), { mapping, countReplaced: false });
    await ctx.engine.close();
    if (report!.error) throw new Error(`${file}: ${report!.error}`);
    return { seconds: report!.seconds!, read: report!.read, quarantined: report!.quarantined };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

const rows = [];
console.log(`Ingest against DuckDB COPY, ${repeat} turns each, files of ${home}/landing`);
for (const file of values.file ?? VOLUME_FILES) {
  // the device files have a floor too (device-floor.ts): what numbering, parsing and writing them costs with no rule
  const floored = file === 'device_readings.ndjson' || file === 'vendor_readings.csv';
  const times: { ours: number; copy: number; floor?: number }[] = [];
  let counts = { read: 0, quarantined: 0 };
  for (let turn = 0; turn < repeat; turn++) {
    const run = await ours(file);
    counts = run;
    const copy = await duckdbCopySeconds(landing(file));
    const floor = floored ? await deviceFloorSeconds(landing(file)) : undefined;
    times.push({ ours: run.seconds, copy, ...(floor !== undefined && { floor }) });
    console.log(`  ${file} turn ${turn + 1}: ours ${round(run.seconds)} s, COPY ${round(copy)} s${floor === undefined ? '' : `, floor ${round(floor)} s`}`);
  }
  const ratios = times.map((t) => t.ours / t.copy);
  rows.push({
    file,
    MiB: Math.round((await stat(landing(file))).size / 2 ** 20),
    records: counts.read,
    quarantined: counts.quarantined,
    'ours s (median)': round(median(times.map((t) => t.ours))),
    'COPY s (median)': round(median(times.map((t) => t.copy))),
    'ours/COPY (median of turns)': round(median(ratios), 1),
    'ours/COPY (range)': `${round(Math.min(...ratios), 1)}–${round(Math.max(...ratios), 1)}`,
    'floor/COPY (median)': floored ? round(median(times.map((t) => t.floor! / t.copy)), 1) : '',
  });
}
console.log('\nours/COPY: how many times DuckDB COPY\'s time our ingest takes (the goal is ≤ 1.5)');
console.log('floor/COPY: the same for the least work a device file needs with no rule (bench/device-floor.ts)');
process.stdout.write(toTable(rows));
if (!values.home) await rm(home, { recursive: true, force: true });
