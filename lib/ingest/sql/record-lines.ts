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
import { open } from 'node:fs/promises';
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

/**
 * A plain file's bytes in chunks of one buffer, read again and again: a new 1 MiB Buffer a chunk grew the RSS by
 * about 150 MiB over a 2 GB file (they wait for the garbage collector outside V8's capped heap) while DuckDB wrote
 * the parts beside this scan. A chunk is only valid until the next one is read.
 */
async function* reusedChunks(path: string): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  try {
    for (let read = await handle.read(buffer, 0, CHUNK_BYTES, null); read.bytesRead > 0; read = await handle.read(buffer, 0, CHUNK_BYTES, null)) {
      yield buffer.subarray(0, read.bytesRead);
    }
  } finally {
    await handle.close();
  }
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
  const chunks: AsyncIterable<Buffer> =
    !file.gzip && file.encoding === 'utf8' ? reusedChunks(file.path) : openDecoded(source, file.gzip, () => {}, file.encoding);
  // leaving the loop (a return, a throw) closes the file, through the iterator's return()
  for await (const chunk of chunks) {
    let at = 0;
    // the chunk's next quote, searched once past each: a file without quotes is not searched to the chunk's end per line
    let quote = chunk.indexOf(QUOTE);
    while (at < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, at);
      const end = nl < 0 ? chunk.length : nl;
      if (quote >= 0 && quote < at) quote = chunk.indexOf(QUOTE, at);
      if (spanning === 0) for (; quote >= 0 && quote < end; quote = chunk.indexOf(QUOTE, quote + 1)) quoted = !quoted;
      if (!filled) for (let i = at; i < end && !filled; i++) filled = chunk[i] !== CR;
      // copied: the chunk's buffer is read into again
      capture?.push(Buffer.from(chunk.subarray(at, nl < 0 ? chunk.length : nl + 1)));
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
  return { blanks, raws };
}
