/**
 * `npx tsx bench/cost-scan.ts --home DIR [--as-of YYYY-MM-DD]`: the bytes Athena would scan in one daily run on AWS,
 * measured on a local store written by `npm run bench -- --home DIR` or `stratify demo --home DIR` (the same Parquet
 * files the Lambdas write to the lake).
 *
 * Athena bills the compressed bytes of the Parquet column chunks a query reads (whole files for CSV), with a 10 MB
 * minimum per query. The figures are read from the files' own metadata (DuckDB's parquet_metadata):
 * - features: for each curated table the query names, every column whose name appears in the query text (an upper
 *   bound: a name shared by two tables is counted for both), plus the seed CSVs it names;
 * - score and dispatch: every column of the as-of date's features and flags partition (`select *`);
 * - ingest: `SELECT DISTINCT person_id FROM members`, once per landing file.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { featuresQuery } from '../lib/pipeline/features.js';
import { CURATED_TABLES } from '../lib/tables/index.js';

const { values } = parseArgs({ options: { home: { type: 'string' }, 'as-of': { type: 'string' } } });
if (values.home === undefined) throw new Error('usage: npx tsx bench/cost-scan.ts --home DIR [--as-of YYYY-MM-DD]');
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

const rows: { query: string; scanned: number; billed: number; detail: string }[] = [];
const add = (query: string, scanned: number, detail: string) => rows.push({ query, scanned, billed: Math.max(scanned, ATHENA_MINIMUM), detail });

let featuresScan = 0;
const parts: string[] = [];
for (const t of CURATED_TABLES) {
  if (!named(t.name)) continue;
  const bytes = sum(await columnBytes(files(t.prefix, '.parquet')), named);
  featuresScan += bytes;
  parts.push(`${t.name} ${(bytes / MIB).toFixed(1)}`);
}
let seedBytes = 0;
for (const f of readdirSync('queries/seeds').filter((f) => f.endsWith('.csv'))) {
  if (named(f.slice(0, -4))) seedBytes += statSync(join('queries/seeds', f)).size;
}
featuresScan += seedBytes;
add('features (UNLOAD of the features query)', featuresScan, `${parts.join(', ')}, seeds ${(seedBytes / MIB).toFixed(1)} MiB`);

const features = sum(await columnBytes(files(`features/as_of=${asOf}`, '.parquet')));
add('score: select * from features (one partition)', features, `features/as_of=${asOf}/`);
const flags = sum(await columnBytes(files(`flags/as_of=${asOf}`, '.parquet')));
add('dispatch: select * from flags (one partition)', flags, `flags/as_of=${asOf}/`);
const personIds = sum(await columnBytes(files('curated/members', '.parquet')), (c) => c === 'person_id');
add('ingest: distinct person_id from members (per file)', personIds, 'members.person_id');

const landing = files('landing', '').length;
const total = rows.reduce((n, r) => n + r.scanned, 0) + personIds * Math.max(0, landing - 1);
const billed = rows.reduce((n, r) => n + r.billed, 0) + Math.max(personIds, ATHENA_MINIMUM) * Math.max(0, landing - 1);
console.log(`Athena scan of one daily run, ${home}, as of ${asOf} (${landing} landing files)`);
for (const r of rows) console.log(`${r.query.padEnd(52)} ${(r.scanned / MIB).toFixed(2).padStart(9)} MiB  billed ${(r.billed / MIB).toFixed(2).padStart(8)} MiB  ${r.detail}`);
console.log(`${'total (ingest counted once per landing file)'.padEnd(52)} ${(total / MIB).toFixed(2).padStart(9)} MiB  billed ${(billed / MIB).toFixed(2).padStart(8)} MiB`);
