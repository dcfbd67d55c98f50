/**
 * The pages' common parts: escaping, the page shell with its stylesheet (print styles included) and the small inline
 * script that sorts and filters tables. Everything is inline: a page opens from disk with no server and fetches
 * nothing (no fonts, no CDN, no external script), and the Content-Security-Policy meta tag says so to the browser.
 */
import type { StratifyConfig } from '../config/index.js';
import { reasonLegend } from '../scoring/legend.js';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const STYLE = `
:root { color-scheme: light; --ink: #1b1b1b; --muted: #555; --rule: #d0d0d0; --accent: #0072B2; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 1rem 1.5rem 3rem; }
header.page { border-bottom: 2px solid var(--ink); margin-bottom: 1rem; }
header.page nav a { margin-right: 1rem; }
h1 { font-size: 1.6rem; margin: .4rem 0; } h2 { font-size: 1.2rem; margin: 1.6rem 0 .5rem; border-bottom: 1px solid var(--rule); }
a { color: var(--accent); }
.kpis { display: flex; flex-wrap: wrap; gap: .75rem; list-style: none; padding: 0; }
.kpis li { border: 1px solid var(--rule); border-radius: 6px; padding: .5rem .8rem; min-width: 9rem; }
.kpis b { display: block; font-size: 1.3rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 1rem; }
figure.chart { margin: .5rem 0 1rem; } figure.chart svg { max-width: 100%; height: auto; }
figcaption .desc { color: var(--muted); font-size: .9em; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th { white-space: nowrap; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--rule); vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer; color: inherit; }
th button::after { content: " \\2195"; color: var(--muted); }
th[aria-sort="ascending"] button::after { content: " \\2191"; } th[aria-sort="descending"] button::after { content: " \\2193"; }
.tier { display: inline-block; padding: 0 .4rem; border-radius: 3px; color: #000; font-size: .85em; }
.tier-critical { background: #f3b48f; } .tier-high { background: #f5d38a; } .tier-elevated { background: #bfe1f5; } .tier-routine { background: #e2e2e2; }
.filter { margin: .5rem 0; } .filter input { font: inherit; padding: .25rem .4rem; width: 22rem; max-width: 100%; }
details summary { cursor: pointer; color: var(--accent); }
.legend dt { font-weight: 600; } .legend dd { margin: 0 0 .4rem 1rem; }
.note { color: var(--muted); }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  header.page nav, .filter, .noprint, th button::after { display: none; }
  a { color: inherit; text-decoration: none; }
  details > *:not(summary) { display: block; } details summary { display: none; }
  tr, figure { break-inside: avoid; }
  h2 { break-after: avoid; }
}`;

/** sorts a table by the clicked header (numbers as numbers) and filters its rows by the text typed above it */
const SCRIPT = `
for (const table of document.querySelectorAll('table[data-sortable]')) {
  const body = table.tBodies[0];
  table.querySelectorAll('th').forEach((th, col) => {
    const button = th.querySelector('button');
    if (!button) return;
    button.addEventListener('click', () => {
      const descending = th.getAttribute('aria-sort') === 'ascending';
      table.querySelectorAll('th').forEach((h) => h.removeAttribute('aria-sort'));
      th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
      const key = (row) => row.cells[col].dataset.value ?? row.cells[col].textContent.trim();
      const numeric = th.classList.contains('num');
      const rows = [...body.rows].sort((a, b) => {
        const x = key(a), y = key(b);
        const c = numeric ? Number(x) - Number(y) : x.localeCompare(y);
        return descending ? -c : c;
      });
      body.append(...rows);
    });
  });
}
for (const input of document.querySelectorAll('input[data-filter]')) {
  const table = document.getElementById(input.dataset.filter);
  const count = document.getElementById(input.dataset.filter + '-count');
  input.addEventListener('input', () => {
    const words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    let shown = 0;
    for (const row of table.tBodies[0].rows) {
      const text = row.textContent.toLowerCase();
      row.hidden = !words.every((w) => text.includes(w));
      if (!row.hidden) shown++;
    }
    if (count) count.textContent = shown + ' of ' + table.tBodies[0].rows.length + ' shown';
  });
}`;

export interface PageOptions {
  readonly title: string;
  /** the path from this page to the report's folder, '' or '../' */
  readonly root: string;
  readonly body: string;
  readonly script?: boolean;
  /** links after the one to the overview */
  readonly nav?: readonly { href: string; label: string }[];
}

export function page({ title, root, body, script = false, nav = [] }: PageOptions): string {
  const links = [{ href: `${root}index.html`, label: 'Overview' }, ...nav].map((l) => `<a href="${escapeHtml(l.href)}">${escapeHtml(l.label)}</a>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="page"><nav aria-label="report">${links}</nav><h1>${escapeHtml(title)}</h1></header>
<main>
${body}
</main>
${script ? `<script>${SCRIPT}</script>` : ''}
</body>
</html>
`;
}

export interface Column<T> {
  readonly header: string;
  readonly cell: (row: T) => string;
  /** the value the table sorts by when it differs from the cell's text */
  readonly sortValue?: (row: T) => string | number;
  readonly numeric?: boolean;
  /** true when `cell` returns HTML that is already escaped */
  readonly html?: boolean;
}

/** a table with a caption; `sortable` gives each header a button that sorts by its column (keyboard-usable) */
export function table<T>(caption: string, columns: readonly Column<T>[], rows: readonly T[], options: { id?: string; sortable?: boolean } = {}): string {
  const th = columns
    .map((c) => {
      const label = escapeHtml(c.header);
      return `<th scope="col"${c.numeric ? ' class="num"' : ''}>${options.sortable ? `<button type="button">${label}</button>` : label}</th>`;
    })
    .join('');
  const tr = rows
    .map(
      (r) =>
        `<tr>${columns
          .map((c) => {
            const text = c.cell(r);
            const value = c.sortValue ? ` data-value="${escapeHtml(String(c.sortValue(r)))}"` : '';
            return `<td${c.numeric ? ' class="num"' : ''}${value}>${c.html ? text : escapeHtml(text)}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('\n');
  const attrs = `${options.id ? ` id="${options.id}"` : ''}${options.sortable ? ' data-sortable' : ''}`;
  return `<table${attrs}><caption class="note">${escapeHtml(caption)}</caption><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table>`;
}

export function tierBadge(tier: string): string {
  return `<span class="tier tier-${escapeHtml(tier)}">${escapeHtml(tier)}</span>`;
}

export const fmt = (n: number): string => n.toLocaleString('en-US');

/** the thresholds behind the reasons, folded (unfolded on paper) */
export function legendHtml(config: StratifyConfig): string {
  const entries = reasonLegend(config).map((e) => `<dt>${escapeHtml(e.term)}</dt><dd>${escapeHtml(e.definition)}</dd>`).join('');
  return `<details class="legend-box"><summary>Thresholds behind the reasons</summary><dl class="legend">${entries}</dl></details>`;
}
