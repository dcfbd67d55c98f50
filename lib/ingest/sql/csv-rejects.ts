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
import type { Encoding } from '../encoding.js';
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

type RejectRow = {
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
  const raw = fields.map(csvQuoted).join(',');
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

const NEWLINE = 0x0a;
const QUOTE = 0x22;
const CR = 0x0d;

/**
 * The line numbers DuckDB gives the blank lines of the file, up to line `last`: DuckDB counts a blank line as a
 * line (papaparse, whose record numbers these are, skips it) and a record over several lines as one. Read only when
 * the parser rejected some record, which is rare; one pass over line breaks and quotes, with Buffer.indexOf.
 */
async function blankLines(source: IngestSource, gzip: boolean, encoding: Encoding, last: number): Promise<number[]> {
  const blanks: number[] = [];
  let line = 1;
  let quoted = false;
  /** bytes of the current line so far that are not \r */
  let filled = false;
  const stream = openDecoded(source, gzip, () => {}, encoding);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let at = 0;
      while (at < chunk.length) {
        const nl = chunk.indexOf(NEWLINE, at);
        const end = nl < 0 ? chunk.length : nl;
        for (let q = chunk.indexOf(QUOTE, at); q >= 0 && q < end; q = chunk.indexOf(QUOTE, q + 1)) quoted = !quoted;
        if (!filled) for (let i = at; i < end && !filled; i++) filled = chunk[i] !== CR;
        if (nl < 0) break;
        at = nl + 1;
        if (quoted) continue;
        if (!filled) blanks.push(line);
        if (++line > last) return blanks;
        filled = false;
      }
    }
  } finally {
    stream.destroy();
  }
  return blanks;
}

/**
 * The parser's rejects of the scan that made `raw_records`, by record number, in file order (DuckDB's `line` counts
 * the header as line 1, a blank line as one, and a record over several lines as one).
 */
export async function csvRejects(db: IngestDb, width: number, source: IngestSource, gzip: boolean, encoding: Encoding): Promise<Rejected[]> {
  const rows = await db.query<RejectRow>(`SELECT line, first(error_type) AS error_type, first(csv_line) AS csv_line FROM ${REJECTS_TABLE} GROUP BY line ORDER BY line`);
  if (rows.length === 0) return [];
  if (rows.some((r) => r.error_type === 'INVALID ENCODING')) throw await encodingError(source, gzip);
  const blanks = await blankLines(source, gzip, encoding, rows.at(-1)!.line);
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
  await db.run(`CREATE OR REPLACE TEMP TABLE ingest_shift AS SELECT taken, max(k) AS k FROM (VALUES ${before}) AS s(taken, k) GROUP BY taken`);
  await db.run(
    `UPDATE ${table} SET source_record = ${table}.source_record + s.k FROM ` +
      `(SELECT DISTINCT r.source_record AS i, (SELECT max(k) FROM ingest_shift WHERE taken < r.source_record) AS k FROM ${table} r) s ` +
      `WHERE s.i = ${table}.source_record AND s.k IS NOT NULL`,
  );
}
