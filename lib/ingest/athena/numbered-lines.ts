/**
 * The staging copy of an NDJSON file for Athena, which has no record number for a text file: each line of the
 * decoded content written as `<n>\x01<line>\n`, n its 1-based line number, so the file's table (raw-table.ts
 * createLinesTableSql) reads the number as a column and `raw_records` numbers the records as the local runner does
 * (lib/ingest/sql/ndjson-records.ts: every line counts, blank ones too, which the query then leaves out). A line's
 * CR before its LF and a byte-order mark before the first line are dropped, as DuckDB's reader drops them. Buffer
 * work only (indexOf over line breaks): one pass, memory bounded by the longest line.
 */
import { Transform, type TransformCallback } from 'node:stream';

const NEWLINE = 0x0a;
const CR = 0x0d;
const SEPARATOR = Buffer.from([0x01]);
const END = Buffer.from([NEWLINE]);
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export class NumberedLines extends Transform {
  #line = 0;
  #rest: Buffer[] = [];

  /** lines numbered so far */
  get lines(): number {
    return this.#line;
  }

  /** appends the numbered line made of `parts` to `out` */
  #emit(parts: Buffer[], out: Buffer[]): void {
    let line = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
    if (this.#line === 0 && line.subarray(0, 3).equals(BOM)) line = line.subarray(3);
    this.#line++;
    out.push(Buffer.from(String(this.#line)), SEPARATOR, line, END);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const out: Buffer[] = [];
    let at = 0;
    for (let nl = chunk.indexOf(NEWLINE, at); nl >= 0; nl = chunk.indexOf(NEWLINE, at)) {
      this.#rest.push(chunk.subarray(at, nl));
      this.#emit(this.#rest, out);
      this.#rest = [];
      at = nl + 1;
    }
    if (at < chunk.length) this.#rest.push(chunk.subarray(at));
    // one push per chunk: a push per line cost more than the numbering
    if (out.length > 0) this.push(Buffer.concat(out));
    done();
  }

  override _flush(done: TransformCallback): void {
    const out: Buffer[] = [];
    if (this.#rest.some((b) => b.length > 0)) this.#emit(this.#rest, out);
    if (out.length > 0) this.push(Buffer.concat(out));
    done();
  }
}
