/**
 * `npx tsx bench/athena-ingest.bench.ts --home DIR`: what sets `deploy.ingest_large_file_bytes`. For each landing file
 * of a SQL format in a store written by `npm run bench -- --home DIR` or `stratify demo --home DIR`, the two things
 * the ingest function waits for when it drives a file itself: its hashing pass (the file's identity), and the
 * planned Athena queries (lib/ingest/athena/plan.ts), here run by DuckDB over a view of the file, so that each query
 * naming the file's table parses the file again as Athena's scan does (the result table's INSERT; for NDJSON also the
 * rejected lines' join), and the UNLOADs read the result table. It also gives the bytes of the file those queries
 * scan, what Athena bills for them (the Parquet bytes the UNLOADs read are not counted). Athena cannot be timed without an AWS account: DuckDB on this
 * machine stands in for it, a pessimistic stand-in for a distributed engine reading one file in many splits.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { planAthenaIngest } from '../lib/ingest/athena/plan.js';
import { detectFormat } from '../lib/ingest/detect.js';
import { fingerprint } from '../lib/ingest/fingerprint.js';
import { sourcesFromStore } from '../lib/ingest/sources.js';
import { bindHeader, headerNames } from '../lib/ingest/sql/header.js';
import type { SqlFormat } from '../lib/ingest/sql/format.js';
import { SQL_FORMATS } from '../lib/ingest/sql/formats.js';
import { DuckDbEngine } from '../lib/sql/duckdb.js';
import { sqlString } from '../lib/sql/params.js';
import { LocalFolderStore } from '../lib/store/local.js';
import type { S3ObjectStore } from '../lib/store/s3.js';

const { values } = parseArgs({ options: { home: { type: 'string' } } });
if (values.home === undefined) throw new Error('usage: npx tsx bench/athena-ingest.bench.ts --home DIR');
const home = new LocalFolderStore(values.home);
const work = await mkdtemp(join(tmpdir(), 'stratify-athena-bench-'));
// the engine's own store is empty: the members join finds no committed member, as for a first delivery
const engine = await DuckDbEngine.open(new LocalFolderStore(work));
// the plan needs only the lake's URLs
const lake = { urlOf: (key: string) => `s3://lake/${key}` } as unknown as S3ObjectStore;
const MIB = 2 ** 20;

/** the file's table as Athena reads it: a CSV file's string columns, or an NDJSON file's numbered lines */
async function createRawView(plan: ReturnType<typeof planAthenaIngest>, path: string, fp: { head: string }, format: SqlFormat): Promise<void> {
  if (format.kind === 'ndjson') {
    // the function stages the lines numbered (numbered-lines.ts); here DuckDB numbers them as it reads
    await engine.connection.run(
      `CREATE OR REPLACE VIEW ${plan.rawTable} AS SELECT row_number() OVER () AS record, line FROM read_csv(${sqlString(path)}, header = false, ` +
        `delim = '\u0001', quote = '', escape = '', auto_detect = false, columns = {'line': 'VARCHAR'}, null_padding = true)`,
    );
    return;
  }
  const { width } = bindHeader(headerNames(fp.head), format);
  const columns = Array.from({ length: width }, (_, i) => `'c${i + 1}': 'VARCHAR'`).join(', ');
  await engine.connection.run(
    `CREATE OR REPLACE VIEW ${plan.rawTable} AS SELECT * FROM read_csv(${sqlString(path)}, header = false, skip = 1, delim = ',', ` +
      `quote = '"', escape = '"', auto_detect = false, columns = {${columns}}, null_padding = true)`,
  );
}

/** a planned statement as DuckDB runs it: the result table's INSERT as a table, an UNLOAD as a COPY; DDL none (null) */
function asDuckDb(sql: string, out: string): string | null {
  const insert = /^INSERT INTO (\w+)\n([\s\S]*)$/.exec(sql);
  if (insert) return `CREATE OR REPLACE TABLE ${insert[1]} AS ${insert[2]}`;
  const unload = /^UNLOAD \(\n([\s\S]*)\n\) TO /.exec(sql);
  if (unload) return `COPY (${unload[1]}) TO ${sqlString(out)} (FORMAT parquet, COMPRESSION zstd)`;
  return null;
}

console.log('| file | MiB | records | hashing pass | queries | per GiB | queries reading the file | file bytes they scan |');
console.log('|---|---|---|---|---|---|---|---|');
try {
  for (const source of await sourcesFromStore(home)) {
    let t = performance.now();
    const fp = await fingerprint(source);
    const hashS = (performance.now() - t) / 1000;
    const format = SQL_FORMATS[detectFormat(source.name, fp.head).format as keyof typeof SQL_FORMATS];
    if (format === undefined || (typeof format.query !== 'string' && format.kind !== 'ndjson')) continue;
    const plan = planAthenaIngest({ lake, file: source.name, fp, format, notes: [], params: {} });
    await createRawView(plan, home.pathOf(source.name), fp, format);
    const queries = plan.statements.map((s) => s.sql).filter((sql) => asDuckDb(sql, '') !== null);
    // Athena bills a query the bytes of the staged file when it reads the file's table (a text file is read whole)
    const reading = queries.filter((sql) => new RegExp(`\\b${plan.rawTable}\\b`).test(sql)).length;
    t = performance.now();
    for (const [i, sql] of queries.entries()) await engine.connection.run(asDuckDb(sql, join(work, `out-${i}.parquet`))!);
    const queryS = (performance.now() - t) / 1000;
    const [{ n }] = (await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${plan.rawTable}`)) as [{ n: number }];
    const mib = fp.bytes / MIB;
    console.log(
      `| ${source.name} | ${mib.toFixed(1)} | ${n.toLocaleString('en-US')} | ${hashS.toFixed(2)} s | ${queryS.toFixed(2)} s (${queries.length}) | ` +
        `${((queryS / mib) * 1024).toFixed(0)} s | ${reading} | ${(reading * mib).toFixed(1)} MiB |`,
    );
    await engine.connection.run(`DROP TABLE IF EXISTS ${plan.resultTable}`);
  }
} finally {
  await engine.close();
  await rm(work, { recursive: true, force: true });
}
