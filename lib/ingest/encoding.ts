/**
 * Text encodings of input files. Every reader decodes UTF-8, and Node's decoders turn invalid bytes into U+FFFD
 * without a word: two Latin-1 names (`Müller` and `Mäller`, `M\xfcller` and `M\xe4ller`) became the same person id.
 * So a file is checked as it streams, and its first invalid byte stops it with an error naming the line; a sender's
 * Latin-1 (ISO 8859-1) files are read with `--encoding latin1`, which converts each byte to its character.
 */
import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';

export const ENCODINGS = ['utf8', 'latin1'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export class EncodingError extends Error {
  constructor(
    readonly line: number,
    readonly byteOffset: number,
    readonly byte: number,
  ) {
    super(
      `not valid UTF-8: byte 0x${byte.toString(16).padStart(2, '0')} on line ${line} (byte offset ${byteOffset}); ` +
        'a Latin-1 file is read with --encoding latin1',
    );
    this.name = 'EncodingError';
  }
}

/** length of the UTF-8 sequence a lead byte starts, 0 for a byte that cannot start one */
function sequenceLength(b: number): number {
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

/** the number of bytes at the end of `buf` that start a sequence it does not finish (0 to 3) */
function incompleteTail(buf: Buffer): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const b = buf[buf.length - back]!;
    if ((b & 0xc0) !== 0x80) return sequenceLength(b) > back ? back : 0;
  }
  return 0;
}

/** the offset of the first byte of `buf` that is not part of a valid UTF-8 sequence (called only once isUtf8 said no) */
function firstInvalid(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const n = sequenceLength(buf[i]!);
    if (n === 0 || i + n > buf.length) return i;
    if (!isUtf8(buf.subarray(i, i + n))) return i;
    i += n;
  }
  return buf.length;
}

function countNewlines(buf: Buffer, end = buf.length): number {
  let n = 0;
  for (let i = buf.indexOf(10); i >= 0 && i < end; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

/** passes UTF-8 through unchanged, failing at the first invalid byte */
class Utf8Check extends Transform {
  #carry: Buffer = Buffer.alloc(0);
  #offset = 0;
  #lines = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const buf = this.#carry.length > 0 ? Buffer.concat([this.#carry, chunk]) : chunk;
    const keep = incompleteTail(buf);
    const whole = buf.subarray(0, buf.length - keep);
    if (!isUtf8(whole)) return done(this.#fail(whole));
    this.#carry = Buffer.from(buf.subarray(buf.length - keep));
    this.#offset += whole.length;
    this.#lines += countNewlines(whole);
    done(null, whole);
  }

  override _flush(done: TransformCallback): void {
    if (this.#carry.length > 0) return done(this.#fail(this.#carry));
    done();
  }

  #fail(buf: Buffer): EncodingError {
    const at = firstInvalid(buf);
    return new EncodingError(this.#lines + countNewlines(buf, at) + 1, this.#offset + at, buf[at] ?? 0);
  }
}

/** each Latin-1 byte as the UTF-8 of its character (a single-byte encoding: chunks can be cut anywhere) */
class Latin1ToUtf8 extends Transform {
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    done(null, Buffer.from(chunk.toString('latin1'), 'utf8'));
  }
}

/** the stream that turns a file's bytes in `encoding` into checked UTF-8 */
export function toUtf8(encoding: Encoding): Transform {
  return encoding === 'latin1' ? new Latin1ToUtf8() : new Utf8Check();
}
