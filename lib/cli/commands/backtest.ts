/** `stratify backtest --as-of DATE`: how well the model's ranking at a past date foresaw the next 180 days. */
import type { CommandRun } from '../registry.js';
import { backtest, type BacktestResult } from '../../pipeline/backtest.js';
import { CliError, usageError } from '../errors.js';
import { barChart, toTable } from '../format.js';
import { openRun } from './run.js';

const pct = (share: number): string => `${(100 * share).toFixed(1)}%`;
const fixed = (v: number | null, digits = 3): string => (v === null ? 'n/a (no member, or every member, had the outcome)' : v.toFixed(digits));

export function renderBacktest(r: BacktestResult): string {
  const out: string[] = [];
  out.push(`Backtest as of ${r.asOf}: ${r.members.toLocaleString('en-US')} members scored; outcomes after ${r.asOf} through ${r.windowEnd}`);
  if (r.dataThrough === null || r.dataThrough < r.windowEnd) {
    out.push(`  note: claims run only through ${r.dataThrough ?? 'no date'}, so the outcome window is not fully observed`);
  }
  out.push(`  members with an admission: ${r.withAdmission.toLocaleString('en-US')} (${pct(r.withAdmission / Math.max(1, r.members))})`);
  out.push(`  members with an admission or ED visit: ${r.withAcuteEvent.toLocaleString('en-US')} (${pct(r.withAcuteEvent / Math.max(1, r.members))})`);
  out.push(`  AUC, admission: ${fixed(r.aucAdmission)}`);
  out.push(`  AUC, admission or ED visit: ${fixed(r.aucAcute)} (the score alone, without actionable members first: ${fixed(r.aucAcuteScoreOnly)})`);
  out.push('\nLift by tier (admission or ED visit)');
  out.push(
    toTable(
      r.lift.map((t) => ({ tier: t.tier, members: t.members, events: t.events, rate: pct(t.rate), lift: t.lift === null ? '' : t.lift.toFixed(2) })),
    ),
  );
  out.push('Calibration: observed rate of admission or ED visit by decile of the ranking (1 = top 10%), %');
  out.push(
    barChart(
      r.calibration.map((d) => ({
        label: `${String(d.decile).padStart(2)}  ranks ${d.ranks[0]}-${d.ranks[1]}, mean score ${d.meanScore.toFixed(1)}`,
        value: Math.round(d.observedRate * 1000) / 10,
      })),
    ),
  );
  return out.join('\n') + '\n';
}

export const run: CommandRun = async (flags) => {
  if (flags['as-of'] === undefined) throw usageError('--as-of is required');
  const { asOf, config, progress, ctx, close } = await openRun(flags, 'backtest');
  try {
    const result = await backtest(ctx, asOf, config);
    progress.end();
    if (result.members === 0) throw new CliError(`no member is enrolled on ${asOf} in ${ctx.store.location}`, 1);
    process.stdout.write(flags.json ? JSON.stringify(result, null, 2) + '\n' : renderBacktest(result));
    return 0;
  } finally {
    await close();
  }
};
