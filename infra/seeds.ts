/**
 * The seed tables: one Glue CSV table per file in queries/seeds/, read from the folder at synth time so a seed added
 * there is declared without touching infra/. Column names come from the header, and every column is declared
 * `string`: DuckDB loads the seeds the same way (all_varchar, lib/sql/duckdb.ts), so the SQL of queries/ casts every
 * seed number it uses and reads the same types on both engines.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Papa from 'papaparse';

export interface SeedTable {
  readonly name: string;
  readonly file: string;
  readonly columns: readonly { readonly name: string; readonly type: 'string' }[];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** the table of one seed CSV; a header field that is no SQL identifier, or a record of another width, is refused */
export function seedTable(file: string, text: string): SeedTable {
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
  return { name: basename(file, '.csv'), file, columns: header.map((name) => ({ name, type: 'string' as const })) };
}

/** every `*.csv` of the folder, in name order */
export function seedTables(folder: string): SeedTable[] {
  return readdirSync(folder)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => seedTable(join(folder, f), readFileSync(join(folder, f), 'utf8')));
}
