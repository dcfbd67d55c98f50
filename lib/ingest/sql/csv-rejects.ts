/**
 * The records DuckDB's CSV reader rejected (its rejects table, `store_rejects`), as today's reader quarantined them:
 * each rejected line is parsed again with papaparse, today's parser, so its reason (`malformed quotes: …`, `wrong
 * number of fields`), its value (`4 of 3`) and its raw form (the fields re-quoted) are the ones the TypeScript path
 * wrote. One change: text after a closing quote with no later quote on its line (`"P2"x,`) is that record's
 * `malformed quotes`, where papaparse read on to the next quote of the file, taking the records in between as one
 * field (or failing the file when there was none). A quote left open to the end of the file still fails the file,
 * and so does a byte that is not UTF-8: the file is then read again through encoding.ts's check for today's error,
 * which names byte and line.
 */
import Papa from 'papaparse';
import { csvQuoted } from '../../csv.js';
import { openDecoded } from '../decode.js';
import type { IngestSource } from '../types.js';
import { REJECTS_TABLE } from './raw-records.js';
import type { IngestDb } from './db.js';

export interface Rejected {
  readonly record: number;
  readonly field: string;
  readonly reason: string;
  readonly value: unknown;
  readonly raw: string;
}

export type RejectRow = {
  readonly line: number;
  readonly error_type: string;
  readonly csv_line: string;
};

/** today's quarantine line of a record the CSV parser could not take, from its text */
function asToday(record: number, line: string, width: number): Rejected {
  // DuckDB's copy of the line may keep the line break before it (after \r) and after it
  const text = line.replace(/^[\r\n]+|[\r\n]+$/g, '');
  const parsed = Papa.parse<string[]>(text, { delimiter: ',' });
  const errors = parsed.errors.filter((e) => e.type === 'Quotes');
  const unterminated = errors.find((e) => e.code === 'MissingQuotes');
  // a quote left open to the end of the file (the reader took every line after it as one value), not one closed too early
  const closedEarly = errors.some((e) => e.code === 'InvalidQuotes');
  if (unterminated && (!closedEarly || /[\r\n]/.test(text))) throw new Error(`CSV record ${record} (line ${record + 1} counting the header): ${unterminated.message.toLowerCase()}`);
  const fields = parsed.data.flat();
  // papaparse took the rest of the line as one field: the line as it arrived is the record to fix
  const raw = unterminated ? text : fields.map(csvQuoted).join(',');
  if (errors.length > 0) return { record, field: '', reason: `malformed quotes: ${errors[0]!.message.toLowerCase()}`, value: null, raw };
  if (fields.length !== width) return { record, field: '', reason: 'wrong number of fields', value: `${fields.length} of ${width}`, raw };
  // DuckDB's strict reader refused what papaparse reads: still a quote problem
  return { record, field: '', reason: 'malformed quotes: the reader could not split the record', value: null, raw };
}

/** reads the file again through today's UTF-8 check, which fails at the first invalid byte naming it and its line */
async function encodingError(source: IngestSource, gzip: boolean): Promise<Error> {
  try {
    for await (const chunk of openDecoded(source, gzip, () => {})) void chunk;
  } catch (e) {
    return e as Error;
  }
  return new Error('not valid UTF-8; a Latin-1 file is read with --encoding latin1');
}

/** the rows of DuckDB's rejects table, a line each; a byte that is not UTF-8 fails the file with today's error */
export async function parserRejectRows(db: IngestDb, source: IngestSource, gzip: boolean): Promise<RejectRow[]> {
  const rows = await db.query<RejectRow>(`SELECT line, first(error_type) AS error_type, first(csv_line) AS csv_line FROM ${REJECTS_TABLE} GROUP BY line ORDER BY line`);
  if (rows.some((r) => r.error_type === 'INVALID ENCODING')) throw await encodingError(source, gzip);
  return rows;
}

/** DuckDB line → the physical lines its rejects-table copy spans */
export function rejectedSpans(rows: readonly RejectRow[]): Map<number, number> {
  return new Map(rows.map((r) => [r.line, r.csv_line.replace(/^[\r\n]+|[\r\n]+$/g, '').split('\n').length]));
}

/**
 * The parser's rejects by record number, in file order (DuckDB's `line` counts the header as line 1, a blank line as
 * one, and a record over several lines as one; `blanks` are its blank lines, record-lines.ts).
 */
export function parserRejects(rows: readonly RejectRow[], blanks: readonly number[], width: number): Rejected[] {
  let skipped = 0;
  return rows.map((r) => {
    while (skipped < blanks.length && blanks[skipped]! < r.line) skipped++;
    return asToday(r.line - 1 - skipped, r.csv_line, width);
  });
}

/** the taken records before the j-th rejected one (1-based j): a taken record i comes after it when that is < i */
const takenBefore = (rejected: readonly Rejected[]) => rejected.map((r, j) => r.record - (j + 1));

/** the record number of the i-th record the parser took: the i-th number not among the rejected ones */
export function recordOf(rejected: readonly Rejected[], taken: number): number {
  let k = 0;
  for (const t of takenBefore(rejected)) if (t < taken) k++;
  return taken + k;
}

/** recordOf on the `source_record` of every row of `table`, in SQL */
export async function renumber(db: IngestDb, table: string, rejected: readonly Rejected[]): Promise<void> {
  if (rejected.length === 0) return;
  const before = takenBefore(rejected).map((t, j) => `(${t}, ${j + 1})`).join(', ');
  await db.run(`CREATE OR REPLACE TABLE ingest_shift AS SELECT taken, max(k) AS k FROM (VALUES ${before}) AS s(taken, k) GROUP BY taken`);
  await db.run(
    `UPDATE ${table} SET source_record = ${table}.source_record + s.k FROM ` +
      `(SELECT DISTINCT r.source_record AS i, (SELECT max(k) FROM ingest_shift WHERE taken < r.source_record) AS k FROM ${table} r) s ` +
      `WHERE s.i = ${table}.source_record AND s.k IS NOT NULL`,
  );
}
