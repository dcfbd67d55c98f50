/**
 * The seed tables: one Glue CSV table per file in queries/seeds/, read from the folder at synth time so a seed added
 * there is declared without touching infra/. Column names come from the header; a column whose every value is an
 * integer of at most 9 digits (so it fits Athena's 32-bit int) is declared `int`, any other column `string` (the SQL
 * casts where it needs another type).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Papa from 'papaparse';

export interface SeedTable {
  readonly name: string;
  readonly file: string;
  readonly columns: readonly { readonly name: string; readonly type: 'int' | 'string' }[];
}

const INTEGER = /^-?\d{1,9}$/;
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

export function inferSeedTable(file: string, text: string): SeedTable {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { delimiter: ',', skipEmptyLines: true });
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0]!;
    throw new Error(`${file}: record ${(e.row ?? 0) + 1}: ${e.message}`);
  }
  const [header, ...rows] = parsed.data;
  if (header === undefined) throw new Error(`${file}: no header line`);
  header.forEach((name, i) => {
    if (!IDENTIFIER.test(name)) throw new Error(`${file}: header field ${i + 1} ("${name}") is not a lower-case SQL identifier`);
  });
  rows.forEach((row, r) => {
    if (row.length !== header.length) throw new Error(`${file}: record ${r + 2} has ${row.length} fields, the header ${header.length}`);
  });
  const columns = header.map((name, i) => ({
    name,
    type: rows.length > 0 && rows.every((row) => INTEGER.test(row[i]!)) ? ('int' as const) : ('string' as const),
  }));
  return { name: basename(file, '.csv'), file, columns };
}

/** every `*.csv` of the folder, in name order */
export function seedTables(folder: string): SeedTable[] {
  return readdirSync(folder)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => inferSeedTable(join(folder, f), readFileSync(join(folder, f), 'utf8')));
}
