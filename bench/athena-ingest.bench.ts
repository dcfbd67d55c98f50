/**
 * `npx tsx bench/athena-ingest.bench.ts --home DIR`: what sets `deploy.ingest_large_file_bytes`. For each landing file
 * of a SQL format in a store written by `npm run bench -- --home DIR` or `stratify demo --home DIR`, the two things
 * the ingest function waits for when it drives a file itself: its hashing pass (the file's identity), and the
 * planned Athena statements (lib/ingest/athena/plan.ts), here run by DuckDB over a view of read_csv, so that each
 * UNLOAD parses the CSV again as Athena's scan does. Athena cannot be timed without an AWS account: DuckDB on this
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
console.log('| file | MiB | records | hashing pass | statements (UNLOADs) | per GiB |');
console.log('|---|---|---|---|---|---|');
try {
  for (const source of await sourcesFromStore(home)) {
    let t = performance.now();
    const fp = await fingerprint(source);
    const hashS = (performance.now() - t) / 1000;
    const format = SQL_FORMATS[detectFormat(source.name, fp.head).format as keyof typeof SQL_FORMATS];
    if (format === undefined) continue;
    const plan = planAthenaIngest({ lake, file: source.name, fp, format, notes: [], params: {} });
    const { width } = bindHeader(headerNames(fp.head), format);
    const columns = Array.from({ length: width }, (_, i) => `'c${i + 1}': 'VARCHAR'`).join(', ');
    await engine.connection.run(
      `CREATE OR REPLACE VIEW ${plan.rawTable} AS SELECT * FROM read_csv(${sqlString(home.pathOf(source.name))}, header = false, skip = 1, delim = ',', ` +
        `quote = '"', escape = '"', auto_detect = false, columns = {${columns}}, null_padding = true)`,
    );
    const unloads = plan.statements.slice(1).map((s) => /^UNLOAD \(\n([\s\S]*)\n\) TO /.exec(s.sql)![1]!);
    t = performance.now();
    for (const [i, select] of unloads.entries()) {
      await engine.connection.run(`COPY (${select}) TO ${sqlString(join(work, `out-${i}.parquet`))} (FORMAT parquet, COMPRESSION zstd)`);
    }
    const queryS = (performance.now() - t) / 1000;
    const [{ n }] = (await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${plan.rawTable}`)) as [{ n: number }];
    const mib = fp.bytes / MIB;
    console.log(`| ${source.name} | ${mib.toFixed(1)} | ${n.toLocaleString('en-US')} | ${hashS.toFixed(2)} s | ${queryS.toFixed(2)} s (${unloads.length}) | ${((queryS / mib) * 1024).toFixed(0)} s |`);
  }
} finally {
  await engine.close();
  await rm(work, { recursive: true, force: true });
}
