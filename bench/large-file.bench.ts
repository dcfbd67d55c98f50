/**
 * `npx tsx bench/large-file.bench.ts [--gb 2] [--gzip-mb 300]` (`--gzip-mb 0`: no gzip comparison): ingest of one claims CSV of several GB, to show that
 * memory does not grow with the file, plus gzip against plain on a smaller file. Nothing here is asserted by tests.
 *
 * The file is the demo's own claim lines (lib/demo, 2,000 members, seed 7) repeated with person and claim ids
 * suffixed per copy, so every copy is a new set of persons and claims (the eligibility file gets the same copies and
 * is ingested first, so every claim is checked against a known person). It is written streaming, by a child process
 * so that generating it does not count in this process's peak RSS, into a temp folder that is deleted at the end.
 *
 * Reported: rows/s, the RSS at a quarter, half, three quarters and the end of the claims file's ingest time (sampled
 * every 100 ms: the file is read by DuckDB, lib/ingest/sql, whose native memory V8 does not see), the peak RSS of the
 * process, the Parquet parts written, and DuckDB's own CSV → zstd Parquet COPY of the same file as the reference
 * ratio. Memory flat in file size shows as the same peak for a file of 0.5 GB and one of 2 GB (`--gb`). Then the same
 * file comes again as a full refresh, whose peak includes the count of the records it replaced.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createGzip } from 'node:zlib';
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';
import { toTable } from '../lib/cli/format.js';
import { openLocal } from '../lib/cli/local.js';
import { progressReporter } from '../lib/cli/progress.js';
import { csvField } from '../lib/csv.js';
import { generateDemo, LANDING_KEYS } from '../lib/demo/index.js';
import { ingest, sourcesFromPaths, type IngestReport } from '../lib/pipeline/ingest.js';
import { LocalFolderStore } from '../lib/store/local.js';
import { duckdbCopySeconds } from './duckdb-copy.js';

const { values } = parseArgs({
  options: {
    gb: { type: 'string', default: '2' },
    'gzip-mb': { type: 'string', default: '300' },
    members: { type: 'string', default: '2000' },
    write: { type: 'string' },
  },
});
const MIB = 2 ** 20;
const mib = (bytes: number): string => `${Math.round(bytes / MIB).toLocaleString('en-US')} MiB`;

/** resolves when the stream has room again: writing never runs ahead of the disk */
async function write(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve));
}

async function close(out: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

/** copy `k` of a record: the id columns suffixed, so each copy is a new person and claim */
function copyLine(fields: readonly string[], idColumns: readonly number[], k: number): string {
  return fields.map((f, i) => csvField(idColumns.includes(i) && f !== '' ? `${f}x${k}` : f)).join(',');
}

function parsed(text: string): { header: string[]; rows: string[][] } {
  const [header, ...rows] = Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
  return { header: header!, rows };
}

/** child process: writes claims.csv (≥ gb), claims-small.csv (≥ gzip-mb) + .gz, eligibility.csv into `dir` */
async function writeFiles(dir: string): Promise<void> {
  const demoHome = join(dir, 'demo');
  const store = new LocalFolderStore(demoHome);
  await generateDemo(store, { members: Number(values.members), seed: 7, asOf: '2026-06-30' });
  const claims = parsed(await readFile(store.pathOf(LANDING_KEYS.medicalClaims), 'utf8'));
  const eligibility = parsed(await readFile(store.pathOf(LANDING_KEYS.eligibility), 'utf8'));
  await rm(demoHome, { recursive: true, force: true });
  const ids = (header: string[], names: string[]) => names.map((n) => header.indexOf(n)).filter((i) => i >= 0);
  const claimIds = ids(claims.header, ['claim_id', 'person_id', 'member_id']);
  const personIds = ids(eligibility.header, ['person_id', 'member_id', 'subscriber_id']);

  const target = Number(values.gb) * 2 ** 30;
  const smallTarget = Number(values['gzip-mb']) * MIB;
  const big = createWriteStream(join(dir, 'claims.csv'));
  const small = createWriteStream(join(dir, 'claims-small.csv'));
  const header = claims.header.join(',') + '\n';
  await write(big, header);
  await write(small, header);
  let bytes = header.length;
  let k = 0;
  for (; bytes < target; k++) {
    const block = claims.rows.map((r) => copyLine(r, claimIds, k)).join('\n') + '\n';
    await write(big, block);
    if (bytes < smallTarget) await write(small, block);
    bytes += Buffer.byteLength(block);
  }
  await close(big);
  await close(small);
  const elig = createWriteStream(join(dir, 'eligibility.csv'));
  await write(elig, eligibility.header.join(',') + '\n');
  for (let c = 0; c < k; c++) await write(elig, eligibility.rows.map((r) => copyLine(r, personIds, c)).join('\n') + '\n');
  await close(elig);
  await pipeline(createReadStream(join(dir, 'claims-small.csv')), createGzip(), createWriteStream(join(dir, 'claims-small.csv.gz')));
  console.log(`${k} copies of ${claims.rows.length.toLocaleString('en-US')} claim lines`);
}

interface Sample {
  readonly pct: number;
  readonly rss: number;
  readonly heap: number;
}

/** RSS and V8 heap every 100 ms until stopped; then the samples at each quarter of the time, and the peak RSS */
function sampleMemory(): () => { samples: Sample[]; peak: number } {
  const seen: { rss: number; heap: number }[] = [];
  const take = () => {
    const m = process.memoryUsage();
    seen.push({ rss: m.rss, heap: m.heapUsed });
  };
  const timer = setInterval(take, 100);
  return () => {
    clearInterval(timer);
    take();
    const at = (pct: number) => seen[Math.min(seen.length - 1, Math.round(((seen.length - 1) * pct) / 100))]!;
    return { samples: [25, 50, 75, 100].map((pct) => ({ pct, ...at(pct) })), peak: Math.max(...seen.map((x) => x.rss)) };
  };
}

/**
 * ingests eligibility, then `file` with its memory sampled (sampleMemory), into a fresh home; with `refresh`, then
 * that file again as a payer's full refresh (its bytes and a trailing blank line: a new delivery whose every record
 * replaces one), sampled too, which counts the replaced records over both deliveries
 */
async function measure(
  dir: string,
  file: string,
  refresh?: string,
): Promise<{ report: IngestReport; samples: Sample[]; peak: number; parts: Record<string, { files: number; bytes: number }>; again?: { report: IngestReport; peak: number } }> {
  const home = await mkdtemp(join(dir, 'home-'));
  const show = progressReporter();
  const ctx = await openLocal(home, show);
  try {
    await ingest(ctx, await sourcesFromPaths([join(dir, 'eligibility.csv')]));
    const stop = sampleMemory();
    const [report] = (await ingest(ctx, await sourcesFromPaths([file]))) as [IngestReport];
    const { samples, peak } = stop();
    let again: { report: IngestReport; peak: number } | undefined;
    if (refresh !== undefined) {
      await pipeline(createReadStream(file), createWriteStream(refresh));
      await appendFile(refresh, '\n');
      const stopAgain = sampleMemory();
      const [second] = (await ingest(ctx, await sourcesFromPaths([refresh]))) as [IngestReport];
      again = { report: second, peak: stopAgain().peak };
      await rm(refresh, { force: true });
    }
    show.end();
    const parts: Record<string, { files: number; bytes: number }> = {};
    for (const table of ['medical_claims', 'diagnoses']) {
      const objects = await ctx.store.list(`curated/${table}/`);
      parts[table] = { files: objects.length, bytes: objects.reduce((s, o) => s + o.size, 0) };
    }
    return { report, samples, peak, parts, ...(again && { again }) };
  } finally {
    await ctx.engine.close();
    await rm(home, { recursive: true, force: true });
  }
}

if (values.write) {
  await writeFiles(values.write);
} else {
  const dir = await mkdtemp(join(tmpdir(), 'stratify-large-'));
  try {
    await mkdir(dir, { recursive: true });
    const t0 = performance.now();
    const script = fileURLToPath(import.meta.url);
    const note = execFileSync(process.execPath, [...process.execArgv, script, '--write', dir, '--gb', values.gb!, '--gzip-mb', values['gzip-mb']!, '--members', values.members!], { encoding: 'utf8' });
    const big = join(dir, 'claims.csv');
    console.log(`generated ${mib((await stat(big)).size)} of claims in ${Math.round((performance.now() - t0) / 1000)} s (${note.trim()}) in ${dir}`);

    const { report, samples, peak: claimsPeak, parts, again } = await measure(dir, big, join(dir, 'claims-refresh.csv'));
    if (report.error !== undefined) throw new Error(`${big}: ${report.error}`);
    const peak = process.resourceUsage().maxRSS * 1024;
    const rate = report.read / report.seconds!;
    const duck = report.read / (await duckdbCopySeconds(big));
    console.log(`\n${big}: ${mib((await stat(big)).size)}, ${report.read.toLocaleString('en-US')} records`);
    process.stdout.write(
      toTable([
        {
          file: 'claims.csv',
          seconds: Math.round(report.seconds!),
          'rows/s': Math.round(rate),
          'duckdb COPY rows/s': Math.round(duck),
          'duckdb/ours': Math.round((duck / rate) * 10) / 10,
          accepted: report.accepted,
          quarantined: report.quarantined,
          'peak RSS (claims ingest)': mib(claimsPeak),
          'peak RSS (process)': mib(peak),
        },
      ]),
    );
    if (again !== undefined) {
      if (again.report.error !== undefined) throw new Error(`the full refresh: ${again.report.error}`);
      const replaced = again.report.replaced?.medical_claims ?? 0;
      console.log(
        `\nthe same claims again, as a full refresh: ${Math.round(again.report.seconds!)} s, ${replaced.toLocaleString('en-US')} records replaced ` +
          `(counted after the commit, over both deliveries), peak RSS ${mib(again.peak)}`,
      );
    }
    console.log('\nRSS during the claims file ingest (share of its time)');
    process.stdout.write(toTable(samples.map((s) => ({ time: `${s.pct}%`, RSS: mib(s.rss), 'V8 heap used': mib(s.heap) }))));
    console.log('\nParquet parts (one row group each)');
    process.stdout.write(toTable(Object.entries(parts).map(([table, p]) => ({ table, parts: p.files, total: mib(p.bytes), 'per part': `${(p.bytes / p.files / MIB).toFixed(2)} MiB` }))));

    if (Number(values['gzip-mb']) > 0) {
      const plain = await measure(dir, join(dir, 'claims-small.csv'));
      const zipped = await measure(dir, join(dir, 'claims-small.csv.gz'));
      console.log('\ngzip against plain (same records)');
      const rows = [];
      for (const [name, r] of [['claims-small.csv', plain.report], ['claims-small.csv.gz', zipped.report]] as const) {
        rows.push({ file: name, size: mib((await stat(join(dir, name))).size), records: r.read, accepted: r.accepted, 'rows/s': Math.round(r.read / r.seconds!) });
      }
      process.stdout.write(toTable(rows));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
