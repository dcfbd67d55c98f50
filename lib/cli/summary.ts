/** The closing summary of `demo` and `run`: what a care-management lead wants to see after a daily run. */
import type { RunResult, QuarantineTotals } from '../pipeline/run.js';
import { barChart, toTable } from './format.js';

const TIER_ORDER = ['critical', 'high', 'elevated', 'routine'];

export function renderRunSummary(run: RunResult, totals: QuarantineTotals, home: string): string {
  const out: string[] = [];
  out.push(`\nStratify run for ${run.asOf}`);
  out.push(`  members scored: ${run.score.members.toLocaleString('en-US')}`);
  if (run.score.members === 0) {
    out.push(
      `  No member is enrolled on ${run.asOf}: drop eligibility, claims and device files into ${home}/landing/ ` +
        '(or `stratify ingest <files>`), then run again.',
    );
  }
  out.push('\nRisk tiers');
  const tiers = Object.entries(run.score.byTier).sort(([a], [b]) => TIER_ORDER.indexOf(a) - TIER_ORDER.indexOf(b));
  out.push(barChart(tiers.map(([label, value]) => ({ label, value }))));
  out.push('Flagged for partners (by tier)');
  const dispatchedTiers = TIER_ORDER.filter((t) => run.score.flagged.some((f) => f.tier === t));
  const partnerRows = run.dispatch.partners.map((d) => {
    const mine = run.score.flagged.filter((f) => f.partner === d.partner);
    const row: Record<string, unknown> = { partner: d.partner, program: d.program };
    for (const t of dispatchedTiers) row[t] = mine.filter((f) => f.tier === t).reduce((n, f) => n + f.count, 0);
    return { ...row, sent: d.sent, suppressed: d.suppressed, failed: d.failed };
  });
  out.push(toTable(partnerRows));
  const excluded = Object.entries(run.score.excluded).map(([why, n]) => `${n} ${why}`);
  if (excluded.length > 0) out.push(`Kept off the partners' lists (members with a program): ${excluded.join(', ')}`);
  if (run.score.transitionsOnly > 0) out.push(`Sent for transitions of care (recent discharge, high LACE) outside the dispatched tiers: ${run.score.transitionsOnly}`);
  out.push(
    `Ingest (all files so far): ${totals.files} files, ${totals.read.toLocaleString('en-US')} records read, ` +
      `${totals.accepted.toLocaleString('en-US')} accepted, ${totals.quarantined.toLocaleString('en-US')} quarantined` +
      (totals.skipped > 0 ? `, ${totals.skipped.toLocaleString('en-US')} skipped (measures Stratify does not use)` : '') +
      (totals.replaced > 0 ? `; ${totals.replaced.toLocaleString('en-US')} accepted records replaced an earlier delivery of the same record` : ''),
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
