/**
 * Streaming record sources, yielding records in batches so the driver maps a batch synchronously instead of paying
 * a promise per record (that alone cost as much as parsing). CSV goes through papaparse, about five times faster
 * than csv-parse on Tuva's 148-column claim lines (measured here: 0.5 s against 2.5 s for 167,000 lines). While a
 * batch is handed over, the parser AND the stream under it are paused: papaparse's pause() stops parsing but leaves
 * the stream flowing into its queue, so a consumer that awaits (a Parquet put, a quarantine append) would otherwise
 * let the whole file pile up in the heap. Memory thus holds a batch and a chunk or two of the file whatever its size.
 * A record with more or fewer fields than the header, or with a malformed quote the parser recovered from, is passed
 * through (the driver quarantines it); an unterminated quote fails the file, since nothing after it can be trusted to
 * line up.
 */
import Papa from 'papaparse';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { stripBom } from './head.js';

export const BATCH_RECORDS = 5_000;

const MALFORMED = Symbol('malformed quotes');
type MaybeMalformed = string[] & { [MALFORMED]?: string };

function markMalformed(fields: string[], why: string): void {
  (fields as MaybeMalformed)[MALFORMED] = why;
}

/**
 * Why a CSV record's quotes are malformed (`"abc"x,`: text after a closing quote), when they are. The parser reads
 * on from the next separator, so the record is quarantined and the file goes on; an unterminated quote, after which
 * nothing lines up, still fails the file.
 */
export function malformedQuotes(fields: readonly string[]): string | undefined {
  return (fields as MaybeMalformed)[MALFORMED];
}

/** records of a CSV file, header included, in batches of up to BATCH_RECORDS */
export async function* csvRecordBatches(stream: Readable): AsyncGenerator<string[][]> {
  const ready: string[][][] = [];
  let batch: string[][] = [];
  let parser: Papa.Parser | undefined;
  let paused = false;
  let done = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const fail = (e: Error) => {
    failure ??= e;
    wake?.();
  };
  stream.on('error', fail);
  let row = 0;
  Papa.parse<string[]>(stream as unknown as File, {
    delimiter: ',',
    skipEmptyLines: true,
    step(result, p) {
      parser = p;
      row++;
      const quotes = result.errors.filter((e) => e.type === 'Quotes');
      const unterminated = quotes.find((e) => e.code === 'MissingQuotes');
      if (unterminated) {
        p.abort();
        fail(new Error(`CSV record ${row - 1} (line ${row} counting the header): ${unterminated.message.toLowerCase()}`));
        return;
      }
      // a malformed quote the parser recovered from at the next separator: that record alone is bad
      if (quotes.length > 0) markMalformed(result.data, quotes[0]!.message.toLowerCase());
      // papaparse strips a byte-order mark from a string but not from a stream's first chunk
      if (row === 1 && result.data[0] !== undefined) result.data[0] = stripBom(result.data[0]);
      batch.push(result.data);
      if (batch.length >= BATCH_RECORDS) {
        ready.push(batch);
        batch = [];
        if (!paused) {
          paused = true;
          p.pause();
          stream.pause();
        }
        wake?.();
      }
    },
    complete() {
      if (batch.length > 0) ready.push(batch);
      batch = [];
      done = true;
      wake?.();
    },
    error: fail,
  });
  try {
    for (;;) {
      if (failure) throw failure;
      const next = ready.shift();
      if (next) {
        yield next;
        continue;
      }
      if (done) return;
      if (paused) {
        paused = false;
        // the stream first: parser.resume() parses the rest of its chunk at once and may pause both again
        stream.resume();
        parser!.resume();
        continue;
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    // an early exit (the driver threw, or stopped reading) must not leave the file open or the parser holding a chunk
    if (!done) parser?.abort();
    stream.destroy();
  }
}

/**
 * [line number, text] of each non-blank line, a batch per chunk of the file (readline's promise per line cost more
 * than the JSON parsing). A line split across two chunks is carried over; a final line without a newline counts; a
 * byte-order mark before the first line is dropped.
 */
export async function* ndjsonLineBatches(stream: Readable): AsyncGenerator<(readonly [number, string])[]> {
  const decoder = new StringDecoder('utf8');
  let n = 0;
  let carry = '';
  const batchOf = (lines: string[]): (readonly [number, string])[] => {
    const batch: (readonly [number, string])[] = [];
    for (const raw of lines) {
      n++;
      const unended = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      // a byte-order mark (Windows tools write one) is not part of the first line's JSON
      const line = n === 1 ? stripBom(unended) : unended;
      if (line.trim() !== '') batch.push([n, line]);
    }
    return batch;
  };
  for await (const chunk of stream) {
    const lines = (carry + decoder.write(chunk as Buffer)).split('\n');
    carry = lines.pop()!;
    const batch = batchOf(lines);
    if (batch.length > 0) yield batch;
  }
  const last = batchOf([carry + decoder.end()]);
  if (last.length > 0) yield last;
}
