/** The closing summary of `demo` and `run`: what a care-management lead wants to see after a daily run. */
import type { RunResult, QuarantineTotals } from '../pipeline/run.js';
import { barChart, toTable } from './format.js';

const TIER_ORDER = ['critical', 'high', 'elevated', 'routine'];

export function renderRunSummary(run: RunResult, totals: QuarantineTotals, home: string): string {
  const out: string[] = [];
  out.push(`\nStratify run for ${run.asOf}`);
  out.push(`  members scored: ${run.score.members.toLocaleString('en-US')}`);
  out.push('\nRisk tiers');
  const tiers = Object.entries(run.score.byTier).sort(([a], [b]) => TIER_ORDER.indexOf(a) - TIER_ORDER.indexOf(b));
  out.push(barChart(tiers.map(([label, value]) => ({ label, value }))));
  out.push('Flagged for partners (by tier)');
  const byPartner = new Map<string, Record<string, unknown>>();
  for (const f of run.score.flagged) {
    const row = byPartner.get(f.partner) ?? { partner: f.partner, program: f.program };
    row[f.tier] = ((row[f.tier] as number | undefined) ?? 0) + f.count;
    byPartner.set(f.partner, row);
  }
  const dispatched = new Map(run.dispatch.partners.map((p) => [p.partner, p]));
  const partnerRows = [...byPartner.values()].map((r) => {
    const d = dispatched.get(r.partner as string);
    return { ...r, sent: d?.sent ?? 0, suppressed: d?.suppressed ?? 0, failed: d?.failed ?? 0 };
  });
  const tierCols = TIER_ORDER.filter((t) => partnerRows.some((r) => t in r));
  for (const r of partnerRows) for (const t of tierCols) r[t as keyof typeof r] ??= 0 as never;
  out.push(toTable(partnerRows, ['partner', 'program', ...tierCols, 'sent', 'suppressed', 'failed']));
  out.push(
    `Ingest (all files so far): ${totals.files} files, ${totals.read.toLocaleString('en-US')} records read, ` +
      `${totals.accepted.toLocaleString('en-US')} accepted, ${totals.quarantined.toLocaleString('en-US')} quarantined`,
  );
  if (totals.reasons.length > 0) {
    out.push('Quarantined, by reason');
    out.push(barChart(totals.reasons.slice(0, 8).map((r) => ({ label: r.reason, value: r.count })), 30));
  }
  out.push('Where the files are');
  out.push(`  worklists   ${home}/worklists/as_of=${run.asOf}/<partner>.csv`);
  out.push(`  outbox      ${home}/outbox/<partner>.ndjson`);
  out.push(`  quarantine  ${home}/quarantine/   manifests ${home}/manifests/`);
  out.push(`  query       npx stratify sql "select * from scores order by rank limit 10"`);
  return out.join('\n') + '\n';
}
