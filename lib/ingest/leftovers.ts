/**
 * What an ingest that died (kill -9, a Lambda timeout, a crash of the machine) left behind: parts under curated/ and
 * a quarantine log of a content hash that has no manifest, found by its parts or by the dead ingest's marker (a
 * file whose every record was rejected writes no part), and the staging folder of an Athena ingest (staging/<sha16>/,
 * lib/ingest/athena/stage.ts), also when its manifest was written and the ingest died before removing it, with the
 * per-file Glue tables its folder stands for (`dropTables`, on AWS: the ingest drops them before it removes the
 * folder, so a folder left names any table left; without it they stayed until the same content came again). Nobody reads them (readers take only committed parts,
 * lib/tables/deliveries.ts), and the next ingest removes them. It first takes the claim on that content itself
 * (in-progress.ts), so it never removes the parts of an ingest that is alive, nor of one that takes the file over
 * while it cleans: that one finds the claim held, and is retried.
 */
import type { ObjectStore } from '../store/port.js';
import { CURATED_TABLES } from '../tables/index.js';
import { isLive, readClaim } from '../lease.js';
import { STAGING_PREFIX, removeStaging } from './athena/stage.js';
import { IN_PROGRESS_PREFIX, markerKey, whileClaimed, type InProgress, type LivenessPolicy } from './in-progress.js';
import { committedDeliveries, manifestKey, partDelivery } from './manifests.js';
import { quarantineKey } from './quarantine.js';

/** drops the per-file tables of an Athena ingest of the content `sha16` (lib/ingest/athena/commit.ts dropFileTables) */
export type DropTables = (sha16: string) => Promise<void>;

/** removes the leftovers of dead ingests; returns the content hashes (sha16) cleaned */
export async function removeLeftovers(store: ObjectStore, policy: LivenessPolicy = {}, dropTables?: DropTables): Promise<string[]> {
  const parts = new Map<string, string[]>();
  for (const table of CURATED_TABLES) {
    for (const { key } of await store.list(table.prefix)) {
      const sha16 = partDelivery(key);
      if (sha16 !== undefined) parts.set(sha16, [...(parts.get(sha16) ?? []), key]);
    }
  }
  // a dead ingest's marker names its content hash even when it wrote no part; the claim below tells dead from live
  for (const { key } of await store.list(IN_PROGRESS_PREFIX)) {
    const sha16 = /([0-9a-f]{16})\.json$/.exec(key)?.[1];
    if (sha16 !== undefined && !parts.has(sha16)) parts.set(sha16, []);
  }
  const staged = new Set<string>();
  for (const { key } of await store.list(STAGING_PREFIX)) {
    const sha16 = /^staging\/([0-9a-f]{16})\//.exec(key)?.[1];
    if (sha16 !== undefined) staged.add(sha16);
  }
  for (const sha16 of staged) if (!parts.has(sha16)) parts.set(sha16, []);
  // the tables first, as the ingest's own clean-up does: a folder still there still names them
  const unstage = async (sha16: string) => {
    await dropTables?.(sha16);
    await removeStaging(store, sha16);
  };
  // one LIST of the manifests instead of a HEAD per delivery ever made; the claim below checks again
  const committed = await committedDeliveries(store);
  const cleaned: string[] = [];
  for (const [sha16, keys] of parts) {
    // an ingest at work is left alone without even trying its claim
    const marker = await readClaim<InProgress>(store, markerKey(sha16));
    if (marker !== undefined && isLive(marker, new Date(), policy)) continue;
    if (committed.has(sha16)) {
      if (staged.has(sha16)) await unstage(sha16);
      continue;
    }
    const claimed = await whileClaimed(
      store,
      sha16,
      { file: '(leftovers of an interrupted ingest)', format: 'cleanup', makes_members: false },
      async () => {
        if (await store.exists(manifestKey(sha16))) return false;
        for (const key of [...keys, quarantineKey(sha16)]) await store.delete(key);
        if (staged.has(sha16)) await unstage(sha16);
        return true;
      },
      policy,
    );
    if ('done' in claimed && claimed.done) cleaned.push(sha16);
  }
  return cleaned;
}
