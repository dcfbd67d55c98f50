/** `stratify worklist --partner NAME`: a partner's ranked worklist file for the latest (or given) as-of date. */
import Papa from 'papaparse';
import type { CommandRun } from '../registry.js';
import { loadConfig } from '../../config/index.js';
import { worklistKey } from '../../pipeline/dispatch.js';
import { reasonLegend } from '../../scoring/legend.js';
import { LocalFolderStore } from '../../store/local.js';
import { parseAsOf } from '../args.js';
import { CliError, usageError } from '../errors.js';
import { outputFormat, render } from '../format.js';
import { existingHome } from '../local.js';

const WORKLIST = /^worklists\/as_of=(\d{4}-\d{2}-\d{2})\/([^/]+)\.csv$/;

export const run: CommandRun = async (flags) => {
  const partner = flags.partner as string | undefined;
  if (!partner) throw usageError('--partner is required');
  const store = new LocalFolderStore(existingHome(flags.home as string | undefined));
  const lists = (await store.list('worklists/')).map((o) => WORKLIST.exec(o.key)).filter((m) => m !== null);
  const dates = lists.filter((m) => m[2] === partner).map((m) => m[1]!);
  if (dates.length === 0) {
    const known = [...new Set(lists.map((m) => m[2]))].sort().join(', ') || 'none yet: run `stratify run` first';
    throw new CliError(`no worklist for partner '${partner}' in ${store.location} (partners with worklists: ${known})`, 1);
  }
  const asOf = flags['as-of'] ? parseAsOf(flags['as-of'] as string) : dates.sort().at(-1)!;
  if (!dates.includes(asOf)) throw new CliError(`no worklist for ${partner} on ${asOf} (dates: ${dates.sort().join(', ')})`, 1);
  const key = worklistKey(asOf, partner);
  const csv = new TextDecoder().decode(await store.get(key));
  const format = outputFormat(flags.format);
  if (format === 'csv') {
    process.stdout.write(csv);
    return 0;
  }
  const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true, dynamicTyping: { rank: true, score: true } }).data;
  if (format === 'table') console.log(`Worklist for ${partner}, as of ${asOf}: ${rows.length} members (${store.location}/${key})`);
  process.stdout.write(render(rows, format, { wide: Boolean(flags.wide) }));
  if (format === 'table') {
    console.log('\nThresholds behind the reasons (config/stratify.json, or --config):');
    for (const e of reasonLegend(loadConfig(flags.config as string | undefined))) console.log(`  ${e.term}: ${e.definition}`);
  }
  return 0;
};
