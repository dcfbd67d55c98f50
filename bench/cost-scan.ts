/**
 * `npx tsx bench/cost-scan.ts --home DIR [--as-of YYYY-MM-DD] [--compact]`: the bytes Athena would scan in one daily
 * run on AWS, measured on a local store written by `npm run bench -- --home DIR` or `stratify demo --home DIR` (the
 * same Parquet files the Lambdas write to the lake), and the objects of the curated tables the query opens. With
 * `--compact` it then compacts the curated tables in place, as the features function does before its query
 * (lib/pipeline/compact.ts), and measures again: objects and bytes before and after.
 *
 * Athena bills the compressed bytes of the Parquet column chunks a query reads (whole files for CSV), with a 10 MB
 * minimum per query. Only the features stage queries Athena: for each curated table the query names, every column
 * whose name appears in the query text (an upper bound: a name shared by two tables is counted for both), plus the
 * seed CSVs it names, read from the files' own metadata (DuckDB's parquet_metadata). The other stages read Parquet
 * straight from the lake (S3 GETs, not billed by the byte): their bytes are printed for comparison.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { assetPath } from '../lib/assets.js';
import { compactCurated } from '../lib/pipeline/compact.js';
import { featuresQuery } from '../lib/pipeline/features.js';
import { LocalFolderStore } from '../lib/store/local.js';
import { CURATED_TABLES } from '../lib/tables/index.js';

const { values } = parseArgs({ options: { home: { type: 'string' }, 'as-of': { type: 'string' }, compact: { type: 'boolean' } } });
if (values.home === undefined) throw new Error('usage: npx tsx bench/cost-scan.ts --home DIR [--as-of YYYY-MM-DD] [--compact]');
const home = values.home;

const ATHENA_MINIMUM = 10 * 1024 ** 2;
const MIB = 1024 ** 2;

function files(folder: string, suffix: string): string[] {
  try {
    return readdirSync(join(home, folder))
      .filter((f) => f.endsWith(suffix))
      .map((f) => join(home, folder, f));
  } catch {
    return [];
  }
}

const partitions = readdirSync(join(home, 'features')).filter((d) => d.startsWith('as_of=')).sort();
const asOf = values['as-of'] ?? partitions.at(-1)?.slice('as_of='.length);
if (asOf === undefined) throw new Error(`${home}/features has no as_of=<date>/ partition: run the pipeline first`);

const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
const conn = await instance.connect();

/** compressed bytes per column of a set of Parquet files */
async function columnBytes(paths: readonly string[]): Promise<Map<string, number>> {
  if (paths.length === 0) return new Map();
  const list = paths.map((p) => `'${p.replaceAll("'", "''")}'`).join(', ');
  const reader = await conn.runAndReadAll(
    `select path_in_schema as col, sum(total_compressed_size)::bigint as bytes from parquet_metadata([${list}]) group by 1`,
  );
  return new Map(reader.getRowObjects().map((r) => [String(r['col']), Number(r['bytes'])]));
}

const sum = (m: Map<string, number>, keep: (col: string) => boolean = () => true) =>
  [...m].reduce((n, [col, bytes]) => (keep(col) ? n + bytes : n), 0);

const sql = featuresQuery();
const named = (word: string) => new RegExp(`\\b${word}\\b`, 'i').test(sql);

/** what the features query reads: bytes of the columns it names, per table, and the objects it opens */
async function featuresScanned(): Promise<{ bytes: number; objects: number; parts: string[] }> {
  let bytes = 0;
  let objects = 0;
  const parts: string[] = [];
  for (const t of CURATED_TABLES) {
    if (!named(t.name)) continue;
    const paths = files(t.prefix, '.parquet');
    const b = sum(await columnBytes(paths), named);
    bytes += b;
    objects += paths.length;
    parts.push(`${t.name} ${(b / MIB).toFixed(1)} MiB in ${paths.length}`);
  }
  return { bytes, objects, parts };
}

let seedBytes = 0;
const seedsDir = assetPath('queries/seeds/');
for (const f of readdirSync(seedsDir).filter((f) => f.endsWith('.csv'))) {
  if (named(f.slice(0, -4))) seedBytes += statSync(join(seedsDir, f)).size;
}
const scanned = await featuresScanned();
const featuresScan = scanned.bytes + seedBytes;
const parts = scanned.parts;

const mib = (bytes: number) => `${(bytes / MIB).toFixed(2).padStart(9)} MiB`;
console.log(`One daily run on AWS, ${home}, as of ${asOf}`);
console.log(`Athena, features (UNLOAD of the features query): ${mib(featuresScan)} scanned, ${mib(Math.max(featuresScan, ATHENA_MINIMUM))} billed`);
console.log(`  ${scanned.objects} curated objects: ${parts.join(', ')}; seeds ${(seedBytes / MIB).toFixed(1)} MiB`);
const features = sum(await columnBytes(files(`features/as_of=${asOf}`, '.parquet')));
const flags = sum(await columnBytes(files(`flags/as_of=${asOf}`, '.parquet')));
const personIds = sum(await columnBytes(files('curated/members', '.parquet')), (c) => c === 'person_id');
console.log('S3 reads of Parquet (no Athena):');
console.log(`  score reads features/as_of=${asOf}/ ${mib(features)}`);
console.log(`  dispatch reads flags/as_of=${asOf}/ ${mib(flags)}`);
console.log(`  ingest reads members.person_id per landing file ${mib(personIds)}`);

if (values.compact) {
  const started = performance.now();
  const tables = await compactCurated(new LocalFolderStore(home));
  const seconds = (performance.now() - started) / 1000;
  const after = await featuresScanned();
  const total = (k: 'partsBefore' | 'partsAfter' | 'bytesBefore' | 'bytesAfter') => tables.reduce((n, t) => n + t[k], 0);
  console.log(`Compaction of the curated tables (${seconds.toFixed(1)} s):`);
  for (const t of tables) console.log(`  ${t.table.padEnd(16)} ${String(t.partsBefore).padStart(5)} → ${String(t.partsAfter).padStart(4)} objects, ${mib(t.bytesBefore)} → ${mib(t.bytesAfter)}`);
  console.log(`  all curated      ${String(total('partsBefore')).padStart(5)} → ${String(total('partsAfter')).padStart(4)} objects, ${mib(total('bytesBefore'))} → ${mib(total('bytesAfter'))}`);
  console.log(
    `Athena, features after compaction: ${mib(after.bytes + seedBytes)} scanned (was ${mib(featuresScan)}), ${after.objects} curated objects opened (was ${scanned.objects})`,
  );
}
