/**
 * One page per partner: its ranked worklist, sortable and filterable, printable as a call list. It lists that
 * partner's members only, so the file can be handed to that partner alone.
 */
import type { FlagRow, ReportData } from './data.js';
import { plainReason } from '../scoring/legend.js';
import { escapeHtml, fmt, legendHtml, page, table, tierBadge } from './html.js';

/** reasons shown on the line itself; the rest are folded under "details" */
const LEADING_REASONS = 2;

export function partnerPage(d: ReportData, partner: string): string {
  const mine = d.flags.filter((f) => f.partner === partner).sort((a, b) => a.rank - b.rank);
  const program = d.config.partners.find((p) => p.name === partner)?.program ?? '';
  const status = d.statuses.get(partner) ?? new Map<string, string>();
  const id = 'worklist';
  const reasonsOf = (f: FlagRow) => (JSON.parse(f.reasons) as string[]).map(plainReason);
  const body = [
    `<p>${fmt(mine.length)} members flagged for the ${escapeHtml(program.replace('_', ' '))} program as of ${d.asOf}, ranked: 1 = act first.</p>`,
    `<p class="filter noprint"><label>Filter <input type="search" data-filter="${id}" placeholder="member, tier, status or reason"></label> <span id="${id}-count" role="status"></span></p>`,
    table(
      `Worklist of ${partner}, ${d.asOf}: click a column's header to sort by it`,
      [
        { header: 'rank', cell: (f: FlagRow) => String(f.rank), numeric: true },
        { header: 'member', cell: (f) => `<a href="../members/${escapeHtml(f.person_id)}.html">${escapeHtml(f.person_id)}</a>`, html: true, sortValue: (f) => f.person_id },
        { header: 'tier', cell: (f) => tierBadge(f.tier), html: true, sortValue: (f) => ['critical', 'high', 'elevated', 'routine'].indexOf(f.tier) },
        { header: 'score', cell: (f) => f.score.toFixed(1), numeric: true },
        { header: 'status', cell: (f) => status.get(f.person_id) ?? '' },
        {
          header: 'leading reasons',
          html: true,
          cell: (f) => {
            const reasons = reasonsOf(f);
            const lead = reasons.slice(0, LEADING_REASONS).map((r) => `<div>${escapeHtml(r)}</div>`).join('');
            const rest = reasons.slice(LEADING_REASONS);
            return rest.length === 0 ? lead : `${lead}<details><summary>${rest.length} more</summary><ul>${rest.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul></details>`;
          },
        },
      ],
      mine,
      { id, sortable: true },
    ),
    legendHtml(d.config),
  ];
  return page({ title: `${partner}: worklist of ${d.asOf}`, root: '../', body: body.join('\n'), script: true });
}
