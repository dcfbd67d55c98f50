/**
 * `manifests/<sha16>.json`: the commit of one landing file. It is written last, as one put of one line of JSON (so
 * Athena's JSON SerDe reads it as one row of the `deliveries` table), and its presence is what makes the file's
 * parts visible: readers take only the parts of committed deliveries (lib/tables/deliveries.ts).
 */
import type { ObjectInfo, ObjectStore } from '../store/port.js';
import { COMPACTED_PART_NAME, PART_NAME } from '../tables/deliveries.js';
import type { IngestManifest } from './types.js';

export const MANIFESTS_PREFIX = 'manifests/';

export function manifestKey(sha16: string): string {
  return `${MANIFESTS_PREFIX}${sha16}.json`;
}

export async function readManifest(store: ObjectStore, key: string): Promise<IngestManifest> {
  return JSON.parse(new TextDecoder().decode(await store.get(key))) as IngestManifest;
}

/** the commit: one line, one put */
export async function writeManifest(store: ObjectStore, manifest: IngestManifest): Promise<void> {
  await store.put(manifestKey(manifest.sha256.slice(0, 16)), JSON.stringify(manifest) + '\n');
}

/** the sha16 of every committed delivery, from the listing alone (no manifest read: on S3, one LIST per 1,000) */
export async function committedDeliveries(store: ObjectStore): Promise<Set<string>> {
  const out = new Set<string>();
  for (const { key } of await store.list(MANIFESTS_PREFIX)) if (key.endsWith('.json')) out.add(key.slice(MANIFESTS_PREFIX.length, -'.json'.length));
  return out;
}

/** every committed delivery, by its sha16 */
export async function committedManifests(store: ObjectStore): Promise<Map<string, IngestManifest>> {
  const out = new Map<string, IngestManifest>();
  for (const { key } of await store.list(MANIFESTS_PREFIX)) {
    if (key.endsWith('.json')) out.set(key.slice(MANIFESTS_PREFIX.length, -'.json'.length), await readManifest(store, key));
  }
  return out;
}

/** the sha16 of the delivery a curated part belongs to, from its key; undefined for any other object */
export function partDelivery(key: string): string | undefined {
  return PART_NAME.exec(key)?.[1];
}

/** the Parquet parts under `prefix` that belong to committed deliveries: theirs, and the compacted ones */
export async function committedParts(store: ObjectStore, prefix: string, committed: { has(sha16: string): boolean }): Promise<ObjectInfo[]> {
  return (await store.list(prefix)).filter((o) => {
    if (COMPACTED_PART_NAME.test(o.key)) return true;
    const sha16 = partDelivery(o.key);
    return sha16 !== undefined && committed.has(sha16);
  });
}
