/**
 * Markers of the files being ingested, for ingests that run side by side (on AWS, one Lambda invocation a landing
 * file, several at once). Before it ingests a file, the ingest stage creates `ingesting/<sha16>.json` only if absent
 * (ObjectStore.create) and deletes it once that file's manifest is written or its failure cleaned up. The marker does
 * two things:
 *
 * - It is a claim on the content. S3 delivers its notifications at least once, and the same bytes can arrive under
 *   two keys, so two invocations can start on one content hash at the same moment; both would pass the manifest
 *   check, and one's clearing of earlier outputs could delete the other's parts as they are written, leaving a
 *   manifest that says done over missing parts. Only the invocation whose create wins ingests; the other gets
 *   `heldBy` and is retried later, when the manifest answers "already ingested".
 * - For an eligibility file (or a FHIR file holding Patients), `makes_members`: ingest checks a claim's person against
 *   the members known when its file starts (known-persons.ts), so a claims file started while such a file is still
 *   being written would quarantine the claims of its new members for good; the AWS function defers a file that makes
 *   no members while such a marker is fresh (membersInProgress).
 *
 * A marker older than STALE_AFTER_MS was left by an invocation that crashed or timed out (Lambda stops one after 15
 * minutes, the limit leaves a margin above that), and nothing will ever remove it: it holds nothing back, and a claim
 * replaces it (delete, then create again). Two invocations replacing the same stale marker at once could both win;
 * that needs a crash and a redelivery of the same content within one moment, and is not guarded against.
 *
 * The markers live under their own prefix, not under manifests/: everything under manifests/ is read as a manifest
 * (lib/pipeline/run.ts totals them), and ingest needs no delete on manifests/.
 */
import { ObjectNotFoundError, type ObjectStore } from '../store/port.js';

export const IN_PROGRESS_PREFIX = 'ingesting/';

/** a marker this old (ms) was left by a crashed or timed-out invocation */
export const STALE_AFTER_MS = 20 * 60_000;

export interface InProgress {
  /** the landing file's name, as in its manifest */
  readonly file: string;
  readonly format: string;
  /** whether the file makes members (eligibility, FHIR holding Patients): files that make none wait for it */
  readonly makes_members: boolean;
  /** ISO instant the ingest of the file started */
  readonly started_at: string;
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

function isFresh(marker: InProgress, now: Date, staleAfterMs: number): boolean {
  return now.getTime() - Date.parse(marker.started_at) < staleAfterMs;
}

/**
 * Creates the marker at `key`; undefined when this call holds it, else the marker of the ingest that does. A stale
 * marker is replaced, and so is one that went away between the failed create and its read (that ingest ended): one
 * more create, whose failure means another ingest claimed the content meanwhile.
 */
async function claim(store: ObjectStore, key: string, body: string): Promise<InProgress | undefined> {
  if (await store.create(key, body)) return undefined;
  const held = await readMarker(store, key);
  if (held !== undefined && isFresh(held, new Date(), STALE_AFTER_MS)) return held;
  if (held !== undefined) await store.delete(key);
  if (await store.create(key, body)) return undefined;
  const winner = await readMarker(store, key);
  if (winner === undefined) throw new Error(`the claim ${key} changed hands while it was taken; the file is to be retried`);
  return winner;
}

/**
 * Runs `work` holding the claim on `sha16`, and removes the marker afterwards whatever happened; `{ heldBy }`
 * without running it when another ingest holds a fresh claim. A marker that cannot be removed is left to go stale
 * rather than failing a file whose manifest is already written: a retry of it would only answer "already ingested".
 */
export async function whileClaimed<T>(store: ObjectStore, sha16: string, marker: Omit<InProgress, 'started_at'>, work: () => Promise<T>): Promise<Claimed<T>> {
  const key = `${IN_PROGRESS_PREFIX}${sha16}.json`;
  const heldBy = await claim(store, key, JSON.stringify({ ...marker, started_at: new Date().toISOString() } satisfies InProgress));
  if (heldBy !== undefined) return { heldBy };
  try {
    return { done: await work() };
  } finally {
    await store.delete(key).catch(() => {});
  }
}

/**
 * The member-making files being ingested at `now`: the fresh markers with `makes_members`. A marker removed between
 * the listing and its read has finished.
 */
export async function membersInProgress(store: ObjectStore, now: Date, staleAfterMs = STALE_AFTER_MS): Promise<InProgress[]> {
  const fresh: InProgress[] = [];
  for (const { key } of await store.list(IN_PROGRESS_PREFIX)) {
    const marker = await readMarker(store, key);
    if (marker !== undefined && marker.makes_members && isFresh(marker, now, staleAfterMs)) fresh.push(marker);
  }
  return fresh;
}
