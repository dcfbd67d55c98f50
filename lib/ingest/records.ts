/**
 * Streaming record sources: CSV records through csv-parse's streaming parser, NDJSON lines through readline. Both
 * hold one chunk of the file at a time. A record with more or fewer fields than the header is passed through (the
 * driver quarantines it) rather than failing the whole file; a broken quote still fails the file, since nothing
 * after it can be trusted to line up.
 */
import { parse } from 'csv-parse';
import { createInterface } from 'node:readline';
import { pipeline, type Readable } from 'node:stream';

export function csvRecords(stream: Readable): AsyncIterable<string[]> {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true });
  // pipeline, not pipe: a read error of the source must reach the parser's consumer instead of stalling it
  return pipeline(stream, parser, () => {});
}

/** [line number, text] of each non-blank line */
export async function* ndjsonLines(stream: Readable): AsyncIterable<readonly [number, string]> {
  let n = 0;
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    n++;
    if (line.trim() !== '') yield [n, line];
  }
}
