/** `stratify worklist --partner NAME`: a partner's ranked list for the latest (or given) as-of date. */
import type { Command } from '../main.js';
import { CliError, parseAsOf } from '../errors.js';
import { render, type OutputFormat } from '../format.js';
import { openLocal, resolveHome } from '../local.js';

export const worklistCommand: Command = {
  summary: "show a partner's ranked worklist with reasons (latest as-of date unless --as-of)",
  usage: 'stratify worklist --partner NAME [--as-of YYYY-MM-DD] [--format table|csv|json] [--home DIR]',
  options: { partner: { type: 'string', short: 'p' }, 'as-of': { type: 'string' }, format: { type: 'string', short: 'f' } },
  async run(flags) {
    const partner = flags.partner as string | undefined;
    if (!partner) throw new CliError(`--partner is required\n\nusage: ${this.usage}`);
    const ctx = await openLocal(resolveHome(flags.home as string | undefined), () => {});
    try {
      const dates = (await ctx.store.list('worklists/'))
        .filter((o) => o.key.endsWith(`/${partner}.csv`))
        .map((o) => /as_of=(\d{4}-\d{2}-\d{2})\//.exec(o.key)?.[1])
        .filter((d): d is string => d !== undefined);
      if (dates.length === 0) {
        const partners = await ctx.engine.query<{ partner: string }>('select distinct partner from flags order by 1');
        const known = partners.map((p) => p.partner).join(', ') || 'none yet: run `stratify run` first';
        throw new CliError(`no worklist for partner '${partner}' in ${ctx.store.location} (partners with worklists: ${known})`, 1);
      }
      const asOf = flags['as-of'] ? parseAsOf(flags['as-of'] as string) : dates.sort().at(-1)!;
      if (!dates.includes(asOf)) throw new CliError(`no worklist for ${partner} on ${asOf} (dates: ${dates.sort().join(', ')})`, 1);
      const format = (flags.format ?? 'table') as OutputFormat;
      const rows = await ctx.engine.query(
        'select rank, person_id, program, tier, round(score, 1) as score, reasons from flags where partner = ? and as_of_date = ? order by rank',
        [{ string: partner }, { date: asOf }],
      );
      if (format === 'table') {
        console.log(`Worklist for ${partner}, as of ${asOf} (${ctx.store.location}/worklists/as_of=${asOf}/${partner}.csv)`);
        const readable = rows.map((r) => ({ ...r, reasons: (JSON.parse(r.reasons as string) as string[]).join('; ') }));
        process.stdout.write(render(readable, 'table'));
      } else process.stdout.write(render(rows, format));
      return 0;
    } finally {
      await ctx.engine.close();
    }
  },
};
