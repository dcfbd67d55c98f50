/**
 * `stratify ingest <files|dirs...> [--map mapping.json]`: validate and curate files from disk, saying what each file
 * was taken to be (format, header layout, gzip, mapping) in the table and in --json.
 */
import type { CommandRun } from '../registry.js';
import { configFrom, parseEncoding } from '../args.js';
import { CliError, usageError } from '../errors.js';
import { toTable } from '../format.js';
import { lockHome } from '../home-lock.js';
import { openLocal, resolveHome } from '../local.js';
import { LocalFolderStore } from '../../store/local.js';
import { progressReporter } from '../progress.js';
import { ingestMetrics } from '../../pipeline/metrics.js';
import { ingest, loadMapping, MappingError, sourcesFromPaths, type IngestReport, type LoadedMapping } from '../../pipeline/ingest.js';

export const run: CommandRun = async (flags, positionals) => {
  if (positionals.length === 0) throw usageError('name at least one file or folder');
  const sources = await sourcesFromPaths(positionals).catch((e: Error) => {
    throw new CliError(e.message, 2, { cause: e });
  });
  const mapping = flags.map === undefined ? undefined : await mappingFrom(String(flags.map));
  const { ingest: limits } = configFrom(flags.config as string | undefined);
  const encoding = parseEncoding(flags.encoding);
  const progress = progressReporter(process.stderr, Boolean(flags.json));
  const home = resolveHome(flags.home as string | undefined);
  const lock = await lockHome(new LocalFolderStore(home), 'ingest');
  const ctx = await openLocal(home, progress).catch(async (e: unknown) => {
    await lock.release();
    throw e;
  });
  try {
    const reports = await ingest(ctx, sources, { mapping, limits, encoding });
    progress.end();
    if (flags.json) {
      const rows = reports.map((r) => ({
        file: r.file,
        format: r.format,
        layout: r.layout ?? null,
        gzip: r.gzip ?? false,
        mapping: r.mapping ?? null,
        read: r.read,
        accepted: r.accepted,
        quarantined: r.quarantined,
        skipped: r.skippedRecords,
        reasons: r.reasons,
        skip_reasons: r.skipReasons,
        replaced: r.replaced ?? {},
        notes: r.notes,
        ...(r.conventions ? { conventions: r.conventions } : {}),
        ...(r.skipped === 'already-ingested' ? { already_ingested: true } : {}),
        ...(r.skipped === 'not-read' ? { not_read: true } : {}),
        ...(r.error ? { error: r.error } : {}),
        metrics: ingestMetrics(r),
      }));
      console.log(JSON.stringify(rows, null, 2));
    } else {
      const rows = reports.map((r) => ({
        file: r.file,
        'taken as': takenAs(r),
        read: r.read,
        accepted: r.accepted,
        quarantined: r.quarantined,
        skipped: r.skippedRecords,
        note: r.error ?? (r.skipped === 'already-ingested' ? 'already ingested: nothing changed' : [replacedNote(r), topReasons(r.reasons), ...r.notes].filter(Boolean).join('; ')),
      }));
      process.stdout.write(toTable(rows));
      console.log('read = accepted + quarantined + skipped (skipped: measures Stratify does not use, such as body height)');
      console.log(`curated Parquet in ${ctx.store.location}/curated/, rejected records in ${ctx.store.location}/quarantine/`);
    }
    for (const r of reports.filter((x) => x.error)) console.error(`stratify: ${r.file}: ${r.error}`);
    return reports.some((r) => r.error) ? 1 : 0;
  } finally {
    await ctx.engine.close();
    await lock.release();
  }
};

/** the `--map` file of `ingest` and `run`, its errors as command-line errors (exit 2) naming the mapping field */
export async function mappingFrom(path: string): Promise<LoadedMapping> {
  try {
    return await loadMapping(path);
  } catch (e) {
    if (e instanceof MappingError) throw new CliError(`--map ${e.message}`, 2, { cause: e });
    throw e;
  }
}

/** `tuva-medical-claim (patient_id, gzip)`, `vendor-csv (mapping acme.json)` */
function takenAs(r: IngestReport): string {
  const details = [r.layout, r.gzip ? 'gzip' : undefined, r.mapping ? `mapping ${r.mapping}` : undefined].filter(Boolean);
  return details.length === 0 ? r.format : `${r.format} (${details.join(', ')})`;
}

/** `1,200 replaced earlier deliveries` (records whose key an earlier file had: counted once, the latest wins) */
export function replacedNote(r: Pick<IngestReport, 'replaced'>): string {
  const n = Object.values(r.replaced ?? {}).reduce((a, b) => a + b, 0);
  return n > 0 ? `${n.toLocaleString('en-US')} replaced earlier deliveries` : '';
}

function topReasons(reasons: Record<string, number>): string {
  return Object.entries(reasons)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([reason, n]) => `${n} ${reason}`)
    .join('; ');
}
