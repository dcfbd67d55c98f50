/**
 * Landing files already ingested, recognised before they are hashed: a daily run over a landing folder that keeps a
 * year of deliveries would otherwise read every byte of them again to find its content hash (1.4 GB at 100,000
 * members). `known/<sha16 of the name>.json` records, for a file name, the size and stamp (a local file's
 * modification time, S3's ETag: ObjectInfo.stamp) it had when its content, `sha256`, was committed. A source whose
 * name, size and stamp match, and whose manifest exists, is answered "already ingested" unread; a file written again
 * (a new stamp or size) is hashed and ingested as before.
 *
 * An entry is written only after its file's manifest, so a crash between the two leaves a committed file without an
 * entry: the next run hashes it, finds the manifest (the content-hash dedupe) and writes the entry then. One small
 * object per file, not one index for all, so ingests running side by side (one Lambda per landing file) never
 * overwrite each other's entries.
 */
import { createHash } from 'node:crypto';
import type { ObjectStore } from '../store/port.js';
import { ObjectNotFoundError } from '../store/port.js';
import type { IngestSource } from './types.js';

export const KNOWN_PREFIX = 'known/';

interface KnownFile {
  readonly name: string;
  readonly size: number;
  readonly stamp: string;
  /** sha256 of the content committed under this name, size and stamp */
  readonly sha256: string;
}

export function knownKey(name: string): string {
  return `${KNOWN_PREFIX}${createHash('sha256').update(name).digest('hex').slice(0, 16)}.json`;
}

/** the sha256 of a source's content when its name, size and stamp are those recorded; undefined otherwise */
export async function knownContent(store: ObjectStore, source: IngestSource): Promise<string | undefined> {
  if (source.stamp === undefined || source.size === undefined) return undefined;
  let entry: KnownFile;
  try {
    entry = JSON.parse(new TextDecoder().decode(await store.get(knownKey(source.name)))) as KnownFile;
  } catch (e) {
    if (e instanceof ObjectNotFoundError) return undefined;
    throw e;
  }
  return entry.name === source.name && entry.size === source.size && entry.stamp === source.stamp ? entry.sha256 : undefined;
}

/** records that `source`, as listed, holds the content `sha256` (call only once that content's manifest is written) */
export async function rememberKnown(store: ObjectStore, source: IngestSource, sha256: string): Promise<void> {
  if (source.stamp === undefined || source.size === undefined) return;
  const entry: KnownFile = { name: source.name, size: source.size, stamp: source.stamp, sha256 };
  await store.put(knownKey(source.name), JSON.stringify(entry) + '\n');
}
