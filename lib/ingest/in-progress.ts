/**
 * Markers of the files being ingested, for ingests that run side by side (on AWS, one Lambda invocation a landing
 * file, several at once; locally, two commands on one home). Before it ingests a file, the ingest stage creates
 * `ingesting/<sha16>.json` only if absent (ObjectStore.create) and deletes it once that file's manifest is written or
 * its failure cleaned up. The marker does two things:
 *
 * - It is a claim on the content. S3 delivers its notifications at least once, and the same bytes can arrive under
 *   two keys, so two invocations can start on one content hash at the same moment; both would pass the manifest
 *   check, and one's clearing of earlier outputs could delete the other's parts as they are written, leaving a
 *   manifest that says done over missing parts. Only the invocation whose create wins ingests; the other gets
 *   `heldBy` and is retried later, when the manifest answers "already ingested".
 * - For an eligibility file (or a FHIR file holding Patients), `makes_members`: ingest checks a claim's person against
 *   the members known when its file starts (known-persons.ts), so a claims file started while such a file is still
 *   being written would quarantine the claims of its new members for good; the AWS function defers a file that makes
 *   no members while such a marker is live (membersInProgress).
 *
 * A marker whose owner is gone blocks nothing and is taken over (delete, then create again):
 * - on one machine (`sameMachine`, the local CLI), a marker is live while its owner process is (its host and pid are
 *   in the marker), so a `kill -9` blocks nothing;
 * - across machines (AWS), the marker is a lease: its owner renews `lease_until` every LEASE_MS / 4 while it works,
 *   and a marker whose lease has lapsed was left by an invocation that crashed or timed out. A marker written before
 *   leases (no `lease_until`) counts as leased for 20 minutes from its start.
 * Two ingests taking over the same dead marker at once could both win; that needs a crash and a redelivery of the same
 * content within one moment, and is not guarded against. A renewal reads the marker first and stops if it is no
 * longer its own (it lapsed and was taken over: the owner was frozen for longer than the lease).
 *
 * The markers live under their own prefix, not under manifests/: everything under manifests/ is a committed delivery.
 */
import { randomUUID } from 'node:crypto';
import { ownerAlive, thisProcess, type Owner } from '../owner.js';
import { ObjectNotFoundError, type ObjectStore } from '../store/port.js';

export const IN_PROGRESS_PREFIX = 'ingesting/';

/** a marker's lease (ms): two minutes, renewed every 30 s while its ingest runs (a Lambda runs at most 15 minutes) */
export const LEASE_MS = 2 * 60_000;
/** how long a marker without a lease (written before leases) counts as live */
const LEGACY_LEASE_MS = 20 * 60_000;

export interface InProgress {
  /** the landing file's name, as in its manifest */
  readonly file: string;
  readonly format: string;
  /** whether the file makes members (eligibility, FHIR holding Patients): files that make none wait for it */
  readonly makes_members: boolean;
  /** ISO instant the ingest of the file started */
  readonly started_at: string;
  /** ISO instant until which the marker is live unless renewed */
  readonly lease_until?: string;
  /** the process that holds it */
  readonly owner?: Owner;
  /** unique per claim, so that a renewal knows the marker is still its own */
  readonly token?: string;
}

export interface LivenessPolicy {
  /** every process sharing the store runs on this machine: a marker of a process that is gone is dead at once */
  readonly sameMachine?: boolean;
  /** @default LEASE_MS */
  readonly leaseMs?: number;
}

/** what `work` returned, or the marker of the other ingest that holds the claim on the same content */
export type Claimed<T> = { readonly done: T } | { readonly heldBy: InProgress };

/** the marker at `key`, or undefined when it is gone (its ingest ended) */
async function readMarker(store: ObjectStore, key: string): Promise<InProgress | undefined> {
  const bytes = await store.get(key).catch((e: unknown) => {
    if (e instanceof ObjectNotFoundError) return undefined;
    throw e;
  });
  return bytes === undefined ? undefined : (JSON.parse(Buffer.from(bytes).toString('utf8')) as InProgress);
}

/** whether the marker's owner may still be at work */
export function isLive(marker: InProgress, now: Date, policy: LivenessPolicy = {}): boolean {
  if (policy.sameMachine) {
    const alive = ownerAlive(marker.owner);
    if (alive !== undefined) return alive;
  }
  const until = marker.lease_until !== undefined ? Date.parse(marker.lease_until) : Date.parse(marker.started_at) + LEGACY_LEASE_MS;
  return now.getTime() < until;
}

/**
 * Creates the marker at `key`; undefined when this call holds it, else the marker of the ingest that does. A dead
 * marker is replaced, and so is one that went away between the failed create and its read (that ingest ended): one
 * more create, whose failure means another ingest claimed the content meanwhile.
 */
async function claim(store: ObjectStore, key: string, body: string, policy: LivenessPolicy): Promise<InProgress | undefined> {
  if (await store.create(key, body)) return undefined;
  const held = await readMarker(store, key);
  if (held !== undefined && isLive(held, new Date(), policy)) return held;
  if (held !== undefined) await store.delete(key);
  if (await store.create(key, body)) return undefined;
  const winner = await readMarker(store, key);
  if (winner === undefined) throw new Error(`the claim ${key} changed hands while it was taken; the file is to be retried`);
  return winner;
}

/**
 * Runs `work` holding the claim on `sha16`, renewing its lease meanwhile, and removes the marker afterwards whatever
 * happened; `{ heldBy }` without running it when another live ingest holds the claim. A marker that cannot be
 * removed is left to lapse rather than failing a file whose manifest is already written: a retry of it would only
 * answer "already ingested".
 */
export async function whileClaimed<T>(
  store: ObjectStore,
  sha16: string,
  marker: Pick<InProgress, 'file' | 'format' | 'makes_members'>,
  work: () => Promise<T>,
  policy: LivenessPolicy = {},
): Promise<Claimed<T>> {
  const key = `${IN_PROGRESS_PREFIX}${sha16}.json`;
  const leaseMs = policy.leaseMs ?? LEASE_MS;
  const mine: InProgress = { ...marker, started_at: new Date().toISOString(), owner: thisProcess(), token: randomUUID() };
  const body = () => JSON.stringify({ ...mine, lease_until: new Date(Date.now() + leaseMs).toISOString() } satisfies InProgress);
  const heldBy = await claim(store, key, body(), policy);
  if (heldBy !== undefined) return { heldBy };
  let renewing = Promise.resolve();
  const renew = setInterval(() => {
    renewing = renewing.then(async () => {
      const now = await readMarker(store, key).catch(() => undefined);
      if (now?.token === mine.token) await store.put(key, body()).catch(() => {});
    });
  }, leaseMs / 4);
  try {
    return { done: await work() };
  } finally {
    clearInterval(renew);
    await renewing;
    await store.delete(key).catch(() => {});
  }
}

/**
 * The member-making files being ingested at `now`: the live markers with `makes_members`. A marker removed between
 * the listing and its read has finished.
 */
export async function membersInProgress(store: ObjectStore, now: Date, policy: LivenessPolicy = {}): Promise<InProgress[]> {
  const live: InProgress[] = [];
  for (const { key } of await store.list(IN_PROGRESS_PREFIX)) {
    const marker = await readMarker(store, key);
    if (marker !== undefined && marker.makes_members && isLive(marker, now, policy)) live.push(marker);
  }
  return live;
}

/** the marker of `sha16`'s ingest when one is live: its parts are being written, not left over */
export async function liveMarker(store: ObjectStore, sha16: string, policy: LivenessPolicy = {}): Promise<InProgress | undefined> {
  const marker = await readMarker(store, `${IN_PROGRESS_PREFIX}${sha16}.json`);
  return marker !== undefined && isLive(marker, new Date(), policy) ? marker : undefined;
}
