/**
 * A file written in chunks: lines are buffered and appended to the store once a few MB have gathered, so a 100,000
 * member run never holds a whole file in memory. The first write is a `put` (of the CSV header, or empty), so a rerun
 * replaces the file rather than appending to the last run's.
 */
import type { ObjectStore } from '../store/port.js';

const FLUSH_BYTES = 4 * 1024 * 1024;

export class FileSink {
  /** data records written so far (header excluded); also the 1-based number of the last record */
  records = 0;
  #lines: string[] = [];
  #chars = 0;

  private constructor(
    readonly key: string,
    private readonly store: ObjectStore,
  ) {}

  static async open(store: ObjectStore, key: string, header?: string): Promise<FileSink> {
    await store.put(key, header === undefined ? '' : `${header}\n`);
    return new FileSink(key, store);
  }

  /** buffer one record; returns its 1-based record number */
  write(line: string): number {
    this.#lines.push(line);
    this.#chars += line.length + 1;
    return ++this.records;
  }

  async flushIfFull(): Promise<void> {
    if (this.#chars >= FLUSH_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#lines.length === 0) return;
    const text = this.#lines.join('\n') + '\n';
    this.#lines = [];
    this.#chars = 0;
    await this.store.append(this.key, text);
  }
}
