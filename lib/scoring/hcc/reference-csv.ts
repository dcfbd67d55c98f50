/**
 * Reference tables ship as CSV beside the code (lib/scoring/<engine>/data/) and are read at run time through
 * assetPath, so the same files serve the CLI, the tests and a Lambda bundle. They are read synchronously, once per
 * process, by the engines' table caches: scoring is a pure synchronous function and the tables are small (< 1 MB).
 */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { assetPath } from '../../assets.js';

export type CsvRow = Readonly<Record<string, string>>;

export interface ReferenceTable {
  readonly file: string;
  readonly rows: readonly CsvRow[];
}

export function readReferenceCsv(relative: string): ReferenceTable {
  const file = assetPath(relative);
  const parsed = Papa.parse<CsvRow>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true });
  const [error] = parsed.errors;
  if (error) throw new Error(`${file}: record ${(error.row ?? 0) + 1}: ${error.message}`);
  return { file, rows: parsed.data };
}

/** a numeric field of record `index` (1-based, the header not counted), or an error naming file, record and field */
export function numberField(table: ReferenceTable, index: number, field: string): number {
  const raw = table.rows[index - 1]?.[field];
  const value = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${table.file}: record ${index}: ${field} ${JSON.stringify(raw)} is not a number`);
  return value;
}
