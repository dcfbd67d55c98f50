/**
 * Binds a CSV file's header to a format's canonical columns, through CsvHeader's rules (by name, any case and order;
 * `patient_id` for `person_id`; a column named twice is read from its first copy when every copy agrees). DuckDB
 * reads the file's columns by position under names of its own (`c1`…`cN`); `raw_records` renames those a format
 * reads, so its SQL never sees how the sender spelled or ordered the header.
 */
import Papa from 'papaparse';
import { CsvHeader, type Column, type DuplicateColumn } from '../csv-header.js';
import { stripBom } from '../head.js';
import type { SqlFormat } from './format.js';

export interface BoundColumn {
  /** the canonical name `raw_records` gives it */
  readonly name: string;
  /** the name quarantine blames: the header's (`patient_id` in the older layout), or the canonical one when absent */
  readonly field: string;
  /** 1-based position in the record; 0 when the file has no such column */
  readonly position: number;
}

export interface BoundHeader {
  /** fields a record must have: the header's */
  readonly width: number;
  readonly columns: readonly BoundColumn[];
  /** columns read that the header has more than once, with the canonical name */
  readonly duplicates: readonly (DuplicateColumn & { readonly column: string })[];
  /** the file's notes, as today's reader makes them: absent columns first, then columns named twice */
  readonly notes: readonly string[];
}

/** the header's names: the first CSV record of the file's head (quoted names allowed) */
export function headerNames(head: string): string[] {
  const parsed = Papa.parse<string[]>(stripBom(head), { delimiter: ',', preview: 1 });
  return parsed.data[0] ?? [];
}

/** throws MissingColumnError naming the first required column the header lacks */
export function bindHeader(names: readonly string[], format: SqlFormat): BoundHeader {
  const header = new CsvHeader(names);
  const found: [SqlFormatColumn, Column][] = format.columns.map((c) => {
    const all = [c.name, ...(c.aliases ?? [])];
    return [c, c.required ? header.required(...all) : header.optional(...all)];
  });
  const notes = found.flatMap(([c, col]) => (c.absent === undefined ? [] : CsvHeader.absent([col], c.absent)));
  const canonical = new Map(found.map(([c, col]) => [col.name, c.name]));
  const duplicates = header.duplicatesRead().map((d) => ({ ...d, column: canonical.get(d.name) ?? d.name }));
  for (const d of duplicates) {
    notes.push(`column ${d.name} appears ${d.positions.length} times (columns ${d.positions.join(' and ')}): a record whose copies differ is quarantined`);
  }
  return {
    width: header.width,
    columns: found.map(([c, col]) => ({ name: c.name, field: col.name, position: col.index + 1 })),
    duplicates,
    notes,
  };
}

type SqlFormatColumn = SqlFormat['columns'][number];
