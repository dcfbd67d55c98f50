/**
 * `quarantine/<sha16>.ndjson`: one line per rejected record, `{file, record, field, reason, value, raw}`.
 *
 * The log of one file is put to the store ONCE, when its ingest ends, as a stream: appending to the object as records
 * are rejected would, on S3, re-read and rewrite the whole object each time (append is read-modify-write there), so a
 * file of N bad records cost ~N²/1000 line-transfers and left a noncurrent version per block. Meanwhile lines gather
 * in blocks of 1,000 and each block is appended to a temporary file (0600) in the process's private scratch folder
 * (lib/scratch.ts: 0700, removed at exit, and by the next process after a crash), so memory stays bounded whatever the
 * count. A file with no rejected record puts nothing (readers find no log for it, as before). `dispose()` removes
 * the temporary file, whether the ingest succeeded or failed.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { appendFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { scratchDir } from '../scratch.js';
import type { ObjectStore } from '../store/port.js';
import type { RecordRejected } from './rejection.js';
import type { AthenaQuarantineLine, QuarantineLine } from './types.js';

const BLOCK = 1000;

export function quarantineKey(sha16: string): string {
  return `quarantine/${sha16}.ndjson`;
}

export class QuarantineLog {
  readonly #lines: string[] = [];
  /** created by the first flush; unique, so concurrent ingests in one process never share one */
  readonly #name = `quarantine-${randomUUID()}.ndjson`;
  #tmp: string | undefined;
  readonly reasons: Record<string, number> = {};
  count = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly key: string,
    private readonly file: string,
  ) {}

  /** true when a block is full and `flush()` should be awaited */
  /** `record` null: the file was ingested by Athena (AthenaQuarantineLine) */
  add(record: number | null, rejection: RecordRejected, raw: string): boolean {
    const line: QuarantineLine | AthenaQuarantineLine = { file: this.file, record, field: rejection.field, reason: rejection.reason, value: rejection.value, raw };
    this.#lines.push(JSON.stringify(line));
    this.reasons[rejection.reason] = (this.reasons[rejection.reason] ?? 0) + 1;
    this.count++;
    return this.#lines.length >= BLOCK;
  }

  /** append the buffered lines to the temporary file */
  async flush(): Promise<void> {
    if (this.#lines.length === 0) return;
    const text = this.#lines.join('\n') + '\n';
    this.#lines.length = 0;
    this.#tmp ??= join(await scratchDir(), this.#name);
    await appendFile(this.#tmp, text, { mode: 0o600 });
  }

  /** put the whole log at its key in one streamed write; nothing when no record was rejected */
  async save(): Promise<void> {
    await this.flush();
    if (this.count === 0 || this.#tmp === undefined) return;
    const body = createReadStream(this.#tmp);
    try {
      await this.store.put(this.key, body);
    } finally {
      body.destroy(); // a store that failed part-way may not have closed it
    }
  }

  /** remove the temporary file; call it in a `finally`, after `save()` or instead of it */
  async dispose(): Promise<void> {
    this.#lines.length = 0;
    if (this.#tmp !== undefined) await rm(this.#tmp, { force: true });
  }
}
