/**
 * ObjectStore: the one way stages read and write files. Keys are `/`-separated relative paths such as
 * `curated/members/ab12.parquet`. The local folder adapter is the default; the S3 adapter implements the same port.
 */
import type { Readable } from 'node:stream';

export interface ObjectInfo {
  readonly key: string;
  readonly size: number;
  /**
   * what changes whenever the object is written again, known without reading it: a local file's modification time
   * (nanoseconds), S3's ETag. With the key and size it recognises a landing file already ingested (lib/ingest/known-files.ts).
   */
  readonly stamp?: string;
}

export interface ObjectStore {
  /** human-readable location, for messages: a folder path or `s3://bucket/prefix` */
  readonly location: string;
  /** write a whole object; a Readable body is streamed, so a large one need not be held in memory */
  put(key: string, body: Uint8Array | string | Readable): Promise<void>;
  /**
   * write a small object only if no object has `key`: true when this call wrote it, false when the key exists. Of
   * concurrent creates of one key, in this process or in others, exactly one returns true (a claim: ingesting/).
   */
  create(key: string, body: Uint8Array | string): Promise<boolean>;
  get(key: string): Promise<Uint8Array>;
  /** stream an object; memory stays bounded whatever its size */
  read(key: string): Readable;
  exists(key: string): Promise<boolean>;
  /** every object whose key starts with `prefix`, sorted by key */
  list(prefix: string): Promise<ObjectInfo[]>;
  delete(key: string): Promise<void>;
  /** append text to an object, creating it when absent (outbox files, the dispatch ledger, demo files) */
  append(key: string, text: string): Promise<void>;
}

export class ObjectNotFoundError extends Error {
  constructor(
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`no object at ${key}`, options);
    this.name = 'ObjectNotFoundError';
  }
}
