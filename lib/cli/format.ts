/** Rendering query results for a person (aligned table), a spreadsheet (CSV) or a program (JSON). */
import { csvField } from '../csv.js';
import { CliError } from './errors.js';
import { FORMATS } from './registry.js';

export type OutputFormat = (typeof FORMATS)[number];

/** the `--format` flag of a command, table when absent */
export function outputFormat(flag: unknown): OutputFormat {
  const format = (flag ?? 'table') as OutputFormat;
  if (!(FORMATS as readonly string[]).includes(format)) throw new CliError(`--format ${String(format)}: expected one of ${FORMATS.join(', ')}`);
  return format;
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}


export function toCsv(rows: readonly Record<string, unknown>[], columns = Object.keys(rows[0] ?? {})): string {
  return [columns.map(csvField).join(','), ...rows.map((r) => columns.map((c) => csvField(cell(r[c]))).join(','))].join('\n') + '\n';
}

/** how wide a table may be: the terminal's width, else $COLUMNS, else no limit (a pipe or a file keeps every cell) */
export function terminalWidth(): number {
  return process.stdout.columns ?? (Number(process.env.COLUMNS) || Infinity);
}

const MIN_CUT = 8;

/** column widths that fit `limit` characters: the widest column gives up a character until the row fits */
function fitWidths(natural: number[], limit: number): number[] {
  const widths = [...natural];
  const total = () => widths.reduce((s, w) => s + w, 0) + 2 * (widths.length - 1);
  while (total() > limit) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= MIN_CUT) break;
    widths[widest]! -= 1;
  }
  return widths;
}

const cut = (v: string, w: number): string => (v.length > w ? `${v.slice(0, w - 1)}…` : v);

export interface TableOptions {
  /** every cell whole, however wide the table gets */
  readonly wide?: boolean;
  readonly width?: number;
}

export function toTable(rows: readonly Record<string, unknown>[], columns = Object.keys(rows[0] ?? {}), options: TableOptions = {}): string {
  if (columns.length === 0) return '(no rows)\n';
  const body = rows.map((r) => columns.map((c) => cell(r[c]).replaceAll('\n', ' ')));
  const natural = columns.map((c, i) => Math.max(c.length, ...body.map((b) => b[i]!.length)));
  const widths = options.wide ? natural : fitWidths(natural, options.width ?? terminalWidth());
  const numeric = columns.map((c) => rows.length > 0 && rows.every((r) => r[c] === null || typeof r[c] === 'number'));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => cut(v, widths[i]!))
      .map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  out.push(`(${rows.length} row${rows.length === 1 ? '' : 's'})`);
  return out.join('\n') + '\n';
}

/** rows in a format; `columns` keeps a CSV's header (and a table's) when there are no rows */
export function render(rows: readonly Record<string, unknown>[], format: OutputFormat, options: TableOptions & { columns?: string[] } = {}): string {
  if (format === 'json') return JSON.stringify(rows, null, 2) + '\n';
  if (format === 'csv') return toCsv(rows, options.columns);
  return toTable(rows, options.columns, options);
}

/** A horizontal bar chart: one labelled bar per entry, scaled to the largest value. */
export function barChart(entries: readonly { label: string; value: number }[], width = 40): string {
  const max = Math.max(1, ...entries.map((e) => e.value));
  const labelWidth = Math.max(...entries.map((e) => e.label.length), 0);
  return (
    entries
      .map((e) => {
        const n = e.value === 0 ? 0 : Math.max(1, Math.round((e.value / max) * width));
        return `  ${e.label.padEnd(labelWidth)}  ${'█'.repeat(n)}${' '.repeat(width - n)}  ${e.value.toLocaleString('en-US')}`;
      })
      .join('\n') + '\n'
  );
}
