/** `stratify history <person_id>`: a member's score, tier and reasons on every as-of date scored, oldest first. */
import type { CommandRun } from '../registry.js';
import { CliError, usageError } from '../errors.js';
import { barChart, outputFormat, render } from '../format.js';
import { existingHome, openLocal } from '../local.js';

interface HistoryRow {
  as_of_date: string;
  /** null, with tier, rank and reasons, on a date the member was set aside (`error`) */
  score: number | null;
  score_change: number | null;
  tier: string | null;
  rank: number | null;
  program: string | null;
  alert_severity: string | null;
  reasons: string | null;
  error: string | null;
}

export const run: CommandRun = async (flags, positionals) => {
  const format = outputFormat(flags.format);
  if (positionals.length !== 1) throw usageError('name one person_id');
  const person = positionals[0]!;
  const ctx = await openLocal(existingHome(flags.home as string | undefined), () => {});
  try {
    const rows = await ctx.engine.query<HistoryRow & Record<string, unknown>>(
      `select as_of_date, score, score_change, tier, rank, program, alert_severity, reasons, error
         from scores where person_id = ? order by as_of_date`,
      [{ string: person }],
    );
    if (rows.length === 0) throw new CliError(`no scores for ${person} in ${ctx.store.location}`, 1);
    const shown = rows.map((r) => ({
      as_of: r.as_of_date,
      score: r.score,
      change: r.score_change,
      tier: r.tier,
      rank: r.rank,
      program: r.program,
      alert: r.alert_severity,
      top_reason: r.reasons === null ? `set aside: ${r.error}` : ((JSON.parse(r.reasons) as string[])[0] ?? ''),
    }));
    if (format !== 'table') {
      process.stdout.write(render(shown, format));
      return 0;
    }
    console.log(`Score history of ${person}: ${rows.length} as-of date${rows.length === 1 ? '' : 's'}`);
    process.stdout.write(barChart(shown.map((r) => ({ label: `${r.as_of} ${(r.tier ?? 'aside').padEnd(8)}`, value: r.score ?? 0 }))));
    process.stdout.write(render(shown, 'table'));
    return 0;
  } finally {
    await ctx.engine.close();
  }
};
