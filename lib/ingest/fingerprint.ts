/**
 * The first pass over a file: its sha256 (which names everything ingest writes for it, so the same bytes are never
 * ingested twice) and its first bytes (for format detection), in one streaming read of bounded memory. A gzip file
 * is hashed as delivered and detected on its decompressed start.
 */
import { createHash } from 'node:crypto';
import { gunzipHead, isGzip } from './decode.js';
import type { IngestSource } from './types.js';

const HEAD_BYTES = 64 * 1024;

export interface Fingerprint {
  readonly sha256: string;
  /** first 16 hex digits of the sha256: the file's name in curated/, quarantine/ and manifests/ */
  readonly sha16: string;
  readonly bytes: number;
  /** the bytes are gzip-compressed (magic number 1f 8b) */
  readonly gzip: boolean;
  /** the first bytes (decompressed, for a gzip file) decoded as UTF-8 (a character cut at the end does not matter for detection) */
  readonly head: string;
}

export async function fingerprint(source: IngestSource): Promise<Fingerprint> {
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let headBytes = 0;
  let bytes = 0;
  for await (const chunk of source.open()) {
    const b = chunk as Buffer;
    hash.update(b);
    bytes += b.length;
    if (headBytes < HEAD_BYTES) {
      head.push(b.subarray(0, HEAD_BYTES - headBytes));
      headBytes += Math.min(b.length, HEAD_BYTES - headBytes);
    }
  }
  const sha256 = hash.digest('hex');
  const start = Buffer.concat(head);
  const gzip = isGzip(start);
  return { sha256, sha16: sha256.slice(0, 16), bytes, gzip, head: (gzip ? decompressedHead(source, start) : start).toString('utf8') };
}

function decompressedHead(source: IngestSource, compressed: Buffer): Buffer {
  try {
    return gunzipHead(compressed, HEAD_BYTES);
  } catch (e) {
    throw new Error(`${source.name} starts like gzip but does not decompress: ${(e as Error).message}`, { cause: e });
  }
}
