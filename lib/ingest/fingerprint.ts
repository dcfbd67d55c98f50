/**
 * The first pass over a file: its sha256 (which names everything ingest writes for it, so the same bytes are never
 * ingested twice) and its first bytes (for format detection), in one streaming read of bounded memory.
 */
import { createHash } from 'node:crypto';
import type { IngestSource } from './types.js';

const HEAD_BYTES = 64 * 1024;

export interface Fingerprint {
  readonly sha256: string;
  /** first 16 hex digits of the sha256: the file's name in curated/, quarantine/ and manifests/ */
  readonly sha16: string;
  readonly bytes: number;
  /** the first bytes decoded as UTF-8 (a character cut at the end does not matter for detection) */
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
  return { sha256, sha16: sha256.slice(0, 16), bytes, head: Buffer.concat(head).toString('utf8') };
}
