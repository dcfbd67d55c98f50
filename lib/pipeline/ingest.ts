/**
 * The ingest stage: landing files → curated Parquet + quarantine + manifests (see lib/ingest/ for the readers).
 *
 * Each file is read twice: a first pass hashes it and detects its format, the second parses it. Eligibility files
 * are ingested first, so claims and readings in the same delivery can be checked against the persons they name.
 * A file whose sha256 already has a manifest is not read again (report `skipped: 'already-ingested'`); a file of
 * unknown format, or one that fails part-way, gets an `error` and leaves nothing behind, and the others go on.
 * Reports come back in the order of `sources`.
 */
import { detectFormat, type Detection } from '../ingest/detect.js';
import { fingerprint, type Fingerprint } from '../ingest/fingerprint.js';
import { READERS } from '../ingest/formats.js';
import { ingestFile, manifestKey, readManifest, reportOf, type IngestFileOptions } from '../ingest/ingest-file.js';
import { KnownPersons } from '../ingest/known-persons.js';
import type { IngestReport, IngestSource } from '../ingest/types.js';
import type { PipelineContext } from './context.js';

export type { IngestManifest, IngestReport, IngestSource, InputFormat, QuarantineLine } from '../ingest/types.js';
export { sourcesFromPaths, sourcesFromStore } from '../ingest/sources.js';
export type { IngestFileOptions as IngestOptions };

function failed(file: string, format: IngestReport['format'], sha256: string, error: string): IngestReport {
  return { file, format, sha256, read: 0, accepted: 0, quarantined: 0, skippedRecords: 0, reasons: {}, skipReasons: {}, rows: {}, notes: [], error };
}

interface Planned {
  readonly index: number;
  readonly source: IngestSource;
  readonly fp: Fingerprint;
  readonly detection: Detection;
  /** seconds the hashing pass took */
  readonly hashSeconds: number;
}

async function ingestOne(ctx: PipelineContext, p: Planned, persons: KnownPersons, options: IngestFileOptions): Promise<IngestReport> {
  const { source, fp, detection } = p;
  if (detection.format === 'unknown') return failed(source.name, 'unknown', fp.sha256, detection.error);
  const manifest = manifestKey(fp.sha16);
  if (await ctx.store.exists(manifest)) {
    const m = await readManifest(ctx.store, manifest);
    return { ...reportOf(source.name, m), skipped: 'already-ingested' };
  }
  ctx.progress({ stage: 'ingest', message: `${source.name}: ${detection.format}`, done: 0, total: fp.bytes });
  try {
    const started = performance.now();
    const report = await ingestFile(ctx.store, ctx.progress, source, fp, READERS[detection.format], persons, options);
    report.seconds = p.hashSeconds + (performance.now() - started) / 1000;
    ctx.progress({ stage: 'ingest', message: `${source.name}: ${report.accepted} accepted, ${report.quarantined} quarantined`, done: fp.bytes, total: fp.bytes });
    return report;
  } catch (e) {
    return failed(source.name, detection.format, fp.sha256, (e as Error).message);
  }
}

/** Ingests `sources` (eligibility first), then refreshes the engine's views when anything new was written. */
export async function ingest(ctx: PipelineContext, sources: IngestSource[], options: IngestFileOptions = {}): Promise<IngestReport[]> {
  const reports: IngestReport[] = new Array(sources.length);
  const planned: Planned[] = [];
  for (const [index, source] of sources.entries()) {
    try {
      const started = performance.now();
      const fp = await fingerprint(source);
      const hashSeconds = (performance.now() - started) / 1000;
      planned.push({ index, source, fp, detection: detectFormat(source.name, fp.head), hashSeconds });
    } catch (e) {
      reports[index] = failed(source.name, 'unknown', '', `cannot read: ${(e as Error).message}`);
    }
  }
  const eligibilityFirst = [
    ...planned.filter((p) => p.detection.format === 'tuva-eligibility'),
    ...planned.filter((p) => p.detection.format !== 'tuva-eligibility'),
  ];
  const persons = await KnownPersons.load(ctx.engine);
  for (const p of eligibilityFirst) reports[p.index] = await ingestOne(ctx, p, persons, options);
  if (reports.some((r) => r.error === undefined && r.skipped === undefined)) await ctx.engine.refresh();
  return reports;
}
