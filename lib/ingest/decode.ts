/**
 * Compressed input: a file is gzip when its first two bytes are the gzip magic number (1f 8b), whatever its name, and
 * is then read through zlib as a stream, so a compressed file costs no more memory than a plain one. The sha256 that
 * names a file's outputs is the hash of the decompressed content (fingerprint.ts), so the same records sent again
 * compressed are recognised as the same file.
 */
import { createGunzip, constants, gunzipSync } from 'node:zlib';
import { PassThrough, type Readable, type Transform } from 'node:stream';
import { toUtf8, type Encoding } from './encoding.js';
import type { IngestSource } from './types.js';

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * The decompressed start of a gzip file from its first compressed bytes: a sync flush lets zlib return what a
 * truncated stream holds instead of failing on its missing end. Deflate expands at most 1032:1, so the compressed
 * prefix is grown from 1 KiB until it yields `max` bytes: text needs a few KiB, and a pathological file cannot make
 * this allocate more than about a thousand times the prefix it read.
 */
export function gunzipHead(compressed: Uint8Array, max: number): Buffer {
  let out = Buffer.alloc(0);
  for (let n = 1024; ; n *= 4) {
    out = gunzipSync(compressed.subarray(0, n), { finishFlush: constants.Z_SYNC_FLUSH });
    if (out.length >= max || n >= compressed.length) return out.subarray(0, max);
  }
}

/**
 * The source's bytes, decompressed when `gzip`, as checked UTF-8 (encoding.ts: invalid UTF-8 fails the stream with an
 * error naming the line; `latin1` converts instead); `onBytes` counts the bytes read as delivered (compressed), which
 * is what progress measures against the file's size.
 */
export function openDecoded(source: IngestSource, gzip: boolean, onBytes: (n: number) => void, encoding: Encoding = 'utf8'): Readable {
  const raw = source.open();
  raw.on('data', (chunk: Buffer) => onBytes(chunk.length));
  const out = new PassThrough();
  const text = toUtf8(encoding);
  raw.on('error', (e) => out.destroy(e));
  text.on('error', (e) => out.destroy(e));
  const stages: Transform[] = [text];
  if (gzip) {
    // zlib's own errors ("unexpected end of file") do not say it was the decompression that failed
    const gunzip = createGunzip();
    gunzip.on('error', (e) => out.destroy(new Error(`not a valid gzip stream: ${e.message}`, { cause: e })));
    stages.unshift(gunzip);
  }
  out.on('close', () => {
    raw.destroy();
    for (const s of stages) s.destroy();
  });
  return stages.reduce<Readable>((from, to) => from.pipe(to), raw).pipe(out);
}
