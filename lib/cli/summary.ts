/** The closing summary of `demo` and `run`: what a care-management lead wants to see after a daily run. */
import type { StratifyConfig } from '../config/index.js';
import type { RunResult, QuarantineTotals } from '../pipeline/run.js';
import { writeReport } from '../report/index.js';
import type { LocalFolderStore } from '../store/local.js';
import { barChart, toTable } from './format.js';

const TIER_ORDER = ['critical', 'high', 'elevated', 'routine'];
/** members set aside, or feedback lines rejected, named one per line; the rest are counted */
const NAMED_LINES = 10;

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
  if (run.score.setAside.length > 0) {
    const n = run.score.setAside.length;
    out.push(`Set aside: ${n} member${n === 1 ? '' : 's'} the model cannot score (column error of scores; exit code 1)`);
    for (const s of run.score.setAside.slice(0, NAMED_LINES)) out.push(`  ${s.person_id}: ${s.reason}`);
    if (run.score.setAside.length > NAMED_LINES) out.push(`  … and ${run.score.setAside.length - NAMED_LINES} more: stratify sql "select person_id, error from scores where error is not null"`);
  }
  if (run.score.transitionsOnly > 0) out.push(`Sent for transitions of care (recent discharge, high LACE) outside the dispatched tiers: ${run.score.transitionsOnly}`);
  const rejected = run.dispatch.feedbackRejected;
  if (rejected.length > 0) {
    out.push(`Partner feedback lines rejected: ${rejected.length} (quarantined; the member's other reports still count)`);
    for (const r of rejected.slice(0, NAMED_LINES)) out.push(`  ${r.file} line ${r.record}: ${r.field === '' ? '' : `${r.field}: `}${r.reason}`);
    if (rejected.length > NAMED_LINES) out.push(`  … and ${rejected.length - NAMED_LINES} more in ${home}/quarantine/`);
  }
  out.push(
    `Ingest (all files so far): ${totals.files} files, ${totals.read.toLocaleString('en-US')} records read, ` +
      `${totals.accepted.toLocaleString('en-US')} accepted, ${totals.quarantined.toLocaleString('en-US')} quarantined` +
      (totals.skipped > 0 ? `, ${totals.skipped.toLocaleString('en-US')} skipped (measures Stratify does not use)` : '') +
      (totals.replaced > 0 ? `; ${totals.replaced.toLocaleString('en-US')} accepted records replaced an earlier delivery of the same record` : ''),
  );
  const notIngested = run.ingest.filter((r) => r.error !== undefined || r.skipped === 'not-read');
  if (notIngested.length > 0) {
    out.push(`Files not ingested this run: ${notIngested.length}`);
    for (const r of notIngested) out.push(`  ${r.file}: ${r.error ?? `not read: ${r.notes.join('; ')}`}`);
  }
  if (totals.reasons.length > 0) {
    out.push('Quarantined, by reason');
    out.push(barChart(totals.reasons.slice(0, 8).map((r) => ({ label: r.reason, value: r.count })), 30));
  }
  out.push(...dataQualityLines(run));
  out.push('Where the files are');
  out.push(`  worklists   ${home}/worklists/as_of=${run.asOf}/<partner>.csv`);
  out.push(`  outbox      ${home}/outbox/<partner>.ndjson`);
  out.push(`  quarantine  ${home}/quarantine/   manifests ${home}/manifests/`);
  out.push(`  query       npx stratify sql "select * from scores order by rank limit 10"`);
  return out.join('\n') + '\n';
}

/** the claims conventions found and the checks worth a look (the `data_quality` table has every figure) */
function dataQualityLines(run: RunResult): string[] {
  const dq = run.dataQuality;
  if (dq.length === 0) return [];
  const lines = ['Data quality (table data_quality)'];
  for (const r of dq.filter((x) => x.check_name === 'amounts')) lines.push(`  ${r.scope}: ${r.detail}`);
  const reversed = dq.find((x) => x.check_name === 'fully_reversed_claims');
  if (reversed?.detail) lines.push(`  reversals: ${reversed.detail}`);
  const flagged = dq.filter((x) => x.flagged);
  for (const r of flagged) lines.push(`  worth a look: ${r.check_name} ${r.scope === 'all' ? '' : `${r.scope} `}${r.value === null ? '' : Number(r.value.toFixed(2))} (${r.detail})`);
  return lines;
}

/** writes the run's HTML report and says where it is: the last line of `run` and `demo` */
export async function reportLine(store: LocalFolderStore, asOf: string, config: StratifyConfig): Promise<string> {
  const report = await writeReport(store, asOf, config);
  return `\nReport (${report.pages} pages; open it in a browser): ${store.pathOf(report.index)}\n`;
}
