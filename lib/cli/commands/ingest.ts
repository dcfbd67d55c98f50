/** `stratify ingest <files|dirs...>`: validate and curate files from disk, saying what each file was taken to be. */
import type { Command } from '../main.js';
import { CliError } from '../errors.js';
import { toTable } from '../format.js';
import { openLocal, resolveHome } from '../local.js';
import { progressReporter } from '../progress.js';
import { ingest, sourcesFromPaths } from '../../pipeline/ingest.js';

export const ingestCommand: Command = {
  summary: 'ingest files or folders (Tuva CSV, device NDJSON) into curated Parquet; bad records go to quarantine',
  usage: 'stratify ingest <files|dirs...> [--json] [--home DIR]',
  options: { json: { type: 'boolean' } },
  async run(flags, positionals) {
    if (positionals.length === 0) throw new CliError(`name at least one file or folder\n\nusage: ${this.usage}`);
    const sources = await sourcesFromPaths(positionals).catch((e: Error) => {
      throw new CliError(e.message, 2, { cause: e });
    });
    const progress = progressReporter(process.stderr, Boolean(flags.json));
    const ctx = await openLocal(resolveHome(flags.home as string | undefined), progress);
    try {
      const reports = await ingest(ctx, sources);
      progress.end();
      if (flags.json) {
        const rows = reports.map(({ file, format, read, accepted, quarantined, skippedRecords: skipped }) => ({ file, format, read, accepted, quarantined, skipped }));
        console.log(JSON.stringify(rows, null, 2));
      } else {
        const rows = reports.map((r) => ({
          file: r.file,
          format: r.format,
          read: r.read,
          accepted: r.accepted,
          quarantined: r.quarantined,
          skipped: r.skippedRecords,
          note: r.error ?? (r.skipped ? 'already ingested: nothing changed' : topReasons(r.reasons)),
        }));
        process.stdout.write(toTable(rows));
        console.log('read = accepted + quarantined + skipped (skipped: measures Stratify does not use, such as body height)');
        console.log(`curated Parquet in ${ctx.store.location}/curated/, rejected records in ${ctx.store.location}/quarantine/`);
      }
      for (const r of reports.filter((x) => x.error)) console.error(`stratify: ${r.file}: ${r.error}`);
      return reports.some((r) => r.error) ? 1 : 0;
    } finally {
      await ctx.engine.close();
    }
  },
};

function topReasons(reasons: Record<string, number>): string {
  return Object.entries(reasons)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([reason, n]) => `${n} ${reason}`)
    .join('; ');
}
