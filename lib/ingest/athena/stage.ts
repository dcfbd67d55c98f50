/**
 * The staging copy of a landing file for Athena: the landing object copied as it is (S3 server-side, so no byte of
 * it passes through the function) to `staging/<sha16>/raw/` of the lake, the folder the file's own external table
 * reads (raw-table.ts). A landing folder holds other files, and a table reads a whole folder, hence the copy. The
 * copy keeps `.gz` on a gzip file: Athena picks the decompression by the name.
 *
 * Everything else of an Athena ingest before its commit lives beside it: `staging/<sha16>/out/<output>/`, the folders
 * the queries UNLOAD to. The commit copies the outputs to their curated part names and removes the whole folder; an
 * ingest that died leaves it to the leftovers sweep (lib/ingest/leftovers.ts).
 */
import type { ObjectStore } from '../../store/port.js';
import type { S3ObjectStore } from '../../store/s3.js';

export const STAGING_PREFIX = 'staging/';

/** everything an Athena ingest of the content `sha16` writes before its commit */
export function stagingFolder(sha16: string): string {
  return `${STAGING_PREFIX}${sha16}/`;
}

/** the folder the file's raw table reads */
export function stagedRawFolder(sha16: string): string {
  return `${stagingFolder(sha16)}raw/`;
}

/** the folder one output of the queries is UNLOADed to */
export function stagedOutputFolder(sha16: string, output: string): string {
  return `${stagingFolder(sha16)}out/${output}/`;
}

/** copies the landing object `key` (`size` bytes as delivered) into the staging folder of `sha16` */
export async function stageLandingFile(landing: S3ObjectStore, key: string, size: number, lake: S3ObjectStore, sha16: string, gzip: boolean): Promise<void> {
  await landing.copyTo(key, size, lake, `${stagedRawFolder(sha16)}data.csv${gzip ? '.gz' : ''}`);
}

/** removes the staging folder of `sha16` (after the commit or an abandon, or as a dead ingest's leftovers) */
export async function removeStaging(store: ObjectStore, sha16: string): Promise<void> {
  for (const { key } of await store.list(stagingFolder(sha16))) await store.delete(key);
}
