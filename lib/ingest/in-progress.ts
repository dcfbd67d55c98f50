/**
 * Markers of member-making files being ingested, for ingests that run side by side (on AWS, one Lambda invocation a
 * landing file, several at once). Ingest checks a claim's person against the members known when its file starts
 * (known-persons.ts), so a claims file started while an eligibility file is still being written would quarantine the
 * claims of that file's new members for good. The ingest stage writes `ingesting/<sha16>.json` right before
 * it ingests an eligibility file (or a FHIR file holding Patients) and deletes it once that file's manifest is written
 * or its failure cleaned up; the AWS function defers a file that makes no members while a marker is fresh.
 *
 * The markers live under their own prefix, not under manifests/: everything under manifests/ is read as a manifest
 * (lib/pipeline/run.ts totals them), and ingest needs no delete on manifests/.
 */
import { ObjectNotFoundError, type ObjectStore } from '../store/port.js';

export const IN_PROGRESS_PREFIX = 'ingesting/';

export interface InProgress {
  /** the landing file's name, as in its manifest */
  readonly file: string;
  readonly format: string;
  /** ISO instant the ingest of the file started */
  readonly started_at: string;
}

/**
 * Runs `work` with the marker of `sha16` in place, and removes it afterwards whatever happened. A marker that cannot
 * be removed is left to go stale (membersInProgress) rather than failing a file whose manifest is already written: a
 * retry of it would only answer "already ingested".
 */
export async function whileInProgress<T>(store: ObjectStore, sha16: string, marker: Omit<InProgress, 'started_at'>, work: () => Promise<T>): Promise<T> {
  const key = `${IN_PROGRESS_PREFIX}${sha16}.json`;
  await store.put(key, JSON.stringify({ ...marker, started_at: new Date().toISOString() } satisfies InProgress));
  try {
    return await work();
  } finally {
    await store.delete(key).catch(() => {});
  }
}

/**
 * The member-making files being ingested at `now`. A marker older than `staleAfterMs` is ignored: it was left by an
 * invocation that crashed or timed out (Lambda stops one after 15 minutes, the default limit leaves a margin above
 * that), and nothing will ever remove it. A marker removed between the listing and its read has finished.
 */
export async function membersInProgress(store: ObjectStore, now: Date, staleAfterMs = 20 * 60_000): Promise<InProgress[]> {
  const fresh: InProgress[] = [];
  for (const { key } of await store.list(IN_PROGRESS_PREFIX)) {
    const bytes = await store.get(key).catch((e: unknown) => {
      if (e instanceof ObjectNotFoundError) return undefined;
      throw e;
    });
    if (bytes === undefined) continue;
    const marker = JSON.parse(Buffer.from(bytes).toString('utf8')) as InProgress;
    if (now.getTime() - Date.parse(marker.started_at) < staleAfterMs) fresh.push(marker);
  }
  return fresh;
}
