/** `stratify worklist --partner NAME`: a partner's ranked worklist file for the latest (or given) as-of date. */
import Papa from 'papaparse';
import type { Command } from '../main.js';
import { worklistKey } from '../../pipeline/dispatch.js';
import { LocalFolderStore } from '../../store/local.js';
import { CliError, parseAsOf } from '../errors.js';
import { render, type OutputFormat } from '../format.js';
import { resolveHome } from '../local.js';

const WORKLIST = /^worklists\/as_of=(\d{4}-\d{2}-\d{2})\/([^/]+)\.csv$/;

export const worklistCommand: Command = {
  summary: "show a partner's ranked worklist with reasons (latest as-of date unless --as-of)",
  usage: 'stratify worklist --partner NAME [--as-of YYYY-MM-DD] [--format table|csv|json] [--home DIR]',
  options: { partner: { type: 'string', short: 'p' }, 'as-of': { type: 'string' }, format: { type: 'string', short: 'f' } },
  async run(flags) {
    const partner = flags.partner as string | undefined;
    if (!partner) throw new CliError(`--partner is required\n\nusage: ${this.usage}`);
    const store = new LocalFolderStore(resolveHome(flags.home as string | undefined));
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
    const format = (flags.format ?? 'table') as OutputFormat;
    if (format === 'csv') {
      process.stdout.write(csv);
      return 0;
    }
    const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true, dynamicTyping: { rank: true, score: true } }).data;
    if (format === 'table') console.log(`Worklist for ${partner}, as of ${asOf}: ${rows.length} members (${store.location}/${key})`);
    process.stdout.write(render(rows, format));
    return 0;
  },
};
