/**
 * The ingest stage: landing files → curated Parquet + quarantine + manifests (see lib/ingest/ for the readers).
 *
 * Each file is read twice: a first pass hashes it and detects its format, the second parses it. Eligibility files
 * are ingested first, so claims and readings in the same delivery can be checked against the persons they name.
 * A file whose sha256 already has a manifest is not read again (report `skipped: 'already-ingested'`), and one listed
 * with the name, size and stamp it had when it was committed is not even hashed (lib/ingest/known-files.ts); a file of
 * unknown format, or one that fails part-way, gets an `error` and leaves nothing behind, and the others go on; a
 * file of a kind Stratify has no use for (a Tuva appointment table) is left alone (`skipped: 'not-read'`).
 * Reports come back in the order of `sources`, each saying what the file was taken to be: its format, its header
 * layout, whether it was gzip, and the mapping a vendor CSV was read with. With a mapping (`options.mapping`), a CSV
 * whose header has every column the mapping names is read through it; other files are detected as usual.
 *
 * What interrupted ingests left (parts without a manifest) is removed first (lib/ingest/leftovers.ts).
 * While a file is ingested, its marker stands under ingesting/ (lib/ingest/in-progress.ts): a claim on its content,
 * so that an ingest of the same bytes running beside this one does not write them too (its report gets `heldBy`),
 * and for a file that makes members, a sign for ingests beside this one (`options.waitForMembers`) to wait for them.
 */
import { detectFormat, type Detection } from '../ingest/detect.js';
import { holdsPatients } from '../ingest/fhir/detect.js';
import { fingerprint, type Fingerprint } from '../ingest/fingerprint.js';
import { READERS } from '../ingest/formats.js';
import { membersInProgress, whileClaimed, type InProgress, type LivenessPolicy } from '../ingest/in-progress.js';
import { removeLeftovers, type DropTables } from '../ingest/leftovers.js';
import { ingestFile, reportOf, type IngestFileOptions } from '../ingest/ingest-file.js';
import { SQL_FORMATS } from '../ingest/sql/formats.js';
import { ingestMemory } from '../sql/memory.js';
import { manifestKey, readManifest, writeManifest } from '../ingest/manifests.js';
import { CURATED_TABLES, earlierRowsSql, RECORD_KEYS, replacedSql } from '../tables/index.js';
import { knownContent, rememberKnown } from '../ingest/known-files.js';
import { KnownPersons } from '../ingest/known-persons.js';
import type { FormatReader } from '../ingest/mapper.js';
import type { IngestReport, IngestSource, InputFormat } from '../ingest/types.js';
import { matchesMapping, type LoadedMapping } from '../ingest/vendor-mapping.js';
import type { SqlFormat } from '../ingest/sql/format.js';
import { vendorCsvSql } from '../ingest/sql/vendor-csv.js';
import type { SqlIngest } from '../ingest/athena/ingest-on-athena.js';
import type { PipelineContext } from './context.js';

export type { IngestManifest, IngestReport, IngestSource, InputFormat, QuarantineLine } from '../ingest/types.js';
export { sourcesFromPaths, sourcesFromStore } from '../ingest/sources.js';
export { loadMapping, MappingError, type LoadedMapping } from '../ingest/vendor-mapping.js';

export interface IngestOptions extends IngestFileOptions {
  /** the column mapping of vendor device CSVs (`--map`) */
  readonly mapping?: LoadedMapping;
  /**
   * Defer the files that make no members while another process ingests one that does (the AWS function: one file an
   * invocation, several at once): such a file is not read, and its report has an `error` and `waitsFor`, for the
   * caller to retry it later.
   */
  readonly waitForMembers?: boolean;
  /**
   * How a file of a SQL format is ingested instead of by the local DuckDB runner: on AWS, by Athena
   * (lib/ingest/athena/ingest-on-athena.ts), whose report may say `skipped: 'handed-over'`
   */
  readonly sqlIngest?: SqlIngest;
  /** with `sqlIngest` on Athena: drops the per-file tables of a dead ingest whose staging folder is swept (leftovers.ts) */
  readonly dropTables?: DropTables;
  /**
   * Count, after the commit, the records of each new file that replaced an earlier delivery's (report `replaced`)
   * @default true
   */
  readonly countReplaced?: boolean;
}

/**
 * a report, and for a file deferred by `waitForMembers`, the member-making files it waits for; for a file not read
 * because another ingest holds the claim on the same content (see the header), that ingest's marker: the caller
 * retries such a file later, when its manifest answers "already ingested"
 */
export interface StageReport extends IngestReport {
  readonly waitsFor?: readonly InProgress[];
  readonly heldBy?: InProgress;
}

/** the report of a file nothing was read from */
function unread(file: string, format: IngestReport['format'], sha256: string): IngestReport {
  return { file, format, sha256, read: 0, accepted: 0, quarantined: 0, skippedRecords: 0, reasons: {}, skipReasons: {}, rows: {}, notes: [] };
}

/** the report of a file not ingested, and why */
export function failed(file: string, format: IngestReport['format'], sha256: string, error: string): IngestReport {
  return { ...unread(file, format, sha256), error };
}

interface Planned {
  readonly index: number;
  readonly source: IngestSource;
  readonly fp: Fingerprint;
  readonly detection: Detection;
  /** seconds the hashing pass took */
  readonly hashSeconds: number;
}

/** the SQL format of a file (a vendor CSV's made from its mapping), or undefined when a TypeScript reader reads it */
function sqlFormatFor(format: InputFormat, mapping: LoadedMapping | undefined): SqlFormat | undefined {
  if (format !== 'vendor-csv') return SQL_FORMATS[format];
  if (mapping === undefined) throw new Error('a vendor CSV is only detected with a mapping');
  return vendorCsvSql(mapping);
}

function readerFor(format: InputFormat): FormatReader {
  const reader = format === 'vendor-csv' ? undefined : READERS[format];
  if (reader === undefined) throw new Error(`no TypeScript reader for ${format}`);
  return reader;
}

/** FHIR files holding Patients make members too, so they go first with eligibility */
function makesMembers(p: Planned): boolean {
  return p.detection.format === 'tuva-eligibility' || holdsPatients(p.detection.format, p.fp.head);
}

/** the head decides; the name, without the `.gz` of a compressed file, only breaks ties (detect.ts) */
function detect(source: IngestSource, fp: Fingerprint, mapping: LoadedMapping | undefined): Detection {
  if (mapping && matchesMapping(mapping, fp.head)) return { format: 'vendor-csv' };
  return detectFormat(fp.gzip ? source.name.replace(/\.gz$/i, '') : source.name, fp.head);
}

/** what the file was taken to be, beside the counts */
function described<R extends IngestReport>(report: R, p: Planned, mapping: LoadedMapping | undefined): R {
  const { detection } = p;
  return {
    ...report,
    ...('layout' in detection && detection.layout !== undefined ? { layout: detection.layout } : {}),
    gzip: p.fp.gzip,
    ...(detection.format === 'vendor-csv' && mapping ? { mapping: mapping.file } : {}),
  };
}

/** the report of a file whose manifest exists */
async function alreadyIngested(ctx: PipelineContext, file: string, sha16: string): Promise<IngestReport | undefined> {
  const manifest = manifestKey(sha16);
  if (!(await ctx.store.exists(manifest))) return undefined;
  return { ...reportOf(file, await readManifest(ctx.store, manifest)), skipped: 'already-ingested' };
}

/** a file whose content is committed (just now, or before) is recorded as known, so the next run does not hash it */
async function remembered(ctx: PipelineContext, p: Planned, report: StageReport): Promise<StageReport> {
  const committed = report.error === undefined && (report.skipped === undefined || report.skipped === 'already-ingested');
  if (committed) await rememberKnown(ctx.store, p.source, p.fp.sha256);
  return report;
}

async function ingestOne(ctx: PipelineContext, p: Planned, persons: () => Promise<KnownPersons>, options: IngestOptions): Promise<StageReport> {
  const { source, fp, detection } = p;
  if (detection.format === 'unknown') return failed(source.name, 'unknown', fp.sha256, detection.error);
  if (detection.format === 'not-read') return { ...unread(source.name, 'unknown', fp.sha256), skipped: 'not-read', notes: [detection.reason] };
  const seen = await alreadyIngested(ctx, source.name, fp.sha16);
  if (seen !== undefined) return seen;
  try {
    const started = performance.now();
    const marker = { file: source.name, format: detection.format, makes_members: makesMembers(p) };
    const claimed = await whileClaimed(ctx.store, fp.sha16, marker, async (handOver) => {
      // the ingest that held the claim before this one may have written the manifest since the check above
      const meanwhile = await alreadyIngested(ctx, source.name, fp.sha16);
      if (meanwhile !== undefined) return meanwhile;
      ctx.progress({ stage: 'ingest', message: `${source.name}: ${detection.format}`, done: 0, total: fp.bytes });
      const sql = sqlFormatFor(detection.format, options.mapping);
      // DuckDB is loaded for these formats only, and only when no other runner is given: the Lambda bundles leave it and
      // this runner out (infra/stage-function.ts), and the ingest function gives Athena's (options.sqlIngest)
      const report = sql
        ? options.sqlIngest
          ? await options.sqlIngest({ source, fp, format: sql, persons: await (await persons()).read(), options, handOver })
          : await (await import('../ingest/sql/run-file.js')).ingestSqlFile(ctx.store, ctx.progress, source, fp, sql, await persons(), options)
        : await ingestFile(ctx.store, ctx.progress, source, fp, readerFor(detection.format), await (await persons()).read(), options);
      report.seconds = p.hashSeconds + (performance.now() - started) / 1000;
      ctx.progress({ stage: 'ingest', message: `${source.name}: ${report.accepted} accepted, ${report.quarantined} quarantined`, done: fp.bytes, total: fp.bytes });
      return report;
    }, liveness(ctx));
    if ('done' in claimed) return claimed.done;
    const { heldBy } = claimed;
    return { ...failed(source.name, detection.format, fp.sha256, `another ingest of the same content is in progress: ${heldBy.file}`), heldBy };
  } catch (e) {
    return failed(source.name, detection.format, fp.sha256, (e as Error).message);
  }
}

function liveness(ctx: PipelineContext): LivenessPolicy {
  return { sameMachine: ctx.sameMachine ?? false };
}

/** Ingests `sources` (eligibility first), then refreshes the engine's views when anything new was written. */
export async function ingest(ctx: PipelineContext, sources: IngestSource[], options: IngestOptions = {}): Promise<StageReport[]> {
  const cleaned = await removeLeftovers(ctx.store, liveness(ctx), options.dropTables);
  if (cleaned.length > 0) ctx.progress({ stage: 'ingest', message: `removed what ${cleaned.length} interrupted ingests left behind` });
  const reports: StageReport[] = new Array(sources.length);
  const planned: Planned[] = [];
  for (const [index, source] of sources.entries()) {
    const known = await knownContent(ctx.store, source);
    const seen = known === undefined ? undefined : await alreadyIngested(ctx, source.name, known.slice(0, 16));
    if (seen !== undefined) {
      reports[index] = seen;
      continue;
    }
    try {
      const started = performance.now();
      const fp = await fingerprint(source);
      const hashSeconds = (performance.now() - started) / 1000;
      planned.push({ index, source, fp, detection: detect(source, fp, options.mapping), hashSeconds });
    } catch (e) {
      reports[index] = failed(source.name, 'unknown', '', `cannot read: ${(e as Error).message}`);
    }
  }
  const others = planned.filter((p) => !makesMembers(p));
  // looked up before the members are loaded: an ingest that finishes in between has its members read below
  const waitsFor = options.waitForMembers && others.length > 0 ? await membersInProgress(ctx.store, new Date(), liveness(ctx)) : [];
  // listed only when a file is to be ingested: a run with nothing new reads no members; the local SQL runner has DuckDB
  // read their parts, the other readers read them in JavaScript (known-persons.ts)
  let listed: Promise<KnownPersons> | undefined;
  const persons = (): Promise<KnownPersons> => (listed ??= KnownPersons.listed(ctx.store));
  for (const p of planned.filter(makesMembers)) reports[p.index] = await remembered(ctx, p, described(await ingestOne(ctx, p, persons, options), p, options.mapping));
  for (const p of others) {
    const { format } = p.detection;
    // a file of unknown format, or one not read, is answered at once: waiting would change nothing
    reports[p.index] =
      waitsFor.length > 0 && format !== 'unknown' && format !== 'not-read'
        ? { ...failed(p.source.name, format, p.fp.sha256, `waits for ${waitsFor.map((w) => w.file).join(', ')}, being ingested`), waitsFor }
        : await remembered(ctx, p, described(await ingestOne(ctx, p, persons, options), p, options.mapping));
  }
  const ingested = reports.filter((r) => r.error === undefined && r.skipped === undefined);
  if (ingested.length > 0) await ctx.engine.refresh();
  if (options.countReplaced ?? true) for (const r of ingested) await countReplaced(ctx, r);
  return reports;
}

/**
 * How many records of a file just committed replaced an earlier delivery's (keys an earlier delivery has), per
 * curated table it wrote; kept in its report and its manifest (which the run summary totals). Counted through the
 * engine's `<table>_versions` views, so it costs one query per table written, run only when an earlier delivery
 * wrote rows of that table (earlierRowsSql): a first delivery replaces nothing.
 */
async function countReplaced(ctx: PipelineContext, report: IngestReport): Promise<void> {
  const manifest = await readManifest(ctx.store, manifestKey(report.sha256.slice(0, 16)));
  const sha = { string: manifest.sha256 };
  const at = { string: manifest.ingested_at };
  const replaced: Record<string, number> = {};
  // under the ingest's memory limit, spilling past it: the count hashes every key of both deliveries, and the engine
  // holds to no limit of its own (a 4 GB claims file's full refresh peaked at 3,441 MiB of RSS in this count)
  await ctx.engine.withMemoryLimit(ingestMemory(), async () => {
    for (const t of CURATED_TABLES) {
      if ((report.rows[t.name] ?? 0) === 0 || RECORD_KEYS[t.name].whole) continue;
      const earlier = await ctx.engine.query(earlierRowsSql(t), [at, at, sha]);
      const [row] = earlier.length === 0 ? [] : await ctx.engine.query<{ replaced: number }>(replacedSql(t), [sha, at, at, sha]);
      replaced[t.name] = row?.replaced ?? 0;
    }
  });
  report.replaced = replaced;
  await writeManifest(ctx.store, { ...manifest, replaced });
}
