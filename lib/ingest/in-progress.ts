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
 * A marker whose owner is gone (a `kill -9`, a Lambda that timed out) blocks nothing: it is a claim with an owner and
 * a lease (lib/lease.ts), taken over once its process is gone (one machine) or its lease has lapsed (AWS).
 *
 * The markers live under their own prefix, not under manifests/: everything under manifests/ is a committed delivery.
 */
import { isLive, readClaim, takeClaim, type Held, type Lease, type LivenessPolicy } from '../lease.js';
import type { ObjectStore } from '../store/port.js';

export { isLive, type LivenessPolicy } from '../lease.js';

export const IN_PROGRESS_PREFIX = 'ingesting/';

/** the marker of the content `sha16` */
export function markerKey(sha16: string): string {
  return `${IN_PROGRESS_PREFIX}${sha16}.json`;
}

export interface InProgress extends Lease {
  /** the landing file's name, as in its manifest */
  readonly file: string;
  readonly format: string;
  /** whether the file makes members (eligibility, FHIR holding Patients): files that make none wait for it */
  readonly makes_members: boolean;
}

/** what `work` returned, or the marker of the other ingest that holds the claim on the same content */
export type Claimed<T> = { readonly done: T } | { readonly heldBy: InProgress };

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
  work: (handOver: Held['handOver']) => Promise<T>,
  policy: LivenessPolicy = {},
): Promise<Claimed<T>> {
  const claim = await takeClaim(store, markerKey(sha16), marker, policy);
  if ('heldBy' in claim) return { heldBy: claim.heldBy };
  try {
    // a work that hands the claim over (to the ingest state machine) leaves the marker for the one that finishes
    return { done: await work((ms) => claim.held.handOver(ms)) };
  } finally {
    await claim.held.release();
  }
}

/**
 * The member-making files being ingested at `now`: the live markers with `makes_members`. A marker removed between
 * the listing and its read has finished.
 */
export async function membersInProgress(store: ObjectStore, now: Date, policy: LivenessPolicy = {}): Promise<InProgress[]> {
  const live: InProgress[] = [];
  for (const { key } of await store.list(IN_PROGRESS_PREFIX)) {
    const marker = await readClaim<InProgress>(store, key);
    if (marker !== undefined && marker.makes_members && isLive(marker, now, policy)) live.push(marker);
  }
  return live;
}
