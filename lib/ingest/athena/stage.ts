/**
 * The staging copy of a landing file for Athena: the landing object copied as it is (S3 server-side, so no byte of
 * it passes through the function) to `staging/<sha16>/raw/` of the lake, the folder the file's own external table
 * reads (raw-table.ts). A landing folder holds other files, and a table reads a whole folder, hence the copy. The
 * copy keeps `.gz` on a gzip file: Athena picks the decompression by the name.
 *
 * Everything else of an Athena ingest before its commit lives beside it: `staging/<sha16>/result/`, the Parquet
 * objects of the format's result (result-table.ts), and `staging/<sha16>/out/<output>/`, the folders the queries
 * UNLOAD to. An NDJSON file is not copied but streamed through the function once more, decoded and each
 * line numbered (numbered-lines.ts), since Athena has no record number for a text file. The commit copies the outputs to their curated part names and removes the whole folder; an
 * ingest that died leaves it to the leftovers sweep (lib/ingest/leftovers.ts).
 */
import type { ObjectStore } from '../../store/port.js';
import type { S3ObjectStore } from '../../store/s3.js';
import { openDecoded } from '../decode.js';
import type { Encoding } from '../encoding.js';
import type { IngestSource } from '../types.js';
import { NumberedLines } from './numbered-lines.js';

export const STAGING_PREFIX = 'staging/';

/** everything an Athena ingest of the content `sha16` writes before its commit */
export function stagingFolder(sha16: string): string {
  return `${STAGING_PREFIX}${sha16}/`;
}

/** the folder the file's raw table reads */
export function stagedRawFolder(sha16: string): string {
  return `${stagingFolder(sha16)}raw/`;
}

/** the folder of the file's result table (result-table.ts), which the format's query fills once */
export function stagedResultFolder(sha16: string): string {
  return `${stagingFolder(sha16)}result/`;
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

/**
 * Writes the staging copy of an NDJSON source numbered line by line (numbered-lines.ts), decoded (gunzipped, checked
 * UTF-8 or converted from Latin-1) and uncompressed; returns the lines numbered.
 */
export async function stageNumberedLines(source: IngestSource, gzip: boolean, encoding: Encoding, lake: S3ObjectStore, sha16: string): Promise<number> {
  const numbered = new NumberedLines();
  const decoded = openDecoded(source, gzip, () => {}, encoding);
  decoded.on('error', (e) => numbered.destroy(e));
  await lake.put(`${stagedRawFolder(sha16)}lines.txt`, decoded.pipe(numbered));
  return numbered.lines;
}
