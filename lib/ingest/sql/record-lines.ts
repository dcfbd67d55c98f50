/**
 * One pass over the file's lines, by Buffer.indexOf over line breaks and quotes (tens of milliseconds for 400,000
 * lines), for what DuckDB does not say: which of its line numbers are blank lines (DuckDB numbers a blank line, and
 * a record over several lines as one, where papaparse, whose record numbers these are, skips blank lines), and the
 * text of the records the format's rules rejected, numbered as taken by the parser (raw-records.ts), so that
 * DuckDB never builds a raw record for the records it accepts. A record the parser rejected spans the lines its
 * rejects-table copy spans, whatever its quotes say.
 */
import Papa from 'papaparse';
import { csvQuoted } from '../../csv.js';
import { createReadStream } from 'node:fs';
import { openDecoded } from '../decode.js';
import type { IngestSource } from '../types.js';
import type { CsvFile } from './raw-records.js';

const NEWLINE = 0x0a;
const QUOTE = 0x22;
const CR = 0x0d;
const CHUNK_BYTES = 1 << 20;

export interface LineScan {
  /** DuckDB's line numbers of the blank lines (the header is line 1) */
  readonly blanks: number[];
  /** taken record number → the record as quarantine keeps it (its fields re-quoted) */
  readonly raws: Map<number, string>;
}

/** the record's fields re-quoted as csv.ts quotes them, as the TypeScript reader kept it */
export function requoted(text: string): string {
  return Papa.parse<string[]>(text, { delimiter: ',' }).data.flat().map(csvQuoted).join(',');
}

/**
 * `parserRejected`: DuckDB line → how many physical lines it spans; `wanted`: taken numbers whose text to keep.
 * Stops after line `last` when no text is wanted beyond it.
 */
export async function scanLines(
  source: IngestSource,
  file: CsvFile,
  parserRejected: ReadonlyMap<number, number>,
  wanted: ReadonlySet<number>,
  last: number,
): Promise<LineScan> {
  const blanks: number[] = [];
  const raws = new Map<number, string>();
  const maxWanted = Math.max(0, ...wanted);
  let line = 1;
  let taken = 0;
  let quoted = false;
  let filled = false;
  /** physical lines still to consume for a record the parser rejected (0: follow the quotes) */
  let spanning = parserRejected.get(1) ?? 0;
  let capture: Buffer[] | undefined;
  // DuckDB has read the file as UTF-8 by now (a byte that is not fails the file first): a plain one is read as it is, in large chunks
  const stream =
    !file.gzip && file.encoding === 'utf8' ? createReadStream(file.path, { highWaterMark: CHUNK_BYTES }) : openDecoded(source, file.gzip, () => {}, file.encoding);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let at = 0;
      // the chunk's next quote, searched once past each: a file without quotes is not searched to the chunk's end per line
      let quote = chunk.indexOf(QUOTE);
      while (at < chunk.length) {
        const nl = chunk.indexOf(NEWLINE, at);
        const end = nl < 0 ? chunk.length : nl;
        if (quote >= 0 && quote < at) quote = chunk.indexOf(QUOTE, at);
        if (spanning === 0) for (; quote >= 0 && quote < end; quote = chunk.indexOf(QUOTE, quote + 1)) quoted = !quoted;
        if (!filled) for (let i = at; i < end && !filled; i++) filled = chunk[i] !== CR;
        capture?.push(chunk.subarray(at, nl < 0 ? chunk.length : nl + 1));
        if (nl < 0) break;
        at = nl + 1;
        if (spanning > 1) {
          spanning--;
          continue;
        }
        if (spanning === 0 && quoted) continue;
        // the line ends here
        const rejectedByParser = spanning === 1;
        if (!filled && !rejectedByParser) blanks.push(line);
        else if (line > 1 && !rejectedByParser) {
          taken++;
          if (capture) raws.set(taken, requoted(Buffer.concat(capture).toString('utf8').replace(/\r?\n$/, '')));
        }
        capture = undefined;
        line++;
        if (line > last && taken >= maxWanted) return { blanks, raws };
        spanning = parserRejected.get(line) ?? 0;
        quoted = false;
        filled = false;
        if (spanning === 0 && wanted.has(taken + 1)) capture = [];
      }
    }
    if (capture && filled) raws.set(taken + 1, requoted(Buffer.concat(capture).toString('utf8').replace(/\r?\n$/, '')));
  } finally {
    stream.destroy();
  }
  return { blanks, raws };
}
