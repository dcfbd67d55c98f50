/** Rendering query results for a person (aligned table), a spreadsheet (CSV) or a program (JSON). */
import { csvField } from '../csv.js';
import { CliError } from './errors.js';

export type OutputFormat = 'table' | 'csv' | 'json';

const FORMATS: readonly OutputFormat[] = ['table', 'csv', 'json'];

/** the `--format` flag of a command, table when absent */
export function outputFormat(flag: unknown): OutputFormat {
  const format = (flag ?? 'table') as OutputFormat;
  if (!FORMATS.includes(format)) throw new CliError(`--format ${String(format)}: expected one of ${FORMATS.join(', ')}`);
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

export function toTable(rows: readonly Record<string, unknown>[], columns = Object.keys(rows[0] ?? {})): string {
  if (columns.length === 0) return '(no rows)\n';
  const body = rows.map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...body.map((b) => b[i]!.length)));
  const numeric = columns.map((c) => rows.length > 0 && rows.every((r) => r[c] === null || typeof r[c] === 'number'));
  const line = (vals: string[]) =>
    vals.map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  out.push(`(${rows.length} row${rows.length === 1 ? '' : 's'})`);
  return out.join('\n') + '\n';
}

export function render(rows: readonly Record<string, unknown>[], format: OutputFormat): string {
  if (format === 'json') return JSON.stringify(rows, null, 2) + '\n';
  if (format === 'csv') return toCsv(rows);
  return toTable(rows);
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
